"""Render library results as a Rich table, JSON or CSV on standard output."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rich.table import Table
from rich.text import Text

from advocacy import records
from advocacy.present.cli.app import console
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


def _cell(value: Any) -> str:
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.3f}".rstrip("0").rstrip(".") if value != int(value) else f"{value:,.0f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def _csv_cell(value: Any, neutralize: Callable[[str], str]) -> Any:
    # Text a spreadsheet would run as a formula gets a leading ' (see ingest.spreadsheet_cells).
    value = plain(value)
    if value is None:
        return ""
    return neutralize(value) if isinstance(value, str) else value


def emit_rows(
    rows: Sequence[Mapping[Any, Any]],
    output: OutputFormat,
    *,
    title: str | None = None,
    columns: Sequence[str] | None = None,
) -> None:
    """Print ``rows`` (a list of records, keyed by column name) in the chosen format."""
    names = list(columns) if columns is not None else (list(rows[0]) if rows else [])
    if output is OutputFormat.json:
        sys.stdout.write(
            json.dumps([{k: plain(r.get(k)) for k in names} for r in rows], indent=2) + "\n"
        )
        return
    if output is OutputFormat.csv:
        from advocacy.exports import neutralize  # pyarrow: only for CSV

        # CRLF as RFC 4180 has it: the csv module quotes a field holding any character of the
        # line terminator, so a value with a bare carriage return ("\r=1") cannot start a row.
        writer = csv.writer(sys.stdout, lineterminator="\r\n")
        writer.writerow(names)
        for row in rows:
            writer.writerow([_csv_cell(row.get(k), neutralize) for k in names])
        return
    table = Table(title=title, show_lines=False, header_style="bold")
    for name in names:
        table.add_column(name.replace("_", " "), overflow="fold")
    for row in rows:
        # Cells hold data (comments, names, file values): plain text, never rich markup.
        table.add_row(*(Text(_cell(row.get(name))) for name in names))
    console.print(table)


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
