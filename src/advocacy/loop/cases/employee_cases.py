"""The closed-loop cases tied to one employee: counts, closed in time, root causes, recovery.

The cases half of an employee's coaching page (:mod:`advocacy.loop.cases.coaching`), read from the
loop's own ``cases`` table: how many were opened, are open, were closed, the share closed within
their due time over the cases whose outcome is known (closed, or still open past due; the
definition of :mod:`advocacy.loop.cases.recovery`) with a Wilson interval, the most frequent root
causes, and the **recovery rate**: the share of the employee's cases whose customer recovered
within the window after the case opened, over the cases with a known customer whose outcome is
known (recovered, or the window has passed), with a Wilson interval. It is the recovery rate
:func:`advocacy.loop.cases.recovery.loop_results` gives owners and units, applied to the cases that
name the employee: both build their query from :mod:`advocacy.loop.cases.recovery_rule`.

An empty (or not yet created) ``cases`` table gives zero cases. Given ``units`` (a case
handler's), only cases of those units count (:func:`advocacy.access.scope.unit_condition`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from advocacy.access.scope import unit_condition
from advocacy.loop.cases.recovery_rule import RECOVERY_WINDOW_DAYS, check_window, recovered_sql
from advocacy.metrics.intervals import wilson_interval
from advocacy.store.connection import Database

#: Root causes listed.
TOP_ROOT_CAUSES = 5
#: Case statuses still waiting for work.
OPEN_STATUSES = ("new", "contacted")

_RECOVERY_SQL = (
    "SELECT c.opened_at, "
    + recovered_sql("c", "opened_at", "baseline_nps", "customer_id")
    + " FROM cases c WHERE c.employee_id = ? AND c.customer_id IS NOT NULL AND {units}"
)


@dataclass(frozen=True)
class CaseSummary:
    """The closed-loop cases tied to an employee, as of ``as_of``."""

    as_of: datetime
    opened: int = 0
    open: int = 0
    closed: int = 0
    due_known: int = 0
    closed_in_time: int = 0
    closed_in_time_low: float | None = None
    closed_in_time_high: float | None = None
    root_causes: list[tuple[str, int]] = field(default_factory=list)
    recovery_window_days: int = RECOVERY_WINDOW_DAYS
    recovery_eligible: int = 0  # cases with a known customer whose outcome is known
    recovered: int = 0  # of those, the cases whose customer recovered
    rescored: int = 0  # recovered cases whose customer answered again high enough
    repurchased: int = 0  # recovered cases whose customer bought again (may also be rescored)
    recovery_low: float | None = None  # Wilson interval of recovery_rate
    recovery_high: float | None = None

    @property
    def closed_in_time_share(self) -> float | None:
        return self.closed_in_time / self.due_known if self.due_known else None

    @property
    def recovery_rate(self) -> float | None:
        return self.recovered / self.recovery_eligible if self.recovery_eligible else None


@dataclass(frozen=True)
class Recovery:
    """Recovery of an employee's cases (module docstring): counts and the Wilson interval."""

    eligible: int
    recovered: int
    rescored: int
    repurchased: int
    low: float | None
    high: float | None


def employee_recovery(
    db: Database,
    employee_id: str,
    *,
    now: datetime | None = None,
    window_days: int = RECOVERY_WINDOW_DAYS,
    confidence: float = 0.95,
    units: Sequence[str] | None = None,
) -> Recovery:
    """How many of ``employee_id``'s cases recovered within ``window_days``, as of ``now``
    (only cases of ``units`` when given)."""
    check_window(window_days)
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    if not db.table_exists("cases"):
        return Recovery(0, 0, 0, 0, None, None)
    window = timedelta(days=window_days)
    eligible = recovered = rescored = repurchased = 0
    inside, limit = unit_condition(units, column="c.unit")
    for opened_at, answered, bought in db.fetchall(
        _RECOVERY_SQL.format(units=inside), [window, window, employee_id, *limit]
    ):
        won = bool(answered) or bool(bought)
        if won or moment >= opened_at + window:
            eligible += 1
            recovered += int(won)
            rescored += int(bool(answered))
            repurchased += int(bool(bought))
    if not eligible:
        return Recovery(0, 0, 0, 0, None, None)
    interval = wilson_interval(recovered / eligible, eligible, confidence)
    return Recovery(
        eligible, recovered, rescored, repurchased, float(interval.low), float(interval.high)
    )


def employee_cases(
    db: Database,
    employee_id: str,
    *,
    now: datetime | None = None,
    confidence: float = 0.95,
    recovery_window_days: int = RECOVERY_WINDOW_DAYS,
    units: Sequence[str] | None = None,
) -> CaseSummary:
    """Counts of the cases tied to ``employee_id``, the share closed within due time and the
    recovery rate (:func:`employee_recovery`); only cases of ``units`` when given."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    if not db.table_exists("cases"):
        return CaseSummary(moment)
    inside, limit = unit_condition(units)
    marks = ", ".join("?" for _ in OPEN_STATUSES)
    row = db.fetchone(
        "SELECT count(*), "
        f"coalesce(sum(CASE WHEN status IN ({marks}) THEN 1 ELSE 0 END), 0), "
        "coalesce(sum(CASE WHEN closed_at IS NOT NULL THEN 1 ELSE 0 END), 0), "
        "coalesce(sum(CASE WHEN closed_at IS NOT NULL OR due_at < ? THEN 1 ELSE 0 END), 0), "
        "coalesce(sum(CASE WHEN closed_at IS NOT NULL AND closed_at <= due_at THEN 1 ELSE 0 "
        f"END), 0) FROM cases WHERE employee_id = ? AND {inside}",
        [*OPEN_STATUSES, moment, employee_id, *limit],
    )
    opened, still_open, closed, due_known, in_time = (int(value) for value in row or (0,) * 5)
    low = high = None
    if due_known:
        interval = wilson_interval(in_time / due_known, due_known, confidence)
        low, high = float(interval.low), float(interval.high)
    causes = db.fetchall(
        f"SELECT root_cause, count(*) AS n FROM cases WHERE employee_id = ? AND {inside} "
        "AND root_cause IS NOT NULL AND root_cause <> '' GROUP BY root_cause "
        "ORDER BY n DESC, root_cause LIMIT ?",
        [employee_id, *limit, TOP_ROOT_CAUSES],
    )
    recovery = employee_recovery(
        db,
        employee_id,
        now=moment,
        window_days=recovery_window_days,
        confidence=confidence,
        units=units,
    )
    return CaseSummary(
        moment,
        opened,
        still_open,
        closed,
        due_known,
        in_time,
        low,
        high,
        [(str(cause), int(n)) for cause, n in causes],
        recovery_window_days,
        recovery.eligible,
        recovery.recovered,
        recovery.rescored,
        recovery.repurchased,
        recovery.low,
        recovery.high,
    )
