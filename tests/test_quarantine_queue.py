"""Quarantine as a work queue, on DuckDB and PostgreSQL: re-imports replace a file's entries,
fixed rows resolve them, and status and ``quarantine list`` tell open from resolved."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import advocacy
from advocacy.ingest.readers import read_file
from advocacy.present.cli.main import app
from advocacy.store.connection import connect
from advocacy.store.migrate import migrate

runner = CliRunner()
HEADER = ["response_id", "submitted_at", "nps", "comment", "=odd column"]


def advocacy_cli(*args: str) -> str:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.stdout


def write_csv(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def answers() -> list[list[str]]:
    """Ten answers, three of them bad (rows 4, 7 and 9 of the file)."""
    rows = [
        [f"R{n}", f"2024-03-{n + 1:02d}T10:00:00Z", str(n), f"=comment {n}", f"+{n}"]
        for n in range(10)
    ]
    rows[2][2] = "eleven"  # row 4
    rows[5][1] = "last tuesday"  # row 7
    rows[7][2] = "42"  # row 9
    return rows


def open_and_resolved(url: str) -> tuple[int, int]:
    with advocacy.open(url) as ws:
        status = ws.status()
    return status.quarantined, status.quarantine_resolved


def test_importing_the_same_file_again_replaces_its_entries(db_url: str, tmp_path: Path) -> None:
    data = write_csv(tmp_path / "answers.csv", answers())
    copy = tmp_path / "elsewhere" / "same-content.csv"
    copy.parent.mkdir()
    shutil.copy(data, copy)
    with advocacy.open(db_url) as ws:
        first = ws.import_file(data, kind="responses")
        assert first.rows_quarantined == 3
        again = ws.import_file(data, kind="responses")
        copied = ws.import_file(copy, kind="responses")
        assert again.rows_quarantined == copied.rows_quarantined == 3
        assert any("replaced" in note for note in copied.notes)
        entries = ws.quarantine(include_resolved=True)
    # Three bad rows, listed once: the latest import's entries took the place of the others'.
    assert sorted({(e["import_id"], e["row"]) for e in entries}) == [
        (copied.import_id, 4),
        (copied.import_id, 7),
        (copied.import_id, 9),
    ]
    assert open_and_resolved(db_url) == (3, 0)


def test_a_different_file_at_the_same_path_keeps_the_earlier_entries(
    db_url: str, tmp_path: Path
) -> None:
    # A scheduled export overwriting one path each day: yesterday's bad rows stay open.
    path = tmp_path / "daily.csv"
    with advocacy.open(db_url) as ws:
        ws.import_file(write_csv(path, answers()[:5]), kind="responses")
        later = [
            [f"S{n}", "2024-04-01T10:00:00Z", "x" if n == 1 else "7", "", ""] for n in range(3)
        ]
        ws.import_file(write_csv(path, later), kind="responses")
    assert open_and_resolved(db_url) == (2, 0)


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_fixing_a_quarantine_export_and_importing_it_resolves_the_entries(
    db_url: str, tmp_path: Path, suffix: str
) -> None:
    data = write_csv(tmp_path / "answers.csv", answers())
    with advocacy.open(db_url) as ws:
        first = ws.import_file(data, kind="responses")
    to_fix = tmp_path / f"to_fix.{suffix}"
    said = advocacy_cli("quarantine", "export", "--out", str(to_fix), "--db", db_url)
    assert "wrote 3 quarantined rows" in said
    raw = read_file(to_fix)
    assert raw.header == [
        "quarantine_import_id",
        "quarantine_file",
        "quarantine_row",
        "quarantine_reasons",
        "quarantine_fixes",
        *HEADER,
    ]
    rows = [[value or "" for value in row.values()] for row in raw.rows.to_pylist()]
    assert [row[5] for row in rows] == ["R2", "R5", "R7"]
    # Each row says why it was refused and, apart, what to do about it.
    assert [row[3].split(":")[0] for row in rows] == ["nps", "submitted_at", "nps"]
    assert (
        rows[0][4]
        == "nps: write a number such as 4, 4.5 or 4,5 (a currency sign may stay), no words"
    )
    assert rows[1][4].startswith("submitted_at: write it in one of the forms read (the forms")
    assert rows[2][4] == "nps: write a value from 0 to 10, or map this column to the field it holds"
    assert rows[0][8] == "=comment 2"  # as stored: the export's ' came off when read
    rows[0][7] = "10"  # fix R2's score; leave R5's date bad; fix R7's score
    rows[2][7] = "4"
    fixed = write_csv(tmp_path / "fixed.csv", rows, header=raw.header)
    with advocacy.open(db_url) as ws:
        second = ws.import_file(fixed, kind="responses")
        assert (second.rows_loaded, second.rows_quarantined) == (2, 1)
        loaded = ws.table("responses").to_pyarrow().to_pylist()
        everything = ws.quarantine(include_resolved=True)
    by_id = {row["response_id"]: row for row in loaded}
    assert by_id["R2"]["nps"] == 10 and by_id["R7"]["nps"] == 4
    # The provenance columns told the import what the rows fix; they are not evidence.
    assert json.loads(by_id["R2"]["attrs"]) == {"=odd column": "+2"}
    states = sorted((e["import_id"], e["row"], e["status"], e["resolved_by"]) for e in everything)
    assert states == sorted(
        [
            (first.import_id, 4, "resolved", second.import_id),
            (first.import_id, 9, "resolved", second.import_id),
            (second.import_id, 3, "open", None),  # R5 again, in place of its first entry
        ]
    )
    assert open_and_resolved(db_url) == (1, 2)
    listed = advocacy_cli("quarantine", "list", "--format", "json", "--db", db_url)
    assert [(row["row"], row["value"]) for row in json.loads(listed)] == [(3, "last tuesday")]
    everything_listed = json.loads(
        advocacy_cli("quarantine", "list", "--all", "--format", "json", "--db", db_url)
    )
    assert sorted(row["status"] for row in everything_listed) == ["open", "resolved", "resolved"]
    # Round two: the one left is fixed from a fresh export.
    again = tmp_path / f"again.{suffix}"
    advocacy_cli("quarantine", "export", "--out", str(again), "--db", db_url)
    raw = read_file(again)
    row = [value or "" for value in raw.rows.to_pylist()[0].values()]
    row[raw.header.index("submitted_at")] = "2024-03-06T10:00:00Z"
    with advocacy.open(db_url) as ws:
        ws.import_file(
            write_csv(tmp_path / "fixed2.csv", [row], header=raw.header), kind="responses"
        )
    assert open_and_resolved(db_url) == (0, 3)


def test_a_record_loaded_later_with_the_same_id_resolves_its_entries(
    db_url: str, tmp_path: Path
) -> None:
    with advocacy.open(db_url) as ws:
        first = ws.import_file(write_csv(tmp_path / "march.csv", answers()), kind="responses")
        # A later export from the tool: R2 now has a valid score, R7 is still out of range.
        later = [
            ["R2", "2024-03-03T10:00:00Z", "6", "", ""],
            ["R7", "2024-03-08T10:00:00Z", "99", "", ""],
        ]
        second = ws.import_file(write_csv(tmp_path / "april.csv", later), kind="responses")
        everything = ws.quarantine(include_resolved=True)
    states = sorted((e["import_id"], e["row"], e["status"]) for e in everything)
    assert states == sorted(
        [
            (first.import_id, 4, "resolved"),  # R2
            (first.import_id, 7, "open"),  # R5: no later record
            (second.import_id, 3, "open"),  # R7, quarantined again: replaces its first entry
        ]
    )


def test_status_says_how_many_rows_are_open_and_resolved(db_url: str, tmp_path: Path) -> None:
    with advocacy.open(db_url) as ws:
        ws.import_file(write_csv(tmp_path / "march.csv", answers()), kind="responses")
        ws.import_file(
            write_csv(tmp_path / "fix.csv", [["R2", "2024-03-03T10:00:00Z", "6", "", ""]]),
            kind="responses",
        )
    status = json.loads(advocacy_cli("status", "--format", "json", "--db", db_url))
    assert (status["quarantined_rows"], status["quarantined_rows_resolved"]) == (2, 1)
    assert "2 quarantined rows open (1 resolved by later imports)" in advocacy_cli(
        "status", "--db", db_url
    )
    listed = advocacy_cli("quarantine", "list", "--db", db_url)
    assert "2 quarantined rows open, 1 resolved by later imports (--all lists them too)" in listed


def test_a_workspace_from_before_the_queue_keeps_its_entries_open(db_url: str) -> None:
    db = connect(db_url)
    try:
        migrate(db, target=6)
        db.execute(
            "INSERT INTO imports (import_id, file, sha256, kind, started_at) "
            "VALUES ('old', 'old.csv', 'abc', 'responses', now())"
        )
        db.execute(
            "INSERT INTO quarantine (import_id, row_number, column_name, value, reason, record) "
            """VALUES ('old', 2, 'nps', 'x', 'not a number', CAST('{"nps": "x"}' AS JSON))"""
        )
        migrate(db)
    finally:
        db.close()
    with advocacy.open(db_url) as ws:
        entries: list[dict[str, Any]] = ws.quarantine()
        assert [(e["row"], e["status"], e["record"], e["fix"]) for e in entries] == [
            (2, "open", {"nps": "x"}, "not recorded")  # stored before fixes were (0015)
        ]
    assert open_and_resolved(db_url) == (1, 0)


def test_the_same_bad_record_in_an_overlapping_export_without_ids_is_listed_once(
    db_url: str, tmp_path: Path
) -> None:
    header = ["submitted_at", "nps", "comment"]
    monday = [["2024-03-01T10:00:00Z", "9", "fine"], ["2024-03-02T10:00:00Z", "ten", "hmm"]]
    tuesday = [*monday, ["2024-03-03T10:00:00Z", "eleven", "new"]]
    with advocacy.open(db_url) as ws:
        ws.import_file(write_csv(tmp_path / "monday.csv", monday, header), kind="responses")
        later = ws.import_file(
            write_csv(tmp_path / "tuesday.csv", tuesday, header), kind="responses"
        )
        entries = ws.quarantine(include_resolved=True)
    assert sorted((e["import_id"], e["value"]) for e in entries) == [
        (later.import_id, "eleven"),
        (later.import_id, "ten"),
    ]


def test_a_refused_cell_is_listed_as_the_file_wrote_it_with_its_fix(
    db_url: str, tmp_path: Path
) -> None:
    """review11 item 5: a time refused for its offset (+14:30, past +14:00) was listed as the
    instant it would have been in the workspace's zone (2019-12-31 09:30), a value the file
    never held; and the fix was only in the import's notes (audit4 L7)."""
    path = tmp_path / "reviews.csv"
    path.write_text(
        "review_id,score,created\n"
        "s1,5,2020-01-01T00:00:00+14:30\n"
        "s2,4,2020-01-01 00:00:00Z\n"
        "s3,3,2020-01-01 00:00:00+05:30:15\n",
        encoding="utf-8",
    )
    imported = advocacy_cli("import", str(path), "--kind", "responses", "--db", db_url)
    listed = advocacy_cli("quarantine", "list", "--db", db_url)
    machine = json.loads(advocacy_cli("quarantine", "list", "--format", "json", "--db", db_url))
    exported = tmp_path / "refused.csv"
    advocacy_cli("quarantine", "export", "--out", str(exported), "--db", db_url)
    for printed in (imported, listed):
        assert "2020-01-01T00:00:00+14:30" in printed and "09:30" not in printed
        assert "2020-01-01 00:00:00+05:30:15" in printed
        assert "write it as +hh:mm" in printed
    assert [(row["row"], row["value"], row["fix"]) for row in machine] == [
        (2, "2020-01-01T00:00:00+14:30", "write it as +hh:mm"),
        (4, "2020-01-01 00:00:00+05:30:15", "write it as +hh:mm"),
    ]
    assert all(row["reason"].endswith("in whole minutes below 60)") for row in machine)
    raw = read_file(exported)
    written = raw.rows.to_pylist()
    assert [row["created"] for row in written] == [
        "2020-01-01T00:00:00+14:30",
        "2020-01-01 00:00:00+05:30:15",
    ]
    assert [row["quarantine_fixes"] for row in written] == ["created: write it as +hh:mm"] * 2
