"""Fans-to-be and churn risk find a planted signal on held-out time, on both engines."""

from __future__ import annotations

from pathlib import Path

import pytest

import advocacy
from support.planted import START, planted_workspace


@pytest.fixture
def planted(db_url: str, tmp_path: Path) -> str:
    planted_workspace(db_url, tmp_path)
    return db_url


def test_fans_to_be_ranks_future_advocates_on_held_out_time(planted: str) -> None:
    with advocacy.open(planted) as ws:
        result = ws.advocates.fans_to_be(horizon_days=120)
        ladder = ws.advocates.ladder()
    # the planted signal gives AUC 0.84 and a 5.7x lift with seed 11
    assert result.auc > 0.75
    assert result.top_decile_lift > 3
    assert result.n_train > 100 and result.n_test > 100
    # current advocates are not scored: they are fans already
    advocates = set(ladder.loc[ladder["rung"].isin(["advocate", "champion"]), "customer_id"])
    assert advocates and not advocates & set(result.scores["customer_id"])
    top = result.scores.iloc[0]
    assert top["latest_nps"] >= 8 and "NPS" in top["reasons"]
    assert result.scores["propensity"].is_monotonic_decreasing


def test_churn_risk_ranks_customers_who_stop_paying(planted: str) -> None:
    with advocacy.open(planted) as ws:
        result = ws.retention.churn(horizon_days=90, active_days=60)
    # the planted signal gives AUC 0.84 and a 6.4x lift with seed 11
    assert result.auc > 0.75
    assert result.top_decile_lift > 3
    scores = result.scores
    riskiest = scores.head(len(scores) // 10)["latest_nps"].mean()
    safest = scores.tail(len(scores) // 2)["latest_nps"].mean()
    assert riskiest < safest - 2
    assert scores["churn_risk"].is_monotonic_decreasing


def test_themes_of_comments_become_features_with_their_names(planted: str) -> None:
    with advocacy.open(planted) as ws:
        ws.db.execute(
            "INSERT INTO themes (theme_id, name, origin, created_at) VALUES (?, ?, ?, ?)",
            ("t1", "billing errors", "curated", START),
        )
        answers = ws.table("responses")
        low = answers.filter(answers.nps <= 3).select("response_id").to_pandas()["response_id"]
        for response_id in low:
            ws.db.execute(
                "INSERT INTO document_themes (document_kind, document_id, theme_id, origin, "
                "assigned_at) VALUES (?, ?, ?, ?, ?)",
                ("responses", response_id, "t1", "curated", START),
            )
        result = ws.advocates.fans_to_be(horizon_days=120)
        churn = ws.retention.churn(horizon_days=90, active_days=60)
    assert result.auc > 0.75
    raised = churn.scores["reasons"].str.contains("raised billing errors")
    assert raised.any()
