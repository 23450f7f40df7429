"""``advocacy retention fit|predict`` on a workspace's transactions, through the CLI runner."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

import advocacy
from support.cli import advocacy_cli


def test_retention_fit_and_predict_on_the_workspace(
    db_url: str, cdnow: pd.DataFrame, tmp_path: Path
) -> None:
    canonical = pd.DataFrame(
        {
            "transaction_id": [f"T{i}" for i in range(len(cdnow))],
            "customer_id": cdnow["customer_id"],
            "occurred_at": cdnow["date"].dt.strftime("%Y-%m-%d"),
            "amount": cdnow["amount"],
        }
    )
    source = tmp_path / "transactions.csv"
    canonical.to_csv(source, index=False)
    with advocacy.open(db_url) as ws:
        ws.import_file(source, kind="transactions")
    done = advocacy_cli(
        "retention", "fit", "--calibration-end", "1997-09-30", "--format", "json",
        "--db", db_url, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    fitted = json.loads(done.stdout)
    assert fitted["model"] == "bg-nbd" and fitted["n_customers"] == 2357
    assert {k: round(v, 3) for k, v in fitted["parameters"].items()} == {
        "r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426,
    }  # fmt: skip
    assert round(fitted["log_likelihood"], 1) == -9582.4
    done = advocacy_cli(
        "retention", "fit", "--model", "gamma-gamma", "--calibration-end", "1997-09-30",
        "--format", "json", "--db", db_url, cwd=tmp_path,
    )  # fmt: skip
    spend = json.loads(done.stdout)["parameters"]
    assert {k: round(v, 2) for k, v in spend.items()} == {"p": 6.25, "q": 3.74, "gamma": 15.44}
    out = tmp_path / "customers.csv"
    done = advocacy_cli(
        "retention", "predict", "--horizon", "52", "--out", str(out), "--db", db_url, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    predicted = pd.read_csv(out, dtype={"customer_id": str})
    assert len(predicted) == 2357
    assert {"probability_alive", "expected_purchases", "expected_spend", "lifetime_value"} <= set(
        predicted.columns
    )
    bad = advocacy_cli("retention", "fit", "--time-unit", "year", "--db", db_url, cwd=tmp_path)
    assert bad.returncode == 2
