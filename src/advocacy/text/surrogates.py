"""Surrogate code points in a Python string, read as a UTF-16 decoder reads them.

A Python string can hold UTF-16 surrogates (a broken decoding, ``json.loads`` of a half emoji,
``surrogateescape``): they are no text, the tokenizer cannot encode them and fastText's reader
refuses them. Import refuses such a text (``ingest/limits.py``); the embedder and the language
detector take any string from a direct library call, and read it through
:func:`without_surrogates`.
"""

from __future__ import annotations

import re

__all__ = ["has_surrogates", "without_surrogates"]

#: A surrogate code point: half of a UTF-16 pair, no character on its own.
_SURROGATE = re.compile("[\ud800-\udfff]")


def has_surrogates(text: str) -> bool:
    """Whether ``text`` holds a surrogate code point (an ASCII text is answered at once)."""
    return not text.isascii() and _SURROGATE.search(text) is not None


def without_surrogates(text: str) -> str:
    """``text`` with each pair of surrogates joined into the character it encodes and each
    lone one read as U+FFFD, the replacement character (as a UTF-16 decoder reads them); a
    text without one is returned as it is.

    >>> without_surrogates("ok \\ud83d fine") == "ok \\ufffd fine"
    True
    >>> without_surrogates("\\ud83d\\ude00") == "\\U0001f600"
    True
    """
    if not has_surrogates(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
