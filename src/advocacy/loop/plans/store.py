"""How an action plan is checked and stored: the ``Plan`` record and the ``initiatives`` table.

The choices a plan offers (statuses, efforts, resources, link kinds) are written down here, with
the checks that give each bad value a clear error, and the mapping between :class:`Plan` and a
row of the ``initiatives`` table (migration 0005). The library calls are in
:mod:`advocacy.loop.plans.changes`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from advocacy.errors import UsageError
from advocacy.ingest.target_values import desired_value
from advocacy.loop.plans.impact import Measurement, metric_range
from advocacy.metrics.slicing import as_date
from advocacy.store.connection import Database

LINK_KINDS = ("gap", "driver", "theme", "culture")
RESOURCES = ("expertise", "experience", "time", "objectivity", "money")
PLAN_COLUMNS = (
    "initiative_id, title, description, link_kind, link_ref, owner, resources, effort, status, "
    "metric, metric_filter, target_value, starts_on, due_on, baseline_days, baseline, "
    "created_at, created_by, updated_at"
)


@dataclass(frozen=True)
class Plan:
    """One action plan as stored, with its frozen baseline.

    Attributes
    ----------
    plan_id
        The plan's id.
    title
        What the plan does, in a few words.
    link_kind, link_ref
        What it fixes: ``gap``, ``driver``, ``theme`` or ``culture`` and the id or name.
    metric
        The metric it should move (``nps``, ``csat``, ``theme-share``, ...).
    status
        ``planned``, ``active``, ``done`` or ``dropped``.
    starts_on
        The first day its effect is measured from.
    baseline_days
        How many days before ``starts_on`` the baseline covers.
    baseline
        The metric over those days, frozen when the plan was created.
    created_at, created_by, updated_at
        When and by whom it was created, and its last change.
    description
        Longer notes.
    owner
        The user responsible.
    resources
        What it needs: expertise, experience, time, objectivity, money.
    effort
        The effort it takes, as the gap register rates it.
    metric_filter
        The scope the metric is measured in (e.g. ``{"unit": "North"}``).
    target_value
        The value the metric should reach.
    due_on
        When it should be done.

    Examples
    --------
    >>> import advocacy
    >>> ws = advocacy.open("advocacy.duckdb")  # doctest: +SKIP
    >>> plan = add_plan(ws.db, link="gap:target-nps")  # doctest: +SKIP
    >>> plan.link, plan.baseline.value  # doctest: +SKIP
    """

    plan_id: str
    title: str
    link_kind: str
    link_ref: str
    metric: str
    status: str
    starts_on: dt.date
    baseline_days: int
    baseline: Measurement
    created_at: dt.datetime
    created_by: str
    updated_at: dt.datetime
    description: str | None = None
    owner: str | None = None
    resources: tuple[str, ...] = ()
    effort: str | None = None
    metric_filter: dict[str, str] = field(default_factory=dict)
    target_value: float | None = None
    due_on: dt.date | None = None

    @property
    def link(self) -> str:
        return f"{self.link_kind}:{self.link_ref}"

    @property
    def theme(self) -> str | None:
        """The theme the metric is measured on (see :func:`measured_theme`)."""
        return measured_theme(self.link_kind, self.link_ref, self.metric_filter)

    def to_dict(self) -> dict[str, Any]:
        return {
            "plan_id": self.plan_id,
            "title": self.title,
            "description": self.description,
            "link_kind": self.link_kind,
            "link_ref": self.link_ref,
            "owner": self.owner,
            "resources": list(self.resources),
            "effort": self.effort,
            "status": self.status,
            "metric": self.metric,
            "metric_filter": dict(self.metric_filter),
            "target_value": self.target_value,
            "starts_on": self.starts_on.isoformat(),
            "due_on": self.due_on.isoformat() if self.due_on else None,
            "baseline_days": self.baseline_days,
            "baseline": self.baseline.to_dict(),
            "created_at": self.created_at.isoformat(),
            "created_by": self.created_by,
            "updated_at": self.updated_at.isoformat(),
        }


# -- validation -------------------------------------------------------------------------------
def check_choice(value: str, allowed: Sequence[str], parameter: str) -> str:
    normal = str(value).strip().lower()
    if normal not in allowed:
        raise UsageError(
            f"unknown {parameter.lstrip('-')} {str(value).strip()!r}",
            value=str(value).strip(),
            parameter=parameter,
            fix="use one of: " + ", ".join(allowed),
        )
    return normal


def check_resources(resources: str | Sequence[str] | None) -> tuple[str, ...]:
    if resources is None:
        return ()
    parts = resources.split(",") if isinstance(resources, str) else list(resources)
    chosen: list[str] = []
    for part in parts:
        if str(part).strip():
            name = check_choice(str(part), RESOURCES, "--resources")
            if name not in chosen:
                chosen.append(name)
    return tuple(chosen)


def check_date(value: str | dt.date | None, parameter: str) -> dt.date | None:
    return as_date(value, parameter)


def check_text(value: str | None, parameter: str, *, required: bool = False) -> str | None:
    text = None if value is None else str(value).strip() or None
    if required and text is None:
        raise UsageError(f"a plan needs a {parameter.lstrip('-')}", parameter=parameter)
    return text


def check_dates(starts_on: dt.date, due_on: dt.date | None) -> None:
    if due_on is not None and due_on < starts_on:
        raise UsageError(
            "a plan cannot be due before it starts",
            value=due_on.isoformat(),
            parameter="--due",
            fix=f"pick a due date on or after {starts_on.isoformat()}",
        )


def check_target(metric: str, target: float | None) -> float | None:
    if target is None:
        return None
    low, high = metric_range(metric)
    value = desired_value(metric, float(target))  # a share's 0.85 is 85%, as for targets
    if not low <= value <= high:
        raise UsageError(
            f"a target for {metric} must lie between {low:g} and {high:g}",
            value=target,
            parameter="--target",
            fix=f"give a {metric} value between {low:g} and {high:g}",
        )
    return value


def measured_theme(link_kind: str, link_ref: str, where: Mapping[str, str]) -> str | None:
    """The theme a plan's metric is about: its scope's theme, else the theme it is linked to."""
    return where.get("theme") or (link_ref if link_kind == "theme" else None)


def parse_link(link: str) -> tuple[str, str]:
    """``"gap:target-nps"`` -> ``("gap", "target-nps")``; the kind must be a known one."""
    kind, separator, reference = str(link).partition(":")
    if not separator or not reference.strip():
        raise UsageError(
            f"cannot read {link!r} as a link",
            value=link,
            parameter="--link",
            fix="write gap:ID, driver:NAME, theme:ID or culture:ATTRIBUTE",
        )
    return check_choice(kind, LINK_KINDS, "--link"), reference.strip()


# -- storage ----------------------------------------------------------------------------------
def _json(value: Any) -> Any:
    if value is None or isinstance(value, dict | list):
        return value
    return json.loads(value)


def _as_date(value: Any) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value  # type: ignore[no-any-return]


def plan_from_row(row: Sequence[Any]) -> Plan:
    return Plan(
        plan_id=str(row[0]),
        title=str(row[1]),
        description=row[2],
        link_kind=str(row[3]),
        link_ref=str(row[4]),
        owner=row[5],
        resources=tuple(_json(row[6]) or ()),
        effort=row[7],
        status=str(row[8]),
        metric=str(row[9]),
        metric_filter=dict(_json(row[10]) or {}),
        target_value=None if row[11] is None else float(row[11]),
        starts_on=_as_date(row[12]),
        due_on=None if row[13] is None else _as_date(row[13]),
        baseline_days=int(row[14]),
        baseline=Measurement.from_dict(_json(row[15])),
        created_at=row[16],
        created_by=str(row[17]),
        updated_at=row[18],
    )


def store_plan(db: Database, plan: Plan, *, insert: bool) -> None:
    values = [
        plan.title,
        plan.description,
        plan.link_kind,
        plan.link_ref,
        plan.owner,
        json.dumps(list(plan.resources)),
        plan.effort,
        plan.status,
        plan.metric,
        json.dumps(plan.metric_filter, sort_keys=True),
        plan.target_value,
        plan.starts_on,
        plan.due_on,
        plan.baseline_days,
        json.dumps(plan.baseline.to_dict(), sort_keys=True),
        plan.created_at,
        plan.created_by,
        plan.updated_at,
    ]
    if insert:
        marks = ", ".join("?" * 19)
        db.execute(
            f"INSERT INTO initiatives ({PLAN_COLUMNS}) VALUES ({marks})", [plan.plan_id, *values]
        )
        return
    names = [name.strip() for name in PLAN_COLUMNS.split(",")][1:]
    assignments = ", ".join(f"{name} = ?" for name in names)
    db.execute(
        f"UPDATE initiatives SET {assignments} WHERE initiative_id = ?", [*values, plan.plan_id]
    )
