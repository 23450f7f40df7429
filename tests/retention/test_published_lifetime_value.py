"""Lifetime value on the CDNOW sample against values worked out by hand from the published fits.

Fader, Hardie & Lee (2005, Marketing Science 24(2), p. 279) publish the BG/NBD fit (r = 0.243,
alpha = 4.414, a = 0.793, b = 2.426) and, for the sample's first customer (x = 2 repeat purchases,
t_x = 30.43, T = 38.86 weeks), 1.226 expected purchases in the next 39 weeks. Fader & Hardie's
Gamma-Gamma note (2013) publishes p = 6.25, q = 3.74, gamma = 15.44 on the same 946 repeat buyers.
Lifetime value without discounting is expected purchases times expected spend per purchase, so:

- population mean spend = p * gamma / (q - 1) = 6.25 * 15.44 / 2.74 = 35.219;
- the first customer's two repeat purchases averaged m = (29.73 + 14.96) / 2 = 22.345, so his
  expected spend is p * (gamma + x * m) / (p * x + q - 1) = 6.25 * 60.13 / 15.24 = 24.660;
- his 39-week lifetime value is 1.226 * 24.660 = 30.233.

The published parameters are rounded to three or four figures (and q - 1 = 2.74 magnifies the
rounding of q), so the comparison is to 0.2 %.
"""

from __future__ import annotations

import pandas as pd
import pytest

import advocacy
from advocacy.retention import summarize_transactions
from advocacy.retention.lifetime_value import customer_lifetime_value, expected_spend


@pytest.fixture(scope="module")
def summary(cdnow: pd.DataFrame) -> pd.DataFrame:
    return summarize_transactions(cdnow, calibration_end="1997-09-30", time_unit="week")


@pytest.fixture(scope="module")
def models(summary: pd.DataFrame) -> tuple[advocacy.BetaGeo, advocacy.GammaGamma]:
    return advocacy.BetaGeo().fit_summary(summary), advocacy.GammaGamma().fit_summary(summary)


def test_the_population_mean_spend_follows_the_published_fit(
    models: tuple[advocacy.BetaGeo, advocacy.GammaGamma],
) -> None:
    assert models[1].population_mean_spend() == pytest.approx(35.219, rel=2e-3)


def test_the_first_customers_spend_and_value_match_the_papers(
    summary: pd.DataFrame, models: tuple[advocacy.BetaGeo, advocacy.GammaGamma]
) -> None:
    purchases, spend = models
    first = summary.loc[["00004"]]
    assert first["monetary_value"].iloc[0] == pytest.approx(22.345, abs=1e-9)
    assert expected_spend(spend, first)[0] == pytest.approx(24.660, rel=2e-3)
    value = customer_lifetime_value(purchases, spend, first, horizon=39)
    assert value.iloc[0] == pytest.approx(1.226 * 24.660, rel=2e-3)


def test_a_one_time_buyer_is_valued_at_the_population_mean_spend(
    summary: pd.DataFrame, models: tuple[advocacy.BetaGeo, advocacy.GammaGamma]
) -> None:
    purchases, spend = models
    once = summary[summary["frequency"] == 0].head(1)
    value = customer_lifetime_value(purchases, spend, once, horizon=39).iloc[0]
    expected = purchases.expected_purchases(39, 0.0, 0.0, float(once["T"].iloc[0]))
    assert value == pytest.approx(float(expected) * 35.219, rel=2e-3)
