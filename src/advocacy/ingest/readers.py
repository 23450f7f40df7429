"""Read CSV/TSV/TXT, XLSX, JSON, JSONL and Parquet files into string-typed :class:`RawTable` s.

Readers never guess types (see :mod:`advocacy.ingest.raw`): every cell becomes a string, or
``None`` when empty, so ids such as ``00123`` survive. Delimited text is read by
:mod:`advocacy.ingest.delimited`.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from advocacy.errors import InputError
from advocacy.ingest.delimited import read_delimited
from advocacy.ingest.headers import unique_header
from advocacy.ingest.raw import BrokenRecord, RawTable, string_table
from advocacy.ingest.spreadsheet_cells import restore_spreadsheet_cells
from advocacy.store.time_offsets import unreadable_offsets, with_original_offsets

__all__ = ["EXTENSIONS", "SUPPORTED", "read_file", "unique_header"]

EXTENSIONS = {
    ".csv": "csv",
    ".tsv": "csv",
    ".tab": "csv",
    ".txt": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
    ".pq": "parquet",
}
SUPPORTED = "CSV, TSV, TXT, XLSX, JSON, JSONL or Parquet"


def _cell(value: object) -> str | None:
    """One spreadsheet or JSON value as the string a user would see."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    text = str(value)
    return text if text != "" else None


def _from_records(
    rows: Iterable[Sequence[object]],
) -> tuple[list[str | None], list[list[str | None]]]:
    """Header cells and columns from a header row then data rows; trailing empty rows dropped."""
    iterator = iter(rows)
    header_cells = [_cell(value) for value in next(iterator, ())]
    data = [[_cell(value) for value in row] for row in iterator]
    while data and all(value is None for value in data[-1]):
        data.pop()
    width = max([len(header_cells), *(len(row) for row in data)])
    header_cells += [None] * (width - len(header_cells))
    columns = [[row[index] if index < len(row) else None for row in data] for index in range(width)]
    return header_cells, columns


def _read_xlsx(path: Path) -> RawTable:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many unrelated types for a broken file
        raise InputError(
            f"cannot open as an Excel workbook: {error}",
            file=str(path),
            fix="save it again from Excel as .xlsx",
        ) from None
    try:
        sheet = book.worksheets[0]
        header_cells, columns = _from_records(sheet.iter_rows(values_only=True))
    finally:
        book.close()
    if not header_cells:
        raise InputError("the first sheet is empty", file=str(path), fix="put the data first")
    header = unique_header(header_cells)
    return RawTable(
        path=str(path),
        file_format="xlsx",
        header=header,
        rows=string_table(header, columns),
        header_cells=[header_cells],
    )


def _records_table(path: Path, records: list[Any], file_format: str) -> RawTable:
    keys: dict[str, None] = {}
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            raise InputError(
                f"record {number} is not an object",
                file=str(path),
                row=number,
                fix='give one JSON object per record, such as {"id": 1, "text": "..."}',
            )
        keys.update(dict.fromkeys(str(key) for key in record))
    names = list(keys)
    header = unique_header(names)
    columns = [[_cell(record.get(name)) for record in records] for name in names]
    return RawTable(
        path=str(path),
        file_format=file_format,
        header=header,
        rows=string_table(header, columns),
        encoding="utf-8",
        first_data_row=1,
    )


def _read_json(path: Path) -> RawTable:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise InputError(f"not valid JSON: {error}", file=str(path), fix="check the file") from None
    if isinstance(data, dict):
        lists = [value for value in data.values() if isinstance(value, list)]
        if len(lists) != 1:
            raise InputError(
                f"the JSON object holds {len(lists)} lists; expected exactly one list of records",
                file=str(path),
                fix="give a list of objects, or an object with one such list",
            )
        data = lists[0]
    if not isinstance(data, list):
        raise InputError("JSON is not a list of records", file=str(path), fix="give a list")
    return _records_table(path, data, "json")


def _read_jsonl(path: Path) -> RawTable:
    records = []
    with open(path, encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as error:
                raise InputError(
                    f"line is not valid JSON: {error}",
                    file=str(path),
                    row=number,
                    fix="write one JSON object per line",
                ) from None
    return _records_table(path, records, "jsonl")


def _string_column(column: pa.ChunkedArray) -> pa.ChunkedArray:
    kind = column.type
    if pa.types.is_nested(kind):
        # Nested values become the JSON a user would write, not Arrow's own repr.
        values = [
            None if value is None else json.dumps(value, default=str)
            for value in column.to_pylist()
        ]
        return pa.chunked_array([pa.array(values, pa.string())])
    if pa.types.is_binary(kind) or pa.types.is_large_binary(kind):
        text = pc.cast(column, pa.string())
    elif pa.types.is_timestamp(kind):
        # Drop Arrow's zero fractional seconds: "2024-01-02 03:04:05.000000" is noise.
        text = pc.replace_substring_regex(pc.cast(column, pa.string()), r"\.0+(Z?)$", r"\1")
    else:
        text = pc.cast(column, pa.string())
    return pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)


def _read_parquet(path: Path) -> RawTable:
    try:
        table = pq.read_table(path)
    except pa.ArrowException as error:
        raise InputError(
            f"cannot read as Parquet: {error}", file=str(path), fix="check it"
        ) from None
    # advocacy's own Parquet exports keep typed instants and the offsets their source wrote:
    # read the instants in those offsets again, as a CSV export writes them. A row whose
    # offsets cannot be read back goes to quarantine whole, with the reason and the fix.
    unreadable = unreadable_offsets(table)
    broken = tuple(
        BrokenRecord(bad.row + 1, bad.row + 1, _record_text(table, bad.row), bad.reason)
        for bad in unreadable
    )
    if unreadable:
        keep = np.ones(table.num_rows, dtype=bool)
        keep[[bad.row for bad in unreadable]] = False
        table = table.filter(pa.array(keep))
    table = with_original_offsets(table)
    header = unique_header(table.column_names)
    columns = {name: _string_column(table.column(index)) for index, name in enumerate(header)}
    return RawTable(
        path=str(path),
        file_format="parquet",
        header=header,
        rows=pa.table(columns),
        first_data_row=1,
        broken=broken,
    )


#: Characters of each value of a quarantined Parquet row kept in its record text.
_RECORD_VALUE = 200


def _record_text(table: pa.Table, row: int) -> str:
    """Row ``row`` of ``table`` as JSON text, each value cut to :data:`_RECORD_VALUE`."""
    values = table.slice(row, 1).to_pylist()[0]
    cut = {
        name: value[:_RECORD_VALUE] if isinstance(value, str) else value
        for name, value in values.items()
    }
    return json.dumps(cut, default=str, ensure_ascii=False)


def read_file(path: str | Path) -> RawTable:
    """Read a data file into a :class:`RawTable` of strings.

    Parameters
    ----------
    path
        A ``.csv``, ``.tsv``, ``.txt``, ``.xlsx``, ``.json``, ``.jsonl`` or ``.parquet`` file.
        CSV encoding and delimiter (``,`` ``;`` tab ``|``) are detected.

    Returns
    -------
    RawTable
        Unique, stripped header names and one string column per header entry.

    Raises
    ------
    InputError
        When the file is missing, empty, of an unsupported type or malformed.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in EXTENSIONS:
        raise InputError(
            f"unsupported file type {suffix or '(no extension)'!r}",
            file=str(path),
            fix=f"save it as {SUPPORTED}"
            + (" (.xls is not read; save as .xlsx)" if suffix == ".xls" else ""),
        )
    if not path.is_file():
        raise InputError("no such file", file=str(path), fix="check the path and the file name")
    if path.stat().st_size == 0:
        raise InputError("the file is empty", file=str(path), fix="export the data again")
    reader = {
        "csv": read_delimited,
        "xlsx": _read_xlsx,
        "json": _read_json,
        "jsonl": _read_jsonl,
        "parquet": _read_parquet,
    }[EXTENSIONS[suffix]]
    return restore_spreadsheet_cells(reader(path))
