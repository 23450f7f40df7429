"""Benchmark: many users on a PostgreSQL workspace, on loopback (issue #20.3).

Goal: with 50 web users reading pages and 200 API writes a second for 60 s, pages answer in
under 500 ms at the 95th percentile, no request fails, and every acknowledged write is stored
exactly once (none lost, none doubled).

The script starts a throw-away PostgreSQL server (as the tests do, ``tests/support/postgres.py``;
or ``--url`` for an existing database), loads the demo company into it (``--customers``, the
comments analysed, themes, plans and cases, as ``advocacy demo`` builds), and runs
``advocacy serve`` on it as its own process. Then, from this process (asyncio and aiohttp):

- ``--users`` signed-in users (sessions of an analyst, a viewer and a case handler, in turn)
  each open a page, wait a think time (uniform in ``--think`` +- 50 %), and open the next, round
  the pages the navigation offers (overview, explorer twice, customers and a customer 360,
  cases, coaching, text, advocates, gaps, plans, people); the first ``--warm-up`` seconds are not
  counted;
- writers post ``--writes`` single-record writes a second (``POST /api/v1/responses``, each a
  new response with a unique id), for ``--seconds``: write *i* is due at ``start + i / rate``
  and the next free one of ``--write-workers`` writers (each on one keep-alive connection)
  sends it then; a write sent more than 0.1 s after its time is counted late (every writer was
  still waiting for an answer: the server is behind).

At the end it counts, in the database, the load's responses by id: each acknowledged write
(HTTP 200) must be there once, and a write that got no answer is reported apart (its outcome
is unknown to the client). The load average is printed before and after, and the CPU time the
server process, PostgreSQL and this client used during the load (on a shared machine the
wall-clock figures depend on the other jobs; the CPU time much less), with the client's CPU per
request it sent (warm-up included): a client that takes the cores the server needs measures
itself. Also reported: how old the pages said their figures were ("Figures as of ...": the
share of pages saying so, the 95th percentile and the most, fresh pages counting 0), and what
the server's caches computed and where (each server process logs it as it stops: results
computed by requests and by background refreshes, their CPU seconds, and results taken from
another process). Results as JSON with ``--json``.

Run: ``.venv/bin/python benchmarks/load.py [--seconds 60] [--users 50] [--writes 200]``
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime
import faulthandler
import itertools
import json
import os
import platform
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import numpy as np
import yarl

import advocacy
from advocacy.access import add_user, create_token

REPOSITORY = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY / "tests"))

from support.live_server import free_port, wait_until_listening  # noqa: E402
from support.postgres import postgres_databases  # noqa: E402

GOAL_MS = 500.0
PASSWORD = "load benchmark passphrase"
USERS = (("ana", "analyst", None), ("vic", "viewer", None), ("hal", "case-handler", "North"))


def load_answer(response_id: str, customer: str, number: int) -> dict[str, Any]:
    """The survey answer the load writes as its ``number``-th write (every load-style
    benchmark writes this shape: a comment and a score cycling through 0-10)."""
    return {
        "response_id": response_id,
        "customer_id": customer,
        "submitted_at": "2026-11-30T12:00:00Z",
        "unit": "North",
        "nps": number % 11,
        "comment": f"load test answer {number}",
    }


def build_workspace(url: str, *, customers: int, seed: int = 7) -> dict[str, Any]:
    """Load the demo company into the PostgreSQL database at ``url``, as ``advocacy demo``
    builds it; return a customer to open and the secrets the load needs."""
    from advocacy.demo.build import write_tables
    from advocacy.demo.cases import add_demo_cases
    from advocacy.demo.generator import IMPORT_ORDER, generate
    from advocacy.demo.plans import add_demo_plans

    data = generate(np.random.default_rng(seed), customers=customers)
    with tempfile.TemporaryDirectory() as folder, advocacy.open(url) as ws:
        paths = write_tables(data, Path(folder))
        for kind in IMPORT_ORDER:
            ws.import_file(paths[kind], kind=kind, source="generic", cases=False)
        ws.text.analyze()
        ws.text.discover_themes()
        add_demo_plans(ws)
        add_demo_cases(ws, seed=seed)
        sessions = []
        for name, role, units in USERS:
            user = add_user(ws.db, name, role=role, password=PASSWORD, units=units)
            sessions.append(ws.access.start_session(user.principal()).cookie)
        token = create_token(ws.db, role="analyst", name="load-writer").secret
        customer = ws.db.fetchone(
            "SELECT customer_id FROM responses WHERE unit = 'North' ORDER BY customer_id LIMIT 1"
        )
    return {
        "sessions": sessions,
        "token": token,
        "customer": customer[0] if customer else "",
    }


def pages(customer: str) -> list[str]:
    """The pages a user goes round (the navigation's, and one record of each kind)."""
    return [
        "/",
        "/explore?metric=nps&by=unit",
        "/explore?metric=csat&by=region&period=quarter",
        "/customers",
        f"/customers/{customer}",
        "/cases",
        "/coaching",
        "/text",
        "/advocates",
        "/gaps",
        "/plans",
        "/people",
    ]


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) process ``pid`` and its running children (the worker processes
    of ``serve --workers N``) have used so far (Linux ``/proc``)."""
    fields = _stat(pid)
    ticks = int(fields[11]) + int(fields[12])
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError):
                child = _stat(int(entry.name))
                if int(child[1]) == pid:
                    ticks += int(child[11]) + int(child[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def postgres_cpu_seconds(url: str) -> float | None:
    """CPU time the PostgreSQL server of ``url`` has used so far: its postmaster, the backends
    it has reaped and those still running (Linux ``/proc``; None when it cannot be read)."""
    try:
        with advocacy.open(url) as ws:
            backend = int(ws.db.fetchall("SELECT pg_backend_pid()")[0][0])
            # read while the backend still lives: once closed, its /proc entry may be gone
            postmaster = int(_stat(backend)[1])
        fields = _stat(postmaster)
        ticks = sum(int(value) for value in fields[11:15])  # utime, stime, cutime, cstime
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                with contextlib.suppress(OSError, IndexError):
                    child = _stat(int(entry.name))
                    if int(child[1]) == postmaster:
                        ticks += int(child[11]) + int(child[12])
    except (OSError, ValueError, IndexError, advocacy.AdvocacyError):
        return None
    return ticks / os.sysconf("SC_CLK_TCK")


#: The note of a page showing figures from before the latest writes (in the workspace's time
#: zone, UTC in the demo). Searched in the page's bytes, as received: the client needs nothing
#: else from a page, so it never decodes one (pages run to hundreds of KB).
FIGURES_AS_OF = re.compile(rb"Figures as of (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)")


def figures_age(page: bytes) -> float:
    """How many seconds old a page says its figures are (0 when it does not say: fresh)."""
    found = FIGURES_AS_OF.search(page)
    if found is None:
        return 0.0
    moment = datetime.datetime.fromisoformat(found.group(1).decode()).replace(tzinfo=datetime.UTC)
    return max(0.0, (datetime.datetime.now(datetime.UTC) - moment).total_seconds())


def cache_counts(log: Path) -> dict[str, float]:
    """What the server's caches computed and where, summed over its processes (each logs a
    line "advocacy cache {...}" as it stops): results computed by requests and by background
    refreshes (with their threads' CPU seconds), and results taken from another process."""
    total: dict[str, float] = {}
    for line in log.read_text(errors="replace").splitlines():
        _, found, counts = line.partition("advocacy cache ")
        if found:
            with contextlib.suppress(ValueError):
                for name, value in json.loads(counts).items():
                    total[name] = round(total.get(name, 0) + value, 1)
    return total


@contextlib.contextmanager
def serving(
    url: str,
    log: Path,
    *,
    workers: int = 1,
    source: str | None = None,
    extra: str | None = None,
) -> Iterator[tuple[str, int]]:
    """``advocacy serve`` on the workspace at ``url`` with ``workers`` processes, as its own
    process logging to ``log``
    (with Python's fault handler on: ``kill -ABRT`` prints every thread's stack there); yields
    its address and process id. The package comes from ``source`` (this tree's ``src`` unless
    given), with ``extra`` after it on the module path (the script's own ``PYTHONPATH`` unless
    given)."""
    port = free_port()
    command = [sys.executable, "-m", "advocacy", "serve", "--port", str(port)]
    with log.open("w") as output:
        server = subprocess.Popen(
            [*command, "--db", url, "--workers", str(workers)],
            stdout=output,
            stderr=subprocess.STDOUT,
            env={
                **os.environ,
                # This tree's sources first; a PYTHONPATH given to the script is kept after
                # them (e.g. a folder of optional packages whose effect is measured).
                "PYTHONPATH": os.pathsep.join(
                    filter(
                        None,
                        [
                            source or str(REPOSITORY / "src"),
                            extra if extra is not None else os.environ.get("PYTHONPATH"),
                        ],
                    )
                ),
                "PYTHONFAULTHANDLER": "1",
            },
        )
    try:
        wait_until_listening(
            port,
            alive=lambda: server.poll() is None,
            explain=lambda: log.read_text(errors="replace")[-2000:],
            timeout=120,
        )
        yield f"http://127.0.0.1:{port}", server.pid
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


async def run_load(
    base: str,
    secrets: dict[str, Any],
    *,
    users: int,
    writes_per_second: float,
    seconds: float,
    think: float,
    warm_up: float,
    run: str,
    write_workers: int,
) -> dict[str, Any]:
    """Drive the server; return the page timings, the errors and the writes' outcomes.

    The client is aiohttp's (a C HTTP parser, a pool that finds a free connection without
    looking at the others). httpx's pool looked at every pooled connection on each request,
    ~100 of them with 50 users and 64 writers: several ms of the client's CPU a request, as much
    as the server used to answer it. Every user and every writer has at most one request in
    flight, so the pool never makes one wait. No cookie jar: each request carries its own
    user's session (or the writers' token), as that user's browser would."""
    page_list = pages(secrets["customer"])
    # Built once: joining a path to the base and parsing it again per request is client CPU.
    address = {path: yarl.URL(base + path) for path in page_list}
    writes_address = yarl.URL(base + "/api/v1/responses")
    timings: list[tuple[str, float]] = []
    ages: list[float] = []  # how old each page said its figures were (0: fresh)
    errors: list[str] = []
    acknowledged: list[str] = []
    unanswered: list[str] = []
    requests = 0  # every request sent, counted or not (the client's CPU per request)
    started = time.monotonic()
    counted_from = started + warm_up
    stop = counted_from + seconds
    # httpx's timeout=60 was per phase; these are aiohttp's per phase (connect includes a
    # wait for a pooled connection).
    timeout = aiohttp.ClientTimeout(total=None, connect=60, sock_connect=60, sock_read=60)
    connector = aiohttp.TCPConnector(limit=users + write_workers + 8, keepalive_timeout=30)
    async with aiohttp.ClientSession(
        connector=connector, timeout=timeout, cookie_jar=aiohttp.DummyCookieJar()
    ) as client:

        async def user(number: int) -> None:
            nonlocal requests
            cookie = secrets["sessions"][number % len(secrets["sessions"])]
            headers = {"Cookie": f"advocacy_session={cookie}"}
            chooser = random.Random(number)
            order = page_list[number % len(page_list) :] + page_list[: number % len(page_list)]
            await asyncio.sleep(chooser.uniform(0, think))  # users arrive spread out
            for path in itertools.cycle(order):
                if time.monotonic() >= stop:
                    return
                begun = time.monotonic()
                requests += 1
                body = b""
                try:
                    async with client.get(address[path], headers=headers) as answer:
                        body = await answer.read()
                        status = answer.status
                    failed = None if status == 200 else f"{path}: {status}"
                except (aiohttp.ClientError, TimeoutError) as error:
                    failed = f"{path}: {type(error).__name__}"
                took = time.monotonic() - begun
                if begun >= counted_from and begun < stop:
                    timings.append((path, took))
                    ages.append(figures_age(body) if not failed else 0.0)
                    if failed:
                        errors.append(failed)
                await asyncio.sleep(chooser.uniform(0.5 * think, 1.5 * think))

        write_headers = {
            "Authorization": f"Bearer {secrets['token']}",
            "Content-Type": "application/json",
        }

        async def write(number: int) -> None:
            nonlocal requests
            response_id = f"LOAD-{run}-{number}"
            record = [load_answer(response_id, secrets["customer"], number)]
            requests += 1
            try:
                async with client.post(
                    writes_address, data=json.dumps(record).encode(), headers=write_headers
                ) as answer:
                    await answer.read()  # the whole answer, as a client that checks it would
                    status = answer.status
            except (aiohttp.ClientError, TimeoutError) as error:
                unanswered.append(response_id)
                errors.append(f"POST /api/v1/responses: {type(error).__name__}")
                return
            if status == 200:
                acknowledged.append(response_id)
            else:
                errors.append(f"POST /api/v1/responses: {status}")

        interval = 1.0 / writes_per_second if writes_per_second > 0 else float("inf")
        following = itertools.count()
        late = 0

        async def writer() -> None:
            """One of ``write_workers``: takes the next write, waits for its time, sends it."""
            nonlocal late
            if writes_per_second <= 0:
                return
            for number in following:
                due = counted_from + number * interval
                if due >= stop or time.monotonic() >= stop:
                    return  # past the end: a write not sent by then is counted as not sent
                delay = due - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
                elif delay < -0.1:
                    late += 1  # every writer was still waiting for an answer: the server is behind
                await write(number)

        readers = [asyncio.create_task(user(number)) for number in range(users)]
        await asyncio.sleep(max(0.0, counted_from - time.monotonic()))
        await asyncio.gather(*(writer() for _ in range(write_workers)))
        await asyncio.gather(*readers)
        write_seconds = time.monotonic() - counted_from
    return {
        "timings": timings,
        "ages": ages,
        "errors": errors,
        "acknowledged": acknowledged,
        "unanswered": unanswered,
        "write_seconds": write_seconds,
        "late": late,
        "requests": requests,
    }


def check_writes(url: str, run: str, acknowledged: list[str]) -> dict[str, int]:
    """Count the load's responses in the database: lost, doubled and unexpected ones."""
    with advocacy.open(url) as ws:
        rows = ws.db.fetchall(
            "SELECT response_id, count(*) FROM responses WHERE response_id LIKE ? GROUP BY 1",
            [f"LOAD-{run}-%"],
        )
    stored = dict(rows)
    return {
        "stored": len(stored),
        "lost": sum(1 for key in acknowledged if key not in stored),
        "doubled": sum(1 for count in stored.values() if count > 1),
        "stored_not_acknowledged": len(set(stored) - set(acknowledged)),
    }


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> None:
    faulthandler.register(signal.SIGUSR1)  # kill -USR1 prints this process's stacks
    # A stop (SIGTERM) unwinds like Ctrl-C: the server process and PostgreSQL are stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--writes", type=float, default=200.0, help="API writes per second")
    parser.add_argument("--think", type=float, default=1.0, help="mean seconds between pages")
    parser.add_argument("--warm-up", type=float, default=10.0, help="seconds not counted")
    parser.add_argument("--customers", type=int, default=2000, help="size of the demo")
    parser.add_argument("--url", help="an empty PostgreSQL database (default: a temporary one)")
    parser.add_argument(
        "--write-workers", type=int, default=64, help="writes in flight at most (keep-alive)"
    )
    parser.add_argument(
        "--workers", type=int, default=1, help="server processes (advocacy serve --workers)"
    )
    parser.add_argument("--server-log", default="load-server.log", help="the server's output")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    options = parser.parse_args()

    with contextlib.ExitStack() as stack:
        url = options.url
        if url is None:
            url = stack.enter_context(postgres_databases()).create()
        built = time.monotonic()
        secrets = build_workspace(url, customers=options.customers)
        build_seconds = time.monotonic() - built
        load_before = _load()
        base, server = stack.enter_context(
            serving(url, Path(options.server_log), workers=options.workers)
        )
        run = f"{int(time.time())}"
        server_cpu = cpu_seconds(server)
        client_cpu = time.process_time()
        database_cpu = postgres_cpu_seconds(url)
        outcome = asyncio.run(
            run_load(
                base,
                secrets,
                users=options.users,
                writes_per_second=options.writes,
                seconds=options.seconds,
                think=options.think,
                warm_up=options.warm_up,
                run=run,
                write_workers=options.write_workers,
            )
        )
        load_after = _load()
        server_cpu = cpu_seconds(server) - server_cpu
        client_cpu = time.process_time() - client_cpu
        database_after = postgres_cpu_seconds(url)
        if database_cpu is not None and database_after is not None:
            database_cpu = database_after - database_cpu
        writes = check_writes(url, run, outcome["acknowledged"])

    times = np.array([took for _, took in outcome["timings"]]) * 1000
    by_page: dict[str, list[float]] = {}
    for path, took in outcome["timings"]:
        by_page.setdefault(path.split("?")[0], []).append(took * 1000)
    results = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "customers": options.customers,
        "build_seconds": round(build_seconds, 1),
        "users": options.users,
        "workers": options.workers,
        "think_seconds": options.think,
        "seconds": options.seconds,
        "pages_read": int(times.size),
        "page_p50_ms": round(float(np.percentile(times, 50)), 1) if times.size else None,
        "page_p95_ms": round(float(np.percentile(times, 95)), 1) if times.size else None,
        "page_max_ms": round(float(times.max()), 1) if times.size else None,
        "pages_labelled": sum(age > 0 for age in outcome["ages"]),
        "figures_age_p95_s": round(float(np.percentile(outcome["ages"], 95)), 1)
        if outcome["ages"]
        else None,
        "figures_age_max_s": round(max(outcome["ages"]), 1) if outcome["ages"] else None,
        "page_p95_ms_by_page": {
            path: round(float(np.percentile(values, 95)), 1) for path, values in by_page.items()
        },
        "writes_acknowledged": len(outcome["acknowledged"]),
        "writes_per_second": round(len(outcome["acknowledged"]) / outcome["write_seconds"], 1),
        "writes_unanswered": len(outcome["unanswered"]),
        "writes_sent_late": outcome["late"],
        "writes_due_not_sent": max(
            0,
            int(options.seconds * options.writes)
            - len(outcome["acknowledged"])
            - sum(error.startswith("POST") for error in outcome["errors"]),  # unanswered too
        ),
        **{f"writes_{key}": value for key, value in writes.items()},
        "errors": len(outcome["errors"]),
        "error_kinds": sorted(set(outcome["errors"]))[:10],
        "server_cpu_seconds": round(server_cpu, 1),
        "client_cpu_seconds": round(client_cpu, 1),
        "client_requests": outcome["requests"],
        "client_cpu_ms_per_request": round(1000 * client_cpu / max(1, outcome["requests"]), 2),
        "postgres_cpu_seconds": None if database_cpu is None else round(database_cpu, 1),
        "load_average_before": load_before,
        "load_average_after": load_after,
        "server_cache": cache_counts(Path(options.server_log)),
    }
    results["goal_met"] = bool(
        results["page_p95_ms"] is not None
        and results["page_p95_ms"] < GOAL_MS
        and results["errors"] == 0
        and writes["lost"] == 0
        and writes["doubled"] == 0
    )
    if options.json:
        print(json.dumps(results, indent=2))
        return
    for key, value in results.items():
        print(f"{key:>28}: {value}")


if __name__ == "__main__":
    main()
