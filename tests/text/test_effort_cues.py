"""Effort cues name friction with the company, not a product's use (audit4 item 13: "chasing"
fired on "I wore these bras about 2 times each by the 3rd time the underwire came out"; on 5,958
real clothing and Amazon reviews 588 texts read high effort, and none of 20 of them read by hand
described effort the company made the customer spend). Texts written for this test."""

from __future__ import annotations

from pathlib import Path

import pytest

import advocacy
from advocacy.text import effort
from advocacy.text.model_names import EFFORT_CUES

#: Reviews of products in use: counts of times, durations and difficulty that are no friction.
NO_FRICTION = [
    "Washed it 3 times and the zip came off",
    "I have worn this jacket many times already, love it",
    "Can't wait to wear this to the wedding!",
    "Cannot wait to order it in green",
    "Used it for 2 weeks and the handle snapped",
    "The battery lasts about 6 hours",
    "Hard to open the lid with wet hands",
    "The strap is difficult to adjust",
    "Apply twice a day for best results",
    "Sent it back, too big",
    "The box bounced around in the van and arrived dented",
    "I passed on the blue one and bought the grey",
    "Effortless to clean",
    "The charger took 14 hours to fill the battery the first time",
    "It took forever to heat up",
    "The seller followed up to ask if I was happy, lovely touch",
    "I've dropped my phone several times and the case held up",
    "Still not as soft as my old one",
    "Kids ask for this story over and over",
    # Words the company-side cues use, about a product or one's own doing (review23 item 2).
    "I haven't washed it yet but the colour looks great",
    "Still haven't found a recipe it can't handle",
    "I still don't have a favourite, they are all lovely",
    "Tried to reach the top shelf with it and it bends",
    "The zip refuses to close over my calves",
    "I transferred my photos to the new phone in minutes",
    "I transferred money to my son and it was there in seconds",
    "Haven't seen any rust yet after a winter outside",
    "Tried calling my mum on it and the sound is clear",
]

#: Friction with the company, by the kind the cue should name.
FRICTION = [
    ("I emailed the shop 4 times before anyone answered", "chasing"),
    ("Contacted the seller twice and got no reply", "chasing"),
    ("After repeated attempts to contact support I gave up", "chasing"),
    ("I had to explain the fault three times to three people", "repeating"),
    ("The agent asked me to repeat my postcode", "repeating"),
    ("My delivery was cancelled twice without warning", "repeating"),
    ("I got transferred to billing and then back again", "transfers"),
    ("I was passed around between departments for an hour", "transfers"),
    ("Waited three weeks for the refund", "waiting"),
    ("The parcel arrived ten days late", "waiting"),
    ("It was supposed to arrive Friday and came late again", "waiting"),
    ("Still haven't received my replacement", "waiting"),
    ("It took forever to arrive", "waiting"),
    ("I have been waiting for a reply since Monday", "waiting"),
    ("Returning it was such a hassle", "hassle"),
    ("The returns process was a nightmare", "hassle"),
    ("Impossible to find the contact form on their site", "hassle"),
]


#: Friction with the company that states no count, no duration word of the old cues and no
#: process word: still without what it owes, unable to reach it, stopped by its checks, refused
#: (review23 item 2: the v2 cues read all of these as no effort).
COMPANY_FRICTION = [
    ("Ten days on and I still do not have the replacement they promised", "waiting"),
    ("My wages went in on Monday and they are still not showing in my account", "waiting"),
    ("The payment to my landlord is still pending since Friday", "waiting"),
    ("Returned the boots a month ago and have not received my money back yet", "waiting"),
    ("I am yet to receive the parcel I paid express for", "waiting"),
    ("The order should have arrived last week and nothing", "waiting"),
    ("There is no way to contact the shop except a form nobody reads", "chasing"),
    ("Tried to get in touch with the seller about a missing part, nothing", "chasing"),
    ("Could not get the company to respond to a single message", "chasing"),
    ("The seller won't get back to me about the broken lid", "chasing"),
    ("The app keeps telling me it cannot verify my passport", "hassle"),
    ("It is impossible to get hold of a human at this bank", "hassle"),
    ("They refused to refund me even though it never worked", "hassle"),
    ("Unable to get a refund because the label was removed", "hassle"),
    ("My card keeps getting declined at every till this week", "hassle"),
]


#: What never came, told without naming it or with no count of the old cues, trouble with the
#: company's process, and companies that will not pay back. The v3 cues read 12 of these 17 as
#: no effort; the other five ("taking so long", "have yet to see it", "Took 4 days to get here",
#: "such a hassle I gave up", "Made 6 calls") v3 read too, and they guard v4's narrower cues.
UNNAMED_FRICTION = [
    ("Never got mine in the mail", "waiting"),
    ("Pending, pending, pending! Where is my money", "waiting"),
    ("Ordered two in May and the second was never received", "waiting"),
    ("The parcel got lost in the post", "waiting"),
    ("It's been 3 weeks and still no card", "waiting"),
    ("It's been a month since I sent it back. Nothing.", "waiting"),
    ("Still nothing from the seller about my return", "waiting"),
    ("The transfer has been pending for too long", "waiting"),
    ("Why is it taking so long for my payment to go through?", "waiting"),
    ("I was promised a refund but have yet to see it", "waiting"),
    ("Took 4 days to get here and the box was crushed", "waiting"),
    ("I had difficulty returning the broken one", "hassle"),
    ("Sending it back was such a hassle I gave up", "hassle"),
    ("The maker refused to reimburse me for the repair", "hassle"),
    ("The app is having trouble verifying my identity", "hassle"),
    ("Acme would not send me a replacement", "chasing"),
    ("Made 6 calls to their support line before anyone helped", "chasing"),
]

#: Words of those cues about a product, denied, or of the customer's own doing: a hassle, a
#: delay or hours of the product's own, "still nothing" of a device, calls made with a headset.
UNNAMED_NO_FRICTION = [
    "Hassle-free returns and a great fit",
    "No hassle at all to set up",
    "It's a hassle to clean the filter every week",
    "Worth the hassle for the sound alone",
    "The battery took 14 hours.",
    "The battery took 14 hours to charge",
    "Assembly took 3 hours",
    "It takes 6 hours or more to charge",
    "It took 2 weeks for my skin to adjust",
    "Changed the batteries and still nothing",
    "It's been 2 months and it still smells",
    "I never got the hang of it",
    "Never got it to work properly",
    "There is a half-second delay when I click",
    "The delay start function is handy",
    "No more waiting in line for the microwave",
    "I have yet to see a better one",
    "I make about 10 calls a day with this headset",
    "Repeat two or three times until the pan is seasoned",
    "The strap started to give out after a few times",
    "I still haven't gotten used to the keys",
    "My card was stolen, how do I freeze it?",
]


#: How long a product has lasted, told like a wait (review24 item 5): the time, then what did
#: not happen, is praise.
PRODUCT_LASTED = [
    "It's been 6 months and no sign of wear",
    "It's been 2 months and nothing but compliments",
    "It has been 3 weeks and nothing has broken",
    "I never received anything but compliments",
    "It's been 6 months and no sign of the product breaking down",
    "It's been 2 months and nothing to complain about",
    "It's been 3 months and nothing yet has gone wrong",
]

#: The time, then what the company owes that did not come: still a wait.
STILL_WAITED = [
    "It's been a month and no sign of my refund",
    "It's been 3 weeks, no sign.",
    "It's been 2 weeks and no sign of my order arriving",
    "It has been 3 weeks and nothing yet from the seller",
    "It's been 10 days and nothing has arrived",
    "It's been a week now and still nothing has been given back to me",
    "I never received anything but they charged me twice",
]

#: A hassle with the company itself, no process named (review24 item 6).
COMPANY_HASSLE = [
    "Dealing with them was a hassle",
    "It was a huge hassle to get anyone on the phone",
    "A hassle to speak to a human",
    "Such a hassle to get hold of someone at the bank",
    "Dealing with the company has been a nightmare",
    # Reaching, calling or speaking to the company, told first (review25 item 4).
    "Reaching the support team was a pain",
    "Calling them was an ordeal",
    "Speaking to someone was a hassle",
]

#: A hassle with a product: pronouns and things one gets on or deals with.
PRODUCT_HASSLE = [
    "Reaching the top shelf was a pain",
    "A hassle to get them on and off",
    "It's a hassle to deal with the cords",
    "Dealing with the straps is a hassle",
    "Dealing with the stains is a pain",
]


#: Friction told as an automated answer or a hassle one will not go through again (issue #17).
ANSWERED_BY_NOBODY_OR_VOWED = [
    ("I never received anything but an automated reply", "chasing"),
    ("Emailed twice, got a canned response", "chasing"),
    ("All I got back was an automated response", "chasing"),
    ("Still nothing but automated emails", "chasing"),
    ("What a hassle. Never again", "hassle"),
    ("Such a nightmare, we won't be back", "hassle"),
    ("What a hassle!! I will never order from them again", "hassle"),
    # A company asking again for what it was told, spoken to by one person after another.
    ("They kept asking me the same questions", "repeating"),
    ("Netgear kept requesting the same information from me", "repeating"),
    ("I spoke to a different person every time", "transfers"),
    ("We were sent back and forth between customer service and billing", "transfers"),
    ("I was passed around from department to department", "transfers"),
    # review26 items 3-5: the vow, the answer and the transfer kept after narrowing them.
    ("What a nightmare! I will never use this company again", "hassle"),
    ("What an ordeal. Never again will I order from them", "hassle"),
    ("They sent me a generic reply", "chasing"),
    ("Every time I called a different person answered and I had to start over", "transfers"),
    ("I talked to three different people and nobody could help", "transfers"),
    ("I was passed on to another department", "transfers"),
    ("Each time I was asked the same questions", "repeating"),
    ("I had to tell the same story to three agents", "repeating"),
    ("What a nightmare, we will never go back there", "hassle"),
    ("Each time I called the office a new person picked up", "transfers"),
]

#: A book's, a film's or a chat's words that name no company (real Amazon book and DVD reviews
#: and Reddit comments read friction in them: "against" held "again", "third person" a transfer).
NOT_THE_COMPANY = [
    "A deal with prosecutors to give evidence against Lecter",
    "Most people who call themselves anarchists are against the free market",
    "I can not tell you how many times I have bought one of these",
    "Tell me again how this is fine?",
    "Every book now has the same story line",
    "I have the exact same question",
    "It feels weird reading an article talking about itself in the third person",
    "No, sadly it was from a different person",
    "The chapters go back and forth between the views of two brothers",
    "Every time a new one came out, I purchased it",
    "Got an automated email saying it had shipped",
    "What a hassle to clean. Never again",
    "What a pain!! The cap leaks",
    "Judgment was passed on these kids long before the trial",
    "It's embarrassing that this gets passed around as scholarship",
    # review26 items 3-5: praise, a film, a product's feature, a story, an heirloom, small talk.
    "What a hassle! I never have to think about it again thanks to this app",
    "What a headache! With this router I never have to reset it again",
    "What a nightmare! I won't hesitate to come again",
    "My old vacuum? What a nightmare. Never again will I buy a cheap one, this one is great",
    "The movie was awful. What a nightmare. I will never watch it again",
    "What a nightmare my old one was! I will never use another brand again",
    "What a hassle! I'll never go back to paper maps again",
    "Outlook's automatic replies feature works great",
    "Gmail canned responses save me hours",
    "The chatbot gives generic answers to every prompt",
    "Great for talking to different people",
    "Both films told the same story",
    "The author tells the same story twice",
    "Many readers asked the same question",
    "This book answers the same questions as his last one",
    "This recipe was passed on to me by my grandmother",
    "My ring was passed on to me from my mother",
    "We got passed on the highway",
]


#: A transfer of money, files, weapons or a prisoner, and a company's parts only named: nobody
#: passed the customer on (the v6 cues read a transfer in each: any "was/being transferred").
NO_CUSTOMER_PASSED = [
    "Weapons are being transferred to the front",
    "Can my salary be received and transferred to my current currency?",
    "We visited the camp to which he was transferred near the end",
    "My friend transferred me $50 but it has not come through",
    "The light blinks while files are being transferred",
    "I transferred money to the wrong person by mistake",
    "Can I make transfers between accounts?",
    "She said billing and warranty are in different departments",
    "I am excited to have another agent to make the numbers look pretty",
]

#: The customer or their call passed on (the v6 cues missed the first five).
CUSTOMER_PASSED = [
    "They kept transferring my call",
    "We were passed from one agent to another",
    "I was passed from one department to another",
    "Transferred 3 times, nobody helped.",
    "Put on hold and transferred to their 'special' department",
    "I was transferred",
    "They transferred me to billing",
    "My call was transferred to the wrong department",
    "I've been transferred four times today",
    "On hold for an hour and then transferred to someone else who hung up",
    "I was put through to another department",
]

#: A chore a product ended, a book or a film hard to get through, a promise to follow up, a
#: phone without an answering machine, a story's "make contact again", a sermon told "again
#: and again", emphasis ("I have to repeat that"), "refusal to accept" of a person, an author
#: who "never came up with" a sequel: the v6 cues read effort in each.
CHORE_ENDED_OR_NOT_THE_COMPANY = [
    "What a hassle. Never again, thanks to this gadget",
    "What a nightmare. Never again, this machine does it for me",
    "The second half was slow and hard to get through",
    "We could not even get through the first 30 minutes",
    "I have followed up reading the book with the workbook",
    "I will follow up in a few weeks with results",
    "This phone has no answering machine",
    "It's time to make contact again",
    "He has to call upon the spirit again",
    "I have been told again and again to trust the process",
    "Don't tell us 100 times!",
    "I have to repeat that: this is the best album",
    "He refused to accept responsibility for the crash",
    "He still hasn't gotten around to that part of the story",
    "She never came up with a fourth book",
]

#: Friction told in the words those cues now read more narrowly: still read.
NARROWED_FRICTION = [
    ("What a hassle. Never again!", "hassle"),
    ("It is impossible to get through to anyone at the bank", "hassle"),
    ("I couldn't get through on their help line", "hassle"),
    ("The store refused to accept my return", "hassle"),
    ("I followed up twice and heard nothing", "chasing"),
    ("I emailed twice with no response", "chasing"),
    ("I have no reply from the seller", "chasing"),
    ("I called them three times", "chasing"),
    ("I had to tell them my address three times", "repeating"),
    ("I had to repeat everything to the second agent", "repeating"),
    ("I still haven't gotten my refund", "waiting"),
    ("The parcel never came to me", "waiting"),
]


@pytest.mark.parametrize("text", NO_CUSTOMER_PASSED + CHORE_ENDED_OR_NOT_THE_COMPANY)
def test_no_customer_passed_on_and_a_chore_ended_are_no_effort(text: str) -> None:
    found = effort(text)
    assert found.cues == () and found.score == 0.0 and not found.high


@pytest.mark.parametrize("text", CUSTOMER_PASSED)
def test_the_customer_or_their_call_passed_on_is_a_transfer(text: str) -> None:
    found = effort(text)
    assert "transfers" in found.cues and found.high


@pytest.mark.parametrize(("text", "kind"), NARROWED_FRICTION)
def test_friction_in_the_narrowed_cues_words_is_still_effort(text: str, kind: str) -> None:
    found = effort(text)
    assert kind in found.cues and found.high


@pytest.mark.parametrize(("text", "kind"), ANSWERED_BY_NOBODY_OR_VOWED)
def test_an_automated_answer_or_a_vowed_hassle_is_effort(text: str, kind: str) -> None:
    found = effort(text)
    assert kind in found.cues and found.high


@pytest.mark.parametrize("text", NOT_THE_COMPANY)
def test_words_that_name_no_company_are_no_effort(text: str) -> None:
    found = effort(text)
    assert found.cues == () and found.score == 0.0 and not found.high


@pytest.mark.parametrize("text", PRODUCT_LASTED + PRODUCT_HASSLE)
def test_how_long_a_product_lasted_or_its_hassle_is_no_effort(text: str) -> None:
    found = effort(text)
    assert found.cues == () and found.score == 0.0 and not found.high


@pytest.mark.parametrize(("text", "kind"), [(text, "waiting") for text in STILL_WAITED])
def test_the_time_and_what_never_came_is_still_a_wait(text: str, kind: str) -> None:
    found = effort(text)
    assert kind in found.cues and found.high


@pytest.mark.parametrize("text", COMPANY_HASSLE)
def test_a_hassle_reaching_or_dealing_with_the_company_is_effort(text: str) -> None:
    found = effort(text)
    assert found.cues == ("hassle",) and found.high


@pytest.mark.parametrize(("text", "kind"), UNNAMED_FRICTION)
def test_friction_told_without_naming_it_is_effort(text: str, kind: str) -> None:
    found = effort(text)
    assert kind in found.cues and found.high


@pytest.mark.parametrize("text", UNNAMED_NO_FRICTION)
def test_a_products_hassle_delay_or_hours_are_no_effort(text: str) -> None:
    found = effort(text)
    assert found.cues == () and found.score == 0.0 and not found.high


@pytest.mark.parametrize(("text", "kind"), COMPANY_FRICTION)
def test_friction_without_a_count_or_duration_is_still_effort(text: str, kind: str) -> None:
    found = effort(text)
    assert kind in found.cues and found.high


@pytest.mark.parametrize("text", NO_FRICTION)
def test_a_product_in_use_is_no_effort(text: str) -> None:
    found = effort(text)
    assert found.cues == () and found.score == 0.0 and not found.high


@pytest.mark.parametrize(("text", "kind"), FRICTION)
def test_friction_with_the_company_is_effort_of_its_kind(text: str, kind: str) -> None:
    found = effort(text)
    assert kind in found.cues and found.high


def test_friction_avoided_is_no_effort() -> None:
    assert effort("Sorted without chasing, no need to call again").cues == ()


def test_a_workspace_read_with_the_old_cues_is_read_again(tmp_path: Path) -> None:
    # Stored effort is read again only for texts the current models did not label; the cues'
    # version is part of that label, so a workspace analysed before these cues loses the
    # high effort the old cues gave "It took forever to heat up".
    path = tmp_path / "mentions.csv"
    path.write_text(
        "text,platform\nIt took forever to heat up,store\nThe lid is fine,store\n",
        encoding="utf-8",
    )
    with advocacy.open(tmp_path / "w.duckdb") as ws:
        ws.import_file(path, kind="mentions")
        ws.text.analyze()
        current = _models(ws)[0]
        assert current.endswith(f"; {EFFORT_CUES}")
        older = current.removesuffix(f"; {EFFORT_CUES}")  # as stored before the cues' version
        ws.db.execute("UPDATE text_features SET model = ?, effort = 1.0", [older])
        ws.text.analyze()
        features = ws.text.features()
        models = _models(ws)
    assert features["effort"].max() < 0.5
    assert models == [current, current]


def _models(ws: advocacy.Workspace) -> list[str]:
    """The stored ``text_features.model`` of every text."""
    return [str(row[0]) for row in ws.db.fetchall("SELECT model FROM text_features")]
