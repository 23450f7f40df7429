"""Holm and Benjamini-Hochberg against the worked example of Benjamini & Hochberg (1995).

The 15 p-values are those of the paper's section 4 (a study of myocardial infarction treatment).
R's ``p.adjust(p, "BH")`` and ``p.adjust(p, "holm")`` give the values below; each is written out
here from the definition, by hand, not from our code. With ``m = 15`` and ``p_(i)`` sorted:

BH: ``min over j >= i of p_(j) * m / j``. The raw products are 0.0015, 0.003, 0.0095, 0.035625,
0.0603, 0.0695, 0.0638571, 0.0645, 0.0765, 0.486, 0.5811818, 0.714875, 0.7532308, 0.8132143, 1;
the running minimum from the top lowers only the sixth (0.0695) to the seventh's 0.0638571.

Holm: ``max over j <= i of min(1, (m - j + 1) * p_(j))``. The products are 15 * 0.0001 = 0.0015,
14 * 0.0004 = 0.0056, 13 * 0.0019 = 0.0247, 12 * 0.0095 = 0.114, 11 * 0.0201 = 0.2211,
10 * 0.0278 = 0.278, 9 * 0.0298 = 0.2682, 8 * 0.0344 = 0.2752, 7 * 0.0459 = 0.3213, then
6 * 0.3240 = 1.944 and the rest cap at 1; the running maximum lifts the 7th and 8th to 0.278.

The paper's conclusion at q = 0.05: BH rejects the four smallest, Holm (like Bonferroni) three.
"""

from __future__ import annotations

import numpy as np
import pytest

from advocacy.metrics.comparisons import adjust_p_values

PAPER_P_VALUES = [
    0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344,
    0.0459, 0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.0000,
]  # fmt: skip

BH = [
    0.0015, 0.003, 0.0095, 0.035625, 0.0603, 0.0638571, 0.0638571, 0.0645,
    0.0765, 0.486, 0.5811818, 0.714875, 0.7532308, 0.8132143, 1.0,
]  # fmt: skip

HOLM = [
    0.0015, 0.0056, 0.0247, 0.114, 0.2211, 0.278, 0.278, 0.278,
    0.3213, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0,
]  # fmt: skip


@pytest.mark.parametrize(("method", "expected"), [("bh", BH), ("holm", HOLM)])
def test_the_papers_p_values_adjust_as_r_p_adjust_does(method: str, expected: list[float]) -> None:
    adjusted = adjust_p_values(PAPER_P_VALUES, method)
    np.testing.assert_allclose(adjusted, expected, rtol=0, atol=5e-8)


@pytest.mark.parametrize(("method", "rejected"), [("bh", 4), ("holm", 3)])
def test_the_papers_rejections_at_five_percent(method: str, rejected: int) -> None:
    assert int((adjust_p_values(PAPER_P_VALUES, method) <= 0.05).sum()) == rejected


@pytest.mark.parametrize(("method", "expected"), [("bh", BH), ("holm", HOLM)])
def test_the_order_of_the_input_and_missing_values_do_not_matter(
    method: str, expected: list[float]
) -> None:
    order = np.random.default_rng(1995).permutation(len(PAPER_P_VALUES))
    shuffled = np.append(np.asarray(PAPER_P_VALUES)[order], np.nan)
    adjusted = adjust_p_values(shuffled, method)
    assert np.isnan(adjusted[-1])
    np.testing.assert_allclose(adjusted[:-1], np.asarray(expected)[order], rtol=0, atol=5e-8)
