"""Spark counts the purchase days of the workspace's time zone, as pandas, DuckDB and PostgreSQL
do (``tests/support/zone_purchases.py`` builds the purchases and counts them by hand).

Spark's ``TIMESTAMP`` is an instant (its session runs in UTC), so a purchase at 23:00 UTC is the
next day in Tokyo here too, and Berlin's clock changes move the days as the zone's rules say.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from advocacy.metrics.engines import spark_tables
from advocacy.retention.lifetime_value import predict_retention
from advocacy.retention.parquet_scoring import parquet_retention_scores
from advocacy.retention.rfm import summarize_transactions
from support.cli import advocacy_cli
from support.zone_purchases import COLUMNS, ZONES, days_by_hand, edge_purchases


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The purchases as ``transactions.parquet``, instants in UTC as the workspace exports them."""
    data = tmp_path_factory.mktemp("zone-days")
    edge_purchases().to_parquet(data / "transactions.parquet", index=False)
    return data


@pytest.mark.parametrize("zone", ZONES)
def test_spark_counts_the_zones_days(folder: Path, spark_session: Any, zone: str) -> None:
    transactions = spark_tables(folder, session=spark_session)("transactions")
    summary = summarize_transactions(transactions, time_unit="day", timezone=zone)
    expected = days_by_hand(edge_purchases(), zone)
    pd.testing.assert_frame_equal(summary[COLUMNS], expected, check_exact=False, rtol=1e-12)
    utc = summarize_transactions(transactions, time_unit="day")
    pd.testing.assert_frame_equal(utc[COLUMNS], days_by_hand(edge_purchases(), "UTC"), rtol=1e-12)


def test_spark_scores_are_the_in_memory_scores_in_the_zone(
    folder: Path, spark_session: Any, tmp_path: Path
) -> None:
    zone = "Europe/Berlin"
    scoring = parquet_retention_scores(
        folder, tmp_path, horizon=30, time_unit="day", session=spark_session, timezone=zone
    )
    got = pd.read_parquet(scoring.path).set_index("customer_id").sort_index()
    purchases = edge_purchases().rename(columns={"occurred_at": "date"})
    expected = predict_retention(
        purchases, horizon=30, time_unit="day", intervals=False, timezone=zone
    ).set_index("customer_id")
    columns = [*COLUMNS, "probability_alive", "expected_purchases", "lifetime_value"]
    pd.testing.assert_frame_equal(
        got[columns], expected.sort_index()[columns], check_exact=False, rtol=1e-9
    )


def test_the_spark_command_counts_the_days_of_the_timezone_setting(
    folder: Path, spark_session: Any, tmp_path: Path
) -> None:
    ran = advocacy_cli(
        "retention", "predict", "--engine", "spark", "--data", str(folder), "--out",
        str(tmp_path), "--horizon", "30", "--time-unit", "day", "--format", "json",
        cwd=tmp_path, env={"ADVOCACY_TIMEZONE": "Asia/Tokyo"},
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    written = pd.read_parquet(json.loads(ran.stdout)["scores"]).set_index("customer_id")
    expected = days_by_hand(edge_purchases(), "Asia/Tokyo")
    pd.testing.assert_frame_equal(
        written.sort_index()[COLUMNS], expected, check_exact=False, rtol=1e-12
    )
    assert not written.sort_index()["frequency"].equals(
        days_by_hand(edge_purchases(), "UTC")["frequency"]
    )
