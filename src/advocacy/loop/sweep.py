"""The periodic sweep: escalate overdue cases and run the rules that look at customers.

Evidence rules run as evidence arrives (:func:`advocacy.loop.cases.open_cases_for`); the sweep
covers what no single piece of evidence announces: a case getting old (age-based escalation) and
a valuable customer going quiet (``at_risk_valuable``). Run it from a scheduler
(``advocacy cases sweep``), e.g. hourly; running it twice in a row changes nothing the second
time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from advocacy.access.audit import now_utc
from advocacy.loop.cases import Case, by_urgency, escalate_overdue, open_case
from advocacy.loop.rules import list_rules
from advocacy.loop.triggers import at_risk_valuable
from advocacy.store.connection import Database


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


def sweep(db: Database, now: datetime | None = None, *, actor: str = "sweep") -> SweepResult:
    """Escalate overdue cases, then open cases for the enabled sweep rules.

    Parameters
    ----------
    db
        The workspace database; the sweep is one transaction.
    now
        The clock.
    actor
        Who swept, for the timeline and the audit log.

    Returns
    -------
    SweepResult
        The cases escalated and the cases opened.
    """
    moment = now_utc(now)
    opened: list[Case] = []
    with db.transaction():
        escalated = escalate_overdue(db, moment, actor=actor)
        rules = [
            rule
            for rule in by_urgency(list_rules(db, enabled_only=True))
            if rule.trigger == "at_risk_valuable"
        ]
        for rule in rules:
            hits = at_risk_valuable(db, rule, moment)
            taken = {
                str(row[0])
                for row in db.fetchall(
                    "SELECT evidence_id FROM cases WHERE evidence_kind = 'customers'"
                )
            }
            for hit in hits:
                if hit.evidence.evidence_id not in taken:
                    taken.add(hit.evidence.evidence_id)
                    opened.append(open_case(db, rule, hit, now=moment, actor=actor))
    return SweepResult(escalated, opened)
