"""Targets and the gap register: gaps with intervals, a priority anyone can recompute."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from advocacy import nps
from advocacy.gaps.register import EFFORT_RULES, QUICK_WIN_EFFORT
from advocacy.gaps.targets import parse_scope


def test_scope_parsing() -> None:
    assert parse_scope("all") == {} and parse_scope(None) == {}
    assert parse_scope("unit=North; touchpoint=billing") == {
        "unit": "North",
        "touchpoint": "billing",
    }


def test_target_gaps(db_url: str, tmp_path: Path) -> None:
    from gaps.data import frames, workspace_with_gaps

    with workspace_with_gaps(db_url, tmp_path) as ws:
        frame = ws.gaps.targets().set_index("target_id")
    answers = frames()["responses"]
    expected = nps(answers.nps.to_numpy(dtype=float))
    row = frame.loc["T1"]
    assert row.current == pytest.approx(expected.score)
    assert (row.ci_low, row.ci_high) == (
        pytest.approx(expected.ci_low),
        pytest.approx(expected.ci_high),
    )
    assert row.gap == pytest.approx(60 - expected.score)
    assert row.gap_low == pytest.approx(60 - expected.ci_high)
    assert row.gap_size == pytest.approx((60 - expected.score) / 200)
    assert row.trend in ("toward", "away", "flat") and row.status == "short"
    items = frames()["response-items"]
    reliability = items[(items.dimension == "reliability") & (items.kind == "perception")]
    per_answer = reliability.groupby("response_id").value.mean()
    assert frame.loc["T2"].current == pytest.approx(per_answer.mean())
    assert frame.loc["T2"].gap_size == pytest.approx((6.5 - per_answer.mean()) / 6)
    assert frame.loc["T3"].status == "not measurable from survey evidence"


def test_register_priority_is_transparent(db_url: str, tmp_path: Path) -> None:
    from gaps.data import workspace_with_gaps

    with workspace_with_gaps(db_url, tmp_path) as ws:
        register = ws.gaps.register()
        top = ws.gaps.register(top=2)
    assert list(register["rank"]) == list(range(1, len(register) + 1))
    np.testing.assert_allclose(
        register.priority, 100 * register.impact * register.gap_size / register.effort
    )
    assert (register.priority.diff().dropna() <= 0).all()
    assert set(register.source) == {"target", "servqual", "culture"}
    expected_class = np.where(register.effort <= QUICK_WIN_EFFORT, "quick win", "larger challenge")
    assert list(register["class"]) == list(expected_class)
    reliability = register[register.subject == "reliability"].iloc[0]
    assert reliability.effort == EFFORT_RULES["reliability"][0]
    assert reliability.resources == ", ".join(EFFORT_RULES["reliability"][1])
    assert reliability.impact_basis.startswith("LMG share")
    assert "unit " in reliability.root_causes and "NPS" in reliability.root_causes
    nps_gap = register[register.subject == "nps"].iloc[0]
    assert nps_gap.impact == 1.0 and nps_gap.effort == 4
    assert len(top) == 2 and list(top.subject) == list(register.subject[:2])
