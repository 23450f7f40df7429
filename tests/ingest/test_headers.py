"""Header rows: none, one or several combined; SurveyMonkey exports of both eras, no mapping."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

import advocacy
from advocacy.errors import InputError, MappingError
from advocacy.ingest.formats import adapt, detect_source
from advocacy.ingest.headers import (
    combine_header,
    header_notes,
    second_row_labels,
    set_header_rows,
)
from advocacy.ingest.mapping import load_mapping
from advocacy.ingest.readers import read_file
from advocacy.model import RESPONSES

# A 2014-era SurveyMonkey export: RespondentID, no collector columns, two header rows.
SURVEYMONKEY_2014 = (
    "RespondentID,Which films have you seen?,,,How likely are you to recommend the films to a "
    "friend?,Why?\n"
    ",Star Wars: Episode I,Star Wars: Episode II,Star Wars: Episode III,Response,"
    "Open-Ended Response\n"
    "3292879998,Star Wars: Episode I,,Star Wars: Episode III,9,Great fun\n"
    "3292879538,,,,2,Too long\n"
    "3292765271,Star Wars: Episode I,Star Wars: Episode II,,10,\n"
)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_no_header_keeps_the_first_record(duckdb_url: str, tmp_path: Path) -> None:
    source = _write(tmp_path / "calls.csv", "C001,2024-05-01,Billing\nC002,2024-05-02,Refund\n")
    mapping = _write(
        tmp_path / "map.yaml",
        "kind: interactions\nheader_rows: 0\ncolumns:\n  customer_id: column_1\n"
        "  occurred_at: column_2\n  touchpoint: column_3\n",
    )
    with advocacy.open(duckdb_url) as ws:
        result = ws.import_file(source, kind="interactions", mapping=mapping)
        stored = ws.db.fetchall("SELECT customer_id, touchpoint FROM interactions ORDER BY 1")
    assert (result.rows_read, result.rows_loaded) == (2, 2)
    assert stored == [("C001", "Billing"), ("C002", "Refund")]
    assert any("column_1..column_3" in note for note in result.notes)


def test_no_header_row_numbers_count_from_one(duckdb_url: str, tmp_path: Path) -> None:
    source = _write(tmp_path / "calls.csv", "C001,2024-05-01\nC002,not a date\n")
    mapping = _write(
        tmp_path / "map.yaml",
        "header_rows: 0\ncolumns:\n  customer_id: column_1\n  occurred_at: column_2\n",
    )
    with advocacy.open(duckdb_url) as ws:
        ws.import_file(source, kind="interactions", mapping=mapping)
        [entry] = ws.quarantine()
    assert (entry["row"], entry["value"]) == (2, "not a date")


def test_a_header_that_looks_like_data_is_noted(duckdb_url: str, tmp_path: Path) -> None:
    source = _write(tmp_path / "calls.csv", "C001,2024-05-01,7\nC002,2024-05-02,9\n")
    with advocacy.open(duckdb_url) as ws:
        result = ws.import_file(source, kind="responses")
    [note] = [note for note in result.notes if "looks like data" in note]
    assert "'2024-05-01'" in note and "header_rows: 0" in note


def test_header_notes_spare_question_headers() -> None:
    question = "Please rank the films in order of preference with 1 being your favorite film"
    assert header_notes(["RespondentID", question, "Gender", "Age"]) == []
    assert header_notes(["id", "name", "2024"]) == []
    sentence = "Arrived late and the box was damaged, but support sorted it out the same day."
    assert header_notes(["10472", sentence]) != []
    assert header_notes(["ana@example.com", "Ana", "2024-05-01 10:00"]) != []


def test_two_row_header_keeps_both_rows(tmp_path: Path) -> None:
    raw = read_file(_write(tmp_path / "s.csv", SURVEYMONKEY_2014))
    two = set_header_rows(raw, 2)
    assert two.header == [
        "RespondentID",
        "Which films have you seen? - Star Wars: Episode I",
        "Which films have you seen? - Star Wars: Episode II",
        "Which films have you seen? - Star Wars: Episode III",
        "How likely are you to recommend the films to a friend?",
        "Why?",
    ]
    assert two.first_data_row == 3
    assert two.rows.num_rows == 3
    assert two.header_cells[1][1:4] == [
        "Star Wars: Episode I",
        "Star Wars: Episode II",
        "Star Wars: Episode III",
    ]


def test_combine_header_groups_and_levels() -> None:
    rows = [
        ["id", "Section A", None, None, "Section B", None],
        [None, "Q1", None, "Q2", "Q3", None],
        [None, "yes", "no", "Response", "x", "y"],
    ]
    assert combine_header(rows) == [
        "id",
        "Section A - Q1 - yes",
        "Section A - Q1 - no",
        "Section A - Q2",  # Q2 has one column: "Response" adds nothing
        "Section B - Q3 - x",
        "Section B - Q3 - y",
    ]
    # A blank column stays blank; repeats are numbered, nothing is merged.
    assert combine_header([["a", None, "a"], ["b", None, "b"]]) == [
        "a - b",
        "column_2",
        "a - b (2)",
    ]


def test_surveymonkey_2014_without_a_mapping(duckdb_url: str, tmp_path: Path) -> None:
    source = _write(tmp_path / "films.csv", SURVEYMONKEY_2014)
    assert detect_source(read_file(source)) == "surveymonkey"
    with advocacy.open(duckdb_url) as ws:
        result = ws.import_file(source, kind="responses")
        stored = ws.db.fetchall("SELECT response_id, nps, comment, attrs FROM responses ORDER BY 1")
    assert result.source_format == "surveymonkey"
    # The sub-header row is header, not an answer.
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (3, 3, 0)
    assert [row[:3] for row in stored] == [
        ("3292765271", 10, None),
        ("3292879538", 2, "Too long"),
        ("3292879998", 9, "Great fun"),
    ]
    assert "Which films have you seen? - Star Wars: Episode II" in str(stored[0][3])


@pytest.mark.parametrize(
    "first_columns",
    [
        "Respondent ID,Collector ID,Start Date,End Date",
        "RespondentID,CollectorID,StartDate,EndDate",
    ],
)
def test_surveymonkey_collector_columns_of_both_eras(tmp_path: Path, first_columns: str) -> None:
    text = (
        f"{first_columns},How likely are you to recommend us?\n"
        ",,,,Response\n"
        "114,402,11/02/2026 09:14:03 AM,11/02/2026 09:18:40 AM,9\n"
        "115,402,11/02/2026 10:01:55 AM,11/02/2026 10:05:12 AM,3\n"
    )
    adapted = adapt(read_file(_write(tmp_path / "sm.csv", text)), RESPONSES)
    assert adapted.source_format == "surveymonkey"
    assert adapted.fields["response_id"] == first_columns.split(",")[0]
    assert adapted.fields["submitted_at"] == first_columns.split(",")[3]
    assert adapted.fields["nps"] == "How likely are you to recommend us?"
    assert adapted.rows.num_rows == 2


def test_generic_two_row_header_is_recognised(tmp_path: Path) -> None:
    text = (
        "id,Which channels did you use?,,,Comment\n"
        ",Website,Phone,Store,Open-Ended Response\n"
        "A1,Website,,Store,fine\n"
        "A2,,Phone,,slow\n"
    )
    raw = read_file(_write(tmp_path / "plain.csv", text))
    assert second_row_labels(raw)
    adapted = adapt(raw, RESPONSES, source="generic")
    assert "Which channels did you use? - Phone" in adapted.rows.column_names
    assert adapted.rows.num_rows == 2
    assert any("second row labels" in note for note in adapted.notes)


def test_a_data_row_is_not_taken_for_labels(tmp_path: Path) -> None:
    # A blank header cell over text data, and a first data row without numbers: still data.
    raw = read_file(_write(tmp_path / "a.csv", "id,,name\nx1,foo,Ana\nx2,bar,Ben\n"))
    assert not second_row_labels(raw)
    raw = read_file(_write(tmp_path / "b.csv", "type,note\nResponse,ok\nResponse,fine\n"))
    assert not second_row_labels(raw)


def test_xlsx_header_rows(duckdb_url: str, tmp_path: Path) -> None:
    path = tmp_path / "s.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Respondent", "Rate us", None])
    sheet.append([None, "Speed", "Price"])
    sheet.append(["00042", 4, 5])
    book.save(path)
    raw = read_file(path)
    two = set_header_rows(raw, 2)
    assert two.header == ["Respondent", "Rate us - Speed", "Rate us - Price"]
    assert two.rows.to_pylist() == [
        {"Respondent": "00042", "Rate us - Speed": "4", "Rate us - Price": "5"}
    ]
    none = set_header_rows(raw, 0)
    assert none.header == ["column_1", "column_2", "column_3"]
    assert none.rows.column("column_1").to_pylist() == ["Respondent", None, "00042"]
    assert none.first_data_row == 1


def test_header_rows_errors(tmp_path: Path) -> None:
    raw = read_file(_write(tmp_path / "a.csv", "a,b\n1,2\n"))
    with pytest.raises(InputError, match="only 2 row"):
        set_header_rows(raw, 3)
    json_file = tmp_path / "a.json"
    json_file.write_text('[{"a": 1}]', encoding="utf-8")
    with pytest.raises(InputError, match="names its columns by its keys"):
        set_header_rows(read_file(json_file), 0)
    with pytest.raises(MappingError, match="header_rows"):
        load_mapping(_write(tmp_path / "m.yaml", "header_rows: -2\n"))


def test_real_file_without_a_header(shared_data: Path, duckdb_url: str, tmp_path: Path) -> None:
    # The CDNOW sample has no header: master id, sample id, date, CDs, dollars.
    source = shared_data / "cdnow" / "CDNOW_sample.txt"
    mapping = _write(
        tmp_path / "map.yaml",
        "kind: transactions\nheader_rows: 0\ncolumns:\n  customer_id: column_1\n"
        "  occurred_at: column_3\n  quantity: column_4\n  amount: column_5\n"
        "constants:\n  currency: USD\n",
    )
    with advocacy.open(duckdb_url) as ws:
        result = ws.import_file(source, kind="transactions", mapping=mapping)
        first = ws.db.fetchall(
            "SELECT amount, CAST(attrs AS TEXT) FROM transactions WHERE customer_id = '00004' "
            "ORDER BY occurred_at LIMIT 1"
        )
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (6_919, 6_919, 0)
    # The first line is a purchase, not a header: customer 00004's first, with its sample id.
    assert first[0][0] == 29.33 and '"0001"' in first[0][1]
