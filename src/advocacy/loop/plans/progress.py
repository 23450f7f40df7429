"""How far an action plan has moved its metric: baseline against since-the-start, and a verdict.

:func:`plan_progress` measures a plan's metric (:mod:`advocacy.loop.plans.changes`) from its start
to today, or to the day of the latest answer when the evidence ends earlier, in the plan's scope
and compares it with the baseline frozen at creation (:func:`advocacy.loop.plans.impact.movement`):
the change, its interval and the verdict (better, worse, no clear change, too early), and how far
along the way to the target it is.

The comparison is before and after, with no control group: it says whether the metric moved, not
why. :attr:`PlanProgress.comparison` says so in words wherever the verdict is shown (the season,
the mix of customers answering or another change in the same months can move a metric too).
:func:`plan_summary` flattens that into one row for tables and reports.

>>> plan_progress(ws.db, plan, settings=ws.settings).verdict  # doctest: +SKIP
'no clear change'
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from advocacy import display
from advocacy.access.audit import now_utc
from advocacy.loop.plans.changes import check_visible, get_plan, list_plans
from advocacy.loop.plans.fields import THEME_SHARE
from advocacy.loop.plans.impact import Measurement, Movement, better_direction, measure, movement
from advocacy.loop.plans.store import Plan
from advocacy.metrics.catalogue import METRICS
from advocacy.metrics.periods import data_end_day
from advocacy.settings import Settings
from advocacy.store.connection import Database
from advocacy.store.steady import steady_table

__all__ = [
    "PlanProgress",
    "TargetPosition",
    "comparison_note",
    "data_end",
    "plan_progress",
    "plan_summary",
    "plans_progress",
    "target_position",
]


@dataclass(frozen=True)
class PlanProgress:
    """A plan's frozen baseline, its metric since the start, the movement and the verdict.

    Attributes
    ----------
    plan
        The plan measured.
    baseline
        The metric before the start, frozen at creation.
    current
        The metric from ``starts_on`` to now.
    movement
        Current minus baseline with its interval, p-value and verdict.
    better
        ``"higher"`` or ``"lower"``: which way the metric improves.
    to_target
        How far the metric still is from the target in the better direction: 0 once the target
        is met (None without a target or data).
    target_share
        Share of the baseline-to-target distance covered, at most 1 (the target met) and
        negative when the metric moved away from the target; None without a target or data,
        or when the baseline already met the target (there was no way to go).
    target_note
        The position against the target in words, for people ("" without a target or data).
    comparison
        What the verdict compares, and what it cannot tell (before/after, no control group).

    Examples
    --------
    >>> import advocacy
    >>> ws = advocacy.open("advocacy.duckdb")  # doctest: +SKIP
    >>> plan_progress(ws.db, "plan-1", settings=ws.settings).to_target  # doctest: +SKIP
    """

    plan: Plan
    baseline: Measurement
    current: Measurement
    movement: Movement
    better: str
    to_target: float | None = None  # still to go in the better direction; 0 once met
    target_share: float | None = None  # share of the baseline-to-target distance covered
    target_note: str = ""
    comparison: str = ""

    @property
    def verdict(self) -> str:
        return self.movement.verdict

    def to_dict(self) -> dict[str, Any]:
        return {
            "plan": self.plan.to_dict(),
            "baseline": self.baseline.to_dict(),
            "current": self.current.to_dict(),
            "movement": {
                "change": self.movement.change,
                "ci_low": self.movement.ci_low,
                "ci_high": self.movement.ci_high,
                "p_value": self.movement.p_value,
            },
            "verdict": self.verdict,
            "better": self.better,
            "to_target": self.to_target,
            "target_share": self.target_share,
            "target_note": self.target_note,
            "comparison": self.comparison,
        }


@dataclass(frozen=True)
class TargetPosition:
    """Where a plan's metric stands against its target (see :func:`target_position`)."""

    to_target: float | None
    share: float | None
    note: str


def target_position(
    baseline: float | None, current: float | None, target: float | None, *, better: str
) -> TargetPosition:
    """How far ``current`` is from ``target``, and how much of the way from ``baseline`` it came.

    Distances count in the better direction (``better`` is ``"higher"`` or ``"lower"``): a
    metric past its target has nothing left to go, whatever the sign of ``target - current``.
    A baseline that already met the target leaves no way to measure a share of, so only the
    current position is told; a metric that moved away from the target has a negative share.

    Examples
    --------
    >>> target_position(49.8, -4.1, 35.0, better="higher").note
    'the baseline (49.8) already met the target; now 39.1 short of it'
    >>> target_position(20.0, 25.0, 40.0, better="higher").note
    '25% of the way from the baseline; 15 to go'
    >>> target_position(20.0, 45.0, 40.0, better="higher").share
    1.0
    """
    if target is None or current is None:
        return TargetPosition(None, None, "")
    sign = 1.0 if better == "higher" else -1.0
    short = max(0.0, sign * (target - current))  # still to go, in the better direction
    met = short == 0.0
    if baseline is not None and sign * (baseline - target) >= 0:
        note = (
            f"target met ({_value(current)} against {_value(target)})"
            if met
            else f"the baseline ({_value(baseline)}) already met the target; now "
            f"{_value(short)} short of it"
        )
        return TargetPosition(short, None, note)
    if met:
        return TargetPosition(0.0, 1.0, f"target met ({_value(current)} against {_value(target)})")
    if baseline is None:
        return TargetPosition(short, None, f"{_value(short)} to go")
    share = (current - baseline) / (target - baseline)
    if share < 0:
        note = (
            f"moved away from the target: {_value(short)} to go, "
            f"{_value(sign * (target - baseline))} at the baseline"
        )
    else:
        note = f"{share:.0%} of the way from the baseline; {_value(short)} to go"
    return TargetPosition(short, share, note)


def _value(value: float) -> str:
    return display.number(round(value, 1), None)


def comparison_note(metric: str, baseline: Measurement, current: Measurement) -> str:
    """What a plan's verdict compares, and what it cannot tell.

    Examples
    --------
    >>> import datetime as dt
    >>> day = dt.date
    >>> before = Measurement(4.0, 0.03, 3.9, 4.1, 1263, day(2018, 1, 1), day(2018, 3, 31))
    >>> after = Measurement(4.2, 0.02, 4.1, 4.2, 2235, day(2018, 4, 1), day(2018, 8, 31))
    >>> print(comparison_note("csat-mean", before, after))  # doctest: +NORMALIZE_WHITESPACE
    Before and after, with no control group: 2018-01-01 to 2018-03-31 against 2018-04-01 to
    2018-08-31. A change since the start is not proof that the plan caused it: the season, the
    mix of customers answering or another change in the same months can move csat-mean too.
    """
    return (
        f"Before and after, with no control group: {baseline.since} to {baseline.until} "
        f"against {current.since} to {current.until}. A change since the start is not proof "
        "that the plan caused it: the season, the mix of customers answering or another change "
        f"in the same months can move {metric} too."
    )


def data_end(db: Database, metric: str) -> dt.date | None:
    """The day of the latest answer ``metric`` reads (None without any): a plan's window ends
    there rather than today when the evidence stops earlier."""
    table = "responses" if metric == THEME_SHARE else METRICS[metric].table
    last = steady_table(db, table).submitted_at.max().to_pyarrow().as_py()
    return data_end_day(last)


def plan_progress(
    db: Database,
    plan: Plan | str,
    *,
    settings: Settings,
    now: dt.datetime | None = None,
    confidence: float | None = None,
    min_n: int | None = None,
    units: Sequence[str] | None = None,
) -> PlanProgress:
    """The plan's frozen baseline, its metric from ``starts_on`` to today, and the verdict.

    ``confidence`` and ``min_n`` default to the settings of those names: fewer than ``min_n``
    answers since the start give the verdict ``"too early"``. ``units`` (a case handler's)
    refuses a plan measured outside them (:func:`check_visible`).

    Parameters
    ----------
    db
        The workspace database.
    plan
        The plan or its id.
    settings
        The workspace's settings (``ws.settings``): ``confidence``, ``min_n`` and
        ``nps_interval``.
    now
        The clock; the current UTC time when left out.
    confidence
        Confidence level of the change's interval.
    min_n
        Fewest answers since the start for a verdict.
    units
        The units the caller may see; None for all.

    Returns
    -------
    PlanProgress
        The baseline, the current measurement, the movement between them and the verdict.

    Raises
    ------
    NotFoundError
        When no plan has the id ``plan``.
    AccessDeniedError
        When the plan is measured outside ``units``.

    Examples
    --------
    >>> import advocacy
    >>> ws = advocacy.open("advocacy.duckdb")  # doctest: +SKIP
    >>> plan_progress(ws.db, "plan-1", settings=ws.settings).verdict  # doctest: +SKIP
    """
    chosen = get_plan(db, plan) if isinstance(plan, str) else plan
    check_visible(chosen, units)
    used = settings.updated(confidence=confidence, min_n=min_n)  # the arguments win
    today = now_utc(now).date()
    end = data_end(db, chosen.metric)
    # The window ends where the evidence does (an export of 2018 is not measured to today).
    until = max(min(today, end) if end is not None else today, chosen.starts_on)
    current = measure(
        functools.partial(steady_table, db),
        chosen.metric,
        chosen.metric_filter,
        since=chosen.starts_on,
        until=until,
        confidence=used.confidence,
        interval=used.nps_interval,
        theme=chosen.theme,
    )
    if today < chosen.starts_on:
        current = replace(current, value=None, se=None, ci_low=None, ci_high=None, n=0)
    moved = movement(
        chosen.metric,
        chosen.baseline,
        current,
        confidence=used.confidence,
        min_n=used.min_n,
    )
    better = better_direction(chosen.metric)
    position = target_position(
        chosen.baseline.value, current.value, chosen.target_value, better=better
    )
    return PlanProgress(
        chosen,
        chosen.baseline,
        current,
        moved,
        better,
        position.to_target,
        position.share,
        position.note,
        comparison_note(chosen.metric, chosen.baseline, current),
    )


def plan_summary(progress: PlanProgress) -> dict[str, Any]:
    """One flat row per plan: link, scope, baseline -> current, movement and verdict."""
    plan = progress.plan
    scope = "; ".join(f"{key}={value}" for key, value in sorted(plan.metric_filter.items()))
    return {
        "plan_id": plan.plan_id,
        "title": plan.title,
        "link": plan.link,
        "status": plan.status,
        "owner": plan.owner,
        "metric": plan.metric,
        "scope": scope or "all",
        "starts_on": plan.starts_on,
        "due_on": plan.due_on,
        "baseline": progress.baseline.value,
        "baseline_n": progress.baseline.n,
        "current": progress.current.value,
        "current_n": progress.current.n,
        "change": progress.movement.change,
        "change_low": progress.movement.ci_low,
        "change_high": progress.movement.ci_high,
        "verdict": progress.verdict,
        "target": plan.target_value,
        "to_target": progress.to_target,
        "against_target": progress.target_note,
        "comparison": progress.comparison,
    }


def plans_progress(
    db: Database,
    *,
    settings: Settings,
    status: str | None = None,
    now: dt.datetime | None = None,
    units: Sequence[str] | None = None,
) -> list[PlanProgress]:
    """:func:`plan_progress` of every plan (optionally of one status, inside ``units``)."""
    chosen = list_plans(db, status=status, units=units)
    return [plan_progress(db, plan, settings=settings, now=now) for plan in chosen]
