"""Cases: the case record, its timeline, and the reads the CLI, API and pages make of them.

A case is one unhappy customer's piece of evidence (a response, a mention, or a customer the
sweep flagged) that a rule opened (:mod:`advocacy.loop.cases.opening`), with an owner and a due
time. Working it (contact, note, resolve, close...) is in :mod:`advocacy.loop.cases.work`;
escalation in :mod:`advocacy.loop.cases.escalation`. Every change appends a ``case_events`` row and
an audit entry (:func:`add_event`) in the transaction that makes it, and, where someone should hear
of it, a notification (:mod:`advocacy.loop.notify.case_notifications`).
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from typing import Any

from advocacy.access.audit import AuditEntry, new_entry, now_utc, record_audits
from advocacy.access.roles import AccessDeniedError
from advocacy.access.scope import in_reach, unit_condition
from advocacy.errors import NotFoundError, UsageError
from advocacy.records import plain
from advocacy.store.connection import Database
from advocacy.store.multi_row import insert_rows

STATUSES = ("new", "contacted", "resolved", "closed")
#: Statuses of a case someone still has to work.
OPEN_STATUSES = ("new", "contacted")
DEFAULT_LIMIT = 500
#: What :func:`list_cases` can sort by: a case field -> its SQL (a status in the order a case
#: goes through them, the priority by urgency).
SORTABLE = {
    "case_id": "c.case_id",
    "status": (
        "CASE c.status WHEN 'new' THEN 1 WHEN 'contacted' THEN 2 WHEN 'resolved' THEN 3 "
        "WHEN 'closed' THEN 4 END"
    ),
    "due_at": "c.due_at",
    "owner": "c.owner",
    "customer_id": "c.customer_id",
    "unit": "c.unit",
    "rule": "coalesce(r.name, c.rule_id)",
    "priority": (
        "CASE c.priority WHEN 'low' THEN 1 WHEN 'normal' THEN 2 WHEN 'high' THEN 3 "
        "WHEN 'urgent' THEN 4 END"
    ),
    "opened_at": "c.opened_at",
}

#: Columns of the ``cases`` table, in the order :class:`Case` holds them.
CASE_COLUMNS = (
    "case_id", "rule_id", "customer_id", "status", "owner", "due_at", "opened_at", "unit",
    "evidence_kind", "evidence_id", "touchpoint", "theme", "employee_id", "priority", "summary",
    "first_contact_at", "resolved_at", "closed_at", "escalated_at", "escalation_level",
    "root_cause", "action_taken", "baseline_nps", "updated_at",
)  # fmt: skip


_EVENT_COLUMNS = (
    "event_id", "case_id", "occurred_at", "actor", "kind", "from_status", "to_status", "text",
    "detail",
)  # fmt: skip


@dataclass(frozen=True)
class Case:
    """One case, as stored, with the name of the rule that opened it.

    Attributes
    ----------
    case_id
        The case's id.
    rule_id
        The rule that opened it.
    customer_id
        The customer concerned, when known.
    status
        ``new``, ``contacted``, ``resolved`` or ``closed``.
    owner
        The user the case is assigned to; None when unassigned.
    due_at
        When the case should be closed.
    opened_at
        When the case opened.
    unit
        The unit of the evidence, for routing and for case handlers' views.
    evidence_kind, evidence_id
        The record that opened the case: ``responses`` or ``mentions`` and its id.
    touchpoint, theme, employee_id
        What the evidence says about where it happened.
    priority
        ``low``, ``normal``, ``high`` or ``urgent``.
    summary
        A short description of the evidence.
    first_contact_at, resolved_at, closed_at
        When the customer was first contacted, the case resolved and closed.
    escalated_at, escalation_level
        When the case last escalated and how many times.
    root_cause, action_taken
        What the handler found and did.
    baseline_nps
        The NPS answer that opened the case, against which recovery is judged.
    updated_at
        The last change.
    rule
        The rule's name (None once the rule was removed).

    Examples
    --------
    >>> import advocacy
    >>> ws = advocacy.open("advocacy.duckdb")  # doctest: +SKIP
    >>> [case.status for case in list_cases(ws.db, customer_id="c-42")]  # doctest: +SKIP
    """

    case_id: str
    rule_id: str
    customer_id: str | None
    status: str
    owner: str | None
    due_at: datetime
    opened_at: datetime
    unit: str | None
    evidence_kind: str
    evidence_id: str
    touchpoint: str | None = None
    theme: str | None = None
    employee_id: str | None = None
    priority: str | None = None
    summary: str | None = None
    first_contact_at: datetime | None = None
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    escalated_at: datetime | None = None
    escalation_level: int = 0
    root_cause: str | None = None
    action_taken: str | None = None
    baseline_nps: int | None = None
    updated_at: datetime | None = None
    rule: str | None = None  # the rule's name (None once the rule was removed)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def overdue(self, now: datetime | None = None) -> bool:
        """Still open after its due time."""
        return self.is_open and now_utc(now) > self.due_at

    def to_dict(self, now: datetime | None = None) -> dict[str, Any]:
        """JSON-ready fields, with ``overdue`` at ``now``."""
        # Its fields are plain values: a shallow dict is enough (asdict deep-copies each
        # datetime, which was most of an API write's answer with a case in it).
        out: dict[str, Any] = plain({item.name: getattr(self, item.name) for item in fields(self)})
        out["rule"] = self.rule or self.rule_id
        out["overdue"] = self.overdue(now)
        return out


@dataclass(frozen=True)
class CaseEvent:
    """One entry of a case's timeline."""

    event_id: str
    case_id: str
    occurred_at: datetime
    actor: str
    kind: str
    from_status: str | None
    to_status: str | None
    text: str | None
    detail: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields (:func:`advocacy.records.plain`)."""
        out: dict[str, Any] = plain(asdict(self))
        return out


@dataclass(frozen=True)
class CaseDetail:
    """A case with its timeline and the evidence that opened it."""

    case: Case
    events: list[CaseEvent]
    evidence: dict[str, Any]

    def to_dict(self, now: datetime | None = None) -> dict[str, Any]:
        out = self.case.to_dict(now)
        out["events"] = [event.to_dict() for event in self.events]
        out["evidence"] = plain(self.evidence)
        return out


def _aware(value: Any) -> Any:
    if isinstance(value, datetime) and value.tzinfo is None:
        return now_utc(value.replace(tzinfo=now_utc().tzinfo))
    return value


def _select(where: str = "", tail: str = "") -> str:
    columns = ", ".join(f"c.{name}" for name in CASE_COLUMNS)
    return (
        f"SELECT {columns}, r.name FROM cases c "
        f"LEFT JOIN case_rules r ON r.rule_id = c.rule_id {where} {tail}"
    )


def _case(row: Sequence[Any]) -> Case:
    values = {name: _aware(value) for name, value in zip(CASE_COLUMNS, row, strict=False)}
    values["escalation_level"] = int(values["escalation_level"] or 0)
    if values["baseline_nps"] is not None:
        values["baseline_nps"] = int(values["baseline_nps"])
    return Case(**values, rule=row[len(CASE_COLUMNS)])


def check_access(case: Case, units: Sequence[str] | None) -> Case:
    """``case`` if a caller limited to ``units`` (None: every unit) may see it."""
    if not in_reach(case.unit, units):
        raise AccessDeniedError(
            f"case {case.case_id} belongs to unit {case.unit!r}, outside your units",
            value=case.case_id,
            fix="ask an analyst or a handler of that unit to work it",
        )
    return case


def find_case(db: Database, case_id: str, *, units: Sequence[str] | None = None) -> Case:
    """The case ``case_id`` (raises :class:`NotFoundError`, or AccessDeniedError off-unit)."""
    row = db.fetchone(_select("WHERE c.case_id = ?"), [case_id])
    if row is None:
        raise NotFoundError(
            f"no case {case_id!r}", value=case_id, fix="list cases with advocacy cases list"
        )
    return check_access(_case(row), units)


def list_cases(
    db: Database,
    *,
    customer_id: str | None = None,
    status: str | None = None,
    owner: str | None = None,
    units: Sequence[str] | None = None,
    rule_id: str | None = None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
    sort: str | None = None,
    descending: bool = False,
) -> list[Case]:
    """Cases, newest first (or by ``sort``), filtered by customer, status (or ``open``), owner,
    units and rule; ``offset`` and ``limit`` give one page of them (:func:`count_cases` counts
    them all).

    ``units`` limits the list to cases of those units (a case handler's view); None means all.

    Parameters
    ----------
    db
        The workspace database.
    customer_id
        Only this customer's cases.
    status
        Only cases in this status; ``"open"`` means new or contacted.
    owner
        Only cases assigned to this user.
    units
        Only cases of these units; None for all.
    rule_id
        Only cases opened by this rule.
    limit
        Most cases returned.
    offset
        How many cases of the order to skip first.
    sort
        A column of :data:`SORTABLE` to order by (ties newest first); None: newest first.
    descending
        Highest first (latest, for times; most urgent, for the priority).

    Returns
    -------
    list of Case
        The cases, newest first or in ``sort``'s order.

    Raises
    ------
    UsageError
        On an unknown ``status`` or ``sort``.

    Examples
    --------
    >>> import advocacy
    >>> ws = advocacy.open("advocacy.duckdb")  # doctest: +SKIP
    >>> [case.case_id for case in list_cases(ws.db, status="open", owner="ana")]  # doctest: +SKIP
    """
    where, params = _where(
        customer_id=customer_id, status=status, owner=owner, units=units, rule_id=rule_id
    )
    order = "c.opened_at DESC, c.case_id"
    if sort is not None:
        if sort not in SORTABLE:
            raise UsageError(
                f"cannot sort cases by {sort!r}",
                value=sort,
                parameter="sort",
                fix="use one of: " + ", ".join(SORTABLE),
            )
        order = f"{SORTABLE[sort]} {'DESC' if descending else 'ASC'} NULLS LAST, {order}"
    # The limit and offset are whole numbers written into the SQL, not bound: binding any
    # parameter makes DuckDB's Python client import pandas (~0.3 s), which listing cases need
    # not pay.
    rows = db.fetchall(
        _select(where, f"ORDER BY {order} LIMIT {int(limit)} OFFSET {max(0, int(offset))}"),
        params,
    )
    return [_case(row) for row in rows]


def cases_opened_together(
    db: Database, opened_at: datetime, *, actor: str, units: Sequence[str] | None = None
) -> list[Case]:
    """The cases one opening wrote: opened at ``opened_at`` by ``actor`` (their ``open`` event's).

    Every case of one batch opens at the same instant (:func:`~.opening.open_cases`), so a page
    that opened them can show them again after a redirect from the instant alone, without opening
    anything. ``units`` as in :func:`list_cases`.

    Parameters
    ----------
    db
        The workspace database.
    opened_at
        The instant the batch opened.
    actor
        Who opened it.
    units
        Only cases of these units; None for all.

    Returns
    -------
    list of Case
        The cases, by evidence kind and id.
    """
    where, params = _where(customer_id=None, status=None, owner=None, units=units, rule_id=None)
    batch = (
        "c.opened_at = ? AND EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.case_id "
        "AND e.kind = 'open' AND e.actor = ?)"
    )
    where = f"{where} AND {batch}" if where else f"WHERE {batch}"
    rows = db.fetchall(
        _select(where, "ORDER BY c.evidence_kind, c.evidence_id"), [*params, opened_at, actor]
    )
    return [_case(row) for row in rows]


def count_cases(
    db: Database,
    *,
    customer_id: str | None = None,
    status: str | None = None,
    owner: str | None = None,
    units: Sequence[str] | None = None,
    rule_id: str | None = None,
) -> int:
    """How many cases :func:`list_cases` would list with these filters and no limit.

    Parameters
    ----------
    db
        The workspace database.
    customer_id, status, owner, units, rule_id
        As :func:`list_cases` takes them.

    Returns
    -------
    int
        The number of cases.
    """
    where, params = _where(
        customer_id=customer_id, status=status, owner=owner, units=units, rule_id=rule_id
    )
    row = db.fetchone(f"SELECT count(*) FROM cases c {where}", params)
    return int(row[0]) if row else 0


def work_mark(db: Database) -> tuple[int, str]:
    """A fingerprint of the work done on cases: it changes when any case is worked (contacted,
    noted, reassigned, resolved, closed) or escalated, and not when a case opens (a case opens
    with ``updated_at`` at its opening; every change after sets it later).

    One query over the cases, far cheaper than :func:`advocacy.loop.cases.recovery.loop_results`:
    the web server keeps the loop's results until the mark (or the evidence) changes, so a
    case worked anywhere (this server, another of its processes, the CLI) shows in them on the
    next view, while the cases new evidence opens count as that evidence's other figures do.

    Parameters
    ----------
    db
        The workspace database.

    Returns
    -------
    tuple of (int, str)
        How many cases were changed after they opened, and the latest change (ISO text; empty
        before the first).
    """
    row = db.fetchone("SELECT count(*), max(updated_at) FROM cases WHERE updated_at > opened_at")
    if row is None:
        return (0, "")
    latest = _aware(row[1])
    return (int(row[0] or 0), latest.isoformat() if latest is not None else "")


def _where(
    *,
    customer_id: str | None,
    status: str | None,
    owner: str | None,
    units: Sequence[str] | None,
    rule_id: str | None,
) -> tuple[str, list[Any]]:
    """The WHERE clause (over ``cases c``) and its parameters for the list's filters."""
    clauses: list[str] = []
    params: list[Any] = []
    if status is not None:
        if status == "open":
            clauses.append("c.status IN ('new', 'contacted')")
        elif status in STATUSES:
            clauses.append("c.status = ?")
            params.append(status)
        else:
            raise UsageError(
                f"unknown case status {status!r}",
                value=status,
                parameter="status",
                fix="use one of: open, " + ", ".join(STATUSES),
            )
    for column, value in (("customer_id", customer_id), ("owner", owner), ("rule_id", rule_id)):
        if value is not None:
            clauses.append(f"c.{column} = ?")
            params.append(value)
    if units is not None:  # a case handler's units (advocacy.access.scope)
        inside, limit_units = unit_condition(units, column="c.unit")
        clauses.append(inside)
        params.extend(limit_units)
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params


def case_events(db: Database, case_id: str) -> list[CaseEvent]:
    """The timeline of ``case_id``, oldest first."""
    rows = db.fetchall(
        "SELECT event_id, case_id, occurred_at, actor, kind, from_status, to_status, text, detail "
        "FROM case_events WHERE case_id = ? ORDER BY occurred_at, event_id",
        [case_id],
    )
    return [
        CaseEvent(
            str(row[0]),
            str(row[1]),
            _aware(row[2]),
            str(row[3]),
            str(row[4]),
            row[5],
            row[6],
            row[7],
            json.loads(row[8]) if isinstance(row[8], str) else dict(row[8] or {}),
        )
        for row in rows
    ]


def _evidence(db: Database, case: Case) -> dict[str, Any]:
    if case.evidence_kind == "responses":
        sql = (
            "SELECT response_id AS id, submitted_at AS at, survey, touchpoint, channel, nps, "
            "comment AS text FROM responses WHERE response_id = ?"
        )
    elif case.evidence_kind == "mentions":
        sql = (
            "SELECT mention_id AS id, posted_at AS at, platform, author, rating, url, text "
            "FROM mentions WHERE mention_id = ?"
        )
    else:
        return {"id": case.evidence_id, "kind": case.evidence_kind, "text": case.summary}
    table = db.fetch_arrow(sql, [case.evidence_id]).to_pylist()
    return {"kind": case.evidence_kind, **(table[0] if table else {"id": case.evidence_id})}


def get_case(db: Database, case_id: str, *, units: Sequence[str] | None = None) -> CaseDetail:
    """Case ``case_id`` with its timeline and evidence (``units`` as in :func:`list_cases`)."""
    case = find_case(db, case_id, units=units)
    return CaseDetail(case, case_events(db, case_id), _evidence(db, case))


@dataclass(frozen=True)
class NewEvent:
    """A timeline entry to append to ``case`` (see :func:`add_events`)."""

    case: Case
    kind: str
    actor: str
    now: datetime
    to_status: str | None = None
    text: str | None = None
    detail: dict[str, Any] | None = None


def add_event(
    db: Database,
    case: Case,
    *,
    kind: str,
    actor: str,
    now: datetime,
    to_status: str | None = None,
    text: str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Append one timeline entry and its audit entry (``case.<kind>``) to ``case``."""
    add_events(db, [NewEvent(case, kind, actor, now, to_status, text, detail)])


def add_events(db: Database, events: Sequence[NewEvent]) -> None:
    """Append timeline entries and their audit entries: one insert per table for them all.

    The audit entries are written by :func:`advocacy.access.audit.record_audits`.
    """
    timeline: list[list[Any]] = []
    audit: list[AuditEntry] = []
    for event in events:
        case, detail = event.case, event.detail or {}
        timeline.append(
            [
                # Time-ordered ids keep a timeline's order when several changes share an instant.
                f"{time.time_ns():020d}{uuid.uuid4().hex[:8]}",
                case.case_id,
                event.now,
                event.actor,
                event.kind,
                case.status if event.to_status is not None and event.kind != "open" else None,
                event.to_status,
                event.text,
                json.dumps(detail, sort_keys=True, default=str),
            ]
        )
        change = {"from": case.status, "to": event.to_status or case.status, **detail}
        audit.append(
            new_entry(
                actor=event.actor,
                action=f"case.{event.kind}",
                target=case.case_id,
                detail=change,
                now=event.now,
            )
        )
    insert_rows(db, "case_events", _EVENT_COLUMNS, timeline)
    record_audits(db, audit)


__all__ = [
    "CASE_COLUMNS",
    "OPEN_STATUSES",
    "STATUSES",
    "Case",
    "CaseDetail",
    "CaseEvent",
    "NewEvent",
    "add_event",
    "add_events",
    "case_events",
    "cases_opened_together",
    "check_access",
    "count_cases",
    "find_case",
    "get_case",
    "list_cases",
    "work_mark",
]
