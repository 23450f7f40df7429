"""Whether a short text's words are English words, by how often English and other languages
write them.

A language detector reads letters, and one to three words give it too few: alone, "Péssimo" and
"Muy malo" had no language and were read by the English model as neutral (review27 finding 8),
while "Congrats dude!" read Tagalog and was refused. Words tell more than their letters here:
"congrats" and "dude" are English words, "péssimo" is no English word, and English writes "bom"
a thousand times less often than Portuguese. So each word of a text of at most
:data:`SHORT_WORDS` words is looked up in ``models/english_words.txt`` (built by
``tools/build_english_words.py`` from wordfreq's frequencies: the 90,000 English words of Zipf 2
or more, each with its English Zipf frequency minus the highest another Latin-script language gives
it) and counted as

- **English**: listed, and English writes it no more than :data:`ENGLISH_MARGIN` (in log10)
  less often than the language that writes it most ("great", "ok", "no", "super");
- **foreign**: listed, and English writes it much less often than another language ("bom",
  "bien", "gut");
- **unknown**: not listed ("péssimo", "recomendo", a rare name, a typo). A word drawn out
  ("Yaaaay", "Noooo") is looked up with its repeated letters shortened to two, then one.

A word of one letter (or one letter repeated: "xxxx") and an unlisted word in capitals of at
most four letters (an acronym: "QZXW") tell nothing and are not counted. The counts' verdict
is :func:`english_verdict`'s; the language detector (:mod:`advocacy.text.language`) asks it only
for the texts it cannot tell alone and no batch of texts decides.

References
----------
Speer, R. (2022). wordfreq: v3.0. Zenodo. https://doi.org/10.5281/zenodo.7199437
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

__all__ = [
    "ENGLISH_MARGIN",
    "ENGLISH_WORDS_FILE",
    "SHORT_WORDS",
    "WordCounts",
    "english_verdict",
    "word_counts",
]

#: The shipped list (``tools/build_english_words.py``): word, tab, English Zipf frequency minus
#: the highest Zipf frequency of another Latin-script language.
ENGLISH_WORDS_FILE = Path(__file__).parent / "models" / "english_words.txt"
#: A listed word counts as English unless English writes it more than this (log10) less often
#: than another language does. Chosen on the development texts of ``benchmarks/language_eval.py
#: --short`` (-1.0 refused 0.6 points more English texts and 0.3 points fewer others): "ok"
#: (-0.7), "no" (-0.8) and "pies" (-1.2) stay English, "bom" (-2.6), "bien" (-3.3) and, alone,
#: "pie" (-2.3: Latvian writes "pie", "at", 200 times more often) do not.
ENGLISH_MARGIN = -2.0
#: Texts of at most this many words (split at white space) are judged by their words.
SHORT_WORDS = 3
#: A run of letters (any script; digits and underscores are not letters).
_WORD = re.compile(r"[^\W\d_]+")
#: A letter repeated three times or more ("yaaaay").
_DRAWN_OUT = re.compile(r"([^\W\d_])\1{2,}")


class WordCounts(NamedTuple):
    """How many words of a text are English, foreign and unknown (module docstring)."""

    english: int
    foreign: int
    unknown: int


@lru_cache(maxsize=1)
def _margins() -> dict[str, float]:
    margins: dict[str, float] = {}
    for line in ENGLISH_WORDS_FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            word, margin = line.split("\t")
            margins[word] = float(margin)
    return margins


def _margin(word: str) -> float | None:
    margins = _margins()
    if word in margins:
        return margins[word]
    for candidate in (_DRAWN_OUT.sub(r"\1\1", word), _DRAWN_OUT.sub(r"\1", word)):
        if candidate in margins:
            return margins[candidate]
    return None


def word_counts(text: str) -> WordCounts | None:
    """The English, foreign and unknown words of ``text``; None when it has more than
    :data:`SHORT_WORDS` words (its letters tell its language better than a word count).

    Examples
    --------
    >>> word_counts("Congrats dude!"), word_counts("Muy malo"), word_counts("Bom")
    (WordCounts(english=2, foreign=0, unknown=0), WordCounts(english=0, foreign=2, unknown=0), \
WordCounts(english=0, foreign=1, unknown=0))
    """
    if len(text.split()) > SHORT_WORDS:
        return None
    english = foreign = unknown = 0
    for word in _WORD.findall(unicodedata.normalize("NFC", text)):
        if len(set(word)) < 2:
            continue  # one letter, or one letter held down ("xxxxxx")
        margin = _margin(word.lower())
        if margin is None:
            if word.isupper() and len(word) <= 4:
                continue  # an acronym
            unknown += 1
        elif margin >= ENGLISH_MARGIN:
            english += 1
        else:
            foreign += 1
    return WordCounts(english, foreign, unknown)


def english_verdict(counts: WordCounts, *, detector_says_english: bool) -> bool | None:
    """Whether a short text with these :func:`word_counts` is English (True), is not (False),
    or its words do not say (None: as many English words as others, or no word counted).

    More English words than others: English ("Congrats dude!", "Wait a minute"). No English
    word but a foreign one: not English ("Muy malo", "Bom"). Fewer English words than others:
    not English ("Recomendo", "Péssimo"), unless ``detector_says_english`` (the language
    detector's likeliest language is English, at even odds or better): then English, so that
    a name or a word of slang beside nothing else is still read.

    Examples
    --------
    >>> english_verdict(WordCounts(2, 0, 0), detector_says_english=False)
    True
    >>> english_verdict(WordCounts(0, 0, 1), detector_says_english=False)
    False
    >>> english_verdict(WordCounts(1, 0, 1), detector_says_english=False) is None
    True
    """
    others = counts.foreign + counts.unknown
    if counts.english > others:
        return True
    if counts.english < others:
        return detector_says_english and not (counts.english == 0 and counts.foreign > 0)
    return None
