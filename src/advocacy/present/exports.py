"""Write workspace tables and quarantined rows to CSV, Parquet, XLSX or JSON files."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from advocacy.errors import UsageError


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


def write_table(data: pa.Table, path: Path, output: ExportFormat) -> int:
    """Write ``data`` to ``path``; return the number of rows written.

    The file is written next to its destination and renamed into place, so a failed export
    never leaves a half-written file behind.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    if output is ExportFormat.csv:
        pa_csv.write_csv(data, partial)
    elif output is ExportFormat.parquet:
        pq.write_table(data, partial)
    elif output is ExportFormat.json:
        records = [{k: _json_value(v) for k, v in row.items()} for row in data.to_pylist()]
        partial.write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")
    else:
        write_xlsx({"data": data}, partial)
    partial.replace(path)
    return int(data.num_rows)


def write_xlsx(sheets: Mapping[str, pa.Table], path: Path) -> None:
    """Write one sheet per table (Excel wants naive datetimes: time zones are dropped as UTC)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for name, data in sheets.items():
        sheet = book.create_sheet(title=name[:31])
        sheet.append(data.column_names)
        for row in data.to_pylist():
            sheet.append([_excel_value(value) for value in row.values()])
    book.save(path)


def _excel_value(value: Any) -> Any:
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


def quarantine_table(rows: Sequence[Mapping[str, Any]]) -> pa.Table:
    """Quarantined rows in their original columns, plus where they came from and why.

    One line per bad row (its reasons joined), so the file can be corrected and re-imported.
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
                "record": record,
            }
        column = item.get("column")
        by_row[key]["reasons"].append(f"{column}: {item['reason']}" if column else item["reason"])
    columns: dict[str, list[Any]] = {
        name: [] for name in ["import_id", "file", "row", "reasons", *source_columns]
    }
    for entry in by_row.values():
        columns["import_id"].append(entry["import_id"])
        columns["file"].append(entry["file"])
        columns["row"].append(entry["row"])
        columns["reasons"].append("; ".join(entry["reasons"]))
        for name in source_columns:
            value = entry["record"].get(name)
            columns[name].append(None if value is None else str(value))
    return pa.table(
        {
            name: pa.array(values, pa.int64() if name == "row" else pa.string())
            for name, values in columns.items()
        }
    )
