"""Refunds (negative amounts) are set apart, not purchases (review10 item 3).

review10 imported the first 3,000 CDNOW customers with 8% of the amounts negated: a refund day
counted as a repeat purchase and Gamma-Gamma learnt from negative means, so value at risk fell
to -177.40 and lifetime value to -35.38. Here the same kind of file is built from the CDNOW
sample, and frequency, spend and refunds are recomputed from it independently.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import advocacy
from advocacy.retention.rfm import summarize_transactions
from advocacy.retention.slipping import with_value_at_risk
from support.cli import advocacy_cli


def _with_refunds(cdnow: pd.DataFrame) -> pd.DataFrame:
    rows = cdnow[["customer_id", "date", "amount"]].copy()
    negate = np.random.default_rng(7).random(len(rows)) < 0.08
    rows.loc[negate, "amount"] = -rows.loc[negate, "amount"]
    return rows.assign(transaction_id=[f"T{i}" for i in range(len(rows))])


def test_refunds_make_no_purchase_day_and_no_negative_value(
    db_url: str, cdnow: pd.DataFrame, tmp_path: Path
) -> None:
    source = _with_refunds(cdnow)
    path = tmp_path / "neg.csv"
    source.assign(occurred_at=source["date"].dt.strftime("%Y-%m-%d")).drop(columns="date").to_csv(
        path, index=False
    )
    with advocacy.open(db_url) as ws:
        ws.import_file(path, kind="transactions")
        predicted = ws.retention.predict(horizon=52)
    scored = with_value_at_risk(predicted, horizon=52).set_index("customer_id")
    # from the file: purchase days of the non-negative amounts; refunds and net spend apart
    bought = source[source["amount"] >= 0]
    refunded = source[source["amount"] < 0]
    days = bought.groupby("customer_id")["date"].nunique()
    assert sorted(scored.index) == sorted(days.index)
    assert (scored["frequency"] == (days - 1).reindex(scored.index)).all()
    counts = refunded.groupby("customer_id").size().reindex(scored.index).fillna(0)
    assert (scored["refunds"] == counts).all()
    net = (
        bought.groupby("customer_id")["amount"]
        .sum()
        .sub(-refunded.groupby("customer_id")["amount"].sum(), fill_value=0.0)
    )
    expected = net.reindex(scored.index).clip(lower=0.0)
    assert (scored["spend_so_far"] - expected).abs().max() < 1e-6
    for column in ("spend_so_far", "expected_spend", "lifetime_value", "value_at_risk"):
        assert (scored[column] >= 0).all(), column
    assert (scored["monetary_value"] >= 0).all()
    # the command says how many it set apart
    done = advocacy_cli(
        "retention", "predict", "--horizon", "52", "--db", db_url, cwd=tmp_path,
        env={"COLUMNS": "200"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"{len(refunded):,} refunds (negative amounts) set apart" in done.stdout


def test_a_refund_after_the_last_purchase_day_counts(
    db_url: str, cdnow: pd.DataFrame, tmp_path: Path
) -> None:
    # review12 item 4: a refund on 1998-09-30 (CDNOW's purchases end 1998-06-30) was left
    # out of spend_so_far and the command said "3 refunds" of the 4: it counts. Yet the time
    # the models watch still ends at the last purchase day (review14: stretching every
    # customer's T to a late refund lowered every P(active) and halved expected purchases).
    refunds = pd.DataFrame(
        {
            "customer_id": ["00004", "00021", "00111", "99999"],
            "date": pd.to_datetime(["1997-01-05", "1997-03-01", "1998-09-30", "1997-03-01"]),
            "amount": [-5.0, -100.0, -3.0, -7.0],
        }
    )
    source = pd.concat([cdnow[["customer_id", "date", "amount"]], refunds], ignore_index=True)
    assert cdnow["date"].max() == pd.Timestamp("1998-06-30")
    path = tmp_path / "refunds.csv"
    source.assign(
        occurred_at=source["date"].dt.strftime("%Y-%m-%d"),
        transaction_id=[f"T{i}" for i in range(len(source))],
    ).drop(columns="date").to_csv(path, index=False)
    with advocacy.open(db_url) as ws:
        ws.import_file(path, kind="transactions")
        predicted = ws.retention.predict(horizon=52).set_index("customer_id")
    in_memory = summarize_transactions(source)
    bought = cdnow.groupby("customer_id")["amount"].sum()
    net = bought.sub(-refunds.groupby("customer_id")["amount"].sum(), fill_value=0.0)
    first = cdnow.groupby("customer_id")["date"].min()
    watched = (pd.Timestamp("1998-06-30") - first).dt.days / 7.0
    for summary in (predicted, in_memory):
        assert summary.loc["00111", "spend_so_far"] == pytest.approx(net["00111"])
        assert summary.loc["00111", "refunds"] == 1
        assert summary.attrs["refunds"] == 4  # 99999 bought nothing: counted, not a customer
        assert (summary["T"] - watched.reindex(summary.index)).abs().max() < 1e-9
    without = summarize_transactions(cdnow[["customer_id", "date", "amount"]])
    for column in ("frequency", "recency", "T"):  # what the models read is the refund's not
        assert (in_memory[column] - without[column]).abs().max() < 1e-12, column
    assert net["00111"] == pytest.approx(1107.04 - 3.0)  # awk over the file: 16 purchases
    done = advocacy_cli(
        "retention", "predict", "--horizon", "52", "--db", db_url, cwd=tmp_path,
        env={"COLUMNS": "200"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "4 refunds (negative amounts) set apart" in done.stdout
