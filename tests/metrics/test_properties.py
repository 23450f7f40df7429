"""Properties every estimator keeps, on generated data, and the examples in the docstrings."""

from __future__ import annotations

import doctest
import types

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from advocacy.metrics import adjust_p_values, comparisons, intervals, nps, nps_from_counts, scores

answers = st.lists(st.integers(min_value=0, max_value=10), min_size=1, max_size=200)


@pytest.mark.parametrize("module", [scores, intervals, comparisons], ids=lambda m: m.__name__)
def test_docstring_examples_hold(module: types.ModuleType) -> None:
    failures, tried = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert tried > 0 and failures == 0


@given(answers)
def test_nps_of_answers_is_nps_of_their_counts(values: list[int]) -> None:
    array = np.array(values)
    counts = (
        int((array <= 6).sum()),
        int(((array >= 7) & (array <= 8)).sum()),
        int((array >= 9).sum()),
    )
    assert nps(values) == nps_from_counts(*counts)


@given(answers, st.sampled_from(["adjusted-wald", "wald"]), st.floats(0.5, 0.999))
def test_interval_lies_on_the_scale_and_grows_with_confidence(
    values: list[int], method: str, confidence: float
) -> None:
    result = nps(values, interval=method, confidence=confidence)
    wider = nps(values, interval=method, confidence=min(confidence + 0.0005, 0.9995))
    assert -100 <= result.ci_low <= result.ci_high <= 100
    assert wider.ci_low <= result.ci_low and result.ci_high <= wider.ci_high
    assert -100 <= result.score <= 100


@given(answers, st.floats(0.1, 10))
def test_equal_weights_give_the_unweighted_result(values: list[int], weight: float) -> None:
    plain = nps(values)
    weighted = nps(values, weights=np.full(len(values), weight))
    assert weighted.score == pytest.approx(plain.score, abs=1e-9)
    assert weighted.ci_low == pytest.approx(plain.ci_low, abs=1e-9)
    assert weighted.n_effective == pytest.approx(len(values))


@given(st.lists(st.floats(0, 1), min_size=1, max_size=30), st.sampled_from(["holm", "bh"]))
def test_adjusted_p_values_are_no_smaller_and_at_most_one(p: list[float], method: str) -> None:
    adjusted = adjust_p_values(p, method)
    assert np.all(adjusted >= np.array(p) - 1e-12)
    assert np.all(adjusted <= 1.0)
    order = np.argsort(p, kind="stable")
    assert np.all(np.diff(adjusted[order]) >= -1e-12)
