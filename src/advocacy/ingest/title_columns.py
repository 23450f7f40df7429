"""A review's or an answer's title: the column that holds it, and a row with a title alone.

Review exports give a title beside the text ("Title" of the clothing reviews,
``review_comment_title`` of Olist's): "Some major design flaws" says what the review is about,
so it is stored as the record's ``title`` (mentions and responses) and read with the text
(:func:`titled_text`). Of the free-text columns a file holds, the
one named like a title (:data:`TITLE`) that is not the text is the title
(:func:`title_column`). A row with a title and no text keeps its title as its text
(:func:`text_from_titles`): Olist has 116 such reviews ("Recomendo", "Péssimo"), which a
mention, whose text is required, would otherwise lose to quarantine.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

import pyarrow as pa
import pyarrow.compute as pc

from advocacy.ingest.raw import Adapted, Detection

__all__ = [
    "TITLE",
    "TITLE_FIELD",
    "WHITESPACE",
    "text_field",
    "text_from_titles",
    "title_column",
    "title_detection",
    "titled_text",
]

#: Column names that say they hold a post's or an answer's title.
TITLE = re.compile(r"title|subject|headline|heading|summary|titel|titre|t[íi]tulo", re.I)
#: The canonical field of a title.
TITLE_FIELD = "title"
#: Kind -> the field of its text, which a title is read before.
TEXT_FIELDS = {"mentions": "text", "responses": "comment"}
#: What counts as no text around a title or a text: ASCII white space, as SQL's ``TRIM`` and
#: Ibis's ``strip`` take it (:func:`advocacy.text.documents.sql_has_text`).
WHITESPACE = " \t\n\r\x0b\x0c"


def titled_text(text: str | None, title: str | None) -> str | None:
    """The text a record with ``title`` and ``text`` is read as: the title, a line break, then
    the text; the text alone when the title is empty (white space only) or is the text
    itself; the title alone when the text is empty (as the import stores such a row:
    :func:`text_from_titles`); None when both are.

    >>> titled_text("I had such high hopes for this dress.", "Some major design flaws")
    'Some major design flaws\\nI had such high hopes for this dress.'
    >>> titled_text("Love it", "Love it"), titled_text("Love it", "  "), titled_text(" ", "Ok")
    ('Love it', 'Love it', 'Ok')
    """
    has_title = title is not None and bool(title.strip(WHITESPACE))
    if text is None or not text.strip(WHITESPACE):
        return title if has_title else text
    if not has_title or title == text:
        return text
    return f"{title}\n{text}"


def text_field(kind_name: str) -> str | None:
    """The field of the text a title goes with in a kind that has titles (None: no titles)."""
    return TEXT_FIELDS.get(kind_name)


def title_column(candidates: Sequence[str]) -> str | None:
    """The first of ``candidates`` (free-text columns not taken as the text, in the order the
    text was ranked) named like a title, if any."""
    return next((column for column in candidates if TITLE.search(column)), None)


def title_detection(column: str, evidence: str) -> Detection:
    """What the import says of a column it takes as the title (``evidence``: how its cells
    read, :func:`advocacy.ingest.questions.text_evidence`)."""
    return Detection(
        column,
        TITLE_FIELD,
        f"{column!r} is named like a title and holds free text ({evidence}); read before the text",
    )


def _present(column: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray:
    """Per row, whether ``column`` holds something other than blanks."""
    text = pc.utf8_trim_whitespace(column.cast(pa.string()))
    return pc.fill_null(pc.not_equal(text, ""), False)


def text_from_titles(adapted: Adapted) -> tuple[Adapted, list[str]]:
    """``adapted`` with each row that holds a title and no text given its title as its text,
    and a note saying how many; unchanged (no note) when there is none.

    The title stays the row's title too (a text equal to its title is read once).

    Parameters
    ----------
    adapted
        Rows mapped onto their kind.

    Returns
    -------
    tuple of Adapted and list of str
        The rows, and at most one note.
    """
    body_field = text_field(adapted.kind.name)
    title_column = adapted.fields.get(TITLE_FIELD)
    body_column = adapted.fields.get(body_field) if body_field else None
    if title_column is None or body_column is None or title_column == body_column:
        return adapted, []
    rows = adapted.rows
    body = rows.column(body_column)
    title = rows.column(title_column)
    only_title = pc.and_(pc.invert(_present(body)), _present(title))
    count = int(pc.sum(only_title).as_py() or 0)
    if not count:
        return adapted, []
    filled = pc.if_else(only_title, title.cast(pa.string()), body.cast(pa.string()))
    index = rows.column_names.index(body_column)
    rows = rows.set_column(index, rows.field(index).with_type(pa.string()), filled)
    note = (
        f"{count:,} row(s) hold a title ({title_column!r}) and no text ({body_column!r}): "
        "their title is read as their text"
    )
    return replace(adapted, rows=rows), [note]
