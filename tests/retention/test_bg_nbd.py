"""BG/NBD and Gamma-Gamma reproduce the published CDNOW fits."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import advocacy
from advocacy.errors import InputError, UsageError
from advocacy.retention import predict_retention, summarize_transactions


@pytest.fixture(scope="module")
def summary(cdnow: pd.DataFrame) -> pd.DataFrame:
    return summarize_transactions(cdnow, calibration_end="1997-09-30", time_unit="week")


def test_summary_matches_the_papers_data(summary: pd.DataFrame) -> None:
    # 2,357 customers, 946 of them repeat buyers in the 39-week calibration period
    assert len(summary) == 2357
    assert int((summary["frequency"] > 0).sum()) == 946
    first = summary.loc["00004"]
    assert (first["frequency"], round(first["recency"], 2), round(first["T"], 2)) == (
        2.0,
        30.43,
        38.86,
    )


def test_bg_nbd_reproduces_fader_hardie_lee_2005(summary: pd.DataFrame) -> None:
    model = advocacy.BetaGeo().fit_summary(summary)
    fitted = {name: round(value, 3) for name, value in model.params_.items()}
    assert fitted == {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    assert round(model.log_likelihood_, 1) == -9582.4
    assert model.n_customers_ == 2357
    assert "r=0.243" in repr(model)


def test_bg_nbd_conditional_expectation_matches_the_paper(summary: pd.DataFrame) -> None:
    # FHL (2005), p. 279: a customer with x = 2, t_x = 30.43, T = 38.86 is expected to make
    # 1.226 purchases in the next 39 weeks.
    model = advocacy.BetaGeo().fit_summary(summary)
    expected = model.expected_purchases(39, 2, 30.43, 38.86)
    assert round(float(expected), 3) == 1.226
    # with no repeat purchase the customer is certainly alive in the BG/NBD model
    assert float(model.probability_alive(0, 0, 38.86)) == 1.0
    assert 0 < float(model.probability_alive(2, 30.43, 38.86)) < 1


def test_gamma_gamma_reproduces_fader_hardie_2013(summary: pd.DataFrame) -> None:
    model = advocacy.GammaGamma().fit_summary(summary)
    fitted = {name: round(value, 2) for name, value in model.params_.items()}
    assert fitted == {"p": 6.25, "q": 3.74, "gamma": 15.44}
    assert model.n_customers_ == 946
    spend = model.expected_spend(np.array([1.0, 10.0]), np.array([50.0, 50.0]))
    # more purchases pull the estimate closer to the customer's own average
    assert model.population_mean_spend() < spend[0] < spend[1] < 50.0


def test_fit_on_raw_transactions_equals_fit_on_summaries(cdnow: pd.DataFrame) -> None:
    model = advocacy.BetaGeo(time_unit="week").fit_transactions(cdnow, calibration_end="1997-09-30")
    assert round(model.params_["alpha"], 3) == 4.414
    assert model.summary()["parameters"]["b"] == pytest.approx(2.426, abs=5e-4)


def test_unfitted_models_refuse_to_predict() -> None:
    with pytest.raises(UsageError, match="not fitted"):
        advocacy.BetaGeo().probability_alive(1, 1, 2)
    with pytest.raises(UsageError, match="not fitted"):
        advocacy.GammaGamma().summary()


def test_bad_inputs_are_refused() -> None:
    with pytest.raises(InputError, match="not negative"):
        advocacy.BetaGeo().fit([1, -1], [1, 1], [2, 2])
    with pytest.raises(UsageError, match="time unit"):
        summarize_transactions(
            pd.DataFrame({"customer_id": ["a"], "date": ["2024-01-01"], "amount": [1.0]}),
            time_unit="fortnight",
        )


def test_predictions_rank_customers_and_hold_out_period_checks(cdnow: pd.DataFrame) -> None:
    table = predict_retention(cdnow, horizon=39, calibration_end="1997-09-30")
    assert list(table.columns[:1]) == ["customer_id"]
    assert table["lifetime_value"].is_monotonic_decreasing
    assert table["probability_alive"].between(0, 1).all()
    # over the 39-week hold-out the model is in the right range of what customers bought
    holdout = summarize_transactions(
        cdnow, calibration_end="1997-09-30", observation_end="1998-06-30"
    )
    actual = holdout["holdout_frequency"].sum()
    assert abs(table["expected_purchases"].sum() - actual) / actual < 0.15
    discounted = predict_retention(
        cdnow, horizon=39, calibration_end="1997-09-30", discount_rate=0.01
    )
    assert discounted["lifetime_value"].sum() < table["lifetime_value"].sum()
