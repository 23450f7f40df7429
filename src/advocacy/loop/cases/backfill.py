"""Cases over evidence that arrives in bulk: a file import, and evidence already stored.

``advocacy import`` runs the enabled case rules over the responses and mentions it wrote, in
the import's transaction (:func:`open_cases_for_import`), as ``POST /api/v1/<kind>`` and survey
submissions do. An import is often history, though: a year of answers loaded on the first day
would open a case for every old detractor, and nobody calls a customer back about last spring.
So at import, evidence **dated more than** :data:`IMPORT_WINDOW_DAYS` **days before now opens
no case**; the result counts it, and :func:`open_cases_since` (``advocacy cases open --since
DATE``) opens cases over stored evidence of the dates a user chooses. **Evidence without a
date opens no case on import**: its age is unknown, so it may be as old as the history the
window leaves out; the result counts it (``undated``), and a backfill checks it only when asked
(``include_undated``: ``advocacy cases open --include-undated``), counting it either way. (A
live API write or survey submission arrives now, whatever its fields say: it opens its case
as it arrives.) Evidence dated more than a day ahead (a day and month swapped, a wrong year)
opens cases as new evidence, but an import counts it so the user sees it.

A backfill's dates without a time zone are read in the workspace's (the ``timezone`` setting),
as an import reads a file's times, so a day is the user's day. It chooses every case before it
opens any, reading only: ``dry_run`` says what each rule would open, and ``at_most`` refuses a
backfill that would open more (``advocacy cases open`` asks before opening more than 500). The
question is asked outside any transaction; the cases then open in a short one, which leaves
out the evidence that got a case meanwhile (an import, an API write:
:func:`advocacy.loop.cases.opening.open_cases`).

An import also names the enabled rules whose parameters differ from the shipped rule of the
same id (a workspace that stored the rules of an older release): the user decides whether to
reload them; nothing changes their rules silently.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from advocacy.access.audit import now_utc
from advocacy.errors import UsageError
from advocacy.loop.cases.import_lines import CASES_AT_ONCE
from advocacy.loop.cases.opening import again_if_opened_meanwhile, choose_hits, open_cases
from advocacy.loop.cases.rule_format import default_rules
from advocacy.loop.cases.rule_store import list_rules
from advocacy.loop.cases.rules import TRIGGER_KINDS, Rule
from advocacy.loop.cases.store import Case
from advocacy.loop.cases.triggers import EVIDENCE_COLUMNS, Hit, check_kind
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
        Records the rules ran over (undated ones only when ``undated_checked``).
    too_old
        Records dated before ``since``: the rules did not run on them (an import's window).
    since
        The start of the window (None: every record was checked).
    window_days
        The window's length in days (None: no window).
    rules
        Ids of the enabled rules that read this kind of evidence (none: no case can open).
    undated
        Records without a date: among ``checked`` when ``undated_checked`` (a backfill asked
        to include them), else left out (an import: their age is unknown).
    future
        Records dated more than a day after now among ``checked`` (a wrong date format?).
    until
        The end of a backfill's dates (excluded; None: no end).
    undated_checked
        Whether the records without a date were checked (only a backfill asked to).
    differ
        Ids of the enabled rules reading this kind whose parameters differ from the shipped
        rule of the same id (older shipped thresholds, or the user's own).
    dry_run
        Whether ``cases`` only would open (nothing was written).
    timezone
        The workspace's time zone, in which the lines for people state ``since``.
    withheld
        Per rule, the cases an import would have opened but did not, because they were more
        than :data:`CASES_AT_ONCE` (empty: none withheld).
    withheld_since
        The first day (``YYYY-MM-DD`` in ``timezone``) of the evidence of ``withheld``: the
        ``--since`` of the backfill that opens them.
    """

    cases: tuple[Case, ...]
    checked: int
    too_old: int = 0
    since: datetime | None = None
    window_days: int | None = None
    rules: tuple[str, ...] = field(default=())
    undated: int = 0
    future: int = 0
    until: datetime | None = None
    undated_checked: bool = False
    differ: tuple[str, ...] = field(default=())
    dry_run: bool = False
    timezone: str = "UTC"
    withheld: dict[str, int] = field(default_factory=dict)
    withheld_since: str | None = None

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
            "undated": self.undated,
            "undated_checked": self.undated_checked,
            "future": self.future,
            "until": None if self.until is None else self.until.isoformat(),
            "differ_from_shipped": list(self.differ),
            "dry_run": self.dry_run,
            "since_local": None if self.since is None else _in_zone(self.since, self.timezone),
            "timezone": self.timezone,
            "withheld": dict(self.withheld),
            "withheld_since": self.withheld_since,
        }


def _in_zone(moment: datetime, timezone: str) -> str:
    """``moment`` as ``YYYY-MM-DD HH:MM`` in ``timezone`` (the lines for people)."""
    return f"{moment.astimezone(ZoneInfo(timezone)):%Y-%m-%d %H:%M}"


def window_start(moment: datetime, window_days: int | None) -> datetime | None:
    """The start of a case window of ``window_days`` ending at ``moment``.

    None when there is no window, and when the window reaches before the first representable
    date (a window of 800,000 days): every record is then in it, as with no window.
    """
    if window_days is None:
        return None
    try:
        return moment - timedelta(days=window_days)
    except OverflowError:
        return None


def _rules_reading(db: Database, kind: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The enabled rules reading ``kind``, and those of them unlike the shipped rule (params)."""
    rules = [
        rule
        for rule in list_rules(db, enabled_only=True)
        if kind in TRIGGER_KINDS.get(rule.trigger, ())
    ]
    shipped = {rule.rule_id: rule for rule in default_rules()}
    differ = tuple(
        rule.rule_id
        for rule in rules
        if rule.rule_id in shipped
        and (rule.trigger, dict(rule.params))
        != (shipped[rule.rule_id].trigger, dict(shipped[rule.rule_id].params))
    )
    return tuple(rule.rule_id for rule in rules), differ


def open_cases_for_import(
    db: Database,
    kind: str,
    import_id: str,
    *,
    settings: Settings,
    window_days: int | None = IMPORT_WINDOW_DAYS,
    now: datetime | None = None,
    actor: str = "rules",
    dry_run: bool = False,
    at_most: int | None = CASES_AT_ONCE,
) -> BulkCases | None:
    """Run the enabled case rules over the records of ``kind`` written by import ``import_id``.

    Parameters
    ----------
    db
        The workspace database; call it inside the import's transaction to commit both together.
    kind
        What the import wrote; for kinds no rule can read (customers, transactions, ...)
        nothing runs and the result is None.
    import_id
        The import (``ImportResult.import_id``, ``WriteResult.import_id``).
    settings
        The workspace's settings: the new cases' notifications go out with them.
    window_days
        Records dated more than this many days before ``now`` open no case and are counted in
        ``too_old`` (None, or a window reaching before the first representable date: no
        window, every dated record is checked). Undated records open none either, whatever
        the window: they are counted in ``undated``.
    now
        The clock: the window ends and the cases open at ``now``.
    actor
        Who opened the cases, for the timeline and the audit log.
    dry_run
        Say what would open (the check of an import); write nothing.
    at_most
        The most cases that open at once; more open none and are counted in ``withheld``
        (None: no bound, the user's yes to open them all).

    Returns
    -------
    BulkCases or None
        The cases opened, the records checked and those left out as too old or undated
        (None: ``kind`` is not evidence a rule reads). When more than ``at_most`` cases would open,
        none opens (every way in, as ``advocacy cases open`` asks first): ``withheld`` counts
        them per rule, and ``withheld_since`` is the day from which a backfill opens them.
    """
    if kind not in EVIDENCE_COLUMNS:
        return None
    if window_days is not None and window_days < 0:
        raise UsageError(
            "the case window must be 0 days or more",
            value=window_days,
            parameter="window_days",
            fix="pass the number of days back from today whose evidence may open a case",
        )
    moment = now_utc(now)
    key, at, _ = EVIDENCE_COLUMNS[kind]
    since = window_start(moment, window_days)
    if since is None:
        window_days = None  # a window reaching before any date is no window
    rows = db.fetchall(f"SELECT {key}, {at} FROM {kind} WHERE source = ?", [import_id])
    dated = [(str(row[0]), now_utc(row[1])) for row in rows if row[1] is not None]
    recent = [(key, at) for key, at in dated if since is None or at >= since]
    ahead = moment + timedelta(days=1)

    def attempt() -> tuple[list[Case], dict[str, int]]:
        with db.transaction():
            hits = choose_hits(db, kind, [key for key, _ in recent])
            withheld = _by_rule(hits) if at_most is not None and len(hits) > at_most else {}
            return [] if withheld or not hits else open_cases(
                db, hits, now=moment, actor=actor, settings=settings, dry_run=dry_run
            ), withheld  # fmt: skip

    cases, withheld = again_if_opened_meanwhile(attempt)
    first = min((at for _, at in recent), default=moment)
    rules, differ = _rules_reading(db, kind)
    return BulkCases(
        tuple(cases), len(recent), len(dated) - len(recent), since, window_days, rules,
        undated=len(rows) - len(dated), undated_checked=False,
        future=sum(at > ahead for _, at in recent), differ=differ,
        dry_run=dry_run, timezone=settings.timezone, withheld=withheld,
        withheld_since=f"{first.astimezone(ZoneInfo(settings.timezone)):%Y-%m-%d}"
        if withheld else None,
    )  # fmt: skip


def _too_many(would_open: dict[str, dict[str, int]], at_most: int) -> UsageError:
    """The refusal of a backfill that would open more than ``at_most`` cases, counts named."""
    total = sum(sum(rules.values()) for rules in would_open.values())
    named = "; ".join(
        f"{kind}: " + ", ".join(f"{rule} {count:,}" for rule, count in rules.items())
        for kind, rules in would_open.items()
        if rules
    )
    return UsageError(
        f"this backfill would open {total:,} cases ({named}), more than {at_most:,} at once; "
        "nothing was opened",
        parameter="at_most",
        fix="see them first with advocacy cases open --dry-run, narrow --since, --until or "
        "--kind, or open them all with --yes (in Python at_most=None)",
    )


def _local(moment: datetime, timezone: str) -> datetime:
    """``moment`` as an aware UTC time; a naive one is read in ``timezone`` (as import does)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(timezone))
    return moment.astimezone(UTC)


def open_cases_since(
    db: Database,
    since: datetime,
    *,
    settings: Settings,
    until: datetime | None = None,
    kinds: Sequence[str] = ("responses", "mentions"),
    now: datetime | None = None,
    actor: str = "rules",
    dry_run: bool = False,
    at_most: int | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    confirm: Callable[[UsageError], bool] | None = None,
    include_undated: bool = False,
) -> dict[str, BulkCases]:
    """Run the enabled case rules over the stored evidence dated from ``since`` (a backfill).

    Evidence that already has a case opens none; the cases open now (due ``due_hours`` later),
    as if the evidence had just arrived. Evidence without a date is checked only with
    ``include_undated`` (its age is unknown: an import opens no case on it), and counted in
    ``undated`` either way. Every case is chosen, reading only, before any is written, so
    ``at_most`` refuses a backfill larger than it (nothing written), ``dry_run`` says what
    would open, and ``confirm`` is asked outside any transaction. The cases then open in one
    short transaction, leaving out evidence that got a case meanwhile.

    Parameters
    ----------
    db
        The workspace database; the cases open in one transaction, after the choice.
    since, until
        The dates of the evidence to check: from ``since`` (included) to ``until`` (excluded;
        None: no end). A date without a time zone is read in the workspace's (the
        ``timezone`` setting of ``settings``), as ``advocacy import`` reads the file's times.
    settings
        The workspace's settings: its time zone, and whom the new cases' notifications go to.
    kinds
        ``responses``, ``mentions`` or both.
    now
        The clock: the cases open at ``now``.
    actor
        Who opened the cases, for the timeline and the audit log.
    dry_run
        Count and return the cases that would open; write nothing.
    at_most
        Refuse (write nothing) when more than this many cases would open (None: no bound).
    progress
        Called with (stage, kinds done, kinds) as the rules run over each kind.
    confirm
        Asked, with the refusal naming the counts, when more than ``at_most`` cases would
        open: True opens the cases already chosen (the rules do not run again; evidence that
        got a case meanwhile opens none); False or None refuses. No transaction is open
        while it is asked.
    include_undated
        Check the evidence without a date too (whatever ``since`` and ``until``).

    Returns
    -------
    dict of str to BulkCases
        Per kind (each once, in the order given), the cases opened (or, with ``dry_run``, that
        would open) and the records checked.

    Raises
    ------
    UsageError
        When more than ``at_most`` cases would open and ``confirm`` does not say yes (it names
        how many, per kind and rule).
    """
    moment = now_utc(now)
    start = _local(since, settings.timezone)
    end = None if until is None else _local(until, settings.timezone)
    if end is not None and end <= start:
        raise UsageError(
            "the end of the dates to check must come after their start",
            value=f"since {start:%Y-%m-%d %H:%M}, until {end:%Y-%m-%d %H:%M} (UTC, excluded)",
            parameter="until",
            fix="give --until the same day as --since or a later one, or leave it out",
        )
    chosen = list(dict.fromkeys(check_kind(kind) for kind in kinds))
    # Choose reading only: a question asked inside a transaction would hold it open (on
    # PostgreSQL "idle in transaction") for as long as the user takes to answer.
    planned: dict[str, tuple[list[tuple[Rule, Hit]], int, int]] = {}
    for done, kind in enumerate(chosen):
        if progress is not None:
            progress("case rules", done, len(chosen))
        key, at, _ = EVIDENCE_COLUMNS[kind]
        query = f"SELECT {key}, {at} FROM {kind} WHERE ({at} >= ?"
        params: list[Any] = [start]
        if end is not None:
            query += f" AND {at} < ?"
            params.append(end)
        query += f") OR {at} IS NULL ORDER BY {at} NULLS LAST, {key}"
        rows = db.fetchall(query, params)
        undated = sum(row[1] is None for row in rows)
        ids = [str(row[0]) for row in rows if include_undated or row[1] is not None]
        planned[kind] = (choose_hits(db, kind, ids), len(ids), undated)
    if progress is not None:
        progress("case rules", len(chosen), len(chosen))
    total = sum(len(hits) for hits, _, _ in planned.values())
    if at_most is not None and total > at_most and not dry_run:
        refusal = _too_many(
            {kind: _by_rule(hits) for kind, (hits, _, _) in planned.items()}, at_most
        )
        if confirm is None or not confirm(refusal):
            raise refusal

    def attempt() -> dict[str, BulkCases]:
        found: dict[str, BulkCases] = {}
        with db.transaction():
            for kind, (hits, checked, undated) in planned.items():
                cases = open_cases(
                    db, hits, now=moment, actor=actor, settings=settings, dry_run=dry_run
                ) if hits else []  # fmt: skip
                rules, differ = _rules_reading(db, kind)
                found[kind] = BulkCases(
                    tuple(cases), checked, since=start, rules=rules, undated=undated, until=end,
                    undated_checked=include_undated, differ=differ, dry_run=dry_run,
                )  # fmt: skip
        return found

    return again_if_opened_meanwhile(attempt)


def _by_rule(hits: Sequence[tuple[Rule, Hit]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for rule, _ in hits:
        counts[rule.rule_id] = counts.get(rule.rule_id, 0) + 1
    return counts


__all__ = [
    "CASES_AT_ONCE",
    "IMPORT_WINDOW_DAYS",
    "BulkCases",
    "open_cases_for_import",
    "open_cases_since",
    "window_start",
]
