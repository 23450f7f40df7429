"""Read CSV/TSV/TXT, XLSX, JSON, JSONL and Parquet files into string-typed :class:`RawTable` s.

Readers never guess types (see :mod:`advocacy.ingest.raw`): every cell becomes a string, or
``None`` when empty, so ids such as ``00123`` survive. CSV goes through ``pyarrow.csv`` so a
million rows read in seconds; only the first few kilobytes are parsed in Python, to sniff the
delimiter.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from advocacy.errors import InputError
from advocacy.ingest.encodings import detect_file_encoding
from advocacy.ingest.raw import BrokenRecord, RawTable
from advocacy.ingest.recovery import split_records

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
#: Codecs in which CR and LF are the bytes 0x0D and 0x0A and no other character contains them,
#: so pyarrow can read the file directly; others (UTF-16, UTF-32) are decoded first.
ASCII_COMPATIBLE = {"utf-8", "utf-8-sig", "cp1252", "latin-1", "mac-roman"}
_TERMINATOR_NAMES = {"\n": "LF", "\r\n": "CRLF", "\r": "CR"}


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


def _sniff_delimiter(sample: str, suffix: str, *, complete: bool = False) -> str:
    """Pick the delimiter that splits the sample's records into the most consistent columns."""
    if suffix in (".tsv", ".tab"):
        return "\t"
    # The last record may be cut off by the sample: leave it out (not at a CR inside quotes).
    cut = max(sample.rfind("\n"), sample.rfind("\r"))
    text = sample if complete or cut < 0 else sample[: cut + 1]
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


def _record_terminator(sample: str) -> str:
    """The line break ending the file's first record (quotes respected): its record terminator."""
    quoted = False
    for index, char in enumerate(sample):
        if char == '"':
            quoted = not quoted
        elif not quoted and char in "\r\n":
            if char == "\n":
                return "\n"
            return "\r\n" if sample[index + 1 : index + 2] == "\n" else "\r"
    return "\n"


def _foreign_breaks(data: bytes | str, terminator: str) -> bool:
    """Whether ``data`` holds line-break characters that cannot end a record in this file.

    In a file whose records end with LF or CRLF a bare CR is data (text pasted from an old Mac
    or a terminal); in a file whose records end with CR, a bare LF is.
    """
    if isinstance(data, str):
        if terminator == "\r":
            return data.count("\n") != data.count("\r\n")
        return data.count("\r") != data.count("\r\n")
    if terminator == "\r":
        return data.count(b"\n") != data.count(b"\r\n")
    return data.count(b"\r") != data.count(b"\r\n")


def _scan(path: Path, terminator: str) -> tuple[bool, bool, bool]:
    """One pass over the bytes: line breaks that are data, blank lines, an odd number of quotes.

    Quoted cells hold an even number of quote characters, so an odd count means a quote that
    never closes (or a literal quote inside an unquoted cell): pyarrow would read on to the end
    of the file inside one cell, so such a file goes through per-record recovery instead.
    """
    foreign = blank = False
    quotes = 0
    carry = previous = b""
    with open(path, "rb") as handle:
        while True:
            chunk = handle.read(CHUNK_BYTES)
            data, carry = carry + chunk, b""
            if chunk and data.endswith(b"\r"):
                # A CR at the end of a chunk may be the first half of a CRLF.
                data, carry = data[:-1], b"\r"
            block = previous + data
            blank = blank or b"\n\n" in block or b"\n\r\n" in block or b"\r\r" in block
            foreign = foreign or _foreign_breaks(data, terminator)
            quotes += data.count(b'"')
            previous = data[-2:]
            if not chunk:
                return foreign, blank, quotes % 2 == 1


def _protect_breaks(text: str, terminator: str) -> tuple[str, str]:
    """Replace line breaks that are data by a private-use character absent from ``text``."""
    placeholder = next(chr(code) for code in range(0xE000, 0xF900) if chr(code) not in text)
    pattern = r"(?<!\r)\n" if terminator == "\r" else r"\r(?!\n)"
    return re.sub(pattern, placeholder, text), placeholder


def _restore_breaks(table: pa.Table, placeholder: str, terminator: str) -> pa.Table:
    original = "\n" if terminator == "\r" else "\r"
    columns = [pc.replace_substring(column, placeholder, original) for column in table.columns]
    return pa.table(columns, names=table.column_names)


def _decoded(path: Path, encoding: str) -> str:
    with open(path, encoding=encoding, newline="") as handle:
        return handle.read()


def _blank_rows(source: Path | str, encoding: str, delimiter: str) -> tuple[int, ...]:
    """Row numbers (header = 1) of the empty lines pyarrow skips, so later rows keep theirs."""
    if isinstance(source, Path):
        with open(source, encoding=encoding, errors="replace", newline="") as handle:
            reader = csv.reader(handle, delimiter=delimiter)
            return tuple(number for number, record in enumerate(reader, start=1) if not record)
    reader = csv.reader(io.StringIO(source, newline=""), delimiter=delimiter)
    return tuple(number for number, record in enumerate(reader, start=1) if not record)


def _pyarrow_csv(
    source: Path | pa.BufferReader, encoding: str, delimiter: str, width: int, size: int
) -> pa.Table | None:
    """The whole file through pyarrow, or None when some record has the wrong number of cells."""
    block = 1 << 20
    while True:
        options: dict[str, Any] = {
            # Generated names let us read the header as a data row and keep its exact text.
            "read_options": pa_csv.ReadOptions(
                autogenerate_column_names=True, encoding=encoding, block_size=block
            ),
            "parse_options": pa_csv.ParseOptions(delimiter=delimiter, newlines_in_values=True),
            "convert_options": pa_csv.ConvertOptions(
                column_types={f"f{index}": pa.string() for index in range(width)},
                null_values=[""],
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
            ),
        }
        if isinstance(source, pa.BufferReader):
            source.seek(0)
        try:
            return pa_csv.read_csv(source, **options)
        except pa.ArrowInvalid as error:
            # A record longer than a block (a giant cell) needs bigger blocks, not recovery.
            if "straddl" in str(error) and block < size:
                block = min(block * 16, max(size, 1 << 20) + 1)
                continue
            return None


def _read_csv(path: Path) -> RawTable:
    encoding = detect_file_encoding(path)
    with open(path, "rb") as handle:
        head = handle.read(SNIFF_BYTES)
    sample = head.decode(encoding, errors="ignore").removeprefix("\ufeff")
    size = path.stat().st_size
    delimiter = _sniff_delimiter(sample, path.suffix.lower(), complete=len(head) == size)
    if delimiter == WHITESPACE:
        return _read_whitespace(path, encoding)
    first = next(csv.reader(io.StringIO(sample, newline=None), delimiter=delimiter), [])
    width = max(len(first), 1)
    terminator = _record_terminator(sample)
    text: str | None = None
    placeholder: str | None = None
    notes: list[str] = []
    foreign = blank = odd_quotes = False
    table: pa.Table | None = None
    if encoding in ASCII_COMPATIBLE:
        foreign, blank, odd_quotes = _scan(path, terminator)
    if encoding in ASCII_COMPATIBLE and not foreign:
        # The fast path: pyarrow reads the file itself, in parallel.
        if not odd_quotes:
            table = _pyarrow_csv(
                path, encoding.replace("utf-8-sig", "utf-8"), delimiter, width, size
            )
    else:
        text = _decoded(path, encoding)
        blank = "\n\n" in text or "\n\r\n" in text or "\r\r" in text
        odd_quotes = text.count('"') % 2 == 1
        if _foreign_breaks(text, terminator):
            text, placeholder = _protect_breaks(text, terminator)
            count = text.count(placeholder)
            kind = "line feed (LF)" if terminator == "\r" else "carriage return (CR)"
            notes.append(
                f"{count:,} bare {kind} character(s) inside records kept as text: this file's "
                f"records end with {_TERMINATOR_NAMES[terminator]}"
            )
        if not odd_quotes:
            table = _pyarrow_csv(
                pa.BufferReader(text.encode("utf-8")), "utf-8", delimiter, width, size
            )
    broken: tuple[BrokenRecord, ...] = ()
    if table is None:
        if text is None:
            text = _decoded(path, encoding)
        split = split_records(text, delimiter=delimiter)
        if not split.header:
            raise InputError("the file has no header row", file=str(path), fix="export it again")
        header_cells: list[str | None] = list(split.header)
        columns = [list(column) for column in zip(*split.rows, strict=True)] or [
            [] for _ in header_cells
        ]
        header = unique_header(header_cells)
        rows = _table(header, [[value or None for value in column] for column in columns])
        blank_rows = tuple(split.blank_rows)
        broken = tuple(split.broken)
    if broken:
        lines = ", ".join(str(record.line) for record in broken[:10])
        notes.append(
            f"{len(broken):,} record(s) could not be split into the header's {len(header)} "
            f"columns (line {lines}{', ...' if len(broken) > 10 else ''}): each goes to "
            "quarantine whole, with its text; every other record is read"
        )
    if table is not None:
        if table.num_rows == 0:
            raise InputError("the file has no header row", file=str(path), fix="export it again")
        header_cells = list(table.slice(0, 1).to_pylist()[0].values())
        header = unique_header(header_cells)
        rows = table.slice(1).rename_columns(header)
        blank_rows = _blank_rows(path if text is None else text, encoding, delimiter) if blank else ()
    if placeholder is not None:
        original = "\n" if terminator == "\r" else "\r"
        rows = _restore_breaks(rows, placeholder, terminator)
        header_cells = [
            None if cell is None else cell.replace(placeholder, original) for cell in header_cells
        ]
        header = unique_header(header_cells)
        rows = rows.rename_columns(header)
        broken = tuple(
            replace(record, text=record.text.replace(placeholder, original)) for record in broken
        )
    return RawTable(
        path=str(path),
        file_format="tsv" if delimiter == "\t" else "csv",
        header=header,
        rows=rows,
        encoding=encoding,
        delimiter=delimiter,
        blank_rows=blank_rows,
        broken=broken,
        header_cells=[header_cells],
        notes=notes,
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
        rows=_table(header, columns),
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
    return reader(path)
