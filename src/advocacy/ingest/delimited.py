"""Read delimited text files (CSV, TSV, TXT) into a :class:`RawTable`, record by record if need be.

The encoding, the delimiter (``,`` ``;`` tab ``|`` or runs of blanks) and the record terminator
(the line break that ends the first record) are detected; Excel's first line ``sep=;`` sets the
delimiter and is left out, with a note. A file whose delimiter splits some records but not most
(in its first 64 KB and in the whole file), none of them quoted as a CSV writer quotes a cell,
is read one text per line, each line a cell as written, and a note says so, unless its first
line is two or more cells without a mark of a post that no record outnumbers (the names of a
ragged table). So are TweetEval's tweets, one per line, some with commas, and a one-column
``comment`` file alike. A clean file goes straight through
``pyarrow.csv``, in parallel, so a million rows read in seconds. Three things send a file down a
slower, careful path instead:

- line-break characters that cannot end a record in this file (a bare CR in a LF or CRLF file, a
  bare LF in a CR file): they are data, so they are protected before pyarrow sees the text;
- a wide encoding (UTF-16, UTF-32): decoded in Python first;
- a record with the wrong number of cells, or an odd number of quote characters (a quote that
  never closes would swallow the rest of the file into one cell): the text is split record by
  record by :mod:`advocacy.ingest.recovery`, and the records that cannot be split are handed on
  in :attr:`RawTable.broken`, for quarantine.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from advocacy.errors import InputError
from advocacy.ingest.encodings import detect_file_encoding
from advocacy.ingest.headers import post_marked, unique_header
from advocacy.ingest.raw import BrokenRecord, RawTable, string_table
from advocacy.ingest.recovery import reassemble, split_records

__all__ = ["read_delimited"]

DELIMITERS = (",", ";", "\t", "|")
WHITESPACE = " "  # runs of blanks, as in fixed-width text exports
SNIFF_BYTES = 64 * 1024
CHUNK_BYTES = 16 * 1024 * 1024
#: Codecs in which CR and LF are the bytes 0x0D and 0x0A and no other character contains them,
#: so pyarrow can read the file directly; others (UTF-16, UTF-32) are decoded first.
ASCII_COMPATIBLE = {"utf-8", "utf-8-sig", "cp1252", "latin-1", "mac-roman"}
#: The first line by which Excel names a file's delimiter (``sep=;``); Excel reads and hides it.
EXCEL_SEP = re.compile(r"sep=([,;\t|])(?:\r\n|\r|\n)")
_TERMINATOR_NAMES = {"\n": "LF", "\r\n": "CRLF", "\r": "CR"}
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}


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


#: A record that is one cell quoted as a CSV writer quotes it (quotes inside doubled), over one
#: line or several: a file holding one is a CSV, whatever else its lines hold.
_QUOTED_RECORD = re.compile(r'^"(?:[^"]|"")*"$', re.MULTILINE)


def _one_text_per_line(sample: str, delimiter: str, *, complete: bool = False) -> bool:
    """Whether the sample is of a file of one text per line, which ``delimiter`` (the one a CSV
    reader would use, :func:`_sniff_delimiter`) would wrongly split in places.

    It is when the delimiter splits some of its records but not most (a comma in a sentence:
    read as a CSV, each such record would go to quarantine whole), and nothing says it is a
    table: its first line is not two or more cells without a mark of a post (:func:`post_marked`)
    that no record outnumbers (a ragged table whose trailing empty cells were left out, however
    long its column names: survey questions are), and no record is a cell quoted as a CSV
    writer quotes one (Excel and pandas quote a cell holding the delimiter, a quote or a line
    break). The delimiter of a file no delimiter splits into columns is the comma.
    """
    if delimiter in ("\t", WHITESPACE):  # a .tsv file, or columns aligned by blanks
        return False
    cut = max(sample.rfind("\n"), sample.rfind("\r"))
    text = sample if complete or cut < 0 else sample[: cut + 1]
    try:
        reader = csv.reader(io.StringIO(text, newline=None), delimiter=delimiter)
        records = [record for record in reader if record][:50]
    except csv.Error:
        return False
    counts = [len(record) for record in records]
    if not counts or max(set(counts), key=counts.count) != 1 or max(counts) == 1:
        return False
    names = records[0]
    if len(names) > 1 and not any(map(post_marked, names)) and max(counts) <= len(names):
        return False
    return not _QUOTED_RECORD.search(_lines_ended_by_lf(text))


def _lines_ended_by_lf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _read_lines(path: Path, encoding: str, terminator: str, delimiter: str) -> RawTable | None:
    """Read a file of one text per line: each line is a cell as written (quotes and all).

    None when the whole file shows what its first 64 KB did not: a record quoted as a CSV
    writer quotes one, or the delimiter in most of its lines (a table whose records split only
    further on). It is a CSV after all.
    """
    text = _decoded(path, encoding).removeprefix("\ufeff")
    if _QUOTED_RECORD.search(_lines_ended_by_lf(text)):
        return None
    notes = []
    if _foreign_breaks(text, terminator):
        kind = "line feed (LF)" if terminator == "\r" else "carriage return (CR)"
        count = text.count("\n" if terminator == "\r" else "\r") - text.count("\r\n")
        notes.append(
            f"{count:,} bare {kind} character(s) inside lines kept as text: this file's "
            f"lines end with {_TERMINATOR_NAMES[terminator]}"
        )
    lines = text.split("\r") if terminator == "\r" else text.replace("\r\n", "\n").split("\n")
    if lines and not lines[-1]:
        lines.pop()  # the file's last line break ends a line, it does not start one
    header_cells: list[str | None] | None = None
    rows: list[str | None] = []
    blank_rows: list[int] = []
    split = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            blank_rows.append(number)
            continue
        split += delimiter in line
        if header_cells is None:
            header_cells = [line]
        else:
            rows.append(line)
    if header_cells is None:
        raise InputError("the file has no header row", file=str(path), fix="export it again")
    if 2 * split > len(rows) + 1:
        return None
    header = unique_header(header_cells)
    notes.insert(
        0,
        f"read one text per line: {split:,} of its {len(rows) + 1:,} lines hold a "
        f"{_DELIMITER_NAMES[delimiter]} but most hold none, so it splits into no columns; "
        "each line is one text as written, quotes kept. If it is a table, quote the cells "
        f"that hold a {_DELIMITER_NAMES[delimiter]} (as spreadsheet programs export them) "
        "and import it again",
    )
    return RawTable(
        path=str(path),
        file_format="csv" if path.suffix.lower() == ".csv" else "txt",
        header=header,
        rows=string_table(header, [rows]),
        encoding=encoding,
        delimiter=None,
        blank_rows=tuple(row for row in blank_rows if row > 1),
        header_cells=[header_cells],
        notes=notes,
    )


def _aligned_by_spaces(text: str) -> bool:
    """Whether (nearly) every line splits on runs of blanks into the header's number of fields."""
    widths = [len(line.split()) for line in text.splitlines()[:50] if line.strip()]
    if not widths:
        return False
    # A broken line or two must not hide the layout: they are set aside when read.
    common = max(set(widths), key=widths.count)
    return common >= 2 and 2 * widths.count(common) > len(widths) and widths[0] == common


def _broken_notes(broken: Sequence[BrokenRecord], width: int) -> list[str]:
    if not broken:
        return []
    lines = ", ".join(str(record.line) for record in broken[:10])
    return [
        f"{len(broken):,} record(s) could not be split into the header's {width} columns "
        f"(line {lines}{', ...' if len(broken) > 10 else ''}): each goes to quarantine whole, "
        "with its text; every other record is read"
    ]


def _read_whitespace(path: Path, encoding: str) -> RawTable:
    """Read a file of fields separated by runs of blanks (fixed-width legacy text exports)."""
    lines = _decoded(path, encoding).splitlines()
    header_cells: list[str | None] | None = None
    rows: list[list[str]] = []
    blank_rows: list[int] = []
    broken: list[BrokenRecord] = []
    for number, line in enumerate(lines, start=1):
        record = line.split()
        if not record:
            blank_rows.append(number)
        elif header_cells is None:
            header_cells = list(record)
        elif len(record) == len(header_cells):
            rows.append(record)
        else:
            reason = (
                f"cannot split this record (line {number}) into the header's "
                f"{len(header_cells)} columns: it has {len(record)} blank-separated fields; "
                "blank-separated files cannot hold blanks inside a value; fix: export as CSV"
            )
            broken.append(BrokenRecord(number, number, line, reason))
    if header_cells is None:
        raise InputError("the file has no header row", file=str(path), fix="export it again")
    header = unique_header(header_cells)
    columns = [list(column) for column in zip(*rows, strict=True)] or [[] for _ in header]
    return RawTable(
        path=str(path),
        file_format="txt",
        header=header,
        rows=string_table(header, columns),
        encoding=encoding,
        delimiter=WHITESPACE,
        blank_rows=tuple(row for row in blank_rows if row > 1),
        broken=tuple(broken),
        header_cells=[header_cells],
        notes=_broken_notes(broken, len(header)),
    )


def _record_terminator(sample: str, *, complete: bool) -> str:
    """The file's record terminator, from the line breaks outside quotes in the sample.

    A file ends with its terminator, so a whole file (``complete``) that ends with a line break
    names it. Otherwise the commonest wins: a LF file may hold bare CRs inside cells (and a CR
    file bare LFs), but fewer than it has records; ties go to LF, then CRLF.
    """
    counts = {"\n": 0, "\r\n": 0, "\r": 0}
    quoted = False
    last = ""
    for match in re.finditer(r'"|\r\n|\r|\n', sample):
        token = match[0]
        if token == '"':
            quoted = not quoted
        elif not quoted:
            counts[token] += 1
            last = token if match.end() == len(sample) else ""
    if complete and last:
        return last
    return max(counts, key=lambda name: (counts[name], name != "\r", name == "\n"))


def _foreign_breaks(data: str, terminator: str) -> bool:
    """Whether ``data`` holds line-break characters that cannot end a record in this file.

    In a file whose records end with LF or CRLF a bare CR is data (text pasted from an old Mac
    or a terminal); in a file whose records end with CR, a bare LF is.
    """
    count = data.count("\n" if terminator == "\r" else "\r")
    return count > 0 and count != data.count("\r\n")


def _scan(path: Path, terminator: str) -> tuple[bool, bool, bool]:
    """One pass over the bytes: line breaks that are data, blank lines, an odd number of quotes.

    Quoted cells hold an even number of quote characters, so an odd count means a quote that
    never closes (or a literal quote inside an unquoted cell): pyarrow would read on to the end
    of the file inside one cell, so such a file goes through per-record recovery instead.
    Chunks are not copied: a CRLF or a blank line across two chunks is found on their edges.
    """
    lone_byte = b"\n" if terminator == "\r" else b"\r"
    lone = pairs = quotes = 0
    blank = False
    edge = b""  # the last two bytes of the previous chunk
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            joint = edge + chunk[:2]
            count = chunk.count(lone_byte)
            lone += count
            has_cr = count > 0 if lone_byte == b"\r" else b"\r" in chunk
            if has_cr:
                pairs += chunk.count(b"\r\n")
            pairs += edge.endswith(b"\r") and chunk.startswith(b"\n")
            if not blank:
                patterns = (b"\n\n", b"\n\r\n", b"\r\r") if has_cr else (b"\n\n",)
                blank = any(pattern in chunk or pattern in joint for pattern in patterns)
            quotes += chunk.count(b'"')
            edge = chunk[-2:]
    return lone > 0 and lone != pairs, blank, quotes % 2 == 1


def _protect_breaks(text: str, terminator: str) -> tuple[str, str]:
    """Replace line breaks that are data by a private-use character absent from ``text``."""
    # Private-use characters: a file holding all 137,000 of them is not worth a better search.
    codes = itertools.chain(
        range(0xE000, 0xF900), range(0xF0000, 0xFFFFE), range(0x100000, 0x10FFFE)
    )
    placeholder = next(chr(code) for code in codes if chr(code) not in text)
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
    source: Path | pa.BufferReader,
    encoding: str,
    delimiter: str,
    width: int,
    size: int,
    invalid: list[tuple[int, str, int]] | None = None,
    *,
    quoted: bool = True,
) -> pa.Table | None:
    """The whole file through pyarrow, or None when it cannot be read so.

    ``quoted=False`` reads quote characters as text (a TSV written without quoting).

    Without ``invalid`` a record with the wrong number of cells fails the read (None). With it,
    the read runs serially (so records keep their numbers) and such records are skipped and
    listed there as ``(record number, raw text, cells)``.
    """
    block = 1 << 20

    def skip(row: Any) -> str:
        assert invalid is not None
        invalid.append((int(row.number), str(row.text), int(row.actual_columns)))
        return "skip"

    while True:
        if invalid is not None:
            invalid.clear()
        options: dict[str, Any] = {
            # Generated names let us read the header as a data row and keep its exact text.
            "read_options": pa_csv.ReadOptions(
                autogenerate_column_names=True,
                encoding=encoding,
                block_size=block,
                use_threads=invalid is None,
            ),
            "parse_options": pa_csv.ParseOptions(
                delimiter=delimiter,
                quote_char='"' if quoted else False,
                newlines_in_values=quoted,
                invalid_row_handler=None if invalid is None else skip,
            ),
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


def _recovered(
    source: Path | pa.BufferReader,
    encoding: str,
    delimiter: str,
    width: int,
    size: int,
    tail_of: Callable[[int], str],
) -> tuple[pa.Table, list[BrokenRecord]] | None:
    """pyarrow, serially, skipping the records it cannot split; None if that is not enough."""
    invalid: list[tuple[int, str, int]] = []
    table = _pyarrow_csv(source, encoding, delimiter, width, size, invalid)
    if table is None or table.num_rows == 0:
        return None
    # A quote left open on the last line swallows the rest of the file, line end included,
    # into a cell, and pyarrow keeps the record. Its text with the line before it then holds an
    # odd number of quotes (a quoted cell that merely ends with a line break holds an even
    # number): it is skipped like the others, with its text.
    last = list(table.slice(table.num_rows - 1).to_pylist()[0].values())
    records = table.num_rows + len(invalid)
    last_is_last = not invalid or invalid[-1][0] < records
    if (
        table.num_rows > 1
        and last_is_last
        and any(isinstance(cell, str) and cell.endswith(("\n", "\r")) for cell in last)
    ):
        spans = sum(_line_breaks_in(cell) for cell in last if isinstance(cell, str))
        tail = tail_of(spans + 1)
        if tail.count('"') % 2:
            lines = io.StringIO(tail, newline="").readlines()
            invalid.append((records, "".join(lines[1:]), len(last)))
            table = table.slice(0, table.num_rows - 1)
    if not invalid:
        return table, []
    return reassemble(table, invalid, delimiter=delimiter)


def _line_breaks_in(text: str) -> int:
    return text.count("\n") + text.count("\r") - text.count("\r\n")


def _last_lines(text: str, count: int, *, whole: bool) -> str | None:
    """The last ``count`` lines of ``text`` without the final line break; None if ``text``
    (not ``whole``: the end of a file) holds fewer."""
    breaks = list(re.finditer(r"\r\n|\r|\n", text))
    if len(breaks) <= count and not whole:
        return None
    start = breaks[-count - 1].end() if len(breaks) > count else 0
    return text[start:].removesuffix("\n").removesuffix("\r")


def _file_tail(path: Path, encoding: str, count: int) -> str:
    """The last ``count`` lines of a file, reading only as much of its end as they take."""
    size = path.stat().st_size
    window = 1 << 16
    while True:
        start = max(size - window, 0)
        with open(path, "rb") as handle:
            handle.seek(start)
            data = handle.read()
        # A window may begin inside a character: only whole lines after its first break count.
        text = data.decode(encoding, errors="replace").removeprefix("\ufeff")
        tail = _last_lines(text, count, whole=start == 0)
        if tail is not None:
            return tail
        window *= 4


#: A tab-separated cell that opens with a quote and closes it before the cell ends
#: (``"enak" katanya``): the file was written without quoting, its quotes are text.
LITERAL_QUOTE = re.compile(rb'"[^"\t\r\n]*"[^"\t\r\n]')


#: Bytes of a file searched at a time for :data:`LITERAL_QUOTE` (the file is never read whole).
SEARCH_CHUNK = 1 << 21


def _literal_quotes(path: Path) -> bool:
    """Whether a cell of ``path`` opens with a quote it closes before the cell ends, and the
    file has no blank line; read a chunk at a time, each searched with the unfinished line of
    the one before (a match never spans a tab or a line break)."""
    opened = False
    tail = b"\t"  # the start of the file opens a cell, as a tab does
    with path.open("rb") as handle:
        while chunk := handle.read(SEARCH_CHUNK):
            data = tail + chunk
            if b"\n\n" in data or b"\n\r\n" in data:
                return False
            if not opened:
                # The quote must open a cell: after a tab or a line break.
                opened = any(
                    match.start() > 0 and data[match.start() - 1] in b"\t\n"
                    for match in LITERAL_QUOTE.finditer(data)
                )
            tail = data[max(data.rfind(b"\n"), data.rfind(b"\t"), 0) :]
    return opened


def _read_literal_tsv(path: Path, encoding: str, width: int, size: int) -> RawTable | None:
    """A TSV whose quotes are text, read without quoting; None for any other file.

    Tab-separated files are often written without quoting (IndoNLU's SmSA), so a text that
    begins with a quoted word would lose its quotes to a CSV reader. The file is read so only
    when a cell shows it (:data:`LITERAL_QUOTE`), every line splits into the same cells, and
    it has no blank lines (their row numbers come from a quoting reader).
    """
    if encoding not in ASCII_COMPATIBLE or not _literal_quotes(path):
        return None
    table = _pyarrow_csv(
        path, encoding.replace("utf-8-sig", "utf-8"), "\t", width, size, quoted=False
    )
    if table is None or table.num_rows == 0:
        return None
    header_cells = list(table.slice(0, 1).to_pylist()[0].values())
    header = unique_header(header_cells)
    return RawTable(
        path=str(path),
        file_format="tsv",
        header=header,
        rows=table.slice(1).rename_columns(header),
        encoding=encoding,
        delimiter="\t",
        header_cells=[header_cells],
        notes=[
            "quote characters in this tab-separated file are part of the text (a cell opens "
            "with a quote and goes on after it closes): read without quoting, so each line is "
            "one record and every quote is kept"
        ],
    )


def read_delimited(path: Path) -> RawTable:
    """Read a CSV, TSV or TXT file (see the module's description).

    Parameters
    ----------
    path
        The file.

    Returns
    -------
    RawTable
        Header, rows, and the records that could not be split (``broken``).

    Raises
    ------
    InputError
        When the file has no header row, or blank-separated rows of different widths.
    """
    encoding = detect_file_encoding(path)
    with open(path, "rb") as handle:
        head = handle.read(SNIFF_BYTES)
    sample = head.decode(encoding, errors="ignore").removeprefix("\ufeff")
    excel_sep = EXCEL_SEP.match(sample)
    if excel_sep:
        sample = sample[excel_sep.end() :]
    size = path.stat().st_size
    complete = len(head) == size
    terminator = _record_terminator(sample, complete=complete)
    sniffed = (
        _protect_breaks(sample, terminator)[0] if _foreign_breaks(sample, terminator) else sample
    )
    if excel_sep:
        # Read from the decoded text without the line, records numbered from the header as
        # Excel shows them.
        return _read_csv(path, encoding, terminator, excel_sep[1], sample, excel_sep)
    delimiter = _sniff_delimiter(sniffed, path.suffix.lower(), complete=complete)
    if _one_text_per_line(sniffed, delimiter, complete=complete):
        lines = _read_lines(path, encoding, terminator, delimiter)
        if lines is not None:
            return lines
    if delimiter == WHITESPACE:
        return _read_whitespace(path, encoding)
    # Every column is read as text: name more columns than any record of the sample can have
    # (pyarrow ignores the names of columns a file lacks).
    width = sample.count(delimiter) + 1
    if delimiter == "\t" and terminator != "\r":
        literal = _read_literal_tsv(path, encoding, width, size)
        if literal is not None:
            return literal
    return _read_csv(path, encoding, terminator, delimiter, sample)


def _read_csv(
    path: Path,
    encoding: str,
    terminator: str,
    delimiter: str,
    sample: str,
    excel_sep: re.Match[str] | None = None,
) -> RawTable:
    """Read a CSV or TSV file, by pyarrow straight from the file when it can (see the module's
    description); without its first line when that is Excel's ``sep=`` line (``excel_sep``)."""
    size = path.stat().st_size
    width = sample.count(delimiter) + 1
    text: str | None = None
    placeholder: str | None = None
    notes: list[str] = []
    foreign = blank = odd_quotes = False
    table: pa.Table | None = None
    if encoding in ASCII_COMPATIBLE and not excel_sep:
        foreign, blank, odd_quotes = _scan(path, terminator)
    if encoding in ASCII_COMPATIBLE and not foreign and not excel_sep:
        # The fast path: pyarrow reads the file itself, in parallel.
        if not odd_quotes:
            table = _pyarrow_csv(
                path, encoding.replace("utf-8-sig", "utf-8"), delimiter, width, size
            )
    else:
        text = _decoded(path, encoding)
        if excel_sep:
            text = text.removeprefix("\ufeff")[excel_sep.end() :]
            notes.append(
                f"the first line, {excel_sep[0].strip()!r}, names the file's delimiter as Excel "
                f"writes it: read with the {_DELIMITER_NAMES[delimiter]}, that line left out (rows "
                "are numbered from the header, as Excel shows them)"
            )
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
    if table is None and not blank:
        # Per-record recovery at pyarrow's speed (blank lines would upset its record numbers).
        source = path if text is None else pa.BufferReader(text.encode("utf-8"))
        codec = "utf-8" if text is not None else encoding.replace("utf-8-sig", "utf-8")
        decoded = text

        def tail_of(count: int) -> str:
            if decoded is None:
                return _file_tail(path, encoding, count)
            return _last_lines(decoded, count, whole=True) or ""

        recovered = _recovered(source, codec, delimiter, width, size, tail_of)
        if recovered is not None:
            table, skipped = recovered
            broken = tuple(skipped)
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
        rows = string_table(header, [[value or None for value in column] for column in columns])
        blank_rows = tuple(split.blank_rows)
        broken = tuple(split.broken)
    if table is not None:
        if table.num_rows == 0:
            raise InputError("the file has no header row", file=str(path), fix="export it again")
        header_cells = list(table.slice(0, 1).to_pylist()[0].values())
        header = unique_header(header_cells)
        rows = table.slice(1).rename_columns(header)
        blank_rows = (
            _blank_rows(path if text is None else text, encoding, delimiter) if blank else ()
        )
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
        notes=[*notes, *_broken_notes(broken, len(header))],
    )
