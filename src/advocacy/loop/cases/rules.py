"""Case rules as data: what opens a case, who owns it, by when, and who it escalates to.

A :class:`Rule` names a trigger (:data:`TRIGGERS`: what it fires on, with its parameters'
defaults), routes that pick the owner by unit, touchpoint or theme, a ``default_owner``, the
hours a case has before it is due and before it escalates, and a priority. Rules travel as YAML
(:mod:`advocacy.loop.cases.rule_format`, which shows the form) and live in the ``case_rules`` table
(:mod:`advocacy.loop.cases.rule_store`); :mod:`advocacy.loop.cases.triggers` decides which evidence
a rule fires on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

#: Trigger kind -> (parameter defaults, what it fires on).
TRIGGERS: dict[str, tuple[dict[str, Any], str]] = {
    "nps_at_most": ({"threshold": 6}, "a response with NPS at most `threshold`"),
    "theme_sentiment": (
        {"theme": None, "keywords": [], "negative_at_least": 0.5},
        "a negative comment or mention about the theme named `theme`",
    ),
    "angry_mention": (
        {"anger_at_least": 0.5, "negative_at_least": 0.7, "complaint_at_least": None},
        "a public mention whose anger, negative sentiment or complaint probability reaches "
        "its threshold",
    ),
    "champion_turned_detractor": (
        {"detractor_at_most": 6, "promoter_at_least": 9},
        "a detractor answer from a customer who was a promoter or a champion before",
    ),
    "at_risk_valuable": (
        {
            "value_tiers": ["gold", "platinum", "high"],
            "no_purchase_days": 90,
            "churn_risk_at_least": None,
        },
        "(sweep) a valuable customer at risk: churn risk high or no purchase for N days",
    ),
}
#: Triggers evaluated on each piece of incoming evidence (the others run in the sweep).
EVIDENCE_TRIGGERS = ("nps_at_most", "theme_sentiment", "angry_mention", "champion_turned_detractor")
#: Which evidence each evidence trigger reads.
TRIGGER_KINDS: dict[str, tuple[str, ...]] = {
    "nps_at_most": ("responses",),
    "theme_sentiment": ("responses", "mentions"),
    "angry_mention": ("mentions",),
    "champion_turned_detractor": ("responses",),
    "at_risk_valuable": (),
}
PRIORITIES = ("low", "normal", "high", "urgent")
ROUTE_FIELDS = ("unit", "touchpoint", "theme")


@dataclass(frozen=True)
class Route:
    """Send cases whose ``field`` (unit, touchpoint or theme) equals ``value`` to ``owner``."""

    field: str
    value: str
    owner: str

    def as_dict(self) -> dict[str, str]:
        return {self.field: self.value, "owner": self.owner}


@dataclass(frozen=True)
class Rule:
    """One case rule (see the module docstring for the YAML form).

    Attributes
    ----------
    rule_id
        The rule's id.
    name
        Its name, as users see it.
    trigger
        What opens a case (a key of ``TRIGGERS``, e.g. ``nps_at_most``).
    params
        The trigger's parameters (e.g. ``{"threshold": 6}``); missing ones take its defaults.
    routes
        Who gets the case by unit, touchpoint or theme; the first match wins.
    default_owner
        Owner when no route matches (None: unassigned).
    due_hours
        Hours from opening to the case's due time.
    escalate_after_hours
        Age at which the case escalates (again at 2x, 3x); None never escalates.
    escalate_to
        Who an escalated case goes to.
    priority
        ``low``, ``normal``, ``high`` or ``urgent``.
    enabled
        Whether the rule runs.

    Examples
    --------
    >>> rule = Rule("detractor", "Detractor follow-up", "nps_at_most", params={"threshold": 5})
    >>> rule.param("threshold"), rule.due_hours
    (5, 48.0)
    """

    rule_id: str
    name: str
    trigger: str
    params: dict[str, Any] = field(default_factory=dict)
    routes: tuple[Route, ...] = ()
    default_owner: str | None = None
    due_hours: float = 48.0
    escalate_after_hours: float | None = None
    escalate_to: str | None = None
    priority: str = "normal"
    enabled: bool = True

    def param(self, name: str) -> Any:
        """The parameter ``name``, or the trigger's default for it."""
        return self.params.get(name, TRIGGERS[self.trigger][0].get(name))

    def owner_for(self, values: Mapping[str, str | None]) -> str | None:
        """The owner of a case whose unit/touchpoint/theme are ``values`` (first route wins)."""
        for route in self.routes:
            if values.get(route.field) == route.value:
                return route.owner
        return self.default_owner

    def as_dict(self) -> dict[str, Any]:
        """The YAML/JSON form."""
        out: dict[str, Any] = {"id": self.rule_id, "name": self.name, "trigger": self.trigger}
        if self.params:
            out["params"] = dict(self.params)
        if self.routes:
            out["routes"] = [route.as_dict() for route in self.routes]
        out["default_owner"] = self.default_owner
        out["due_hours"] = self.due_hours
        out["escalate_after_hours"] = self.escalate_after_hours
        out["escalate_to"] = self.escalate_to
        out["priority"] = self.priority
        out["enabled"] = self.enabled
        return out


__all__ = [
    "EVIDENCE_TRIGGERS",
    "PRIORITIES",
    "ROUTE_FIELDS",
    "TRIGGERS",
    "TRIGGER_KINDS",
    "Route",
    "Rule",
]
