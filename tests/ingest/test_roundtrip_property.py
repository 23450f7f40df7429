"""Whatever Python's csv module writes, read_file gives back exactly the same strings.

Random tables go out in every dialect the reader sniffs (delimiters , ; tab |), in UTF-8 with
and without a byte-order mark, UTF-16 and cp1252, with LF, CRLF or CR line endings, quoted or
minimally quoted cells holding delimiters, quotes and line breaks, and with no header, one
header row, or two combined into one name per column.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from advocacy.ingest.headers import set_header_rows
from advocacy.ingest.readers import read_file

# Cells: text with quotes, delimiters, line breaks, unicode and leading zeros; never empty,
# because an empty cell reads back as None by design (tested separately).
CELL = st.one_of(
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Cs", "Cc"), whitelist_characters="\n\r\t\",;|' "
        ),
        min_size=1,
        max_size=12,
    ),
    st.from_regex(r"0[0-9]{1,6}", fullmatch=True),
).filter(lambda text: text != "")
#: A cell an export neutralised: one ' then more ' and a formula's first character.
NEUTRALISED = re.compile("^'(?='*[=+\\-@\t\r])")
NAME = st.from_regex(r"[A-Za-z][A-Za-z0-9 _]{0,8}[A-Za-z0-9]", fullmatch=True)


# cp1252 files: their encoding is recognised by how the text reads (accents inside words,
# typographic quotes), so cells are made of Western European words, not random symbols.
WORDS = ["café", "Größe", "niño", "don’t", "“fine”", "crème brûlée", "Zoë", "señor", "€ 12"]
WESTERN_CELL = st.lists(
    st.one_of(st.sampled_from(WORDS), st.from_regex(r"[A-Za-z0-9,;|\t\"' ]{1,6}", fullmatch=True)),
    min_size=1,
    max_size=4,
).map(" ".join)


@st.composite
def tables(
    draw: st.DrawFn, cell: st.SearchStrategy[str]
) -> tuple[list[str], list[str], list[list[str]]]:
    names = draw(st.lists(NAME, min_size=2, max_size=5, unique=True))
    labels = [f"L{name}" for name in names]
    rows = draw(st.lists(st.lists(cell, min_size=len(names), max_size=len(names)), max_size=8))
    return names, labels, rows


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.data(),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    ending=st.sampled_from(["\n", "\r\n", "\r"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
    quote_all=st.booleans(),
    header_rows=st.sampled_from([0, 1, 2]),
)
def test_csv_round_trip(
    data: st.DataObject,
    delimiter: str,
    ending: str,
    encoding: str,
    quote_all: bool,
    header_rows: int,
) -> None:
    names, labels, rows = data.draw(tables(WESTERN_CELL if encoding == "cp1252" else CELL))
    if header_rows == 0:
        assume(rows)
    if not quote_all:
        # The csv module quotes only the line-break characters of its own line terminator, so
        # it writes a lone CR unquoted in a LF file (a lone LF in a CR file). Inside a record
        # that is data; only next to the record's end is it ambiguous ("x\r" + "\n" reads as
        # a CRLF), and no reader can undo that.
        if ending == "\n":
            assume(not any(row[-1].endswith("\r") for row in rows))
        if ending == "\r":
            assume(not any(row[0].startswith("\n") for row in rows))
    buffer = io.StringIO()
    writer = csv.writer(
        buffer,
        delimiter=delimiter,
        lineterminator=ending,
        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL,
    )
    writer.writerows([names, labels][:header_rows])
    writer.writerows(rows)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "table.csv"
        path.write_bytes(buffer.getvalue().encode(encoding))
        raw = set_header_rows(read_file(path), header_rows)
    expected = {
        0: [f"column_{index + 1}" for index in range(len(names))],
        1: names,
        2: [f"{name} - {label}" for name, label in zip(names, labels, strict=True)],
    }[header_rows]
    if raw.delimiter != delimiter:
        # A file can read as a table with two delimiters: one row "0;," is two cells under ";"
        # and under ",", and ",;," is three cells under ",". No reader can tell which was
        # meant, so such a file is not a test of the sniffer; any other disagreement is a
        # wrong guess.
        assume(not _rectangular(buffer.getvalue(), raw.delimiter, ending))
    assert raw.header == expected
    assert raw.delimiter == delimiter
    assert raw.broken == ()
    # The one deliberate change (docs/import.md): an apostrophe before a formula's first
    # character is how exports neutralise formulas, so the reader takes one off.
    expected_rows = [[NEUTRALISED.sub("", cell) for cell in row] for row in rows]
    assert [list(row.values()) for row in raw.rows.to_pylist()] == expected_rows


def _rectangular(text: str, delimiter: str, ending: str) -> bool:
    """Whether ``text`` split by ``delimiter`` gives records of one width of two or more."""
    records = list(csv.reader(io.StringIO(text, newline=ending), delimiter=delimiter))
    return bool(records) and len({len(record) for record in records}) == 1 and len(records[0]) > 1
