"""Which texts trained the shipped model, by a 64-bit hash of each, so that an evaluation can
score them apart.

The shipped heads learnt from public labelled sets (``tools/build_heads.py`` names them:
TweetEval's sentiment validation and even test lines and its emotion train and validation
splits, GoEmotions' train split, the Women's clothing reviews, BANKING77's train split and the
project's own written comments). A user who evaluates on one of those gets numbers that flatter
the model. ``models/training_texts.npz``, built by ``tools/build_training_hashes.py`` from the
same loaders, holds per set the sorted 64-bit hashes (the first 8 bytes of BLAKE2b) of its texts
as :func:`normalised` writes them (entities decoded, quotes and dashes as ASCII, case folded,
invisible characters dropped, blanks collapsed, punctuation cut from the ends), and, for the
clothing reviews (trained as title and text joined), of the text alone, as a file of them holds
it in a column of its own (538 KB in all, 66,994 texts). Hashes, not texts: no third-party text
ships in the wheel. A text that did not train the model shares a hash with one of them by chance
about 4 times in 10^15, so a text is flagged only when it (or the same words in other case,
spacing, quotes or end punctuation) trained the model.
"""

from __future__ import annotations

import hashlib
import html
import unicodedata
from collections.abc import Sequence
from functools import cache

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "TRAINING_TEXTS_FILE",
    "normalised",
    "text_hash",
    "trained_on",
    "training_sets",
    "visible",
]

#: The shipped file of hashes (in ``advocacy/text/models``).
TRAINING_TEXTS_FILE = "training_texts.npz"


#: Curly quotes, primes and dashes as ASCII (NFKC keeps them), so a text copied through a word
#: processor or a web page is the same text.
_ASCII = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u00b4\u0060", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
    }
)


def normalised(text: str) -> str:
    """``text`` as its hash reads it: HTML entities decoded, NFKC, curly quotes and dashes as
    ASCII, case folded, invisible characters (controls, zero-width and bidirectional marks)
    dropped, each run of blanks one space, and no blank or punctuation at either end (a copied
    text whose spaces, case, quotes or closing "!" changed is the same text).

    >>> normalised("  &quot;Great  DRESS\u2014love it\u2019s fit!!&quot;\\n ")
    "great dress-love it's fit"
    """
    folded = unicodedata.normalize("NFKC", html.unescape(text)).translate(_ASCII).casefold()
    spaced = " ".join(visible(folded).split())
    start, stop = 0, len(spaced)
    while start < stop and _edge(spaced[start]):
        start += 1
    while stop > start and _edge(spaced[stop - 1]):
        stop -= 1
    return spaced[start:stop]


def visible(text: str) -> str:
    """``text`` without control or format characters other than blanks (zero-width spaces,
    bidirectional controls, soft hyphens, terminal escapes): they show nothing, or rewrite
    what a terminal shows, so a copy that adds them is the same text.

    >>> visible("Thank\u200b you\u202e!\x1b")
    'Thank you!'
    """
    if "".join(text.split()).isprintable():
        # Nothing to drop (every character but blanks shows): the common case, at C speed.
        # A control or format character is never printable, and str.split() cuts at exactly
        # the characters isspace() finds.
        return text
    return "".join(character for character in text if not _invisible(character))


def _invisible(character: str) -> bool:
    """Whether ``character`` is a control or format character other than a blank."""
    category = unicodedata.category(character)
    return category == "Cf" or (category == "Cc" and not character.isspace())


def _edge(character: str) -> bool:
    """Whether ``character`` is cut from a text's ends: a blank or punctuation."""
    return character.isspace() or unicodedata.category(character).startswith("P")


def text_hash(text: str) -> int:
    """The 64-bit hash of :func:`normalised` ``text`` (BLAKE2b, 8 bytes, big-endian)."""
    return _hash(normalised(text))


def _hash(written: str) -> int:
    """The 64-bit hash of a text already :func:`normalised`."""
    digest = hashlib.blake2b(written.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big")


@cache
def training_sets() -> dict[str, NDArray[np.uint64]]:
    """Set name -> the sorted hashes of its texts that trained the shipped model."""
    from advocacy.text.embeddings import model_path

    with np.load(model_path(TRAINING_TEXTS_FILE), allow_pickle=False) as data:
        return {name: np.asarray(data[name], dtype=np.uint64) for name in data.files}


def trained_on(texts: Sequence[str]) -> list[str | None]:
    """For each text, the name of the first set it trained the shipped model in, else None.

    Parameters
    ----------
    texts
        The texts, as a file holds them.

    Returns
    -------
    list
        One set name (as ``tweeteval-sentiment``, ``clothing``) or None per text.
    """
    written = [normalised(text) for text in texts]
    hashes = np.array([_hash(text) for text in written], dtype=np.uint64)
    found: list[str | None] = [None] * len(texts)
    blank = [not text for text in written]  # punctuation alone is no training text
    for name, known in training_sets().items():
        if not len(known):
            continue
        at = np.minimum(np.searchsorted(known, hashes), len(known) - 1)
        for i in np.flatnonzero(known[at] == hashes).tolist():
            if not blank[i]:
                found[i] = found[i] or name
    return found
