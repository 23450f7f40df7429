"""The unit x driver matrix behind the heat maps, against the same means computed in pandas."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from advocacy.errors import UsageError


def expected_cells(level: str) -> pd.DataFrame:
    from gaps.data import frames

    source = frames()
    items = source["response-items"]
    items = items[items.kind.isin(["rating", "perception"])]
    key = "item" if level == "item" else "dimension"
    # One value per respondent and driver: a respondent's items of a dimension are averaged.
    per_respondent = items.groupby(["response_id", key], as_index=False)["value"].mean()
    joined = per_respondent.merge(source["responses"][["response_id", "unit"]], on="response_id")
    cells = joined.groupby(["unit", key], as_index=False)["value"].agg(["mean", "count"])
    company = joined.groupby(key)["value"].mean()
    cells["company_mean"] = cells[key].map(company)
    return cells.rename(columns={key: "driver", "count": "n"}).sort_values(["unit", "driver"])


@pytest.mark.parametrize("level", ["item", "dimension"])
def test_unit_ratings_are_each_units_mean_against_the_company(
    db_url: str, tmp_path: Path, level: str
) -> None:
    from gaps.data import workspace_with_gaps

    with workspace_with_gaps(db_url, tmp_path) as ws:
        got = ws.gaps.unit_ratings(level=level)
    expected = expected_cells(level)
    assert list(got.columns) == ["unit", "driver", "mean", "n", "company_mean", "difference"]
    assert list(zip(got.unit, got.driver, strict=True)) == list(
        zip(expected.unit, expected.driver, strict=True)
    )
    np.testing.assert_allclose(got["mean"], expected["mean"], atol=1e-12)
    np.testing.assert_allclose(got["company_mean"], expected["company_mean"], atol=1e-12)
    np.testing.assert_allclose(got["difference"], got["mean"] - got["company_mean"], atol=1e-12)
    assert list(got["n"]) == list(expected["n"])
    if level == "dimension":
        # Three units of 30 respondents: each rated each dimension once, whatever its items.
        assert set(got["n"]) == {30}


def test_cells_with_too_few_respondents_keep_their_count_and_no_mean(tmp_path: Path) -> None:
    from advocacy.drivers.unit_ratings import unit_ratings
    from gaps.data import workspace_with_gaps

    with workspace_with_gaps(str(tmp_path / "w.duckdb"), tmp_path) as ws:
        cells = unit_ratings(ws.table("responses"), ws.table("response_items"), min_n=31)
        assert cells["mean"].isna().all() and cells["difference"].isna().all()
        assert (cells["n"] == 30).all() and cells["company_mean"].notna().all()
        with pytest.raises(UsageError, match="unknown driver level 'theme'"):
            ws.gaps.unit_ratings(level="theme")
