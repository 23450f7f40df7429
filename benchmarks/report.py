"""Benchmark: write the report (HTML and PDF) for the demo, and for 1,000,000 responses.

``--demo`` (issue 19): the demo's report, HTML and PDF, written by ``advocacy report`` in a
fresh process as a user runs it, in under 8 s and 400 MB. The script builds the demo once
(``advocacy demo``'s data, 5,000 customers, seed 7), then runs the command ``--repeat`` times and
records each run's wall time, CPU time (user + system, which other processes on a shared machine
do not inflate) and peak resident memory, read from the operating system for the child process.

Without ``--demo`` (issue 9): under 60 s for 1,000,000 responses. The workspace is generated
straight into DuckDB (not through the importer, whose speed benchmarks/import.py measures):
200,000 named customers with e-mail addresses, 1,000,000 responses over two years in 12 units
with NPS, CSAT, CES and comments, and 5,000 employee answers. One unit's scores fall in the last
quarter, so the report has significant changes to find.

    .venv/bin/python benchmarks/report.py --demo [--repeat 3] [--keep DIR]
    .venv/bin/python benchmarks/report.py [--rows 1000000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

#: Issue 19's goals for the demo's HTML + PDF.
DEMO_SECONDS, DEMO_MEGABYTES = 8.0, 400.0

CUSTOMERS = """
INSERT INTO customers (customer_id, name, email, segment, region)
SELECT 'C' || i, 'Customer ' || i || ' Example', 'customer' || i || '@example.com',
       CASE WHEN hash(i, 1) % 3 = 0 THEN 'business' ELSE 'consumer' END,
       CASE WHEN hash(i, 2) % 2 = 0 THEN 'east' ELSE 'west' END
FROM range(?) AS t(i)
"""

RESPONSES = """
INSERT INTO responses (response_id, customer_id, survey, submitted_at, channel, unit, nps, csat,
                       csat_scale_min, csat_scale_max, ces, ces_scale_min, ces_scale_max, comment)
WITH raw AS (
    SELECT i,
           TIMESTAMPTZ '2024-01-01 00:00:00+00'
               + to_seconds(CAST(hash(i, 3) % 63072000 AS BIGINT)) AS submitted_at,
           'unit-' || CAST(hash(i, 4) % 12 AS VARCHAR) AS unit,
           CAST(hash(i, 5) % 11 AS BIGINT) AS draw
    FROM range(?) AS t(i)
)
SELECT 'r' || i, 'C' || (hash(i, 6) % ?), 'relationship', submitted_at,
       CASE WHEN hash(i, 7) % 2 = 0 THEN 'email' ELSE 'web' END, unit,
       -- unit-3 loses its promoters in the last quarter: a drop the report must find
       CASE WHEN unit = 'unit-3' AND submitted_at >= TIMESTAMPTZ '2025-10-01 00:00:00+00'
            THEN least(draw, 7) ELSE draw END,
       CAST(1 + hash(i, 8) % 5 AS DOUBLE), 1, 5,
       CAST(1 + hash(i, 9) % 7 AS DOUBLE), 1, 7,
       CASE WHEN hash(i, 10) % 4 = 0 THEN 'Call me on 555-867-5309 about my order' END
FROM raw
"""

EMPLOYEES = """
INSERT INTO employee_responses (employee_response_id, unit, submitted_at, enps)
SELECT 'e' || i, 'unit-' || CAST(hash(i, 11) % 12 AS VARCHAR),
       TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_seconds(CAST(hash(i, 12) % 63072000 AS BIGINT)),
       CAST(hash(i, 13) % 11 AS BIGINT)
FROM range(?) AS t(i)
"""


def generate(path: Path, rows: int, customers: int) -> float:
    import advocacy

    started = time.perf_counter()
    with advocacy.open(str(path)) as ws:
        ws.db.execute(CUSTOMERS, [customers])
        ws.db.execute(RESPONSES, [rows, customers])
        ws.db.execute(EMPLOYEES, [5000])
    return time.perf_counter() - started


def timed_run(command: list[str], cwd: Path) -> tuple[float, float, float]:
    """Run ``command``; return its wall seconds, CPU seconds and peak memory in MB."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    output, errors = process.communicate()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{errors.decode()}")
    del output
    # ru_maxrss is in kilobytes on Linux.
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def demo(args: argparse.Namespace) -> None:
    """Time ``advocacy report --pdf`` on the demo, each run in a fresh process."""
    from advocacy.demo.build import build_demo

    directory = args.keep or Path(tempfile.mkdtemp(prefix="advocacy-report-demo-"))
    directory.mkdir(parents=True, exist_ok=True)
    database = directory / "demo" / "advocacy.duckdb"
    if not database.exists():
        built = build_demo(directory / "demo", seed=7, customers=5000)
        print(f"built the demo in {built.seconds:.1f} s")
    command = [sys.executable, "-m", "advocacy", "report", "--db", str(database)]
    command += ["--out", "report.html", "--pdf", "report.pdf"]
    runs = [timed_run(command, directory) for _ in range(args.repeat)]
    load = os.getloadavg()[0]
    print(f"load average while measuring: {load:.1f} on {os.cpu_count()} CPUs")
    print("| run | wall (s) | CPU (s) | peak memory (MB) |")
    print("|---|---:|---:|---:|")
    for number, (wall, cpu, megabytes) in enumerate(runs, start=1):
        print(f"| {number} | {wall:.1f} | {cpu:.1f} | {megabytes:.0f} |")
    wall = statistics.median(run[0] for run in runs)
    cpu = statistics.median(run[1] for run in runs)
    peak = max(run[2] for run in runs)
    print(
        f"median wall {wall:.1f} s (goal < {DEMO_SECONDS:.0f} s: "
        f"{'met' if wall < DEMO_SECONDS else 'MISSED'}); median CPU {cpu:.1f} s; peak memory "
        f"{peak:.0f} MB (goal < {DEMO_MEGABYTES:.0f} MB: "
        f"{'met' if peak < DEMO_MEGABYTES else 'MISSED'})"
    )
    if args.keep is None:
        shutil.rmtree(directory)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demo", action="store_true", help="time the demo's report (issue 19)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the demo's report")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=200_000)
    parser.add_argument("--keep", type=Path, help="write the workspace and reports here")
    args = parser.parse_args()
    if args.demo:
        demo(args)
        return
    directory = args.keep or Path(tempfile.mkdtemp(prefix="advocacy-report-bench-"))
    directory.mkdir(parents=True, exist_ok=True)
    database = directory / "workspace.duckdb"
    database.unlink(missing_ok=True)
    seconds = generate(database, args.rows, args.customers)
    print(f"generated {args.rows:,} responses in {seconds:.1f} s")

    import advocacy
    import advocacy.report

    results = []
    with advocacy.open(str(database)) as ws:
        for redact in (False, True):
            name = "redacted" if redact else "plain"
            started = time.perf_counter()
            files = advocacy.report.write(ws, directory / f"{name}.html", redact=redact)
            html_seconds = time.perf_counter() - started
            started = time.perf_counter()
            files = advocacy.report.write(
                ws, directory / f"{name}.html", pdf=directory / f"{name}.pdf", redact=redact
            )
            both_seconds = time.perf_counter() - started
            results.append((name, html_seconds, both_seconds, files.pages))
    print("| report | HTML (s) | HTML + PDF (s) | PDF pages |")
    print("|---|---:|---:|---:|")
    for name, html_seconds, both_seconds, pages in results:
        print(f"| {name} | {html_seconds:.1f} | {both_seconds:.1f} | {pages} |")
    worst = max(both for _, _, both, _ in results)
    print(f"goal < 60 s: {'met' if worst < 60 else 'MISSED'} (slowest {worst:.1f} s)")
    if args.keep is None:
        shutil.rmtree(directory)


if __name__ == "__main__":
    main()
