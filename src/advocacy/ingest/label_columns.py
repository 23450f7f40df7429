"""The sentiment labels a file carries beside its texts, in the layout it was published in.

Labelled sets come as they were published: airline tweets with an ``airline_sentiment``
column beside ``text``, IndoNLU's SmSA as ``text<TAB>label`` lines without a header. Teaching
from such a file (``advocacy text teach FILE``) reads it as ``advocacy import`` read it (the
same encoding, delimiter, header and text and id columns), so each row finds the record it was
imported as; the labels are the one column of the file whose every non-empty value is
``negative``, ``neutral`` or ``positive`` (any case, blanks around it ignored). Stars and scores
need no teaching: imported as a rating, NPS, CSAT or CES they label their texts by themselves.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from advocacy.errors import InputError
from advocacy.ingest.raw import Adapted

__all__ = ["SENTIMENT_LABELS", "FileLabel", "label_column", "labelled_rows"]

#: The values a label column holds.
SENTIMENT_LABELS = ("negative", "neutral", "positive")
#: The field holding each kind's text.
TEXT_FIELDS = {"responses": "comment", "mentions": "text", "notes": "text"}


@dataclass(frozen=True)
class FileLabel:
    """One labelled row of a file: where it is, how it names its record, and its label."""

    row: int  # the spreadsheet row number, as import's quarantine names it
    document_id: str | None  # the row's id when the file has an id column, else None
    text: str  # the row's text as stored by import
    sentiment: str  # negative, neutral or positive


def _labels(values: pa.ChunkedArray) -> pa.ChunkedArray:
    return pc.utf8_lower(pc.utf8_trim_whitespace(values.cast(pa.string())))


def label_column(adapted: Adapted, *, file: str) -> str:
    """The column of ``adapted`` whose every non-empty value is a sentiment label.

    Parameters
    ----------
    adapted
        The file as an import reads it.
    file
        The file's name, for errors.

    Returns
    -------
    str
        The column's name.

    Raises
    ------
    InputError
        When no column, or more than one, holds only sentiment labels.
    """
    text = adapted.fields.get(TEXT_FIELDS.get(adapted.kind.name, "text"))
    found = []
    for column in adapted.rows.column_names:
        if column == text:
            continue
        values = pc.drop_null(_labels(adapted.rows.column(column)))
        values = values.filter(pc.not_equal(values, ""))
        if len(values) and pc.all(pc.is_in(values, pa.array(SENTIMENT_LABELS))).as_py():
            found.append(column)
    if len(found) == 1:
        return str(found[0])
    names = ", ".join(repr(name) for name in (found or adapted.rows.column_names)[:12])
    if found:
        raise InputError(
            f"several columns hold only sentiment labels ({names}), so which one to teach "
            "is unclear",
            file=file,
            value=found,
            fix="keep one label column in the file, or write a teach file with columns "
            "document_id, kind and sentiment",
        )
    raise InputError(
        f"no column holds only the labels {', '.join(SENTIMENT_LABELS)}; the file's columns "
        f"are {names}",
        file=file,
        fix="add a column of negative/neutral/positive labels, or write a teach file with "
        "columns document_id, kind and sentiment (stars and scores imported as a rating, NPS, "
        "CSAT or CES label their texts without teaching)",
    )


def _row_numbers(first: int, count: int, skipped: tuple[int, ...]) -> Iterator[int]:
    """Spreadsheet row numbers of ``count`` rows from ``first``, past the rows the reader
    skipped (blank lines, broken records)."""
    gaps = sorted(skipped)
    number, gap = first, 0
    for _ in range(count):
        while gap < len(gaps) and gaps[gap] <= number:
            if gaps[gap] == number:
                number += 1
            gap += 1
        yield number
        number += 1


def labelled_rows(
    adapted: Adapted, column: str, *, skipped: tuple[int, ...] = ()
) -> tuple[list[FileLabel], int]:
    """The rows of ``adapted`` with a label in ``column`` and a text.

    Parameters
    ----------
    adapted
        The file as an import reads it.
    column
        The label column (:func:`label_column`).
    skipped
        Row numbers the reader skipped (``RawTable.skipped_rows``).

    Returns
    -------
    labels, left_out
        The labelled rows, and how many rows had no label or no text (nothing to teach).
    """
    rows = adapted.rows
    key = adapted.kind.key[0] if len(adapted.kind.key) == 1 else None
    id_column = adapted.fields.get(key) if key else None
    text_column = adapted.fields.get(TEXT_FIELDS.get(adapted.kind.name, "text"))
    texts = rows.column(text_column).to_pylist() if text_column else [None] * rows.num_rows
    ids = (
        pc.utf8_trim_whitespace(rows.column(id_column)).to_pylist()
        if id_column
        else [None] * rows.num_rows
    )
    labels = _labels(rows.column(column)).to_pylist()
    numbers = _row_numbers(adapted.first_data_row, rows.num_rows, skipped)
    found, left_out = [], 0
    for number, document_id, text, label in zip(numbers, ids, texts, labels, strict=True):
        if not label or text is None or not str(text).strip():
            left_out += 1
            continue
        found.append(FileLabel(number, document_id or None, str(text), label))
    return found, left_out
