"""The periodic sweep: escalate overdue cases and run the rules that look at customers.

Evidence rules run as evidence arrives (:func:`advocacy.loop.cases.opening.open_cases_for`); the
sweep covers what no single piece of evidence announces: a case getting old and a valuable
customer going quiet (``at_risk_valuable``). :func:`escalate_overdue` raises a case's escalation
level each time its age passes another ``escalate_after_hours`` of its rule and hands it to the
rule's ``escalate_to``. Run the sweep from a scheduler (``advocacy cases sweep``), e.g. hourly;
running it twice in a row changes nothing the second time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from advocacy.access.audit import now_utc
from advocacy.loop.cases.opening import again_if_opened_meanwhile, by_urgency, open_cases
from advocacy.loop.cases.rule_store import list_rules
from advocacy.loop.cases.rules import Rule
from advocacy.loop.cases.store import Case, add_event, find_case, list_cases
from advocacy.loop.cases.triggers import Hit, at_risk_valuable
from advocacy.loop.notify.case_notifications import notify
from advocacy.settings import Settings
from advocacy.store.connection import Database

#: Escalation stops rising here (the owner has been replaced three times by then).
MAX_ESCALATION = 3


@dataclass(frozen=True)
class SweepResult:
    """What one sweep did."""

    escalated: list[Case] = field(default_factory=list)
    opened: list[Case] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "escalated": [case.case_id for case in self.escalated],
            "opened": [case.case_id for case in self.opened],
        }


def escalate_overdue(
    db: Database, now: datetime | None = None, *, settings: Settings, actor: str = "sweep"
) -> list[Case]:
    """Escalate open cases that aged past their rule's ``escalate_after_hours`` (again at 2x...).

    Each escalation raises ``escalation_level``, sets ``escalated_at``, hands the case to the
    rule's ``escalate_to`` (when set), and notifies the old and the new owner (with
    ``settings``, the workspace's).
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
            notify(
                db,
                changed,
                "case.escalated",
                now=moment,
                settings=settings,
                owners=(case.owner, owner),
            )
            escalated.append(changed)
    return escalated


def sweep(
    db: Database, now: datetime | None = None, *, settings: Settings, actor: str = "sweep"
) -> SweepResult:
    """Escalate overdue cases, then open cases for the enabled sweep rules.

    Parameters
    ----------
    db
        The workspace database; the sweep is one transaction.
    now
        The clock.
    settings
        The workspace's settings (``ws.settings``), which the notifications go out with.
    actor
        Who swept, for the timeline and the audit log.

    Returns
    -------
    SweepResult
        The cases escalated and the cases opened.
    """
    moment = now_utc(now)

    def attempt() -> SweepResult:
        with db.transaction():
            escalated = escalate_overdue(db, moment, settings=settings, actor=actor)
            rules = [
                rule
                for rule in by_urgency(list_rules(db, enabled_only=True))
                if rule.trigger == "at_risk_valuable"
            ]
            taken = {
                str(row[0])
                for row in db.fetchall(
                    "SELECT evidence_id FROM cases WHERE evidence_kind = 'customers'"
                )
            }
            hits: list[tuple[Rule, Hit]] = []
            for rule in rules:
                for hit in at_risk_valuable(db, rule, moment):
                    if hit.evidence.evidence_id not in taken:
                        taken.add(hit.evidence.evidence_id)
                        hits.append((rule, hit))
            opened = open_cases(db, hits, now=moment, actor=actor, settings=settings)
        return SweepResult(escalated, opened)

    return again_if_opened_meanwhile(attempt)
