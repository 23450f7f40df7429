"""Cases: opened by the rules on incoming evidence, routed to an owner, due by a deadline.

:func:`open_cases_for` runs the enabled rules over new responses or mentions (the API and the
hosted survey call it on every write) and opens at most one case per piece of evidence: when
several rules fire on the same answer, the most urgent rule (then the first in the rules file)
opens it, so nobody works the same complaint twice. Running it again opens nothing new. The owner
comes from the rule's routes (unit, touchpoint or theme; first match wins) or its
``default_owner``; ``due_at`` is ``opened_at + due_hours``. :func:`escalate_overdue` raises a case's
escalation level each time its age passes another ``escalate_after_hours`` and hands it to the
rule's ``escalate_to``. Working a case (contact, note, resolve, close...) is in
:mod:`advocacy.loop.casework`. Every change writes a ``case_events`` row, an audit entry and,
where someone should hear of it, a notification, all in one transaction.
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from advocacy.access.audit import now_utc, record_audit
from advocacy.access.roles import AccessDeniedError
from advocacy.errors import NotFoundError, UsageError
from advocacy.loop.outbox import enqueue
from advocacy.loop.rules import PRIORITIES, TRIGGER_KINDS, Rule, list_rules
from advocacy.loop.triggers import Hit, TextSignals, check_kind, evaluate, load_evidence
from advocacy.settings import get_setting
from advocacy.store.connection import Database

STATUSES = ("new", "contacted", "resolved", "closed")
#: Statuses of a case someone still has to work.
OPEN_STATUSES = ("new", "contacted")
#: Escalation stops rising here (the owner has been replaced three times by then).
MAX_ESCALATION = 3
DEFAULT_LIMIT = 500

_COLUMNS = (
    "case_id", "rule_id", "customer_id", "status", "owner", "due_at", "opened_at", "unit",
    "evidence_kind", "evidence_id", "touchpoint", "theme", "employee_id", "priority", "summary",
    "first_contact_at", "resolved_at", "closed_at", "escalated_at", "escalation_level",
    "root_cause", "action_taken", "baseline_nps", "updated_at",
)  # fmt: skip


@dataclass(frozen=True)
class Case:
    """One case, as stored, with the name of the rule that opened it."""

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
        out = {
            key: value.isoformat() if isinstance(value, datetime) else value
            for key, value in asdict(self).items()
        }
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
        out = asdict(self)
        out["occurred_at"] = self.occurred_at.isoformat()
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
        out["evidence"] = {
            key: value.isoformat() if isinstance(value, datetime) else value
            for key, value in self.evidence.items()
        }
        return out


def _aware(value: Any) -> Any:
    if isinstance(value, datetime) and value.tzinfo is None:
        return now_utc(value.replace(tzinfo=now_utc().tzinfo))
    return value


def _select(where: str = "", tail: str = "") -> str:
    columns = ", ".join(f"c.{name}" for name in _COLUMNS)
    return (
        f"SELECT {columns}, r.name FROM cases c "
        f"LEFT JOIN case_rules r ON r.rule_id = c.rule_id {where} {tail}"
    )


def _case(row: Sequence[Any]) -> Case:
    values = {name: _aware(value) for name, value in zip(_COLUMNS, row, strict=False)}
    values["escalation_level"] = int(values["escalation_level"] or 0)
    if values["baseline_nps"] is not None:
        values["baseline_nps"] = int(values["baseline_nps"])
    return Case(**values, rule=row[len(_COLUMNS)])


def check_access(case: Case, units: Sequence[str] | None) -> Case:
    """``case`` if a caller limited to ``units`` (None: every unit) may see it."""
    if units is not None and case.unit not in set(units):
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
) -> list[Case]:
    """Cases, newest first, filtered by customer, status (or ``open``), owner, units and rule.

    ``units`` limits the list to cases of those units (a case handler's view); None means all.
    """
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
    if units is not None:
        if not units:
            return []
        clauses.append(f"c.unit IN ({', '.join('?' for _ in units)})")
        params.extend(units)
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    rows = db.fetchall(
        _select(where, "ORDER BY c.opened_at DESC, c.case_id LIMIT ?"), [*params, int(limit)]
    )
    return [_case(row) for row in rows]


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
    db.execute(
        "INSERT INTO case_events (event_id, case_id, occurred_at, actor, kind, from_status, "
        "to_status, text, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            # Time-ordered ids keep a timeline's order when several changes share one instant.
            f"{time.time_ns():020d}{uuid.uuid4().hex[:8]}",
            case.case_id,
            now,
            actor,
            kind,
            case.status if to_status is not None and kind != "open" else None,
            to_status,
            text,
            json.dumps(detail or {}, sort_keys=True, default=str),
        ],
    )
    record_audit(
        db,
        actor=actor,
        action=f"case.{kind}",
        target=case.case_id,
        detail={"from": case.status, "to": to_status or case.status, **(detail or {})},
        now=now,
    )


def owner_emails(db: Database, owners: Sequence[str | None]) -> list[str]:
    """E-mail addresses of the users named in ``owners`` (users without one are skipped)."""
    names = [name for name in owners if name]
    if not names:
        return []
    rows = db.fetchall(
        f"SELECT email FROM users WHERE username IN ({', '.join('?' for _ in names)}) "
        "AND email IS NOT NULL AND NOT disabled",
        names,
    )
    return [str(row[0]) for row in rows]


def notify(
    db: Database, case: Case, event: str, *, now: datetime, owners: Sequence[str | None] = ()
) -> list[str]:
    """Queue the ``event`` notification about ``case`` for its owner(s) and the webhooks."""
    link = str(get_setting("public_url") or "").rstrip("/")
    payload = {
        "case_id": case.case_id,
        "rule": case.rule or case.rule_id,
        "customer_id": case.customer_id,
        "owner": case.owner,
        "status": case.status,
        "unit": case.unit,
        "priority": case.priority,
        "summary": case.summary,
        "due_at": case.due_at.isoformat(),
        "url": f"{link}/cases/{case.case_id}" if link else None,
    }
    verb = event.split(".", 1)[-1]
    subject = f"Case {case.case_id} {verb}: {case.summary or case.rule_id}"
    return enqueue(
        db,
        event=event,
        subject=subject,
        payload=payload,
        emails=owner_emails(db, owners or (case.owner,)),
        now=now,
    )


def case_id_for(rule_id: str, kind: str, evidence_id: str) -> str:
    """A stable case id: the same evidence and rule always give the same id."""
    digest = hashlib.sha256(f"{rule_id}\x1f{kind}\x1f{evidence_id}".encode()).hexdigest()
    return "case-" + digest[:12]


def open_case(
    db: Database, rule: Rule, hit: Hit, *, now: datetime, actor: str, backfill: bool = False
) -> Case:
    """Insert the case ``rule`` opens for ``hit``, with its event, audit entry and notification."""
    evidence = hit.evidence
    opened = now
    if backfill and evidence.occurred_at is not None and evidence.occurred_at < now:
        opened = now_utc(evidence.occurred_at)
    routing = {"unit": evidence.unit, "touchpoint": evidence.touchpoint, "theme": hit.theme}
    case = Case(
        case_id=case_id_for(rule.rule_id, evidence.kind, evidence.evidence_id),
        rule_id=rule.rule_id,
        customer_id=evidence.customer_id,
        status="new",
        owner=rule.owner_for(routing),
        due_at=opened + timedelta(hours=rule.due_hours),
        opened_at=opened,
        unit=evidence.unit,
        evidence_kind=evidence.kind,
        evidence_id=evidence.evidence_id,
        touchpoint=evidence.touchpoint,
        theme=hit.theme,
        employee_id=evidence.employee_id,
        priority=rule.priority,
        summary=hit.summary,
        baseline_nps=hit.baseline_nps,
        updated_at=opened,
        rule=rule.name,
    )
    values = asdict(case)
    values.pop("rule")
    db.execute(
        f"INSERT INTO cases ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' for _ in _COLUMNS)})",
        [values[name] for name in _COLUMNS],
    )
    add_event(
        db,
        case,
        kind="open",
        actor=actor,
        now=opened,
        to_status="new",
        text=hit.summary,
        detail={"rule": rule.rule_id, "owner": case.owner},
    )
    notify(db, case, "case.opened", now=opened)
    return case


def _already_opened(db: Database, kind: str, ids: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        rows = db.fetchall(
            f"SELECT evidence_id FROM cases WHERE evidence_kind = ? AND evidence_id IN "
            f"({', '.join('?' for _ in chunk)})",
            [kind, *chunk],
        )
        found.update(str(row[0]) for row in rows)
    return found


def by_urgency(rules: Sequence[Rule]) -> list[Rule]:
    """``rules`` most urgent first, keeping the written order among equals."""
    rank = {name: position for position, name in enumerate(reversed(PRIORITIES))}
    return sorted(rules, key=lambda rule: rank.get(rule.priority, len(PRIORITIES)))


def open_cases_for(
    db: Database,
    kind: str,
    ids: Sequence[str],
    *,
    now: datetime | None = None,
    actor: str = "rules",
    backfill: bool = False,
    rules: Sequence[Rule] | None = None,
) -> list[Case]:
    """Run the enabled case rules over new evidence and open the cases they call for.

    Parameters
    ----------
    db
        The workspace database; runs in one transaction (an outer one wins).
    kind
        ``"responses"`` or ``"mentions"``.
    ids
        Ids of the records to check (response_id or mention_id); unknown ids are skipped.
    now
        The clock: cases open at ``now`` and are due ``due_hours`` later.
    actor
        Who opened them, for the timeline and the audit log.
    backfill
        Open each case at its evidence's own time (for history loaded in bulk, e.g. the demo).
    rules
        Rules to run instead of the stored enabled ones.

    Returns
    -------
    list of Case
        The cases opened now (none for evidence that already has a case).
    """
    check_kind(kind)
    if not ids:
        return []
    moment = now_utc(now)
    chosen = list_rules(db, enabled_only=True) if rules is None else list(rules)
    active = [
        rule for rule in by_urgency(chosen) if rule.enabled and kind in TRIGGER_KINDS[rule.trigger]
    ]
    if not active:
        return []
    opened: list[Case] = []
    with db.transaction():
        evidence = load_evidence(db, kind, ids)
        taken = _already_opened(db, kind, [item.evidence_id for item in evidence])
        fresh = [item for item in evidence if item.evidence_id not in taken]
        signals = TextSignals(fresh)
        for rule in active:
            for hit in evaluate(db, rule, fresh, signals):
                if hit.evidence.evidence_id in taken:
                    continue
                taken.add(hit.evidence.evidence_id)
                opened.append(open_case(db, rule, hit, now=moment, actor=actor, backfill=backfill))
    return opened


def open_cases_for_import(
    db: Database,
    kind: str,
    import_id: str,
    *,
    now: datetime | None = None,
    actor: str = "rules",
) -> list[Case]:
    """Run the rules over the records of ``kind`` written by import ``import_id``.

    For a write of any kind: kinds the rules do not read (e.g. transactions) open nothing.
    """
    if kind not in TRIGGER_KINDS["theme_sentiment"]:
        return []
    key = "response_id" if kind == "responses" else "mention_id"
    ids = [
        str(row[0])
        for row in db.fetchall(f"SELECT {key} FROM {kind} WHERE source = ?", [import_id])
    ]
    return open_cases_for(db, kind, ids, now=now, actor=actor)


def escalate_overdue(
    db: Database, now: datetime | None = None, *, actor: str = "sweep"
) -> list[Case]:
    """Escalate open cases that aged past their rule's ``escalate_after_hours`` (again at 2x...).

    Each escalation raises ``escalation_level``, sets ``escalated_at``, hands the case to the
    rule's ``escalate_to`` (when set), and notifies the old and the new owner.
    """
    moment = now_utc(now)
    rules = {rule.rule_id: rule for rule in list_rules(db)}
    escalated: list[Case] = []
    with db.transaction():
        for case in list_cases(db, status="open", limit=1_000_000):
            rule = rules.get(case.rule_id)
            if rule is None or not rule.escalate_after_hours:
                continue
            age = (moment - case.opened_at).total_seconds() / 3600.0
            level = min(int(age // rule.escalate_after_hours), MAX_ESCALATION)
            if level <= case.escalation_level:
                continue
            owner = rule.escalate_to or case.owner
            db.execute(
                "UPDATE cases SET escalation_level = ?, escalated_at = ?, owner = ?, "
                "updated_at = ? WHERE case_id = ?",
                [level, moment, owner, moment, case.case_id],
            )
            add_event(
                db,
                case,
                kind="escalate",
                actor=actor,
                now=moment,
                text=f"open {age:.0f} h; escalation level {level}",
                detail={"level": level, "from_owner": case.owner, "owner": owner},
            )
            changed = find_case(db, case.case_id)
            notify(db, changed, "case.escalated", now=moment, owners=(case.owner, owner))
            escalated.append(changed)
    return escalated
