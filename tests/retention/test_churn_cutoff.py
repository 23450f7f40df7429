"""Evidence dated on the "as of" moment counts in the churn and fans-to-be features.

audit4 H1: on CDNOW, customer 03487 bought on 1998-06-30 (the last day of the data, so the
default "as of") and was ranked among the likeliest to leave as "532 days since last purchase;
orders 0": the payment made them active but the features did not see it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

import advocacy
from advocacy.advocates.propensity import customer_features
from advocacy.namespaces.tables import WorkspaceTables

NAMES = ("responses", "transactions", "interactions")


def _import(db_url: str, tmp_path: Path, frame: pd.DataFrame) -> None:
    source = tmp_path / "transactions.csv"
    frame.to_csv(source, index=False)
    with advocacy.open(db_url) as ws:
        ws.import_file(source, kind="transactions")


def test_a_purchase_on_the_as_of_day_counts_on_cdnow(
    db_url: str, cdnow: pd.DataFrame, tmp_path: Path
) -> None:
    _import(
        db_url,
        tmp_path,
        pd.DataFrame(
            {
                "transaction_id": [f"T{i}" for i in range(len(cdnow))],
                "customer_id": cdnow["customer_id"],
                "occurred_at": cdnow["date"].dt.strftime("%Y-%m-%d"),
                "amount": cdnow["amount"],
            }
        ),
    )
    with advocacy.open(db_url) as ws:
        end = dt.datetime(1998, 6, 30, tzinfo=dt.UTC)  # the last day of CDNOW
        features = customer_features(WorkspaceTables(ws.db).evidence(NAMES), end)
        churn = ws.retention.churn(horizon_days=90, active_days=90).scores
    # 03487 bought on 1997-01-14 (outside the year's look-back) and on 1998-06-30 for $11.88
    bought_today = features.loc["03487"]
    assert bought_today["orders"] == 1
    assert bought_today["spend"] == 11.88
    assert bought_today["days_since_purchase"] == 0
    assert round(bought_today["tenure_days"]) == 532
    # a buyer of the as-of day is no longer ranked with the likeliest to leave
    ranked = churn.reset_index(drop=True)
    position = int(ranked.index[ranked["customer_id"] == "03487"][0])
    assert position > len(ranked) // 10
    assert "days since last purchase 532" not in ranked.loc[position, "reasons"]


def test_the_cutoff_instant_is_in_and_the_next_is_out(db_url: str, tmp_path: Path) -> None:
    cutoff = dt.datetime(2025, 3, 31, 12, 0, tzinfo=dt.UTC)
    one_second = dt.timedelta(seconds=1)
    year = dt.timedelta(days=365)
    rows = [
        ("A1", "A", cutoff, 10.0),  # on the cut-off: counts, 0 days ago
        ("A2", "A", cutoff + one_second, 1000.0),  # after it: never a feature
        ("B1", "B", cutoff - year, 5.0),  # exactly a year before: outside the look-back
        ("B2", "B", cutoff - year + one_second, 7.0),  # just inside it
        ("C1", "C", cutoff + one_second, 3.0),  # only after the cut-off: no row at all
    ]
    _import(
        db_url,
        tmp_path,
        pd.DataFrame(
            [(t, c, when.isoformat(), amount) for t, c, when, amount in rows],
            columns=["transaction_id", "customer_id", "occurred_at", "amount"],
        ),
    )
    with advocacy.open(db_url) as ws:
        features = customer_features(WorkspaceTables(ws.db).evidence(NAMES), cutoff)
    assert sorted(features.index) == ["A", "B"]
    assert features.loc["A", "orders"] == 1 and features.loc["A", "spend"] == 10.0
    assert features.loc["A", "days_since_purchase"] == 0
    assert features.loc["B", "orders"] == 1 and features.loc["B", "spend"] == 7.0
    assert features.loc["B", "tenure_days"] == 365


def test_churn_as_of_reads_nothing_after_it_on_cdnow(
    db_url: str, cdnow: pd.DataFrame, tmp_path: Path
) -> None:
    """review10 item 2: ``--as-of 1997-12-31`` scored customers who bought only after it."""
    _import(
        db_url,
        tmp_path,
        pd.DataFrame(
            {
                "transaction_id": [f"T{i}" for i in range(len(cdnow))],
                "customer_id": cdnow["customer_id"],
                "occurred_at": cdnow["date"].dt.strftime("%Y-%m-%d"),
                "amount": cdnow["amount"],
            }
        ),
    )
    with advocacy.open(db_url) as ws:
        scores = ws.retention.churn(horizon_days=90, active_days=90, as_of="1997-12-31").scores
    # from the source file: a purchase in the 90 days up to and including 1997-12-31
    active = cdnow[(cdnow["date"] >= "1997-10-03") & (cdnow["date"] <= "1997-12-31")]
    assert set(scores["customer_id"]) == set(active["customer_id"])
    last = active.groupby("customer_id")["date"].max()
    days = (pd.Timestamp("1997-12-31 23:59:59.999999") - last).dt.total_seconds() / 86400
    assert days.max() < 90


def test_an_as_of_date_is_the_end_of_that_day_in_the_workspace_zone() -> None:
    from advocacy.advocates.evidence import as_of_end

    new_york = "America/New_York"
    # 22:00 in New York on 31 December is 03:00 UTC on 1 January: in, for "as of 1997-12-31"
    evening = dt.datetime(1998, 1, 1, 3, 0, tzinfo=dt.UTC)
    end = as_of_end("1997-12-31", new_york)
    assert end is not None and evening <= end < evening + dt.timedelta(hours=2)
    assert as_of_end(dt.date(1997, 12, 31), new_york) == end
    utc_end = as_of_end("1997-12-31")
    assert utc_end == dt.datetime(1997, 12, 31, 23, 59, 59, 999999, tzinfo=dt.UTC)
    # a time without a zone is read in the workspace's; one with a zone keeps it
    assert as_of_end("1997-12-31T10:00", new_york) == dt.datetime(1997, 12, 31, 15, tzinfo=dt.UTC)
    assert as_of_end("1997-12-31T10:00Z", new_york) == dt.datetime(1997, 12, 31, 10, tzinfo=dt.UTC)
