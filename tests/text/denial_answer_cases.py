"""Short answers that praise by denying a fault, and look-alikes that do not (CC0).

Written for advocacy's tests by the negread2 lane (2026-12-07) before its rule was scored on
them: none was copied from a data set, and the shipped model never trained on them. Not
evidence (the rule was written with the brief's examples in mind); the held-out check is
``benchmarks/text_eval.py``. ``test_denial_answers.py`` scores them model alone.
"""

from __future__ import annotations

#: (answer, expected sentiment)
DENIAL_ANSWERS: list[tuple[str, str]] = [
    # praise by denying a fault, a complaint, a problem or a disappointment
    ("Honestly nothing to fault", "positive"),
    ("couldn't fault the service", "positive"),
    ("I can't complain", "positive"),
    ("no complaints from me", "positive"),
    ("They never let us down", "positive"),
    ("has never let me down yet", "positive"),
    ("never had any problems", "positive"),
    ("no issues whatsoever", "positive"),
    ("Not one problem in two years", "positive"),
    ("didn't disappoint", "positive"),
    ("never disappointed", "positive"),
    ("nothing went wrong", "positive"),
    ("no regrets at all", "positive"),
    ("zero complaints", "positive"),
    ("no hassle at all", "positive"),
    ("the case didn't fall apart", "positive"),
    # denied praise and failed expectations stay blame
    ("not happy with the delivery", "negative"),
    ("never got a reply", "negative"),
    ("the app doesn't work", "negative"),
    ("wouldn't recommend them", "negative"),
    ("nobody ever answers the phone", "negative"),
    ("no help at all", "negative"),
    # a denial in a longer complaint, or a question, is not praise
    ("no problems until the update, now it crashes every day", "negative"),
    ("why has nobody fixed the problem?", "negative"),
    ("It let me down badly", "negative"),
    # a denial that states the fault after all (review24's, then the negfix lane's own, written
    # before scoring): a belief or surprise denied, a time the fault came, a complaint not
    # handled, money taken
    ("I can't believe they let me down again", "negative"),
    ("I never thought they would rip me off", "negative"),
    ("Never let me down until this order", "negative"),
    ("The app won't let me down load my statement", "negative"),
    ("No complaint was ever answered", "negative"),
    ("Not one complaint was dealt with", "negative"),
    ("no trouble taking my money", "negative"),
    ("never expected them to let us down", "negative"),
    ("no issues until this week", "negative"),
    ("nobody ever resolved my issue", "negative"),
    ("Couldn't believe how good the food was", "positive"),
    ("no problem getting it fixed", "positive"),
    # neither
    ("neither good nor bad", "neutral"),
]
