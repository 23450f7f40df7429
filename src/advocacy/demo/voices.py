"""The demo's other voices: social posts and reviews, interview notes, employee comments.

All text is our own, written for Lumen & Oak, the fictional retailer of the demo. ``{unit}``,
``{product}`` and ``{day}`` are filled in at generation time.
"""

from __future__ import annotations

#: sentiment -> social posts and reviews.
MENTIONS: dict[str, tuple[str, ...]] = {
    "positive": (
        "Shout out to @lumenandoak for the fastest sofa delivery ever. Sat on it within 48h",
        "New {product} from Lumen & Oak and honestly obsessed",
        "If you need a reading lamp that doesn't look like an office, Lumen & Oak. Trust me.",
        "Five stars. Friendly staff at the {unit} store, helped me load the car in the rain.",
        "Been a member two years, the free delivery alone has paid for it many times over.",
        "Returned something without a single question asked. This is how it should be done.",
        "The room planner in the Lumen & Oak app is so good, rearranged my whole flat",
        "Great quality linen, still going strong after a year of weekly washes.",
        "Lumen & Oak customer service actually answered the phone in 2 mins?? who are you",
        "Recommended them to my sister and she's now furnished her whole place there lol",
        "Solid furniture, fair prices, nice people. Nothing more to say.",
        "The {unit} store team are a delight. Always helpful, never pushy.",
        "Finally a shop where the photos match what turns up.",
        "Ordered {day}, arrived next day, assembled in 20 min. 10/10",
        "Tip: the Lumen & Oak outlet section is where the bargains are.",
        "My {product} from Lumen & Oak is still perfect three years on.",
        "love love love my new rug from @lumenandoak",
        "Easy checkout, clear tracking, careful drivers. Would order again.",
    ),
    "neutral": (
        "Anyone tried the Lumen & Oak membership? Worth it?",
        "Lumen & Oak sale starts {day} apparently",
        "Decent shop, a bit pricey. The {product} was fine.",
        "Three stars. Delivery was ok, box was a bit beaten up.",
        "Went to the {unit} store for a look, nice stuff but long till queue.",
        "Is it just me or has the Lumen & Oak app changed again",
        "Lumen & Oak vs the big chains for a first flat? Opinions please",
        "Got my order. It's fine. Colour slightly off from the website.",
        "The new Lumen & Oak catalogue is out, some nice autumn pieces",
        "Average experience. Nothing went wrong, nothing stood out.",
        "Membership fee went up a bit this year, still thinking about it",
        "Returned a lamp, refund took a week. Fine I guess.",
    ),
    "negative": (
        "@lumenandoak been on hold for 45 minutes. Again. Is anyone there?",
        "Charged twice for one order by Lumen & Oak, three weeks later still no refund. Avoid.",
        "One star. Delivery no-show on {day}, took a day off work for nothing.",
        "The {unit} store is a shambles. One till open, nobody to help, half the stock missing.",
        "Lumen & Oak billing is a mess. Third wrong invoice this year.",
        "My {product} fell apart in a month. Quality isn't what it was.",
        "Why does it take five phone calls to get a return collected @lumenandoak",
        "Staff at the {unit} branch were rude and clearly fed up. Won't be going back.",
        "App crashed mid-checkout and I still got charged. Brilliant.",
        "Avoid the membership, they kept billing me after I cancelled.",
        "Waited 2 weeks for a reply to an email. Customer service is non-existent.",
        "Cracked panel on arrival, replacement also cracked. What is going on.",
        "Prices up, quality down, service slower. Lumen & Oak used to be great.",
        "Honestly the {unit} store needs more people, the ones there are run ragged",
        "Lumen & Oak refund still missing. Support just copy-paste the same answer.",
        "worst delivery experience ever, driver left our sofa on the pavement",
    ),
}

#: Interview and call notes taken by the customer team.
NOTES: tuple[str, ...] = (
    "Customer has been a member since launch. Loves the product range, frustrated by two billing "
    "errors this year. Would recommend to friends 'if billing was sorted'.",
    "Called about a missing part for the {product}. Has referred three friends, all still "
    "customers. Wants a faster way to order spares.",
    "Long-time customer, shops mainly at the {unit} store. Says waits at the service desk have "
    "got much worse since spring. Considering shopping elsewhere.",
    "Interview: chose us for quality over price. Thinks delivery is the best in the market. "
    "Never thought of referring anyone, 'nobody asked'.",
    "Small business customer furnishing an office. Needs invoices with company details; had to "
    "ask three times. Otherwise very positive.",
    "Complaint call. Charged after cancelling membership. Refund promised within five days. "
    "Customer angry, mentioned posting a review.",
    "Follow-up after detractor score. Main issue was the hold time (over 40 minutes). Issue now "
    "resolved; customer appreciated the call back.",
    "Interview: would recommend the stores but not the app. App logs her out constantly.",
    "Customer praised Tom at the {unit} store by name. Has brought her parents in twice.",
    "Exit interview with cancelling member. Reason: price rise and slower support. Would "
    "consider returning for a loyalty offer.",
    "Customer reports a pattern: every third delivery slot is missed. Lives in a rural area. "
    "Suggests a local collection point.",
    "Promoter who has never referred. Said she didn't know there was a referral scheme and would "
    "happily share a code.",
    "Detractor call. Bought a {product} that broke within weeks; replacement had the same fault. "
    "Wants a refund, not another replacement.",
    "Interview with a design-desk customer. Very happy with the advice, felt listened to. "
    "Spent more than planned and 'doesn't regret a penny'.",
    "Call about a returned rug. Refund short by delivery charge. Agreed to refund in full.",
    "Customer says staff at the {unit} store seem stressed and understaffed, 'it's not their "
    "fault'. Service there is noticeably slower than the city store.",
    "Referred two colleagues last year, both bought. Asked if there's any reward for referrers.",
    "Interview: switched from a competitor because of the returns policy. Sees it as a safety "
    "net that makes her buy more.",
    "Passive respondent. Happy enough, but the membership renewal price 'made me think twice'.",
    "Call from a customer with a billing error on an instalment plan. Third contact on the same "
    "issue. Escalated to billing team lead.",
    "Customer interviewed in store. Likes touching the fabrics before buying; uses the app only "
    "for tracking.",
    "Follow-up on a missed delivery on {day}. Customer lost a day's pay. Offered a voucher; "
    "customer accepted but said trust is damaged.",
    "Interview: family of five, heavy users of the outlet section. Would recommend on value alone.",
    "Customer wants clearer dimensions on product pages after a sofa did not fit through the "
    "door. Return handled well.",
    "Call: chatbot could not hand over to a person. Customer found the phone number via social "
    "media. Suggest a visible 'talk to a human' option.",
    "Interview with a landlord buying for rental flats. Values consistency and quick delivery; "
    "refers other landlords often.",
    "Detractor interview. Three visits to the {unit} store to sort one return. 'Nobody there "
    "has the authority to fix anything.'",
    "Customer was delighted by a price-drop refund made without asking. Told 'everyone at work'.",
    "Member since two years; uses membership perks heavily. Concerned by quality of recent "
    "towels and bedding, says it has slipped.",
    "Call about onboarding: two accounts created by mistake, double membership fee charged. "
    "Merged accounts and refunded.",
    "Interview: would recommend for furniture but not for small items, finds them overpriced.",
    "Customer asked to be contacted only by email. Generally positive, quiet promoter.",
    "Promoter with strong social following. Posts about purchases regularly. Open to a "
    "partnership.",
    "Customer escalated after being passed between five agents. Root cause: order split across "
    "two warehouses. Case closed after full refund of delivery.",
    "Interview: likes the brand values and the repair service. Wants more sustainable packaging.",
    "Call from elderly customer who cannot use the app. Needs phone ordering to stay easy.",
)

#: eNPS band -> employee comments.
EMPLOYEE_COMMENTS: dict[str, tuple[str, ...]] = {
    "promoter": (
        "I like that my manager asks for my ideas and actually uses them.",
        "Good team, good training, I can see where my career could go here.",
        "We're trusted to fix things for customers without asking permission.",
        "Proud of the products we sell and the way we treat people.",
        "Flexible shifts that fit around my family. Really appreciate it.",
        "Recognition is genuine here, not just a certificate once a year.",
        "My supervisor coaches me instead of checking up on me.",
        "Great people. Customers notice how much we enjoy working together.",
        "The new starter training was the best I've had anywhere.",
        "Clear goals and a team that pulls together when it's busy.",
    ),
    "passive": (
        "It's a decent place to work, pay could be better.",
        "Training is ok but mostly on the job, would like more product knowledge sessions.",
        "Managers are fine, communication from head office is patchy.",
        "I like the customers, the systems are slow and get in the way.",
        "Not sure what the next step is for me here.",
        "Good days and bad days. Weekends are tough with the staffing.",
        "The vision sounds good in meetings but doesn't change much on the floor.",
        "Colleagues are great, recognition is hit and miss.",
        "We could do more for customers if the returns rules were simpler.",
        "OK overall. Would like more say in how the rota is made.",
    ),
    "detractor": (
        "We're always short-staffed, so customers wait and we get the blame.",
        "Nobody listens when we raise problems. The same issues every week.",
        "My supervisor only talks to me when something has gone wrong.",
        "No training on the new systems, we learn by making mistakes in front of customers.",
        "There's no career path here. People leave as soon as they're any good.",
        "Leadership keeps changing priorities and we never hear why.",
        "I'm tired of apologising for billing errors I can't fix.",
        "Queues out the door and two of us on the floor. It's not sustainable.",
        "Recognition? I can't remember the last time anyone said thank you.",
        "Morale at our store is the lowest I've seen it.",
        "The targets are unrealistic and we're measured on speed, not on helping people.",
        "Half the team is on agency contracts and nobody knows the products.",
    ),
}
