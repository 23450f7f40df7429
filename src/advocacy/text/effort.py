"""Customer effort in a text: does it describe friction (waiting, repeating, being passed around)?

Effort is what the Customer Effort Score asks about (Dixon, Freeman & Toman 2010): customers
punish the work a company makes them do - waiting, repeating themselves, being transferred,
chasing, coming back. We find it with a transparent cue lexicon, one pattern per kind of
friction, because the cues are few and explicit and a user can read exactly why a text was
flagged. The score is ``1 - 0.5 ** cues`` (0 none, 0.5 one cue, 0.75 two, ...); a text is
*high effort* at :data:`HIGH_EFFORT` or above.

References
----------
Dixon, M., Freeman, K. & Toman, N. (2010). Stop trying to delight your customers. Harvard
Business Review 88(7/8), 116-122.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

HIGH_EFFORT = 0.5

#: Kind of friction -> cues (regular expressions, case-insensitive, from a word boundary).
EFFORT_CUES: dict[str, tuple[str, ...]] = {
    "waiting": (
        r"on hold",
        r"wait(?:ed|ing)?\b",
        r"queue[ds]?",
        r"\d+\s*(?:hours?|hrs?|days?|weeks?|minutes?|mins?)\b",
        r"took (?:forever|ages)",
        r"still (?:no|not|waiting)",
        r"never (?:arrived|came|heard)",
        r"delay(?:ed|s)?",
    ),
    "repeating": (
        r"repeat(?:ed|ing)?(?: myself)?",
        r"again and again|over and over",
        r"explain(?:ed)? (?:it )?(?:again|twice|three times)",
        r"same (?:question|story)",
        r"twice|three times|several times|multiple times",
    ),
    "transfers": (
        r"transferr?(?:ed|ing)",
        r"passed (?:around|on|between)",
        r"bounced",
        r"another (?:department|agent)",
        r"(?:different|third|fourth) (?:agent|person|department)",
        r"sent (?:me )?back",
    ),
    "chasing": (
        r"chas(?:e|ed|ing)",
        r"follow(?:ed)?[ -]up",
        r"call(?:ed)? (?:back|again)",
        r"(?:several|multiple|many|\d+) (?:calls|emails|times|visits)",
        r"no (?:reply|response|answer)",
        r"nobody (?:called|replied)",
    ),
    "hassle": (
        r"hassle|complicated|confusing|difficult|impossible",
        r"jump through|paperwork|had to (?:go|come) back",
        r"(?:hard|not easy) to|effort|frustrat\w*",
    ),
}
#: A cue right after one of these is friction avoided ("without chasing"), not friction.
NEGATION = re.compile(
    r"\b(?:without|no need to|didn't have to|did not have to|never had to)\s+(?:\w+\s+)?$"
)
# The patterns read lower-cased text (faster than matching ignoring case); most comments hold
# no cue at all, which one scan for any cue settles.
_PATTERNS = {
    kind: re.compile(r"\b(?:" + "|".join(cues) + ")") for kind, cues in EFFORT_CUES.items()
}
_ANY_CUE = re.compile(r"\b(?:" + "|".join(c for cues in EFFORT_CUES.values() for c in cues) + ")")


def _hits(pattern: re.Pattern[str], text: str) -> int:
    return sum(1 for m in pattern.finditer(text) if not NEGATION.search(text[: m.start()][-30:]))


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
    >>> found = effort("I was transferred three times")
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
    ('waiting', 'repeating', 'transfers')
    """
    lowered = (text or "").lower()
    if _ANY_CUE.search(lowered) is None:
        return Effort(0.0, False, ())
    counts = {kind: _hits(pattern, lowered) for kind, pattern in _PATTERNS.items()}
    found = tuple(kind for kind, count in counts.items() if count)
    hits = sum(counts.values())
    score = round(1 - 0.5 ** min(hits, 10), 4)
    return Effort(score, score >= HIGH_EFFORT, found)


def effort_scores(texts: Sequence[str]) -> list[Effort]:
    """:func:`effort` for each text."""
    return [effort(text) for text in texts]
