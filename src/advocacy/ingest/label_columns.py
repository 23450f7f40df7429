"""The sentiment labels a file carries beside its texts, in the layout it was published in.

Labelled sets come as they were published: airline tweets with an ``airline_sentiment``
column beside ``text``, IndoNLU's SmSA as ``text<TAB>label`` lines without a header. Teaching
from such a file (``advocacy text teach FILE``) reads it as ``advocacy import`` read it (the
same encoding, delimiter, header and text and id columns), so each row finds the record it was
imported as. ``text teach`` and ``text evaluate`` find the labels by one rule
(:func:`find_label_column`): a column of the file most of whose non-empty values are
``negative``, ``neutral`` or ``positive`` (any case, blanks around it ignored; ``neg``, ``neu``
and ``pos`` too). A value none of those (``mixed``) is left out and counted by value, with
the first row that holds it (:func:`values_by_count`). Of several label columns, the one named
like true labels (``label``, ``gold``, ``sentiment``; not like a vendor's or a model's
prediction) when it is the fullest (a sparse ``airline_sentiment_gold`` is left aside, with a
note); a true-named column sparser than another is never passed over silently: the file is
refused, naming them. Stars and scores need no teaching: imported as a rating, NPS, CSAT or
CES they label their texts by themselves.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow.compute as pc

from advocacy.errors import InputError
from advocacy.ingest.raw import Adapted
from advocacy.ingest.title_columns import TITLE_FIELD, titled_text

__all__ = [
    "LABEL_SPELLINGS",
    "NOT_A_LABEL",
    "SENTIMENT_LABELS",
    "FileLabel",
    "LabelColumn",
    "find_label_column",
    "label_column",
    "label_share",
    "labelled_rows",
    "row_numbers",
    "sentiment_label",
    "values_by_count",
]

#: The values a label column holds.
SENTIMENT_LABELS = ("negative", "neutral", "positive")
#: The label values read, in any case, and the sentiment each names.
LABEL_SPELLINGS = {
    "negative": "negative",
    "neg": "negative",
    "neutral": "neutral",
    "neu": "neutral",
    "positive": "positive",
    "pos": "positive",
}
#: Why a value of a label column is left out.
NOT_A_LABEL = "not a sentiment label (none of negative, neutral, positive, neg, neu, pos)"
#: The share of a column's non-empty values that must be labels for it to be a label column.
LABEL_SHARE = 0.5
#: Column names that say they hold true labels, and names that say a tool's predictions.
TRUE_NAME = re.compile(
    r"gold|label|annotat|truth|manual|human|sentiment|polarity|class", re.IGNORECASE
)
PREDICTED_NAME = re.compile(r"vendor|predict|model|auto|machine|score|tool|system", re.IGNORECASE)
#: Values :func:`values_by_count` lists, and characters of each.
LISTED = 5
SHOWN = 40
#: The field holding each kind's text.
TEXT_FIELDS = {"responses": "comment", "mentions": "text", "notes": "text"}


@dataclass(frozen=True)
class FileLabel:
    """One labelled row of a file: where it is, how it names its record, and its label."""

    row: int  # the spreadsheet row number, as import's quarantine names it
    document_id: str | None  # the row's id when the file has an id column, else None
    text: str  # the row's text as stored by import
    sentiment: str  # negative, neutral or positive


@dataclass(frozen=True)
class LabelColumn:
    """The column a file's labels are taught from, and a note when others were left aside."""

    column: str
    note: str | None = None


def sentiment_label(value: Any) -> str | None:
    """The sentiment a label value names (:data:`LABEL_SPELLINGS`, any case), else None.

    >>> sentiment_label(" POS "), sentiment_label("mixed")
    ('positive', None)
    """
    return None if value is None else LABEL_SPELLINGS.get(str(value).strip().lower())


def _blank(value: Any) -> bool:
    return value is None or not str(value).strip()


def label_share(values: Sequence[Any]) -> float:
    """The share of the non-empty ``values`` that are sentiment labels (0 when none is filled)."""
    filled = [value for value in values if not _blank(value)]
    return (
        sum(sentiment_label(value) is not None for value in filled) / len(filled) if filled else 0.0
    )


def find_label_column(
    adapted: Adapted, *, file: str, text_column: str | None = None
) -> LabelColumn | None:
    """The column of true sentiment labels, or None when no column holds labels.

    A label column is one at least :data:`LABEL_SHARE` of whose non-empty values are labels
    (:func:`sentiment_label`). Of several, the one named like true labels (:data:`TRUE_NAME`,
    not :data:`PREDICTED_NAME`) that holds the most labels when no other holds more; else the
    fullest when no true-named column is left aside. A note names the column taken and those
    left aside.

    Parameters
    ----------
    adapted
        The file as an import reads it.
    file
        The file's name, for errors.
    text_column
        The column of texts, never a label column (default: the one the kind's import maps).

    Returns
    -------
    LabelColumn or None
        The column and the note.

    Raises
    ------
    InputError
        When several columns hold labels and which holds the true ones is unclear.
    """
    if text_column is None:
        text_column = adapted.fields.get(TEXT_FIELDS.get(adapted.kind.name, "text"))
    found: dict[str, int] = {}
    for name in adapted.rows.column_names:
        values = adapted.rows.column(name).to_pylist()
        if name != text_column and label_share(values) >= LABEL_SHARE:
            found[str(name)] = sum(sentiment_label(value) is not None for value in values)
    if len(found) <= 1:
        return LabelColumn(next(iter(found))) if found else None
    listing = ", ".join(f"{name!r} ({count:,} labels)" for name, count in found.items())
    true = [name for name in found if TRUE_NAME.search(name) and not PREDICTED_NAME.search(name)]
    most = max(found.values())
    fullest = [name for name, count in found.items() if count == most]
    true_fullest = [name for name in true if found[name] == most]
    if len(true_fullest) == 1:
        chosen = true_fullest[0]
    elif len(fullest) == 1 and not true:
        chosen = fullest[0]
    else:
        raise InputError(
            f"several columns hold sentiment labels ({listing}) and which holds the true labels "
            "is unclear",
            file=file,
            value=list(found),
            fix="name the column of true labels with --labels (text evaluate), or keep only "
            "that label column in the file (text teach)",
        )
    others = ", ".join(
        f"{name!r} ({count:,} labels)" for name, count in found.items() if name != chosen
    )
    return LabelColumn(
        chosen,
        f"labels from column {chosen!r} ({found[chosen]:,} labels); {others} also hold labels "
        "and were left aside",
    )


def label_column(adapted: Adapted, *, file: str) -> LabelColumn:
    """The label column of :func:`find_label_column`, required.

    Raises
    ------
    InputError
        When no column holds sentiment labels, or several do and which is true is unclear.
    """
    found = find_label_column(adapted, file=file)
    if found is not None:
        return found
    names = ", ".join(repr(name) for name in adapted.rows.column_names[:12])
    raise InputError(
        "no column holds sentiment labels (negative, neutral, positive; neg, neu, pos; in any "
        f"case); the file's columns are {names}",
        file=file,
        fix="add a column of negative/neutral/positive labels, or write a teach file with "
        "columns document_id, kind and sentiment (stars and scores imported as a rating, NPS, "
        "CSAT or CES label their texts without teaching)",
    )


def values_by_count(values: Sequence[Any], rows: Sequence[int]) -> str:
    """``values`` by count, each with the first row holding it, as a note lists them:
    ``'mixed' 2 (first at row 7)``.

    >>> values_by_count(["mixed", "?", "mixed"], [7, 9, 12])
    "'mixed' 2 (first at row 7), '?' 1 (first at row 9)"
    """
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for value, row in zip(values, rows, strict=True):
        shown = str(value).strip()[:SHOWN]
        counts[shown] += 1
        first.setdefault(shown, row)
    listed = [
        f"{value!r} {count:,} (first at row {first[value]})"
        for value, count in counts.most_common(LISTED)
    ]
    more = len(counts) - LISTED
    return ", ".join(listed) + (f" and {more:,} other values" if more > 0 else "")


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
) -> tuple[list[FileLabel], int, str]:
    """The rows of ``adapted`` with a label in ``column`` and a text.

    Parameters
    ----------
    adapted
        The file as an import reads it.
    column
        The label column (:func:`find_label_column`).
    skipped
        Row numbers the reader skipped (``RawTable.skipped_rows``).

    Returns
    -------
    labels, left_out, unknown
        The labelled rows; how many rows had no label, a value that is not one, or no text
        (nothing to teach); and the values that are not labels (:func:`values_by_count`, empty
        when none).
    """
    rows = adapted.rows
    key = adapted.kind.key[0] if len(adapted.kind.key) == 1 else None
    id_column = adapted.fields.get(key) if key else None
    text_column = adapted.fields.get(TEXT_FIELDS.get(adapted.kind.name, "text"))
    texts = rows.column(text_column).to_pylist() if text_column else [None] * rows.num_rows
    title_column = adapted.fields.get(TITLE_FIELD)
    if title_column is not None and text_column is not None:
        # Matched against the stored documents' texts, which a title leads.
        titles = rows.column(title_column).to_pylist()
        texts = [titled_text(text, title) for text, title in zip(texts, titles, strict=True)]
    ids = (
        pc.utf8_trim_whitespace(rows.column(id_column)).to_pylist()
        if id_column
        else [None] * rows.num_rows
    )
    values = rows.column(column).to_pylist()
    numbers = row_numbers(adapted.first_data_row, rows.num_rows, skipped)
    found, left_out = [], 0
    odd: list[tuple[Any, int]] = []
    for number, document_id, text, value in zip(numbers, ids, texts, values, strict=True):
        label = sentiment_label(value)
        if label is None and not _blank(value):
            odd.append((value, number))
        if label is None or text is None or not str(text).strip():
            left_out += 1
            continue
        found.append(FileLabel(number, document_id or None, str(text), label))
    unknown = values_by_count([value for value, _ in odd], [row for _, row in odd])
    return found, left_out, unknown
