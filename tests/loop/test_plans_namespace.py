"""``ws.plans``: plans added, changed, measured and listed through the facade."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

import advocacy
from advocacy.errors import NotFoundError, UsageError
from advocacy.workspace import Workspace

TODAY = dt.datetime.now(dt.UTC).date()
START = TODAY - dt.timedelta(days=30)


@pytest.fixture
def ws(db_url: str) -> Iterator[Workspace]:
    with advocacy.open(db_url) as workspace:
        yield workspace


def _answers(prefix: str, day: dt.date, scores: list[int]) -> list[dict[str, Any]]:
    moment = dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC)
    return [
        {
            "response_id": f"{prefix}-{index}",
            "submitted_at": (moment + dt.timedelta(minutes=index)).isoformat(),
            "unit": "North",
            "nps": score,
        }
        for index, score in enumerate(scores)
    ]


def test_a_plan_is_added_measured_changed_and_listed_through_the_workspace(ws: Workspace) -> None:
    before = [3] * 10 + [7] * 10 + [10] * 20  # NPS 25
    after = [3] * 5 + [7] * 5 + [10] * 30  # NPS 62.5
    ws.write_records("responses", _answers("before", START - dt.timedelta(days=10), before))
    ws.write_records("responses", _answers("after", START + dt.timedelta(days=10), after))

    plan = ws.plans.add(
        "culture:Supervisors who coach rather than manage",
        metric="nps",
        title="Coach the North team",
        metric_filter={"unit": "North"},
        starts_on=START,
        baseline_days=31,
        target_value=40,
        actor="ana",
    )
    assert (plan.baseline.value, plan.baseline.n) == (25.0, 40)
    progress = ws.plans.progress(plan.plan_id)
    assert (progress.current.value, progress.current.n) == (62.5, 40)
    assert progress.movement.change == pytest.approx(37.5)

    changed = ws.plans.update(plan.plan_id, owner="ana", status="active", actor="ana")
    assert (changed.owner, changed.status) == ("ana", "active")
    assert [row["plan_id"] for row in ws.plans.summaries(status="active")] == [plan.plan_id]
    assert ws.plans.summaries(status="done") == []
    assert ws.plans.summary(plan.plan_id) == ws.plans.summary(progress) | {
        "owner": "ana",
        "status": "active",
    }
    assert list(ws.plans.frame()["plan_id"]) == [plan.plan_id]
    assert [item.plan.plan_id for item in ws.plans.list()] == [plan.plan_id]

    with pytest.raises(UsageError):
        ws.plans.add("culture:Supervisors who coach rather than manage")  # no metric to move
    with pytest.raises(NotFoundError):
        ws.plans.progress("P-none")
