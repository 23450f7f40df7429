"""Benchmark: the server's CPU per API write and per page, with fixed numbers of requests.

The load benchmark (``benchmarks/load.py``) offers a rate and counts what the server managed;
on a shared machine its CPU per request mixes the start-up warm-up, the refreshes and the
load client's own share. This script asks a fixed number of each and divides the server
process's CPU time by it: ``--pages`` pages of the load's round (a signed-in analyst, viewer
and case handler in turn, ``--concurrency`` in flight), after a warm round that fills the
server's cache, then ``--writes`` single-record API writes (``POST /api/v1/responses``, as
many in flight, so the group commit forms batches as under load; their CPU includes the
overview's refreshes they start, as it does in the server). The workspace is
the load benchmark's (a throw-away PostgreSQL holding the demo company, ``--customers``),
with ``--written`` responses of the load's customer written first (what a minute of the load
leaves behind: that customer's page and the open cases grow with it).

``--variant NAME=PATH`` (repeatable) runs the server again with ``PATH`` added to its module
path after the package, each variant in turn, ``--repeat`` times, so that the variants face
the same machine: a folder with ``httptools`` and ``uvloop`` installed
(``pip install --target DIR httptools uvloop``) measures uvicorn with them (it picks them up
when they can be imported) against its pure-Python defaults. ``--source NAME=DIR`` runs the
package in ``DIR`` (another commit's ``src``) instead, to compare commits.

Run: ``.venv/bin/python benchmarks/request_cpu.py [--writes 2000] [--pages 400]
[--variant fast=/tmp/fast]``
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

import httpx

REPOSITORY = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import build_workspace, cpu_seconds, load_answer, pages, serving  # noqa: E402
from pages import write_like_the_load  # noqa: E402

from support.postgres import postgres_databases  # noqa: E402


async def drive(
    base: str, secrets: dict[str, Any], *, writes: int, page_count: int, concurrency: int, run: str
) -> dict[str, list[str]]:
    """Send ``writes`` API writes, then ``page_count`` pages, ``concurrency`` at a time; return
    the failures."""
    failures: list[str] = []
    round_of_pages = pages(secrets["customer"])
    numbers = itertools.count()
    limits = httpx.Limits(max_connections=concurrency * 2)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=120) as client:

        async def one_write() -> None:
            number = next(numbers)
            record = load_answer(f"CPU-{run}-{number}", secrets["customer"], number)
            answer = await client.post(
                "/api/v1/responses",
                json=[record],
                headers={"Authorization": f"Bearer {secrets['token']}"},
            )
            if answer.status_code != 200:
                failures.append(f"write: {answer.status_code}")

        async def one_page(number: int) -> None:
            cookie = secrets["sessions"][number % len(secrets["sessions"])]
            path = round_of_pages[(number // len(secrets["sessions"])) % len(round_of_pages)]
            answer = await client.get(path, headers={"Cookie": f"advocacy_session={cookie}"})
            if answer.status_code != 200:
                failures.append(f"{path}: {answer.status_code}")

        async def in_turns(count: int, job: Any) -> None:
            queue = iter(range(count))

            async def worker() -> None:
                for number in queue:
                    await job(number)

            await asyncio.gather(*(worker() for _ in range(concurrency)))

        await in_turns(writes, lambda _: one_write())
        await in_turns(page_count, one_page)
    return {"failures": failures}


def measure(
    url: str, secrets: dict[str, Any], source: str, extra: str | None, options: Any
) -> dict[str, Any]:
    """One server run: the warm round, then the server CPU per write and per page."""
    with (
        tempfile.TemporaryDirectory() as folder,
        serving(url, Path(folder) / "server.log", source=source, extra=extra or "") as (base, pid),
    ):
        run = f"{time.time_ns()}"
        warm = len(secrets["sessions"]) * len(pages(secrets["customer"]))
        asyncio.run(drive(base, secrets, writes=50, page_count=warm, concurrency=4, run=run + "w"))
        time.sleep(2.0)  # the warm-up and refreshes the warm round started
        begun = cpu_seconds(pid)
        read = asyncio.run(
            drive(
                base,
                secrets,
                writes=0,
                page_count=options.pages,
                concurrency=options.concurrency,
                run=run,
            )
        )
        after_pages = cpu_seconds(pid)
        written = asyncio.run(
            drive(
                base,
                secrets,
                writes=options.writes,
                page_count=0,
                concurrency=options.concurrency,
                run=run,
            )
        )
        after_writes = cpu_seconds(pid)
    return {
        "ms_per_page": round(1000 * (after_pages - begun) / max(1, options.pages), 2),
        "ms_per_write": round(1000 * (after_writes - after_pages) / max(1, options.writes), 2),
        "failures": written["failures"] + read["failures"],
    }


def copy_of(databases: Any, template: str, number: int) -> str:
    """A new database copied from the one ``template`` names (each run starts from the same
    workspace: the writes of one run would make the next one's customer page longer)."""
    import psycopg

    name = f"{urlparse(template).path.lstrip('/')}_copy_{number}"
    with psycopg.connect(databases.url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{urlparse(template).path[1:]}"')
    return urlunparse(urlparse(template)._replace(path=f"/{name}"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--writes", type=int, default=2000, help="API writes measured")
    parser.add_argument("--pages", type=int, default=400, help="pages measured")
    parser.add_argument("--concurrency", type=int, default=16, help="requests in flight")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each variant, in turn")
    parser.add_argument("--customers", type=int, default=2000, help="size of the demo")
    parser.add_argument(
        "--written",
        type=int,
        default=0,
        help="responses written to the load's customer first (as a minute of the load leaves)",
    )
    parser.add_argument(
        "--variant", action="append", default=[], help="NAME=PATH: also with PATH on the path"
    )
    parser.add_argument(
        "--source", action="append", default=[], help="NAME=DIR: the package in DIR instead"
    )
    options = parser.parse_args()
    here = str(REPOSITORY / "src")
    variants: list[tuple[str, str, str | None]] = [("this tree", here, None)]
    for given in options.variant:
        name, _, path = given.partition("=")
        variants.append((name, here, path))
    for given in options.source:
        name, _, path = given.partition("=")
        variants.append((name, path, None))
    results: dict[str, list[dict[str, Any]]] = {name: [] for name, _, _ in variants}
    with postgres_databases() as databases:
        url = databases.create()
        secrets = build_workspace(url, customers=options.customers)
        if options.written:
            write_like_the_load(url, secrets["customer"], options.written)
        load_before = " ".join(f"{value:.2f}" for value in os.getloadavg())
        copies = itertools.count(1)
        for turn in range(options.repeat):
            # ABBA...: neither variant always goes first
            for name, source, extra in variants if turn % 2 == 0 else variants[::-1]:
                copy = copy_of(databases, url, next(copies))
                results[name].append(measure(copy, secrets, source, extra, options))
        load_after = " ".join(f"{value:.2f}" for value in os.getloadavg())
    summary = {
        name: {
            "ms_per_write": [run["ms_per_write"] for run in runs],
            "ms_per_page": [run["ms_per_page"] for run in runs],
            "median_ms_per_write": statistics.median(run["ms_per_write"] for run in runs),
            "median_ms_per_page": statistics.median(run["ms_per_page"] for run in runs),
            "failures": sorted({failure for run in runs for failure in run["failures"]}),
        }
        for name, runs in results.items()
    }
    print(
        json.dumps(
            {
                "writes": options.writes,
                "pages": options.pages,
                "concurrency": options.concurrency,
                "load_average_before": load_before,
                "load_average_after": load_after,
                "variants": summary,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
