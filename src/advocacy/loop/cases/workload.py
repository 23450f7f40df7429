"""Who has how much to do: the open cases of each owner, how many are overdue or due soon.

A case lead's first question each morning is not the recovery rate but "who is drowning, and
what is late": :func:`workload` answers it from the ``cases`` table alone, one row per owner
(unassigned cases as their own row), the busiest first. The same counts go to the web page
``/cases/workload``, ``GET /api/v1/cases/workload`` and ``ws.cases.workload``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from advocacy.access.audit import now_utc
from advocacy.access.scope import unit_condition
from advocacy.records import plain
from advocacy.store.connection import Database

#: A case due within this many hours is "due soon".
DUE_SOON_HOURS = 24


@dataclass(frozen=True)
class OwnerLoad:
    """The open cases of one owner.

    Attributes
    ----------
    owner
        The owner's user or team name; None for the unassigned cases.
    open
        Cases new or contacted.
    new
        Of those, cases nobody has contacted yet.
    overdue
        Open cases past their due time.
    due_soon
        Open cases due within :data:`DUE_SOON_HOURS` hours (not yet overdue).
    oldest_opened_at
        When the oldest open case opened.
    next_due_at
        The earliest due time among the open cases (in the past when any is overdue).
    """

    owner: str | None
    open: int
    new: int
    overdue: int
    due_soon: int
    oldest_opened_at: datetime | None
    next_due_at: datetime | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields (:func:`advocacy.records.plain`)."""
        out: dict[str, Any] = plain(asdict(self))
        return out


def _aware(value: Any) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:  # a store that hands back naive UTC
        return value.replace(tzinfo=UTC)  # type: ignore[no-any-return]
    return now_utc(value)


def workload(
    db: Database, *, units: Sequence[str] | None = None, now: datetime | None = None
) -> list[OwnerLoad]:
    """The open cases by owner: open, not yet contacted, overdue and due soon.

    Parameters
    ----------
    db
        The workspace database.
    units
        Only the cases of these units (a case handler's); None for every case.
    now
        The clock that decides what is overdue (default: now).

    Returns
    -------
    list of OwnerLoad
        One per owner with open cases, most overdue first, then most open, then by name
        (the unassigned last among equals).

    Examples
    --------
    >>> import advocacy
    >>> ws = advocacy.open("advocacy.duckdb")  # doctest: +SKIP
    >>> [(row.owner, row.open, row.overdue) for row in workload(ws.db)]  # doctest: +SKIP
    [('hal', 12, 4), ('cara', 7, 0)]
    """
    moment = now_utc(now)
    soon = moment + timedelta(hours=DUE_SOON_HOURS)
    where = "WHERE status IN ('new', 'contacted')"
    params: list[Any] = [moment, moment, soon]
    if units is not None:
        inside, unit_params = unit_condition(units, column="unit")
        where += f" AND {inside}"
        params += unit_params
    rows = db.fetchall(
        "SELECT owner, COUNT(*), "
        "SUM(CASE WHEN status = 'new' THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN due_at < ? THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN due_at >= ? AND due_at < ? THEN 1 ELSE 0 END), "
        f"MIN(opened_at), MIN(due_at) FROM cases {where} GROUP BY owner",
        params,
    )
    loads = [
        OwnerLoad(
            None if row[0] is None else str(row[0]),
            int(row[1]),
            int(row[2] or 0),
            int(row[3] or 0),
            int(row[4] or 0),
            _aware(row[5]),
            _aware(row[6]),
        )
        for row in rows
    ]
    return sorted(
        loads, key=lambda load: (-load.overdue, -load.open, load.owner is None, load.owner or "")
    )


__all__ = ["DUE_SOON_HOURS", "OwnerLoad", "workload"]
