"""Read CSV/TSV/TXT, XLSX, JSON, JSONL and Parquet files into string-typed :class:`RawTable` s.

Readers never guess types (see :mod:`advocacy.ingest.raw`): every cell becomes a string, or
``None`` when empty, so ids such as ``00123`` survive. CSV goes through ``pyarrow.csv`` so a
million rows read in seconds; only the first few kilobytes are parsed in Python, to sniff the
delimiter.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import io
import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from advocacy.errors import InputError
from advocacy.ingest.encodings import detect_file_encoding
from advocacy.ingest.raw import RawTable
from advocacy.ingest.spreadsheet_cells import restore_spreadsheet_cells

DELIMITERS = (",", ";", "\t", "|")
WHITESPACE = " "  # runs of blanks, as in fixed-width text exports
SNIFF_BYTES = 64 * 1024
CHUNK_BYTES = 16 * 1024 * 1024
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


def unique_header(names: Sequence[object]) -> list[str]:
    """Strip header names, name blank ones ``column_N`` and number repeats ``"Q1 (2)"``.

    Parameters
    ----------
    names
        Header cells as read (``None`` for empty cells).

    Returns
    -------
    list[str]
        As many unique names as ``names``.
    """
    stripped = ["" if name is None else str(name).strip() for name in names]
    stripped = [name or f"column_{index + 1}" for index, name in enumerate(stripped)]
    originals = set(stripped)
    result: list[str] = []
    used: set[str] = set()
    for name in stripped:
        candidate, number = name, 1
        # Skip numbered names that appear literally elsewhere in the header, so those keep theirs.
        while candidate in used or (number > 1 and candidate in originals):
            number += 1
            candidate = f"{name} ({number})"
        used.add(candidate)
        result.append(candidate)
    return result


def _table(header: list[str], columns: list[list[str | None]]) -> pa.Table:
    return pa.table(
        {name: pa.array(values, pa.string()) for name, values in zip(header, columns, strict=True)}
    )


def _sniff_delimiter(sample: str, suffix: str) -> str:
    """Pick the delimiter that splits the sample's records into the most consistent columns."""
    if suffix in (".tsv", ".tab"):
        return "\t"
    # The last record may be cut off by the sample: leave it out.
    lines = sample.splitlines(keepends=True)
    text = "".join(lines[:-1]) if len(lines) > 1 else sample
    best, best_score = ",", (0.0, 0)
    for delimiter in DELIMITERS:
        try:
            counts = [
                len(record)
                for record in csv.reader(io.StringIO(text, newline=None), delimiter=delimiter)
            ]
        except csv.Error:
            continue
        counts = [count for count in counts if count > 0][:50]
        if not counts or max(counts) < 2:
            continue
        mode = max(set(counts), key=counts.count)
        score = (counts.count(mode) / len(counts), mode)
        if mode > 1 and score > best_score:
            best, best_score = delimiter, score
    if best_score[1] < 2 and _aligned_by_spaces(text):
        return WHITESPACE
    return best


def _aligned_by_spaces(text: str) -> bool:
    """Whether every line splits on runs of blanks into the same number (>= 2) of fields."""
    widths = {len(line.split()) for line in text.splitlines()[:50] if line.strip()}
    return len(widths) == 1 and widths.pop() >= 2


def _read_whitespace(path: Path, encoding: str) -> RawTable:
    """Read a file of fields separated by runs of blanks (fixed-width legacy text exports)."""
    lines = path.read_text(encoding=encoding).splitlines()
    records = [line.split() for line in lines if line.strip()]
    header = unique_header(records[0])
    for number, record in enumerate(records[1:], start=2):
        if len(record) != len(header):
            raise InputError(
                f"has {len(record)} fields where the header has {len(header)}",
                file=str(path),
                row=number,
                fix="blank-separated files cannot hold blanks inside a value; export as CSV",
            )
    columns = [list(column) for column in zip(*records[1:], strict=True)] or [[] for _ in header]
    return RawTable(
        path=str(path),
        file_format="txt",
        header=header,
        rows=_table(header, columns),
        encoding=encoding,
        delimiter=WHITESPACE,
    )


def _ragged_row(path: Path, options: dict[str, Any]) -> int | None:
    """Re-read serially to learn which row broke the column count (threads lose the number)."""
    found: list[int] = []

    def handler(row: Any) -> str:
        if row.number is not None:
            found.append(int(row.number))
        return "error"

    options["read_options"].use_threads = False
    options["parse_options"].invalid_row_handler = handler
    with contextlib.suppress(pa.ArrowInvalid):
        pa_csv.read_csv(path, **options)
    return found[0] if found else None


def _has_blank_line(path: Path) -> bool:
    """Whether the file holds an empty line (cheap byte scan; quoted values may give false hits)."""
    tail = b""
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            block = tail + chunk
            if b"\n\n" in block or b"\n\r\n" in block or b"\r\r" in block:
                return True
            tail = block[-2:]
    return False


def _blank_rows(path: Path, encoding: str, delimiter: str) -> tuple[int, ...]:
    """Row numbers (header = 1) of the empty lines pyarrow skips, so later rows keep theirs."""
    if not _has_blank_line(path):
        return ()
    with open(path, encoding=encoding, errors="replace", newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        return tuple(number for number, record in enumerate(reader, start=1) if not record)


def _read_csv(path: Path) -> RawTable:
    encoding = detect_file_encoding(path)
    with open(path, "rb") as handle:
        head = handle.read(SNIFF_BYTES)
    sample = head.decode(encoding, errors="ignore")
    delimiter = _sniff_delimiter(sample, path.suffix.lower())
    if delimiter == WHITESPACE:
        return _read_whitespace(path, encoding)
    first = next(csv.reader(io.StringIO(sample, newline=None), delimiter=delimiter), [])
    width = max(len(first), 1)
    options: dict[str, Any] = {
        # Generated names let us read the header as a data row and keep its exact text.
        "read_options": pa_csv.ReadOptions(
            autogenerate_column_names=True, encoding=encoding.replace("utf-8-sig", "utf-8")
        ),
        "parse_options": pa_csv.ParseOptions(delimiter=delimiter, newlines_in_values=True),
        "convert_options": pa_csv.ConvertOptions(
            column_types={f"f{index}": pa.string() for index in range(width)},
            null_values=[""],
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
        ),
    }
    try:
        table = pa_csv.read_csv(path, **options)
    except pa.ArrowInvalid as error:
        message = str(error).removeprefix("CSV parse error: ")
        row = _ragged_row(path, options)
        message = re.sub(r"^Row #\d+: ", "", message)
        raise InputError(
            f"cannot read as CSV: {message}",
            file=str(path),
            row=row,
            fix="make every row have as many cells as the header (quote cells that contain "
            f"the delimiter {delimiter!r} or line breaks)",
        ) from None
    if table.num_rows == 0:
        raise InputError("the file has no header row", file=str(path), fix="export it again")
    header = unique_header(table.slice(0, 1).to_pylist()[0].values())
    rows = table.slice(1).rename_columns(header)
    return RawTable(
        path=str(path),
        file_format="tsv" if delimiter == "\t" else "csv",
        header=header,
        rows=rows,
        encoding=encoding,
        delimiter=delimiter,
        blank_rows=_blank_rows(path, encoding, delimiter),
    )


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


def _from_records(rows: Iterable[Sequence[object]]) -> tuple[list[str], list[list[str | None]]]:
    """Header and columns from a header row followed by data rows; trailing empty rows dropped."""
    iterator = iter(rows)
    header_cells = list(next(iterator, ()))
    data = [[_cell(value) for value in row] for row in iterator]
    while data and all(value is None for value in data[-1]):
        data.pop()
    width = max([len(header_cells), *(len(row) for row in data)])
    header_cells += [None] * (width - len(header_cells))
    columns = [[row[index] if index < len(row) else None for row in data] for index in range(width)]
    return unique_header(header_cells), columns


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
        header, columns = _from_records(sheet.iter_rows(values_only=True))
    finally:
        book.close()
    if not header:
        raise InputError("the first sheet is empty", file=str(path), fix="put the data first")
    return RawTable(path=str(path), file_format="xlsx", header=header, rows=_table(header, columns))


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
        rows=_table(header, columns),
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
    header = unique_header(table.column_names)
    columns = {name: _string_column(table.column(index)) for index, name in enumerate(header)}
    return RawTable(
        path=str(path),
        file_format="parquet",
        header=header,
        rows=pa.table(columns),
        first_data_row=1,
    )


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
        "csv": _read_csv,
        "xlsx": _read_xlsx,
        "json": _read_json,
        "jsonl": _read_jsonl,
        "parquet": _read_parquet,
    }[EXTENSIONS[suffix]]
    return restore_spreadsheet_cells(reader(path))
