"""The NumPy ridge logistic regression and ROC AUC give scikit-learn's answers."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from advocacy.advocates.logistic import LogisticFit, roc_auc
from advocacy.errors import InsufficientDataError


def _data(seed: int, rows: int, columns: int, *, shift: float = 0.0, strength: float = 1.0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(rows, columns))
    weights = rng.normal(scale=strength, size=columns)
    odds = x @ weights + shift
    y = (rng.uniform(size=rows) < 1.0 / (1.0 + np.exp(-odds))).astype(int)
    return x, y


def _exact_sklearn(x: np.ndarray, y: np.ndarray, c: float) -> LogisticRegression:
    """scikit-learn driven to its minimum: its Newton solver, to a tight tolerance (the default
    L-BFGS stops at a gradient of 1e-4, and short of the minimum on badly scaled columns)."""
    return LogisticRegression(C=c, solver="newton-cholesky", tol=1e-12, max_iter=1000).fit(x, y)


@pytest.mark.parametrize(
    ("seed", "rows", "columns", "shift", "strength", "c"),
    [
        (1, 500, 3, 0.0, 1.0, 1.0),  # balanced, a few features
        (2, 4000, 18, -2.5, 0.7, 1.0),  # rare positives, as advocates are (~8 %)
        (3, 300, 10, 0.0, 6.0, 1.0),  # nearly separable: the penalty keeps weights finite
        (4, 2000, 12, 1.0, 1.0, 0.01),  # strong penalty
        (5, 2000, 12, 0.0, 1.0, 1000.0),  # weak penalty
        (6, 40, 25, 0.0, 1.0, 1.0),  # more features than the data can pin down
    ],
)
def test_fit_reaches_sklearns_minimum(
    seed: int, rows: int, columns: int, shift: float, strength: float, c: float
) -> None:
    x, y = _data(seed, rows, columns, shift=shift, strength=strength)
    ours = LogisticFit.fit(x, y, regularisation=c)
    theirs = _exact_sklearn(x, y, c)
    np.testing.assert_allclose(ours.coef, theirs.coef_[0], rtol=1e-9, atol=1e-12)
    assert ours.intercept == pytest.approx(theirs.intercept_[0], rel=1e-9, abs=1e-12)
    np.testing.assert_allclose(
        ours.probability(x), theirs.predict_proba(x)[:, 1], rtol=1e-9, atol=1e-14
    )
    assert ours.steps < 30


def test_fit_agrees_with_sklearns_default_to_its_tolerance() -> None:
    """What fans-to-be used before: the default L-BFGS stop, on standardised features."""
    x, y = _data(7, 5000, 14, shift=-2.0, strength=0.5)
    x = (x - x.mean(axis=0)) / x.std(axis=0)
    ours = LogisticFit.fit(x, y).probability(x)
    theirs = LogisticRegression().fit(x, y).predict_proba(x)[:, 1]
    assert np.max(np.abs(ours - theirs)) < 1e-3
    # the customers ranked first stay first
    assert list(np.argsort(-ours)[:50]) == list(np.argsort(-theirs)[:50])


# scikit-learn's Newton solver falls back to L-BFGS on the column a million times larger.
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_constant_and_huge_columns_are_handled() -> None:
    x, y = _data(8, 600, 4)
    x = np.hstack([x, np.zeros((600, 1)), 1e6 * x[:, :1]])
    ours = LogisticFit.fit(x, y)
    theirs = _exact_sklearn(x, y, 1.0)
    assert ours.coef[4] == 0.0
    np.testing.assert_allclose(
        ours.probability(x), theirs.predict_proba(x)[:, 1], rtol=1e-9, atol=1e-14
    )


def test_probability_does_not_overflow_far_from_the_data() -> None:
    x, y = _data(9, 400, 2, strength=3.0)
    model = LogisticFit.fit(x, y)
    far = np.array([[1e6, 1e6], [-1e6, -1e6], [0.0, 0.0]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        probabilities = model.probability(far)
    assert np.all((probabilities >= 0.0) & (probabilities <= 1.0))
    assert sorted(probabilities.round(6)) == sorted([0.0, 1.0, round(probabilities[2], 6)])


def test_one_class_and_bad_input_are_refused() -> None:
    x, _ = _data(10, 50, 2)
    with pytest.raises(InsufficientDataError):
        LogisticFit.fit(x, np.ones(50))
    with pytest.raises(ValueError, match="do not match"):
        LogisticFit.fit(x, np.ones(49))
    with pytest.raises(ValueError, match="finite"):
        LogisticFit.fit(np.where(x > 1, np.nan, x), (x[:, 0] > 0).astype(int))
    with pytest.raises(ValueError, match="0 or 1"):
        LogisticFit.fit(x, np.arange(50) % 3)
    with pytest.raises(ValueError, match="positive"):
        LogisticFit.fit(x, (x[:, 0] > 0).astype(int), regularisation=0.0)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_roc_auc_matches_sklearn_with_ties(seed: int) -> None:
    rng = np.random.default_rng(seed)
    labels = (rng.uniform(size=3000) < 0.1).astype(int)
    # scores rounded to a few values: many ties within and across the classes
    scores = np.round(rng.normal(size=3000) + labels, 1)
    assert roc_auc(labels, scores) == pytest.approx(roc_auc_score(labels, scores), abs=1e-12)


def test_roc_auc_of_perfect_reversed_and_tied_rankings() -> None:
    labels = np.array([0, 0, 1, 1])
    assert roc_auc(labels, [0.1, 0.2, 0.8, 0.9]) == 1.0
    assert roc_auc(labels, [0.9, 0.8, 0.2, 0.1]) == 0.0
    assert roc_auc(labels, [0.5, 0.5, 0.5, 0.5]) == 0.5
    with pytest.raises(ValueError, match="both classes"):
        roc_auc([1, 1], [0.2, 0.3])
