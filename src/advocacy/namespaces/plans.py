"""``ws.plans``: action plans tied to gaps, drivers, themes or culture, and their progress.

>>> import advocacy
>>> with advocacy.open("advocacy.duckdb") as ws:                        # doctest: +SKIP
...     plan = ws.plans.add("gap:G3", owner="ada", due_on="2026-12-31")
...     ws.plans.progress(plan).verdict
...     ws.plans.frame(status="active")

Each method is one function of :mod:`advocacy.loop.plans.changes` or
:mod:`advocacy.loop.plans.progress` applied to the workspace's database. A plan's baseline is
measured and frozen when it is added; its progress compares the metric since the start with that
baseline.

The module also names the plans' public types and vocabularies (statuses, efforts, resources
and the metrics a plan may target), imported on first use.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, TypeAlias

from advocacy.lazy_names import lazy_names as _lazy_names

if TYPE_CHECKING:
    import pandas as pd

    from advocacy.loop.plans import Plan, PlanProgress
    from advocacy.loop.plans.fields import EFFORTS, PLAN_METRICS, STATUSES
    from advocacy.loop.plans.store import RESOURCES
    from advocacy.settings import Settings
    from advocacy.store.connection import Database

    # Named here, outside the class, where ``list`` is still the built-in.
    Progresses: TypeAlias = list[PlanProgress]
    Plans: TypeAlias = list[Plan]
    Rows: TypeAlias = list[dict[str, Any]]

#: Public name -> the module that defines it, imported on first use (PEP 562).
_LAZY = {
    "EFFORTS": "advocacy.loop.plans.fields",
    "Plan": "advocacy.loop.plans.store",
    "PLAN_METRICS": "advocacy.loop.plans.fields",
    "PlanProgress": "advocacy.loop.plans.progress",
    "RESOURCES": "advocacy.loop.plans.store",
    "STATUSES": "advocacy.loop.plans.fields",
}


class PlansNamespace:
    """The action plans of the workspace (``ws.plans``)."""

    def __init__(self, db: Database, settings: Settings) -> None:
        self._db = db
        self._settings = settings

    def add(
        self,
        link: str,
        *,
        metric: str | None = None,
        title: str | None = None,
        metric_filter: Mapping[str, str] | None = None,
        owner: str | None = None,
        resources: str | Sequence[str] | None = None,
        effort: str | None = None,
        starts_on: str | date | None = None,
        due_on: str | date | None = None,
        target_value: float | None = None,
        baseline_days: int | None = None,
        description: str | None = None,
        actor: str = "python",
        gaps: Sequence[Mapping[str, Any]] | None = None,
    ) -> Plan:
        """Create a plan linked to ``gap:ID``, ``driver:NAME``, ``theme:ID`` or ``culture:NAME``.

        Parameters
        ----------
        link
            What the plan should fix. A ``gap:ID`` link (``advocacy plans gap-suggestions``
            lists them) fills the metric, scope, effort, resources and target from the gap;
            options given here override them.
        metric
            The metric the plan should move (``nps``, ``csat``, ``ces``, ``top-box``, ``enps``,
            ``theme-share``); required for links other than gaps.
        title, description, owner, resources, effort
            What the plan is, who runs it and what it needs.
        metric_filter
            The metric's scope, e.g. ``{"unit": "North"}``.
        starts_on, due_on
            Start (default today) and due dates.
        target_value
            The value the metric should reach.
        baseline_days
            Days before the start the frozen baseline covers (default 90).
        actor
            Who adds the plan, for the audit log.
        gaps
            The gap register's rows when the caller has them already (a ``gap:ID`` link is
            looked up there instead of building the register again).

        Returns
        -------
        Plan
            The plan as stored, with its frozen baseline.

        Raises
        ------
        UsageError
            For a link, metric or option that is not allowed.
        NotFoundError
            For a gap that is not in the register.
        """
        from advocacy.loop.plans import add_plan

        return add_plan(
            self._db,
            link=link,
            settings=self._settings,
            metric=metric,
            actor=actor,
            title=title,
            metric_filter=metric_filter,
            owner=owner,
            resources=resources,
            effort=effort,
            starts_on=starts_on,
            due_on=due_on,
            target_value=target_value,
            baseline_days=baseline_days,
            description=description,
            gaps=gaps,
        )

    def update(
        self,
        plan_id: str,
        *,
        status: str | None = None,
        title: str | None = None,
        description: str | None = None,
        owner: str | None = None,
        resources: str | Sequence[str] | None = None,
        effort: str | None = None,
        starts_on: str | date | None = None,
        due_on: str | date | None = None,
        target_value: float | None = None,
        actor: str = "python",
    ) -> Plan:
        """Change a plan's status, owner, dates or target; fields left as None stay as they are.

        The baseline stays frozen; only a plan still ``planned`` may move its start, which
        measures the baseline again for the new window.

        Returns
        -------
        Plan
            The plan as stored.

        Raises
        ------
        NotFoundError
            When there is no such plan.
        UsageError
            For a change that is not allowed.
        """
        from advocacy.loop.plans import update_plan

        return update_plan(
            self._db,
            plan_id,
            settings=self._settings,
            status=status,
            title=title,
            description=description,
            owner=owner,
            resources=resources,
            effort=effort,
            starts_on=starts_on,
            due_on=due_on,
            target_value=target_value,
            actor=actor,
        )

    def progress(self, plan: Plan | str, *, units: Sequence[str] | None = None) -> PlanProgress:
        """A plan's frozen baseline, its metric since the start, the movement and the verdict.

        Parameters
        ----------
        plan
            The plan or its id.
        units
            Refuse a plan outside these units (a case handler's).

        Returns
        -------
        PlanProgress

        Raises
        ------
        NotFoundError
            When there is no such plan.
        AccessDeniedError
            When it is outside ``units``.
        """
        from advocacy.loop.plans import plan_progress

        return plan_progress(self._db, plan, settings=self._settings, units=units)

    def list(self, *, status: str | None = None, units: Sequence[str] | None = None) -> Progresses:
        """The progress of every plan (of one ``status``, inside ``units``, when given)."""
        from advocacy.loop.plans import plans_progress

        return plans_progress(self._db, settings=self._settings, status=status, units=units)

    def definitions(
        self, *, status: str | None = None, units: Sequence[str] | None = None
    ) -> Plans:
        """Every plan as it is defined, newest start first, without measuring its progress.

        One read of the plans, for callers that measure each plan themselves or keep its
        :meth:`progress` (the web server caches it per plan as defined).

        Parameters
        ----------
        status
            Only the plans of this status.
        units
            Only the plans measured inside these units (a case handler's).

        Returns
        -------
        list of Plan
        """
        from advocacy.loop.plans.changes import list_plans

        return list_plans(self._db, status=status, units=units)

    def summary(self, plan: PlanProgress | Plan | str) -> dict[str, Any]:
        """One flat row for a plan: link, scope, baseline -> current, movement and verdict."""
        from advocacy.loop.plans import PlanProgress, plan_summary

        progress = plan if isinstance(plan, PlanProgress) else self.progress(plan)
        return plan_summary(progress)

    def summaries(self, *, status: str | None = None) -> Rows:
        """:meth:`summary` of every plan (of one ``status`` when given)."""
        return [self.summary(progress) for progress in self.list(status=status)]

    def frame(self, *, status: str | None = None) -> pd.DataFrame:
        """:meth:`summaries` as a pandas DataFrame, one row per plan."""
        import pandas as pd

        return pd.DataFrame(self.summaries(status=status))

    def gap_suggestions(self, *, top: int | None = None) -> Rows:
        """The gap register's rows, each with its ``gap_id`` and the plan it suggests (metric,
        scope, target, effort), highest priority first; the first ``top`` when given."""
        from advocacy.loop.plans import gap_rows

        rows = gap_rows(self._db, confidence=self._settings.confidence)
        return rows if top is None else rows[:top]


__all__ = [
    "EFFORTS",
    "PLAN_METRICS",
    "RESOURCES",
    "STATUSES",
    "Plan",
    "PlanProgress",
    "PlansNamespace",
]

__getattr__, __dir__ = _lazy_names(__name__, _LAZY, __all__)
