"""The sentiment labels a file carries beside its texts, in the layout it was published in.

Labelled sets come as they were published: airline tweets with an ``airline_sentiment``
column beside ``text``, IndoNLU's SmSA as ``text<TAB>label`` lines without a header. Teaching
from such a file (``advocacy text teach FILE``) reads it as ``advocacy import`` read it (the
same encoding, delimiter, header and text and id columns), so each row finds the record it was
imported as; the labels are the column of the file whose every non-empty value is
``negative``, ``neutral`` or ``positive`` (any case, blanks around it ignored); of several, the
fullest (a sparse ``airline_sentiment_gold`` is left aside, with a note). Stars and scores
need no teaching: imported as a rating, NPS, CSAT or CES they label their texts by themselves.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from advocacy.errors import InputError
from advocacy.ingest.raw import Adapted

__all__ = [
    "SENTIMENT_LABELS",
    "FileLabel",
    "LabelColumn",
    "label_column",
    "labelled_rows",
    "row_numbers",
]

#: The values a label column holds.
SENTIMENT_LABELS = ("negative", "neutral", "positive")
#: Names of a column of labels, preferred among equally full label columns.
LABEL_NAME = re.compile(r"sentiment|label|polarity|class", re.IGNORECASE)
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


@dataclass(frozen=True)
class LabelColumn:
    """The column a file's labels are taught from, and a note when others were left aside."""

    column: str
    note: str | None = None


def label_column(adapted: Adapted, *, file: str) -> LabelColumn:
    """The column of ``adapted`` whose every non-empty value is a sentiment label.

    Of several such columns (the airline tweets' ``airline_sentiment`` beside a sparse
    ``airline_sentiment_gold``), the one holding the most labels; of equally full ones, the
    one named like a label (:data:`LABEL_NAME`) if only one is. A note names the column taken
    and those left aside.

    Parameters
    ----------
    adapted
        The file as an import reads it.
    file
        The file's name, for errors.

    Returns
    -------
    LabelColumn
        The column's name, and the note.

    Raises
    ------
    InputError
        When no column holds only sentiment labels, or several hold equally many and the
        names do not tell which.
    """
    text = adapted.fields.get(TEXT_FIELDS.get(adapted.kind.name, "text"))
    found: dict[str, int] = {}
    for column in adapted.rows.column_names:
        if column == text:
            continue
        values = pc.drop_null(_labels(adapted.rows.column(column)))
        values = values.filter(pc.not_equal(values, ""))
        if len(values) and pc.all(pc.is_in(values, pa.array(SENTIMENT_LABELS))).as_py():
            found[str(column)] = len(values)
    if len(found) == 1:
        return LabelColumn(next(iter(found)))
    names = ", ".join(repr(name) for name in (list(found) or adapted.rows.column_names)[:12])
    if found:
        most = max(found.values())
        fullest = [column for column, count in found.items() if count == most]
        named = [column for column in fullest if LABEL_NAME.search(column)]
        chosen = fullest[0] if len(fullest) == 1 else named[0] if len(named) == 1 else None
        if chosen is not None:
            others = ", ".join(
                f"{column!r} ({count:,})" for column, count in found.items() if column != chosen
            )
            why = "the most labels" if len(fullest) == 1 else "as many labels, named as labels"
            return LabelColumn(
                chosen,
                f"labels taught from column {chosen!r} ({most:,} labels, {why}); {others} "
                "also hold only sentiment labels and were not taught",
            )
        raise InputError(
            f"several columns hold only sentiment labels, equally many ({names}), so which "
            "one to teach is unclear",
            file=file,
            value=list(found),
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


def row_numbers(first: int, count: int, skipped: tuple[int, ...]) -> Iterator[int]:
    """Spreadsheet row numbers of ``count`` rows from ``first``, past the rows the reader
    skipped (blank lines, broken records).

    >>> list(row_numbers(2, 4, (3, 5)))
    [2, 4, 6, 7]
    """
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
    numbers = row_numbers(adapted.first_data_row, rows.num_rows, skipped)
    found, left_out = [], 0
    for number, document_id, text, label in zip(numbers, ids, texts, labels, strict=True):
        if not label or text is None or not str(text).strip():
            left_out += 1
            continue
        found.append(FileLabel(number, document_id or None, str(text), label))
    return found, left_out
