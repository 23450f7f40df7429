"""Student's t tail and quantile without SciPy, checked against SciPy and published tables."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest
from scipy import special

from advocacy.metrics.comparisons import welch_t_test
from advocacy.metrics.intervals import t_critical
from advocacy.metrics.student_t import quantile, upper_tail

#: Degrees of freedom a workspace meets: tiny groups, Welch's fractional ones, the demo's
#: answers (1,371), and the very large, on both sides of the expansion's threshold (1000).
FREEDOMS = [1, 1.5, 2, 3, 4.7, 9, 16, 29, 59, 61, 99.5, 250, 999, 1000, 1371, 5000, 1e5, 1e8]
LEVELS = [0.55, 0.8, 0.9, 0.95, 0.975, 0.99, 0.995, 0.9995]


@pytest.mark.parametrize("freedom", FREEDOMS)
def test_quantile_agrees_with_scipy(freedom: float) -> None:
    for p in LEVELS:
        expected = float(special.stdtrit(freedom, p))
        assert quantile(p, freedom) == pytest.approx(expected, rel=1e-13, abs=0)
        assert quantile(1.0 - p, freedom) == pytest.approx(-expected, rel=1e-13, abs=0)


@pytest.mark.parametrize("freedom", FREEDOMS)
def test_upper_tail_agrees_with_scipy(freedom: float) -> None:
    tolerance = 1e-11
    for t in [0.0, 0.01, 0.5, 1.0, 1.96, 2.5, 4.0, 12.0, 60.0]:
        expected = float(special.stdtr(freedom, -t))
        assert upper_tail(t, freedom) == pytest.approx(expected, rel=tolerance, abs=1e-300)
        assert upper_tail(-t, freedom) == pytest.approx(1.0 - expected, abs=tolerance)


def test_published_critical_values() -> None:
    # Student's t table: two-sided 95% on 1, 9, 30 degrees; 99% on 10.
    assert round(quantile(0.975, 1), 3) == 12.706
    assert round(quantile(0.975, 9), 3) == 2.262
    assert round(quantile(0.975, 30), 3) == 2.042
    assert round(quantile(0.995, 10), 3) == 3.169


def test_missing_and_impossible_degrees_give_nan() -> None:
    for freedom in [math.nan, 0.0, -3.0]:
        assert math.isnan(quantile(0.975, freedom))
        assert math.isnan(upper_tail(1.0, freedom))
    assert math.isnan(quantile(1.0, 10))
    assert quantile(0.5, 10) == 0.0
    assert upper_tail(math.inf, 10) == 0.0
    assert upper_tail(1.96, math.inf) == pytest.approx(float(special.ndtr(-1.96)), rel=1e-14)


def test_intervals_and_welch_keep_array_shapes() -> None:
    freedom = np.array([[4.0, np.nan], [30.0, 1371.0]])
    critical = t_critical(0.95, freedom)
    assert critical.shape == (2, 2)
    assert np.isnan(critical[0, 1])
    expected = special.stdtrit(freedom, 0.975)
    assert np.allclose(critical[~np.isnan(freedom)], expected[~np.isnan(freedom)], rtol=1e-13)
    t, p = welch_t_test([4.2, 3.0], [0.1, 0.2], [40, 12], [4.0, 3.0], [0.12, 0.0], [35, 9])
    freedoms = (0.1**2 + 0.12**2) ** 2 / (0.1**4 / 39 + 0.12**4 / 34)
    assert p.shape == (2,)
    assert p[0] == pytest.approx(2 * special.stdtr(freedoms, -abs(t[0])), rel=1e-12)


def test_intervals_import_no_scipy() -> None:
    # The point of the module: a mean's interval and a Welch test load no SciPy.
    code = (
        "import sys\n"
        "from advocacy.metrics.intervals import t_interval\n"
        "from advocacy.metrics.comparisons import welch_t_test\n"
        "t_interval(4.0, 1.0, 30, 0.95); welch_t_test(4.2, 0.1, 40, 4.0, 0.12, 35)\n"
        "print(any(name.startswith('scipy') for name in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
