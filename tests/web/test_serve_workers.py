"""``advocacy serve --workers 2`` on PostgreSQL: a browser signed in on one process is signed in
on the other, its CSRF token holds on both, concurrent API writes reaching both are each stored
once, the figures one process computes are taken by the other, and an upload previewed on one
process is imported once, by whichever takes it first. A DuckDB workspace is refused with the
way out."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

import advocacy
from advocacy.access import add_user, create_token
from advocacy.errors import NotFoundError
from advocacy.present.web.uploads import ImportRequest, UploadStore
from support.live_server import free_port, wait_until_listening

PASSWORD = "correct horse battery staple"
WRITES = 60
#: An access-log line of a worker: ``[pid] INFO: 127.0.0.1:port - "GET /path HTTP/1.1" 200``.
ACCESS = re.compile(r'^\[(\d+)\] INFO:.*"(GET|POST) (\S+) HTTP/1\.1" (\d+)')


def _sign_in(base: str) -> tuple[str, str]:
    """Sign in as ``ada``; the session cookie and the session's CSRF token (from a page)."""
    with httpx.Client(base_url=base, timeout=60) as browser:
        # The cookies are Secure: over plain HTTP the test sends them back by hand.
        login = browser.get("/login").cookies.get("advocacy_login_csrf") or ""
        answer = browser.post(
            "/login",
            data={"username": "ada", "password": PASSWORD, "csrf_token": login},
            headers={"Cookie": f"advocacy_login_csrf={login}"},
        )
        assert answer.status_code == 303, answer.text
        session = answer.cookies["advocacy_session"]
        page = browser.get("/cases", headers={"Cookie": f"advocacy_session={session}"})
        assert page.status_code == 200, page.text
        found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert found is not None
        return session, found.group(1)


def _answer(number: int) -> dict[str, Any]:
    return {
        "response_id": f"W{number}",
        "customer_id": f"C{number % 7}",
        "submitted_at": "2026-06-01T09:30:00Z",
        "unit": "North",
        "nps": number % 11,
    }


def test_two_workers_share_sessions_and_store_each_write_once(
    postgres_url: str, tmp_path: Path
) -> None:
    with advocacy.open(postgres_url) as ws:
        add_user(ws.db, "ada", role="admin", password=PASSWORD)
        token = create_token(ws.db, role="analyst", name="writer").secret
    port = free_port()
    log = tmp_path / "server.log"
    with log.open("w") as out:
        command = [sys.executable, "-m", "advocacy", "serve", "--port", str(port)]
        server = subprocess.Popen(
            [*command, "--workers", "2", "--db", postgres_url],
            cwd=tmp_path,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=os.environ.copy(),
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_listening(
            port, alive=lambda: server.poll() is None, explain=lambda: log.read_text()
        )
        session, csrf = _sign_in(base)
        cookie = {"Cookie": f"advocacy_session={session}"}

        def read(number: int) -> int:
            # A new connection each time, so the kernel may hand it to either process.
            path = ("/api/v1/me", "/cases", "/plans")[number % 3]
            return httpx.get(base + path, headers=cookie, timeout=60).status_code

        def write(number: int) -> int:
            if number % 2:  # the browser's session with its CSRF token...
                headers = {**cookie, "X-CSRF-Token": csrf}
            else:  # ...and an API token
                headers = {"Authorization": f"Bearer {token}"}
            answer = httpx.post(
                base + "/api/v1/responses", json=[_answer(number)], headers=headers, timeout=120
            )
            return answer.status_code

        with ThreadPoolExecutor(max_workers=16) as clients:
            reads = list(clients.map(read, range(60)))
            writes = list(clients.map(write, range(WRITES)))
        forged = httpx.post(
            base + "/api/v1/responses",
            json=[_answer(999)],
            headers={**cookie, "X-CSRF-Token": "not-the-token"},
            timeout=60,
        )
    finally:
        server.terminate()
        server.wait(timeout=60)

    assert reads == [200] * 60
    assert writes == [200] * WRITES
    assert forged.status_code == 403
    with advocacy.open(postgres_url) as ws:
        stored = dict(ws.db.fetchall("SELECT response_id, count(*) FROM responses GROUP BY 1"))
    assert stored == {f"W{number}": 1 for number in range(WRITES)}

    answered_by: dict[str, Counter[str]] = {}
    for line in log.read_text().splitlines():
        found = ACCESS.match(line)
        if found:
            pid, _, path, _ = found.groups()
            answered_by.setdefault(path.split("?")[0], Counter())[pid] += 1
    pids = set().union(*answered_by.values())
    assert len(pids) == 2, log.read_text()[-3000:]  # both processes answered
    assert len(answered_by["/api/v1/responses"]) == 2  # and both committed writes
    # One refresh for the whole server: each process logs at shutdown what its cache computed
    # and took from the other (both warmed the overview up at start: one computed it).
    counts = [
        json.loads(line.partition("advocacy cache ")[2])
        for line in log.read_text().splitlines()
        if "advocacy cache " in line
    ]
    assert len(counts) == 2, log.read_text()[-3000:]
    assert sum(count["taken_from_others"] for count in counts) > 0


def test_a_duckdb_workspace_is_served_by_one_process(tmp_path: Path) -> None:
    db = tmp_path / "ws.duckdb"
    advocacy.open(str(db)).close()
    run = subprocess.run(
        [sys.executable, "-m", "advocacy", "serve", "--workers", "2", "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert run.returncode != 0
    said = run.stdout + run.stderr
    assert "--workers 2" in said and "one process" in said and "PostgreSQL" in said


def test_an_upload_waiting_in_a_shared_folder_is_taken_once(tmp_path: Path) -> None:
    one, other = UploadStore(shared=str(tmp_path)), UploadStore(shared=str(tmp_path))
    kept = one.keep(
        "ana", ImportRequest(kind="responses"), name="../survey.csv", data=io.BytesIO(b"a,b\n1,2\n")
    )
    with pytest.raises(NotFoundError):
        other.take(kept.token, "bob")  # someone else's: not found, and still waiting
    taken = other.take(kept.token, "ana")
    assert taken.name == "survey.csv" and taken.request == ImportRequest(kind="responses")
    assert taken.path.read_bytes() == b"a,b\n1,2\n"
    with pytest.raises(NotFoundError):
        one.take(kept.token, "ana")  # taken by the other process already
    other.discard(taken)
    assert list(tmp_path.iterdir()) == []
