"""A quarantined cell's fix is ours, whatever the user's value holds (review13 item 1).

Some reasons quote what the user wrote: a conflicting key, a Parquet ``time_offsets`` cell, the
``date_format`` and the name of a mapping file. Before, the stored fix was the text after the
*first* "; fix: ", so a value holding that mark cut the reason short and became our advice on
the CLI, the web Import page, the API and the export's ``quarantine_fixes``. Here every hostile
value holds the mark with markup, a formula or 100,000 characters, on DuckDB and PostgreSQL.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

import advocacy
from advocacy.ingest.reason_fixes import FIX_MARK, split_fix, with_fix
from advocacy.present.cli.main import app

MARKED = (
    f"dup{FIX_MARK}<script>alert(1)</script>",
    f'=HYPERLINK("http://e"){FIX_MARK}=1+1',
    f"{'z' * 100_000}{FIX_MARK}run this",
)
#: Our fixes of these checks, as the checks write them.
CONFLICT_FIX = "make the key unique, or choose with on_conflict: first|last in a mapping file"
OFFSET_FIX = "write each entry as a UTC offset such as -03:00"
FORMAT_FIX = "correct the value or the format"


def _conflicts(path: Path) -> Path:
    lines = ["response_id,submitted_at,nps"]
    for value in MARKED:
        quoted = '"' + value.replace('"', '""') + '"'
        lines += [f"{quoted},2025-01-01,7", f"{quoted},2025-01-01,8"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _offsets(path: Path) -> Path:
    count = len(MARKED) + 1
    table = pa.table(
        {
            "response_id": [f"p{n}" for n in range(count)],
            "submitted_at": pa.array([0] * count, pa.timestamp("us", tz="UTC")),
            "nps": [7] * count,
            "time_offsets": [*MARKED, json.dumps({"submitted_at": f"+01:00{FIX_MARK}x"})],
        }
    )
    pq.write_table(table, path)
    return path


def test_a_users_value_holding_the_mark_stays_in_the_reason_and_the_fix_is_ours(
    db_url: str, tmp_path: Path
) -> None:
    mapping = tmp_path / f"m{FIX_MARK}<b>=1+1.yaml"
    mapping.write_text("kind: responses\ndate_format: '%d.%m.%Y'\n", encoding="utf-8")
    dated = tmp_path / "dated.csv"
    dated.write_text("response_id,submitted_at,nps\nd1,2025-01-31,7\n", encoding="utf-8")
    with advocacy.open(db_url) as ws:
        conflicts = ws.import_file(_conflicts(tmp_path / "conflicts.csv"), kind="responses")
        offsets = ws.import_file(_offsets(tmp_path / "offsets.parquet"), kind="responses")
        formats = ws.import_file(dated, kind="responses", mapping=mapping)
        stored = {(e["file"], e["row"]): (e["reason"], e["fix"]) for e in ws.quarantine()}
    assert conflicts.rows_quarantined == 6 and offsets.rows_quarantined == 4
    assert formats.rows_quarantined == 1
    assert len(stored) == 11
    for (file, row), (_, fix) in stored.items():
        expected = (
            CONFLICT_FIX
            if file.endswith("conflicts.csv")
            else OFFSET_FIX
            if file.endswith(".parquet")
            else FORMAT_FIX
        )
        assert fix.startswith(expected) and FIX_MARK not in fix, (row, fix[:200])
        assert "<script>" not in fix and "=1+1" not in fix and "run this" not in fix
    # Each reason keeps the user's value, mark and all (a giant one cut, as the check cuts it).
    reasons = "\n".join(reason for reason, _ in stored.values())
    for value in MARKED:
        assert value[:60] in reasons
    assert f"'+01:00{FIX_MARK}x'" in reasons
    assert f"m{FIX_MARK}<b>=1+1.yaml" in reasons
    # The CLI's list shows the same two apart.
    listed = CliRunner().invoke(
        app, ["--db", db_url, "quarantine", "list", "--format", "json"], env={"COLUMNS": "200"}
    )
    assert listed.exit_code == 0, listed.output
    fixes = {entry["fix"] for entry in json.loads(listed.stdout)}
    assert all(FIX_MARK not in fix and "<script>" not in fix for fix in fixes), fixes


def test_the_fix_is_after_our_mark_and_a_fix_cannot_hold_it() -> None:
    said = f"conflicting key: id '{MARKED[0]}'"
    assert split_fix(with_fix(said, CONFLICT_FIX)) == (said, CONFLICT_FIX)
    with pytest.raises(ValueError, match="cannot hold"):
        with_fix("not a number", f"write 4{FIX_MARK}or 5")
