"""Benchmark: the server CPU time of each web page when its aggregates are cached (issue #20.3).

Fifty users reading pages need a page to cost little CPU once its figures are computed: at
about one core per server process, 20 ms a page is 50 pages a second. The script starts a
throw-away PostgreSQL server (as the tests do; ``--engine duckdb`` for a DuckDB file), loads the
demo company into it as the load benchmark does (``benchmarks/load.py``: ``--customers``, the
comments analysed, themes, plans and cases), and serves it in process through the ASGI client
(``fastapi.testclient``) as a signed-in analyst. After ``--warm`` rounds of every page (which
fill the server's cache of aggregates and wait for its warm-up), it measures ``--rounds`` more:
each request's CPU time of the whole process (``time.process_time``: the app's threads
included), the pages taken in turn so that each faces the same load. It reports per page the
best and the median CPU time, and the size of the HTML.

``--source DIR`` (repeatable) measures the same workspace with the package in ``DIR`` too (a
``src`` folder of another commit, e.g. from ``git archive``), each in a process of its own, in
turn, so that a before and an after face the same machine.

Run: ``.venv/bin/python benchmarks/pages.py [--rounds 8] [--source /tmp/before/src]``
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPOSITORY = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def pages(customer: str, employee: str) -> list[str]:
    """The pages measured: the load benchmark's round, and one employee's coaching."""
    from load import pages as load_round

    return [*load_round(customer), f"/coaching/{employee}"]


def measure(url: str, session: str, paths: list[str], *, warm: int, rounds: int) -> dict[str, Any]:
    """CPU milliseconds of each page of ``paths`` (best, median) and its size, in this process."""
    from fastapi.testclient import TestClient

    from advocacy.present.web import create_app

    times: dict[str, list[float]] = {path: [] for path in paths}
    sizes: dict[str, int] = {}
    with TestClient(create_app(url), base_url="https://testserver") as client:
        client.cookies.set("advocacy_session", session)
        for round_number in range(warm + rounds):
            for path in paths:
                started = time.process_time()
                answer = client.get(path)
                took = time.process_time() - started
                if answer.status_code != 200:
                    raise SystemExit(f"{path} answered {answer.status_code}: {answer.text[:500]}")
                if round_number >= warm:
                    times[path].append(took * 1000)
                    sizes[path] = len(answer.content)
            if round_number == warm - 1:
                time.sleep(1.0)  # let background recomputations of the warm rounds finish
    return {
        path: {
            "best_ms": round(min(values), 1),
            "median_ms": round(statistics.median(values), 1),
            "kilobytes": round(sizes[path] / 1000, 1),
        }
        for path, values in times.items()
    }


def build(
    engine: str,
    folder: Path,
    customers: int,
    stack: contextlib.ExitStack,
    *,
    written: int = 0,
    user: int = 0,
) -> dict[str, Any]:
    """The demo workspace: its URL, a session (``user``: 0 the analyst's, 1 the viewer's, 2 the
    North case handler's), a customer and an employee to open; with ``written`` responses
    written to the customer as the load benchmark's API writes do."""
    from load import build_workspace

    import advocacy
    from support.postgres import postgres_databases

    if engine == "postgres":
        url = stack.enter_context(postgres_databases()).create()
    else:
        url = str(folder / "pages.duckdb")
    built = build_workspace(url, customers=customers)
    if written:
        write_like_the_load(url, built["customer"], written)
    with advocacy.open(url) as ws:
        employee = ws.db.fetchone(
            "SELECT employee_id FROM responses WHERE employee_id IS NOT NULL "
            "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"
        )
    return {
        "url": url,
        "session": built["sessions"][user],
        "customer": built["customer"],
        "employee": employee[0] if employee else "",
    }


def write_like_the_load(url: str, customer: str, count: int) -> None:
    """``count`` responses of ``customer``, as the load benchmark's API writes (a minute of
    its writes leaves ~10,000 on one customer, and a case opened for each low score), written
    the way the API's group commit writes them, 50 at a time."""
    from load import load_answer

    import advocacy
    from advocacy.ingest.limits import InputLimits
    from advocacy.ingest.write_groups import prepare_write
    from advocacy.loop.evidence_writes import commit_writes

    limits = InputLimits()
    with advocacy.open(url) as ws:
        for first in range(0, count, 50):
            batch = [
                prepare_write(
                    "responses",
                    [load_answer(f"WRITTEN-{number}", customer, number)],
                    actor="api:load",
                    limits=limits,
                )
                for number in range(first, min(count, first + 50))
            ]
            commit_writes(ws.db, batch, settings=ws.settings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=("postgres", "duckdb"), default="postgres")
    parser.add_argument("--customers", type=int, default=2000, help="size of the demo")
    parser.add_argument("--warm", type=int, default=2, help="rounds not counted")
    parser.add_argument("--rounds", type=int, default=8, help="rounds measured")
    parser.add_argument(
        "--source", action="append", default=[], help="also measure the package in this folder"
    )
    parser.add_argument(
        "--written",
        type=int,
        default=0,
        help="responses written to the customer first, as the load benchmark's writes",
    )
    parser.add_argument(
        "--user",
        choices=("analyst", "viewer", "handler"),
        default="analyst",
        help="whose session reads the pages",
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # a child's workspace, as JSON
    options = parser.parse_args()

    if options.measure:
        built = json.loads(options.measure)
        paths = pages(built["customer"], built["employee"])
        found = measure(
            built["url"], built["session"], paths, warm=options.warm, rounds=options.rounds
        )
        print(json.dumps(found))
        return

    with contextlib.ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        started = time.monotonic()
        built = build(
            options.engine,
            folder,
            options.customers,
            stack,
            written=options.written,
            user=("analyst", "viewer", "handler").index(options.user),
        )
        build_seconds = time.monotonic() - started
        load_before = " ".join(f"{value:.2f}" for value in os.getloadavg())
        sources = [str(REPOSITORY / "src"), *options.source]
        results: dict[str, Any] = {}
        for source in sources:
            child = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--measure",
                    json.dumps(built),
                    "--warm",
                    str(options.warm),
                    "--rounds",
                    str(options.rounds),
                ],
                env={**os.environ, "PYTHONPATH": source},
                capture_output=True,
                text=True,
                check=False,
            )
            if child.returncode != 0:
                raise SystemExit(f"measuring {source} failed:\n{child.stderr[-3000:]}")
            results[source] = json.loads(child.stdout.strip().splitlines()[-1])
        load_after = " ".join(f"{value:.2f}" for value in os.getloadavg())

    summary = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "engine": options.engine,
        "customers": options.customers,
        "build_seconds": round(build_seconds, 1),
        "rounds": options.rounds,
        "load_average_before": load_before,
        "load_average_after": load_after,
        "pages": results,
    }
    if options.json:
        print(json.dumps(summary, indent=2))
        return
    print(
        f"{summary['machine']}; {options.engine}, {options.customers} customers; "
        f"load {load_before} -> {load_after}"
    )
    header = "| page | " + " | ".join(
        f"{Path(s).parent.name or s}: best / median ms, KB" for s in sources
    )
    print(header + " |")
    print("|---" * (len(sources) + 1) + "|")
    first = results[sources[0]]
    for path in first:
        cells = [
            f"{results[s][path]['best_ms']} / {results[s][path]['median_ms']}, "
            f"{results[s][path]['kilobytes']}"
            for s in sources
        ]
        print(f"| `{path}` | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
