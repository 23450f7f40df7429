"""Culture gaps, eNPS by unit with small-group suppression, and the employee-customer link."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from advocacy.gaps.culture import CULTURE_ATTRIBUTES, employee_customer_link


def test_nine_culture_attributes() -> None:
    assert len(CULTURE_ATTRIBUTES) == 9
    assert "Supervisors who coach rather than manage" in CULTURE_ATTRIBUTES


def test_gaps_and_suppression_of_small_units(db_url: str, tmp_path: Path) -> None:
    """East has 4 respondents: it appears nowhere, only in the count of suppressed units."""
    from gaps.data import workspace_with_gaps

    with workspace_with_gaps(db_url, tmp_path) as ws:
        result = ws.gaps.culture()
    assert result.suppressed_units == 1
    assert set(result.units.unit) == {"North", "South"}
    assert set(result.enps.unit) == {"North", "South", "all"}
    assert "East" not in result.units.to_string() + result.enps.to_string()
    # Career paths: desired 9, current 7 or 6 alternately (gaps 2 and 3). North's 6
    # respondents: 2,3,2,3,2,3 -> 2.5; South's 5: 2,3,2,3,2 -> 2.4.
    by_unit = result.units.set_index(["unit", "attribute"]).gap
    assert by_unit["North", "Career paths"] == pytest.approx(2.5)
    assert by_unit["South", "Career paths"] == pytest.approx(2.4)
    # Overall (all 15, East included in the total): 8 gaps of 2 and 7 of 3... per unit k%2.
    overall = result.items.set_index("attribute")
    assert overall.loc["Career paths", "n"] == 15
    assert overall.loc["Career paths", "gap"] == pytest.approx((2 * 8 + 3 * 7) / 15)
    # eNPS of North: answers 9,10,7,3,9,8 -> 3 promoters, 1 detractor of 6 = 33.3
    assert result.enps.set_index("unit").enps["North"] == pytest.approx(100 * 2 / 6)
    with_threshold = None
    with ws_again(db_url) as ws:
        with_threshold = ws.gaps.culture(min_group=6)
    assert set(with_threshold.enps.unit) == {"North", "all"}


def ws_again(url: str):  # type: ignore[no-untyped-def]
    import advocacy

    return advocacy.open(url)


def test_unit_link_matches_scipy(duckdb_url: str, tmp_path: Path) -> None:
    """Five units whose customer NPS rises with eNPS: Pearson r with a Fisher-z interval and
    the least-squares slope with a t interval, as scipy computes them."""
    import pandas as pd

    import advocacy

    rng = np.random.default_rng(4)
    units = ["A", "B", "C", "D", "E"]
    answers, customers = [], []
    for index, unit in enumerate(units):
        for k in range(8):
            answers.append(
                {
                    "employee_response_id": f"{unit}{k}",
                    "unit": unit,
                    "submitted_at": "2024-05-01T00:00:00Z",
                    "enps": int(min(10, 4 + index + k % 3)),
                }
            )
        for k in range(20):
            customers.append(
                {
                    "response_id": f"{unit}-{k}",
                    "unit": unit,
                    "submitted_at": "2024-05-02T00:00:00Z",
                    "nps": int(np.clip(3 + index + rng.integers(0, 4), 0, 10)),
                }
            )
    with advocacy.open(duckdb_url) as ws:
        for kind, rows in (("employee-responses", answers), ("responses", customers)):
            path = tmp_path / f"{kind}.csv"
            pd.DataFrame(rows).to_csv(path, index=False)
            ws.import_file(path, kind=kind)
        link = ws.gaps.culture_link()
        table = link.units
        tables = ws.table
        strict = employee_customer_link(
            tables("employee_responses"),
            tables("employee_response_items"),
            tables("responses"),
            min_customers=25,
        )
    assert link.n_units == 5 and list(table.unit) == units
    r, _ = stats.pearsonr(table.enps, table.customer_nps)
    assert link.correlation == pytest.approx(r)
    half = stats.norm.ppf(0.975) / np.sqrt(5 - 3)
    assert link.correlation_ci[0] == pytest.approx(np.tanh(np.arctanh(r) - half))
    fit = stats.linregress(table.enps, table.customer_nps)
    t = stats.t.ppf(0.975, 3)
    assert link.slope == pytest.approx(fit.slope)
    assert link.intercept == pytest.approx(fit.intercept)
    assert link.p_value == pytest.approx(fit.pvalue, rel=1e-9)
    assert link.slope_ci == (
        pytest.approx(fit.slope - t * fit.stderr),
        pytest.approx(fit.slope + t * fit.stderr),
    )
    assert link.slope > 0
    assert any("only 5 units" in note for note in link.notes)
    assert strict.n_units == 0 and np.isnan(strict.correlation)  # no unit has 25 customers
