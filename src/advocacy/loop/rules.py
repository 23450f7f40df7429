"""Case rules as data: what opens a case, who owns it, by when, and who it escalates to.

Rules live in the ``case_rules`` table and travel as YAML (``advocacy rules export|load``, the
rules page, ``PUT /api/v1/rules``)::

    rules:
      - id: detractor
        name: Detractor follow-up
        trigger: nps_at_most          # see TRIGGERS
        params: {threshold: 6}
        routes:                       # first match wins; match on unit, touchpoint or theme
          - {unit: North, owner: hal}
          - {touchpoint: billing, owner: ana}
        default_owner: ana            # when no route matches (empty: unassigned)
        due_hours: 48
        escalate_after_hours: 72      # age at which the case escalates (again at 2x, 3x)
        escalate_to: ada
        priority: high                # low, normal, high or urgent
        enabled: true

Parsing checks every field and reports the first problem with its file and line, so a typo in a
long rules file is found at once. Replacing the rules is one transaction with an audit entry.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from advocacy.access.audit import now_utc, record_audit
from advocacy.errors import InputError, ValidationError
from advocacy.store.connection import Database

#: Trigger kind -> (parameter defaults, what it fires on).
TRIGGERS: dict[str, tuple[dict[str, Any], str]] = {
    "nps_at_most": ({"threshold": 6}, "a response with NPS at most `threshold`"),
    "theme_sentiment": (
        {"theme": None, "keywords": [], "negative_at_least": 0.5},
        "a negative comment or mention about the theme named `theme`",
    ),
    "angry_mention": (
        {"anger_at_least": 0.5, "negative_at_least": 0.7},
        "a public mention whose anger or negative sentiment reaches its threshold",
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
RULE_KEYS = frozenset(
    {
        "id", "name", "trigger", "params", "routes", "default_owner", "due_hours",
        "escalate_after_hours", "escalate_to", "priority", "enabled",
    }
)  # fmt: skip
DEFAULT_RULES = Path(__file__).with_name("default_rules.yaml")
_LINE = "__line__"
_KEY_LINES = "__key_lines__"


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
    """One case rule (see the module docstring for the YAML form)."""

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


class _LineLoader(yaml.SafeLoader):
    """A safe loader that remembers the line each mapping starts on (for precise errors)."""


def _mapping_with_line(loader: _LineLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping[_LINE] = node.start_mark.line + 1
    mapping[_KEY_LINES] = {
        str(key.value): key.start_mark.line + 1 for key, _ in node.value if hasattr(key, "value")
    }
    return mapping


def _at(raw: Any, key: str, default: int | None = None) -> int | None:
    """The line of ``key`` in the mapping ``raw`` (else the mapping's own line)."""
    if not isinstance(raw, dict):
        return default
    lines = raw.get(_KEY_LINES) or {}
    found = lines.get(key, raw.get(_LINE, default))
    return None if found is None else int(found)


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)


def _strip_lines(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_lines(v) for k, v in value.items() if k not in (_LINE, _KEY_LINES)}
    if isinstance(value, list):
        return [_strip_lines(item) for item in value]
    return value


class _Checker:
    """Raise :class:`ValidationError` pointing at ``source`` and a line."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, line: int | None, message: str, *, key: str, value: Any, fix: str) -> None:
        where = f"line {line}: " if line else ""
        raise ValidationError(
            where + message, file=self.source, row=line, column=key, value=value, fix=fix
        )

    def text(self, raw: Mapping[str, Any], key: str, line: int | None, *, required: bool) -> Any:
        value = raw.get(key)
        if value is None or value == "":
            if required:
                self.fail(
                    _at(raw, "id", line),
                    f"the rule has no {key!r}",
                    key=key,
                    value=None,
                    fix=f"add {key}:",
                )
            return None
        if not isinstance(value, str | int) or isinstance(value, bool):
            self.fail(
                _at(raw, key, line),
                f"{key!r} must be text",
                key=key,
                value=value,
                fix="quote the value",
            )
        return str(value)

    def number(self, raw: Mapping[str, Any], key: str, line: int | None, default: Any) -> Any:
        value = raw.get(key, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            self.fail(
                _at(raw, key, line),
                f"{key!r} must be a positive number of hours",
                key=key,
                value=value,
                fix=f"e.g. {key}: 48",
            )
        return float(value)


def _parse_routes(check: _Checker, raw: Any, line: int | None) -> tuple[Route, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        check.fail(
            line, "'routes' must be a list", key="routes", value=raw, fix="- {unit: X, owner: Y}"
        )
    routes = []
    for item in raw:
        where = item.get(_LINE, line) if isinstance(item, dict) else line
        if not isinstance(item, dict):
            check.fail(
                where,
                "a route must be a mapping",
                key="routes",
                value=item,
                fix="- {unit: North, owner: hal}",
            )
        keys = [key for key in item if key not in (_LINE, _KEY_LINES, "owner")]
        owner = item.get("owner")
        if len(keys) != 1 or keys[0] not in ROUTE_FIELDS or not owner:
            check.fail(
                where,
                "a route names one of unit, touchpoint or theme, and an owner",
                key="routes",
                value=_strip_lines(item),
                fix="- {unit: North, owner: hal}",
            )
        routes.append(Route(keys[0], str(item[keys[0]]), str(owner)))
    return tuple(routes)


def _parse_params(check: _Checker, trigger: str, raw: Any, line: int | None) -> dict[str, Any]:
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        check.fail(
            line,
            "'params' must be a mapping",
            key="params",
            value=raw,
            fix="params: {threshold: 6}",
        )
    params = _strip_lines(raw)
    defaults = TRIGGERS[trigger][0]
    for key, value in params.items():
        if key not in defaults:
            check.fail(
                _at(raw, key, line),
                f"trigger {trigger!r} has no parameter {key!r}",
                key=f"params.{key}",
                value=value,
                fix="use one of: " + ", ".join(defaults),
            )
    if trigger == "theme_sentiment" and not params.get("theme"):
        check.fail(
            line,
            "theme_sentiment needs params.theme",
            key="params.theme",
            value=None,
            fix="params: {theme: delivery}",
        )
    for key in ("threshold", "detractor_at_most", "promoter_at_least"):
        if key in params and (not isinstance(params[key], int) or not 0 <= params[key] <= 10):
            check.fail(
                _at(raw, key, line),
                f"{key} must be a whole NPS score 0-10",
                key=f"params.{key}",
                value=params[key],
                fix=f"{key}: 6",
            )
    for key in ("keywords", "value_tiers"):
        if key in params and not isinstance(params[key], list):
            check.fail(
                _at(raw, key, line),
                f"{key} must be a list",
                key=f"params.{key}",
                value=params[key],
                fix=f"{key}: [a, b]",
            )
    return dict(params)


def parse_rule(raw: Any, *, source: str = "<rules>", line: int | None = None) -> Rule:
    """One :class:`Rule` from its mapping form; raises :class:`ValidationError` on a bad field."""
    check = _Checker(source)
    if not isinstance(raw, dict):
        check.fail(
            line, "a rule must be a mapping", key="rules", value=raw, fix="- id: detractor ..."
        )
    line = raw.get(_LINE, line)
    unknown = sorted(str(k) for k in raw if k not in (_LINE, _KEY_LINES) and k not in RULE_KEYS)
    if unknown:
        check.fail(
            _at(raw, unknown[0], line),
            f"unknown rule field {unknown[0]!r}",
            key=unknown[0],
            value=raw[unknown[0]],
            fix="use one of: " + ", ".join(sorted(RULE_KEYS)),
        )
    rule_id = check.text(raw, "id", line, required=True)
    trigger = check.text(raw, "trigger", line, required=True)
    if trigger not in TRIGGERS:
        check.fail(
            _at(raw, "trigger", line),
            f"unknown trigger {trigger!r}",
            key="trigger",
            value=trigger,
            fix="use one of: " + ", ".join(TRIGGERS),
        )
    priority = check.text(raw, "priority", line, required=False) or "normal"
    if priority not in PRIORITIES:
        check.fail(
            _at(raw, "priority", line),
            f"unknown priority {priority!r}",
            key="priority",
            value=priority,
            fix="use one of: " + ", ".join(PRIORITIES),
        )
    enabled = raw.get("enabled", True)
    if not isinstance(enabled, bool):
        check.fail(
            _at(raw, "enabled", line),
            "'enabled' must be true or false",
            key="enabled",
            value=enabled,
            fix="enabled: true",
        )
    escalate_after = check.number(raw, "escalate_after_hours", line, None)
    escalate_to = check.text(raw, "escalate_to", line, required=False)
    return Rule(
        rule_id=str(rule_id),
        name=check.text(raw, "name", line, required=False) or str(rule_id),
        trigger=str(trigger),
        params=_parse_params(check, str(trigger), raw.get("params"), _at(raw, "params", line)),
        routes=_parse_routes(check, raw.get("routes"), _at(raw, "routes", line)),
        default_owner=check.text(raw, "default_owner", line, required=False),
        due_hours=float(check.number(raw, "due_hours", line, 48.0)),
        escalate_after_hours=escalate_after,
        escalate_to=escalate_to,
        priority=priority,
        enabled=enabled,
    )


def parse_rules(text: str, *, source: str = "<rules>") -> list[Rule]:
    """Rules from YAML (or JSON) text: a list of rules, or a mapping with a ``rules`` list.

    Raises
    ------
    ValidationError
        With ``file`` = ``source`` and ``row`` = the line of the offending rule.
    """
    try:
        data = yaml.load(text, Loader=_LineLoader)  # a SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise ValidationError(
            f"line {line}: not valid YAML: {getattr(error, 'problem', error)}",
            file=source,
            row=line,
            fix="check the indentation and quoting around that line",
        ) from None
    if isinstance(data, dict) and "rules" in data:
        data = data["rules"]
    if not isinstance(data, list):
        raise ValidationError(
            "the rules must be a list (or a mapping with a 'rules' list)",
            file=source,
            fix="start the file with 'rules:' and one '- id: ...' entry per rule",
        )
    rules = [parse_rule(item, source=source) for item in data]
    seen: set[str] = set()
    for item, rule in zip(data, rules, strict=True):
        if rule.rule_id in seen:
            line = item.get(_LINE) if isinstance(item, dict) else None
            _Checker(source).fail(
                line,
                f"rule id {rule.rule_id!r} is used twice",
                key="id",
                value=rule.rule_id,
                fix="give every rule its own id",
            )
        seen.add(rule.rule_id)
    return rules


def dump_rules(rules: Sequence[Rule]) -> str:
    """The YAML text of ``rules`` (what :func:`parse_rules` reads back)."""
    return yaml.safe_dump(
        {"rules": [rule.as_dict() for rule in rules]}, sort_keys=False, allow_unicode=True
    )


def read_rules_file(path: str | Path) -> list[Rule]:
    """Parse the rules file at ``path``."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise InputError(
            f"cannot read rules file: {error.strerror}",
            file=str(path),
            fix="check the path",
        ) from None
    return parse_rules(text, source=str(path))


def default_rules() -> list[Rule]:
    """The rules shipped with advocacy (``loop/default_rules.yaml``)."""
    return read_rules_file(DEFAULT_RULES)


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
        record_audit(
            db,
            actor=actor,
            action="rules.replace",
            target="case_rules",
            detail={"rules": [rule.rule_id for rule in rules]},
            now=stamp,
        )
    return list(rules)


def load_rules(
    db: Database, source: str | Path, *, actor: str, now: datetime | None = None
) -> list[Rule]:
    """Validate the rules file ``source`` and replace the stored rules with it."""
    return replace_rules(db, read_rules_file(source), actor=actor, now=now)


def ensure_default_rules(db: Database, *, actor: str = "setup") -> list[Rule]:
    """Store the shipped rules when the workspace has none yet; return the stored rules."""
    if list_rules(db):
        return list_rules(db)
    return replace_rules(db, default_rules(), actor=actor)


def save_rules_text(
    db: Database,
    text: str,
    *,
    actor: str,
    source: str = "<request>",
    now: datetime | None = None,
) -> list[Rule]:
    """Validate rules given as YAML or JSON text and replace the stored rules with them.

    The rules page and ``PUT /api/v1/rules`` call this; nothing is stored if any rule is bad.
    """
    return replace_rules(db, parse_rules(text, source=source), actor=actor, now=now)
