"""Whatever Python's csv module writes, read_file gives back exactly the same strings.

Random tables go out in every dialect the reader sniffs (delimiters , ; tab |), in UTF-8 with
and without a byte-order mark, UTF-16 and cp1252, with LF, CRLF or CR line endings, quoted or
minimally quoted cells holding delimiters, quotes and line breaks.
"""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

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
NAME = st.from_regex(r"[A-Za-z][A-Za-z0-9 _]{0,8}[A-Za-z0-9]", fullmatch=True)


def _encodes(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[str], list[list[str]]]:
    names = draw(st.lists(NAME, min_size=2, max_size=5, unique=True))
    rows = draw(st.lists(st.lists(CELL, min_size=len(names), max_size=len(names)), max_size=8))
    return names, rows


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    table=tables(),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    ending=st.sampled_from(["\n", "\r\n", "\r"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
    quote_all=st.booleans(),
)
def test_csv_round_trip(
    table: tuple[list[str], list[list[str]]],
    delimiter: str,
    ending: str,
    encoding: str,
    quote_all: bool,
) -> None:
    names, rows = table
    if encoding == "cp1252":
        assume(all(_encodes(cell, encoding) for row in rows for cell in row))
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
    writer.writerow(names)
    writer.writerows(rows)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "table.csv"
        path.write_bytes(buffer.getvalue().encode(encoding))
        raw = read_file(path)
    assert raw.header == names
    assert raw.delimiter == delimiter
    assert [list(row.values()) for row in raw.rows.to_pylist()] == rows
