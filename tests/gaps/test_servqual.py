"""SERVQUAL arithmetic on a worked example: item, dimension and overall gaps, weighted."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from advocacy import servqual_gaps, servqual_template
from advocacy.gaps.servqual import DIMENSIONS, servqual_items


def test_the_shipped_instrument_has_22_items_in_five_dimensions() -> None:
    template = servqual_template()
    items = servqual_items()
    assert len(items) == 22
    assert items.groupby("dimension").size().to_dict() == {
        "tangibles": 4,
        "reliability": 5,
        "responsiveness": 4,
        "assurance": 4,
        "empathy": 5,
    }
    assert list(template["dimensions"]) == list(DIMENSIONS)
    assert items.item.is_unique and list(items.number) == list(range(1, 23))
    assert template["scale"] == {
        "min": 1,
        "max": 7,
        "low": "strongly disagree",
        "high": "strongly agree",
    }


def worked_example() -> pd.DataFrame:
    """Two respondents rate all 22 items. Both fall 1 point short on every reliability (5
    items) and empathy (5 items) item and meet expectations elsewhere; respondent B is 1 point
    further short on reliability. Respondent A gives importance points reliability 50, empathy
    50; respondent B gives none (so B gets the sample mean weights)."""
    rows = []
    items = servqual_items()
    for respondent, extra in (("A", 0.0), ("B", 1.0)):
        for item in items.itertuples():
            short = item.dimension in ("reliability", "empathy")
            gap = -1.0 - (extra if item.dimension == "reliability" else 0.0) if short else 0.0
            rows.append((respondent, item.item, item.dimension, "expectation", 6.0))
            rows.append((respondent, item.item, item.dimension, "perception", 6.0 + gap))
    rows.append(("A", "reliability", "reliability", "importance", 50.0))
    rows.append(("A", "empathy", "empathy", "importance", 50.0))
    return pd.DataFrame(rows, columns=["response_id", "item", "dimension", "kind", "value"])


def test_mean_of_dimension_gaps_differs_from_mean_of_item_gaps() -> None:
    result = servqual_gaps(worked_example())
    dimensions = result.dimensions.set_index("dimension").gap
    assert dimensions["reliability"] == pytest.approx(-1.5)  # (-1 + -2) / 2
    assert dimensions["empathy"] == pytest.approx(-1.0)
    assert dimensions["tangibles"] == 0.0
    # Unweighted SERVQUAL: mean of the five dimension gaps, per respondent then averaged:
    # A: (-1 - 1) / 5 = -0.4; B: (-2 - 1) / 5 = -0.6; mean -0.5.
    assert result.score("unweighted") == pytest.approx(-0.5)
    # Mean of the 22 item gaps: A: -10/22, B: -15/22; mean -12.5/22 = -0.56818...
    assert result.score("item mean") == pytest.approx(-12.5 / 22)
    assert result.score("unweighted") != pytest.approx(result.score("item mean"))


def test_importance_weighted_score() -> None:
    """A weights reliability and empathy 1/2 each: -1. B has no points, so B takes the sample
    mean weights (A's): (-2 - 1) / 2 = -1.5. Weighted mean -1.25."""
    result = servqual_gaps(worked_example())
    assert result.score("weighted") == pytest.approx(-1.25)
    weights = result.dimensions.set_index("dimension").weight
    assert weights["reliability"] == pytest.approx(0.5) and weights["tangibles"] == 0.0


def test_intervals_are_student_t_over_respondents() -> None:
    rng = np.random.default_rng(1)
    rows = []
    for respondent in range(12):
        for item in ("Keeps promises", "On time"):
            expectation = float(rng.integers(5, 8))
            perception = float(rng.integers(2, 8))
            rows.append((f"R{respondent}", item, "reliability", "expectation", expectation))
            rows.append((f"R{respondent}", item, "reliability", "perception", perception))
    frame = pd.DataFrame(rows, columns=["response_id", "item", "dimension", "kind", "value"])
    result = servqual_gaps(frame, confidence=0.9)
    per_respondent = (
        frame.pivot_table(index=["response_id", "item"], columns="kind", values="value")
        .eval("perception - expectation")
        .groupby("response_id")
        .mean()
    )
    low, high = stats.t.interval(
        0.9, len(per_respondent) - 1, per_respondent.mean(), stats.sem(per_respondent)
    )
    row = result.dimensions.iloc[0]
    assert (row.ci_low, row.ci_high) == (pytest.approx(low), pytest.approx(high))
    assert result.respondents == 12


def test_workspace_servqual_on_both_engines(db_url: str, tmp_path: Path) -> None:
    from gaps.data import frames, workspace_with_gaps

    with workspace_with_gaps(db_url, tmp_path) as ws:
        result = ws.gaps.servqual()
    items = frames()["response-items"]
    pairs = items[items.kind.isin(["expectation", "perception"])]
    wide = pairs.pivot_table(index=["response_id", "item"], columns="kind", values="value")
    assert result.score("item mean") == pytest.approx((wide.perception - wide.expectation).mean())
    assert set(result.dimensions.dimension) == {"reliability", "tangibles"}
    assert result.dimensions.dimension.iloc[0] == "reliability"  # widest shortfall first
