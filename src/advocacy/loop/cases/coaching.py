"""What one employee's customers talk about, against their unit, and how their cases went.

The coaching page of an employee shows the feedback that names them (responses whose
``employee_id`` is theirs). This module adds two summaries of it:

- **themes**: for each theme found in that feedback (``document_themes`` of kind ``response``,
  named from ``themes``), the number and share of the employee's commented responses carrying
  it, beside the same share over every commented response of the employee's unit, so a coach
  sees what is particular to this person and what the whole unit hears;
- **cases**: the closed-loop cases tied to the employee (``cases.employee_id``), counted by
  :mod:`advocacy.loop.cases.employee_cases`: opened, open, closed, closed within due time, root
  causes and the recovery rate, each share with a Wilson interval.

Coaching lives with the loop because it closes the inner loop: what an employee's customers say
and how that employee's cases went, for the person who coaches them.

Both read only the database; an empty (or not yet created) ``cases`` table gives zero cases.
Given ``units`` (a case handler's), both count only evidence of those units
(:func:`advocacy.access.scope.unit_condition`): responses, the unit's comments and cases.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from advocacy.access.scope import unit_condition
from advocacy.loop.cases.employee_cases import CaseSummary, employee_cases
from advocacy.loop.cases.recovery_rule import RECOVERY_WINDOW_DAYS
from advocacy.metrics.intervals import wilson_interval
from advocacy.store.connection import Database

#: Themes listed, most frequent in the employee's feedback first.
TOP_THEMES = 8

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
