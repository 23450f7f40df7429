"""Action plans (table ``initiatives``): a fix tied to a gap, driver, theme or culture attribute.

A plan names what it fixes (``link_kind`` and ``link_ref``), who owns it, the resources it needs
(expertise, experience, time, objectivity, money), its effort, dates, status and the metric it
targets in a scope. At creation the metric's **baseline** (the ``baseline_days`` before
``starts_on``) is measured and frozen in the plan, so later imports cannot move the goalposts;
:func:`advocacy.loop.plans.progress.plan_progress` measures the metric since the start and says
whether it moved. Every creation and change is audited in the same transaction. The record and
its checks are in :mod:`advocacy.loop.plans.store`.

>>> plan = plan_from_gap(  # doctest: +SKIP
...     ws.db, "target-ces-unit-north", settings=ws.settings, owner="ana", actor="ana"
... )
>>> plan.link  # doctest: +SKIP
'gap:target-ces-unit-north'
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from advocacy.access.audit import now_utc, record_audit
from advocacy.access.roles import AccessDeniedError
from advocacy.access.scope import in_reach
from advocacy.errors import NotFoundError, UsageError
from advocacy.loop.plans.fields import EFFORTS, STATUSES
from advocacy.loop.plans.impact import Measurement, measure
from advocacy.loop.plans.links import (
    check_filter,
    check_metric,
    find_gap,
    gap_rows,
    resolve_link,
)
from advocacy.loop.plans.store import (
    LINK_KINDS,
    PLAN_COLUMNS,
    Plan,
    check_choice,
    check_date,
    check_dates,
    check_resources,
    check_target,
    check_text,
    measured_theme,
    parse_link,
    plan_from_row,
    store_plan,
)
from advocacy.settings import Settings
from advocacy.store.connection import Database
from advocacy.store.parquet_source import engine_rows
from advocacy.store.steady import steady_table

__all__ = [
    "add_plan",
    "check_visible",
    "create_plan",
    "get_plan",
    "list_plans",
    "plan_from_gap",
    "update_plan",
]


def _baseline(
    db: Database,
    metric: str,
    where: Mapping[str, str],
    theme: str | None,
    starts_on: dt.date,
    days: int,
    *,
    settings: Settings,
) -> Measurement:
    return measure(
        functools.partial(steady_table, db),
        metric,
        where,
        since=starts_on - dt.timedelta(days=days),
        until=starts_on - dt.timedelta(days=1),
        confidence=settings.confidence,
        interval=settings.nps_interval,
        theme=theme,
    )


# -- the library calls --------------------------------------------------------------------------
def create_plan(
    db: Database,
    *,
    title: str,
    link_kind: str,
    link_ref: str,
    metric: str,
    settings: Settings,
    metric_filter: Mapping[str, str] | None = None,
    owner: str | None = None,
    resources: str | Sequence[str] | None = None,
    effort: str | None = None,
    starts_on: str | dt.date | None = None,
    due_on: str | dt.date | None = None,
    target_value: float | None = None,
    baseline_days: int = 90,
    description: str | None = None,
    status: str = "planned",
    actor: str = "python",
    now: dt.datetime | None = None,
    gaps: Sequence[Mapping[str, Any]] | None = None,
) -> Plan:
    """Validate and store a new plan with its baseline measured and frozen now.

    Parameters
    ----------
    db
        The workspace database.
    title
        What the plan does, in a few words.
    link_kind, link_ref
        What it fixes: ``gap`` (an id of the gap register, see :func:`gap_options`), ``driver``
        (a rated item or dimension), ``theme`` (a theme id or name) or ``culture`` (one of the
        nine culture attributes). Unknown references are refused with the valid ones listed.
    metric
        The metric whose movement says whether it worked: ``nps``, ``csat``, ``csat-mean``,
        ``top-box``, ``ces``, ``ces-easy``, ``enps`` or ``theme-share``.
    settings
        The workspace's settings (``ws.settings``): the baseline's interval (``confidence``,
        ``nps_interval``) and the gap register's ``confidence``.
    metric_filter
        Scope of the metric, e.g. ``{"unit": "North"}``, ``{"touchpoint": "delivery"}`` or
        ``{"theme": THEME_ID}`` (answers whose comment mentions the theme).
    owner, resources, effort
        Who owns it; a subset of expertise, experience, time, objectivity, money; low, medium or
        high.
    starts_on, due_on
        Start (default today) and due dates.
    target_value
        The value of ``metric`` the plan aims for (optional).
    baseline_days
        Length of the baseline window ending the day before ``starts_on``.
    description, status
        Free text; ``planned`` (default), ``active``, ``done`` or ``dropped``.
    actor, now
        Who creates it (audited) and the clock.
    gaps
        The gap register's rows (:func:`advocacy.loop.plans.links.gap_rows`) when the caller has
        them already; otherwise a ``gap`` link computes the register to check the reference.

    Returns
    -------
    Plan
        The stored plan with its frozen baseline.
    """
    moment = now_utc(now)
    kind = check_choice(link_kind, LINK_KINDS, "--link")
    reference = resolve_link(db, kind, link_ref, confidence=settings.confidence, gaps=gaps)
    chosen_metric = check_metric(metric)
    where = check_filter(db, chosen_metric, metric_filter)
    theme = measured_theme(kind, reference, where)
    if chosen_metric == "theme-share" and theme is None:
        raise UsageError(
            "the theme-share metric needs a theme",
            parameter="--metric",
            fix="link the plan to a theme (--link theme:ID) or filter by one (--theme ID)",
        )
    start = check_date(starts_on, "--starts") or moment.date()
    due = check_date(due_on, "--due")
    check_dates(start, due)
    if int(baseline_days) < 1:
        raise UsageError(
            "the baseline needs at least one day",
            value=baseline_days,
            parameter="--baseline-days",
            fix="e.g. --baseline-days 90",
        )
    plan = Plan(
        plan_id=uuid.uuid4().hex[:10],
        title=str(check_text(title, "--title", required=True)),
        description=check_text(description, "--description"),
        link_kind=kind,
        link_ref=reference,
        owner=check_text(owner, "--owner"),
        resources=check_resources(resources),
        effort=None if effort is None else check_choice(effort, EFFORTS, "--effort"),
        status=check_choice(status, STATUSES, "--status"),
        metric=chosen_metric,
        metric_filter=dict(where),
        target_value=check_target(chosen_metric, target_value),
        starts_on=start,
        due_on=due,
        baseline_days=int(baseline_days),
        baseline=_baseline(
            db, chosen_metric, where, theme, start, int(baseline_days), settings=settings
        ),
        created_at=moment,
        created_by=actor,
        updated_at=moment,
    )
    with db.transaction():
        store_plan(db, plan, insert=True)
        record_audit(
            db,
            actor=actor,
            action="plan.create",
            target=plan.plan_id,
            detail=plan.to_dict(),
            now=moment,
        )
    return plan


def plan_from_gap(
    db: Database,
    gap_id: str,
    *,
    settings: Settings,
    title: str | None = None,
    actor: str = "python",
    gaps: Sequence[Mapping[str, Any]] | None = None,
    **options: Any,
) -> Plan:
    """A plan on one gap of the register, its link, metric and scope filled from the gap.

    Targets keep their metric and scope (``target ces unit=North`` -> CES in North); SERVQUAL
    dimensions and item targets aim at NPS in their scope; culture attributes at eNPS. Any
    option of :func:`create_plan` overrides what the gap suggests; ``gaps`` passes the register's
    rows when the caller has them already.
    """
    rows = list(gaps) if gaps is not None else gap_rows(db, confidence=settings.confidence)
    found = find_gap(rows, gap_id)
    options.setdefault("metric", found["metric"])
    options.setdefault("metric_filter", found["metric_filter"])
    options.setdefault("effort", found["effort"])
    options.setdefault("resources", found["resources"])
    if options.get("target_value") is None and found["metric"] == options["metric"]:
        options["target_value"] = found["target_value"]
    return create_plan(
        db,
        title=title or found["title"],
        link_kind="gap",
        link_ref=str(found["gap_id"]),
        settings=settings,
        actor=actor,
        gaps=rows,
        **options,
    )


def get_plan(db: Database, plan_id: str) -> Plan:
    """The plan ``plan_id``, or :class:`NotFoundError`."""
    row = db.fetchone(f"SELECT {PLAN_COLUMNS} FROM initiatives WHERE initiative_id = ?", [plan_id])
    if row is None:
        raise NotFoundError(
            f"no plan {plan_id!r}", value=plan_id, fix="list the plans with advocacy plans list"
        )
    return plan_from_row(row)


def list_plans(
    db: Database,
    *,
    status: str | None = None,
    link_kind: str | None = None,
    units: Sequence[str] | None = None,
) -> list[Plan]:
    """Every plan (optionally of one status or link kind), newest start first.

    ``units`` (a case handler's) keeps only plans measured inside those units.
    """
    if status is not None:
        status = check_choice(status, STATUSES, "--status")
    if db.dialect == "spark":  # a folder of Parquet tables: read through Ibis, on the engine
        rows = _plan_rows_on_engine(db, status, link_kind)
    else:
        sql = f"SELECT {PLAN_COLUMNS} FROM initiatives WHERE 1 = 1"
        params: list[Any] = []
        if status is not None:
            sql += " AND status = ?"
            params.append(status)
        if link_kind is not None:
            sql += " AND link_kind = ?"
            params.append(link_kind)
        rows = db.fetchall(sql + " ORDER BY starts_on DESC, created_at DESC, initiative_id", params)
    plans = [plan_from_row(row) for row in rows]
    return [plan for plan in plans if units is None or _inside(plan, units)]


def _plan_rows_on_engine(
    db: Database, status: str | None, link_kind: str | None
) -> list[tuple[Any, ...]]:
    """:func:`list_plans`' rows (``PLAN_COLUMNS``, in its order) read through Ibis."""
    import ibis

    plans = steady_table(db, "initiatives")
    if status is not None:
        plans = plans.filter(plans.status == status)
    if link_kind is not None:
        plans = plans.filter(plans.link_kind == link_kind)
    plans = plans.order_by([ibis.desc("starts_on"), ibis.desc("created_at"), "initiative_id"])
    return engine_rows(plans.select(*PLAN_COLUMNS.split(", ")))


def _inside(plan: Plan, units: Sequence[str]) -> bool:
    return in_reach(plan.metric_filter.get("unit"), units)  # advocacy.access.scope


def check_visible(plan: Plan, units: Sequence[str] | None) -> Plan:
    """``plan`` if a caller limited to ``units`` (None: every unit) may see its figures.

    A case handler sees only figures of their own units, so a plan measured over the whole
    company or another unit is refused.
    """
    if units is not None and not _inside(plan, units):
        raise AccessDeniedError(
            f"plan {plan.plan_id} is measured outside your units",
            value=plan.plan_id,
            fix="ask an analyst, or open a plan measured in " + ", ".join(units),
        )
    return plan


def update_plan(
    db: Database,
    plan_id: str,
    *,
    settings: Settings,
    status: str | None = None,
    title: str | None = None,
    description: str | None = None,
    owner: str | None = None,
    resources: str | Sequence[str] | None = None,
    effort: str | None = None,
    starts_on: str | dt.date | None = None,
    due_on: str | dt.date | None = None,
    target_value: float | None = None,
    actor: str = "python",
    now: dt.datetime | None = None,
) -> Plan:
    """Change a plan's status, owner, dates or target; return it as stored.

    The baseline stays frozen; only a plan still ``planned`` may move its start, which measures
    the baseline again for the new window (and says so in the audit entry), with ``settings``
    (the workspace's).
    """
    moment = now_utc(now)
    with db.transaction():
        plan = get_plan(db, plan_id)
        changes: dict[str, Any] = {}
        if status is not None:
            changes["status"] = check_choice(status, STATUSES, "--status")
        for name, value in (("title", title), ("description", description), ("owner", owner)):
            if value is not None:
                changes[name] = check_text(value, f"--{name}", required=name == "title")
        if resources is not None:
            changes["resources"] = check_resources(resources)
        if effort is not None:
            changes["effort"] = check_choice(effort, EFFORTS, "--effort")
        if target_value is not None:
            changes["target_value"] = check_target(plan.metric, target_value)
        if due_on is not None:
            changes["due_on"] = check_date(due_on, "--due")
        start = check_date(starts_on, "--starts")
        if start is not None and start != plan.starts_on:
            if plan.status != "planned":
                raise UsageError(
                    f"plan {plan_id} is {plan.status}: its start and baseline are frozen",
                    value=start.isoformat(),
                    parameter="--starts",
                    fix="create a new plan to measure from another start",
                )
            changes["starts_on"] = start
            changes["baseline"] = _baseline(
                db,
                plan.metric,
                plan.metric_filter,
                plan.theme,
                start,
                plan.baseline_days,
                settings=settings,
            )
        check_dates(changes.get("starts_on", plan.starts_on), changes.get("due_on", plan.due_on))
        updated = replace(plan, **changes, updated_at=moment)
        store_plan(db, updated, insert=False)
        detail = {
            key: value.to_dict() if isinstance(value, Measurement) else value
            for key, value in changes.items()
        }
        record_audit(
            db,
            actor=actor,
            action="plan.update",
            target=plan_id,
            detail=json.loads(json.dumps(detail, default=str)),
            now=moment,
        )
    return updated


def add_plan(
    db: Database,
    *,
    link: str,
    settings: Settings,
    metric: str | None = None,
    actor: str = "python",
    **options: Any,
) -> Plan:
    """Create a plan from a ``kind:ref`` link, the one call behind the CLI, API and pages.

    A ``gap:ID`` link fills the metric, scope, effort, resources and target from the gap
    (:func:`plan_from_gap`); options left as None keep those suggestions. Other links need
    ``metric``. See :func:`create_plan` for the options.

    Parameters
    ----------
    db
        The workspace database.
    link
        What the plan fixes, as ``kind:ref``: kind ``gap``, ``driver``, ``theme`` or
        ``culture`` (e.g. ``gap:target-nps``).
    settings
        The workspace's settings (``ws.settings``), which the baseline and the gap register
        are measured with.
    metric
        The metric the plan should move; required unless the link is a gap.
    actor
        Who creates it, for the audit log.
    **options
        The other fields of :func:`create_plan` (title, owner, due_on, target_value, ...).

    Returns
    -------
    Plan
        The stored plan with its frozen baseline.

    Raises
    ------
    UsageError
        When a link other than a gap comes without ``metric``, or an option is invalid.

    Examples
    --------
    >>> import advocacy
    >>> ws = advocacy.open("advocacy.duckdb")  # doctest: +SKIP
    >>> plan = add_plan(  # doctest: +SKIP
    ...     ws.db,
    ...     link="driver:wait time",
    ...     settings=ws.settings,
    ...     metric="nps",
    ...     title="Shorter queues",
    ... )
    """
    kind, reference = parse_link(link)
    given = {key: value for key, value in options.items() if value is not None}
    if kind == "gap":
        if metric is not None:
            given["metric"] = metric
        return plan_from_gap(db, reference, settings=settings, actor=actor, **given)
    if metric is None:
        raise UsageError(
            f"a plan linked to a {kind} needs the metric it should move",
            parameter="--metric",
            fix="add e.g. --metric nps (or csat, ces, top-box, enps, theme-share)",
        )
    title = str(given.pop("title", ""))
    return create_plan(
        db,
        title=title,
        link_kind=kind,
        link_ref=reference,
        metric=metric,
        settings=settings,
        actor=actor,
        **given,
    )
