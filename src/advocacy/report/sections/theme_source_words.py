"""How a theme's texts came to it, in a CX analyst's words, beside its size on report and web
cards: "403 texts: 320 by its keywords, 83 by meaning alone".

A theme meaning fills with texts its keywords would not give it looks, by its size alone, like
one its keywords fill (review27 finding 12); the counts are the listing's
(:data:`advocacy.text.theme_sources.SOURCE_COLUMNS`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from advocacy import display

__all__ = ["sources_words"]


def sources_words(record: Mapping[Any, Any]) -> str:
    """What of a theme's ``size`` its keywords, users' teaching and meaning alone gave it, to
    follow its size ("" for a theme without the counts: a discovered one, or none counted).

    >>> sources_words({"size": 403, "by_keyword": 320, "by_teaching": 0, "by_meaning": 83})
    '320 by its keywords, 83 by meaning alone'
    >>> sources_words({"size": 12, "by_keyword": 12, "by_teaching": 0, "by_meaning": 0})
    'all by its keywords'
    >>> sources_words({"size": 1, "by_keyword": 0, "by_teaching": 0, "by_meaning": 1})
    'by meaning alone'
    >>> sources_words({"size": 9, "by_keyword": None}), sources_words({"size": 9})
    ('', '')
    """
    counts: list[Any] = [record.get(name) for name in ("by_keyword", "by_teaching", "by_meaning")]
    if any(display.missing(count) for count in counts):
        return ""
    keyword, teaching, meaning = (int(count) for count in counts)
    parts = [
        (count, words)
        for count, words in (
            (keyword, "by its keywords"),
            (teaching, "taught by a user"),
            (meaning, "by meaning alone"),
        )
        if count
    ]
    if not parts:
        return ""
    if len(parts) == 1:
        size: Any = record.get("size")
        one = not display.missing(size) and int(size) == 1
        return parts[0][1] if one else f"all {parts[0][1]}"
    return ", ".join(f"{display.number(count)} {words}" for count, words in parts)
