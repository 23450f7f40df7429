"""Short survey answers whose sentiment a negation, a denial or an emoji decides (CC0).

Written for advocacy's tests by the negread lane (2026-12-07), in its own words: none was
copied from a data set or from the audit that found the problem (audit4 item 7), and the
shipped model never trained on them. ``test_short_answers.py`` scores them model alone and
through a calibration fitted on real reviews.
"""

from __future__ import annotations

#: (answer, expected sentiment)
SHORT_ANSWERS: list[tuple[str, str]] = [
    # denied praise and failed expectations
    ("not pleased at all", "negative"),
    ("Not impressed", "negative"),
    ("wasn't helpful", "negative"),
    ("not worth the money", "negative"),
    ("the app doesn't work", "negative"),
    ("nobody called me back", "negative"),
    ("would not order again", "negative"),
    ("never arrived", "negative"),
    ("not what I ordered", "negative"),
    ("Not satisfied", "negative"),
    ("isn't comfortable", "negative"),
    ("not friendly staff", "negative"),
    ("not fun", "negative"),
    # a modal's comparative: it fell short
    ("could have been better", "negative"),
    # emoji say how the customer felt
    ("👎", "negative"),
    ("😠😠", "negative"),
    ("😞", "negative"),
    # praise by denial
    ("not disappointed at all", "positive"),
    ("never had a problem", "positive"),
    ("no complaints here", "positive"),
    ("couldn't be happier", "positive"),
    ("nothing to fault", "positive"),
    ("wasn't any trouble", "positive"),
    ("didn't have to wait", "positive"),
    ("no hassle whatsoever", "positive"),
    ("can't fault the staff", "positive"),
    ("not a single issue", "positive"),
    ("never let me down", "positive"),
    ("👍👍", "positive"),
    ("😍", "positive"),
    ("🙂", "positive"),
    ("❤️", "positive"),
    # neither
    ("not sure yet", "neutral"),
    ("neither good nor bad", "neutral"),
    ("😐", "neutral"),
]
