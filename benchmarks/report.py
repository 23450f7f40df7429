"""Benchmark: write the report (HTML and PDF, plain and redacted) for 1,000,000 responses.

Goal (issue 9): under 60 s. The workspace is generated straight into DuckDB (not through the
importer, whose speed benchmarks/import.py measures): 200,000 named customers with e-mail
addresses, 1,000,000 responses over two years in 12 units with NPS, CSAT, CES and comments,
and 5,000 employee answers. One unit's scores fall in the last quarter, so the report has
significant changes to find.

    .venv/bin/python benchmarks/report.py [--rows 1000000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=200_000)
    parser.add_argument("--keep", type=Path, help="write the workspace and reports here")
    args = parser.parse_args()
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
