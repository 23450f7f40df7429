"""Words that deny praise: a prefix ("unusable", "unsatisfied", "discourteous") or "-less"
("hopeless", "joyless").

An "un-", "dis-", "in-" or "im-" word whose stem is clear praise says the praise is missing:
the room was *unhygienic*, the kettle *unusable*, the customer *unsatisfied*. The sentiment
heads read many such words through their stem's pieces (``▁un`` + ``usable``; "unsatisfied"
is ``▁uns`` + ``atis`` + ``fi`` + ``ed``), and read them as praise, so
:mod:`advocacy.text.negation` counts the prefix as a denial of its stem
(:func:`prefix_blame`).

Which stems are clear praise:

* a word of VADER's lexicon of valence :data:`CLEAR_PRAISE` or more ("satisfied" 1.8, "clean"
  1.7, "safe" 1.9, "kind" 2.4). Weaker stems name a topic or a state as often as praise
  ("unsupported merchant", "unsurprisingly", "unwell", "uncertainty": 1.0-1.3), and review26
  read them flipping neutral questions and tweets to complaints;
* praise of how a company serves, or of whether a product or a place is fit for use, that the
  lexicon lacks or calls weak (:data:`SERVICE_PRAISE`, :data:`FITNESS_PRAISE`, written for
  advocacy: "helpful", "reliable", "usable", "hygienic", "accurate").

"in-" and "im-" deny only the written stems: with any lexicon stem they would misread
"invaluable", "indefinitely", "inactive" and "insure". Words
whose prefix denies nothing are listed (:data:`NOT_DENIALS`: "unlike", "disease",
"unfortunately", which lexread read flipping as many labels right to wrong as wrong to right).
A word the lexicon holds keeps the lexicon's valence; one it lacks takes its stem's valence
reversed (:data:`UNKNOWN_STEM_VALENCE` where the lexicon lacks the stem too: "unusable").
"""

from __future__ import annotations

__all__ = [
    "CLEAR_PRAISE",
    "FITNESS_PRAISE",
    "NOT_DENIALS",
    "SERVICE_PRAISE",
    "UNKNOWN_STEM_VALENCE",
    "denies_praise",
    "prefix_blame",
]

#: The least lexicon valence of a stem that is clear praise (VADER's -4..4 scale).
CLEAR_PRAISE = 1.5
#: The blame of a prefixed word whose stem is a written praise word the lexicon lacks
#: ("unusable", "unreliable"): a mild negative, as a customer problem the lexicon lacks reads.
UNKNOWN_STEM_VALENCE = -1.5


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Praise of how a company or its people serve (written for advocacy): "unhelpful",
#: "unresponsive", "unprofessional", "discourteous", "inattentive", "inefficient".
SERVICE_PRAISE = _words(
    """helpful professional responsive courteous attentive knowledgeable reliable
    accommodating cooperative organised organized competent friendly polite caring
    considerate supportive punctual efficient honest trustworthy capable sincere"""
)
#: Praise of whether a product or a place is fit for use (written for advocacy; the lexicon
#: lacks them): "unusable", "unhygienic", "inedible", "inaccurate", "unsuitable".
FITNESS_PRAISE = _words(
    """usable useable workable functional wearable edible drinkable readable watchable
    playable reachable contactable affordable suitable hygienic sanitary tidy accurate
    correct consistent sufficient appropriate accessible hospitable habitable inhabitable
    practical precise effective"""
)
_WRITTEN = SERVICE_PRAISE | FITNESS_PRAISE
#: Words whose prefix denies nothing, or whose blame the heads read better alone.
NOT_DENIALS = _words(
    """unlike unless disease diseases diseased dispassionate dispassionately
    unfortunate unfortunately"""
)
_OPEN_PREFIXES = ("un", "dis")  # deny any clear-praise stem
_WRITTEN_PREFIXES = ("in", "im")  # deny only the written stems
#: The fewest letters a stem has: "ill" is no denial of "l".
_STEM_LETTERS = 4


def _stem(word: str) -> tuple[str, bool]:
    """The word without its prefix ("" for none), and whether any clear-praise stem counts."""
    for prefix in _OPEN_PREFIXES:
        if word.startswith(prefix):
            return word[len(prefix) :], True
    for prefix in _WRITTEN_PREFIXES:
        if word.startswith(prefix):
            return word[len(prefix) :], False
    return "", False


def prefix_blame(word: str, lexicon: dict[str, float]) -> float:
    """The blame (a negative valence) of a prefixed word that denies praise, else 0.

    Parameters
    ----------
    word
        One lower-case word.
    lexicon
        Word -> valence (VADER's, :func:`advocacy.text.polarity_lexicon.polarity_lexicon`).

    Returns
    -------
    float
        The lexicon's valence where it holds the word ("unsatisfied" -1.7), else the stem's
        reversed ("unclean" -1.7; :data:`UNKNOWN_STEM_VALENCE` for a written stem the lexicon
        lacks: "unusable"); 0 where the stem is no clear praise ("unsupported", "unlimited",
        "united", "inactive") or the word is one of :data:`NOT_DENIALS`.

    Examples
    --------
    >>> lexicon = {"clean": 1.7, "satisfied": 1.8, "unsatisfied": -1.7, "supported": 1.3}
    >>> [prefix_blame(w, lexicon) for w in ("unclean", "unusable", "unsatisfied", "unsupported")]
    [-1.7, -1.5, -1.7, 0.0]
    """
    return _blame(word, lexicon.get(word), lexicon)


def _blame(word: str, held: float | None, lexicon: dict[str, float]) -> float:
    stem, open_prefix = _stem(word)
    if len(stem) < _STEM_LETTERS or word in NOT_DENIALS:
        return 0.0
    praise = lexicon.get(stem, 0.0)
    if not ((open_prefix and praise >= CLEAR_PRAISE) or stem in _WRITTEN):
        return 0.0
    if held is not None:
        return min(held, 0.0)
    return -praise if praise >= CLEAR_PRAISE else UNKNOWN_STEM_VALENCE


_LESS = ("lessness", "lessly", "less")


def denies_praise(word: str, lexicon: dict[str, float]) -> bool:
    """Whether a word denies praise: a prefixed blame word (:func:`prefix_blame`) or a
    "-less" word the lexicon calls negative whose stem is clear praise ("hopeless": hope 1.9,
    "joyless", "careless"; not "useless", whose stem is no praise).

    >>> lexicon = {"hope": 1.9, "hopeless": -2.0, "useless": -1.8, "use": 0.0}
    >>> [denies_praise(w, lexicon) for w in ("hopeless", "hopelessly", "useless", "hope")]
    [True, True, False, False]
    """
    for suffix in _LESS:
        if word.endswith(suffix):
            stem = word[: -len(suffix)]
            held = lexicon.get(word, lexicon.get(stem + "less", 0.0))
            return held < 0 and lexicon.get(stem, 0.0) >= CLEAR_PRAISE
    return prefix_blame(word, lexicon) < 0
