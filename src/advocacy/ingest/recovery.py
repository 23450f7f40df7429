"""Per-record recovery: split CSV text into records when one of them cannot be read.

``pyarrow.csv`` reads clean files fast but gives up on the whole file at the first record with
the wrong number of cells. When that happens the reader hands the decoded text here: Python's
``csv`` module splits it record by record, every record with the header's number of cells is
kept, and every other one becomes a :class:`~advocacy.ingest.raw.BrokenRecord` with its raw text,
its spreadsheet row and its line, bound for quarantine.

A stray opening quote makes a CSV parser read on across line ends until the next quote, so one
bad cell can swallow the records after it. When a broken record spans several lines and the
lines after its first, read on their own, are all whole records with balanced quotes, only the
first line is taken as broken and reading resumes on the next line; otherwise (a quoted cell
with line breaks in a record that is broken for another reason) the whole span is one broken
record. pyarrow has no way to resume
mid-file, which is why this is written by hand on top of the standard library's parser.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from advocacy.ingest.raw import BrokenRecord

#: Characters of a broken record's text kept in quarantine; the rest is summarised by its length.
MAX_RECORD_TEXT = 10_000
#: The column a broken record's quarantine entry names: the whole record, not one cell.
RECORD_COLUMN = "(record)"
_TERMINATORS = ("\r\n", "\n", "\r")


@dataclass
class Split:
    """A text split into records: the header, good rows, blank rows and broken records."""

    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    blank_rows: list[int] = field(default_factory=list)  # spreadsheet row numbers
    broken: list[BrokenRecord] = field(default_factory=list)


class _Lines:
    """An iterator over physical lines that remembers how many it has handed out."""

    def __init__(self, lines: list[str], start: int, stop: int) -> None:
        self.lines = lines
        self.index = start
        self.stop = stop

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        if self.index >= self.stop:
            raise StopIteration
        self.index += 1
        return self.lines[self.index - 1]


def _strip_terminator(text: str) -> str:
    for terminator in _TERMINATORS:
        if text.endswith(terminator):
            return text[: -len(terminator)]
    return text


def bounded(text: str, limit: int = MAX_RECORD_TEXT) -> str:
    """``text`` cut to ``limit`` characters, saying how much was left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... [{len(text) - limit:,} more characters]"


def _whole_records(lines: list[str], start: int, stop: int, delimiter: str, width: int) -> bool:
    """Whether ``lines[start:stop]`` read on their own are whole records (or blank lines).

    A line with an odd number of quotes closes a quoted cell opened on an earlier line, so the
    quote that opened it was no stray: then the lines belong together.
    """
    if any(lines[index].count('"') % 2 for index in range(start, stop)):
        return False
    source = _Lines(lines, start, stop)
    for cells in csv.reader(source, delimiter=delimiter, strict=False):
        if cells and len(cells) != width:
            return False
    return source.index == stop


def _open_at_end(lines: list[str], start: int, end: int, cells: list[str]) -> bool:
    """Whether a record ran to the end of the file inside a quote that never closed.

    Then the line break ending its last line was read into a cell; a literal quote inside an
    unquoted cell (``5" screen``) also makes the count odd, but leaves the cells alone.
    """
    if end < len(lines) or not lines[end - 1].endswith(("\n", "\r")):
        return False
    if not any(cell.endswith(("\n", "\r")) for cell in cells):
        return False
    return sum(lines[index].count('"') for index in range(start, end)) % 2 == 1


def _reason(cells: int, width: int, line: int, delimiter: str, lines: int) -> str:
    fix = (
        f"fix: quote a cell holding the delimiter {delimiter!r}, a quote or a line break, "
        "and double the quotes inside a quoted cell"
    )
    if cells == width:
        return (
            f"cannot split this record (line {line}) into the header's {width} columns: a "
            f"quote opens a cell and never closes, so the lines after it would be read into "
            f"that cell; {fix}"
        )
    spans = f"runs over {lines} lines and " if lines > 1 else ""
    return (
        f"cannot split this record (line {line}) into the header's {width} columns: it "
        f"{spans}has {cells}; {fix}"
    )


def split_records(text: str, *, delimiter: str) -> Split:
    """Split CSV ``text`` into records, keeping those the header's width and setting aside the rest.

    Parameters
    ----------
    text
        The decoded file. Line breaks that are data (a bare CR in a LF file) must already be
        replaced: every CR, LF or CRLF left here ends a line.
    delimiter
        The cell delimiter.

    Returns
    -------
    Split
        The header (the first record that is not blank), the data rows with as many cells as
        the header, the row numbers of blank lines and the broken records. Row numbers count
        the header as row 1, and every record, broken or not, and every blank line as one row.
    """
    lines = io.StringIO(text, newline="").readlines()
    split = Split()
    width: int | None = None
    row = 0
    index = 0
    while index < len(lines):
        source = _Lines(lines, index, len(lines))
        reader = csv.reader(source, delimiter=delimiter, strict=False)
        start = index
        index = len(lines)
        for cells in reader:
            end = source.index
            row += 1
            if not cells:
                split.blank_rows.append(row)
            elif width is None:
                width = len(cells)
                split.header = cells
            elif len(cells) == width and not _open_at_end(lines, start, end, cells):
                split.rows.append(cells)
            elif end - start > 1 and _whole_records(lines, start + 1, end, delimiter, width):
                # A stray quote swallowed the lines after it: only its own line is broken.
                line = _strip_terminator(lines[start])
                count = len(next(csv.reader([line], delimiter=delimiter, strict=False), []))
                reason = _reason(count, width, start + 1, delimiter, 1)
                split.broken.append(BrokenRecord(row, start + 1, line, reason))
                index = start + 1
                break
            else:
                raw = _strip_terminator("".join(lines[start:end]))
                reason = _reason(len(cells), width, start + 1, delimiter, end - start)
                split.broken.append(BrokenRecord(row, start + 1, raw, reason))
            start = end
    return split


def _line_breaks(column: pa.ChunkedArray) -> NDArray[np.int64] | None:
    """Line breaks in each cell of a string column (CRLF counts once); None if there are none."""
    if not pc.any(pc.match_substring_regex(column, "[\r\n]")).as_py():
        return None
    counts = [pc.count_substring(column, pattern) for pattern in ("\n", "\r", "\r\n")]
    total = pc.subtract(pc.add(counts[0], counts[1]), counts[2])
    return np.asarray(pc.fill_null(total, 0).to_numpy(zero_copy_only=False), dtype=np.int64)


def _text_breaks(text: str) -> int:
    breaks = text.count("\n")
    if "\r" in text:
        breaks += text.count("\r") - text.count("\r\n")
    return breaks


def _resync(lines: list[str], delimiter: str, width: int) -> list[list[str]] | None:
    """The records on ``lines[1:]`` if each is a whole record (a stray quote on line 0), or None.

    A line with an odd number of quotes closes a quoted cell opened on an earlier line, so the
    quote that opened it was no stray: then the lines belong together.
    """
    records = []
    for line in lines[1:]:
        if line.count('"') % 2:
            return None
        record = next(csv.reader([_strip_terminator(line)], delimiter=delimiter), [])
        if record and len(record) != width:
            return None
        if record:
            records.append(record)
    return records


def reassemble(
    table: pa.Table, invalid: Sequence[tuple[int, str, int]], *, delimiter: str
) -> tuple[pa.Table, list[BrokenRecord]]:
    """Put pyarrow's output back together around the records it skipped.

    Parameters
    ----------
    table
        What pyarrow read with an ``invalid_row_handler`` that skipped records: the header row,
        then the good records, in order.
    invalid
        ``(record number, raw text, cells)`` of each skipped record, as pyarrow numbers them
        (the header is 1; blank lines are not counted: call this only for files without any).
    delimiter
        The cell delimiter.

    Returns
    -------
    tuple[pa.Table, list[BrokenRecord]]
        The header row and every good record in file order, including those recovered from
        inside a skipped record (a stray quote that swallowed the lines after it, see the
        module's description), and the broken records with their row and line.
    """
    width = table.num_columns
    names = table.column_names
    data = table.slice(1)
    total = table.num_rows + len(invalid)
    invalid_numbers = np.array([number for number, _, _ in invalid], dtype=np.float64)
    valid_numbers = np.setdiff1d(np.arange(2, total + 1, dtype=np.float64), invalid_numbers)
    recovered: list[list[str]] = []
    recovered_keys: list[float] = []
    broken: list[tuple[float, str, int]] = []  # key, text, cells
    for number, text, found in invalid:
        lines = io.StringIO(text, newline="").readlines() if "\n" in text or "\r" in text else []
        rows = _resync(lines, delimiter, width) if len(lines) > 1 else None
        if rows is not None:
            first = _strip_terminator(lines[0])
            count = len(next(csv.reader([first], delimiter=delimiter, strict=False), []))
            broken.append((number, first, count))
            for index, record in enumerate(rows, start=1):
                recovered.append(record)
                recovered_keys.append(number + index / (len(rows) + 1))
        else:
            broken.append((number, text, found))
    extra = pa.table(
        {
            name: pa.array([cells[index] or None for cells in recovered], pa.string())
            for index, name in enumerate(names)
        }
    )
    rows = pa.concat_tables([data, extra])
    keys = np.concatenate([valid_numbers, np.array(recovered_keys, dtype=np.float64)])
    order = np.argsort(keys, kind="stable")
    if recovered:
        rows = rows.take(pa.array(order))
    # Rows and lines of the broken records among everything, in file order.
    breaks = np.zeros(rows.num_rows, dtype=np.int64)
    for column in rows.columns:
        counted = _line_breaks(column)
        if counted is not None:
            breaks += counted
    broken_keys = np.array([key for key, _, _ in broken], dtype=np.float64)
    sorted_keys = keys[order]
    everything = np.concatenate([sorted_keys, broken_keys])
    item_breaks = np.concatenate([breaks, [_text_breaks(text) for _, text, _ in broken]])
    sequence = np.argsort(everything, kind="stable")
    before = np.cumsum(item_breaks[sequence]) - item_breaks[sequence]
    header_breaks = sum(
        _text_breaks(str(value)) for value in table.slice(0, 1).to_pylist()[0].values() if value
    )
    position = np.empty_like(sequence)
    position[sequence] = np.arange(len(sequence))
    records = []
    for index, (_, text, count) in enumerate(broken):
        place = int(position[len(sorted_keys) + index])
        line = 2 + place + header_breaks + int(before[place])
        spans = _text_breaks(text) + 1
        records.append(
            BrokenRecord(2 + place, line, text, _reason(count, width, line, delimiter, spans))
        )
    return pa.concat_tables([table.slice(0, 1), rows]), records
