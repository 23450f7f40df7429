"""Render library results as a terminal table, JSON or CSV on standard output.

A terminal table fits the terminal: every value goes through :mod:`advocacy.display` (8.8%,
2025 Q2, yes/no, local times), text wraps at word boundaries instead of being cut to "Cen...", and
when the columns still do not fit, the least important ones are left out and named under the
table. ``--wide`` (on every command with ``--format``) shows every column whatever the width.
JSON and CSV always carry every column with raw values, for programs.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from advocacy import display, records
from advocacy.present.cli.app import WIDE, console
from advocacy.present.cli.options import OutputFormat
from advocacy.records import plain

if TYPE_CHECKING:
    import pandas as pd


def frame_records(frame: pd.DataFrame, digits: int = 4) -> list[dict[str, Any]]:
    """A result frame's rows as plain records (:func:`advocacy.records.frame_records`), numbers
    rounded to ``digits``."""
    return [
        {
            key: round(value, digits) if isinstance(value, float) else value
            for key, value in row.items()
        }
        for row in records.frame_records(frame)
    ]


@dataclass(frozen=True)
class Column:
    """One column of a terminal table.

    Attributes
    ----------
    header
        The heading people read.
    text
        How a row reads in this column.
    drop
        0 for a column always shown; otherwise the order in which columns are left out when the
        table does not fit (the highest first).
    numeric
        Right-aligned and never wrapped; None: so when every cell reads as a number.
    """

    header: str
    text: Callable[[Mapping[str, Any]], str]
    drop: int = 0
    numeric: bool | None = None


def field(
    key: str,
    header: str | None = None,
    *,
    show: Callable[[Any], str] | None = None,
    drop: int = 0,
    numeric: bool | None = None,
) -> Column:
    """A column showing ``row[key]``, written by ``show`` (default :func:`cell_text`)."""

    def text(row: Mapping[str, Any]) -> str:
        value = row.get(key)
        return show(value) if show is not None else cell_text(value)

    return Column(header or key.replace("_", " "), text, drop, numeric)


#: An ISO moment as :func:`advocacy.records.plain` writes one ("2026-01-20T10:00:00+00:00").
_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?")


def cell_text(value: Any) -> str:
    """A record's value for people (:func:`advocacy.display.cell`); a moment, also one already
    written as ISO text by :func:`advocacy.records.plain`, in the workspace's time zone and
    without a raw offset."""
    if isinstance(value, str) and _MOMENT.fullmatch(value):
        return display.moment(value, _timezone())
    if hasattr(value, "tzinfo") and not display.missing(value):
        return display.moment(value, _timezone())
    return display.cell(value)


#: The time zone read once for the table being printed (a table of 500 cases shows 1,000
#: moments, and reading the settings checks the config file and the environment each time).
_ZONE: ContextVar[dict[str, str] | None] = ContextVar("zone", default=None)


def _timezone() -> str:
    memo = _ZONE.get()
    if memo is not None and "zone" in memo:
        return memo["zone"]
    from advocacy.settings import current_settings  # pydantic: read only when a moment shows

    zone = current_settings().timezone
    if memo is not None:
        memo["zone"] = zone
    return zone


#: A cell that reads as a number: "1,141", "−33", "8.8%", "+14".
_NUMBER = re.compile(r"[+\u2212-]?[\d,]*\.?\d+%?")


#: The longest word a text column keeps whole; longer ones (a URL) may break.
_LONGEST_WORD = 24


def _texts(rows: Sequence[Mapping[str, Any]], columns: Sequence[Column]) -> list[list[str]]:
    """Each column's cells as text (column by column), written once however often the table
    is laid out again with fewer columns."""
    token = _ZONE.set({})
    try:
        return [[column.text(row) for row in rows] for column in columns]
    finally:
        _ZONE.reset(token)


def _table(columns: Sequence[Column], texts: Sequence[list[str]], title: str | None) -> Table:
    table = Table(title=title, header_style="bold")
    for column, cells in zip(columns, texts, strict=True):
        numeric = column.numeric
        if numeric is None:
            filled = [text for text in cells if text]
            numeric = bool(filled) and all(_NUMBER.fullmatch(text) for text in filled)
        if numeric:
            table.add_column(column.header, justify="right", no_wrap=True)
            continue
        # Rich would fold a word ("Cen|tral") to fit; a column at least as wide as its longest
        # word wraps between words, and the fit (print_table) leaves columns out instead.
        words = [len(word) for text in (column.header, *cells) for word in text.split()]
        widest = min(max(words, default=1), _LONGEST_WORD)
        table.add_column(column.header, overflow="fold", min_width=widest)
    for line in zip(*texts, strict=True):
        # Cells hold data (comments, names, file values): plain text, never rich markup.
        table.add_row(*(Text(text) for text in line))
    return table


def _narrowest(table: Table) -> int:
    """The narrowest the table can be with every number whole and no word broken: each
    column's minimum (a number column's widest cell or heading), its padding, and the borders.
    (Rich's own measure lets a number column wrap, so it promises fits that then get cropped.)"""
    total = len(table.columns) + 1  # the vertical borders
    for column in table.columns:
        if column.no_wrap:
            cells = [str(column.header), *(str(cell) for cell in column.cells)]
            total += max(len(text) for text in cells)
        else:
            total += column.min_width or 1
    # One space of padding each side, and one spare character per wrapping column: Rich shares
    # the width out in whole characters and may end up one over where the sum is exact.
    spare = sum(1 for column in table.columns if not column.no_wrap)
    return total + 2 * len(table.columns) + spare


def _laid_out(table: Table) -> int:
    """The width Rich lays ``table`` out in on this terminal. When the columns' narrowest do not
    fit, Rich narrows every column alike and then widens those below their minimum back, so the
    table comes out wider than the terminal and its right edge is cut: :func:`_narrowest` alone
    promised fits that did not hold (a five-column quarantine table at 80 columns). Rich has no
    public measure of this width (a measurement is capped at the terminal's)."""
    borders = table._extra_width
    options = console.options.update_width(max(console.width - borders, 1))
    return sum(table._calculate_column_widths(console, options)) + borders


def _fits(table: Table) -> bool:
    """Whether ``table`` prints whole at the terminal's width (the cheap bound first)."""
    return _narrowest(table) <= console.width and _laid_out(table) <= console.width


def _natural(table: Table) -> int:
    """The table's width when nothing wraps."""
    measured = Measurement.get(console, console.options.update(max_width=100_000), table)
    return measured.maximum


def print_table(
    rows: Sequence[Mapping[str, Any]], columns: Sequence[Column], *, title: str | None = None
) -> None:
    """Print ``rows`` as a table that fits the terminal (see the module), or every column with
    ``--wide``."""
    shown = list(columns)
    texts = dict(zip(columns, _texts(rows, columns), strict=True))
    table = _table(shown, [texts[column] for column in shown], title)
    if WIDE.get():
        width = max(console.width, _natural(table))
        console.print(table, width=width, crop=False)
        return
    left_out: list[Column] = []
    while not _fits(table):
        candidates = [column for column in shown if column.drop > 0]
        if not candidates:
            break
        # The highest drop goes first; among equals the rightmost.
        victim = max(reversed(candidates), key=lambda column: column.drop)
        shown.remove(victim)
        left_out.append(victim)
        table = _table(shown, [texts[column] for column in shown], title)
    console.print(table)
    if left_out:
        names = ", ".join(column.header for column in left_out)
        console.print(
            Text(f"not shown at {console.width} columns: {names} (--wide shows them)", style="dim")
        )


def _csv_cell(value: Any, neutralize: Callable[[str], str]) -> Any:
    # Text a spreadsheet would run as a formula gets a leading ' (see ingest.spreadsheet_cells).
    value = plain(value)
    if value is None:
        return ""
    return neutralize(value) if isinstance(value, str) else value


def write_machine(
    rows: Sequence[Mapping[Any, Any]], output: OutputFormat, names: Sequence[str]
) -> None:
    """Write ``rows`` as JSON or CSV with every column in ``names`` and raw values."""
    if output is OutputFormat.json:
        sys.stdout.write(
            json.dumps([{k: plain(r.get(k)) for k in names} for r in rows], indent=2) + "\n"
        )
        return
    from advocacy.exports import neutralize  # pyarrow: only for CSV

    # CRLF as RFC 4180 has it: the csv module quotes a field holding any character of the
    # line terminator, so a value with a bare carriage return ("\r=1") cannot start a row.
    writer = csv.writer(sys.stdout, lineterminator="\r\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow([_csv_cell(row.get(k), neutralize) for k in names])


def emit_rows(
    rows: Sequence[Mapping[Any, Any]],
    output: OutputFormat,
    *,
    title: str | None = None,
    columns: Sequence[str] | None = None,
    view: Sequence[Column] | None = None,
) -> None:
    """Print ``rows`` (a list of records, keyed by column name) in the chosen format.

    A table shows ``view`` when given, else every column in ``columns`` (the first two always,
    the others left out from the right when the terminal is too narrow).
    """
    names = list(columns) if columns is not None else (list(rows[0]) if rows else [])
    if output is not OutputFormat.table:
        write_machine(rows, output, names)
        return
    if view is None:
        view = [field(name, drop=0 if index < 2 else index) for index, name in enumerate(names)]
    print_table(rows, view, title=title)


def emit_object(data: Mapping[str, Any], output: OutputFormat, *, title: str | None = None) -> None:
    """Print one record: JSON object, or a two-column table of field and value."""
    if output is OutputFormat.json:
        sys.stdout.write(json.dumps({k: plain(v) for k, v in data.items()}, indent=2) + "\n")
        return
    emit_rows(
        [{"field": key, "value": value} for key, value in data.items()],
        output,
        title=title,
        columns=["field", "value"],
    )
