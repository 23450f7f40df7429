"""Write workspace tables and quarantined rows to CSV, Parquet, XLSX or JSON files.

Callers above the facade (the CLI, the web app's downloads) use this module directly: it is
the file formats of the data going out, public like :mod:`advocacy.analyses`. Text cells that a
spreadsheet would run as formulas are neutralised on the way out (:func:`neutralize` for one
cell a caller writes itself, as the CLI's CSV output does), and the readers undo it on the way
in (:mod:`advocacy.ingest.spreadsheet_cells`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from advocacy.errors import UsageError
from advocacy.ingest.quarantine_fixes import (
    FILE_COLUMN,
    FIX_COLUMN,
    IMPORT_COLUMN,
    REASONS_COLUMN,
    ROW_COLUMN,
)
from advocacy.ingest.spreadsheet_cells import (
    TRIGGERS,
    XLSX_CUT_NOTE,
    escape_xlsx_text,
    neutralize,
    neutralize_table,
)
from advocacy.store.ledger import FIX_NOT_RECORDED


class ExportFormat(StrEnum):
    csv = "csv"
    parquet = "parquet"
    xlsx = "xlsx"
    json = "json"


def format_for(path: Path, requested: str | None) -> ExportFormat:
    """The export format: as requested, else from the file's extension."""
    name = requested or path.suffix.lower().lstrip(".")
    try:
        return ExportFormat(name)
    except ValueError:
        raise UsageError(
            f"unknown export format {name!r}",
            value=name,
            parameter="--format",
            fix="use csv, parquet, xlsx or json",
        ) from None


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def cell_text(value: Any) -> str | None:
    """A list or mapping as text a spreadsheet shows: ``a; b`` for a list of plain values, JSON
    for anything else (lists of records, mappings); other values as ``str``.

    >>> cell_text(["refund", "call"])
    'refund; call'
    >>> cell_text({"neutral": 0.5})
    '{"neutral": 0.5}'
    """
    if value is None:
        return None
    if isinstance(value, list | tuple) and all(isinstance(item, _PLAIN) for item in value):
        return "; ".join("" if item is None else str(item) for item in value)
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


_PLAIN = (str, int, float, bool, type(None))


def records_table(
    records: Sequence[Mapping[str, Any]], *, nested_as_text: bool = False
) -> pa.Table:
    """Rows of JSON-like records as a table to write.

    With ``nested_as_text`` (for CSV and XLSX), lists and mappings become their readable text
    (:func:`cell_text`) first, each as it was: made into Arrow structs, mappings with different
    keys would all gain every key, as nulls.
    """
    if not records:
        return pa.table({})
    if nested_as_text:
        records = [
            {
                key: cell_text(value) if isinstance(value, list | tuple | dict) else value
                for key, value in record.items()
            }
            for record in records
        ]
    return pa.Table.from_pylist(list(records))


def spreadsheet_table(data: pa.Table, *, typed_cells: bool = False) -> pa.Table:
    """``data`` as a spreadsheet may safely show it: nested values as text (:func:`cell_text`),
    then every text cell and column name that would run as a formula neutralised
    (:mod:`advocacy.ingest.spreadsheet_cells`). Numbers, dates and booleans are left as they are.

    ``typed_cells`` (XLSX, whose text cells never run) leaves would-be formulas as they are and
    only protects apostrophes the reader would take off.
    """
    columns = []
    for column in data.columns:
        if pa.types.is_nested(column.type):
            column = pa.chunked_array(
                [pa.array([cell_text(value) for value in column.to_pylist()], pa.string())]
            )
        elif pa.types.is_dictionary(column.type):
            column = column.cast(column.type.value_type)
        columns.append(column)
    return neutralize_table(pa.table(columns, names=data.column_names), typed_cells=typed_cells)


def write_table(
    data: pa.Table, path: Path, output: ExportFormat, *, notes: list[str] | None = None
) -> int:
    """Write ``data`` to ``path``; return the number of rows written.

    Values are written as stored, with one exception: in CSV, text cells that a spreadsheet would
    run as a formula get a leading ``'`` (see :mod:`advocacy.ingest.spreadsheet_cells`; importing
    the file takes it off again); in XLSX they are text cells, which never run; and in both, lists
    and mappings become readable text. The file is written next to its destination and renamed into
    place, so a failed export never leaves a half-written file behind. What the file could not
    hold is added to ``notes`` when given: the XLSX cells cut to fit (:func:`write_xlsx`).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    if output is ExportFormat.csv:
        pa_csv.write_csv(spreadsheet_table(data), partial)
    elif output is ExportFormat.parquet:
        pq.write_table(data, partial)
    elif output is ExportFormat.json:
        records = [{k: _json_value(v) for k, v in row.items()} for row in data.to_pylist()]
        partial.write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")
    else:
        cut = write_xlsx({"data": data}, partial)
        if cut and notes is not None:
            notes.append(_cut_note(cut))
    partial.replace(path)
    return int(data.num_rows)


#: Rows of one worksheet, the header included (Excel's limit).
XLSX_MAX_ROWS = 1_048_576


def write_xlsx(sheets: Mapping[str, pa.Table], path: Path) -> list[str]:
    """Write one sheet per table, every text as a text cell, never as a formula.

    Every text is a text cell, which a spreadsheet shows and never runs: a would-be formula is
    written as it is (no ``'`` in front, which Excel would show), in the cell style Excel gives
    a typed ``'=...`` (``quotePrefix``), so editing it keeps it text; nested values become text
    as in :func:`spreadsheet_table`. Excel wants naive datetimes, so time
    zones are dropped (the values are UTC). Control characters are written as Excel's
    ``_xHHHH_`` escapes (:func:`~advocacy.ingest.spreadsheet_cells.escape_xlsx_text`), which
    Excel shows as the characters and import decodes. A text longer than Excel's 32,767
    characters per cell is cut to fit, with a note in the cell saying so (CSV, JSON and Parquet
    keep it whole); importing the file refuses such a cell, with the fix.

    Returns
    -------
    list of str
        The cells cut, as ``sheet!A5 (comment, 200,041 characters)`` (:func:`_cut_note` says
        them in a sentence).
    """
    from openpyxl import Workbook

    for name, data in sheets.items():
        if data.num_rows >= XLSX_MAX_ROWS:
            raise UsageError(
                f"{data.num_rows:,} rows do not fit in one worksheet",
                value=name,
                parameter="--format",
                fix=f"XLSX holds at most {XLSX_MAX_ROWS - 1:,} rows; use csv or parquet",
            )
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    cut: list[str] = []
    for name, data in sheets.items():
        title = _sheet_title(name)
        sheet = book.create_sheet(title=title)
        safe = spreadsheet_table(data, typed_cells=True)
        sheet.append([_excel_value(sheet, value) for value in safe.column_names])
        for number, row in enumerate(safe.to_pylist(), start=2):
            cells = [_excel_value(sheet, value) for value in row.values()]
            for column, (header, cell) in enumerate(zip(row, cells, strict=True), start=1):
                written = getattr(cell, "value", None)
                if isinstance(written, str) and written.endswith(XLSX_CUT_NOTE):
                    size = len(str(row[header]))
                    where = f"{title}!{get_column_letter(column)}{number}"
                    cut.append(f"{where} ({header}, {size:,} characters)")
            sheet.append(cells)
    book.save(path)
    return cut


def _cut_note(cut: Sequence[str]) -> str:
    """What an XLSX export says of the cells it cut (:func:`write_xlsx`), with the way to keep
    them whole; the first five are named."""
    named = "; ".join(cut[:5]) + (f"; and {len(cut) - 5:,} more" if len(cut) > 5 else "")
    return (
        f"{len(cut):,} text cell(s) longer than an Excel cell's {XLSX_CELL_CHARACTERS:,} "
        f"characters were cut to fit, with a note at the end: {named}. Importing this file "
        "refuses those rows; export as CSV, JSON or Parquet for the whole text"
    )


def _sheet_title(name: str) -> str:
    # Excel refuses []:*?/\ in sheet names and more than 31 characters.
    return re.sub(r"[\[\]:*?/\\]", "_", name)[:31] or "data"


def _excel_value(sheet: Any, value: Any) -> Any:
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    if not isinstance(value, str):
        return value
    from openpyxl.cell import WriteOnlyCell

    # A text cell, whatever it looks like: openpyxl would store "=..." as a formula and "#N/A"
    # as an error value.
    cell = WriteOnlyCell(sheet, value=_fitted(escape_xlsx_text(value)))
    cell.data_type = "s"
    if value.startswith(TRIGGERS):
        cell.quotePrefix = True
    return cell


#: Characters one Excel cell holds.
XLSX_CELL_CHARACTERS = 32_767


def _fitted(text: str) -> str:
    """``text`` cut to what a cell holds, saying so in the cell (openpyxl would cut silently)."""
    if len(text) <= XLSX_CELL_CHARACTERS:
        return text
    kept = text[: XLSX_CELL_CHARACTERS - len(XLSX_CUT_NOTE)]
    # Never end inside an _xHHHH_ escape, which would then read as literal text.
    return re.sub(r"_x[0-9A-Fa-f]{0,4}$", "", kept) + XLSX_CUT_NOTE


def quarantine_table(rows: Sequence[Mapping[str, Any]]) -> pa.Table:
    """Quarantined rows in their original columns, after where they came from and why.

    One line per bad row (its reasons joined, and its fixes), so the file can be corrected and
    imported again: the import recognises the first five columns (see
    :mod:`advocacy.ingest.quarantine_fixes`),
    keeps them out of the records and marks the entries each corrected row fixes resolved. A
    source column that shares a provenance column's name is numbered (``quarantine_file (2)``).
    """
    by_row: dict[tuple[str, int], dict[str, Any]] = {}
    source_columns: list[str] = []
    for item in rows:
        key = (str(item["import_id"]), int(item["row"]))
        if key not in by_row:
            record = item.get("record") or {}
            for column in record:
                if column not in source_columns:
                    source_columns.append(column)
            by_row[key] = {
                "import_id": item["import_id"],
                "file": item["file"],
                "row": item["row"],
                "reasons": [],
                "fixes": [],
                "record": record,
            }
        column = item.get("column")
        by_row[key]["reasons"].append(f"{column}: {item['reason']}" if column else item["reason"])
        fix = item.get("fix") or FIX_NOT_RECORDED
        by_row[key]["fixes"].append(f"{column}: {fix}" if column else fix)
    entries = list(by_row.values())
    columns: dict[str, pa.Array] = {
        IMPORT_COLUMN: pa.array([entry["import_id"] for entry in entries], pa.string()),
        FILE_COLUMN: pa.array([entry["file"] for entry in entries], pa.string()),
        ROW_COLUMN: pa.array([entry["row"] for entry in entries], pa.int64()),
        REASONS_COLUMN: pa.array(["; ".join(entry["reasons"]) for entry in entries], pa.string()),
        FIX_COLUMN: pa.array(["; ".join(entry["fixes"]) for entry in entries], pa.string()),
    }
    for name in source_columns:
        header = name
        number = 1
        while header in columns:
            number += 1
            header = f"{name} ({number})"
        columns[header] = pa.array(
            [_source_text(entry["record"].get(name)) for entry in entries], pa.string()
        )
    return pa.table(columns)


def _source_text(value: Any) -> str | None:
    return None if value is None else str(value)


__all__ = [
    "XLSX_CELL_CHARACTERS",
    "XLSX_MAX_ROWS",
    "ExportFormat",
    "cell_text",
    "format_for",
    "neutralize",
    "quarantine_table",
    "records_table",
    "spreadsheet_table",
    "write_table",
    "write_xlsx",
]
