"""The NumPy BFGS behind the purchase models finds the minima SciPy's optimisers find."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy import optimize

from advocacy.retention import bg_nbd, summarize_transactions
from advocacy.retention.bg_nbd import BetaGeo
from advocacy.retention.estimation import LOG_BOUND, bfgs, maximize_log_likelihood


def rosenbrock(x: np.ndarray) -> tuple[float, np.ndarray]:
    value = float(np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2))
    return value, optimize.rosen_der(x)


@pytest.mark.parametrize("start", [[-1.2, 1.0], [1.5, 1.5, 1.5], [0.0, 0.0, 0.0]])
def test_bfgs_reaches_the_minimum_of_a_curved_valley(start: list[float]) -> None:
    found, converged = bfgs(rosenbrock, np.array(start))
    assert converged
    np.testing.assert_allclose(found, np.ones(len(start)), atol=1e-6)


def test_bfgs_stops_where_rounding_hides_every_decrease() -> None:
    """A summed likelihood whose gradient stays above the tolerance once its value no longer
    changes (rounding) ends at once, not after every step's line search: a Gamma-Gamma fit on
    the demo took 20 s of CPU so, once in three fits."""
    calls = 0

    def flat(x: np.ndarray) -> tuple[float, np.ndarray]:
        nonlocal calls
        calls += 1
        return 20_000.0, np.array([1e-3, -1e-3])  # value at rounding, gradient of its noise

    found, converged = bfgs(flat, np.array([0.5, 0.5]))
    assert converged  # the gradient is small beside the value: a minimum to rounding
    assert calls < 60
    np.testing.assert_allclose(found, [0.5, 0.5], atol=1e-6)


def test_the_likelihood_reached_is_scipys_or_better() -> None:
    # A gamma likelihood of positive data, fitted on the log scale as the models are.
    rng = np.random.default_rng(3)
    data = rng.gamma(shape=2.5, scale=4.0, size=2000)

    def log_likelihood(params: np.ndarray) -> tuple[float, np.ndarray]:
        from scipy.special import digamma, gammaln

        shape, rate = params
        logs = np.log(data)
        value = float(
            np.sum(shape * np.log(rate) - gammaln(shape) + (shape - 1) * logs - rate * data)
        )
        d_shape = float(np.sum(np.log(rate) - digamma(shape) + logs))
        d_rate = float(np.sum(shape / rate - data))
        return value, np.array([d_shape * shape, d_rate * rate])  # per log-parameter

    params, reached = maximize_log_likelihood(log_likelihood, [0.0, 0.0])
    scipy_fit = optimize.minimize(
        lambda p: -log_likelihood(np.exp(p))[0],
        [0.0, 0.0],
        method="Nelder-Mead",
        options={"xatol": 1e-10, "fatol": 1e-10, "maxiter": 10_000},
    )
    assert reached >= -scipy_fit.fun - 1e-9
    np.testing.assert_allclose(params, np.exp(scipy_fit.x), rtol=1e-5)
    assert params[0] == pytest.approx(2.5, rel=0.1) and params[1] == pytest.approx(0.25, rel=0.1)


def test_when_bfgs_cannot_descend_nelder_mead_finds_the_maximum() -> None:
    # A gradient of the wrong sign: no step along it raises the likelihood, so BFGS stops
    # short and the fit falls back to Nelder-Mead, which uses the values only.
    def log_likelihood(params: np.ndarray) -> tuple[float, np.ndarray]:
        x = np.log(params)
        return float(-((x[0] - 1.0) ** 2)), np.array([2.0 * (x[0] - 1.0)])

    params, reached = maximize_log_likelihood(log_likelihood, [-3.0])
    assert params[0] == pytest.approx(np.e, rel=1e-3) and reached == pytest.approx(0.0, abs=1e-6)


def test_bg_nbd_on_cdnow_reaches_at_least_the_likelihood_of_scipys_l_bfgs_b(
    cdnow: pd.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The fit as SciPy's L-BFGS-B made it before (same objective, same start, log scale).
    seen: list[tuple[Any, np.ndarray]] = []

    def watched(objective: Any, start: Any, **options: Any) -> tuple[np.ndarray, float]:
        seen.append((objective, np.asarray(start, dtype=float)))
        return maximize_log_likelihood(objective, start, **options)

    monkeypatch.setattr(bg_nbd, "maximize_log_likelihood", watched)
    summary = summarize_transactions(cdnow, calibration_end="1997-09-30", time_unit="week")
    model = BetaGeo().fit_summary(summary)
    ((objective, start),) = seen

    def negative(log_params: np.ndarray) -> tuple[float, np.ndarray]:
        value, gradient = objective(np.exp(log_params))
        return -value, -gradient

    theirs = optimize.minimize(negative, start, jac=True, method="L-BFGS-B")
    assert model.log_likelihood_ >= -theirs.fun - 1e-9
    np.testing.assert_allclose(list(model.params_.values()), np.exp(theirs.x), rtol=1e-3)


def test_a_fit_that_runs_off_reports_the_parameters_it_scored() -> None:
    """The search scores parameters up to ``exp(LOG_BOUND)``; one that runs off to infinity
    (a likelihood still rising there) reports that bound and its likelihood, not the point past
    it where the search stopped, which it never scored (the last session's b = 1.8e23)."""
    scored: list[float] = []

    def log_likelihood(params: np.ndarray) -> tuple[float, np.ndarray]:
        x = float(np.log(params[0]))
        scored.append(x)
        return float(np.arctan(x)), np.array([1.0 / (1.0 + x * x)])

    params, reached = maximize_log_likelihood(log_likelihood, [0.0])
    assert max(scored) <= LOG_BOUND + 1e-12
    assert params[0] == pytest.approx(np.exp(LOG_BOUND), rel=1e-12)
    assert reached == pytest.approx(np.arctan(LOG_BOUND), abs=1e-15)


def test_two_repeat_buyers_fit_reports_a_b_it_scored(cdnow: pd.DataFrame) -> None:
    """CDNOW's first purchases and the whole history of two customers: BG/NBD's b runs off to
    an edge (it was reported as 1.8e23, where the likelihood was read at 1.07e13)."""
    rows = cdnow[["customer_id", "date", "amount"]]
    pick = ["23554", "23556"]
    first = rows[rows["date"] == rows.groupby("customer_id")["date"].transform("min")]
    frame = pd.concat(
        [first[~first["customer_id"].isin(pick)], rows[rows["customer_id"].isin(pick)]]
    )
    model = BetaGeo().fit_summary(summarize_transactions(frame, time_unit="week"))
    assert model.params_["b"] == pytest.approx(np.exp(LOG_BOUND), rel=1e-12)
    assert max(model.params_.values()) <= np.exp(LOG_BOUND) * (1 + 1e-12)
