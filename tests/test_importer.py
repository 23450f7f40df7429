"""The import pipeline end to end, on DuckDB and PostgreSQL: quarantine, idempotence, stubs."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

import advocacy
from advocacy.errors import InputError, ValidationError

HEADER = ["response_id", "customer_id", "submitted_at", "unit", "nps", "csat", "comment"]


def _good_row(index: int) -> list[str]:
    return [
        f"R{index:04d}",
        f"C{index % 37:03d}",
        f"2024-03-{1 + index % 28:02d} 10:{index % 60:02d}:00+01:00",
        ["North", "South"][index % 2],
        str(index % 11),
        str(1 + index % 5),
        f"comment {index}, with a comma",
    ]


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


# Each bad row breaks one rule; the value and a word of the reason we expect.
BAD = {
    10: ("nps", "11", "between 0 and 10"),
    30: ("nps", "seven", "not a number"),
    50: ("submitted_at", "31/31/2024", "not a date"),
    70: ("csat", "9", "CSAT scale"),
    90: ("customer_id", "1.2E+05", "scientific notation"),
    110: ("nps", "7.5", "whole number"),
    130: ("csat", "-1", "CSAT scale"),
    150: ("submitted_at", "yesterday", "not a date"),
    170: ("nps", "-3", "between 0 and 10"),
    190: ("nps", "100", "between 0 and 10"),
}


def _messy_file(tmp_path: Path) -> Path:
    rows = []
    for index in range(200):
        row = _good_row(index)
        if index in BAD:
            column, value, _ = BAD[index]
            row[HEADER.index(column)] = value
        rows.append(row)
    return _write(tmp_path / "responses.csv", rows)


def test_five_percent_bad_rows_are_quarantined_and_the_rest_load(
    db_url: str, tmp_path: Path
) -> None:
    path = _messy_file(tmp_path)
    with advocacy.open(db_url) as ws:
        result = ws.import_file(path, kind="responses")
        assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (200, 190, 10)
        assert ws.table("responses").count().execute() == 190
        quarantined = ws.quarantine()
    # Spreadsheet row numbers: the header is row 1, so data index i is row i + 2.
    assert sorted(item["row"] for item in quarantined) == sorted(i + 2 for i in BAD)
    for item in quarantined:
        column, value, reason = BAD[item["row"] - 2]
        assert (item["column"], item["value"]) == (column, value)
        assert reason in item["reason"]
        assert item["record"]["response_id"] == f"R{item['row'] - 2:04d}"  # nothing is lost


def test_quarantined_rows_keep_their_spreadsheet_row_after_blank_lines(
    duckdb_url: str, tmp_path: Path
) -> None:
    # Header (row 1), two rows, a blank line (row 4), a row with a line break inside quotes
    # (row 5), two blank lines (rows 6-7), then a bad row: a spreadsheet shows it as row 8.
    path = tmp_path / "gappy.csv"
    path.write_text(
        ",".join(HEADER)
        + "\n"
        + ",".join(_good_row(0)[:-1])
        + ",fine\n"
        + ",".join(_good_row(1)[:-1])
        + ",fine\n"
        + "\n"
        + ",".join(_good_row(2)[:-1])
        + ',"two\n\nlines"\n'
        + "\n\n"
        + ",".join(_good_row(3)[:4])
        + ",eleven,3,bad\n",
        encoding="utf-8",
    )
    with advocacy.open(duckdb_url) as ws:
        result = ws.import_file(path, kind="responses")
        quarantined = ws.quarantine()
    assert (result.rows_loaded, result.rows_quarantined) == (3, 1)
    assert [(item["row"], item["column"], item["value"]) for item in quarantined] == [
        (8, "nps", "eleven")
    ]


def test_reimport_adds_nothing_and_overlapping_export_updates(db_url: str, tmp_path: Path) -> None:
    first = _write(tmp_path / "first.csv", [_good_row(i) for i in range(100)])
    later_rows = [_good_row(i) for i in range(50, 150)]
    later_rows[0][HEADER.index("nps")] = "0"  # R0050 changed its answer in the later export
    later = _write(tmp_path / "later.csv", later_rows)
    with advocacy.open(db_url) as ws:
        ws.import_file(first, kind="responses")
        again = ws.import_file(first, kind="responses")
        assert (again.rows_loaded, again.rows_updated, again.rows_unchanged) == (0, 0, 100)
        overlap = ws.import_file(later, kind="responses")
        assert (overlap.rows_loaded, overlap.rows_updated, overlap.rows_unchanged) == (50, 1, 49)
        responses = ws.table("responses")
        assert responses.count().execute() == 150
        changed = responses.filter(responses.response_id == "R0050").nps.execute().tolist()
        assert changed == [0]


def test_rows_without_ids_get_stable_ids_and_identical_rows_stay_distinct(
    db_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(
        "customer_id,occurred_at,amount\n"
        "C1,2024-01-05,10.00\n"
        "C1,2024-01-05,10.00\n"  # a second, identical purchase the same day
        "C2,2024-01-06,25.50\n",
        encoding="utf-8",
    )
    with advocacy.open(db_url) as ws:
        first = ws.import_file(path, kind="transactions")
        again = ws.import_file(path, kind="transactions")
        assert first.rows_loaded == 3
        assert (again.rows_loaded, again.rows_unchanged) == (0, 3)
        ids = ws.table("transactions").transaction_id.execute().tolist()
    assert len(set(ids)) == 3


def test_unknown_customers_become_stubs_filled_by_a_later_customers_import(
    db_url: str, tmp_path: Path
) -> None:
    responses = _write(tmp_path / "r.csv", [_good_row(i) for i in range(5)])
    customers = tmp_path / "customers.csv"
    customers.write_text(
        "customer_id,name,segment,plan\nC001,Ada Lovelace,enterprise,gold\n", encoding="utf-8"
    )
    with advocacy.open(db_url) as ws:
        result = ws.import_file(responses, kind="responses")
        assert result.stubs_created == 5
        ws.import_file(customers, kind="customers")
        table = ws.table("customers")
        filled = table.filter(table.customer_id == "C001").execute().to_dict("records")[0]
        stubs = table.filter(table.is_stub).count().execute()
    assert filled["name"] == "Ada Lovelace" and not filled["is_stub"]
    attrs = filled["attrs"] if isinstance(filled["attrs"], dict) else json.loads(filled["attrs"])
    assert attrs == {"plan": "gold"}  # unmapped columns are kept
    assert stubs == 4


def test_strict_rejects_the_whole_file_and_dry_run_writes_nothing(
    db_url: str, tmp_path: Path
) -> None:
    path = _messy_file(tmp_path)
    with advocacy.open(db_url) as ws:
        with pytest.raises(ValidationError) as raised:
            ws.import_file(path, kind="responses", strict=True)
        message = str(raised.value)
        assert "responses.csv" in message and "row 12" in message and "'11'" in message
        dry = ws.import_file(path, kind="responses", dry_run=True)
        assert (dry.rows_loaded, dry.rows_quarantined, dry.dry_run) == (190, 10, True)
        assert ws.table("responses").count().execute() == 0
        assert ws.table("imports").count().execute() == 0
        assert ws.quarantine() == []


def test_missing_required_field_and_missing_file_are_clear(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_text("customer_id,occurred_at\nC1,2024-01-05\n", encoding="utf-8")
    with advocacy.open(db_url) as ws:
        # No column can hold the amount: every row would fail alike, so the file is refused.
        with pytest.raises(InputError, match="required field 'amount' of transactions"):
            ws.import_file(path, kind="transactions")
        assert ws.table("transactions").count().execute() == 0
        path.write_text("customer_id,occurred_at,amount\nC1,2024-01-05,\n", encoding="utf-8")
        result = ws.import_file(path, kind="transactions")
        assert result.rows_quarantined == 1
        assert "required" in result.quarantine[0].reason
        assert result.quarantine[0].column == "amount"
        with pytest.raises(InputError, match="not found"):
            ws.import_file(tmp_path / "nope.csv", kind="transactions")


def test_naive_timestamps_use_the_workspace_time_zone(
    duckdb_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ADVOCACY_TIMEZONE", "Europe/Berlin")
    path = tmp_path / "r.csv"
    path.write_text(
        "response_id,submitted_at,nps\nA,2024-07-01 12:00:00,9\nB,2024-07-01T12:00:00Z,9\n",
        encoding="utf-8",
    )
    with advocacy.open(duckdb_url) as ws:
        ws.import_file(path, kind="responses")
        rows = ws.db.fetchall(
            "SELECT response_id, CAST(submitted_at AS TEXT) FROM responses ORDER BY 1"
        )
    assert rows == [("A", "2024-07-01 10:00:00+00"), ("B", "2024-07-01 12:00:00+00")]
