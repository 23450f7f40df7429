"""The estimators reproduce published values: Rocks (2016), Newcombe (1998), Kish (1965)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

import advocacy
from advocacy.errors import UsageError
from advocacy.metrics import kish_effective_n, mean_score, nps, nps_from_counts, share
from advocacy.metrics.intervals import adjusted_wald_center, wilson_interval


# Rocks' NPS R package test vectors: (detractors, passives, promoters) -> NPS, variance, SE,
# with SE = sqrt(variance / n) on the -1..1 scale. Derivation for (1, 2, 3): n = 6, p+ = 1/2,
# p- = 1/6, NPS = 1/3, Var = (1/2 + 1/6) - (1/3)^2 = 5/9, SE = sqrt(5/54) = 0.3043.
@pytest.mark.parametrize(
    ("counts", "score", "variance", "se"),
    [
        ((1, 2, 3), 1 / 3, 5 / 9, 0.304),
        ((1, 0, 1), 0.0, 1.0, 0.707),
        ((0, 1, 1), 0.5, 0.25, 0.354),
        ((1, 1, 1), 0.0, 2 / 3, 0.471),
    ],
)
def test_nps_matches_rocks_test_vectors(
    counts: tuple[int, int, int], score: float, variance: float, se: float
) -> None:
    result = nps_from_counts(*counts)
    n = sum(counts)
    assert result.score == pytest.approx(100 * score)
    assert (result.se / 100) ** 2 * n == pytest.approx(variance)
    assert round(result.se / 100, 3) == se
    assert result.n == n
    assert (result.detractors, result.passives, result.promoters) == counts


def test_adjusted_wald_interval_matches_rocks_example() -> None:
    # Adding 0.75/1.5/0.75: (20.75, 31.5, 50.75) of 103, centre 30/103 = 0.291262,
    # Var = 71.5/103 - (30/103)^2 = 0.609341, SE = sqrt(Var/103) = 0.076915, +/- 1.959964 SE.
    result = nps_from_counts(20, 30, 50, confidence=0.95)
    assert round(adjusted_wald_center(20, 30, 50), 6) == 0.291262
    assert round(result.ci_low / 100, 6) == 0.140511
    assert round(result.ci_high / 100, 6) == 0.442013
    assert result.score == pytest.approx(30.0)
    assert result.interval == "adjusted-wald"


def test_wald_interval_is_score_plus_minus_z_se() -> None:
    result = nps_from_counts(20, 30, 50, interval="wald")
    z = stats.norm.ppf(0.975)
    # Var = 0.7 - 0.09 = 0.61, SE = sqrt(0.0061) = 0.078102.
    assert result.se == pytest.approx(100 * math.sqrt(0.0061))
    assert result.ci_low == pytest.approx(30 - z * result.se)
    assert result.ci_high == pytest.approx(30 + z * result.se)


def test_intervals_stay_on_the_scale_and_widen_with_confidence() -> None:
    everyone_promotes = nps_from_counts(0, 0, 5, interval="wald")
    assert everyone_promotes.ci_high == 100.0
    adjusted = nps_from_counts(0, 0, 5)
    assert adjusted.ci_high == 100.0 and adjusted.ci_low < 100.0
    narrow = nps_from_counts(20, 30, 50, confidence=0.8)
    wide = nps_from_counts(20, 30, 50, confidence=0.99)
    assert wide.ci_low < narrow.ci_low < narrow.ci_high < wide.ci_high


def test_nps_of_raw_answers_equals_nps_of_counts() -> None:
    answers = [0, 6, 7, 8, 8, 9, 10, 10, 10, float("nan")]
    assert nps(answers) == nps_from_counts(2, 3, 4)
    assert advocacy.nps(answers).score == pytest.approx(100 * 2 / 9)


def test_equal_weights_change_nothing_and_unequal_weights_shrink_n() -> None:
    answers = np.array([0, 6, 7, 8, 9, 10, 10, 3])
    assert nps(answers, weights=np.full(8, 2.5)).ci_low == pytest.approx(nps(answers).ci_low)
    weighted = nps(answers, weights=[1, 1, 1, 1, 1, 1, 1, 5])
    assert weighted.n == 8
    assert weighted.n_effective == pytest.approx(144 / 32)
    assert weighted.detractors == pytest.approx(7)


def test_kish_effective_sample_size() -> None:
    # Kish: n_eff = (sum w)^2 / sum w^2.
    assert kish_effective_n([1, 1, 1, 1]) == 4.0
    assert kish_effective_n([1, 2, 3]) == pytest.approx(36 / 14)


@pytest.mark.parametrize(
    ("hits", "n", "low", "high"),
    # Newcombe (1998), Statistics in Medicine 17:857-872, Table I, method 3 (Wilson score).
    [(81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611)],
)
def test_wilson_interval_matches_newcombe(hits: int, n: int, low: float, high: float) -> None:
    interval = wilson_interval(hits / n, n, 0.95)
    assert round(float(interval.low), 4) == low
    assert round(float(interval.high), 4) == high
    result = share([True] * hits + [False] * (n - hits))
    assert round(result.ci_low / 100, 4) == low


def test_mean_uses_the_t_interval() -> None:
    values = np.array([4.0, 5, 3, 4, 2, 5, 5, 4])
    result = mean_score(values)
    low, high = stats.t.interval(0.9, len(values) - 1, values.mean(), stats.sem(values))
    result = mean_score(values, confidence=0.9)
    assert (result.ci_low, result.ci_high) == pytest.approx((low, high))
    assert result.se == pytest.approx(stats.sem(values))


def test_one_answer_has_no_interval() -> None:
    assert math.isnan(mean_score([4.0]).se)


def test_bad_input_is_refused() -> None:
    with pytest.raises(UsageError, match="0 to 10"):
        nps([3, 11])
    with pytest.raises(UsageError, match="confidence"):
        nps_from_counts(1, 2, 3, confidence=95)
    with pytest.raises(UsageError, match="interval"):
        nps_from_counts(1, 2, 3, interval="exact")
    with pytest.raises(UsageError, match="weights"):
        nps([3, 9], weights=[1.0])
