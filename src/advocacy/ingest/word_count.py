"""Words of a cell, in scripts written with spaces between words and without them."""

from __future__ import annotations

import re

__all__ = ["UNSPACED_WORD_CHARS", "word_count"]

#: Letters of scripts written without spaces between words (Han, kana, Thai, Lao, Khmer,
#: Myanmar): a run of them is counted as one word per :data:`UNSPACED_WORD_CHARS` letters.
_UNSPACED = re.compile(
    r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
    r"\uf900-\ufaff\uff66-\uff9f]"
)
#: Letters per word of an unspaced script (Chinese and Japanese words are mostly 1-3 letters).
UNSPACED_WORD_CHARS = 2


def word_count(text: str) -> int:
    """Words of ``text``: its blank-separated parts, a part in an unspaced script by its letters.

    A Japanese or Chinese review has few or no spaces, so counting blank-separated parts would
    take a paragraph for one word. Such a part counts one word per
    :data:`UNSPACED_WORD_CHARS` letters of those scripts (at least one).

    Parameters
    ----------
    text
        A cell's text.

    Returns
    -------
    int
        The number of words.

    Examples
    --------
    >>> word_count("Great service, thanks")
    3
    >>> word_count("とても良い商品でした。") >= 3
    True
    """
    count = 0
    for part in text.split():
        unspaced = len(_UNSPACED.findall(part))
        count += max(1, unspaced // UNSPACED_WORD_CHARS) if unspaced else 1
    return count
