"""Intervals of the purchase predictions, and the one prediction frame the pages share, on the
CDNOW sample of Fader, Hardie & Lee (2005).

The parameters' standard errors are the `lifetimes` package's published ones for the same fit
(README, "Basic frequency/recency analysis using the BG/NBD model": r 0.012557, alpha
0.378221, a 0.185719, b 0.705345). The delta-method intervals are checked against an
independent parametric bootstrap computed here (4,000 parameter sets drawn from the same
covariance, the published eqs. 10 and 11 under each), which they must match for these
well-determined parameters.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient

import advocacy
from advocacy.access import create_token
from advocacy.present.web import create_app
from advocacy.present.web.pages.customer_standing import PREDICTIONS_KEY
from advocacy.report.section import ReportScope
from advocacy.report.sections.advocates import build
from advocacy.retention import predict_retention, summarize_transactions
from advocacy.retention.lifetime_value import score_customers
from advocacy.retention.prediction_intervals import prediction_intervals
from support.cli import advocacy_cli
from support.page_text import page_words

INTERVALS = ("probability_alive", "expected_purchases", "lifetime_value")


@pytest.fixture(scope="module")
def summary(cdnow: pd.DataFrame) -> pd.DataFrame:
    return summarize_transactions(cdnow, calibration_end="1997-09-30", time_unit="week")


def test_standard_errors_reproduce_the_published_ones(summary: pd.DataFrame) -> None:
    model = advocacy.BetaGeo().fit_summary(summary)
    assert model.covariance_ is not None
    values = np.array([model.params_[name] for name in model.parameter_names])
    errors = values * np.sqrt(np.diag(model.covariance_))  # from log-parameters
    assert errors == pytest.approx([0.012557, 0.378221, 0.185719, 0.705345], rel=1e-3)


def test_intervals_bracket_the_estimates(cdnow: pd.DataFrame) -> None:
    frame = cdnow.rename(columns={"date": "occurred_at"})
    first = predict_retention(frame, horizon=52, calibration_end="1997-09-30")
    for name in INTERVALS:
        low, value, high = first[f"{name}_low"], first[name], first[f"{name}_high"]
        assert np.isfinite(low).all() and np.isfinite(high).all(), name
        assert ((low <= value * (1 + 1e-9)) & (value <= high * (1 + 1e-9))).all(), name
        assert (high - low).max() > 0, name
    assert (first["probability_alive_high"] <= 1).all()
    assert (first["probability_alive_low"] >= 0).all()
    # a customer without repeat purchases is certainly active in BG/NBD: no interval to give
    once = first[first["frequency"] == 0]
    assert (once["probability_alive_low"] == 1).all() and (
        once["probability_alive_high"] == 1
    ).all()
    assert "95% intervals of the estimates" in first.attrs["interval"]
    bare = predict_retention(frame, horizon=52, calibration_end="1997-09-30", intervals=False)
    assert "probability_alive_low" not in bare.columns and "interval" not in bare.attrs


def test_intervals_match_a_parametric_bootstrap(summary: pd.DataFrame) -> None:
    purchases = advocacy.BetaGeo().fit_summary(summary)
    spend = advocacy.GammaGamma().fit_summary(summary[summary["frequency"] > 0])
    assert purchases.covariance_ is not None and spend.covariance_ is not None
    rows = summary[summary["frequency"] > 0].iloc[[0, 10, 100, 500]]  # repeat buyers
    scored = score_customers(purchases, spend, rows, horizon=39)
    bounds, why = prediction_intervals(purchases, spend, scored, horizon=39)
    assert why == ""
    rng = np.random.default_rng(5)
    drawn_purchases = rng.multivariate_normal(
        np.log(list(purchases.params_.values())), purchases.covariance_, size=4000
    )
    drawn_spend = rng.multivariate_normal(
        np.log(list(spend.params_.values())), spend.covariance_, size=4000
    )
    alive, expected, value = [], [], []
    history = [rows[name].to_numpy(float) for name in ("frequency", "recency", "T")]
    for log_bg, log_gg in zip(drawn_purchases, drawn_spend, strict=True):
        model = advocacy.BetaGeo()
        model.params_ = dict(zip(("r", "alpha", "a", "b"), np.exp(log_bg), strict=True))
        p, q, scale = np.exp(log_gg)
        per_purchase = (
            (scale + rows["monetary_value"] * rows["frequency"])
            * p
            / (p * rows["frequency"] + q - 1)
        )  # Fader & Hardie (2013) eq. 5
        alive.append(model.probability_alive(*history))
        expected.append(model.expected_purchases(39, *history))
        value.append(expected[-1] * per_purchase.to_numpy())
    for name, drawn in (
        ("probability_alive", alive),
        ("expected_purchases", expected),
        ("lifetime_value", value),
    ):
        low, high = np.quantile(np.array(drawn), [0.025, 0.975], axis=0)
        width = high - low
        assert np.all(np.abs(bounds[f"{name}_low"].to_numpy() - low) < 0.1 * width), name
        assert np.all(np.abs(bounds[f"{name}_high"].to_numpy() - high) < 0.1 * width), name


class WatchedBetaGeo(advocacy.BetaGeo):
    """BG/NBD that notes the parameters each prediction is evaluated at."""

    evaluated: list[dict[str, float]]

    def probability_alive(self, *history: Any) -> Any:
        self.evaluated.append(dict(self.params_))
        return super().probability_alive(*history)

    def expected_purchases(self, *arguments: Any) -> Any:
        self.evaluated.append(dict(self.params_))
        return super().expected_purchases(*arguments)


@pytest.mark.parametrize("discount_rate", [0.0, 0.01])
def test_intervals_are_centred_on_the_scored_predictions_without_computing_them_again(
    summary: pd.DataFrame, discount_rate: float
) -> None:
    """The delta method moves each parameter up and down; the centre is the prediction already
    scored (BG/NBD at the fitted parameters was evaluated twice, once per step)."""
    purchases = WatchedBetaGeo().fit_summary(summary)
    purchases.evaluated = []
    spend = advocacy.GammaGamma().fit_summary(summary[summary["frequency"] > 0])
    scored = score_customers(
        purchases, spend, summary, horizon=52, discount_rate=discount_rate, margin=0.3
    )
    purchases.evaluated = []
    bounds, why = prediction_intervals(
        purchases, spend, scored, horizon=52, discount_rate=discount_rate
    )
    assert why == "" and purchases.evaluated
    assert purchases.params_ not in purchases.evaluated
    for name in INTERVALS:
        low, value, high = bounds[f"{name}_low"], scored[name], bounds[f"{name}_high"]
        assert ((low <= value * (1 + 1e-9)) & (value <= high * (1 + 1e-9))).all(), name
    # the value's interval is relative to the margin the rows were scored with
    ratio = (bounds["lifetime_value_high"] / scored["lifetime_value"]).to_numpy()
    whole = score_customers(purchases, spend, summary, horizon=52, discount_rate=discount_rate)
    assert np.allclose(
        prediction_intervals(purchases, spend, whole, horizon=52, discount_rate=discount_rate)[0][
            "lifetime_value_high"
        ]
        / whole["lifetime_value"],
        ratio,
        rtol=1e-12,
    )


@pytest.fixture(scope="module")
def url(cdnow: pd.DataFrame, tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("cdnow-intervals")
    source = folder / "cdnow.csv"
    cdnow.assign(
        occurred_at=cdnow["date"].dt.strftime("%Y-%m-%d"),
        transaction_id=[f"T{i}" for i in range(len(cdnow))],
    )[["transaction_id", "customer_id", "occurred_at", "amount"]].to_csv(source, index=False)
    url = str(folder / "advocacy.duckdb")
    with advocacy.open(url) as ws:
        ws.import_file(source, kind="transactions")
    return url


def test_pages_share_one_prediction_frame_and_show_intervals(url: str, tmp_path: Path) -> None:
    with advocacy.open(url) as ws:
        token = create_token(ws.db, role="analyst", name="ana").secret
        reference = ws.retention.predict(horizon=52)
    headers = {"Authorization": f"Bearer {token}"}
    app = create_app(url)
    with TestClient(app, base_url="https://testserver") as client:
        advocates = client.get("/advocates", headers=headers)
        state = app.state.web

        def again() -> pd.DataFrame:
            raise AssertionError("the customer page fitted the models again")

        shared = state.cached(PREDICTIONS_KEY, again)  # stored by /advocates' first view
        customer = str(reference.sort_values("frequency").iloc[-1]["customer_id"])
        page = client.get(f"/customers/{customer}", headers=headers)
        once = str(reference[reference["frequency"] == 0].iloc[0]["customer_id"])
        one_time = client.get(f"/customers/{once}", headers=headers)
        state.cached(PREDICTIONS_KEY, again)
    assert advocates.status_code == 200 and page.status_code == 200
    said = page_words(advocates.text)
    assert "In brackets: 95% intervals of the estimates" in said
    # P(active) and the value at risk with their intervals, as the table writes them
    assert re.search(r"0\.\d+ \[0\.\d+, 0\.\d+\] [\d,.]+ \[[\d,.]+, [\d,.]+\]", said)
    row = reference.set_index("customer_id").loc[customer]
    assert shared.set_index("customer_id").loc[customer, "probability_alive"] == pytest.approx(
        row["probability_alive"], abs=1e-12
    )
    low, high = 100 * row["probability_alive_low"], 100 * row["probability_alive_high"]
    shown = page_words(page.text)
    assert f"P(active) {100 * row['probability_alive']:.0f}% ({low:.0f}–{high:.0f}%)" in shown
    assert "In brackets: 95% intervals of the estimates" in shown
    # a one-time buyer's P(active) is 1 in BG/NBD, without uncertainty: no bracket
    assert "P(active) 100% the chance" in page_words(one_time.text)


def test_command_and_report_carry_the_intervals(url: str, tmp_path: Path) -> None:
    out = tmp_path / "predicted.csv"
    done = advocacy_cli(
        "retention", "predict", "--horizon", "52", "--out", str(out), "--db", url, cwd=tmp_path
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    written = pd.read_csv(out, dtype={"customer_id": str})
    for name in (*INTERVALS, "value_at_risk"):
        assert {f"{name}_low", f"{name}_high"} <= set(written.columns), name
    assert (written["value_at_risk_low"] <= written["value_at_risk_high"]).all()
    assert "95% intervals of the estimates" in " ".join(done.stdout.split())
    with advocacy.open(url) as ws:
        section = build(ws, ReportScope())
    body = page_words(str(section.body))
    assert "in brackets, 95% intervals of the estimates" in body
    assert re.search(r"\d+% \(\d+%–\d+%\)", body)


def test_a_singular_spend_fit_leaves_the_purchase_intervals(tmp_path: Path) -> None:
    """review14 item 2: a Gamma-Gamma fit on a ridge took away every interval, P(active)'s and
    expected purchases' too, though those read BG/NBD's parameters alone."""
    rng = np.random.default_rng(1)
    rows = []
    for i in range(30):  # 30 customers, two of whom bought again (1-3 times)
        first = pd.Timestamp("2024-01-01") + pd.Timedelta(days=int(rng.integers(0, 300)))
        rows.append((f"c{i}", first, float(rng.integers(5, 50))))
        for k in range(int(rng.integers(1, 4)) if i < 2 else 0):
            later = first + pd.Timedelta(days=int(rng.integers(1, 60)) * (k + 1))
            rows.append((f"c{i}", later, float(rng.integers(5, 50))))
    frame = pd.DataFrame(rows, columns=["customer_id", "occurred_at", "amount"])
    predicted = predict_retention(frame, horizon=52)
    assert predicted.attrs["interval"].startswith("no interval on lifetime value")
    assert "gamma-gamma" in predicted.attrs["interval"]
    assert "bg-nbd" not in predicted.attrs["interval"]
    for name in ("probability_alive", "expected_purchases"):
        low, high = predicted[f"{name}_low"], predicted[f"{name}_high"]
        assert np.isfinite(low).all() and np.isfinite(high).all(), name
        assert ((low <= predicted[name] + 1e-12) & (predicted[name] <= high + 1e-12)).all()
    assert predicted["lifetime_value_low"].isna().all()
    assert predicted["lifetime_value"].notna().all()
