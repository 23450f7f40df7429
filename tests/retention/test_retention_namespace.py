"""``ws.retention``: BG/NBD, Gamma-Gamma, lifetime value and churn through the facade.

On the CDNOW sample of Fader, Hardie & Lee (2005), on DuckDB and PostgreSQL (``db_url``); the
fitted parameters are the paper's, as the estimator tests check them without a workspace.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import advocacy
from advocacy.errors import UsageError
from advocacy.retention import BetaGeo, GammaGamma


def test_fit_predict_and_churn_on_the_workspace(
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
        purchases = ws.retention.fit(calibration_end="1997-09-30")
        assert isinstance(purchases, BetaGeo)
        assert {k: round(v, 3) for k, v in purchases.params_.items()} == {
            "r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426,
        }  # fmt: skip
        spend = ws.retention.fit(model="gamma-gamma", calibration_end="1997-09-30")
        assert isinstance(spend, GammaGamma)
        with pytest.raises(UsageError):
            ws.retention.fit(model="pareto")

        values = ws.retention.predict(horizon=52, calibration_end="1997-09-30")
        assert len(values) == 2357
        assert values["lifetime_value"].is_monotonic_decreasing
        assert values["probability_alive"].between(0, 1).all()

        churn = ws.retention.churn(horizon_days=90, active_days=90)
        assert churn.scores["customer_id"].is_unique
        assert 0 <= churn.auc <= 1
