"""What one employee's customers talk about, against their unit, and how their cases went.

The coaching page of an employee shows the feedback that names them (responses whose
``employee_id`` is theirs). This module adds two summaries of it:

- **themes**: for each theme found in that feedback (``document_themes`` of kind ``response``,
  named from ``themes``), the number and share of the employee's commented responses carrying
  it, beside the same share over every commented response of the employee's unit, so a coach
  sees what is particular to this person and what the whole unit hears;
- **cases**: the closed-loop cases tied to the employee (``cases.employee_id``): how many were
  opened, are open, were closed, the share closed within their due time over the cases whose
  outcome is known (closed, or still open past due; the definition of
  :mod:`advocacy.loop.recovery`) with a Wilson interval, the most frequent root causes, and the
  **recovery rate**: the share of the employee's cases whose customer recovered within the
  window after the case opened (answered again with NPS >= 7 or at least 2 points above the
  score that opened the case, or bought again), over the cases with a known customer whose
  outcome is known (recovered, or the window has passed), with a Wilson interval. This is the
  recovery rate :func:`advocacy.loop.recovery.loop_results` gives owners and units, applied to
  the cases that name the employee: both build their query from
  :mod:`advocacy.metrics.recovery_rule` (a test holds the two to the same numbers).

Both read only the database; an empty (or not yet created) ``cases`` table gives zero cases.
Given ``units`` (a case handler's), both count only evidence of those units
(:func:`advocacy.access.scope.unit_condition`): responses, the unit's comments and cases.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from advocacy.access.scope import unit_condition
from advocacy.metrics.intervals import wilson_interval
from advocacy.metrics.recovery_rule import RECOVERY_WINDOW_DAYS, check_window, recovered_sql
from advocacy.store.connection import Database

#: Themes listed, most frequent in the employee's feedback first.
TOP_THEMES = 8
#: Root causes listed.
TOP_ROOT_CAUSES = 5
#: Case statuses still waiting for work.
OPEN_STATUSES = ("new", "contacted")

_RECOVERY_SQL = (
    "SELECT c.opened_at, "
    + recovered_sql("c", "opened_at", "baseline_nps", "customer_id")
    + " FROM cases c WHERE c.employee_id = ? AND c.customer_id IS NOT NULL AND {units}"
)

_THEMES_SQL = """
WITH mine AS (
    SELECT response_id FROM responses
    WHERE employee_id = ? AND comment IS NOT NULL AND comment <> '' AND {units}
), unit_comments AS (
    SELECT response_id FROM responses
    WHERE unit = ? AND comment IS NOT NULL AND comment <> ''
), assigned AS (
    SELECT DISTINCT document_id, theme_id FROM document_themes WHERE document_kind = 'response'
), names AS (
    SELECT theme_id, max(name) AS name FROM themes GROUP BY theme_id
)
SELECT a.theme_id, coalesce(n.name, a.theme_id) AS name,
       count(m.response_id) AS employee_comments,
       count(u.response_id) AS unit_comments
FROM assigned a
LEFT JOIN mine m ON m.response_id = a.document_id
LEFT JOIN unit_comments u ON u.response_id = a.document_id
LEFT JOIN names n ON n.theme_id = a.theme_id
GROUP BY a.theme_id, n.name
HAVING count(m.response_id) > 0
"""


@dataclass(frozen=True)
class ThemeShare:
    """One theme in an employee's feedback and in their unit's."""

    theme_id: str
    name: str
    employee_comments: int
    employee_share: float
    unit_comments: int
    unit_share: float | None  # None when the employee has no unit or it has no comments
    employee_low: float | None = None  # Wilson interval of employee_share
    employee_high: float | None = None

    @property
    def difference(self) -> float | None:
        """Employee share minus unit share, in percentage points."""
        if self.unit_share is None:
            return None
        return 100.0 * (self.employee_share - self.unit_share)


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
class CoachingSummary:
    """Themes of an employee's feedback against their unit's, and their cases."""

    employee_id: str
    unit: str | None
    commented: int  # the employee's responses with a comment
    unit_commented: int  # the unit's responses with a comment
    themes: list[ThemeShare]
    cases: CaseSummary
    confidence: float = 0.95  # level of every interval above


def _count(db: Database, sql: str, params: list[Any]) -> int:
    row = db.fetchone(sql, params)
    return int(row[0]) if row and row[0] is not None else 0


def employee_themes(
    db: Database,
    employee_id: str,
    unit: str | None,
    *,
    top: int = TOP_THEMES,
    confidence: float = 0.95,
    units: Sequence[str] | None = None,
) -> tuple[list[ThemeShare], int, int]:
    """The ``top`` themes of ``employee_id``'s commented responses beside ``unit``'s.

    ``units`` (a case handler's; None for all) limits the responses counted to those units;
    a ``unit`` outside them is not compared with.

    Returns
    -------
    tuple
        The themes (most frequent for the employee first, ties by the larger lead over the unit,
        then by name), the employee's and the unit's number of commented responses.
    """
    commented = "comment IS NOT NULL AND comment <> ''"
    inside, limit = unit_condition(units)
    if units is not None and unit not in units:
        unit = None
    mine = _count(
        db,
        f"SELECT count(*) FROM responses WHERE employee_id = ? AND {commented} AND {inside}",
        [employee_id, *limit],
    )
    theirs = (
        _count(db, f"SELECT count(*) FROM responses WHERE unit = ? AND {commented}", [unit])
        if unit is not None
        else 0
    )
    if mine == 0:
        return [], mine, theirs
    themes = []
    for theme_id, name, own, unit_count in db.fetchall(
        _THEMES_SQL.format(units=inside), [employee_id, *limit, unit]
    ):
        interval = wilson_interval(int(own) / mine, mine, confidence)
        themes.append(
            ThemeShare(
                str(theme_id),
                str(name),
                int(own),
                int(own) / mine,
                int(unit_count),
                int(unit_count) / theirs if theirs else None,
                float(interval.low),
                float(interval.high),
            )
        )
    themes.sort(key=lambda theme: (-theme.employee_comments, -(theme.difference or 0), theme.name))
    return themes[:top], mine, theirs


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


def coaching_summary(
    db: Database,
    employee_id: str,
    *,
    unit: str | None,
    now: datetime | None = None,
    top: int = TOP_THEMES,
    confidence: float = 0.95,
    recovery_window_days: int = RECOVERY_WINDOW_DAYS,
    units: Sequence[str] | None = None,
) -> CoachingSummary:
    """The themes of ``employee_id``'s feedback against ``unit``'s, and their cases.

    Parameters
    ----------
    db
        The workspace database.
    employee_id
        The employee.
    unit
        Their unit (from ``employees.unit``), whose commented responses are the comparison.
    now
        The clock for judging whether open cases are past due and recovery windows have passed.
    top
        How many themes to list.
    confidence
        Level of the Wilson intervals (theme shares, cases closed in time, recovery).
    recovery_window_days
        Days after a case opens in which a re-score or repurchase counts as recovery.
    units
        A case handler's units: only responses and cases of those units count (None: all).

    Returns
    -------
    CoachingSummary
        Themes (empty until ``advocacy text analyze`` has assigned themes), case counts and
        the recovery rate.
    """
    themes, mine, theirs = employee_themes(
        db, employee_id, unit, top=top, confidence=confidence, units=units
    )
    cases = employee_cases(
        db,
        employee_id,
        now=now,
        confidence=confidence,
        recovery_window_days=recovery_window_days,
        units=units,
    )
    shown_unit = unit if units is None or unit in units else None
    return CoachingSummary(employee_id, shown_unit, mine, theirs, themes, cases, confidence)
