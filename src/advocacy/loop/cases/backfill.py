"""Cases over evidence that arrives in bulk: a file import, and evidence already stored.

``advocacy import`` runs the enabled case rules over the responses and mentions it wrote, in
the import's transaction (:func:`open_cases_for_import`), as ``POST /api/v1/<kind>`` and survey
submissions do. An import is often history, though: a year of answers loaded on the first day
would open a case for every old detractor, and nobody calls a customer back about last spring.
So at import, evidence **dated more than** :data:`IMPORT_WINDOW_DAYS` **days before now opens
no case**; the result counts it, and :func:`open_cases_since` (``advocacy cases open --since
DATE``) opens cases over stored evidence of the dates a user chooses. Evidence without a date
is taken as arriving now, as the API takes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from advocacy.access.audit import now_utc
from advocacy.errors import UsageError
from advocacy.loop.cases.opening import open_cases_for
from advocacy.loop.cases.rule_store import list_rules
from advocacy.loop.cases.rules import TRIGGER_KINDS
from advocacy.loop.cases.store import Case
from advocacy.loop.cases.triggers import EVIDENCE_COLUMNS, check_kind
from advocacy.settings import Settings
from advocacy.store.connection import Database

#: At import, evidence dated more than this many days before now opens no case (a backfill).
IMPORT_WINDOW_DAYS = 30


@dataclass(frozen=True)
class BulkCases:
    """What the case rules did with evidence that arrived in bulk.

    Attributes
    ----------
    cases
        The cases opened.
    checked
        Records the rules ran over.
    too_old
        Records dated before ``since``: the rules did not run on them (an import's window).
    since
        The start of the window (None: every record was checked).
    window_days
        The window's length in days (None: no window).
    rules
        Ids of the enabled rules that read this kind of evidence (none: no case can open).
    """

    cases: tuple[Case, ...]
    checked: int
    too_old: int = 0
    since: datetime | None = None
    window_days: int | None = None
    rules: tuple[str, ...] = field(default=())

    def by_rule(self) -> dict[str, int]:
        """Cases opened per rule id, in the order the rules opened them."""
        counts: dict[str, int] = {}
        for case in self.cases:
            counts[case.rule_id] = counts.get(case.rule_id, 0) + 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        """The counts as plain values (``advocacy import --format json`` prints them)."""
        return {
            "opened": len(self.cases),
            "by_rule": self.by_rule(),
            "checked": self.checked,
            "too_old": self.too_old,
            "since": None if self.since is None else self.since.isoformat(),
            "window_days": self.window_days,
            "rules": list(self.rules),
        }


def _rules_reading(db: Database, kind: str) -> tuple[str, ...]:
    return tuple(
        rule.rule_id
        for rule in list_rules(db, enabled_only=True)
        if kind in TRIGGER_KINDS.get(rule.trigger, ())
    )


def open_cases_for_import(
    db: Database,
    kind: str,
    import_id: str,
    *,
    settings: Settings,
    window_days: int | None = IMPORT_WINDOW_DAYS,
    now: datetime | None = None,
    actor: str = "rules",
) -> BulkCases:
    """Run the enabled case rules over the records of ``kind`` written by import ``import_id``.

    Parameters
    ----------
    db
        The workspace database; call it inside the import's transaction to commit both together.
    kind
        What the import wrote; kinds the rules do not read (e.g. transactions) open nothing.
    import_id
        The import (``ImportResult.import_id``, ``WriteResult.import_id``).
    settings
        The workspace's settings: the new cases' notifications go out with them.
    window_days
        Records dated more than this many days before ``now`` open no case and are counted in
        ``too_old`` (None: no window, every record is checked).
    now
        The clock: the window ends and the cases open at ``now``.
    actor
        Who opened the cases, for the timeline and the audit log.

    Returns
    -------
    BulkCases
        The cases opened, the records checked and those left out as too old.
    """
    if kind not in EVIDENCE_COLUMNS:
        return BulkCases((), 0)
    if window_days is not None and window_days < 0:
        raise UsageError(
            "the case window must be 0 days or more",
            value=window_days,
            parameter="window_days",
            fix="pass the number of days back from today whose evidence may open a case",
        )
    moment = now_utc(now)
    key, at, _ = EVIDENCE_COLUMNS[kind]
    since = None if window_days is None else moment - timedelta(days=window_days)
    if since is None:
        rows = db.fetchall(f"SELECT {key}, TRUE FROM {kind} WHERE source = ?", [import_id])
    else:
        rows = db.fetchall(
            f"SELECT {key}, {at} IS NULL OR {at} >= ? FROM {kind} WHERE source = ?",
            [since, import_id],
        )
    recent = [str(row[0]) for row in rows if row[1]]
    cases = open_cases_for(db, kind, recent, settings=settings, now=moment, actor=actor)
    return BulkCases(
        tuple(cases), len(recent), len(rows) - len(recent), since, window_days,
        _rules_reading(db, kind),
    )  # fmt: skip


def open_cases_since(
    db: Database,
    since: datetime,
    *,
    settings: Settings,
    until: datetime | None = None,
    kinds: Sequence[str] = ("responses", "mentions"),
    now: datetime | None = None,
    actor: str = "rules",
) -> dict[str, BulkCases]:
    """Run the enabled case rules over the stored evidence dated from ``since`` (a backfill).

    Evidence that already has a case opens none; the cases open now (due ``due_hours`` later),
    as if the evidence had just arrived. Evidence without a date is left out.

    Parameters
    ----------
    db
        The workspace database; everything commits in one transaction.
    since, until
        The dates of the evidence to check: from ``since`` (included) to ``until`` (excluded;
        None: no end).
    settings
        The workspace's settings: the new cases' notifications go out with them.
    kinds
        ``responses``, ``mentions`` or both.
    now
        The clock: the cases open at ``now``.
    actor
        Who opened the cases, for the timeline and the audit log.

    Returns
    -------
    dict of str to BulkCases
        Per kind, the cases opened and the records checked.
    """
    moment = now_utc(now)
    start = now_utc(since)
    end = None if until is None else now_utc(until)
    if end is not None and end <= start:
        raise UsageError(
            "the end of the dates to check must come after their start",
            value=f"{start:%Y-%m-%d} to {end:%Y-%m-%d}",
            parameter="until",
            fix="give --until a later date than --since, or leave it out",
        )
    found: dict[str, BulkCases] = {}
    with db.transaction():
        for kind in kinds:
            key, at, _ = EVIDENCE_COLUMNS[check_kind(kind)]
            query = f"SELECT {key} FROM {kind} WHERE {at} >= ?"
            params: list[Any] = [start]
            if end is not None:
                query += f" AND {at} < ?"
                params.append(end)
            ids = [str(row[0]) for row in db.fetchall(query + f" ORDER BY {at}, {key}", params)]
            cases = open_cases_for(db, kind, ids, settings=settings, now=moment, actor=actor)
            found[kind] = BulkCases(
                tuple(cases), len(ids), since=start, rules=_rules_reading(db, kind)
            )
    return found


__all__ = ["IMPORT_WINDOW_DAYS", "BulkCases", "open_cases_for_import", "open_cases_since"]
