"""Experience scores and their uncertainty: NPS, shares (top-box, top-2-box) and means.

Two layers. The vectorised estimators (``*_from_sums``) finish a whole table of slices from the
sufficient statistics a database aggregated (counts, sums of weights, sums of values); the scalar
functions (:func:`nps`, :func:`nps_from_counts`, :func:`mean_score`, :func:`share`) serve bare
data in a notebook and return small frozen results.

Scales: NPS is reported on -100..100 and shares in percent (0..100); means stay on the rating
scale. Weighted estimates use Kish's effective sample size for every standard error.

References
----------
.. [1] Reichheld, F. F. (2003). The one number you need to grow. Harvard Business Review,
   81(12), 46-54 (promoters 9-10, passives 7-8, detractors 0-6).
.. [2] Rocks, B. (2016). Interval Estimation for the "Net Promoter Score". The American
   Statistician, 70(4), 365-372. Its R package's test vectors (detractors, passives,
   promoters): (1, 2, 3) gives NPS 1/3, variance 5/9, SE 0.304; (1, 0, 1) gives 0, 1, 0.707;
   (0, 1, 1) gives 0.5, 0.25, 0.354; (1, 1, 1) gives 0, 2/3, 0.471.
.. [3] Kish, L. (1965). Survey Sampling. New York: Wiley.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from advocacy.errors import UsageError
from advocacy.metrics.intervals import (
    FloatArray,
    Interval,
    check_confidence,
    effective_sample_size,
    nps_interval,
    t_interval,
    wilson_interval,
)

PROMOTER_MINIMUM = 9
PASSIVE_MINIMUM = 7


@dataclass(frozen=True)
class NpsResult:
    """An NPS (-100..100) with its standard error, interval and the counts behind it.

    Attributes
    ----------
    score
        Percent promoters minus percent detractors, -100..100.
    se
        Standard error of ``score`` (trinomial variance).
    ci_low, ci_high
        The interval at ``confidence``.
    n
        Answers counted.
    detractors, passives, promoters
        Answers 0-6, 7-8 and 9-10 (weighted counts when weights are given).
    n_effective
        Kish's effective sample size (``n`` without weights).
    confidence
        Confidence level of the interval.
    interval
        ``"adjusted-wald"`` or ``"wald"``.

    Examples
    --------
    >>> result = nps([10, 9, 9, 8, 7, 3])
    >>> result.promoters, result.passives, result.detractors, result.n
    (3.0, 2.0, 1.0, 6)
    """

    score: float
    se: float
    ci_low: float
    ci_high: float
    n: int
    detractors: float
    passives: float
    promoters: float
    n_effective: float
    confidence: float
    interval: str


@dataclass(frozen=True)
class ScoreResult:
    """A mean or a share (percent) with its standard error and interval.

    Attributes
    ----------
    score
        The mean, or the share in percent.
    se
        Standard error of ``score``.
    ci_low, ci_high
        The interval at ``confidence`` (t for a mean, Wilson for a share).
    n
        Answers counted.
    n_effective
        Kish's effective sample size (``n`` without weights).
    confidence
        Confidence level of the interval.

    Examples
    --------
    >>> result = mean_score([4, 5, 3, 5])
    >>> result.score, result.n
    (4.25, 4)
    """

    score: float
    se: float
    ci_low: float
    ci_high: float
    n: int
    n_effective: float
    confidence: float


# -- vectorised estimators from sufficient statistics ---------------------------------------------
def nps_from_sums(
    weight: ArrayLike,
    squared_weight: ArrayLike,
    detractor_weight: ArrayLike,
    promoter_weight: ArrayLike,
    *,
    confidence: float,
    method: str = "adjusted-wald",
) -> Interval:
    """NPS on -100..100 per slice from weight sums (with unit weights, the sums are counts).

    The weighted shares of detractors and promoters are applied to the effective sample size,
    so the interval is as wide as ``n_effective`` unweighted responses would give [2]_, [3]_.
    """
    total = np.asarray(weight, dtype=np.float64)
    n_effective = effective_sample_size(total, squared_weight)
    with np.errstate(divide="ignore", invalid="ignore"):
        det = n_effective * np.asarray(detractor_weight, dtype=np.float64) / total
        pro = n_effective * np.asarray(promoter_weight, dtype=np.float64) / total
    det = np.where(total > 0, det, 0.0)
    pro = np.where(total > 0, pro, 0.0)
    result = nps_interval(det, n_effective - det - pro, pro, confidence=confidence, method=method)
    return _scaled(result, 100.0)


def share_from_sums(
    weight: ArrayLike, squared_weight: ArrayLike, hit_weight: ArrayLike, *, confidence: float
) -> Interval:
    """A share in percent per slice, with the Wilson interval on the effective sample size."""
    total = np.asarray(weight, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        proportion = np.asarray(hit_weight, dtype=np.float64) / total
    n_effective = effective_sample_size(total, squared_weight)
    return _scaled(wilson_interval(proportion, n_effective, confidence), 100.0)


def mean_from_sums(
    weight: ArrayLike,
    squared_weight: ArrayLike,
    weighted_sum: ArrayLike,
    weighted_squares: ArrayLike,
    *,
    confidence: float,
) -> Interval:
    """A (weighted) mean per slice with its t interval on ``n_effective - 1`` degrees of freedom.

    The weighted variance ``sum w (x - m)^2 / sum w`` is inflated by ``n / (n - 1)`` with
    ``n`` the effective size, which is the usual sample variance when all weights are equal.
    """
    total = np.asarray(weight, dtype=np.float64)
    n_effective = effective_sample_size(total, squared_weight)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.asarray(weighted_sum, dtype=np.float64) / total
        spread = np.asarray(weighted_squares, dtype=np.float64) / total - mean * mean
        variance = np.maximum(spread, 0.0) * n_effective / (n_effective - 1.0)
    return t_interval(mean, variance, n_effective, confidence)


def _scaled(result: Interval, factor: float) -> Interval:
    return Interval(
        result.estimate * factor, result.se * factor, result.low * factor, result.high * factor
    )


# -- scalar API for bare data --------------------------------------------------------------------
def _weights_for(values: FloatArray, weights: ArrayLike | None) -> FloatArray:
    if weights is None:
        return np.ones_like(values)
    array = np.asarray(weights, dtype=np.float64)
    if array.shape != values.shape:
        raise UsageError(
            f"got {array.size} weights for {values.size} scores",
            parameter="weights",
            fix="pass one weight per score",
        )
    if np.any(array[~np.isnan(array)] < 0):
        raise UsageError("weights must not be negative", parameter="weights")
    return array


def _first(values: FloatArray) -> float:
    return float(values.reshape(-1)[0])


def nps_from_counts(
    detractors: float,
    passives: float,
    promoters: float,
    *,
    confidence: float = 0.95,
    interval: str = "adjusted-wald",
) -> NpsResult:
    """Net Promoter Score from the counts of detractors, passives and promoters.

    Parameters
    ----------
    detractors, passives, promoters
        How many respondents answered 0-6, 7-8 and 9-10.
    confidence
        Confidence level of the interval.
    interval
        ``"adjusted-wald"`` (default, Rocks 2016) or ``"wald"``.

    Returns
    -------
    NpsResult
        ``score`` on -100..100, ``se`` = 100 sqrt(Var / n) with the trinomial variance
        ``(p+ + p-) - (p+ - p-)^2``, and the interval bounds.

    Raises
    ------
    UsageError
        When a count is negative.

    References
    ----------
    Rocks (2016) [2]_: counts (1, 2, 3) give NPS 33.3 with SE 30.4; the adjusted-Wald 95%
    interval of (20, 30, 50) is [14.0511, 44.2013] around the adjusted centre 29.1262.

    Examples
    --------
    >>> result = nps_from_counts(1, 2, 3)
    >>> round(result.score, 1), round(result.se, 1)
    (33.3, 30.4)
    """
    counts = [float(detractors), float(passives), float(promoters)]
    if min(counts) < 0:
        raise UsageError("counts must not be negative", value=tuple(counts), parameter="counts")
    n = sum(counts)
    result = nps_interval(*counts, confidence=check_confidence(confidence), method=interval)
    return NpsResult(
        score=100.0 * _first(result.estimate),
        se=100.0 * _first(result.se),
        ci_low=100.0 * _first(result.low),
        ci_high=100.0 * _first(result.high),
        n=round(n),
        detractors=counts[0],
        passives=counts[1],
        promoters=counts[2],
        n_effective=n,
        confidence=confidence,
        interval=interval,
    )


def nps(
    scores: ArrayLike,
    *,
    weights: ArrayLike | None = None,
    confidence: float = 0.95,
    interval: str = "adjusted-wald",
) -> NpsResult:
    """Net Promoter Score of 0-10 answers (missing answers, NaN, are left out).

    Parameters
    ----------
    scores
        Likelihood-to-recommend answers, integers 0-10.
    weights
        Optional survey weights, one per answer; intervals then use Kish's effective size.
    confidence
        Confidence level of the interval.
    interval
        ``"adjusted-wald"`` (default, Rocks 2016) or ``"wald"``.

    Returns
    -------
    NpsResult
        The score on -100..100 with its standard error and interval; with weights the counts
        are weighted counts.

    Raises
    ------
    UsageError
        When an answer is not a whole number from 0 to 10.

    References
    ----------
    Reichheld (2003) [1]_ defines the score; Rocks (2016) [2]_ the variance and interval.

    Examples
    --------
    >>> round(nps([10, 9, 9, 8, 7, 3]).score, 1)
    33.3
    """
    values = np.asarray(scores, dtype=np.float64).reshape(-1)
    weight = _weights_for(values, weights)
    keep = ~np.isnan(values) & ~np.isnan(weight)
    values, weight = values[keep], weight[keep]
    bad = values[(values < 0) | (values > 10) | (values != np.round(values))]
    if bad.size:
        raise UsageError(
            "NPS answers must be whole numbers from 0 to 10",
            value=float(bad[0]),
            parameter="scores",
            fix="remove or correct the answers outside 0-10",
        )
    detractor_weight = float(weight[values < PASSIVE_MINIMUM].sum())
    promoter_weight = float(weight[values >= PROMOTER_MINIMUM].sum())
    total = float(weight.sum())
    result = nps_from_sums(
        total,
        float((weight * weight).sum()),
        detractor_weight,
        promoter_weight,
        confidence=check_confidence(confidence),
        method=interval,
    )
    return NpsResult(
        score=_first(result.estimate),
        se=_first(result.se),
        ci_low=_first(result.low),
        ci_high=_first(result.high),
        n=int(values.size),
        detractors=detractor_weight,
        passives=total - detractor_weight - promoter_weight,
        promoters=promoter_weight,
        n_effective=_first(effective_sample_size(total, (weight * weight).sum())),
        confidence=confidence,
        interval=interval,
    )


def mean_score(
    values: ArrayLike, *, weights: ArrayLike | None = None, confidence: float = 0.95
) -> ScoreResult:
    """Mean rating (e.g. CSAT or CES) with its t interval; NaN answers are left out.

    Examples
    --------
    >>> result = mean_score([4, 5, 3, 4])
    >>> result.score, round(result.se, 4)
    (4.0, 0.4082)
    """
    array = np.asarray(values, dtype=np.float64).reshape(-1)
    weight = _weights_for(array, weights)
    keep = ~np.isnan(array) & ~np.isnan(weight)
    array, weight = array[keep], weight[keep]
    result = mean_from_sums(
        weight.sum(),
        (weight * weight).sum(),
        (weight * array).sum(),
        (weight * array * array).sum(),
        confidence=check_confidence(confidence),
    )
    return _score_result(result, int(array.size), weight, confidence)


def share(
    hits: ArrayLike, *, weights: ArrayLike | None = None, confidence: float = 0.95
) -> ScoreResult:
    """Share in percent of true ``hits`` (e.g. top-box answers) with its Wilson interval.

    Examples
    --------
    >>> result = share([True, True, False, True])
    >>> result.score, round(result.ci_low, 1), round(result.ci_high, 1)
    (75.0, 30.1, 95.4)
    """
    array = np.asarray(hits, dtype=np.float64).reshape(-1)
    weight = _weights_for(array, weights)
    keep = ~np.isnan(array) & ~np.isnan(weight)
    array, weight = array[keep], weight[keep]
    result = share_from_sums(
        weight.sum(), (weight * weight).sum(), (weight * array).sum(), confidence=confidence
    )
    return _score_result(result, int(array.size), weight, confidence)


def _score_result(result: Interval, n: int, weight: FloatArray, confidence: float) -> ScoreResult:
    return ScoreResult(
        score=_first(result.estimate),
        se=_first(result.se),
        ci_low=_first(result.low),
        ci_high=_first(result.high),
        n=n,
        n_effective=_first(effective_sample_size(weight.sum(), (weight * weight).sum())),
        confidence=confidence,
    )
