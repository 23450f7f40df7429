"""An analysis' frame as a table people read: each interval beside the estimate it belongs to,
values through the one formatter (:mod:`advocacy.display`), raw values kept for sorting.

Texts are cut to what a table shows (:mod:`.text_cells`). Numbers are written to the precision
the evidence supports: an estimate to its interval's (:func:`advocacy.display.digits_for`),
another fractional number in the same row (a mean beside its gap) to the row's intervals', one
in a row without intervals to one decimal (two significant digits below 1), and a column of
whole numbers without decimals.

Analyses name their interval columns after the estimate (``gap_low``/``gap_high`` beside
``gap``), or, for the one estimate of a frame that has one, plain ``ci_low``/``ci_high`` or
``low``/``high``. :data:`INTERVAL_OF` says which estimate those plain names belong to in each
analysis, so a driver's share is never shown with its raw weight's interval.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import pandas as pd

from advocacy import display
from advocacy.present.web.pages.text_cells import cut_text

#: Per analysis (``ws`` method and attribute), the estimate the plain interval columns
#: (``ci_low``/``ci_high`` or ``low``/``high``) belong to.
INTERVAL_OF: dict[tuple[str, str], str] = {
    ("gaps.servqual", "dimensions"): "gap",
    ("gaps.targets", ""): "current",
    ("gaps.culture", "units"): "gap",
    ("gaps.culture", "items"): "gap",
    ("advocates.behavior", ""): "value",
}
#: Columns holding shares (0..1), written as percentages.
SHARE_COLUMNS = frozenset({"share", "say_do", "gap_share", "propensity"})
#: Columns whose values link to a page: column -> path prefix.
LINKS = {"customer_id": "/customers/", "referrer_id": "/customers/"}
#: Characters past which a cell's text gets a wide, wrapping column.
LONG_TEXT = 60
#: Plain interval column pairs, in the order they are looked for.
PLAIN_PAIRS = (("ci_low", "ci_high"), ("low", "high"))


@dataclass
class Cell:
    text: str
    sort: Any = None  # the raw value to sort by (None: the text)
    href: str | None = None
    number: bool = False

    @property
    def long(self) -> bool:
        """Text long enough to need a wide, wrapping column."""
        return len(self.text) > LONG_TEXT


@dataclass
class ResultTable:
    columns: list[str] = field(default_factory=list)  # labels, for people
    rows: list[list[Cell]] = field(default_factory=list)
    names: list[str] = field(default_factory=list)  # the frame's column behind each label


def _pairs(frame: pd.DataFrame, method: str, attribute: str) -> dict[str, tuple[str, str]]:
    """Estimate column -> its (low, high) columns."""
    pairs: dict[str, tuple[str, str]] = {}
    for column in frame.columns:
        for low, high in ((f"{column}_low", f"{column}_high"),):
            if low in frame.columns and high in frame.columns:
                pairs[str(column)] = (low, high)
    owner = INTERVAL_OF.get((method, attribute))
    if owner is not None and owner in frame.columns and owner not in pairs:
        for low, high in PLAIN_PAIRS:
            if low in frame.columns and high in frame.columns:
                pairs[owner] = (low, high)
                break
    return pairs


def _estimate(column: str, value: Any, low: Any, high: Any) -> str:
    if column in SHARE_COLUMNS:
        return display.share_estimate(value, low, high)
    return display.estimate(value, low, high)


def result_table(
    frame: pd.DataFrame,
    *,
    method: str,
    attribute: str = "",
    timezone: str = "UTC",
    rows: slice | None = None,
) -> ResultTable:
    """``frame`` as labelled columns and formatted cells, intervals merged into estimates.

    ``rows`` formats only those rows (a page of a long table); the precision of each column is
    still the whole column's (a column of whole numbers is written without decimals).
    """
    pairs = _pairs(frame, method, attribute)
    columns = shown_columns(frame, method=method, attribute=attribute)
    table = ResultTable(
        [
            column.replace("_", " ") + (" [95% interval]" if column in pairs else "")
            for column in columns
        ],
        names=columns,
    )
    whole = {column for column in columns if _whole_numbers(frame[column])}
    page = frame if rows is None else frame.iloc[rows]
    for record in page.to_dict("records"):
        row = []
        digits = _row_digits(record, pairs)
        for column in columns:
            value = record[column]
            if column in pairs:
                low, high = (record[name] for name in pairs[column])
                row.append(Cell(_estimate(column, value, low, high), _sortable(value), number=True))
            elif column in SHARE_COLUMNS and not display.missing(value):
                row.append(Cell(display.percent(value), _sortable(value), number=True))
            elif _is_fraction(value):
                shown = 0 if column in whole else _digits(float(value), digits)
                row.append(Cell(display.number(value, shown), _sortable(value), number=True))
            else:
                text = display.cell(value, timezone)
                link = LINKS.get(column) if text else None
                cut, length = cut_text(text)
                if length is not None:
                    cut += f" (cut: {length:,} characters in all)"
                row.append(
                    Cell(
                        cut,
                        _sortable(value),
                        href=None if link is None else link + quote(text, safe=""),
                        number=_is_number(value),
                    )
                )
        table.rows.append(row)
    return table


def shown_columns(frame: pd.DataFrame, *, method: str, attribute: str = "") -> list[str]:
    """The columns of ``frame`` its table shows (interval bounds merge into their estimate)."""
    pairs = _pairs(frame, method, attribute)
    merged = {bound for low_high in pairs.values() for bound in low_high}
    return [str(column) for column in frame.columns if column not in merged]


def sorted_frame(frame: pd.DataFrame, column: str, *, descending: bool = False) -> pd.DataFrame:
    """``frame`` ordered by ``column``'s values (missing ones last, ties in their order).

    Numbers, dates and texts sort as themselves; a column mixing kinds (or holding lists)
    sorts by each value's text.
    """
    ordered = frame.reset_index(drop=True)
    values = ordered[column]
    try:
        order = values.sort_values(ascending=not descending, na_position="last", kind="stable")
    except TypeError:
        text = values.map(lambda value: None if display.missing(value) else str(value))
        order = text.sort_values(ascending=not descending, na_position="last", kind="stable")
    return ordered.loc[order.index]


def _is_fraction(value: Any) -> bool:
    """Whether ``value`` is a finite float (numpy's too), the numbers that need a precision."""
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()
    return isinstance(value, float) and math.isfinite(value)


def _whole_numbers(column: pd.Series) -> bool:
    """Whether every value of a numeric ``column`` is a whole number (counts read as floats)."""
    if not pd.api.types.is_float_dtype(column):
        return False
    values = column.dropna()
    return bool(len(values)) and bool((values == values.round()).all())


def _row_digits(record: Mapping[Any, Any], pairs: dict[str, tuple[str, str]]) -> int | None:
    """The most decimals any interval of the row supports (None: the row has none)."""
    found = [
        display.digits_for(record[low], record[high])
        for low, high in pairs.values()
        if not display.missing(record[low]) and not display.missing(record[high])
    ]
    return max(found) if found else None


def _digits(value: float, row: int | None) -> int:
    """Decimals of a number without its own interval: the row's intervals', else one (two
    significant digits below 1)."""
    if row is not None:
        return row
    if value == 0 or abs(value) >= 1:
        return 1
    return min(display.MAX_DIGITS, 1 - math.floor(math.log10(abs(value))))


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _sortable(value: Any) -> Any:
    if display.missing(value):
        return ""
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, bool):
        return int(value)
    if _is_number(value):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return None
