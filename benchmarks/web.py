"""Benchmark: the overview and explorer pages on a 1,000,000-response workspace.

Goal (issue #7): both pages answer in under 300 ms at the 95th percentile. The script builds a
workspace (``--rows`` responses over 24 months, 8 units, 4 channels, 6 touchpoints, 100,000
customers in 4 segments and 6 regions; generated in SQL, about 10 s), serves it with uvicorn on
a loopback port, signs in like a browser and times whole HTTP requests (server and rendering,
over a real socket):

- overview: 10 requests each right after the cache is emptied (cold, as after new evidence
  arrives and before the server's warm-up has recomputed it), then ``--repeat`` more (warm);
- explorer: every combination of metric (5) x dimension (8) x period (none, quarter), first
  each one cold (a cache miss: computed from the database), then all again (warm).

The server caches aggregates per data generation (the import ledger plus API writes), so warm
requests are what users see until new evidence arrives; cold ones are the price of new data.
Last, the overview's scores are timed in process, alternating one ``ws.metrics.scores_batch``
(what the overview runs) with the four separate ``ws.metrics.scores`` calls it replaced, so the
two face the same load; the load average is printed at the start and the end.

Run: ``.venv/bin/python benchmarks/web.py [--rows 1000000] [--repeat 50] [--dir DIR]``
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import socket
import tempfile
import threading
import time
from pathlib import Path

import httpx
import numpy as np
import uvicorn

import advocacy
from advocacy.access import add_user
from advocacy.present.web import create_app

PASSWORD = "benchmark passphrase"
GOAL_MS = 300.0

CUSTOMERS = """
INSERT INTO customers (customer_id, segment, region, is_stub)
SELECT 'c' || i,
       ['household', 'trade', 'student', 'senior'][1 + CAST(hash(i, 7) % 4 AS INTEGER)],
       ['North', 'South', 'East', 'West', 'Midlands', 'Coast'][1 + CAST(hash(i, 8) % 6 AS INTEGER)],
       FALSE
FROM range(100000) AS t(i)
"""

RESPONSES = """
INSERT INTO responses (response_id, customer_id, submitted_at, unit, channel, touchpoint,
                       journey_stage, survey, nps, csat, csat_scale_min, csat_scale_max, ces,
                       ces_scale_min, ces_scale_max)
SELECT
    'r' || i,
    'c' || CAST(hash(i, 9) % 100000 AS VARCHAR),
    TIMESTAMPTZ '2024-07-01 00:00:00+00' + to_seconds(CAST(hash(i, 1) % 63072000 AS BIGINT)),
    'unit-' || CAST(hash(i, 2) % 8 AS VARCHAR),
    ['email', 'web', 'phone', 'store'][1 + CAST(hash(i, 5) % 4 AS INTEGER)],
    ['checkout', 'delivery', 'returns', 'support', 'website', 'store'][
        1 + CAST(hash(i, 6) % 6 AS INTEGER)],
    ['sell', 'solve', 'serve', 'other'][1 + CAST(hash(i, 10) % 4 AS INTEGER)],
    'relationship',
    CAST(hash(i, 3) % 11 AS BIGINT),
    CAST(1 + hash(i, 4) % 5 AS DOUBLE), 1, 5,
    CAST(1 + hash(i, 11) % 7 AS DOUBLE), 1, 7
FROM range(?) AS t(i)
"""

METRICS = ("nps", "csat", "top-box", "ces", "enps")
DIMENSIONS = (
    "unit",
    "channel",
    "touchpoint",
    "journey_stage",
    "survey",
    "segment",
    "region",
    "value_tier",
)


def build(path: Path, rows: int) -> None:
    started = time.perf_counter()
    with advocacy.open(str(path)) as ws:
        ws.db.execute(CUSTOMERS)
        ws.db.execute(RESPONSES, [rows])
        add_user(ws.db, "analyst", role="analyst", password=PASSWORD)
    print(f"built {rows:,} responses in {time.perf_counter() - started:.1f} s")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _signed_in(base: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=120)
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    done = client.post(
        "/login", data={"username": "analyst", "password": PASSWORD, "csrf_token": token[1]}
    )
    assert done.status_code in (200, 303), done.text
    return client


def _timed(client: httpx.Client, path: str) -> float:
    started = time.perf_counter()
    response = client.get(path)
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (path, response.status_code, response.text[:500])
    return elapsed


def _summary(name: str, times: list[float]) -> str:
    values = np.array(times)
    p95 = float(np.percentile(values, 95))
    verdict = "met" if p95 < GOAL_MS else "NOT met"
    return (
        f"| {name} | {len(values)} | {np.median(values):.0f} | {p95:.0f} | {values.max():.0f} "
        f"| {verdict} |"
    )


def _overview_queries(path: Path, runs: int = 10) -> tuple[list[float], list[float]]:
    """Milliseconds of the overview's scores as one batch and as four calls, alternately."""
    from advocacy.metrics.rollup import MetricsRequest
    from advocacy.present.web.dashboards import OVERVIEW_METRICS

    batched, separate = [], []
    with advocacy.open(str(path)) as ws:
        row = ws.db.fetchone("SELECT max(submitted_at) FROM responses")
        last = row[0] if row else None
        assert last is not None
        month = 3 * ((last.month - 1) // 3) + 1 - 3  # the quarter before the latest one
        since = f"{last.year - (month < 1)}-{(month - 1) % 12 + 1:02d}-01"
        requests = [
            MetricsRequest(OVERVIEW_METRICS),
            MetricsRequest(("nps",), period="month"),
            MetricsRequest(OVERVIEW_METRICS, period="quarter", compare="previous", since=since),
            MetricsRequest(("nps",), by=("unit",), compare="rest"),
        ]
        ws.metrics.scores_batch(requests)  # warm the engine's own caches once, as a server would
        for _ in range(runs):
            started = time.perf_counter()
            ws.metrics.scores_batch(requests)
            batched.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            for request in requests:
                ws.metrics.scores(
                    list(request.metrics),
                    by=list(request.by),
                    period=request.period,
                    since=request.since,
                    compare=request.compare,
                )
            separate.append((time.perf_counter() - started) * 1000)
    return batched, separate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--dir", type=Path, default=None)
    options = parser.parse_args()
    directory = options.dir or Path(tempfile.mkdtemp(prefix="advocacy-web-"))
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"web-{options.rows}.duckdb"
    path.unlink(missing_ok=True)
    build(path, options.rows)
    loads = os.getloadavg()
    print(f"load average at the start: {loads[0]:.1f} (1 min), {loads[1]:.1f} (5 min)")

    port = _free_port()
    # secure_cookies off: the benchmark's client talks plain HTTP to 127.0.0.1.
    app = create_app(str(path), secure_cookies=False)
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            host="127.0.0.1",
            port=port,
            log_level="warning",
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    client = _signed_in(f"http://127.0.0.1:{port}")

    overview_cold = []
    for _ in range(10):
        with app.state.web.use:
            app.state.web.wrote()  # forget every cached aggregate, as new evidence would
        overview_cold.append(_timed(client, "/"))
    overview_warm = [_timed(client, "/") for _ in range(options.repeat)]
    queries = [
        f"/explore?metric={metric}&by={by}&period={period}"
        for metric in METRICS
        for by in DIMENSIONS
        for period in ("", "quarter")
        if metric != "enps" or by == "unit"  # employee answers carry units only
    ]
    explorer_cold = [_timed(client, query) for query in queries]
    explorer_warm = [_timed(client, query) for query in queries]
    client.close()
    server.should_exit = True
    thread.join(timeout=10)
    batched, separate = _overview_queries(path)

    print(
        f"\n{options.rows:,} responses; {platform.machine()}, {platform.python_version()}\n"
        "\n| page | requests | median (ms) | p95 (ms) | max (ms) | goal p95 < 300 ms |\n"
        "|---|---:|---:|---:|---:|---|"
    )
    print(_summary("overview, cache emptied first (cold)", overview_cold))
    print(_summary("overview (warm)", overview_warm))
    print(_summary("explorer, each query's first request (cold)", explorer_cold))
    print(_summary("explorer (warm)", explorer_warm))
    print(
        _summary(
            "overview + explorer (all requests)",
            overview_cold + overview_warm + explorer_cold + explorer_warm,
        )
    )
    print(
        "\nThe overview's scores alone, in process (no HTTP, no rendering), alternating:\n"
        "\n| overview scores | runs | median (ms) | p95 (ms) | max (ms) | goal p95 < 300 ms |\n"
        "|---|---:|---:|---:|---:|---|"
    )
    print(_summary("one batch (ws.metrics.scores_batch)", batched))
    print(_summary("four separate ws.metrics.scores calls (before)", separate))
    loads = os.getloadavg()
    print(f"\nload average at the end: {loads[0]:.1f} (1 min), {loads[1]:.1f} (5 min)")


if __name__ == "__main__":
    main()
