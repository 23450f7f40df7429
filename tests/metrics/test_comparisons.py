"""Two-sample tests, corrections and verdicts against hand-derived and published values."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from advocacy.errors import UsageError
from advocacy.metrics import adjust_p_values, nps_difference, nps_from_counts, verdict
from advocacy.metrics.comparisons import two_proportion_z_test, welch_t_test


def test_nps_two_sample_z_matches_rocks() -> None:
    # NPS 0.3 (Var 0.61) vs 0.6 (Var 0.44), n = 100 each:
    # z = 0.3 / sqrt(0.0061 + 0.0044) = 2.9277; p = 2 (1 - Phi(z)) = 0.0034148 (published 0.00342).
    result = nps_difference(nps_from_counts(10, 20, 70), nps_from_counts(20, 30, 50))
    assert result.change == pytest.approx(30.0)
    assert round(result.statistic, 4) == 2.9277
    assert round(result.p_value, 6) == 0.003415
    assert result.p_value == pytest.approx(0.00342, abs=1e-5)
    reverse = nps_difference(nps_from_counts(20, 30, 50), nps_from_counts(10, 20, 70))
    assert reverse.statistic == pytest.approx(-result.statistic)


def test_two_proportion_z_matches_the_pooled_formula() -> None:
    # 45/100 vs 30/100: pooled 0.375, SE = sqrt(0.375 * 0.625 * 0.02) = 0.068465, z = 2.1909.
    z, p = two_proportion_z_test(0.45, 100, 0.30, 100)
    assert round(float(z), 4) == 2.1909
    assert float(p) == pytest.approx(2 * stats.norm.sf(2.190890))


def test_welch_matches_scipy() -> None:
    first = np.array([3.0, 4, 5, 4, 4, 5, 2])
    second = np.array([2.0, 3, 3, 4, 2, 3, 1, 2, 3])
    t, p = welch_t_test(
        first.mean(), stats.sem(first), first.size, second.mean(), stats.sem(second), second.size
    )
    expected = stats.ttest_ind(first, second, equal_var=False)
    assert float(t) == pytest.approx(expected.statistic)
    assert float(p) == pytest.approx(expected.pvalue)


def test_holm_and_benjamini_hochberg() -> None:
    p = [0.01, 0.04, 0.03, 0.005]
    # Holm: sorted 0.005*4, 0.01*3, 0.03*2, 0.04*1, made non-decreasing.
    assert adjust_p_values(p, "holm").tolist() == pytest.approx([0.03, 0.06, 0.06, 0.02])
    # BH: sorted p * 4 / rank = 0.02, 0.02, 0.04, 0.04, made non-increasing from the top.
    assert adjust_p_values(p, "bh").tolist() == pytest.approx([0.02, 0.04, 0.04, 0.02])
    assert adjust_p_values(p, "none").tolist() == p
    with_gap = adjust_p_values([0.01, math.nan, 0.04], "holm")
    assert with_gap[0] == pytest.approx(0.02) and math.isnan(with_gap[1])
    with pytest.raises(UsageError, match="holm, bh or none"):
        adjust_p_values(p, "bonferroni")


def test_verdicts_in_plain_words() -> None:
    assert verdict(-6.1, 0.003, alpha=0.05) == "worse by 6.1 points, likely real, p = 0.003"
    assert verdict(6.1, 0.0002, alpha=0.05) == "better by 6.1 points, likely real, p < 0.001"
    assert verdict(6.1, 0.2, alpha=0.05) == "no detectable change"
    assert verdict(-0.25, 0.01, alpha=0.05, unit="") == "worse by 0.25, likely real, p = 0.010"
    assert verdict(3.0, 0.01, alpha=0.05, enough=False) == "too few responses to tell"
    assert verdict(math.nan, math.nan, alpha=0.05) == "nothing to compare with"
