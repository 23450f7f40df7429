"""Per-record recovery: one record the CSV reader cannot split no longer rejects the file.

Each file here is written by the test in the shape a real export breaks: a bare carriage return
inside an unquoted cell, a record short of cells, a stray opening quote, a giant cell.
"""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import advocacy
from advocacy.errors import ValidationError
from advocacy.ingest.readers import read_file
from advocacy.ingest.recovery import MAX_RECORD_TEXT, RECORD_COLUMN

HEADER = "response_id,customer_id,submitted_at,unit,channel,nps,csat,comment"


def _line(index: int) -> str:
    return (
        f"R{index:05d},C{index % 97:04d},2024-03-{1 + index % 28:02d} 10:00:00+00:00,North,"
        f"web,{index % 11},{1 + index % 5},thanks {index}"
    )


def _file(path: Path, lines: list[str], ending: str = "\n") -> Path:
    path.write_bytes((ending.join([HEADER, *lines]) + ending).encode("utf-8"))
    return path


def test_bare_cr_inside_an_unquoted_cell_of_a_lf_file_is_data(
    duckdb_url: str, tmp_path: Path
) -> None:
    lines = [_line(index) for index in range(5_000)]
    # Row 2486 of the issue: a carriage return typed inside a comment, unquoted.
    lines[2484] = lines[2484].replace("thanks 2484", "first line\rsecond line")
    path = _file(tmp_path / "crm.csv", lines)
    with advocacy.open(duckdb_url) as ws:
        result = ws.import_file(path, kind="responses")
        [(comment,)] = ws.db.fetchall("SELECT comment FROM responses WHERE response_id = 'R02484'")
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (5_000, 5_000, 0)
    assert comment == "first line\rsecond line"
    assert any("carriage return (CR)" in note and "end with LF" in note for note in result.notes)


def test_bare_cr_in_a_crlf_file_is_data_too(tmp_path: Path) -> None:
    path = _file(tmp_path / "a.csv", [_line(1), _line(2).replace("thanks", "a\rb")], "\r\n")
    raw = read_file(path)
    assert raw.rows.column("comment").to_pylist() == ["thanks 1", "a\rb 2"]
    assert raw.broken == ()


def test_a_record_short_of_cells_is_quarantined_with_its_line_and_the_rest_load(
    db_url: str, tmp_path: Path
) -> None:
    lines = [_line(index) for index in range(5_000)]
    lines[2484] = "R02484,C0001,2024-03-01 10:00:00+00:00,North,web,7"  # 6 of 8 cells
    path = _file(tmp_path / "crm.csv", lines)
    with advocacy.open(db_url) as ws:
        result = ws.import_file(path, kind="responses")
        [entry] = ws.quarantine()
        loaded = ws.db.fetchall("SELECT count(*) FROM responses")[0][0]
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (5_000, 4_999, 1)
    assert loaded == 4_999
    assert entry["row"] == 2486 and entry["column"] == RECORD_COLUMN
    assert entry["value"] == lines[2484]
    # The raw text travels with the entry, so `quarantine export` shows it for fixing.
    assert entry["record"] == {RECORD_COLUMN: lines[2484]}
    assert "line 2486" in entry["reason"] and "8 columns: it has 6" in entry["reason"]
    assert any("line 2486" in note for note in result.notes)


def test_rows_after_a_broken_record_keep_their_row_numbers(duckdb_url: str, tmp_path: Path) -> None:
    lines = [_line(index) for index in range(20)]
    lines[4] = "R00004,too,few"
    lines[9] = lines[9].replace("web,9,", "web,11,")  # nps out of range: a bad cell, row 11
    path = _file(tmp_path / "crm.csv", lines)
    with advocacy.open(duckdb_url) as ws:
        ws.import_file(path, kind="responses")
        rows = {(entry["row"], entry["column"]) for entry in ws.quarantine()}
    assert rows == {(6, RECORD_COLUMN), (11, "nps")}


def test_strict_still_rejects_the_file(duckdb_url: str, tmp_path: Path) -> None:
    path = _file(tmp_path / "crm.csv", [_line(1), "R2,x", _line(3)])
    with advocacy.open(duckdb_url) as ws:
        with pytest.raises(ValidationError, match="nothing imported") as error:
            ws.import_file(path, kind="responses", strict=True)
        assert ws.db.fetchall("SELECT count(*) FROM responses")[0][0] == 0
    assert error.value.row == 3


def test_a_stray_quote_swallows_no_records(tmp_path: Path) -> None:
    path = _file(
        tmp_path / "a.csv",
        [_line(1), _line(2).replace("thanks 2", '"oops, a stray quote'), _line(3), _line(4)],
    )
    raw = read_file(path)
    assert raw.rows.column("response_id").to_pylist() == ["R00001", "R00003", "R00004"]
    [broken] = raw.broken
    assert (broken.row, broken.line) == (3, 3)
    assert broken.text.endswith('"oops, a stray quote')


def test_a_quoted_line_break_in_a_broken_record_stays_one_record(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text('a,b,c\n1,"two\nlines",3,extra\n4,5,6\n', encoding="utf-8")
    raw = read_file(path)
    assert raw.rows.to_pylist() == [{"a": "4", "b": "5", "c": "6"}]
    [broken] = raw.broken
    assert broken.text == '1,"two\nlines",3,extra'
    assert "runs over 2 lines and has 4" in broken.reason


def test_broken_records_in_utf16_and_after_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes("id\tname\n1\tZoë\n\n2\n3\tJosé\n".encode("utf-16"))
    raw = read_file(path)
    assert raw.rows.to_pylist() == [{"id": "1", "name": "Zoë"}, {"id": "3", "name": "José"}]
    assert raw.blank_rows == (3,)
    assert [(record.row, record.line, record.text) for record in raw.broken] == [(4, 4, "2")]


def test_a_giant_broken_record_is_kept_bounded(duckdb_url: str, tmp_path: Path) -> None:
    giant = "x" * (MAX_RECORD_TEXT * 3)
    path = _file(tmp_path / "a.csv", [_line(1), f"R2,{giant}"])
    with advocacy.open(duckdb_url) as ws:
        ws.import_file(path, kind="responses")
        [entry] = ws.quarantine()
    assert len(entry["value"]) < MAX_RECORD_TEXT + 100
    assert entry["value"].endswith(f"[{len(giant) + 3 - MAX_RECORD_TEXT:,} more characters]")


def test_a_giant_cell_in_a_clean_file_loads(tmp_path: Path) -> None:
    giant = "y" * 3_000_000  # longer than pyarrow's read block
    path = _file(tmp_path / "a.csv", [_line(1), _line(2).replace("thanks 2", giant)])
    raw = read_file(path)
    assert raw.broken == ()
    assert raw.rows.column("comment").to_pylist() == ["thanks 1", giant]


def test_a_giant_cell_loads_beside_blank_lines_and_a_broken_record(tmp_path: Path) -> None:
    # Python's csv readers refused a cell over 131,072 characters ("field larger than field
    # limit"), and they read every file with blank lines or a record pyarrow cannot split.
    giant = "Excellent " * 20_000
    blank = _file(tmp_path / "blank.csv", [_line(1).replace("thanks 1", giant), "", _line(2)])
    raw = read_file(blank)
    assert raw.blank_rows == (3,)
    assert raw.rows.column("comment").to_pylist() == [giant, "thanks 2"]
    short = _file(tmp_path / "short.csv", [_line(1).replace("thanks 1", giant), "R2,C2", _line(3)])
    raw = read_file(short)
    assert raw.rows.column("comment").to_pylist() == [giant, "thanks 3"]
    assert [record.line for record in raw.broken] == [3]


def test_a_quote_left_open_on_the_last_line_is_broken(tmp_path: Path) -> None:
    path = _file(tmp_path / "a.csv", [_line(1), _line(2).replace("thanks 2", '"cut short')])
    raw = read_file(path)
    assert raw.rows.column("response_id").to_pylist() == ["R00001"]
    [broken] = raw.broken
    assert broken.line == 3 and "never closes" in broken.reason


def test_a_literal_quote_inside_a_cell_is_data(tmp_path: Path) -> None:
    # One quote in the whole file (inches), not at the start of a cell: nothing is broken.
    path = _file(tmp_path / "a.csv", [_line(1).replace("thanks 1", 'a 27" screen'), _line(2)])
    raw = read_file(path)
    assert raw.broken == ()
    assert raw.rows.column("comment").to_pylist() == ['a 27" screen', "thanks 2"]


def test_blank_separated_file_sets_a_bad_line_aside(tmp_path: Path) -> None:
    path = tmp_path / "legacy.txt"
    path.write_text(
        "id  date      amount\n001 20240101 9.5\n\n002 20240102 3 extra\n003 20240103 1\n"
    )
    raw = read_file(path)
    assert raw.rows.column("id").to_pylist() == ["001", "003"]
    assert raw.blank_rows == (3,)
    [broken] = raw.broken
    assert (broken.row, broken.line, broken.text) == (4, 4, "002 20240102 3 extra")


GOOD_CELL = st.text(alphabet='ab ,"\n', min_size=1, max_size=6)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    records=st.lists(
        st.tuples(
            st.sampled_from(["good", "good", "short", "long"]),
            st.lists(GOOD_CELL, min_size=3, max_size=3),
        ),
        min_size=1,
        max_size=12,
    ),
    blank_after=st.one_of(st.none(), st.integers(min_value=0, max_value=11)),
)
def test_broken_records_keep_file_order_rows_and_lines(
    records: list[tuple[str, list[str]]], blank_after: int | None
) -> None:
    """Good records come back in order; broken ones with their text, row and line.

    With a blank line the file is split by Python's csv module, without one by pyarrow and
    put back together: both must agree.
    """
    lines = ["a,b,c"]
    expected_rows: list[list[str]] = []
    expected_broken: list[tuple[int, int, str]] = []
    row = line = 1
    for index, (kind, cells) in enumerate(records):
        shape = {"good": cells, "short": cells[:2], "long": [*cells, "x"]}[kind]
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerow(shape)
        text = buffer.getvalue().removesuffix("\n")
        row, line = row + 1, line + 1
        if kind == "good":
            expected_rows.append(cells)
        else:
            expected_broken.append((row, line, text))
        lines.append(text)
        line += text.count("\n")
        if blank_after == index:
            lines.append("")
            row, line = row + 1, line + 1
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "a.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="")
        raw = read_file(path)
    assert [list(record.values()) for record in raw.rows.to_pylist()] == expected_rows
    assert [(record.row, record.line, record.text) for record in raw.broken] == expected_broken
