"""Faults answered, not fatal (issue #15.7): a full disk and a broken database connection get
503 with the usual error shape, and the server carries on by itself once the cause is gone (on
PostgreSQL the server's pool replaces a broken connection before a request gets it).

The disk is real: a tmpfs of a few megabytes mounted for the test (CI runs as root; without
root the test is skipped locally and fails in CI), filled up by a ballast file while a real
uvicorn server takes writes. DuckDB checkpoints its write-ahead log into the database file once
the log reaches 16 MB; the test lowers that threshold to 1 MB (``PRAGMA wal_autocheckpoint``)
so a checkpoint, and its failure on the full disk, come after a few requests instead of
sixteen megabytes. A failed checkpoint invalidates the database ("database has been
invalidated"): every later statement fails until it is opened again, which is what used to
need a restart.
"""

from __future__ import annotations

import logging
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

import advocacy
from advocacy.access import create_token
from advocacy.present.web import create_app
from support import require
from support.live_server import serving


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A tmpfs of 8 MB, unmounted after the test."""
    folder = tmp_path / "disk"
    folder.mkdir()
    mounted = (
        os.geteuid() == 0
        and subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(folder)],
            capture_output=True,
            check=False,
        ).returncode
        == 0
    )
    require(mounted, "mounting a small tmpfs needs root (CI runs as root)")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=False)


def _fill(folder: Path, *, leave: int) -> Path:
    """Fill ``folder``'s file system with a ballast file, leaving ``leave`` bytes free."""
    status = os.statvfs(folder)
    ballast = folder / "ballast"
    ballast.write_bytes(b"\0" * max(0, status.f_bavail * status.f_frsize - leave))
    return ballast


def test_a_full_disk_is_answered_with_503_and_recovered_from_without_restart(
    small_disk: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="advocacy.web")
    url = str(small_disk / "advocacy.duckdb")
    with advocacy.open(url) as ws:
        token = create_token(ws.db, role="analyst", name="etl").secret
    app = create_app(url)
    with (
        serving(app) as base,
        httpx.Client(
            base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=60
        ) as api,
    ):
        assert api.get("/api/v1/status").status_code == 200
        state = app.state.web
        with state.use:
            state.ws.db.execute("PRAGMA wal_autocheckpoint = '1MB'")
        ballast = _fill(small_disk, leave=1_400_000)
        acknowledged: list[str] = []
        sent: list[str] = []
        statuses: list[int] = []
        refusals: list[httpx.Response] = []
        for batch in range(40):
            notes = [
                {"note_id": f"n{batch}-{i}", "text": os.urandom(2_500).hex()} for i in range(10)
            ]
            answer = api.post("/api/v1/notes", json=notes)
            statuses.append(answer.status_code)
            sent += [note["note_id"] for note in notes]
            if answer.status_code == 200:
                acknowledged += [note["note_id"] for note in notes]
            else:
                refusals.append(answer)
        assert set(statuses) <= {200, 503}, statuses  # never a 500
        assert statuses[0] == 200 and statuses[-1] == 503
        for refused in refusals:
            shape = refused.json()
            assert shape["error"] == "StorageUnavailableError"
            assert "full" in shape["message"] or "fatal" in shape["message"]
            assert int(refused.headers["Retry-After"]) >= 1
        log = "\n".join(record.getMessage() for record in caplog.records)
        assert "database has been invalidated" in log or "autocheckpoint failed" in log

        ballast.unlink()  # space is back
        time.sleep(1.1)  # reopening is tried at most once a second
        assert api.get("/api/v1/status").status_code == 200
        after = api.post("/api/v1/notes", json=[{"note_id": "after", "text": "space is back"}])
        assert after.status_code == 200 and after.json()["inserted"] == 1
        with state.use:
            stored = {row[0] for row in state.ws.db.fetchall("SELECT note_id FROM notes")}
    # Every acknowledged write is there; nothing appeared that was not sent.
    assert set(acknowledged) <= stored <= {*sent, "after"}
    # And it is all on disk: a fresh process-level open (after the server closed) sees it.
    with advocacy.open(url) as ws:
        reopened = {row[0] for row in ws.db.fetchall("SELECT note_id FROM notes")}
    assert reopened == stored


def test_broken_postgres_connections_are_replaced(postgres_url: str) -> None:
    with advocacy.open(postgres_url) as ws:
        token = create_token(ws.db, role="analyst", name="etl").secret
    import psycopg

    with (
        serving(create_app(postgres_url)) as base,
        httpx.Client(
            base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=60
        ) as api,
    ):
        assert api.get("/api/v1/status").status_code == 200
        with psycopg.connect(postgres_url, autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        # The pool checks a connection as it lends it and replaces a broken one, so the next
        # request is already answered on a new connection.
        assert api.get("/api/v1/status").status_code == 200
        written = api.post("/api/v1/notes", json=[{"note_id": "pg-after", "text": "back"}])
        assert written.status_code == 200
