"""Where the SemEval theme benchmark's errors fall (``benchmarks/themes_semeval.py --errors``).

The decomposition says why many-theme taxonomies lose (docs/benchmarks.md, "themef1"); a
miscount would send the next change after the wrong kind of error, so each count here is
worked out by hand.
"""

from __future__ import annotations

from types import ModuleType

import pytest

from support.benchmark_modules import load_benchmark


@pytest.fixture(scope="module")
def semeval() -> ModuleType:
    return load_benchmark("themes_semeval")


def test_each_wrong_theme_is_counted_once_by_what_went_wrong(semeval: ModuleType) -> None:
    predicted = [{"DISPLAY#GENERAL"}, {"LAPTOP#GENERAL"}, {"LAPTOP#PRICE", "COMPANY#GENERAL"}]
    gold = [{"DISPLAY#QUALITY"}, set(), {"LAPTOP#PRICE", "SUPPORT#QUALITY"}]
    shares = semeval.error_shares(predicted, gold)
    # The display's attribute chosen wrong; a theme on a sentence that has none; the brand
    # given where its support was meant.
    assert (shares["same_entity"], shares["no_category"], shares["other"]) == (1, 1, 1)
    assert (shares["given"], shares["gold"], shares["right"]) == (4, 3, 1)
    assert shares["f1"] == pytest.approx(2 / 7)
    # Were the display's attribute right: 2 of 4 given, 2 of 3 meant.
    assert shares["attribute_oracle"] == pytest.approx(4 / 7)
    # Without the theme on the sentence that has none: 1 of 3 given, 1 of 3 meant.
    assert shares["no_category_oracle"] == pytest.approx(1 / 3)
    # At entity level the display and the laptop are right, the brand is not.
    assert shares["entity_f1"] == pytest.approx(4 / 7)


def test_a_missed_theme_mends_one_wrong_theme_of_its_entity_only(semeval: ModuleType) -> None:
    shares = semeval.error_shares(
        [{"DISPLAY#GENERAL", "DISPLAY#DESIGN_FEATURES"}], [{"DISPLAY#QUALITY"}]
    )
    assert (shares["same_entity"], shares["other"]) == (1, 1)
    assert shares["attribute_oracle"] == pytest.approx(2 / 3)


def test_themes_without_entities_are_their_own_entity(semeval: ModuleType) -> None:
    shares = semeval.error_shares([{"Food"}, {"Service"}], [{"Food"}, {"Price"}])
    assert (shares["same_entity"], shares["other"], shares["entity_f1"]) == (0, 1, 0.5)
