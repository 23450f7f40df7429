"""Customers' texts in tables and lists, cut to a length a page can show.

A comment can be any length (one of 232,000 characters made its answers page 259 KB). A page
that lists many records shows each text up to :data:`TEXT_CELL_CHARACTERS`, cut at a word with
"…" and the text's full length, so nobody reads a cut text as the whole; a page about one record
(a customer, a case) shows each text up to 20,000 characters (``record_text.html.j2``), with
where to read it whole (the API).

Whatever the length, the invisible controls that reorder text are taken out of every text a
page shows (:func:`advocacy.display.without_bidi_controls`).
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from advocacy import display

#: Characters of a text shown in a table or list of many records: long reviews stay whole, a
#: pasted log or document is cut.
TEXT_CELL_CHARACTERS = 2_000


def without_bidi_controls(value: Any) -> Any:
    """``value`` with bidirectional controls taken out when it is a text we did not mark up;
    anything else as it is (the pages' output filter: every ``{{ value }}`` passes here).

    >>> without_bidi_controls("\u202ekeew a retfa\u202c"), without_bidi_controls(3)
    ('keew a retfa', 3)
    """
    if isinstance(value, str) and not isinstance(value, Markup):
        return display.without_bidi_controls(value)
    return value


def cut_text(value: Any, limit: int = TEXT_CELL_CHARACTERS) -> tuple[str, int | None]:
    """``value`` as text up to ``limit`` characters, and its full length when it was cut;
    bidirectional controls taken out first.

    A cut ends at a word (unless the last word would take more than half) and with "…";
    missing values are empty.

    >>> cut_text("The parcel came three days late", 20)
    ('The parcel came…', 31)
    >>> cut_text("short", 20), cut_text(None)
    (('short', None), ('', None))
    """
    text = display.without_bidi_controls(display.cell(value))
    if len(text) <= limit:
        return text, None
    kept = text[: limit - 1]
    space = kept.rfind(" ")
    if space > limit // 2:
        kept = kept[:space]
    return kept.rstrip() + "…", len(text)


def text_cell(value: Any, limit: int = TEXT_CELL_CHARACTERS) -> Markup:
    """``value`` for a page listing many records: cut as :func:`cut_text` does, followed by
    its length when cut; the text is escaped (this filter's markup is ours)."""
    text, length = cut_text(value, limit)
    if length is None:
        return Markup("{}").format(text)
    return Markup('{}<span class="cut"> (cut: {} characters in all)</span>').format(
        text, f"{length:,}"
    )


__all__ = ["TEXT_CELL_CHARACTERS", "cut_text", "text_cell", "without_bidi_controls"]
