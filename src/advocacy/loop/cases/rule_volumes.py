"""How many cases each rule would open: rules run over the evidence already stored, writing nothing.

``advocacy cases load-rules`` prints it (``--dry-run`` to see it before the rules are stored),
so a rule that would flood the case queue shows before it does. Each rule is counted on its own
(the same evidence may count for several rules; when rules run, the most urgent one opens its
case), over the latest :data:`PREVIEW_RECORDS` responses and mentions (by date): a rate of what
arrives, not a promise of the next import. Evidence that already has a case opens no other, so
a rule's hits on it are counted apart (``has_case``), not as cases it would open. The sweep
rule ``at_risk_valuable`` counts the customers it would open a case for now.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from advocacy.access.audit import now_utc
from advocacy.loop.cases.opening import evidence_with_cases, with_customer_units
from advocacy.loop.cases.rules import TRIGGER_KINDS, Rule
from advocacy.loop.cases.triggers import (
    EVIDENCE_COLUMNS,
    TextSignals,
    at_risk_valuable,
    evaluate,
    load_evidence,
)
from advocacy.store.connection import Database
from advocacy.text.documents import stored_languages

#: The preview reads at most this many of the latest records of each kind.
PREVIEW_RECORDS = 5_000


@dataclass(frozen=True)
class RuleVolume:
    """How often one rule fires on the stored evidence.

    Attributes
    ----------
    rule_id, name, trigger, enabled
        The rule.
    kind
        What it reads: ``responses``, ``mentions``, ``responses, mentions``, or
        ``customers`` for the sweep rule.
    checked
        Records it was run over (None for the sweep rule, which looks at customers).
    would_open
        How many of them it fires on that have no case yet (a case would open).
    has_case
        How many it fires on that already have a case (none would open; None for the sweep
        rule, which opens none for a customer with an open case).
    """

    rule_id: str
    name: str
    trigger: str
    enabled: bool
    kind: str
    checked: int | None
    would_open: int
    has_case: int | None = None

    @property
    def share(self) -> float | None:
        """``would_open`` over ``checked`` (None when nothing was checked or for the sweep)."""
        if not self.checked:
            return None
        return self.would_open / self.checked

    def to_dict(self) -> dict[str, Any]:
        """The fields and the share, as plain values."""
        return {
            "rule_id": self.rule_id,
            "name": self.name,
            "trigger": self.trigger,
            "enabled": self.enabled,
            "kind": self.kind,
            "checked": self.checked,
            "would_open": self.would_open,
            "has_case": self.has_case,
            "share": self.share,
        }


def _latest_ids(db: Database, kind: str, limit: int) -> list[str]:
    key, at, _ = EVIDENCE_COLUMNS[kind]
    rows = db.fetchall(
        f"SELECT {key} FROM {kind} ORDER BY {at} DESC NULLS LAST, {key} LIMIT ?", [limit]
    )
    return [str(row[0]) for row in rows]


def rule_volumes(
    db: Database,
    rules: Sequence[Rule],
    *,
    latest: int = PREVIEW_RECORDS,
    now: datetime | None = None,
) -> list[RuleVolume]:
    """Run each of ``rules`` over the latest stored evidence and count what it fires on.

    Parameters
    ----------
    db
        The workspace database (read only).
    rules
        The rules to count (stored or not; disabled ones are counted too).
    latest
        How many of the latest responses and of the latest mentions to run them over.
    now
        The clock of the sweep rule.

    Returns
    -------
    list of RuleVolume
        One per rule, in the order given.
    """
    moment = now_utc(now)
    needed = {kind for rule in rules for kind in TRIGGER_KINDS.get(rule.trigger, ())}
    batches = {}
    cased: dict[str, set[str]] = {}
    for kind in sorted(needed):
        evidence = with_customer_units(db, load_evidence(db, kind, _latest_ids(db, kind, latest)))
        signals = TextSignals(evidence, language_prior=partial(stored_languages, db))
        batches[kind] = (evidence, signals)
        cased[kind] = evidence_with_cases(db, kind, [item.evidence_id for item in evidence])
    volumes = []
    for rule in rules:
        kinds = TRIGGER_KINDS.get(rule.trigger, ())
        if not kinds:
            hits = at_risk_valuable(db, rule, moment) if rule.trigger == "at_risk_valuable" else []
            volume = RuleVolume(
                rule.rule_id, rule.name, rule.trigger, rule.enabled, "customers", None, len(hits)
            )
        else:
            checked = fired = taken = 0
            for name in kinds:
                evidence, signals = batches[name]
                checked += len(evidence)
                hits = evaluate(db, rule, evidence, signals)
                taken += sum(hit.evidence.evidence_id in cased[name] for hit in hits)
                fired += len(hits)
            volume = RuleVolume(
                rule.rule_id, rule.name, rule.trigger, rule.enabled, ", ".join(kinds),
                checked, fired - taken, taken,
            )  # fmt: skip
        volumes.append(volume)
    return volumes


__all__ = ["PREVIEW_RECORDS", "RuleVolume", "rule_volumes"]
