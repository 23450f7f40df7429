"""The loop's results: how fast cases are worked, how many close in time, and whether they work.

Three measures, overall and by owner and by unit:

- **time to first contact**: hours from a case opening to its first contact (median and 90th
  percentile), over the cases contacted so far;
- **closed within due time**: the share of cases closed by their ``due_at``, over the cases whose
  outcome is known (closed, or still open past due), with a Wilson interval;
- **recovery rate**: the share of cases whose customer *recovered* within ``window_days`` after
  the case opened, with a Wilson interval. A customer recovered when they answered again with
  NPS >= 7 or at least 2 points above the score that opened the case (a follow-up re-survey or
  any later response), or bought again (any transaction). Cases without a known customer are
  left out; a case counts once its outcome is known: it recovered, or the window has passed.

The recovery rate alone flatters: some unhappy customers come back anyway. So the same rate is
computed for **comparable customers who had no case** and the difference is reported with
Newcombe's hybrid score interval [1]_. Matching: the cases compared are those opened by a
response with NPS <= 6 (a detractor); the comparison group is every customer with no case at
all who gave a detractor response in the same period (between the first and the last such case
opening) and, when the cases have units, in the same units; each such customer is followed from
their first detractor response in the period, with the same recovery rule and window. It is a
comparison of like with like on the trigger condition, not a randomised experiment: customers
the rules skipped (e.g. because a rule was off) can differ in other ways.

On a workspace database the rows are read with SQL; on a folder of Parquet tables read on
Spark (``db.dialect == "spark"``) the same rule runs through Ibis
(:func:`~advocacy.loop.cases.recovery_rule.recovered_keys`), and the comparison group is
counted on the engine.

References
----------
.. [1] Newcombe, R. G. (1998). Interval estimation for the difference between independent
   proportions: comparison of eleven methods. Statistics in Medicine, 17(8), 873-890
   (Table II, example (a): 56/70 - 48/80 = 0.2000, hybrid score interval 0.0524 to 0.3339).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from advocacy.access.audit import now_utc
from advocacy.access.scope import scope, unit_condition
from advocacy.errors import UsageError
from advocacy.loop.cases.recovery_rule import (
    RECOVERY_WINDOW_DAYS,
    check_window,
    recovered_keys,
    recovered_sql,
)
from advocacy.metrics.intervals import newcombe_difference, wilson_interval
from advocacy.store.connection import Database
from advocacy.store.parquet_source import engine_rows
from advocacy.store.steady import steady_table

GROUPINGS = ("owner", "unit")
DETRACTOR_MAX = 6


def _share(successes: int, n: int, confidence: float) -> dict[str, Any]:
    if n <= 0:
        return {"rate": None, "low": None, "high": None}
    interval = wilson_interval(successes / n, n, confidence)
    return {"rate": successes / n, "low": float(interval.low), "high": float(interval.high)}


@dataclass(frozen=True)
class _CaseRow:
    owner: str | None
    unit: str | None
    opened_at: datetime
    due_at: datetime
    first_contact_at: datetime | None
    closed_at: datetime | None
    status: str
    has_customer: bool
    detractor: bool
    recovered: bool


def _summary(
    rows: Sequence[_CaseRow], now: datetime, window: timedelta, confidence: float
) -> dict[str, Any]:
    hours = np.array(
        [
            (row.first_contact_at - row.opened_at).total_seconds() / 3600.0
            for row in rows
            if row.first_contact_at is not None
        ]
    )
    due_known = [row for row in rows if row.closed_at is not None or now > row.due_at]
    in_time = sum(
        1 for row in due_known if row.closed_at is not None and row.closed_at <= row.due_at
    )
    eligible = [
        row for row in rows if row.has_customer and (row.recovered or now >= row.opened_at + window)
    ]
    recovered = sum(1 for row in eligible if row.recovered)
    closed_share = _share(in_time, len(due_known), confidence)
    recovery = _share(recovered, len(eligible), confidence)
    return {
        "cases": len(rows),
        "open": sum(1 for row in rows if row.status in ("new", "contacted")),
        "overdue": sum(
            1 for row in rows if row.status in ("new", "contacted") and now > row.due_at
        ),
        "contacted": int(hours.size),
        "hours_to_contact_median": float(np.median(hours)) if hours.size else None,
        "hours_to_contact_p90": float(np.percentile(hours, 90)) if hours.size else None,
        "due_known": len(due_known),
        "closed_in_time": in_time,
        "closed_in_time_share": closed_share["rate"],
        "closed_in_time_low": closed_share["low"],
        "closed_in_time_high": closed_share["high"],
        "recovery_eligible": len(eligible),
        "recovered": recovered,
        "recovery_rate": recovery["rate"],
        "recovery_low": recovery["low"],
        "recovery_high": recovery["high"],
    }


@dataclass(frozen=True)
class LoopResults:
    """The loop's results at ``as_of`` (see the module docstring for the definitions).

    Attributes
    ----------
    as_of
        The moment outcomes are judged at.
    window_days
        Days after a case opens in which a recovery counts.
    confidence
        Confidence level of the intervals.
    overall
        The measures over all cases: counts (cases, open, overdue, contacted), hours to first
        contact, closed within due time and the recovery rate with their intervals.
    by_owner, by_unit
        The same measures, one dict per owner and per unit.
    comparison
        Recovery of detractor cases against comparable customers without a case, and the
        difference with its Newcombe interval.

    Examples
    --------
    >>> import advocacy
    >>> ws = advocacy.open("advocacy.duckdb")  # doctest: +SKIP
    >>> results = loop_results(ws.db)  # doctest: +SKIP
    >>> results.rows(by="owner")  # doctest: +SKIP
    """

    as_of: datetime
    window_days: int
    confidence: float
    overall: dict[str, Any]
    by_owner: list[dict[str, Any]] = field(default_factory=list)
    by_unit: list[dict[str, Any]] = field(default_factory=list)
    comparison: dict[str, Any] = field(default_factory=dict)

    def rows(self, by: str | None = None) -> list[dict[str, Any]]:
        """Table rows: overall (``by`` None) or one per owner or unit."""
        if by is None:
            return [{"group": "all cases", **self.overall}]
        if by not in GROUPINGS:
            raise UsageError(
                f"cannot break loop results down by {by!r}",
                value=by,
                parameter="--by",
                fix="use one of: " + ", ".join(GROUPINGS),
            )
        return self.by_owner if by == "owner" else self.by_unit

    def to_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "window_days": self.window_days,
            "confidence": self.confidence,
            "overall": self.overall,
            "by_owner": self.by_owner,
            "by_unit": self.by_unit,
            "comparison": self.comparison,
        }


def _case_row(row: Sequence[Any]) -> _CaseRow:
    return _CaseRow(
        row[0],
        row[1],
        row[2],
        row[3],
        row[4],
        row[5],
        str(row[6]),
        bool(row[7]),
        row[8] is not None and int(row[8]) <= DETRACTOR_MAX,
        bool(row[7]) and (bool(row[9]) or bool(row[10])),
    )


def _case_rows_on_engine(
    db: Database, window: timedelta, units: Sequence[str] | None
) -> list[_CaseRow]:
    """:func:`_case_rows` through Ibis, for an engine without SQL (Parquet on Spark)."""
    cases = scope(steady_table(db, "cases"), units)
    rescored, repurchased = recovered_keys(
        cases,
        key="case_id",
        start="opened_at",
        baseline="baseline_nps",
        customer="customer_id",
        responses=steady_table(db, "responses"),
        transactions=steady_table(db, "transactions"),
        window_days=window.days,
    )
    columns = ["owner", "unit", "opened_at", "due_at", "first_contact_at", "closed_at"]
    rows = engine_rows(cases.select(*columns, "status", "customer_id", "baseline_nps", "case_id"))
    won = {key for (key,) in engine_rows(rescored)}
    bought = {key for (key,) in engine_rows(repurchased)}
    return [
        _case_row([*row[:7], row[7] is not None, row[8], row[9] in won, row[9] in bought])
        for row in rows
    ]


def _case_rows(db: Database, window: timedelta, units: Sequence[str] | None) -> list[_CaseRow]:
    if db.dialect == "spark":
        return _case_rows_on_engine(db, window, units)
    inside, params = unit_condition(units, column="c.unit")  # advocacy.access.scope
    where = f"WHERE {inside}"
    rows = db.fetchall(
        "SELECT c.owner, c.unit, c.opened_at, c.due_at, c.first_contact_at, c.closed_at, "
        "c.status, c.customer_id IS NOT NULL, c.baseline_nps, "
        + recovered_sql("c", "opened_at", "baseline_nps", "customer_id")
        + f" FROM cases c {where}",
        [window, window, *params],
    )
    return [_case_row(row) for row in rows]


def _comparison_on_engine(
    db: Database,
    start: datetime,
    end: datetime,
    case_units: Sequence[str],
    now: datetime,
    window: timedelta,
) -> tuple[int, int]:
    """:func:`_comparison_group`'s count through Ibis, on the engine (Parquet on Spark)."""
    import ibis

    responses = steady_table(db, "responses")
    chosen = responses.filter(
        responses.customer_id.notnull(),
        responses.nps.notnull(),
        responses.nps <= DETRACTOR_MAX,
        responses.submitted_at >= start,
        responses.submitted_at <= end,
    )
    if case_units:
        chosen = chosen.filter(chosen.unit.isin(list(case_units)))
    cases = steady_table(db, "cases")
    with_case = cases.filter(cases.customer_id.notnull()).select(case_customer=cases.customer_id)
    chosen = chosen.anti_join(with_case, chosen.customer_id == with_case.case_customer)
    position = ibis.row_number().over(
        group_by=chosen.customer_id, order_by=[chosen.submitted_at, chosen.response_id]
    )
    firsts = chosen.mutate(position=position)
    firsts = firsts.filter(firsts.position == 0).select(
        "response_id", "customer_id", "submitted_at", "nps"
    )
    rescored, repurchased = recovered_keys(
        firsts,
        key="response_id",
        start="submitted_at",
        baseline="nps",
        customer="customer_id",
        responses=responses,
        transactions=steady_table(db, "transactions"),
        window_days=window.days,
    )
    flagged = firsts.left_join(rescored, firsts.response_id == rescored.rescored_key)
    flagged = flagged.left_join(repurchased, flagged.response_id == repurchased.repurchased_key)
    won = flagged.rescored_key.notnull() | flagged.repurchased_key.notnull()
    closed = flagged.submitted_at <= ibis.literal(now - window, type="timestamp('UTC')")
    counted = flagged.aggregate(
        recovered=won.cast("int64").sum(), eligible=(won | closed).cast("int64").sum()
    )
    ((recovered, eligible),) = engine_rows(counted)
    return (int(recovered or 0), int(eligible or 0))


def _comparison_group(
    db: Database, cases: Sequence[_CaseRow], now: datetime, window: timedelta
) -> tuple[int, int]:
    """(recovered, eligible) among comparable customers with no case (module docstring)."""
    detractor_cases = [row for row in cases if row.detractor]
    if not detractor_cases:
        return (0, 0)
    start = min(row.opened_at for row in detractor_cases)
    end = max(row.opened_at for row in detractor_cases)
    case_units = sorted({row.unit for row in detractor_cases if row.unit is not None})
    if db.dialect == "spark":
        return _comparison_on_engine(db, start, end, case_units, now, window)
    unit_filter = ""
    if case_units:
        unit_filter = f"AND r.unit IN ({', '.join('?' for _ in case_units)})"
    rows = db.fetchall(
        "WITH firsts AS (SELECT r.customer_id, r.submitted_at, r.nps, row_number() OVER "
        "(PARTITION BY r.customer_id ORDER BY r.submitted_at, r.response_id) AS position "
        "FROM responses r WHERE r.customer_id IS NOT NULL AND r.nps IS NOT NULL "
        f"AND r.nps <= {DETRACTOR_MAX} AND r.submitted_at >= ? AND r.submitted_at <= ? "
        f"{unit_filter} AND NOT EXISTS (SELECT 1 FROM cases k WHERE k.customer_id = "
        "r.customer_id)) SELECT f.submitted_at, "
        + recovered_sql("f", "submitted_at", "nps", "customer_id")
        + " FROM firsts f WHERE f.position = 1",
        [start, end, *case_units, window, window],
    )
    recovered = eligible = 0
    for submitted, rescored, repurchased in rows:
        won = bool(rescored) or bool(repurchased)
        if won or now >= submitted + window:
            eligible += 1
            recovered += int(won)
    return (recovered, eligible)


def loop_results(
    db: Database,
    *,
    now: datetime | None = None,
    window_days: int = RECOVERY_WINDOW_DAYS,
    confidence: float = 0.95,
    units: Sequence[str] | None = None,
) -> LoopResults:
    """Time to first contact, share closed in time and recovery rate, with a comparison group.

    Parameters
    ----------
    db
        The workspace database.
    now
        The clock: outcomes are judged as of ``now``.
    window_days
        How long after a case opens a re-score or repurchase counts as recovery.
    confidence
        Confidence level of the intervals.
    units
        Only cases of these units (a case handler's view); None for all.

    Returns
    -------
    LoopResults
        Overall, by owner and by unit; ``comparison`` holds the detractor cases' recovery rate,
        the comparison group's, and the difference with its Newcombe interval.

    Examples
    --------
    >>> import advocacy
    >>> ws = advocacy.open("advocacy.duckdb")  # doctest: +SKIP
    >>> results = loop_results(ws.db, window_days=60)  # doctest: +SKIP
    """
    check_window(window_days)
    moment = now_utc(now)
    window = timedelta(days=window_days)
    rows = _case_rows(db, window, units)
    by: dict[str, list[dict[str, Any]]] = {}
    for grouping in GROUPINGS:
        groups: dict[str, list[_CaseRow]] = {}
        for row in rows:
            groups.setdefault(getattr(row, grouping) or "(none)", []).append(row)
        by[grouping] = [
            {grouping: name, **_summary(members, moment, window, confidence)}
            for name, members in sorted(groups.items())
        ]
    detractors = [row for row in rows if row.detractor]
    eligible = [
        row
        for row in detractors
        if row.has_customer and (row.recovered or moment >= row.opened_at + window)
    ]
    won = sum(1 for row in eligible if row.recovered)
    others_won, others = _comparison_group(db, rows, moment, window)
    difference, low, high = newcombe_difference(
        won, len(eligible), others_won, others, confidence=confidence
    )
    case_share, other_share = (
        _share(won, len(eligible), confidence),
        _share(others_won, others, confidence),
    )
    comparison = {
        "cases_eligible": len(eligible),
        "cases_recovered": won,
        "case_rate": case_share["rate"],
        "case_low": case_share["low"],
        "case_high": case_share["high"],
        "comparison_eligible": others,
        "comparison_recovered": others_won,
        "comparison_rate": other_share["rate"],
        "comparison_low": other_share["low"],
        "comparison_high": other_share["high"],
        "difference": None if math.isnan(difference) else difference,
        "difference_low": None if math.isnan(low) else low,
        "difference_high": None if math.isnan(high) else high,
    }
    return LoopResults(
        as_of=moment,
        window_days=window_days,
        confidence=confidence,
        overall=_summary(rows, moment, window, confidence),
        by_owner=by["owner"],
        by_unit=by["unit"],
        comparison=comparison,
    )
