"""What a quote on a theme card is, in words: the caption the report's and the web's cards share.

A quote is captioned by what it is, never by what the theme is: a sentence is "Most negative
sentence" only when it is the theme's strongest sentence read as negative, so praise never sits
under a complaint's caption (audit 3, F9). A comment quoted for the sentiment it was read with
says so, and a theme most of whose texts were not read is quoted by its central comments, which
carry no reading.
"""

from __future__ import annotations

from typing import Literal

__all__ = ["QuoteKind", "quote_caption"]

#: What a quote is: one sentence of a text, a whole comment, or a theme's central comment.
QuoteKind = Literal["sentence", "comment", "central"]
#: The sentiments a "most ... sentence" can be: a neutral sentence is never the strongest.
STRONGEST = ("negative", "positive")


def quote_caption(kind: QuoteKind, sentiment: str | None, *, strongest: bool = False) -> str:
    """The caption of a quote of ``kind`` whose own reading is ``sentiment``.

    Parameters
    ----------
    kind
        ``sentence`` (one sentence of a text), ``comment`` (a whole text) or ``central`` (a
        theme's central text, shown whatever its reading).
    sentiment
        The quote's own sentiment (``negative``, ``neutral``, ``positive``), None when it was
        not read.
    strongest
        Whether the sentence is the theme's strongest of its sentiment (the first of a ranking).

    Returns
    -------
    str
        ``Most negative sentence``, ``A sentence read as positive``, ``A comment read as
        negative`` or ``A central comment``.

    Examples
    --------
    >>> quote_caption("sentence", "negative", strongest=True)
    'Most negative sentence'
    >>> quote_caption("sentence", "neutral", strongest=True)
    'A sentence read as neutral'
    >>> quote_caption("comment", None), quote_caption("central", "positive")
    ('A central comment', 'A central comment')
    """
    if kind == "central" or sentiment is None:
        return "A central comment"
    if kind == "sentence":
        if strongest and sentiment in STRONGEST:
            return f"Most {sentiment} sentence"
        return f"A sentence read as {sentiment}"
    return f"A comment read as {sentiment}"
