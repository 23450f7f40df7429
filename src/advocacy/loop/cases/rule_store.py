"""Where case rules are kept: the ``case_rules`` table, replaced as a whole and audited.

:func:`replace_rules` swaps every stored rule for a new set in one transaction with one audit
entry; :func:`load_rules` and :func:`save_rules_text` first check a rules file or text
(:mod:`advocacy.loop.cases.rule_format`), so nothing is stored if any rule is bad. The listed order
is the written order, which breaks ties between equally urgent rules.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from advocacy.access.audit import now_utc, record_audit
from advocacy.loop.cases.owners import check_rule_owners
from advocacy.loop.cases.rule_format import default_rules, parse_rules, read_rules_file
from advocacy.loop.cases.rules import Route, Rule
from advocacy.settings import Settings
from advocacy.store.connection import Database


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def list_rules(db: Database, *, enabled_only: bool = False) -> list[Rule]:
    """The stored rules, in the order they were written."""
    rows = db.fetchall(
        "SELECT rule_id, name, trigger, params, routes, default_owner, due_hours, "
        "escalate_after_hours, escalate_to, priority, enabled FROM case_rules "
        + ("WHERE enabled " if enabled_only else "")
        + "ORDER BY updated_at, rule_id"
    )
    rules = []
    for row in rows:
        routes = [
            Route(str(r["field"]), str(r["value"]), str(r["owner"])) for r in _json(row[4]) or []
        ]
        rules.append(
            Rule(
                rule_id=str(row[0]),
                name=str(row[1]),
                trigger=str(row[2]),
                params=dict(_json(row[3]) or {}),
                routes=tuple(routes),
                default_owner=row[5],
                due_hours=float(row[6]),
                escalate_after_hours=None if row[7] is None else float(row[7]),
                escalate_to=row[8],
                priority=row[9] or "normal",
                enabled=bool(row[10]),
            )
        )
    return rules


def replace_rules(
    db: Database, rules: Sequence[Rule], *, actor: str, now: datetime | None = None
) -> list[Rule]:
    """Replace every stored rule with ``rules`` (one transaction, one audit entry).

    Cases already opened keep their rule id, so their history stays readable after a rule is
    removed.
    """
    stamp = now_utc(now)
    with db.transaction():
        _store(db, rules, actor=actor, stamp=stamp)
        record_audit(
            db,
            actor=actor,
            action="rules.replace",
            target="case_rules",
            detail={"rules": [rule.rule_id for rule in rules]},
            now=stamp,
        )
    return list(rules)


def _store(db: Database, rules: Sequence[Rule], *, actor: str, stamp: datetime) -> None:
    db.execute("DELETE FROM case_rules")
    for position, rule in enumerate(rules):
        db.execute(
            "INSERT INTO case_rules (rule_id, name, trigger, params, routes, default_owner, "
            "due_hours, escalate_after_hours, escalate_to, priority, enabled, updated_at, "
            "updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                rule.rule_id,
                rule.name,
                rule.trigger,
                json.dumps(rule.params, sort_keys=True),
                json.dumps([route.__dict__ for route in rule.routes]),
                rule.default_owner,
                rule.due_hours,
                rule.escalate_after_hours,
                rule.escalate_to,
                rule.priority,
                rule.enabled,
                # Microsecond offsets keep the written order when rules are listed.
                stamp.replace(microsecond=0) + timedelta(microseconds=position),
                actor,
            ],
        )


def load_rules(
    db: Database,
    source: str | Path,
    *,
    actor: str,
    settings: Settings,
    now: datetime | None = None,
) -> list[Rule]:
    """Validate the rules file ``source`` (its owners too) and replace the stored rules.

    An owner must be an enabled user or a team of the ``case_teams`` setting of ``settings``
    (the workspace's).
    """
    rules = read_rules_file(source)
    check_rule_owners(db, rules, source=str(source), settings=settings)
    return replace_rules(db, rules, actor=actor, now=now)


def ensure_default_rules(db: Database, *, actor: str = "setup") -> list[Rule]:
    """Store the shipped rules when the workspace has none yet; return the stored rules.

    A new workspace gets them as part of its creation (``advocacy.open``), like its tables, so
    the audit log records no change: it starts with the first thing someone does. Rules stored
    here name ``actor`` as who last changed them.
    """
    stored = list_rules(db)
    if stored:
        return stored
    rules = default_rules()
    with db.transaction():
        _store(db, rules, actor=actor, stamp=now_utc())
    return rules


def awaits_default_rules(db: Database) -> bool:
    """Whether the workspace never got its shipped rules: a new one whose first opening stopped.

    True when no rule is stored, no replacement of the rules was ever recorded (removing every
    rule is one, kept as the user's choice) and no response or mention is stored yet: a
    workspace whose first migrations ran but a later one failed, before
    :func:`ensure_default_rules`. A workspace with evidence is left as it is.
    """
    queries = (
        "SELECT 1 FROM case_rules",
        "SELECT 1 FROM audit_log WHERE action = 'rules.replace'",
        "SELECT 1 FROM responses",
        "SELECT 1 FROM mentions",
    )
    return all(db.fetchone(query + " LIMIT 1") is None for query in queries)


def save_rules_text(
    db: Database,
    text: str,
    *,
    actor: str,
    settings: Settings,
    source: str = "<request>",
    now: datetime | None = None,
) -> list[Rule]:
    """Validate rules given as YAML or JSON text and replace the stored rules with them.

    The rules page and ``PUT /api/v1/rules`` call this; nothing is stored if any rule is bad,
    including a rule whose owners are not users or teams of ``settings``
    (:mod:`advocacy.loop.cases.owners`).
    """
    rules = parse_rules(text, source=source)
    check_rule_owners(db, rules, source=source, settings=settings)
    return replace_rules(db, rules, actor=actor, now=now)


__all__ = [
    "awaits_default_rules",
    "ensure_default_rules",
    "list_rules",
    "load_rules",
    "replace_rules",
    "save_rules_text",
]
