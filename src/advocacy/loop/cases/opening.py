"""Opening cases: the rules run on incoming evidence, and each hit becomes one case.

:func:`open_cases_for` runs the enabled rules over new responses or mentions (the API and the
hosted survey call it on every write) and opens at most one case per piece of evidence: when
several rules fire on the same answer, the most urgent rule (then the first in the rules file)
opens it, so nobody works the same complaint twice. Running it again opens nothing new. The owner
comes from the rule's routes (unit, touchpoint or theme; first match wins) or its
``default_owner``; ``due_at`` is ``opened_at + due_hours``. Evidence that names no unit takes
its customer's (:func:`advocacy.loop.cases.customer_units.latest_units`), so it reaches that
unit's owner. The cases of a batch are written with their ``open`` events, audit entries and
notifications by :func:`open_cases`, one insert per table, in the caller's transaction.

A unique index keeps one case per piece of evidence (migration 0016). Two writers that chose
their cases before either committed (two ``Workspace`` objects on one DuckDB file in one process;
PostgreSQL's openers take turns on a lock instead) then meet it: the later one's transaction
fails, and :func:`again_if_opened_meanwhile` runs it again, which sees the other's case and
counts that evidence as already open.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from functools import partial
from typing import TypeVar

import duckdb

from advocacy.access.audit import now_utc
from advocacy.errors import WorkspaceError
from advocacy.loop.cases.customer_units import latest_units
from advocacy.loop.cases.rule_store import list_rules
from advocacy.loop.cases.rules import PRIORITIES, TRIGGER_KINDS, Rule
from advocacy.loop.cases.store import CASE_COLUMNS, Case, NewEvent, add_events
from advocacy.loop.cases.triggers import (
    Evidence,
    Hit,
    TextSignals,
    check_kind,
    evaluate,
    load_evidence,
)
from advocacy.loop.notify.case_notifications import notify_many
from advocacy.settings import Settings
from advocacy.store.connection import Database
from advocacy.store.multi_row import insert_rows
from advocacy.text.documents import stored_languages

Opened = TypeVar("Opened")
#: The unique index of a case's evidence (migration 0016).
EVIDENCE_INDEX = "cases_evidence"


def case_id_for(rule_id: str, kind: str, evidence_id: str) -> str:
    """A stable case id: the same evidence and rule always give the same id."""
    digest = hashlib.sha256(f"{rule_id}\x1f{kind}\x1f{evidence_id}".encode()).hexdigest()
    return "case-" + digest[:12]


def _new_case(rule: Rule, hit: Hit, *, now: datetime, backfill: bool) -> Case:
    evidence = hit.evidence
    opened = now
    if backfill and evidence.occurred_at is not None and evidence.occurred_at < now:
        opened = now_utc(evidence.occurred_at)
    routing = {"unit": evidence.unit, "touchpoint": evidence.touchpoint, "theme": hit.theme}
    return Case(
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


def open_cases(
    db: Database,
    hits: Sequence[tuple[Rule, Hit]],
    *,
    now: datetime,
    actor: str,
    settings: Settings,
    backfill: bool = False,
    dry_run: bool = False,
) -> list[Case]:
    """Insert the case each rule opens for its hit, with its event, audit entry and notification.

    A batch costs one multi-row insert per table (``cases``, ``case_events``, ``audit_log``,
    ``outbox``) and one look-up of the owners' e-mail addresses, whatever its size; the rows are
    those opening the cases one at a time would write. ``backfill`` opens each case at its
    evidence's own time; ``settings`` (the workspace's) say whom the notifications go to and
    where their links point. ``dry_run`` returns the cases without writing anything.

    Hits whose evidence has a case by now (another process opened it since they were chosen)
    open none: the returned cases are those written. On PostgreSQL the transactions opening
    cases take turns, from here to their commit.
    """
    if not dry_run:
        hits = _still_without_case(db, hits)
    cases = [_new_case(rule, hit, now=now, backfill=backfill) for rule, hit in hits]
    if dry_run or not cases:
        return cases
    # The fields are plain values: read them (asdict deep-copied every datetime of each case).
    rows = [[getattr(case, name) for name in CASE_COLUMNS] for case in cases]
    insert_rows(db, "cases", CASE_COLUMNS, rows)
    add_events(
        db,
        [
            NewEvent(
                case,
                "open",
                actor,
                case.opened_at,
                to_status="new",
                text=hit.summary,
                detail={"rule": rule.rule_id, "owner": case.owner},
            )
            for case, (rule, hit) in zip(cases, hits, strict=True)
        ],
    )
    notify_many(db, cases, "case.opened", settings=settings)
    return cases


#: The key of the PostgreSQL lock that lets one transaction at a time open cases.
OPENING_LOCK = "advocacy.cases.opening"


def _still_without_case(db: Database, hits: Sequence[tuple[Rule, Hit]]) -> list[tuple[Rule, Hit]]:
    """``hits`` whose evidence still has no case, checked under the opening lock.

    Cases may be chosen in one transaction (or none: a backfill chooses read-only, then asks)
    while another process opens cases on the same evidence: an import, an API write, another
    backfill. On PostgreSQL the transactions that open cases take turns (an advisory lock held
    to their commit), so this look-up sees every case committed before; DuckDB writes one
    transaction at a time already. Without it, both would open a case on the same answer.
    """
    if not hits:
        return []
    if db.dialect == "postgres":
        db.execute("SELECT pg_advisory_xact_lock(hashtext(?))", [OPENING_LOCK])
    by_kind: dict[str, list[str]] = {}
    for _, hit in hits:
        by_kind.setdefault(hit.evidence.kind, []).append(hit.evidence.evidence_id)
    taken = {
        (kind, evidence_id)
        for kind, ids in by_kind.items()
        for evidence_id in evidence_with_cases(db, kind, ids)
    }
    return [
        pair for pair in hits if (pair[1].evidence.kind, pair[1].evidence.evidence_id) not in taken
    ]


def evidence_with_cases(db: Database, kind: str, ids: Sequence[str]) -> set[str]:
    """The ids among ``ids`` of the evidence of ``kind`` that already has a case."""
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


def opened_meanwhile(error: BaseException) -> bool:
    """Whether ``error`` is the evidence index refusing a case another writer opened first.

    DuckDB refuses the insert when the other case was committed before it, and the commit
    otherwise (naming neither table nor index: a transaction that opens cases writes no other
    table with a unique index); PostgreSQL names the index.
    """
    text = str(error).lower()
    if isinstance(error, duckdb.ConstraintException):
        return "duplicate key" in text and "evidence_kind" in text
    if isinstance(error, duckdb.TransactionException):
        return "failed to commit" in text and "unique constraint" in text
    diagnosis = getattr(error, "diag", None)  # psycopg's UniqueViolation (SQLSTATE 23505)
    return getattr(diagnosis, "constraint_name", None) == EVIDENCE_INDEX


def again_if_opened_meanwhile(attempt: Callable[[], Opened]) -> Opened:
    """Run ``attempt``, and once more if another writer opened a case on its evidence meanwhile.

    ``attempt`` chooses and opens cases in its own transaction. When another writer committed a
    case on the same evidence after ``attempt`` chose it, the evidence index refuses the second
    case and the transaction rolls back; run again, ``attempt`` sees that case and opens none
    for it, as for any evidence already open. Inside a caller's transaction nothing can run
    again (the caller's transaction is the one refused): the error says to run it again.

    Parameters
    ----------
    attempt
        Chooses and opens the cases in its own transaction (an outer one wins).

    Returns
    -------
    The result of the attempt that committed.

    Raises
    ------
    WorkspaceError
        When the attempt ran in a caller's transaction (or failed so twice): nothing of it was
        written.
    """
    try:
        return attempt()
    except Exception as error:
        if not opened_meanwhile(error):
            raise
        first = error
    try:
        return attempt()
    except Exception as error:
        # A caller's transaction stays refused ("aborted"); a second refusal is a third writer.
        if not (opened_meanwhile(error) or "aborted" in str(error).lower()):
            raise
        raise WorkspaceError(
            "another writer opened a case on the same evidence while these cases were chosen, "
            f"so nothing was written ({first})",
            fix="run it again: evidence that has a case by then opens none",
        ) from first


def with_customer_units(db: Database, evidence: Sequence[Evidence]) -> list[Evidence]:
    """``evidence`` with each missing unit taken from its customer's latest known unit."""
    lacking = [item.customer_id for item in evidence if item.unit is None and item.customer_id]
    if not lacking:
        return list(evidence)
    units = latest_units(db, lacking)
    return [
        replace(item, unit=units.get(str(item.customer_id)))
        if item.unit is None and item.customer_id
        else item
        for item in evidence
    ]


def by_urgency(rules: Sequence[Rule]) -> list[Rule]:
    """``rules`` most urgent first, keeping the written order among equals."""
    rank = {name: position for position, name in enumerate(reversed(PRIORITIES))}
    return sorted(rules, key=lambda rule: rank.get(rule.priority, len(PRIORITIES)))


def open_cases_for(
    db: Database,
    kind: str,
    ids: Sequence[str],
    *,
    settings: Settings,
    now: datetime | None = None,
    actor: str = "rules",
    backfill: bool = False,
    rules: Sequence[Rule] | None = None,
    dry_run: bool = False,
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
    settings
        The workspace's settings (``ws.settings``): the notifications of the new cases go out
        with them.
    now
        The clock: cases open at ``now`` and are due ``due_hours`` later.
    actor
        Who opened them, for the timeline and the audit log.
    backfill
        Open each case at its evidence's own time (for history loaded in bulk, e.g. the demo).
    rules
        Rules to run instead of the stored enabled ones.
    dry_run
        Return the cases the rules would open, and write nothing.

    Returns
    -------
    list of Case
        The cases opened now, or with ``dry_run`` those that would open (none for evidence
        that already has a case).

    Examples
    --------
    >>> import advocacy
    >>> ws = advocacy.open("advocacy.duckdb")  # doctest: +SKIP
    >>> cases = open_cases_for(  # doctest: +SKIP
    ...     ws.db, "responses", ["r-1001"], settings=ws.settings
    ... )
    """
    check_kind(kind)
    if not ids:
        return []
    moment = now_utc(now)

    def attempt() -> list[Case]:
        with db.transaction():
            chosen_hits = choose_hits(db, kind, ids, rules=rules)
            if not chosen_hits:
                return []
            return open_cases(
                db, chosen_hits, now=moment, actor=actor, settings=settings, backfill=backfill,
                dry_run=dry_run,
            )  # fmt: skip

    return again_if_opened_meanwhile(attempt)


def choose_hits(
    db: Database, kind: str, ids: Sequence[str], *, rules: Sequence[Rule] | None = None
) -> list[tuple[Rule, Hit]]:
    """The case each piece of evidence among ``ids`` would open: its most urgent rule's hit.

    Evidence that already has a case opens none; nothing is written. ``rules`` replace the
    stored enabled ones (:func:`open_cases_for` opens what this chooses).
    """
    check_kind(kind)
    if not ids:
        return []
    chosen = list_rules(db, enabled_only=True) if rules is None else list(rules)
    active = [
        rule for rule in by_urgency(chosen) if rule.enabled and kind in TRIGGER_KINDS[rule.trigger]
    ]
    if not active:
        return []
    chosen_hits: list[tuple[Rule, Hit]] = []
    evidence = with_customer_units(db, load_evidence(db, kind, ids))
    taken = evidence_with_cases(db, kind, [item.evidence_id for item in evidence])
    fresh = [item for item in evidence if item.evidence_id not in taken]
    signals = TextSignals(fresh, language_prior=partial(stored_languages, db))
    for rule in active:
        for hit in evaluate(db, rule, fresh, signals):
            if hit.evidence.evidence_id in taken:
                continue
            taken.add(hit.evidence.evidence_id)
            chosen_hits.append((rule, hit))
    return chosen_hits


__all__ = [
    "EVIDENCE_INDEX",
    "again_if_opened_meanwhile",
    "by_urgency",
    "case_id_for",
    "choose_hits",
    "evidence_with_cases",
    "open_cases",
    "open_cases_for",
    "opened_meanwhile",
    "with_customer_units",
]
