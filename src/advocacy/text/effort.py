"""Customer effort in a text: does it describe friction (waiting, repeating, being passed around)?

Effort is what the Customer Effort Score asks about (Dixon, Freeman & Toman 2010): customers
punish the work a company makes them do - waiting, repeating themselves, being transferred,
chasing, coming back. We find it with a transparent cue lexicon, one pattern per kind of
friction, because the cues are few and explicit and a user can read exactly why a text was
flagged. A cue names friction with the company, never a product's use: a count of times
needs a contact or a telling before it ("emailed them 3 times", not "washed it 3 times"), a
wait needs what was waited for or how long, a difficulty needs a process (returns, refunds,
the site), so that reviews of products in use carry no effort they do not describe (audit4
item 13; docs/benchmarks.md "smalls" has the counts on real reviews). Friction is also told
without a count or a duration: still without what the company owes ("still don't have my
card", "have not received my refund yet", "still pending"), unable to reach it ("no way to
contact the seller", "tried to contact them", "can't get the seller to answer"), stopped by
its process ("impossible to verify my identity", "unable to get a refund", "keeps getting
declined") or refused by it; these cues name what the company owes or who it is, so a
product's own state ("haven't washed it yet") is no wait (review23 item 2; docs/benchmarks.md
"effortfix"). What never came is friction told without naming it ("Never got mine in the
mail", "pending, pending, pending", "it's been 3 weeks and still no card"), and a hassle, a
delay or a count of hours is the company's only when it names its process, its service or the
company itself ("such a hassle to return", "dealing with them was a hassle", "a hassle to get
anyone on the phone", not "a hassle to clean", "hassle-free" or "the battery took 14 hours";
docs/benchmarks.md "effort4"), and a time without what was owed is how long a product lasted ("it's
been 6 months and no sign of wear"; review24 items 5 and 6). An answer that is only automated
is no answer ("never received anything but an automated reply"), and a hassle exclaimed with a
vow not to come back is the company's ("What a hassle. Never again"); being asked or telling
"the same questions", a different agent or a different person spoken to, and back and forth
between the company's departments are repeating and transfers, not a book's "same story line",
"written in the third person" or "back and forth between two brothers" (docs/benchmarks.md
"effort5"). A transfer is of the customer or their call ("I was transferred", "they
transferred me", "passed from one department to another"), never of money, files or weapons,
and "Never again, thanks to this gadget" praises what ended a chore (docs/benchmarks.md
"effortfix4"). The score is ``1 - 0.5 ** cues`` (0 none, 0.5 one cue, 0.75 two, ...); a text
is *high effort* at :data:`HIGH_EFFORT` or above.

References
----------
Dixon, M., Freeman, K. & Toman, N. (2010). Stop trying to delight your customers. Harvard
Business Review 88(7/8), 116-122.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from advocacy.text.regex_literals import LiteralScan, required_literal_sets

HIGH_EFFORT = 0.5

#: How often a customer had to do something: a count of times, not a rate ("twice a day"), and
#: "again" as a word, not the start of "against" ("give evidence against").
_TIMES = (
    r"(?:twice|again\b|(?:\d+|two|three|four|five|several|multiple|many|countless|a few) times|"
    r"(?:[2-9]|\d\d+) ?x\b)"
    r"(?! a\b| an\b| per\b| each\b| every\b)"
)
#: A number of hours, days, ... (digits or words).
_COUNT = (
    r"(?:\d+|a few|several|an?|one|two|three|four|five|six|ten|fifteen|twenty|thirty|forty|"
    r"fifty|ninety)"
)
#: What a customer waits to have from the company: what it sends, pays back or answers.
_AWAITED = (
    r"(?:card|order|refund|money|funds|package|parcel|item|items|replacement|delivery|cash|"
    r"payment|transfer|pin|reply|response|answer|credit|confirmation|call ?back|e-?mail|code|"
    r"goods|product|shipment|deposit|top[- ]?up|withdrawal|purchase|stuff|rebate|(?:return|"
    r"shipping|prepaid) label|tracking(?: number| info\w*)?|invoice|receipt|voucher)s?\b"
)
#: What the company does for a customer, who waits for it: send, deliver, answer, pay back.
#: "get" only with what the company sends ("took 3 weeks to get here", "to get a refund"), not
#: "to get it working" or "to get the pans seasoned".
_SERVICE = (
    r"(?:arrive|ship|come|get(?: (?:it|them|mine|one|this|these))?(?=\W*$|[.,!;:)?]| (?:here|"
    r"to (?:me|us)\b|delivered|shipped|refunded|replaced|fixed|repaired|sorted|back (?:to|from)|"
    r"in the (?:mail|post)|from|and|but)\b)|get (?:a |an |my |our |the )?(?:refund|reply|response|"
    r"answer|replacement|money|card|order|package|parcel|delivery|through|in touch|hold|a ?hold)\b|"
    r"be (?:delivered|shipped|refunded|answered|sorted|fixed|repaired)|hear|respond|reply|answer|"
    r"resolve|sort|refund|process|deliver|appear|fix|repair|give (?:me |us )?(?:a |an |my )?"
    r"(?:refund|reply|response|answer|replacement))"
)
#: What follows "took a week" when the time was the company's: nothing, or a service ("took
#: forever to arrive"), never the product's own time ("took forever to heat up", "took 2 weeks
#: for my skin to adjust").
_SERVICE_TO = (
    r"(?: to " + _SERVICE + r"| for (?:\w+ ){1,3}to (?:\w+ )?" + _SERVICE + r"| for (?:a |an |"
    r"my |the |our |this |that |your )?(?:\w+ )?(?:" + _AWAITED + r"|transactions?\b) to \w+)?"
    r"(?! to\b)(?! for (?:\w+ ){1,3}to\b)"
)
#: "over", "about", ... before a count of hours or days.
_ABOUT = r"(?:(?:over|about|almost|nearly|more than|another|a further|at least|up to) )?"
#: Not a wait: "can't wait to order more".
_EAGER = r"(?<!can't )(?<!can’t )(?<!cannot )(?<!can not )(?<!couldn't )(?<!couldn’t )"
#: Contacting the company: what, done again and again, is chasing.
_CONTACT = (
    r"(?:call(?:ed|ing)?|phoned|rang|e-?mail(?:ed|ing)?|messaged|contact(?:ed|ing)?|wrote|"
    r"written|complained|reached out)"
)
#: A number of calls or e-mails ("5 phone calls", "several emails").
_CALLS = (
    r"(?:several|multiple|many|\d+|two|three|four|five|countless) (?:phone )?(?:calls|e-?mails|"
    r"messages)"
)
#: Who a customer deals with: the company, its people, its service (to reach, to make answer).
_COMPANY = (
    r"(?:them|him|her|you|us|someone|anyone|any ?one|somebody|anybody|a (?:human|person|real "
    r"person|manager|rep\w*)|(?:the |this |that |their |your )?(?:\w+ )?(?:seller|sellers|company|"
    r"shop|store|vendor|manufacturer|bank|support|service|helpline|help ?desk|agent|courier|"
    r"retailer|merchant|team|office|amazon|customer (?:service|support|care))\b)"
)
#: Not (yet) done: "hasn't", "have not", "didn't", ...
_NOT = r"(?:has|have|is|are|was|were|do|does|did)(?:n['’]?t| not)|not|never|(?:am|are|is) yet to"
#: The company's process: returns, refunds, claims, its service.
_PROCESS = (
    r"(?:return\w*|refund\w*|exchang\w*|send\w* (?:\w+ )?back|ship\w* (?:\w+ )?back|claim\w*|"
    r"cancel\w*|contact\w*|verif\w*|warranty|customer (?:service|support|care)|support|the "
    r"(?:seller|company|store|shop|bank|manufacturer)|amazon|getting (?:a |my )?(?:refund|"
    r"replacement|money))"
)
#: "hassle", not denied ("no hassle", "not a hassle", "hassle-free", "without any hassle").
_HASSLE = (
    r"(?<!no )(?<!any )(?<!not a )(?<!n't a )(?<!n’t a )(?<!never a )(?<!less of a )(?<!without )"
    r"(?<!without a )(?<!without the )(?<!without any )hassles?\b(?![- ]?free)"
)
#: A hassle exclaimed ("What a hassle", "such a nightmare") and a vow not to come back.
_EXCLAIMED = r"(?:what|such) an? (?:\w+ )?(?:hassles?|nightmare|ordeal|headache)"
#: "Never again" that credits what ended a chore ("Never again, thanks to this gadget", "never
#: again with this one", "never again now that I have it"): praise, not a vow; "never again
#: with this company" is still one.
_CREDITED = (
    r"(?!\W*(?:thanks? to|with (?:this|these|my|the|it|one|an?|its)\b(?! (?:\w+ )?(?:compan(?:y|"
    r"ies)|sellers?|stores?|shops?|firm|brand|bank|airline|hotel|restaurant|place|business|people|"
    r"service|outfit|vendor|retailer|site|website)\b)|now (?:that|i|we)|since (?:i|we|getting|"
    r"buying)|because (?:of|i|we)|this (?:\w+ )?(?:is|does|has|makes|will|means|solved|fixed|"
    r"saves|did|takes|handles|keeps)|it (?:does|is|has|makes|solved|fixed|saves|takes|handles|"
    r"keeps))\b)"
)
#: A vow not to deal with the company again: "Never again." on its own, "won't be back",
#: "never order from them again", not "never have to think about it again" (praise), "won't
#: hesitate to come again", "will never watch it again" (a film) nor "never use anything
#: else again" / "never go back to paper maps" (a product preferred).
_VOW = (
    r"(?:never again(?=\W*$|[.,!;:)?])"
    + _CREDITED
    + r"|never again will (?:i|we) (?:\w+ )?(?:use|buy from|"
    r"order from|shop (?:at|with|here|there)|deal with|book with|come back|go back|return)\b|"
    r"(?:won['’]?t|will not|will never|shall not|never) (?:ever )?(?:be back|come back|(?:go "
    r"back|return)(?= ?[.,!;:)?]|\W*$| there| again| to (?:them|that|this|the|their) (?:\w+ )?"
    r"(?:place|store|shop|restaurant|hotel|company|bank|seller|airline|site|website)))\b|"
    r"(?:won['’]?t|will not|will never|never) (?:ever )?(?:use|buy (?:\w+ ){0,2}?from|order "
    r"(?:\w+ ){0,2}?from|shop (?:at|with|here|there)|deal with|book (?:with|through)|fly with|"
    r"stay (?:at|with|here|there))(?! (?:another|anything|any other|other|a different|nothing)\b)"
    r" (?:\w+ ){0,3}?again)"
)
#: "get through" to the company (on the phone, to a person), not "hard to get through" a book.
_THROUGH = r"through(?= (?:to|on|by|via)\b)"
#: Refusing to accept what the customer brings back or pays with, not "refuse to accept that".
_ACCEPT = (
    r"accept (?:it|them|my|our|returns?\b|the (?:\w+ )?(?:return|item|product|package|parcel|"
    r"card|payment|claim|warranty|order|exchange|receipt|voucher|coupon|refund)s?\b)"
)
#: Telling the company something: what, done again, is repeating oneself.
_TELL = (
    r"(?:explain\w*|tell|told|give(?! out| up)|gave(?! out| up)|provid\w*|"
    r"fill(?:ed|ing)? (?:in|out))"
)
#: Who is transferred when a transfer is friction: the customer or their call.
_TRANSFERRED = (
    r"(?:i|we|(?:my|our|the) (?:phone )?calls?)(?:['’]ve|['’]d|['’]m|['’]re| have| had| has)?"
)
#: A word between "was" and "transferred" ("I was then transferred", "we were eventually").
_ADVERB = (
    r"(?:then|just|finally|eventually|also|again|always|even|only|constantly|repeatedly|"
    r"immediately|quickly|promptly|simply|\w+ly)"
)
#: What follows a transfer of money, not of a customer ("transferred me $50", "transferred me
#: the money", "was transferred to my account").
_NOT_MONEY = (
    r"(?! (?:\S+ ){0,2}?(?:[$£€\d]|(?:money|funds|cash|payments?|amounts?|sums?|balance|salary|"
    r"wages|dollars|euros|pounds)\b))(?! (?:into|to (?:my|a new|the new|your|an?|another|the) "
    r"(?:\w+ )?(?:account|phone|card|device|computer|bank)))"
)
#: "different" after a count or "a" ("3 different agents", "a different department"), checked
#: behind the word (a look-behind per count) so that the cue starts at "different".
_COUNTED = (
    r"(?:(?<=\d different)|"
    + "|".join(
        rf"(?<=\b{count} different)"
        for count in ("a", "two", "three", "four", "five", "six", "several", "multiple", "many")
    )
    + r"|(?<=\bvarious different)|(?<=\bnumerous different)|(?<=\bcountless different))"
)
#: The company's people and parts a customer is passed to.
_COMPANY_PART = (
    r"(?:departments?|agents?|managers?|supervisors?|colleagues?|specialists?|advis[oe]rs?|"
    r"reps?|representatives?|operators?|extensions?|teams?|customer (?:service|support|care)|"
    r"support|billing|sales)\b"
)
#: Kind of friction -> cues (regular expressions, case-insensitive, from a word boundary).
#: Each cue names friction with the company (waiting for it, repeating oneself to it, being
#: passed around by it, chasing it, its process), not a product's use: "washed it 2 times and
#: the underwire came out", "can't wait to wear it", "used it for 2 weeks", "hard to open" and
#: "sent it back" are no effort the company made the customer spend (audit4 item 13).
EFFORT_CUES: dict[str, tuple[str, ...]] = {
    "waiting": (
        r"on hold",
        # Waiting on the company, not "can't wait to wear it" or "wait for it to cool".
        r"(?:been|kept|still|am|are|were|was|of|after|long|endless|(?<!no )more|left) waiting|"
        r"wait(?:ing)? times?|long wait|the wait (?:was|is)|waited again",
        _EAGER + r"wait(?:ed|ing)? (?:for |on )?(?:\w+ ){0,2}(?:refunds?|repl(?:y|ies)|responses?|"
        r"answers?|deliver(?:y|ies)|replacements?|package|parcel|order|calls?|callback|e-?mails?|someone|"
        r"anyone|an? (?:agent|engineer|technician|driver|courier)|it to (?:arrive|ship|come|be)|"
        r"them to)\b",
        _EAGER
        + r"wait(?:ed|ing)? (?:over |about |almost |nearly |more than |another )?"
        + _COUNT
        + r" ?(?:hours?|hrs?|days?|weeks?|months?|minutes?|mins?)\b|"
        r"wait(?:ed|ing)? (?:in )?(?:ages|forever|all (?:day|morning|afternoon))",
        r"queue[ds]?|queuing",
        # Days and weeks the customer waited ("took 3 weeks", "took a month to arrive"); hours
        # only of a service ("took 3 hours to answer"): "the battery took 14 hours" and "takes
        # 6 hours or more" (what a product does every time) are the product's own time.
        r"(?:took|taking|has taken|had taken) " + _ABOUT + _COUNT + r" ?(?:days?|weeks?|months?)\b"
        r"(?: or (?:more|longer|so))?" + _SERVICE_TO,
        r"(?:took|taking|takes|has taken|had taken) "
        + _ABOUT
        + _COUNT
        + r" ?(?:hours?|hrs?|days?|weeks?|months?)\b(?: or (?:more|longer|so))?(?: to "
        + _SERVICE
        + r"| for (?:\w+ ){1,3}to (?:\w+ )?"
        + _SERVICE
        + r"| on (?:the phone|hold))",
        _COUNT + r" (?:days?|weeks?|months?) (?:late|overdue)\b",
        r"(?:arriv\w*|came|deliver\w*|ship\w*|showed up|turned up) (?:\w+ ){0,2}late\b",
        r"took (?:forever|ages|(?:far |way |much )?too long)" + _SERVICE_TO,
        r"still (?:waiting|no (?:reply|response|answer|refund|word|news|package|parcel|"
        r"delivery|call|email)|not (?:received|arrived|delivered|refunded|heard)|"
        r"(?:have|has)n['’]?t (?:received|arrived|heard|gotten|got|been (?:refunded|delivered))\b"
        r"(?! (?:used|around|round|better|worse|over|into|to|the hang|rid|past|through|bored|tired|"
        r"sick|far|anywhere|started|going)\b))",
        # "never came" but not "came up with", "came to grips" nor "came into my mind".
        r"never (?:arrived|came(?! (?:up|across|into|close|out|true|around|round|over|to "
        r"(?:grips|terms|mind|my mind|an? \w+|life|pass|be))\b)|showed up|turned up|heard "
        r"(?:back|from|anything))|(?:have|has)"
        r"(?:n['’]?t| not) (?:yet )?heard (?:back|anything|a word|from (?:them|anyone|the))",
        # Still without what the company owes ("I still don't have my card after 2 weeks", "it's
        # still not there", "still pending"); a product's state ("still not as soft") is no wait.
        r"still (?:" + _NOT + r") (?:yet )?(?:have|got|gotten|get|received?|seen?) (?:my |the |"
        r"our |a |an |any |this |that )?(?:\w+ )?(?:" + _AWAITED + r"|(?:it|them)\b(?! \w))",
        r"still (?:" + _NOT + r") (?:been )?(?:there|here|showing|shown|show(?:ed)? up|appeared?|"
        r"available|through|gone through|updated|credited|reflected|processed|in my account|"
        r"on my account|back)\b|still (?:shows? |showing |is |are )?pending",
        # Not (yet) received what the company owes ("have not received my refund yet").
        r"(?:" + _NOT + r") (?:yet )?(?:received?|got|gotten|get|had) (?:my |the |our |a |an |"
        r"any |this |that |their )?(?:\w+ )?" + _AWAITED,
        r"(?:" + _NOT + r") (?:yet )?(?:arrived|received?|come|shown up|showed up|turned up|gone "
        r"through|delivered|shipped|been (?:received|delivered|refunded|credited|processed|updated|"
        r"sent|shipped))(?:\W+\w+){0,5}?\W+yet\b|(?:am|are|is|have|has) yet to (?:receive|arrive|"
        r"hear\b(?! (?:it|them|the \w+) (?:play|sound|work))|(?:get|see) (?:my |the |our |a |an |"
        r"any |this |that )?(?:\$\S+|(?:\w+ )?" + _AWAITED + r"|(?:it|them)\b(?! \w)))",
        r"(?:" + _NOT + r"|can['’]?t|cannot|can not) (?:yet )?(?:see|seeing|find|finding) "
        r"(?:my |the |our |a |an |any |this |that )?(?:\w+ ){0,2}(?:refund|money|funds|cash|"
        r"deposit|transfer|payment|top[- ]?up|credit)s?\b",
        r"(?:stuck|sitting|stay\w*|remain\w*) (?:on |in |as )?pending|pending (?:for|since) "
        r"(?:(?:over|about|almost|nearly|more than) )?(?:" + _COUNT + r" ?(?:hours?|days?|weeks?)|"
        r"days|weeks|ages|a while|so long|yesterday|last week)",
        r"should (?:have )?(?:arrived|come|gone through|been (?:delivered|refunded|credited|"
        r"processed|sent|shipped|received)) (?:\w+ ){0,3}(?:by now|already|days|weeks|ago|last "
        r"\w+|yesterday)\b",
        r"(?:keep|kept) waiting",
        _EAGER + r"wait(?:ed|ing) (?:for |on )(?:\w+ ){1,3}to (?:be )?(?:shipped|delivered|sent|"
        r"arrive|refunded|replaced|processed|approved|answered|resolved)\b",
        r"taking (?:forever|ages|(?:far |way |much |so )?too long|(?:\w+ ){0,2}so long)"
        + _SERVICE_TO,
        # A delay of the company's, not a product's ("a half-second delay", "delay start").
        r"(?<!no )(?<!little )(?<!slight )(?<!short )(?<!small )(?<!second )(?<!time )(?<!speed )"
        r"(?<!minimal )(?<!noticeable )delay(?:ed|s)?\b(?! (?:start|timer|write|between|function|"
        r"setting|feature|button|\d))",
        # What the company sent never came, told without naming it ("Never got mine in the
        # mail", "This was never received", "I never received it."): "it" at the end of the
        # clause, not "never got it to work".
        # "anything but compliments" is "only compliments": "anything" before "but" only when a
        # clause follows ("never received anything but they charged me").
        r"never (?:received?|recieved|got|gotten) (?:(?:it|them|mine|ours|this|these|one|the "
        r"(?:\w+ )?(?:thing|item|one))(?= (?:but|though)\b)|anything(?= but (?:i|we|they|he|she|"
        r"it|you|the \w+ (?:was|were|is|has|had|did|charged|took|kept|said)|still|was|were|got)\b)|"
        r"(?:it|them|mine|ours|this|these|one|anything|the (?:\w+ )?(?:thing|item|one))(?=\W*$|"
        r"[.,!;:)?]| (?:and|or|so|either|yet|at all|back|from|in the (?:mail|post)|even|after|"
        r"despite)\b))|(?:was|were|is|are|"
        r"has been|have been) never (?:received|delivered|sent|shipped|refunded|credited)|never "
        r"(?:delivered|shipped)\b(?! on\b)|never showed(?=\W*$|[.,!;:)?]| and\b)",
        r"lost in (?:the )?(?:mail|post|transit)|(?:package|parcel|order|shipment|"
        r"delivery)s? (?:\w+ )?(?:was|were|got|has been|went) lost\b",
        # "pending, pending, pending", "has been pending", "pending for too long".
        r"pending(?:\W+pending\b)+|(?:has|have|had) been pending|pending (?:for )?(?:too|so) long",
        # Still nothing from the company ("still nothing from the seller"), not "changed
        # outlets and still nothing" of a product.
        r"still nothing (?:from|back|yet|in (?:the |my )?(?:mail|post|account)|(?:has )?(?:arrived|"
        r"come|came|shown up|showed up|turned up))\b|nothing (?:has |have )?(?:ever )?(?:arrived|"
        r"shown up|showed up|turned up|come through|been (?:delivered|received|refunded|credited))",
        # "It's been 3 weeks and still no card", "It's been a month since I returned it. Nothing."
        # - the time and what did not come; "it's been 2 months and it still smells" is no wait,
        # nor how long a product has lasted: "nothing" only alone or as what did not come ("and
        # nothing but compliments", "nothing has broken" are praise), "no sign" only of what is
        # owed ("no sign of my refund", not "no sign of wear").
        r"(?:it['’]?s|it has|has|have|now) been " + _ABOUT + _COUNT + r" ?(?:days?|weeks?|months?)"
        r"(?: since (?:\w+ ){1,6}?\w+)?[,.;:!]* (?:(?:and|but|yet|with|now|already|still) )*"
        r"(?:nothing(?=\W*$|[.,!;:)?]| yet(?:\W*$|[.,!;:)?]| (?:from|back|in|on)\b)| (?:from|"
        r"back|in (?:the |my )?(?:mail|post|account)|"
        r"(?:has |have )?(?:ever )?(?:arrived|came|come|shown up|showed up|turned up|been "
        r"(?:sent|delivered|received|refunded|credited|paid|given|returned|processed|done|fixed|"
        r"resolved|sorted|heard)))\b)|no (?:word|news|update|reply|response|"
        r"answer|refund|delivery|package|parcel|card|money|call|e-?mail|replacement|item|order)s?\b|"
        r"no signs?(?: of (?:it|them|mine)| yet)?(?=\W*$|[.,!;:)?])|no signs? (?:yet )?of (?:my |"
        r"the |our |a |an |any |this |that )?(?:\w+ )?"
        + _AWAITED
        + r"(?=\W*$|[.,!;:)?]| (?:yet|arriv\w*|com\w*|from|being|"
        r"anywhere|at all|in|on|and|or|but|either)\b)|where (?:is|are) (?:my|our|the)\b)",
    ),
    "repeating": (
        r"repeat(?:ed|ing)? (?:myself|my (?:story|details|information|question))",
        # Asked to repeat, or had to repeat what was said ("had to repeat everything"), not "I
        # have to repeat that: it works" (emphasis) nor "had to repeat junior year".
        r"(?:asks?|asked|made|make) (?:me |us )?to repeat|(?:had|have|has|having) to repeat "
        r"(?:myself|ourselves|my |our |everything|it all|all (?:of )?(?:it|that|my|our)|what "
        r"(?:i|we)|the (?:whole |same |entire )?(?:story|process|details|information|order|steps|"
        r"call|questions?))",
        # The customer telling again, not "I can't tell you how many times I have bought one"
        # (how often) nor "tell me again how..." (someone else telling).
        # Told to the customer is not the customer telling again ("I have been told again and
        # again", "don't tell us 100 times" of an author).
        _TELL + r"(?<!been told)(?<!was told)(?<!were told)(?<!being told)(?<!got told)"
        r"(?! (?:you|them) how many)(?! (?:me|us)\b)"
        r" (?:\w+ ){0,3}(?:again and again|over and over|" + _TIMES + ")",
        # The same question or story told by the customer or asked of them ("they asked me the
        # same questions", "I was asked the same questions", "I had to tell the same story"),
        # not "I have the same question" of a reader, "every book has the same story line",
        # "both films told the same story" nor "many readers asked the same question".
        r"(?:i|we) (?:(?:had|have|has|need(?:ed)?|was forced|were forced) to |kept |keep |then "
        r"|just |again |always |still |would |must |ended up |end up ){0,2}(?:ask\w*|answer\w*|"
        r"tell\w*|told|explain\w*|repeat\w*|give|gave|giving|provid\w*) (?:\w+ ){0,2}?(?:the )?"
        r"same (?:questions?|story|details|information)\b|(?:(?:ask\w*|request\w*) (?:me|us)|"
        r"(?:i|we) (?:was|were|am|are|got|get|keep|kept)(?: being)? asked) "
        r"(?:\w+ ){0,2}?(?:the )?same (?:questions?|story|details|information)\b|(?:ask\w*|"
        r"request\w*) (?:\w+ ){0,2}?(?:the )?same (?:questions?|details|information) (?:from|"
        r"of) (?:me|us)\b|same "
        r"(?:questions?|story|details|information) (?:again|over and over|every time|each time|"
        r"to (?:each|every|another|a different|two|three|several))\b",
        # The company's process failed again and again: the customer did it over.
        r"(?:delivery|collection|order|payment|checkout|basket|booking|appointment|app|site|"
        r"website|link|card)s? (?:\w+ ){0,2}(?:cancel+ed|missed|failed|declined|crashed|"
        r"rescheduled|emptied|rejected|expired|lost)\w* (?:\w+ ){0,3}" + _TIMES,
    ),
    "transfers": (
        # The customer or their call transferred ("I was transferred", "we got transferred",
        # "my call was transferred"), not money, files, weapons or a prisoner ("the camp to
        # which he was transferred", "weapons are being transferred").
        _TRANSFERRED
        + r" (?:"
        + _ADVERB
        + r" )?(?:was|were|got|get|gets|getting|been|being|am|are|is|keeps?|"
        r"kept)(?: getting| being)? (?:" + _ADVERB + r" )?transferr?ed\b" + _NOT_MONEY,
        # Told by the company's side ("they transferred me", "kept transferring my call").
        r"transfer(?:r?ed|r?ing|s)? (?:me|us|my call|our call|the call|my calls|our calls)\b"
        + _NOT_MONEY,
        # Transferred with the customer left unsaid ("on hold, then transferred twice", "and
        # transferred to someone else") or at a clause's start ("Transferred 3 times."): only
        # to a company's person or part, again, or ending the clause; "salary received and
        # transferred to my current currency" is money.
        r"(?:(?:and|then|before being|only to be) (?:then |just |again |finally |eventually )?"
        r"transferr?ed|transferr?ed(?<![\w,] transferred)(?<![\w,] transfered)(?<!,transferred)"
        r"(?<!,transfered))(?=\W*$|[.,!;:)?]| (?:and|but|again|twice|around|back and forth|\w+ "
        r"times)\b| (?:(?:straight|directly|back|over|again|on|around) )?(?:to|between) (?:(?:an? |"
        r"the |another |a different |yet another |some |their )?(?:\S+ )?"
        + _COMPANY_PART
        + r"|(?:another|a different|yet another|a third) (?:person|line|number)\b(?!['’]s)|"
        r"(?:someone|somebody) else\b))",
        # To a company's part, the one transferred unsaid ("got transferred to billing").
        r"transferr?ed (?:(?:straight|directly|back|over|again|on|around|twice) )?(?:to|between) "
        r"(?:an? |the |another |a different |yet another |some |their |its )?(?:\w+ )?"
        r"(?:departments?|agents?|supervisors?|specialists?|advis[oe]rs?|reps?|representatives?|"
        r"operators?|extensions?|customer (?:service|support|care)|billing|tech support)\b",
        # The customer passed around, not "judgment was passed on these kids", a book that
        # "gets passed around as scholarship", "a recipe passed on to me by my grandmother" nor
        # "we got passed on the highway".
        r"(?:was|were|got|been|get|keep|kept) (?:passed (?:around|on|along)|bounced(?: around)?) "
        r"(?:to|between|from) (?:\w+ ){0,2}?(?:departments?|agents?|teams?|people|person|"
        r"offices?|staff|reps?|representatives?|managers?|supervisors?|someone|another|"
        r"colleagues?|specialists?|advisors?|advisers?|customer (?:service|support|care)|support|"
        r"sales|billing)\b|(?:i|we) (?:\w+ ){0,2}?(?:was|were|got|been|get|keep|kept) "
        r"(?:passed|bounced) around\b",
        r"passed (?:me|us) (?:around|between|on to|off to|along to)|passed (?:around|between) "
        r"(?:\w+ ){0,2}?(?:departments?|agents?|teams?|people|offices?|staff|reps?|"
        r"representatives?)\b",
        # Passed from one of the company's people or parts to the next ("passed from one
        # department to another"); a person only when it is the customer passed ("I was passed
        # from one person to the next"), not "a story passed from one person to another".
        r"(?:passed|bounced|shunted|shuffled|sent|handed|transferr?ed) (?:around )?from one "
        r"(?:department|agent|rep\w*|team|office|advis[oe]r|call cent(?:er|re)|branch|line|"
        r"manager|supervisor|specialist|member of staff) to (?:another|the next|the other)\b|"
        r"(?:i|we) (?:was|were|got|get|been|keep|kept)(?: being| getting)? (?:passed|bounced|"
        r"shunted|shuffled|handed|sent) (?:around )?from one (?:\w+ )?\w+ to (?:another|the next|"
        r"the other)\b",
        r"bounced (?:me|us)\b|bounced (?:around )?(?:between|from) (?:\w+ ){0,2}"
        r"(?:departments?|agents?|people|teams?|persons?)",
        # Put through to another of the company's people, not "have another agent" of a game;
        # transfers between its parts, not "transfers between accounts".
        r"(?:to|with|by|from|onto|through to) (?:yet )?another (?:department|agent|rep\w*|"
        r"advis[oe]r|operator|supervisor|specialist)\b",
        r"transfers? between (?:\w+ ){0,2}?(?:departments?|agents?|teams?|reps?|representatives?|"
        r"staff)\b",
        # A different agent or department counted or spoken to ("three different agents", "a
        # third department"), not "Registration and Warranty are in different departments"; a
        # different or third person only when spoken to ("spoke to a third person", "talked to
        # three different people", "every time I called a different person answered"), not
        # "written in the third person" nor "great for talking to different people".
        r"(?:different" + _COUNTED + r"|third|fourth|fifth) (?:agents?|departments?|"
        r"representatives?|reps?\b|advisors?|advisers?|supervisors?)|different (?:agents?|"
        r"departments?|representatives?|reps?\b|advisors?|advisers?) (?:each|every) time|"
        r"(?:spoke|speak\w*|talk\w*|transferr?ed|passed|put "
        r"through|explain\w* (?:\w+ )?to|(?:each|every) time) (?:to |with )?(?:(?:a |the |yet "
        r"(?:a |another )?)?(?:different|third|fourth|fifth) person|(?:\d+|two|three|four|five|"
        r"six|several|multiple|many|so many) different people)\b|(?:each|every) time (?:i|we) "
        r"(?:call\w*|rang|ring|phon\w*|contact\w*|chat\w*|got through|e-?mail\w*) (?:\w+ ){0,3}?"
        r"(?:i (?:got|get|spoke to|speak to|talked to) )?(?:a |the )?"
        r"(?:different|new) (?:person|agent|rep\w*|advis[oe]r)\b",
        # Sent back and forth between the company's parts, not a film's "back and forth between
        # the park and Bohr's home".
        r"sent (?:me|us) back (?:to|and forth)|back and forth between (?:\w+ ){0,2}?(?:"
        r"departments?|agents?|teams?|people|offices?|branch(?:es)?|stores?|banks?|sellers?|"
        r"compan(?:y|ies)|the (?:bank|seller|store|shop|company|manufacturer|courier|carrier)|"
        r"customer (?:service|support|care)|support|sales|billing|amazon|ups|fedex|usps)\b",
    ),
    "chasing": (
        r"(?:had|have|having|keep|kept) (?:to )?chas(?:e|ing)|chas(?:e|ed|ing) "
        r"(?:them|him|her|it|up|the (?:order|refund|seller|company|parcel|package|delivery)|"
        r"my (?:order|refund|parcel|package|delivery))",
        # Followed up, not promised ("I will follow up in a few weeks") nor read on ("I have
        # followed up reading the book").
        r"(?:i|we|had to|have to|keep|kept) (?!will |['’]ll |shall |would |may |might |can |"
        r"could )(?:\w+ )?follow(?:ed|ing)?[ -]up(?! (?:\w+ing|in (?:a|an|\d+|two|three|"
        r"several|some|few))\b)",
        r"call(?:ed)? (?:back|again)",
        # Calls made to the company ("after 5 calls", "several emails to the seller"), not a
        # headset's "10 calls daily".
        r"(?:after|made|making|sent|sending|placed|it took|took|numerous) (?:\w+ )?"
        + _CALLS
        + r"|"
        + _CALLS
        + r" (?:later|to (?:the |their |customer )?(?:\S+ )?(?:seller|company|support|service|"
        r"store|shop|bank|amazon|them)|and (?:still )?no|(?:\w+ ){0,3}(?:were|went|got) "
        r"(?:not returned|unanswered|ignored))\b",
        r"(?:repeated|several|multiple|many|countless) (?:attempts|efforts|tries) to "
        r"(?:contact|reach|get)",
        # A contact made again, not "make contact again" (a film) nor "call upon him again".
        _CONTACT + r"(?<!make contact)(?<!made contact)(?<!making contact)(?<!eye contact)"
        r"(?! (?:upon|out|themselves|"
        r"myself|ourselves|himself|herself)\b) (?:\w+ ){0,3}" + _TIMES,
        # No answer, not "no answering machine", "a question with no answer", "I have no answer
        # for you" nor "HP has no answers" ("emailed twice with no reply" is chasing).
        # (The look-behinds follow the words, so that the cue needs "reply", "response" or
        # "answer", not only "no ", to run.)
        r"no (?:repl(?:y|ies)|responses?|answer(?<!with no answer)(?<!has no answer)"
        r"(?<!have no answer))\b",
        # Trying to reach the company at all ("tried to contact the company", "no way for me to
        # contact the seller", "cannot get the seller to answer").
        r"(?:tried|trying|try|tries|attempted|attempting|struggl\w+) (?:\w+ )?(?:to )?(?:contact|"
        r"reach|get (?:a ?hold|hold|through|in touch)|speak|talk|call|phone|e-?mail|message)\w* "
        r"(?:to |with |of )?" + _COMPANY,
        r"(?:tried|trying|try|tries|attempted|attempting) (?:\w+ )?(?:to )?"
        r"(?:contact|get in touch)",
        r"no (?:way|means|option|number|phone number|e-?mail(?: address)?) (?:\w+ ){0,3}(?:to |of )"
        r"(?:contact|reach|get (?:a ?hold|hold|through|in touch)|speak|talk)",
        r"(?:get|getting|got|make|made|making) " + _COMPANY + r" (?:to )?(?:even |ever |actually )?"
        r"(?:answer|respond|reply|call|help|get back|refund|honou?r|accept|take (?:it|them) back)",
        r"(?:un)?(?:answered|ignored) (?:my |our )?(?:e-?mails|calls|messages|requests)",
        # The company would not answer or put it right ("the seller won't get back to me").
        r"(?:\w+n['’]?t|not|never) (?:\w+ )?(?:get|got|gotten|getting) back to (?:me|us)\b",
        r"(?:they|seller|sellers|company|amazon|store|shop|vendor|manufacturer|bank|support|"
        r"service) (?:won['’]?t|will not|wouldn['’]?t|would not|refuse[sd]? to|refusing to) "
        r"(?:\w+ )?(?:refund|replace|respond|reply|answer|help|assist|honou?r|"
        + _ACCEPT
        + r"|exchange|"
        r"send (?:me )?(?:a |another|the|my|a new|any)|take (?:it|them) back)",
        r"nobody (?:called|replied)",
        # Only an automated answer ("I never received anything but an automated reply", "got a
        # canned response"); an automated e-mail only when it was all ("just an automated
        # e-mail"), not "an automated email said it shipped" nor a product's feature ("Outlook's
        # automatic replies", "this book gives generic answers").
        r"(?:only|just|but|except|(?:got|get|gets|getting|received?|receiving|heard)(?: back)?"
        r"(?: was| were| is)?|sent (?:me|us)|gave (?:me|us)) (?:an? |the |some |more |another )?"
        r"(?:automated|automatic|auto-?generated|canned|generic|scripted|templated?|copy[- ]?"
        r"(?:and[- ])?paste[ds]?|form) (?:e-?mail |text |chat |message )?(?:repl(?:y|ies)|"
        r"responses?|answers?)\b|(?:only|just|but|except) (?:an? |the |some |more )?"
        r"(?:automated|automatic|auto-?generated|canned|generic|scripted|templated?|form) "
        r"(?:e-?mails?|messages?|texts?|letters?)\b",
        # Any company that will not pay back ("Lexar would not send me a free replacement").
        r"(?:won['’]?t|will not|wouldn['’]?t|would not) (?:even )?(?:give (?:me |us )?(?:a |my |"
        r"our )?refund|refund|reimburse|send (?:me |us )?(?:a |an |another )?(?:\w+ )?"
        r"(?:replacement|refund|new one|return label))",
    ),
    "hassle": (
        # A hassle of the company's process ("such a hassle to return", "returning it was a
        # hassle"), not of a product ("a hassle to clean") nor denied ("no hassle", "hassle-free").
        _HASSLE + r" (?:to|of|with|in) (?:\w+ ){0,2}?" + _PROCESS,
        _PROCESS + r" (?:\S+ ){0,6}?" + _HASSLE,
        # A hassle of reaching or dealing with the company itself, no process named ("dealing
        # with them was a hassle", "a hassle to speak to a human", "a hassle to get anyone on the
        # phone", "dealing with the company has been a nightmare", "calling them was an
        # ordeal", "reaching the support team was a pain"); "get" only with a person,
        # not "a hassle to get them on" of boots.
        _HASSLE + r" (?:to|of|with|in) (?:\w+ ){0,2}?(?:(?:deal\w*|argu\w*) with|(?:speak\w*|"
        r"talk\w*) (?:to|with)|reach\w*|call\w*|phon\w*|get\w*(?: (?:a ?hold|hold) of| "
        r"through to|(?! (?:them|him|her|you|us)\b))) " + _COMPANY,
        r"(?:(?:deal\w*|dealt) with|reaching|calling|phoning|contacting|(?:speaking|talking) "
        r"(?:to|with)|getting (?:a ?hold|hold) of|getting through to) "
        + _COMPANY
        + r" (?:\S+ ){0,6}?(?:"
        + _HASSLE
        + r"|(?:a |an |"
        r"\w+ )?(?:nightmare|headache|ordeal)s?\b|a (?:real |total |huge )?pain\b)",
        # A hassle exclaimed and a vow not to come back ("What a hassle. Never again", "Such a
        # nightmare, I won't be back"): the customer will not deal with the company again; an
        # exclamation alone ("What a pain!" of a jug's cap) or of a product ("What a hassle to
        # clean") is no effort.
        _EXCLAIMED + r" ?[.,!?;:]+\s*(?:\w+\W+){0,6}?" + _VOW + r"\b|never again[\s.,!?;:]+"
        r"(?:\w+\W+){0,3}?" + _EXCLAIMED + r"\b",
        r"jump(?:ing|ed|s)? through (?:\w+ )?hoops|(?:more|endless|so much|all the|lots of|a lot "
        r"of) paperwork",
        r"(?:i|we) (?:had|have) to (?:go|come) back",
        r"(?:too much|so much|a lot of|lots of|such an?) effort",
        r"(?:hard|difficult|impossible|complicated|not easy) to (?:get (?:hold of|"
        + _THROUGH
        + r"|a "
        r"refund|an answer|help|someone|anyone)|reach|contact|return|cancel|claim|navigate|"
        r"deal with)",
        r"(?:complicated|confusing|difficult) (?:process|website|site|checkout|form|return|"
        r"refund|billing|bill|procedure|instructions?|paperwork|onboarding|sign-?up)",
        r"(?:process|website|site|checkout|form|returns?|refund|billing|procedure|onboarding|"
        r"sign-?up|portal) (?:was|is|were|are) (?:so |very |really |too |a bit |quite )?"
        r"(?:confusing|complicated|difficult|a nightmare|a pain)",
        # The company's process would not let the customer through ("impossible to verify my
        # identity", "unable to get a refund", "it could not be returned").
        r"(?:hard|difficult|impossible|unable|can['’]?t|cannot|can not|could(?:n['’]?t| not)|"
        r"not able|no way) (?:to )?(?:seem to )?(?:\w+ )?(?:verify (?:my |our |the |your )?"
        r"(?:\w+ )?(?:identity|id|account|card|address|details|number|email|phone|payment|passport|"
        r"licen[cs]e|top[- ]?up|purchase|order)s?|get (?:a ?hold|hold|" + _THROUGH + r"|"
        r"in touch|a refund|my money|a replacement|an answer|help)|\w+ a ?hold of|reach (?:a |an )?"
        r"(?:human|person|agent|them|anyone|someone)|be (?:returned|refunded|exchanged|reached|"
        r"contacted)|return (?:it|them|the)|cancel (?:my|the|it)|claim (?:my|a|the)|log ?in to my "
        r"account|access my account)\b",
        r"(?:hard|difficult|rough) time (?:verifying|proving|getting (?:hold|a ?hold|"
        + _THROUGH
        + r"|a "
        r"refund|my money)|reaching|contacting|returning|cancel+ing)",
        r"refus\w+ to (?:\w+ )?(?:help|assist|refund|replace|exchange|"
        + _ACCEPT
        + r"|honou?r|reimburse|"
        r"cover|repair|credit|take (?:it |them )?back|give (?:me )?(?:my|a) (?:money|refund))",
        # Trouble with the company's process ("had difficulty returning it").
        r"(?:had|have|having|has) (?:a |some |so much |a lot of |lots of |real |such )?(?:\w+ )?"
        r"(?:difficulty|difficulties|trouble|problems?|issues?) (?:with )?(?:returning|getting "
        r"(?:a |my |the )?(?:refund|money|replacement|hold|a ?hold|"
        + _THROUGH
        + r")|contacting|reaching|"
        r"cancel+ing|exchanging|claiming|verifying)\b",
        r"(?:keeps?|kept) (?:getting |being )?(?:declined|rejected|refused|cancel+ed)",
        r"(?:hard|difficult|impossible) to find (?:the|a|your|their) (?:\w+ )?(?:returns?|"
        r"refund|contact|support|help|cancel\w*|phone number|form)",
    ),
}
#: A cue right after one of these is friction avoided ("without chasing"), not friction.
NEGATION = re.compile(
    r"\b(?:without|no need to|didn't have to|did not have to|never had to|(?:didn't|did not|don't|"
    r"do not|doesn't|does not|won't|never) make (?:me|us|you|her|him|them))\s+(?:\w+\s+)?$"
)


@dataclass(frozen=True)
class _Cue:
    """One cue compiled (from a word boundary, for lower-cased text), its kind, and the literal
    strings a match of it needs: one of ``first`` (found by the scan of every text) and, when
    those are there, one of each of ``also`` (tested then)."""

    kind: str
    pattern: re.Pattern[str]
    first: frozenset[str]
    also: tuple[frozenset[str], ...]


def _compiled(kind: str, cue: str) -> _Cue:
    needs = required_literal_sets(cue)
    if not needs:  # a cue with no literal would be tried on every text (tests forbid it)
        raise ValueError(f"effort cue names no literal it needs: {cue!r}")
    # Sets of short strings (" ", "ke", "to") are in nearly every text: testing them saves nothing.
    also = tuple(one for one in needs[1:] if min(map(len, one)) >= 3)
    return _Cue(kind, re.compile(r"\b(?:" + cue + ")"), needs[0], also)


# Sixty cues tried as one alternation at every word of every text cost 0.38 CPU s per 3,000
# reviews, most of it failing on texts with no cue at all. Each cue needs literal strings
# (:mod:`advocacy.text.regex_literals`): one pass over the text finds which of the cues' first
# strings it holds, a substring test then checks the cue's other strings ("hard to" needs
# "hard" and "return", not only " to "), and only the cues that can match run (docs/
# benchmarks.md "effortspeed" and "effort5").
_ALL = tuple(_compiled(kind, cue) for kind, cues in EFFORT_CUES.items() for cue in cues)
_SCAN = LiteralScan(one for cue in _ALL for one in cue.first)
#: First literal -> the places (in _ALL) of the cues that need it.
_NEEDING: dict[str, tuple[int, ...]] = {
    one: tuple(place for place, cue in enumerate(_ALL) if one in cue.first)
    for one in _SCAN.literals
}


def _hits(cues: list[re.Pattern[str]], text: str) -> int:
    """Matches of ``cues`` as one alternation would find them, less those after a negation.

    Matches do not overlap; at a place where several cues match, the first cue's match counts
    (as in ``re.finditer`` over ``cue1|cue2|...``), and the next search starts after it. Each
    cue's next match is kept until a counted match passes it, so a long text with many cues
    is read once per cue, not once per match.
    """
    ahead = [cue.search(text) for cue in cues]
    hits = 0
    while True:
        found = [(match.start(), place, match) for place, match in enumerate(ahead) if match]
        if not found:
            return hits
        start, _, first = min(found)  # the earlier cue on a tie
        # The 30 characters before the match, not a copy of all of them: a copy per match made
        # a text of many matches quadratic (1.2M characters of "transferred me" took 2.6 s).
        if not NEGATION.search(text[max(0, start - 30) : start]):
            hits += 1
        end = max(first.end(), start + 1)
        ahead = [
            cues[place].search(text, end) if match and match.start() < end else match
            for place, match in enumerate(ahead)
        ]


@dataclass(frozen=True)
class Effort:
    """Effort score (0..1), whether it is high, and the friction kinds found.

    Attributes
    ----------
    score
        1 - 0.5 ** hits, from 0 (no friction cue) towards 1; rounded to 4 places.
    high
        Whether ``score`` reaches :data:`HIGH_EFFORT`.
    cues
        The kinds of friction found (``waiting``, ``repeating``, ``transfers``, ...).

    Examples
    --------
    >>> found = effort("I was transferred three times and had to explain it again")
    >>> found.high, found.cues
    (True, ('repeating', 'transfers'))
    """

    score: float
    high: bool
    cues: tuple[str, ...]


def effort(text: str) -> Effort:
    """Effort described in ``text``.

    Parameters
    ----------
    text
        One comment; empty text has no effort.

    Returns
    -------
    Effort
        The score (0..1), whether it counts as high effort, and the kinds of friction found.

    Examples
    --------
    >>> effort("I was on hold for 40 minutes and then transferred twice").cues
    ('waiting', 'transfers')
    >>> effort("Washed it 2 times and the underwire came out; can't wait to return it").cues
    ()
    """
    lowered = (text or "").lower()
    ready = {place for one in _SCAN.present(lowered) for place in _NEEDING[one]}
    run: dict[str, list[re.Pattern[str]]] = {kind: [] for kind in EFFORT_CUES}
    for place in sorted(ready):  # in the lexicon's order: the earlier cue wins a tie
        cue = _ALL[place]
        if all(any(one in lowered for one in needed) for needed in cue.also):
            run[cue.kind].append(cue.pattern)
    counts = {kind: _hits(cues, lowered) if cues else 0 for kind, cues in run.items()}
    found = tuple(kind for kind, count in counts.items() if count)
    hits = sum(counts.values())
    score = round(1 - 0.5 ** min(hits, 10), 4)
    return Effort(score, score >= HIGH_EFFORT, found)


def effort_scores(texts: Sequence[str]) -> list[Effort]:
    """:func:`effort` for each text."""
    return [effort(text) for text in texts]
