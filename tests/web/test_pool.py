"""Many users (issue #20.3): requests share a pool of PostgreSQL connections and wait for one
computation of a missing cached result instead of each computing it.

Each request borrows one of at most ``pool_size`` connections (Ibis queries run on the same
one), so thirty requests at once from a real HTTP server leave PostgreSQL with a handful of
connections instead of two per request thread; every answer is right, and a write made while
others read is kept exactly once.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import psycopg

import advocacy
from advocacy.access import create_token
from advocacy.present.web import create_app
from advocacy.settings import current_settings
from support.live_server import serving

POOL = 3
RESPONSES = "response_id,customer_id,submitted_at,unit,nps\n" + "".join(
    f"R{i},C{i % 7},2026-01-{1 + i % 28:02d}T10:00:00Z,{('North', 'South')[i % 2]},{i % 11}\n"
    for i in range(200)
)


#: The watcher's own connections call themselves this, so none of them is counted.
PROBE = "pool-test-probe"


def _connections(url: str) -> int:
    """Client connections PostgreSQL has open to the database of ``url``, the probes' aside.

    A probe's backend stays in ``pg_stat_activity`` for a moment after the probe closes (until
    the backend process has exited), so on a busy machine the previous probe was sometimes
    counted as one of the server's connections: they are told apart by application name.
    """
    with psycopg.connect(url, autocommit=True, application_name=PROBE) as probe:
        row = probe.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND backend_type = 'client backend' AND application_name <> %s",
            [PROBE],
        ).fetchone()
    return int(row[0]) if row else 0


def test_requests_share_the_pool_of_connections(postgres_url: str, tmp_path: Path) -> None:
    (tmp_path / "responses.csv").write_text(RESPONSES, encoding="utf-8")
    settings = current_settings().updated(pool_size=POOL)
    with advocacy.open(postgres_url, settings=settings) as ws:
        ws.import_file(tmp_path / "responses.csv", kind="responses")
        token = create_token(ws.db, role="analyst", name="load").secret
        expected = float(ws.metrics.scores()["score"].iloc[0])
    headers = {"Authorization": f"Bearer {token}"}
    ws = advocacy.open(postgres_url, settings=settings)
    seen: list[int] = []
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            seen.append(_connections(postgres_url))
            done.wait(0.02)

    try:
        with serving(create_app(workspace=ws)) as base, httpx.Client(base_url=base) as client:
            watcher = threading.Thread(target=watch)
            watcher.start()

            def read(_: int) -> tuple[int, float]:
                answer = client.get("/api/v1/metrics", headers=headers, timeout=60)
                [row] = answer.json()
                return answer.status_code, row["score"]

            def write(number: int) -> int:
                note = [{"note_id": f"N{number}", "customer_id": "C1", "text": "called back"}]
                return client.post(
                    "/api/v1/notes", json=note, headers=headers, timeout=60
                ).status_code

            with ThreadPoolExecutor(max_workers=30) as workers:
                reads = list(workers.map(read, range(60)))
                writes = list(workers.map(write, range(20)))
            done.set()
            watcher.join()
        assert {status for status, _ in reads} == {200}
        assert all(abs(score - expected) < 1e-9 for _, score in reads)
        assert writes == [200] * 20
        # The pool's connections, plus the thread that opened the workspace (migrations).
        # (POOL + 2 was seen once when the previous probe was still counted.) Without the
        # pool: 61.
        assert max(seen) <= POOL + 1, seen
        stored = ws.db.fetchall("SELECT note_id, count(*) FROM notes GROUP BY 1 ORDER BY 1")
        assert sorted(stored) == sorted((f"N{i}", 1) for i in range(20))
    finally:
        ws.close()


def test_a_missing_result_is_computed_once_for_everyone_waiting(tmp_path: Path) -> None:
    """Ten requests asking at once for the same missing aggregate wait for one computation;
    a failed computation fails every one of them, and the next request computes again."""
    from advocacy.present.web.state import WebState

    with advocacy.open(str(tmp_path / "ws.duckdb")) as ws:
        state = WebState(ws)
        started = threading.Barrier(10)
        calls: list[int] = []

        def slow() -> int:
            calls.append(1)
            time.sleep(0.5)
            return 42

        def ask(_: int) -> int:
            started.wait()
            with state.use:
                return state.cached(("page",), slow)

        with ThreadPoolExecutor(max_workers=10) as workers:
            answers = list(workers.map(ask, range(10)))
        assert answers == [42] * 10 and len(calls) == 1

        def broken() -> int:
            calls.append(1)
            time.sleep(0.3)
            raise RuntimeError("the query failed")

        def ask_broken(_: int) -> str:
            started.wait()
            try:
                with state.use:
                    state.cached(("other",), broken)
            except RuntimeError as error:
                return str(error)
            return "answered"

        calls.clear()
        with ThreadPoolExecutor(max_workers=10) as workers:
            outcomes = list(workers.map(ask_broken, range(10)))
        assert outcomes == ["the query failed"] * 10 and len(calls) == 1
        with state.use:
            assert state.cached(("other",), lambda: 7) == 7
