"""Benchmark: import a 1,000,000-row responses CSV, against a bare DuckDB read_csv of the same file.

Goal (issue 2): under 30 s on a 2-core machine. The ratio to DuckDB's own CSV reader, measured in
the same run, is what to compare across machines.

    .venv/bin/python benchmarks/import.py [--rows 1000000]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv

import advocacy

UNITS = np.array(["North", "South", "East", "West", "Online"])
CHANNELS = np.array(["email", "web", "phone", "store"])
COMMENTS = np.array(
    [
        "Quick and friendly, thank you",
        "Waited forty minutes on hold, again",
        "The invoice was wrong, second month in a row",
        "",
        "Fine, nothing special",
    ]
)


def generate(path: Path, rows: int, seed: int = 1) -> None:
    """A responses CSV in canonical columns, as a CRM or survey export would give it."""
    rng = np.random.default_rng(seed)
    start = np.datetime64("2024-01-01T00:00:00")
    seconds = rng.integers(0, 540 * 86400, rows)
    submitted = (start + seconds.astype("timedelta64[s]")).astype(str)
    table = pa.table(
        {
            "response_id": [f"R{i:08d}" for i in range(rows)],
            "customer_id": [f"C{i:06d}" for i in rng.integers(0, 200_000, rows)],
            "submitted_at": [f"{text}+00:00" for text in submitted],
            "unit": UNITS[rng.integers(0, len(UNITS), rows)],
            "channel": CHANNELS[rng.integers(0, len(CHANNELS), rows)],
            "nps": rng.integers(0, 11, rows),
            "csat": rng.integers(1, 6, rows),
            "comment": COMMENTS[rng.integers(0, len(COMMENTS), rows)],
        }
    )
    pa_csv.write_csv(table, path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="advocacy-bench-"))
    try:
        csv_path = work / "responses.csv"
        generate(csv_path, args.rows)
        size_mb = csv_path.stat().st_size / 1e6

        baseline_db = work / "baseline.duckdb"
        began = time.perf_counter()
        con = duckdb.connect(str(baseline_db))
        con.execute(f"CREATE TABLE responses AS SELECT * FROM read_csv('{csv_path}')")
        con.close()
        baseline = time.perf_counter() - began

        began = time.perf_counter()
        with advocacy.open(str(work / "advocacy.duckdb")) as ws:
            result = ws.import_file(csv_path, kind="responses")
        ours = time.perf_counter() - began
        assert result.rows_loaded == args.rows, result.summary()

        began = time.perf_counter()
        with advocacy.open(str(work / "advocacy.duckdb")) as ws:
            again = ws.import_file(csv_path, kind="responses")
        repeat = time.perf_counter() - began
        assert again.rows_unchanged == args.rows and again.rows_loaded == 0

        print(f"rows: {args.rows:,} ({size_mb:.0f} MB CSV)")
        print(f"duckdb read_csv into a table: {baseline:6.2f} s")
        print(f"advocacy import:              {ours:6.2f} s  ({ours / baseline:.1f}x duckdb)")
        print(f"advocacy re-import (no-op):   {repeat:6.2f} s  ({repeat / baseline:.1f}x duckdb)")
        print(f"goal: under 30 s for 1,000,000 rows: {'met' if ours < 30 else 'NOT met'}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
