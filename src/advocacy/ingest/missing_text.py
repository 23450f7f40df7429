"""Rows quarantined for want of a text they were never going to have, and how to keep them.

Review exports hold ratings without a written review (3,561 of Olist's 6,123 reviews, 42 of the
1,000 clothing reviews): a mention is what was written, so those rows are quarantined with
"required: the cell is empty", and the ratings they carry would be lost to a user who does not
know the way round. :func:`missing_text_notes` says how many of them hold a rating or a title,
and the import that keeps them: as responses, whose comment is optional, with the rating as
CSAT (on its scale) and the date the import recognised as the response's date, or with a title
left in attrs mapped as the title, which a row without text keeps as its text
(:func:`advocacy.ingest.title_columns.text_from_titles`).
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from advocacy.ingest.raw import Adapted
from advocacy.ingest.title_columns import TITLE, TITLE_FIELD
from advocacy.model import FieldType

__all__ = ["EMPTY_REASON", "missing_text_notes"]

#: The reason validation gives a required cell with nothing in it (with its fix, as
#: :mod:`advocacy.ingest.reason_fixes` reads it).
EMPTY_REASON = (
    "required: the cell is empty; fix: fill it in, or map the file's column that holds this "
    "field (a review without text can be kept as a response: the import's note says how)"
)
#: The field of the written text, and the field of a star rating, of kinds that need a text.
TEXT_FIELD = "text"
RATING_FIELD = "rating"
#: The date field of a response, where the date the import recognised goes.
RESPONSE_DATE_FIELD = "submitted_at"
#: CSAT's default scale: a rating on another needs its scale in the mapping.
CSAT_SCALE = (1.0, 5.0)


def _present(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """Per row, whether ``column`` holds something other than blanks."""
    text = pc.utf8_trim_whitespace(column.cast(pa.string()))
    return pc.fill_null(pc.not_equal(text, ""), False)


def missing_text_notes(adapted: Adapted, empty_rows: int) -> list[str]:
    """A note saying how to keep the rows quarantined for an empty text that hold a rating or
    a title; none when no such row was quarantined.

    Parameters
    ----------
    adapted
        The rows mapped onto their kind (a kind without a required ``text`` field gets no note).
    empty_rows
        The rows quarantined because their text was empty.

    Returns
    -------
    list of str
        At most one note.
    """
    text_field = next(
        (item for item in adapted.kind.fields if item.name == TEXT_FIELD and item.required), None
    )
    column = adapted.fields.get(TEXT_FIELD)
    if text_field is None or column is None or not empty_rows:
        return []
    rows = adapted.rows
    empty = pc.invert(_present(rows.column(column)))
    parts: list[str] = []
    rating = adapted.fields.get(RATING_FIELD)
    rated = 0
    if rating is not None:
        rated = pc.sum(pc.and_(empty, _present(rows.column(rating)))).as_py() or 0
    titles = [name for name in adapted.attrs_columns if TITLE.search(name)]
    titled = 0
    for title in titles:
        titled = max(titled, pc.sum(pc.and_(empty, _present(rows.column(title)))).as_py() or 0)
    if not rated and not titled:
        return []
    said = f"{empty_rows:,} row(s) were quarantined because their text ('{column}') is empty"
    if rated:
        dated = _date_column(adapted)
        date = f", {RESPONSE_DATE_FIELD}: {dated}" if dated is not None else ""
        title_column = adapted.fields.get(TITLE_FIELD)
        titled_map = f", {TITLE_FIELD}: {title_column}" if title_column is not None else ""
        mapping = f"columns: {{csat: {rating}, comment: {column}{titled_map}{date}}}"
        scale = _scale(rows.column(rating))
        if scale is not None:
            mapping += (
                f" and the line constants: {{csat_scale_min: {scale[0]:g}, "
                f"csat_scale_max: {scale[1]:g}}}"
            )
        parts.append(
            f"{rated:,} of them hold a rating ('{rating}'): to keep every row with its rating, "
            "import the file as responses instead, whose comment may be empty: --kind responses "
            f"--map FILE, the mapping file holding the line {mapping}"
        )
    if titled:
        parts.append(
            f"{titled:,} of them hold a title ('{titles[0]}'): to keep those as "
            f"{adapted.kind.name}, with their title as their text, map that column as the "
            f"title: --map FILE, the mapping file holding the line columns: "
            f"{{{TEXT_FIELD}: {column}, {TITLE_FIELD}: {titles[0]}}}"
        )
    return [said + "; " + "; ".join(parts)]


def _date_column(adapted: Adapted) -> str | None:
    """The column the import recognised as the rows' date (a mention's ``posted_at``), if any:
    without it in the mapping the responses would keep their dates only in ``attrs``."""
    return next(
        (
            adapted.fields[item.name]
            for item in adapted.kind.fields
            if item.type is FieldType.TIMESTAMP and item.name in adapted.fields
        ),
        None,
    )


def _scale(values: pa.ChunkedArray) -> tuple[float, float] | None:
    """The ratings' own scale when it is not CSAT's default (1-5), to declare; else None (and
    None when a rating is not a number: validation says so)."""
    try:
        numbers = pc.cast(pc.utf8_trim_whitespace(values.cast(pa.string())), pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    found = pc.min_max(numbers)
    low, high = found["min"].as_py(), found["max"].as_py()
    if low is None or high is None or (CSAT_SCALE[0] <= low and high <= CSAT_SCALE[1]):
        return None
    return min(low, CSAT_SCALE[0]), max(high, CSAT_SCALE[1])
