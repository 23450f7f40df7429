"""Benchmark: NPS and CSAT with intervals by unit x month on 10,000,000 generated responses.

Three ways to the same numbers, each timed in a fresh process (so peak memory is its own):

- ``advocacy``: ``ws.metrics.scores(["nps", "csat"], by="unit", period="month")``;
- ``pandas``: load the needed columns into a DataFrame and group there (the straightforward way);
- ``sql``: one hand-written DuckDB query computing the same scores and intervals;
- ``sql-epoch``: the same query truncating UTC microseconds, the fastest form we know.

Goals (issue #3): advocacy at least 5x faster than pandas, at most 1.5x the hand-written SQL,
memory bounded (independent of the number of responses). The script checks that all three agree
and prints a Markdown table for docs/benchmarks.md.

Run: ``.venv/bin/python benchmarks/metrics.py [--rows 10000000] [--repeat 3] [--dir DIR]``
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

Z95 = 1.959963984540054

GENERATE = """
INSERT INTO responses (response_id, submitted_at, unit, nps, csat, csat_scale_min, csat_scale_max)
SELECT
    'r' || i,
    TIMESTAMPTZ '2023-01-01 00:00:00+00' + to_seconds(CAST(floor(hash(i, 1) % 63072000) AS BIGINT)),
    'unit-' || CAST(hash(i, 2) % 50 AS VARCHAR),
    CAST(hash(i, 3) % 11 AS BIGINT),
    CAST(1 + hash(i, 4) % 5 AS DOUBLE),
    1,
    5
FROM range(?) AS t(i)
"""

# The hand-written query: counts per unit and month, then adjusted-Wald NPS and Wilson CSAT.
HAND_SQL = f"""
WITH counts AS (
    SELECT unit, CAST(date_trunc('month', submitted_at) AS DATE) AS period,
           count(nps) AS n,
           count(*) FILTER (WHERE nps <= 6) AS det,
           count(*) FILTER (WHERE nps >= 9) AS pro,
           count(csat) AS csat_n,
           count(*) FILTER (WHERE csat >= coalesce(csat_scale_max, 5) - 1) AS csat_hits
    FROM responses GROUP BY ALL
), adjusted AS (
    SELECT *, (pro + 0.75 - det - 0.75) / (n + 3.0) AS centre,
           (pro + 0.75) / (n + 3.0) AS pp, (det + 0.75) / (n + 3.0) AS pd,
           csat_hits / csat_n AS p
    FROM counts
)
SELECT unit, period, n,
       100.0 * (pro - det) / n AS nps,
       100.0 * (centre - {Z95} * sqrt(((pp + pd) - (pp - pd) ^ 2) / (n + 3.0))) AS nps_low,
       100.0 * (centre + {Z95} * sqrt(((pp + pd) - (pp - pd) ^ 2) / (n + 3.0))) AS nps_high,
       100.0 * p AS csat,
       100.0 * ((p + {Z95}^2 / (2 * csat_n)) - {Z95} * sqrt(p * (1 - p) / csat_n
           + {Z95}^2 / (4.0 * csat_n * csat_n))) / (1 + {Z95}^2 / csat_n) AS csat_low,
       100.0 * ((p + {Z95}^2 / (2 * csat_n)) + {Z95} * sqrt(p * (1 - p) / csat_n
           + {Z95}^2 / (4.0 * csat_n * csat_n))) / (1 + {Z95}^2 / csat_n) AS csat_high
FROM adjusted ORDER BY unit, period
"""


def generate(path: Path, rows: int) -> float:
    import advocacy

    started = time.perf_counter()
    with advocacy.open(str(path)) as ws:
        ws.db.execute(GENERATE, [rows])
    return time.perf_counter() - started


def run_advocacy(path: Path) -> Any:
    import advocacy

    with advocacy.open(str(path)) as ws:
        frame = ws.metrics.scores(["nps", "csat"], by="unit", period="month")
    nps = frame[frame.metric == "nps"].reset_index(drop=True)
    csat = frame[frame.metric == "csat"].reset_index(drop=True)
    return nps[["unit", "period", "n", "score", "ci_low", "ci_high"]].assign(
        csat=csat.score, csat_low=csat.ci_low, csat_high=csat.ci_high
    )


def run_pandas(path: Path) -> Any:
    import duckdb
    import numpy as np

    with duckdb.connect(str(path), read_only=True) as connection:
        connection.execute("SET TimeZone = 'UTC'")
        frame = connection.execute(
            "SELECT submitted_at, unit, nps, csat, csat_scale_max FROM responses"
        ).df()
    frame["period"] = frame.submitted_at.dt.tz_convert("UTC").dt.tz_localize(None)
    frame["period"] = frame.period.dt.to_period("M").dt.start_time.dt.date
    frame["det"] = frame.nps <= 6
    frame["pro"] = frame.nps >= 9
    frame["hit"] = frame.csat >= frame.csat_scale_max.fillna(5) - 1
    groups = frame.groupby(["unit", "period"])
    out = groups.agg(
        n=("nps", "count"), det=("det", "sum"), pro=("pro", "sum"), csat_n=("csat", "count")
    )
    out["hits"] = groups.hit.sum()
    out = out.reset_index()
    n, det, pro = out.n.to_numpy(float), out.det.to_numpy(float), out.pro.to_numpy(float)
    out["score"] = 100 * (pro - det) / n
    total = n + 3.0
    pp, pd_ = (pro + 0.75) / total, (det + 0.75) / total
    half = Z95 * np.sqrt(((pp + pd_) - (pp - pd_) ** 2) / total)
    out["ci_low"], out["ci_high"] = 100 * (pp - pd_ - half), 100 * (pp - pd_ + half)
    m, p = out.csat_n.to_numpy(float), out.hits.to_numpy(float) / out.csat_n.to_numpy(float)
    centre = (p + Z95**2 / (2 * m)) / (1 + Z95**2 / m)
    spread = Z95 * np.sqrt(p * (1 - p) / m + Z95**2 / (4 * m * m)) / (1 + Z95**2 / m)
    out["csat"], out["csat_low"], out["csat_high"] = (
        100 * p,
        100 * (centre - spread),
        100 * (centre + spread),
    )
    return out[
        ["unit", "period", "n", "score", "ci_low", "ci_high", "csat", "csat_low", "csat_high"]
    ]


def _hand_sql(path: Path, sql: str) -> Any:
    import duckdb

    with duckdb.connect(str(path), read_only=True) as connection:
        connection.execute("SET TimeZone = 'UTC'")
        frame = connection.execute(sql).df()
    return frame.rename(columns={"nps": "score", "nps_low": "ci_low", "nps_high": "ci_high"})


def run_sql(path: Path) -> Any:
    return _hand_sql(path, HAND_SQL)


def run_sql_epoch(path: Path) -> Any:
    # The same query, truncating plain UTC microseconds instead of the time-zone-aware column
    # (DuckDB routes the latter through ICU calendars): the trick advocacy itself uses.
    fast = "CAST(date_trunc('month', make_timestamp(epoch_us(submitted_at))) AS DATE)"
    return _hand_sql(
        path, HAND_SQL.replace("CAST(date_trunc('month', submitted_at) AS DATE)", fast)
    )


RUNNERS = {
    "advocacy": run_advocacy,
    "pandas": run_pandas,
    "sql": run_sql,
    "sql-epoch": run_sql_epoch,
}


def peak_rss_mib() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited at exec)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(method: str, path: Path, repeat: int, result_file: Path) -> None:
    """Run one method ``repeat`` times in this process; write timings, memory and the result."""
    import duckdb  # noqa: F401 - import cost is not what we measure
    import ibis  # noqa: F401
    import pandas  # noqa: F401

    import advocacy  # noqa: F401

    baseline = peak_rss_mib()
    times = []
    result = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = RUNNERS[method](path)
        times.append(time.perf_counter() - started)
    assert result is not None
    result.to_parquet(result_file)
    print(json.dumps({"times": times, "peak_mib": peak_rss_mib(), "baseline_mib": baseline}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dir", type=Path, default=None, help="work folder (default: temporary)")
    parser.add_argument(
        "--child", nargs=3, metavar=("METHOD", "DB", "RESULT"), help=argparse.SUPPRESS
    )
    arguments = parser.parse_args()
    if arguments.child:
        method, db, out = arguments.child
        child(method, Path(db), arguments.repeat, Path(out))
        return

    import pandas as pd

    folder = arguments.dir or Path(tempfile.mkdtemp(prefix="advocacy-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "bench.duckdb"
    if path.exists():
        path.unlink()
    seconds = generate(path, arguments.rows)
    print(f"generated {arguments.rows:,} responses in {seconds:.1f} s ({path})", file=sys.stderr)

    measured: dict[str, dict[str, Any]] = {}
    results: dict[str, Any] = {}
    for method in RUNNERS:
        out = folder / f"{method}.parquet"
        command = [sys.executable, __file__, "--repeat", str(arguments.repeat)]
        command += ["--child", method, str(path), str(out)]
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        measured[method] = json.loads(done.stdout.strip().splitlines()[-1])
        results[method] = pd.read_parquet(out)
        print(f"{method}: {measured[method]}", file=sys.stderr)

    reference = results["sql"].reset_index(drop=True)
    for method in ("advocacy", "pandas", "sql-epoch"):
        got = results[method].reset_index(drop=True)
        for column in ("n", "score", "ci_low", "ci_high", "csat", "csat_low", "csat_high"):
            pd.testing.assert_series_equal(
                got[column].astype(float), reference[column].astype(float), rtol=1e-9
            )

    best = {method: min(values["times"]) for method, values in measured.items()}
    cpu = os.cpu_count()
    print(
        f"\n{arguments.rows:,} responses, {len(reference)} unit x month rows; "
        f"{platform.python_version()}, {cpu} CPUs; best of {arguments.repeat}\n"
    )
    print("| method | time (s) | vs advocacy | peak memory (MiB) | above baseline (MiB) |")
    print("|---|---:|---:|---:|---:|")
    for method in RUNNERS:
        values = measured[method]
        print(
            f"| {method} | {best[method]:.2f} | {best[method] / best['advocacy']:.1f}x | "
            f"{values['peak_mib']:.0f} | {values['peak_mib'] - values['baseline_mib']:.0f} |"
        )
    print(
        f"\npandas / advocacy = {best['pandas'] / best['advocacy']:.1f}x (goal >= 5x); "
        f"advocacy / fastest hand-written SQL = "
        f"{best['advocacy'] / min(best['sql'], best['sql-epoch']):.2f}x (goal <= 1.5x)"
    )


if __name__ == "__main__":
    main()
