"""Readers on real files of every format, written by the tests."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from advocacy.errors import InputError
from advocacy.ingest.readers import read_file, unique_header

ROWS = [["id", "name", "comment"], ["00123", "Zoë", "fine"], ["00456", "José", ""]]


def cells(path: Path) -> list[list[str | None]]:
    raw = read_file(path)
    return [raw.header] + [list(row.values()) for row in raw.rows.to_pylist()]


def test_quoted_newlines_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(b'id,comment\r\n1,"two\r\nlines, and a comma"\r\n2,"say ""hi"""\r\n')
    raw = read_file(path)
    assert raw.rows.to_pylist() == [
        {"id": "1", "comment": "two\r\nlines, and a comma"},
        {"id": "2", "comment": 'say "hi"'},
    ]
    assert raw.first_data_row == 2
    assert raw.delimiter == ","


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"])
def test_line_endings(tmp_path: Path, ending: str) -> None:
    path = tmp_path / "a.csv"
    path.write_text(ending.join(",".join(row) for row in ROWS) + ending, newline="")
    assert cells(path) == [ROWS[0], ["00123", "Zoë", "fine"], ["00456", "José", None]]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1", "mac-roman"])
def test_encodings(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes("id,comment\n1,Café crème, très bon\n".replace(", t", " t").encode(encoding))
    raw = read_file(path)
    assert raw.header == ["id", "comment"]
    assert raw.rows.column("comment").to_pylist() == ["Café crème très bon"]


def test_bom_not_in_header(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes("\ufeffid,name\n1,Zoë\n".encode())
    raw = read_file(path)
    assert raw.header == ["id", "name"]
    assert raw.encoding == "utf-8-sig"


@pytest.mark.parametrize(
    ("delimiter", "suffix"), [(";", ".csv"), ("\t", ".tsv"), ("\t", ".txt"), ("|", ".txt")]
)
def test_delimiters(tmp_path: Path, delimiter: str, suffix: str) -> None:
    path = tmp_path / f"a{suffix}"
    # Commas inside values must not fool the sniffer.
    path.write_text(f"id{delimiter}amount{delimiter}note\n007{delimiter}4,5{delimiter}a, b\n")
    raw = read_file(path)
    assert raw.delimiter == delimiter
    assert raw.rows.to_pylist() == [{"id": "007", "amount": "4,5", "note": "a, b"}]
    assert raw.file_format == ("tsv" if delimiter == "\t" else "csv")


def test_header_names_unique_and_blank(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text(" Q1 ,Q1,,Q1\n1,2,3,4\n")
    assert read_file(path).header == ["Q1", "Q1 (2)", "column_3", "Q1 (3)"]
    assert unique_header(["Q1", "Q1", "Q1 (2)"]) == ["Q1", "Q1 (3)", "Q1 (2)"]


def test_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["id", "score", "when", "ratio", "text", "id"])
    sheet.append(["00123", 12.0, datetime.datetime(2024, 5, 1, 14, 30), 0.5, "", "x"])
    sheet.append([7, 9, datetime.date(2024, 5, 2), None, "ok", None])
    book.create_sheet("second").append(["ignored"])
    book.save(path)
    raw = read_file(path)
    assert raw.header == ["id", "score", "when", "ratio", "text", "id (2)"]
    assert raw.rows.to_pylist() == [
        {
            "id": "00123",
            "score": "12",
            "when": "2024-05-01T14:30:00",
            "ratio": "0.5",
            "text": None,
            "id (2)": "x",
        },
        {
            "id": "7",
            "score": "9",
            "when": "2024-05-02",
            "ratio": None,
            "text": "ok",
            "id (2)": None,
        },
    ]
    assert raw.file_format == "xlsx"


def test_json_list_and_wrapped(tmp_path: Path) -> None:
    records = [
        {"id": "00123", "score": 9, "tags": ["a", "b"], "ok": True},
        {"id": "2", "score": 7.5, "extra": {"k": 1}, "note": ""},
    ]
    path = tmp_path / "a.json"
    path.write_text(json.dumps(records))
    raw = read_file(path)
    assert raw.header == ["id", "score", "tags", "ok", "extra", "note"]
    assert raw.rows.to_pylist()[0] == {
        "id": "00123",
        "score": "9",
        "tags": '["a", "b"]',
        "ok": "true",
        "extra": None,
        "note": None,
    }
    assert raw.rows.to_pylist()[1]["extra"] == '{"k": 1}'
    path.write_text(json.dumps({"meta": {"n": 2}, "responses": records}))
    assert read_file(path).rows.num_rows == 2


def test_json_errors(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text(json.dumps({"a": [], "b": []}))
    with pytest.raises(InputError, match="exactly one list"):
        read_file(path)
    path.write_text("[1, 2]")
    with pytest.raises(InputError, match="record 1 is not an object"):
        read_file(path)


def test_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text('{"id": "001", "text": "hi"}\n\n{"id": "002", "n": 3.0}\n')
    raw = read_file(path)
    assert raw.rows.to_pylist() == [
        {"id": "001", "text": "hi", "n": None},
        {"id": "002", "text": None, "n": "3"},
    ]
    path.write_text('{"id": 1}\nnot json\n')
    with pytest.raises(InputError) as error:
        read_file(path)
    assert error.value.row == 2


def test_parquet(tmp_path: Path) -> None:
    path = tmp_path / "a.parquet"
    table = pa.table(
        {
            "id": ["00123", ""],
            "score": [12.0, 7.5],
            "n": [1, None],
            "at": pa.array([datetime.datetime(2024, 1, 2, 3, 4, 5), None], pa.timestamp("us")),
            "tags": [["a"], []],
        }
    )
    pq.write_table(table, path)
    raw = read_file(path)
    assert raw.rows.to_pylist() == [
        {"id": "00123", "score": "12", "n": "1", "at": "2024-01-02 03:04:05", "tags": '["a"]'},
        {"id": None, "score": "7.5", "n": None, "at": None, "tags": "[]"},
    ]
    assert all(column.type == pa.string() for column in raw.rows.columns)


def test_errors_name_file_and_fix(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file") as error:
        read_file(tmp_path / "missing.csv")
    assert error.value.file and error.value.fix
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="empty"):
        read_file(empty)
    with pytest.raises(InputError, match=r"\.xls is not read"):
        read_file(tmp_path / "old.xls")


def test_ragged_row_is_set_aside_with_its_row_and_line(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text('a,b,c\n1,"x\ny",3\n4,5\n6,7,8\n')
    raw = read_file(path)
    assert raw.rows.to_pylist() == [
        {"a": "1", "b": "x\ny", "c": "3"},
        {"a": "6", "b": "7", "c": "8"},
    ]
    [broken] = raw.broken
    # Row 3 of a spreadsheet (the quoted line break stays in row 2), line 4 of a text editor.
    assert (broken.row, broken.line, broken.text) == (3, 4, "4,5")
    assert "header's 3 columns: it has 2" in broken.reason
    assert raw.skipped_rows == (3,)
