"""The rules file: case rules written as YAML, checked field by field, and written back.

Rules (:class:`advocacy.loop.rules.Rule`) travel as YAML (``advocacy rules export|load``, the
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
long rules file is found at once. Storing the parsed rules is :mod:`advocacy.loop.rule_store`'s.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from advocacy.errors import InputError, ValidationError
from advocacy.loop.rules import PRIORITIES, ROUTE_FIELDS, TRIGGERS, Route, Rule

RULE_KEYS = frozenset(
    {
        "id", "name", "trigger", "params", "routes", "default_owner", "due_hours",
        "escalate_after_hours", "escalate_to", "priority", "enabled",
    }
)  # fmt: skip
DEFAULT_RULES = Path(__file__).with_name("default_rules.yaml")
_LINE = "__line__"
_KEY_LINES = "__key_lines__"


class _LineLoader(yaml.SafeLoader):
    """A safe loader that remembers the line each mapping starts on (for precise errors).

    It refuses YAML aliases (``*name``): rules never need them, and nested aliases expand
    exponentially ("billion laughs"), which would stall whoever reads the rules.
    """

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.events.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in rules", event.start_mark
            )
        return super().compose_node(parent, index)


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
    except (yaml.YAMLError, ValueError) as error:  # ValueError: a date like 2024-13-45
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise ValidationError(
            (f"line {line}: " if line is not None else "")
            + f"not valid YAML: {getattr(error, 'problem', error)}",
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


__all__ = [
    "DEFAULT_RULES",
    "RULE_KEYS",
    "default_rules",
    "dump_rules",
    "parse_rule",
    "parse_rules",
    "read_rules_file",
]
