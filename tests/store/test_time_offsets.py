"""Exports give timestamps back in the offsets they came with, and re-import to the same rows."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pyarrow.parquet as pq
import pytest

import advocacy
from support.cli import advocacy_cli

# Mixed offsets, forms and zones: what came in, and the text an export gives back.
SOURCE = {
    "I1": ("2015-02-24 11:35:52 -0800", "2015-02-24 11:35:52-08:00"),
    "I2": ("Tue Oct 31 22:10:47 +0000 2017", "2017-10-31 22:10:47+00:00"),
    "I3": ("2024-05-31T14:00:00.5+05:30", "2024-05-31 14:00:00.500000+05:30"),
    # No offset: Berlin's wall clock, written back with the offset Berlin had then.
    "I4": ("2024-07-01 12:00", "2024-07-01 12:00:00+02:00"),
    "I5": ("1509487847123", "2017-10-31 22:10:47.123000+00:00"),  # an epoch is UTC
    "I6": ("Wed, 01 Nov 2017 09:05:00 +0100", "2017-11-01 09:05:00+01:00"),
}
MAPPING = "kind: interactions\ntimezone: Europe/Berlin\n"
FIELDS = (
    "interaction_id",
    "customer_id",
    "occurred_at",
    "channel",
    "touchpoint",
    "unit",
    "outcome",
    "duration_seconds",
    "time_offsets",
)


def _source_file(tmp_path: Path) -> Path:
    path = tmp_path / "interactions.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["interaction_id", "customer_id", "occurred_at", "channel", "outcome"])
        for key, (written, _) in SOURCE.items():
            writer.writerow([key, "C" + key, written, "web", "=1+1 <b>resolved</b>"])
    return path


def _stored(ws: Any) -> list[tuple[Any, ...]]:
    rows = ws.db.fetchall(f"SELECT {', '.join(FIELDS)} FROM interactions ORDER BY interaction_id")
    # DuckDB returns JSON as text, psycopg parses it.
    return [
        (*row[:-1], json.loads(row[-1]) if isinstance(row[-1], str) else row[-1]) for row in rows
    ]


def test_csv_export_gives_back_the_offsets_and_reimports_to_the_same_rows(
    db_url: str, tmp_path: Path
) -> None:
    mapping = tmp_path / "map.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    out = tmp_path / "out.csv"
    with advocacy.open(db_url) as ws:
        first = ws.import_file(_source_file(tmp_path), kind="interactions", mapping=mapping)
        assert (first.rows_loaded, first.rows_quarantined) == (len(SOURCE), 0)
        before = _stored(ws)
        assert ws.export("interactions", out=out) == len(SOURCE)
    with out.open(encoding="utf-8", newline="") as handle:
        exported = {row["interaction_id"]: row for row in csv.DictReader(handle)}
    assert {key: row["occurred_at"] for key, row in exported.items()} == {
        key: text for key, (_, text) in SOURCE.items()
    }
    assert "time_offsets" not in next(iter(exported.values()))
    # A fresh workspace: the same instants and the same offsets come back; the value read in
    # Berlin now carries the offset its export wrote instead of the zone's name.
    fresh = db_url.replace("workspace.duckdb", "fresh.duckdb") if "duckdb" in db_url else None
    with advocacy.open(fresh or db_url) as ws:
        if fresh is None:  # PostgreSQL: empty the table instead of a new database
            ws.db.execute("DELETE FROM interactions")
        again = ws.import_file(out, kind="interactions", mapping=mapping)
        assert (again.rows_loaded, again.rows_quarantined) == (len(SOURCE), 0)
        after = _stored(ws)
    assert [row[:-1] for row in after] == [row[:-1] for row in before]
    assert [row[-1] for row in after] == [
        *(row[-1] for row in before[:3]),
        {"occurred_at": "+02:00"},
        *(row[-1] for row in before[4:]),
    ]
    assert before[0][2] == datetime(2015, 2, 24, 19, 35, 52, tzinfo=UTC)
    assert before[0][-1] == {"occurred_at": "-08:00"}
    assert before[3][-1] == {"occurred_at": "Europe/Berlin"}


def test_json_and_xlsx_write_the_same_text_and_parquet_keeps_instants_and_offsets(
    duckdb_url: str, tmp_path: Path
) -> None:
    mapping = tmp_path / "map.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    expected = {key: text for key, (_, text) in SOURCE.items()}
    with advocacy.open(duckdb_url) as ws:
        ws.import_file(_source_file(tmp_path), kind="interactions", mapping=mapping)
        for name in ("out.json", "out.xlsx", "out.parquet"):
            ws.export("interactions", out=tmp_path / name)
    records = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert {row["interaction_id"]: row["occurred_at"] for row in records} == expected
    sheet = openpyxl.load_workbook(tmp_path / "out.xlsx", read_only=True).worksheets[0]
    header, *cells = list(sheet.iter_rows(values_only=True))
    key, when = header.index("interaction_id"), header.index("occurred_at")
    assert {row[key]: row[when] for row in cells} == expected
    table = pq.read_table(tmp_path / "out.parquet")
    offsets = dict(
        zip(
            table.column("interaction_id").to_pylist(),
            table.column("time_offsets").to_pylist(),
            strict=True,
        )
    )
    assert json.loads(offsets["I1"]) == {"occurred_at": "-08:00"}
    assert str(table.schema.field("occurred_at").type) == "timestamp[us, tz=UTC]"


def test_rows_stored_before_offsets_were_kept_export_in_utc(
    duckdb_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "out.csv"
    with advocacy.open(duckdb_url) as ws:
        ws.import_file(_source_file(tmp_path), kind="interactions")
        ws.db.execute("UPDATE interactions SET time_offsets = NULL WHERE interaction_id = 'I1'")
        ws.export("interactions", out=out)
    with out.open(encoding="utf-8", newline="") as handle:
        exported = {row["interaction_id"]: row["occurred_at"] for row in csv.DictReader(handle)}
    assert exported["I1"] == "2015-02-24 19:35:52+00:00"
    assert exported["I4"] == "2024-07-01 12:00:00+00:00"  # read as UTC this time, said so


def test_the_export_command_writes_original_offsets(tmp_path: Path) -> None:
    db = str(tmp_path / "ws.duckdb")
    with advocacy.open(db) as ws:
        ws.import_file(_source_file(tmp_path), kind="interactions")
    out = tmp_path / "out.csv"
    done = advocacy_cli("export", "interactions", "--out", str(out), "--db", db, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    assert '"2015-02-24 11:35:52-08:00"' in text
    assert '"2024-05-31 14:00:00.500000+05:30"' in text


def _in_zone(wall_clock: str, zone: str) -> str:
    """``wall_clock`` with the offset ``zone`` had then, as Python's zone database gives it."""
    moment = datetime.fromisoformat(wall_clock).replace(tzinfo=ZoneInfo(zone))
    return moment.isoformat(sep=" ")


def test_real_order_times_go_in_and_come_back_as_written(shared_data: Path, tmp_path: Path) -> None:
    # Olist's orders (Brazil) carry local times without an offset: read as Sao Paulo time,
    # they come back out as written, with the offset Sao Paulo had at each (-03:00, or -02:00
    # in its summer time until 2019).
    source = shared_data / "real-exports" / "olist-subset" / "olist_orders_dataset.csv"
    mapping = tmp_path / "orders.yaml"
    mapping.write_text(
        "kind: interactions\ntimezone: America/Sao_Paulo\ncolumns:\n  interaction_id: order_id\n"
        "  customer_id: customer_id\n  occurred_at: order_purchase_timestamp\n"
        "  outcome: order_status\n",
        encoding="utf-8",
    )
    out = tmp_path / "orders.csv"
    with advocacy.open(str(tmp_path / "ws.duckdb")) as ws:
        result = ws.import_file(source, kind="interactions", mapping=mapping)
        assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (4071, 4071, 0)
        ws.export("interactions", out=out)
    with source.open(encoding="utf-8-sig", newline="") as handle:
        written = {
            row["order_id"]: _in_zone(row["order_purchase_timestamp"], "America/Sao_Paulo")
            for row in csv.DictReader(handle)
        }
    with out.open(encoding="utf-8", newline="") as handle:
        back = {row["interaction_id"]: row["occurred_at"] for row in csv.DictReader(handle)}
    assert back.keys() == written.keys()
    assert sum(back[key] != text for key, text in written.items()) == 0
    assert {text[-6:] for text in back.values()} == {"-03:00", "-02:00"}
    [note] = [note for note in result.notes if "without a UTC offset" in note]
    assert "4,071 values without a UTC offset were read as America/Sao_Paulo time" in note


def test_real_review_dates_keep_their_instants_in_a_workspace_of_another_zone(
    shared_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The audit's round trip (audit4 H4) on all 6,123 Olist reviews, whose dates are Sao Paulo
    # midnights: exported to CSV and XLSX and imported into a workspace of another zone, every
    # instant is the one first stored. Sao Paulo's summer time began on 2017-10-15, so that
    # day's reviews say 01:00 (midnight did not exist there), and ended on 2018-02-18.
    source = shared_data / "real-exports" / "olist-subset" / "olist_order_reviews_dataset.csv"
    mapping = tmp_path / "reviews.yaml"
    mapping.write_text(
        "timezone: America/Sao_Paulo\ncolumns:\n  csat: review_score\n"
        "  comment: review_comment_message\n  submitted_at: review_creation_date\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("ADVOCACY_TIMEZONE", "UTC")
    with advocacy.open(str(tmp_path / "first.duckdb")) as ws:
        result = ws.import_file(source, kind="responses", mapping=mapping)
        assert (result.rows_loaded, result.rows_quarantined) == (6123, 0)
        first = dict(ws.db.fetchall("SELECT response_id, submitted_at FROM responses"))
        for name in ("out.csv", "out.xlsx"):
            ws.export("responses", out=tmp_path / name)
    with (tmp_path / "out.csv").open(encoding="utf-8", newline="") as handle:
        texts = [row["submitted_at"] for row in csv.DictReader(handle)]
    # An independent reading of the source: Python's zone database, not DuckDB's.
    with source.open(encoding="utf-8-sig", newline="") as handle:
        expected = sorted(
            datetime.fromisoformat(row["review_creation_date"])
            .replace(tzinfo=ZoneInfo("America/Sao_Paulo"))
            .astimezone(UTC)
            for row in csv.DictReader(handle)
        )
    assert sorted(first.values()) == expected
    monkeypatch.setenv("ADVOCACY_TIMEZONE", "Asia/Tokyo")
    for name in ("out.csv", "out.xlsx"):
        with advocacy.open(str(tmp_path / f"{name}.duckdb")) as ws:
            again = ws.import_file(tmp_path / name, kind="responses")
            assert (again.rows_loaded, again.rows_quarantined) == (6123, 0)
            assert not [note for note in again.notes if "without a UTC offset" in note]
            back = dict(ws.db.fetchall("SELECT response_id, submitted_at FROM responses"))
        assert back.keys() == first.keys()
        assert sum(back[key] != moment for key, moment in first.items()) == 0, name
    for day, text in [
        ("2017-10-14", "2017-10-14 00:00:00-03:00"),
        ("2017-10-15", "2017-10-15 01:00:00-02:00"),
        ("2018-02-17", "2018-02-17 00:00:00-02:00"),
        ("2018-02-18", "2018-02-18 00:00:00-03:00"),
    ]:
        assert {value for value in texts if value.startswith(day)} == {text}


def test_records_written_through_the_api_keep_their_offsets(db_url: str) -> None:
    records = [
        {"response_id": "a", "submitted_at": "2024-05-31T14:00:00+02:00", "nps": 9},
        {"response_id": "b", "submitted_at": "Fri, 31 May 2024 14:00:00 -0400", "nps": 3},
        {"response_id": "c", "submitted_at": "2024-05-31 14:00", "nps": 7},
    ]
    with advocacy.open(db_url) as ws:
        result = ws.write_records("responses", records)
        again = ws.write_records("responses", records)
        rows = ws.db.fetchall(
            "SELECT response_id, submitted_at, time_offsets FROM responses ORDER BY 1"
        )
    assert (result.inserted, again.unchanged) == (3, 3)
    assert [
        (key, moment, json.loads(offsets) if isinstance(offsets, str) else offsets)
        for key, moment, offsets in rows
    ] == [
        ("a", datetime(2024, 5, 31, 12, tzinfo=UTC), {"submitted_at": "+02:00"}),
        ("b", datetime(2024, 5, 31, 18, tzinfo=UTC), {"submitted_at": "-04:00"}),
        ("c", datetime(2024, 5, 31, 14, tzinfo=UTC), {"submitted_at": "UTC"}),
    ]


#: Hostile ``time_offsets`` cells of a Parquet file, by the row they replace (review11 item 2).
HOSTILE = {
    3: '{"occurred_at": "Mars/Olympus"}',
    10: '{"occurred_at": "+05:30:15"}',
    11: '{"occurred_at": "+14:30"}',
    20: '{"occurred_at": "\'); DROP TABLE interactions;--"}',
    30: "not json",
    40: '{"occurred_at": "' + "A" * 100_000 + '"}',
    50: '{"occurred_at": "-03:00", "occurred_at": "Mars/Olympus"}',
    60: '{"occurred_at": 5}',
}


def test_hostile_offsets_of_a_parquet_file_are_quarantined_with_the_fix(
    shared_data: Path, tmp_path: Path
) -> None:
    """A Parquet export of real orders whose ``time_offsets`` cells were rewritten: each row
    with an entry that is no offset within +-14:00 nor a known zone goes to quarantine with
    its row, the entry (cut) and the fix; the other rows keep their instants. Before, DuckDB
    stopped the import with a traceback (unknown time zone, malformed JSON)."""
    import pyarrow as pa

    source = shared_data / "real-exports" / "olist-subset" / "olist_orders_dataset.csv"
    mapping = tmp_path / "orders.yaml"
    mapping.write_text(
        "kind: interactions\ntimezone: America/Sao_Paulo\ncolumns:\n  interaction_id: order_id\n"
        "  customer_id: customer_id\n  occurred_at: order_purchase_timestamp\n",
        encoding="utf-8",
    )
    exported = tmp_path / "orders.parquet"
    with advocacy.open(str(tmp_path / "first.duckdb")) as ws:
        ws.import_file(source, kind="interactions", mapping=mapping)
        first = dict(ws.db.fetchall("SELECT interaction_id, occurred_at FROM interactions"))
        ws.export("interactions", out=exported)
    table = pq.read_table(exported)
    offsets = table.column("time_offsets").to_pylist()
    for row, cell in HOSTILE.items():
        offsets[row] = cell
    at = table.column_names.index("time_offsets")
    hostile = tmp_path / "hostile.parquet"
    pq.write_table(table.set_column(at, "time_offsets", pa.array(offsets, pa.string())), hostile)
    ids = table.column("interaction_id").to_pylist()
    with advocacy.open(str(tmp_path / "again.duckdb")) as ws:
        result = ws.import_file(hostile, kind="interactions")
        assert (result.rows_loaded, result.rows_quarantined) == (
            len(ids) - len(HOSTILE),
            len(HOSTILE),
        )
        held = ws.db.fetchall("SELECT row_number, reason, fix FROM quarantine ORDER BY row_number")
        back = dict(ws.db.fetchall("SELECT interaction_id, occurred_at FROM interactions"))
    assert [number for number, _, _ in held] == [row + 1 for row in HOSTILE]
    for _, reason, fix in held:
        assert reason.startswith("time_offsets "), reason
        assert fix.startswith("write each entry as a UTC offset such as -03:00"), fix
        assert len(reason) < 600  # the 100,000-character entry is cut
    assert "'Mars/Olympus'" in held[0][1] and "'+05:30:15'" in held[1][1]
    assert "not a JSON object" in held[4][1] and "(100,000 characters)" in held[5][1]
    kept = {key for row, key in enumerate(ids) if row not in HOSTILE}
    assert back.keys() == kept
    assert all(back[key] == first[key] for key in kept)


def test_offset_entries_are_checked_as_the_importer_writes_them() -> None:
    from advocacy.store.time_offsets import entry_problem

    for good in ("+00:00", "-03:00", "+05:45", "+14:00", "-14:00", "UTC", "Europe/Berlin"):
        assert entry_problem(good) is None, good
    for bad in ("+14:01", "-14:30", "+05:60", "+5:30", "+05:30:15", "+05:30\n", "Mars/Olympus"):
        assert entry_problem(bad) is not None, bad
    assert entry_problem("+\u0660\u0665:30") is not None  # Arabic-Indic digits are no offset


def test_a_bad_cell_repeated_over_rows_is_judged_row_by_row() -> None:
    """Each distinct cell is parsed once (an export repeats a few cells over its rows), but the
    verdict stays the row's: a bad entry of a timestamp that is empty in that row is no problem,
    and a row whose first field's entry is fine is held for its second field's."""
    import pyarrow as pa

    from advocacy.store.time_offsets import unreadable_offsets

    at = datetime(2025, 1, 1, 12, tzinfo=UTC)
    bad_first = '{"opened_at":"Mars/Olympus","closed_at":"+01:00"}'
    bad_second = '{"opened_at":"+01:00","closed_at":"+05:30:15"}'
    cells = [bad_first, bad_first, bad_second, bad_second, "[1]", None, " ", '{"opened_at":"UTC"}']
    opened = [at, None, at, at, at, at, at, at]
    closed = [at, at, at, None, None, at, at, at]
    table = pa.table(
        {
            "opened_at": pa.array(opened, pa.timestamp("us", tz="UTC")),
            "closed_at": pa.array(closed, pa.timestamp("us", tz="UTC")),
            "time_offsets": pa.array(cells * 3, pa.string())[: len(cells)],
        }
    )
    found = unreadable_offsets(table)
    assert [item.row for item in found] == [0, 2, 4]
    assert "entry of opened_at" in found[0].reason and "'Mars/Olympus'" in found[0].reason
    assert "entry of closed_at" in found[1].reason and "'+05:30:15'" in found[1].reason
    assert "not a JSON object" in found[2].reason
