"""``advocacy import --server``: a DuckDB workspace held by a running ``advocacy serve`` still
takes new files (issue #20.4).

The server runs as a real process, so it holds DuckDB's file lock as in use: the CLI's own
import then fails with the lock error, which names the way out, and the same import through
``--server`` works, idempotently, with the refused rows shown and the import audited.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import advocacy
from advocacy.access import create_token
from support.cli import advocacy_cli
from support.live_server import free_port, wait_until_listening

CUSTOMERS = "customer_id,name\nC1,Ada Quill\nC2,Bo Lind\n"
#: R2's NPS of 14 is out of range: quarantined (file row 3).
RESPONSES = (
    "response_id,customer_id,submitted_at,unit,nps,comment\n"
    "R1,C1,2026-01-05T10:00:00Z,North,10,Lovely staff\n"
    "R2,C2,2026-01-06T10:00:00Z,South,14,Too high a score\n"
    "R3,C2,2026-01-07T10:00:00Z,South,3,Slow refund\n"
)


@contextlib.contextmanager
def _serving(db: Path) -> Iterator[str]:
    """``advocacy serve`` on ``db`` as a process on a free loopback port; yield its address."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "advocacy", "serve", "--port", str(port), "--db", str(db)],
        cwd=db.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_until_listening(
            port,
            alive=lambda: server.poll() is None,
            explain=lambda: server.stdout.read() if server.stdout and server.poll() else "",
        )
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.communicate(timeout=30)


def test_a_served_duckdb_workspace_takes_files_through_the_server(tmp_path: Path) -> None:
    db = tmp_path / "ws.duckdb"
    (tmp_path / "customers.csv").write_text(CUSTOMERS, encoding="utf-8")
    survey = tmp_path / "survey.csv"
    survey.write_text(RESPONSES, encoding="utf-8")
    with advocacy.open(str(db)) as ws:
        ws.import_file(tmp_path / "customers.csv", kind="customers")
        analyst = create_token(ws.db, role="analyst", name="loader").secret
        viewer = create_token(ws.db, role="viewer", name="reader").secret

    with _serving(db) as base:
        locked = advocacy_cli("import", str(survey), "--kind", "responses", "--db", str(db))
        assert locked.returncode == 1
        message = " ".join(locked.stderr.split())
        assert "is in use by another process" in message
        assert "advocacy import --server http://HOST:PORT --token TOKEN FILE" in message

        imported = advocacy_cli(
            "import", str(survey), "--kind", "responses", "--server", base, "--token", analyst,
            env={"COLUMNS": "200"},
        )  # fmt: skip
        assert imported.returncode == 0, imported.stderr
        assert "imported survey.csv as responses (generic, csv" in imported.stdout
        # The server runs the case rules as the CLI's own import does (answers of January:
        # older than the 30-day case window).
        assert "cases: none opened, all 2 records are dated before" in " ".join(
            imported.stdout.split()
        )
        [refused] = [line for line in imported.stdout.splitlines() if "must be between" in line]
        assert [cell.strip() for cell in refused.split("│")[1:4]] == ["3", "nps", "14"]

        again = advocacy_cli(
            "import", str(survey), "--kind", "responses", "--format", "json",
            "--server", base, "--token", analyst,
        )  # fmt: skip
        assert again.returncode == 0, again.stderr
        summary = json.loads(again.stdout)
        assert (summary["rows_loaded"], summary["rows_unchanged"]) == (0, 2)
        assert (summary["cases"]["checked"], summary["cases"]["window_days"]) == (0, 30)
        skipped = advocacy_cli(
            "import", str(survey), "--kind", "responses", "--format", "json", "--no-cases",
            "--server", base, "--token", analyst,
        )  # fmt: skip
        assert skipped.returncode == 0, skipped.stderr
        assert "cases" not in json.loads(skipped.stdout)

        denied = advocacy_cli(
            "import", str(survey), "--kind", "responses", "--server", base, "--token", viewer
        )
        assert denied.returncode == 1 and "the viewer role may not write evidence" in denied.stderr
        nowhere = advocacy_cli(
            "import", str(survey), "--kind", "responses", "--server", base + "/nothing-here",
            "--token", analyst,
        )  # fmt: skip
        assert nowhere.returncode == 1
        assert "answered 404 without an advocacy answer" in nowhere.stderr

    with advocacy.open(str(db)) as ws:
        stored = ws.db.fetchall("SELECT response_id FROM responses ORDER BY 1")
        entries = ws.access.audit()
    audited = [(e.actor, e.detail["file"]) for e in entries if e.action == "import.file"]
    assert stored == [("R1",), ("R3",)]
    assert audited == [("loader", "survey.csv")] * 3
