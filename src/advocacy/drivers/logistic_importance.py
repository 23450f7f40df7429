"""The logistic variant of relative importance, for a binary outcome (referred, bought again).

LMG splits McFadden's pseudo-R^2 (1 - log L(model) / log L(intercept only)) over all entry
orders, exactly as the linear LMG splits R^2. Relative weights follow Tonidandel & LeBreton
(2010): regress the outcome on the orthogonal counterparts of the drivers by logistic
regression, standardise those coefficients (times the correlation of outcome and fitted
probability, over the spread of the fitted logits), and map their squares back through the
drivers' correlation matrix.

References
----------
.. [1] McFadden, D. (1974). Conditional logit analysis of qualitative choice behavior. In
   Frontiers in Econometrics, 105-142. Academic Press.
.. [2] Tonidandel, S. & LeBreton, J. M. (2010). Determining the relative importance of
   predictors in logistic regression: an extension of relative weight analysis.
   Organizational Research Methods 13(4), 767-781.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from advocacy.drivers.shapley import exact_lmg

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class _LogitFit:
    """A fitted logistic regression: intercept then slopes, the linear predictor on the
    fitted rows, their probabilities and the log-likelihood."""

    params: FloatArray
    linear: FloatArray
    probability: FloatArray
    llf: float


def _logit_fit(x: FloatArray, y: FloatArray) -> _LogitFit:
    """Maximum-likelihood logistic regression with an intercept, fitted by scikit-learn.

    Unpenalised (the importance measures are defined on the maximum-likelihood fit), by
    Newton's method on the Cholesky factor, to a tolerance well below the printed precision.
    Under separation the likelihood has no maximum: the fit stops at its iteration limit with
    large but finite coefficients, which is all the standardised coefficients need.
    """
    # scikit-learn is imported here, not with the module: every key-driver command imports this
    # module, and scikit-learn (with scipy.stats) adds about a second to its start.
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import log_loss

    with warnings.catch_warnings():
        # Separation (a bootstrap resample split cleanly by one driver) stops the fit at its
        # iteration limit; the caller still gets usable, finite values.
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = LogisticRegression(C=np.inf, solver="newton-cholesky", tol=1e-12, max_iter=100).fit(
            x, y
        )
    probability = model.predict_proba(x)[:, 1]
    return _LogitFit(
        params=np.concatenate([model.intercept_, model.coef_[0]]),
        linear=model.decision_function(x),
        probability=probability,
        llf=-float(log_loss(y, probability, normalize=False)),
    )


def _mcfadden(x: FloatArray, y: FloatArray, columns: list[int], null_llf: float) -> float:
    if not columns:
        return 0.0
    return float(1.0 - _logit_fit(x[:, columns], y).llf / null_llf)


def logistic_lmg(
    x: FloatArray, y: FloatArray, exact_limit: int, n_permutations: int, rng: np.random.Generator
) -> tuple[FloatArray, float]:
    p = x.shape[1]
    share = float(y.mean())
    null_llf = float(y.size * (share * math.log(share) + (1 - share) * math.log(1 - share)))
    cache: dict[int, float] = {}

    def value(mask: int) -> float:
        if mask not in cache:
            cache[mask] = _mcfadden(x, y, [j for j in range(p) if mask >> j & 1], null_llf)
        return cache[mask]

    if p <= exact_limit:
        table = np.array([value(mask) for mask in range(1 << p)])
        return exact_lmg(table, p), float(table[-1])
    shares = np.zeros(p)
    for _ in range(n_permutations):
        mask, before = 0, 0.0
        for j in rng.permutation(p):
            mask |= 1 << int(j)
            after = value(mask)
            shares[j] += after - before
            before = after
    return shares / n_permutations, value((1 << p) - 1)


def logistic_johnson(x: FloatArray, y: FloatArray) -> FloatArray:
    standard = (x - x.mean(axis=0)) / x.std(axis=0, ddof=1)
    rxx = np.corrcoef(standard, rowvar=False)
    values, vectors = np.linalg.eigh(rxx)
    root = vectors @ np.diag(np.sqrt(values)) @ vectors.T
    z = standard @ vectors @ np.diag(1.0 / np.sqrt(values)) @ vectors.T
    fit = _logit_fit(z, y)
    linear = fit.linear
    r = float(np.corrcoef(fit.probability, y)[0, 1])
    beta = np.asarray(fit.params[1:]) * z.std(axis=0, ddof=1) * r / np.std(linear, ddof=1)
    return np.asarray((root**2) @ beta**2, dtype=np.float64)
