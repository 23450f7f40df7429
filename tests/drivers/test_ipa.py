"""Importance-performance analysis on a worked example: quadrants, crosshairs, the tie rule."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from advocacy import UsageError, importance_performance
from advocacy.drivers.ipa import TIE_RULE, UNCLEAR, quadrant_chart

#: Worked example on a 1-7 scale. Mean importance (6+6+3+3+4.5)/5 = 4.5; mean performance
#: (3+6+3+6+5)/5 = 4.6; median importance 4.5, median performance 5; midpoint 4 on both.
EXAMPLE = pd.DataFrame(
    {
        "item": ["waiting time", "staff courtesy", "parking", "decor", "price"],
        "importance": [6.0, 6.0, 3.0, 3.0, 4.5],
        "performance": [3.0, 6.0, 3.0, 6.0, 5.0],
    }
)


def quadrants(result: object) -> dict[str, str]:
    frame = result.frame  # type: ignore[attr-defined]
    return dict(zip(frame.item, frame.quadrant, strict=True))


def test_quadrants_at_the_data_means() -> None:
    result = importance_performance(EXAMPLE, crosshair="mean")
    assert result.importance_crosshair == pytest.approx(4.5)
    assert result.performance_crosshair == pytest.approx(4.6)
    assert quadrants(result) == {
        "waiting time": "concentrate here",
        "staff courtesy": "keep up the good work",
        "parking": "low priority",
        "decor": "possible overkill",
        # price sits exactly on the importance crosshair: the tie rule counts it as important
        "price": "keep up the good work",
    }
    assert result.tie_rule == TIE_RULE
    assert result.quadrant("concentrate here") == ["waiting time"]
    assert result.frame.item.iloc[0] == "waiting time"  # "concentrate here" listed first


def test_tie_rule_on_the_performance_crosshair() -> None:
    """With medians the performance crosshair is 5.0, exactly price's performance: high."""
    result = importance_performance(EXAMPLE, crosshair="median")
    assert result.performance_crosshair == pytest.approx(5.0)
    assert quadrants(result)["price"] == "keep up the good work"
    lowered = importance_performance(EXAMPLE, crosshair="median", performance_at=5.0001)
    assert quadrants(lowered)["price"] == "concentrate here"
    assert lowered.crosshair == "fixed"


def test_scale_midpoint_crosshairs() -> None:
    result = importance_performance(EXAMPLE, crosshair="midpoint", scale=(1, 7))
    assert (result.importance_crosshair, result.performance_crosshair) == (4.0, 4.0)
    assert quadrants(result)["price"] == "keep up the good work"
    derived = importance_performance(
        EXAMPLE.assign(importance=[0.3, 0.3, 0.1, 0.1, 0.2]),
        crosshair="midpoint",
        scale=(1, 7),
        importance_source="derived",
    )
    assert derived.importance_crosshair == pytest.approx(0.2)  # the equal share 1/5
    with pytest.raises(UsageError, match="midpoint crosshair needs the scale"):
        importance_performance(EXAMPLE, crosshair="midpoint")


def test_bad_input_is_refused() -> None:
    with pytest.raises(UsageError, match="unknown crosshair"):
        importance_performance(EXAMPLE, crosshair="mode")  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="column 'performance'"):
        importance_performance(EXAMPLE.drop(columns="performance"))


def test_chart_is_a_vega_lite_layered_scatter() -> None:
    spec = quadrant_chart(importance_performance(EXAMPLE))
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["point", "text", "rule", "rule"]
    assert spec["layer"][2]["data"]["values"] == [{"performance": pytest.approx(4.6)}]
    # The axes are titled by what they show, not merged with the crosshairs' field.
    import vl_convert

    svg = vl_convert.vegalite_to_svg(spec)
    titles = re.findall(r'<g class="mark-text role-axis-title"[^>]*>.*?>([^<]+)</text>', svg, re.S)
    assert sorted(titles) == ["importance", "performance"]


def test_workspace_ipa_derives_importance_from_drivers(db_url: str, tmp_path: Path) -> None:
    from gaps.data import workspace_with_gaps

    with workspace_with_gaps(db_url, tmp_path) as ws:
        result = ws.gaps.ipa()
    assert result.importance_source == "derived"
    assert result.frame.importance.sum() == pytest.approx(1.0)  # shares of R^2
    assert quadrants(result)["speed"] in ("concentrate here", "keep up the good work")


def test_a_quadrant_only_where_importance_differs_beyond_its_interval() -> None:
    # Issue #19: differences of 0.00-0.04 in share of R^2 were labelled as quadrants. Mean
    # importance (0.40 + 0.26 + 0.20 + 0.14) / 4 = 0.25: "b" lies above it, but its interval
    # [0.20, 0.45] includes it; "c" lies below it, and its interval [0.18, 0.22] does not.
    data = pd.DataFrame(
        {
            "item": ["a", "b", "c", "d"],
            "importance": [0.40, 0.26, 0.20, 0.14],
            "importance_low": [0.35, 0.20, 0.18, 0.10],
            "importance_high": [0.45, 0.45, 0.22, 0.18],
            "performance": [3.0, 3.0, 6.0, 3.0],
        }
    )
    result = importance_performance(data)
    assert result.importance_crosshair == pytest.approx(0.25)
    assert quadrants(result) == {
        "a": "concentrate here",
        "b": UNCLEAR,
        "c": "possible overkill",
        "d": "low priority",
    }
    assert list(result.frame.item)[-1] == "b"  # the unclear come last
    assert "importance interval includes the importance crosshair" in result.tie_rule
    # Without intervals the same data fall in quadrants by the tie rule, as before.
    plain = importance_performance(data.drop(columns=["importance_low", "importance_high"]))
    assert quadrants(plain)["b"] == "concentrate here" and plain.tie_rule == TIE_RULE


def test_workspace_quadrants_respect_the_share_intervals(db_url: str, tmp_path: Path) -> None:
    from gaps.data import workspace_with_gaps

    with workspace_with_gaps(db_url, tmp_path) as ws:
        result = ws.gaps.ipa(importance="derived")
    frame = result.frame
    assert frame.importance_low.notna().all()
    at = result.importance_crosshair
    straddles = (frame.importance_low <= at) & (at <= frame.importance_high)
    assert list(frame.quadrant[straddles].unique()) in ([], [UNCLEAR])
    assert UNCLEAR not in set(frame.quadrant[~straddles])
