"""Confidence intervals for experience scores: Wilson, t, Wald and adjusted-Wald, Kish's n.

Every function is vectorised: it takes numbers or NumPy arrays (one element per slice) and
returns arrays of the same shape, so one call finishes every row of a metrics table. Scores here
are on the unit scale (NPS in -1..1, shares in 0..1); callers rescale for display.

References
----------
.. [1] Rocks, B. (2016). Interval Estimation for the "Net Promoter Score". The American
   Statistician, 70(4), 365-372. https://doi.org/10.1080/00031305.2016.1158124
.. [2] Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
   inference. Journal of the American Statistical Association, 22(158), 209-212.
.. [3] Kish, L. (1965). Survey Sampling. New York: Wiley (effective sample size, sec. 11.7).
.. [4] Agresti, A., & Coull, B. A. (1998). Approximate is better than "exact" for interval
   estimation of binomial proportions. The American Statistician, 52(2), 119-126.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from advocacy.errors import UsageError
from advocacy.metrics import student_t

FloatArray = NDArray[np.float64]
NpsInterval = Literal["adjusted-wald", "wald"]
NPS_INTERVALS: tuple[str, ...] = ("adjusted-wald", "wald")

#: Pseudo-counts the adjusted-Wald interval adds to (detractors, passives, promoters) [1]_.
ADJUSTED_WALD_PSEUDO_COUNTS = (0.75, 1.5, 0.75)


@dataclass(frozen=True)
class Interval:
    """Estimates with their standard errors and interval bounds (arrays, one per slice)."""

    estimate: FloatArray
    se: FloatArray
    low: FloatArray
    high: FloatArray


def _array(values: ArrayLike) -> FloatArray:
    return np.asarray(values, dtype=np.float64)


def check_confidence(confidence: float) -> float:
    """Return ``confidence`` if it is a probability strictly between 0 and 1, else raise."""
    if not 0.0 < float(confidence) < 1.0:
        raise UsageError(
            "the confidence level must lie strictly between 0 and 1",
            value=confidence,
            parameter="confidence",
            fix="pass e.g. 0.95 for 95% intervals",
        )
    return float(confidence)


# The normal quantile comes from the standard library (Wichura's AS241, accurate to about
# 1e-16) and the t quantile from advocacy.metrics.student_t, so no interval imports SciPy
# (scipy.special alone costs ~0.2 s, more than a CLI command's own work).
def z_critical(confidence: float) -> float:
    """The two-sided standard-normal critical value, e.g. 1.959964 for ``confidence=0.95``.

    >>> round(z_critical(0.95), 6)
    1.959964
    """
    return NormalDist().inv_cdf(0.5 + check_confidence(confidence) / 2.0)


def t_critical(confidence: float, freedom: ArrayLike) -> FloatArray:
    """The two-sided Student-t critical value on ``freedom`` degrees of freedom (NaN where the
    degrees of freedom are NaN), e.g. 2.262157 for ``confidence=0.95`` and 9 degrees.

    >>> round(float(t_critical(0.95, 9)), 6)
    2.262157
    """
    level = check_confidence(confidence)
    degrees = _array(freedom)
    values = [student_t.quantile(0.5 + level / 2.0, float(v)) for v in degrees.ravel()]
    return np.asarray(values, dtype=np.float64).reshape(degrees.shape)


def effective_sample_size(sum_weights: ArrayLike, sum_squared_weights: ArrayLike) -> FloatArray:
    """Kish's effective sample size ``(sum w)^2 / sum w^2`` from the two weight sums.

    With all weights equal it is the number of responses; unequal weights make it smaller,
    which widens every interval computed from it [3]_.
    """
    total = _array(sum_weights)
    squares = _array(sum_squared_weights)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(squares > 0, total * total / squares, 0.0)


def kish_effective_n(weights: ArrayLike) -> float:
    """Kish's effective sample size of a set of response weights [3]_.

    Examples
    --------
    >>> kish_effective_n([1, 1, 1, 1])
    4.0
    >>> round(kish_effective_n([1, 1, 1, 3]), 3)
    3.0
    """
    values = _array(weights)
    return float(effective_sample_size(values.sum(), (values * values).sum()))


def wilson_interval(share: ArrayLike, n: ArrayLike, confidence: float) -> Interval:
    """Wilson score interval for proportions ``share`` observed on ``n`` (effective) responses.

    Unlike the Wald interval it stays inside [0, 1] and keeps its coverage near 0 and 1 [2]_,
    [4]_. ``se`` is the plain binomial standard error ``sqrt(p (1 - p) / n)``.
    """
    p = _array(share)
    size = _array(n)
    z = z_critical(confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        se = np.sqrt(p * (1.0 - p) / size)
        denominator = 1.0 + z * z / size
        centre = (p + z * z / (2.0 * size)) / denominator
        half = z * np.sqrt(p * (1.0 - p) / size + z * z / (4.0 * size * size)) / denominator
    empty = size <= 0
    return Interval(
        estimate=np.where(empty, np.nan, p),
        se=np.where(empty, np.nan, se),
        low=np.where(empty, np.nan, np.clip(centre - half, 0.0, 1.0)),
        high=np.where(empty, np.nan, np.clip(centre + half, 0.0, 1.0)),
    )


def newcombe_difference(
    successes_1: int, n_1: int, successes_2: int, n_2: int, *, confidence: float = 0.95
) -> tuple[float, float, float]:
    """Difference of two independent proportions with Newcombe's hybrid score interval.

    Method 10 of Newcombe (1998), built from the two Wilson intervals; returns (difference,
    low, high), NaN when either group is empty.

    References
    ----------
    Newcombe, R. G. (1998). Interval estimation for the difference between independent
    proportions: comparison of eleven methods. Statistics in Medicine, 17(8), 873-890
    (Table II, example (a): 56/70 - 48/80 = 0.2000, interval 0.0524 to 0.3339).

    >>> [round(v, 4) for v in newcombe_difference(56, 70, 48, 80)]
    [0.2, 0.0524, 0.3339]
    """
    if n_1 <= 0 or n_2 <= 0:
        return (math.nan, math.nan, math.nan)
    p_1, p_2 = successes_1 / n_1, successes_2 / n_2
    first = wilson_interval(p_1, n_1, confidence)
    second = wilson_interval(p_2, n_2, confidence)
    l_1, u_1 = float(first.low), float(first.high)
    l_2, u_2 = float(second.low), float(second.high)
    difference = p_1 - p_2
    low = difference - math.sqrt((p_1 - l_1) ** 2 + (u_2 - p_2) ** 2)
    high = difference + math.sqrt((u_1 - p_1) ** 2 + (p_2 - l_2) ** 2)
    return (difference, low, high)


def t_interval(mean: ArrayLike, variance: ArrayLike, n: ArrayLike, confidence: float) -> Interval:
    """Student-t interval for means: ``mean +/- t(n - 1) sqrt(variance / n)``.

    ``variance`` is the (n - 1)-denominator sample variance and ``n`` the (effective) number of
    responses; fewer than two responses give no interval (NaN).
    """
    centre = _array(mean)
    size = _array(n)
    level = check_confidence(confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        se = np.sqrt(np.maximum(_array(variance), 0.0) / size)
        critical = t_critical(level, np.where(size > 1, size - 1.0, np.nan))
    se = np.where(size > 1, se, np.nan)
    return Interval(centre, se, centre - critical * se, centre + critical * se)


def trinomial_variance(promoters: ArrayLike, detractors: ArrayLike) -> FloatArray:
    """Per-response variance of NPS on the unit scale: ``(p+ + p-) - (p+ - p-)^2`` [1]_.

    ``promoters`` and ``detractors`` are the shares ``p+`` and ``p-``.
    """
    plus = _array(promoters)
    minus = _array(detractors)
    return (plus + minus) - (plus - minus) ** 2


def nps_interval(
    detractors: ArrayLike,
    passives: ArrayLike,
    promoters: ArrayLike,
    *,
    confidence: float,
    method: str = "adjusted-wald",
) -> Interval:
    """NPS (unit scale, -1..1) with its standard error and interval, from (effective) counts.

    ``method="wald"`` is the textbook interval ``NPS +/- z sqrt(Var / n)`` with the trinomial
    variance. ``method="adjusted-wald"`` (the default, recommended by Rocks [1]_) first adds
    0.75 detractors, 1.5 passives and 0.75 promoters, which keeps coverage near the nominal level
    for small samples and extreme scores. Either way the estimate is the observed NPS and ``se``
    its plain standard error ``sqrt(Var / n)``; only the bounds depend on ``method``.

    Rocks' worked example (20 detractors, 30 passives, 50 promoters) gives an adjusted centre of
    0.291262 and the 95% interval [0.140511, 0.442013], which the tests reproduce.
    """
    if method not in NPS_INTERVALS:
        raise UsageError(
            f"unknown NPS interval {method!r}",
            value=method,
            parameter="interval",
            fix="use adjusted-wald or wald",
        )
    det = _array(detractors)
    pas = _array(passives)
    pro = _array(promoters)
    n = det + pas + pro
    with np.errstate(divide="ignore", invalid="ignore"):
        estimate = (pro - det) / n
        se = np.sqrt(trinomial_variance(pro / n, det / n) / n)
    centre, spread = estimate, se
    if method == "adjusted-wald":
        add_det, add_pas, add_pro = ADJUSTED_WALD_PSEUDO_COUNTS
        det, pas, pro = det + add_det, pas + add_pas, pro + add_pro
        total = det + pas + pro
        centre = (pro - det) / total
        spread = np.sqrt(trinomial_variance(pro / total, det / total) / total)
    z = z_critical(confidence)
    empty = n <= 0
    return Interval(
        estimate=np.where(empty, np.nan, estimate),
        se=np.where(empty, np.nan, se),
        low=np.where(empty, np.nan, np.clip(centre - z * spread, -1.0, 1.0)),
        high=np.where(empty, np.nan, np.clip(centre + z * spread, -1.0, 1.0)),
    )


def adjusted_wald_center(detractors: float, passives: float, promoters: float) -> float:
    """The centre of the adjusted-Wald NPS interval (unit scale) [1]_: 0.291262 for (20, 30, 50)."""
    add_det, add_pas, add_pro = ADJUSTED_WALD_PSEUDO_COUNTS
    total = detractors + passives + promoters + add_det + add_pas + add_pro
    return (promoters + add_pro - detractors - add_det) / total
