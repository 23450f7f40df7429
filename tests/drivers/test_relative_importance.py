"""Relative importance: Johnson's published weights, LMG by hand and as a Shapley value."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import advocacy
from advocacy import RelativeImportance, UsageError, relative_importance

MTCARS_DRIVERS = ["cyl", "disp", "hp", "gear"]


@pytest.fixture(scope="module")
def mtcars(shared_data: Path) -> pd.DataFrame:
    return pd.read_csv(shared_data / "driver-reference" / "mtcars.csv")


def r_squared(x: np.ndarray, y: np.ndarray) -> float:
    """R^2 by ordinary least squares with an intercept (independent of our correlation path)."""
    if x.shape[1] == 0:
        return 0.0
    design = np.column_stack([np.ones(len(y)), x])
    fitted = design @ np.linalg.lstsq(design, y, rcond=None)[0]
    return float(1 - ((y - fitted) ** 2).sum() / ((y - y.mean()) ** 2).sum())


def shapley_by_orders(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The LMG definition itself: average R^2 increment over all p! entry orders."""
    p = x.shape[1]
    totals = np.zeros(p)
    orders = list(itertools.permutations(range(p)))
    for order in orders:
        entered: list[int] = []
        for j in order:
            before = r_squared(x[:, entered], y)
            entered.append(j)
            totals[j] += r_squared(x[:, entered], y) - before
    return totals / len(orders)


def test_johnson_weights_reproduce_the_published_mtcars_values(mtcars: pd.DataFrame) -> None:
    """Johnson (2000) relative weights for mpg ~ cyl + disp + hp + gear, to 7 decimals."""
    frame = relative_importance(
        mtcars, outcome="mpg", drivers=MTCARS_DRIVERS, method="johnson", n_bootstrap=0
    )
    weights = frame.set_index("driver").raw_weight
    assert frame.attrs["r_squared"] == pytest.approx(0.7791896, abs=5e-8)
    assert weights["cyl"] == pytest.approx(0.2284797, abs=5e-8)
    assert weights["disp"] == pytest.approx(0.2221469, abs=5e-8)
    assert weights["hp"] == pytest.approx(0.2321744, abs=5e-8)
    assert weights["gear"] == pytest.approx(0.0963886, abs=5e-8)
    assert list(frame.driver) == ["hp", "cyl", "disp", "gear"]  # most important first


def test_lmg_reproduces_relaimpo_printed_output_on_mtcars(mtcars: pd.DataFrame) -> None:
    """R's relaimpo, ``calc.relimp(mpg ~ am + vs + cyl, data = mtcars, type = "lmg")``, as
    printed in the README of the domir package (github.com/jluchman/domir): proportion of
    variance explained 76.2% (domir's overall value 0.7619773); lmg am 0.1774892,
    vs 0.2027032, cyl 0.3817849; standardised (rela) 0.2329324, 0.2660226, 0.5010450."""
    frame = relative_importance(mtcars, outcome="mpg", drivers=["am", "vs", "cyl"], n_bootstrap=0)
    weights = frame.set_index("driver")
    assert frame.attrs["r_squared"] == pytest.approx(0.7619773, abs=5e-8)
    assert weights.raw_weight["am"] == pytest.approx(0.1774892, abs=5e-8)
    assert weights.raw_weight["vs"] == pytest.approx(0.2027032, abs=5e-8)
    assert weights.raw_weight["cyl"] == pytest.approx(0.3817849, abs=5e-8)
    assert weights.share["am"] == pytest.approx(0.2329324, abs=5e-8)
    assert weights.share["vs"] == pytest.approx(0.2660226, abs=5e-8)
    assert weights.share["cyl"] == pytest.approx(0.5010450, abs=5e-8)


def test_lmg_of_two_drivers_matches_the_value_derived_by_hand() -> None:
    """Derived by hand, in exact fractions (a second check besides the relaimpo printout
    above; the next test checks LMG against the Shapley definition over all entry orders).

    With two drivers LMG_1 = (r_1^2 + R^2 - r_2^2) / 2. For x1 = (1,2,3,4,5),
    x2 = (2,1,4,3,6), y = (1,3,2,5,4): centred sums S11 = 10, S22 = 74/5, S12 = 10, S1y = 8,
    S2y = 4, Syy = 10, so r_1^2 = 16/25, r_2^2 = 4/37, R^2 = 73/75, hence
    LMG_1 = 4177/5550 and LMG_2 = 49/222.
    """
    data = pd.DataFrame({"x1": [1, 2, 3, 4, 5], "x2": [2, 1, 4, 3, 6], "y": [1, 3, 2, 5, 4]})
    frame = relative_importance(data, outcome="y", drivers=["x1", "x2"], n_bootstrap=0)
    weights = frame.set_index("driver").raw_weight
    assert frame.attrs["r_squared"] == pytest.approx(73 / 75, abs=1e-12)
    assert weights["x1"] == pytest.approx(4177 / 5550, abs=1e-12)
    assert weights["x2"] == pytest.approx(49 / 222, abs=1e-12)
    assert frame.set_index("driver").share["x1"] == pytest.approx((4177 / 5550) / (73 / 75))


def test_exact_lmg_is_the_shapley_value_over_all_orders(mtcars: pd.DataFrame) -> None:
    frame = relative_importance(
        mtcars, outcome="mpg", drivers=MTCARS_DRIVERS, method="lmg", n_bootstrap=0
    )
    expected = shapley_by_orders(mtcars[MTCARS_DRIVERS].to_numpy(float), mtcars.mpg.to_numpy(float))
    got = frame.set_index("driver").raw_weight[MTCARS_DRIVERS].to_numpy()
    np.testing.assert_allclose(got, expected, atol=1e-12)
    assert got.sum() == pytest.approx(0.7791896, abs=5e-8)
    assert frame.attrs["exact"] is True


def test_sampled_lmg_approximates_the_exact_values_and_still_sums_to_r2(
    mtcars: pd.DataFrame,
) -> None:
    exact = relative_importance(mtcars, outcome="mpg", drivers=MTCARS_DRIVERS, n_bootstrap=0)
    sampled = relative_importance(
        mtcars,
        outcome="mpg",
        drivers=MTCARS_DRIVERS,
        n_bootstrap=0,
        exact_limit=2,
        n_permutations=4000,
        random_state=3,
    )
    again = relative_importance(
        mtcars,
        outcome="mpg",
        drivers=MTCARS_DRIVERS,
        n_bootstrap=0,
        exact_limit=2,
        n_permutations=4000,
        random_state=3,
    )
    assert sampled.attrs["exact"] is False
    pd.testing.assert_frame_equal(sampled, again)  # seeded: reproducible
    joined = exact.set_index("driver").raw_weight - sampled.set_index("driver").raw_weight
    assert joined.abs().max() < 0.01  # Monte Carlo error at 4,000 orders is ~0.003
    assert sampled.raw_weight.sum() == pytest.approx(exact.attrs["r_squared"], abs=1e-9)


def test_twenty_two_correlated_drivers_use_the_sampling_approximation() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 22))
    x[:, 1] += x[:, 0]  # correlated pair
    y = x @ np.linspace(0.0, 1.0, 22) + rng.normal(size=400)
    data = pd.DataFrame(x, columns=[f"d{j}" for j in range(22)]).assign(y=y)
    frame = relative_importance(
        data, outcome="y", drivers=[f"d{j}" for j in range(22)], n_bootstrap=0, random_state=1
    )
    assert frame.attrs["exact"] is False
    assert frame.raw_weight.sum() == pytest.approx(frame.attrs["r_squared"], abs=1e-9)
    assert frame.driver.iloc[0] == "d21"  # the largest true coefficient
    assert frame.set_index("driver").raw_weight["d0"] < 0.01


def test_bootstrap_intervals_surround_the_estimates_and_are_seeded(mtcars: pd.DataFrame) -> None:
    first = relative_importance(
        mtcars, outcome="mpg", drivers=MTCARS_DRIVERS, n_bootstrap=100, random_state=5
    )
    second = relative_importance(
        mtcars, outcome="mpg", drivers=MTCARS_DRIVERS, n_bootstrap=100, random_state=5
    )
    pd.testing.assert_frame_equal(first, second)
    assert (first.raw_weight_low < first.raw_weight).all()
    assert (first.raw_weight < first.raw_weight_high).all()
    assert (first.share_low < first.share).all() and (first.share < first.share_high).all()


def test_the_share_interval_is_of_the_share_not_of_the_raw_weight(mtcars: pd.DataFrame) -> None:
    # Issue #19: the CLI printed share 0.229 beside "ci [0.175, 0.202]", the raw weight's
    # interval. Shares sum to 1 and raw weights to R^2 (0.78 here), so the two intervals differ.
    frame = relative_importance(
        mtcars, outcome="mpg", drivers=MTCARS_DRIVERS, n_bootstrap=100, random_state=5
    )
    columns = list(frame.columns)
    assert columns.index("share_low") == columns.index("share") + 1
    assert columns.index("raw_weight_low") == columns.index("raw_weight") + 1
    assert "ci_low" not in columns
    for row in frame.itertuples():
        assert row.share_low <= row.share <= row.share_high
        assert row.raw_weight_low <= row.raw_weight <= row.raw_weight_high
        assert row.share_high > row.raw_weight_high  # the share is the larger of the two


def test_logistic_variant_for_a_binary_outcome(mtcars: pd.DataFrame) -> None:
    drivers = ["mpg", "hp", "drat"]
    lmg = relative_importance(mtcars, outcome="vs", drivers=drivers, n_bootstrap=0)
    assert lmg.attrs["family"] == "logistic"
    # McFadden's pseudo-R^2 of the full model, from the log-likelihoods: the shares add up to it.
    assert lmg.raw_weight.sum() == pytest.approx(lmg.attrs["r_squared"], abs=1e-9)
    assert 0 < lmg.attrs["r_squared"] < 1
    johnson = relative_importance(
        mtcars, outcome="vs", drivers=drivers, method="johnson", n_bootstrap=30, random_state=0
    )
    assert (johnson.raw_weight > 0).all()
    assert johnson.raw_weight_high.max() < 1.5  # finite even when a resample separates the classes
    assert lmg.driver.iloc[0] == johnson.driver.iloc[0] == "hp"


def newton_logit(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Maximum-likelihood logistic slopes and intercept by plain Newton-Raphson (not sklearn)."""
    design = np.column_stack([np.ones(len(y)), x])
    beta = np.zeros(design.shape[1])
    for _ in range(50):
        p = 1 / (1 + np.exp(-design @ beta))
        step = np.linalg.solve(design.T @ (design * (p * (1 - p))[:, None]), design.T @ (y - p))
        beta += step
        if np.abs(step).max() < 1e-12:
            break
    return beta


def test_logistic_relative_weights_follow_tonidandel_and_lebreton(mtcars: pd.DataFrame) -> None:
    """Tonidandel & LeBreton (2010), step by step: the drivers' orthogonal counterparts Z, a
    logistic regression of the outcome on Z, its slopes standardised as b * s_z * R / s_logit
    (R = correlation of outcome and fitted probability), and their squares carried back through
    Lambda^2. Because Z is uncorrelated, the weights add up to R^2 exactly. (The paper's own
    example data are not public, so this reproduces the method rather than its table.)"""
    drivers = ["mpg", "hp", "drat"]
    x = mtcars[drivers].to_numpy(float)
    y = mtcars["vs"].to_numpy(float)
    standard = (x - x.mean(axis=0)) / x.std(axis=0, ddof=1)
    values, vectors = np.linalg.eigh(np.corrcoef(standard, rowvar=False))
    lam = vectors @ np.diag(np.sqrt(values)) @ vectors.T
    z = standard @ np.linalg.inv(lam)
    beta = newton_logit(z, y)
    logit = beta[0] + z @ beta[1:]
    r = np.corrcoef(1 / (1 + np.exp(-logit)), y)[0, 1]
    standardised = beta[1:] * z.std(axis=0, ddof=1) * r / logit.std(ddof=1)
    expected = (lam**2) @ standardised**2

    got = relative_importance(
        mtcars, outcome="vs", drivers=drivers, method="johnson", n_bootstrap=0
    )
    by_driver = got.set_index("driver").raw_weight.reindex(drivers).to_numpy()
    np.testing.assert_allclose(by_driver, expected, rtol=1e-6)
    assert by_driver.sum() == pytest.approx(r**2, rel=1e-6)
    assert got.share.sum() == pytest.approx(1.0)


def test_errors_name_the_problem(mtcars: pd.DataFrame) -> None:
    with pytest.raises(UsageError, match="does not vary"):
        relative_importance(mtcars.assign(k=1.0), outcome="mpg", drivers=["hp", "k"])
    with pytest.raises(UsageError, match="no column 'nope'"):
        relative_importance(mtcars, outcome="mpg", drivers=["hp", "nope"])
    with pytest.raises(UsageError, match="linear combinations"):
        relative_importance(mtcars.assign(h2=mtcars.hp * 2), outcome="mpg", drivers=["hp", "h2"])
    with pytest.raises(UsageError, match="not fitted"):
        RelativeImportance().summary()


def test_estimator_contract(mtcars: pd.DataFrame) -> None:
    model = RelativeImportance("johnson", n_bootstrap=0)
    assert repr(model) == "RelativeImportance(method='johnson', family='auto')"
    assert model.fit(mtcars[MTCARS_DRIVERS], mtcars.mpg, names=MTCARS_DRIVERS) is model
    assert math.isclose(model.r_squared_, 0.7791896, abs_tol=5e-8)
    assert "n = 32" in model.summary() and "hp: 0.2322" in model.summary()


def test_workspace_drivers_from_response_items(db_url: str, tmp_path: Path) -> None:
    """Ratings joined to NPS in the database (DuckDB and PostgreSQL) equal a pandas pivot."""
    from gaps.data import frames, workspace_with_gaps

    with workspace_with_gaps(db_url, tmp_path) as ws:
        got = ws.gaps.drivers(n_bootstrap=0)
    source = frames()
    items = source["response-items"]
    wide = items[items.kind == "rating"].pivot(index="response_id", columns="item", values="value")
    wide = wide.join(source["responses"].set_index("response_id").nps)
    perceptions = items[items.kind == "perception"].pivot(
        index="response_id", columns="item", values="value"
    )
    wide = wide.join(perceptions)
    expected = relative_importance(
        wide, outcome="nps", drivers=sorted(set(items.item)), n_bootstrap=0
    )
    assert list(got.driver) == list(expected.driver)
    np.testing.assert_allclose(got.raw_weight, expected.raw_weight, atol=1e-10)
    assert got.driver.iloc[0] == "speed"
    assert advocacy.relative_importance is relative_importance
