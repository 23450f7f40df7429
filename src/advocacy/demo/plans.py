"""The demo's action plans: what Lumen & Oak decided to do about its top gaps, and when.

Three plans, started in the past so the demo shows frozen baselines and movement:

- one on the register's top gap, with the metric, scope and target the gap suggests;
- one on the second gap (another quick win), aimed at company NPS;
- coaching for the Coast store's supervisors, measured by Coast's NPS from April 2026, the
  quarter in which the generator lets Coast's scores drift down (see
  :mod:`advocacy.demo.generator`). Whatever the verdict, it is computed from the data, not
  set: a plan that starts when things go wrong for other reasons reads as "worsened", which is
  what an honest tracker should say.
"""

from __future__ import annotations

import datetime as dt

from advocacy.demo.company import END
from advocacy.loop.plans.changes import create_plan, plan_from_gap
from advocacy.loop.plans.links import gap_rows
from advocacy.loop.plans.store import Plan
from advocacy.workspace import Workspace

ACTOR = "demo"


def add_demo_plans(ws: Workspace, *, now: dt.datetime = END) -> list[Plan]:
    """Create the demo's plans (nothing when the register is empty); return them.

    Parameters
    ----------
    ws
        The demo workspace, with its evidence imported; its settings measure the baselines.
    now
        When the plans are recorded (default: the end of the demo's evidence).

    Returns
    -------
    list[Plan]
        The plans created, top gap first.
    """
    db, settings = ws.db, ws.settings
    plans: list[Plan] = []
    gaps = gap_rows(db, confidence=settings.confidence)
    if gaps:
        top = gaps[0]
        plans.append(
            plan_from_gap(
                db,
                top["gap_id"],
                settings=settings,
                gaps=gaps,
                title=f"Fix the top gap: {top['subject']}"
                + ("" if top["scope"] == "all" else f" ({top['scope']})"),
                owner="CX lead",
                starts_on=dt.date(2026, 3, 1),
                due_on=dt.date(2026, 9, 30),
                status="active",
                description="Started from the gap register's top row.",
                actor=ACTOR,
                now=now,
            )
        )
    if len(gaps) > 1:
        second = gaps[1]
        plans.append(
            plan_from_gap(
                db,
                second["gap_id"],
                settings=settings,
                gaps=gaps,
                title=f"Quick win: {second['subject']}",
                owner="Service manager",
                starts_on=dt.date(2026, 1, 15),
                due_on=dt.date(2026, 6, 30),
                status="active",
                actor=ACTOR,
                now=now,
            )
        )
    plans.append(
        create_plan(
            db,
            title="Coach the Coast store's supervisors",
            link_kind="culture",
            link_ref="Supervisors who coach rather than manage",
            metric="nps",
            settings=settings,
            metric_filter={"unit": "Coast"},
            owner="Coast store manager",
            resources=("expertise", "experience", "time"),
            effort="medium",
            starts_on=dt.date(2026, 4, 1),
            due_on=dt.date(2026, 12, 31),
            target_value=35.0,
            status="active",
            actor=ACTOR,
            now=now,
        )
    )
    return plans
