"""Benchmark: what counting purchase days in the workspace's time zone costs (lane zonedays).

The CDNOW master file (69,659 purchases of 23,570 customers, dates only) gets a seeded time of
day for each purchase, so that instants sit all around the clock, and is summarised
(``summarize_transactions``: frequency, recency, T, monetary value) in UTC, in Asia/Tokyo and
in Europe/Berlin: on DuckDB (a ``TIMESTAMPTZ`` table on a connection in UTC, as the workspace
keeps ``occurred_at``) and on pandas (a column of UTC instants). The zones run in alternation,
``--rounds`` times after one warm-up each; the CPU time of the process (every thread) is
reported, best and median. It also counts the customers whose repeat purchases differ from
UTC's, which is what the zone changes for a user.

Run: ``PYTHONPATH=src .venv/bin/python benchmarks/purchase_days.py [--rounds 7]
[--data ../shared/data/cdnow]``
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ibis
import numpy as np
import pandas as pd

from advocacy.retention.rfm import summarize_transactions

ZONES = ("UTC", "Asia/Tokyo", "Europe/Berlin")


def purchases(data: Path) -> pd.DataFrame:
    """CDNOW master's purchases, each at a seeded second of its day (UTC)."""
    frame = pd.read_csv(data / "CDNOW_master.txt", sep=r"\s+", dtype={"customer_id": str})
    days = pd.to_datetime(frame["date"].astype(str), format="%Y%m%d").dt.tz_localize("UTC")
    seconds = np.random.default_rng(5).integers(0, 86_400, len(frame))
    return pd.DataFrame(
        {
            "customer_id": frame["customer_id"],
            "occurred_at": days + pd.to_timedelta(seconds, unit="s"),
            "amount": frame["dollar_value"].astype(float),
        }
    )


def cpu(function: Callable[[], Any]) -> float:
    start = time.process_time()
    function()
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--data", type=Path, default=Path("../shared/data/cdnow"))
    options = parser.parse_args()
    frame = purchases(options.data)
    con = ibis.duckdb.connect()
    con.raw_sql("SET TimeZone = 'UTC'")
    table = con.create_table("transactions", frame)
    assert str(table.occurred_at.type()).startswith("timestamp('UTC'")
    runs: dict[tuple[str, str], Callable[[], Any]] = {}
    for zone in ZONES:
        runs["duckdb", zone] = lambda zone=zone: summarize_transactions(table, timezone=zone)
        runs["pandas", zone] = lambda zone=zone: summarize_transactions(frame, timezone=zone)
    results = {key: run() for key, run in runs.items()}  # warm-up, and the answers
    times: dict[tuple[str, str], list[float]] = {key: [] for key in runs}
    for _ in range(options.rounds):
        for key, run in runs.items():
            times[key].append(cpu(run))
    print(f"{len(frame):,} purchases, {frame['customer_id'].nunique():,} customers")
    header = "| engine | zone | CPU s best | CPU s median | customers whose frequency differs"
    print(header + " from UTC's |")
    print("|---|---|---:|---:|---:|")
    for (engine, zone), spent in times.items():
        summary = results[engine, zone]
        utc = results[engine, "UTC"]
        differ = int((summary["frequency"] != utc["frequency"].reindex(summary.index)).sum())
        print(
            f"| {engine} | {zone} | {min(spent):.3f} | {statistics.median(spent):.3f} | "
            f"{differ:,} |"
        )
    for zone in ZONES:  # both engines give the same summary
        pd.testing.assert_frame_equal(
            results["duckdb", zone].drop(columns="first_purchase"),
            results["pandas", zone].drop(columns="first_purchase"),
            check_exact=False,
            rtol=1e-9,
        )


if __name__ == "__main__":
    main()
