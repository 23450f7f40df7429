"""The rules file: case rules written as YAML, checked field by field, and written back.

Rules (:class:`advocacy.loop.cases.rules.Rule`) travel as YAML (``advocacy cases
export-rules|load-rules``, the rules page, ``PUT /api/v1/rules``)::

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

The form is the pydantic model :class:`RuleSpec`; :mod:`advocacy.config_files` reads the file and
reports the first problem with its file, line and field, so a typo in a long rules file is found
at once. Storing the parsed rules is :mod:`advocacy.loop.cases.rule_store`'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from advocacy.config_files import Document, file_error, parse_yaml, read_text, text_value, validate
from advocacy.errors import ValidationError
from advocacy.loop.cases.rules import PRIORITIES, ROUTE_FIELDS, TRIGGERS, Route, Rule

DEFAULT_RULES = Path(__file__).with_name("default_rules.yaml")
#: Parameters that are a whole NPS score.
SCORE_PARAMS = ("threshold", "detractor_at_most", "promoter_at_least")
#: Parameters that are lists.
LIST_PARAMS = ("keywords", "value_tiers")


def _required(value: Any) -> Any:
    text = text_value(value)
    if text is None:
        raise PydanticCustomError(
            "required", "is required", {"fix": "write a value after the colon"}
        )
    return text


def _hours(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise PydanticCustomError(
            "hours", "must be a positive number of hours", {"fix": "write a number, e.g. 48"}
        )
    return float(value)


def _trigger(value: Any) -> Any:
    if _required(value) not in TRIGGERS:
        raise PydanticCustomError(
            "trigger",
            "unknown trigger {trigger}",
            {"trigger": repr(str(value)), "fix": "use one of: " + ", ".join(TRIGGERS)},
        )
    return str(value)


def _priority(value: Any) -> Any:
    priority = text_value(value) or "normal"
    if priority not in PRIORITIES:
        raise PydanticCustomError(
            "priority",
            "unknown priority {priority}",
            {"priority": repr(priority), "fix": "use one of: " + ", ".join(PRIORITIES)},
        )
    return priority


def _route(value: Any) -> Route:
    example = {"fix": "write it like: - {unit: North, owner: hal}"}
    if not isinstance(value, dict):
        raise PydanticCustomError("route", "a route must be a mapping", example)
    keys = [key for key in value if key != "owner"]
    owner = value.get("owner")
    if len(keys) != 1 or keys[0] not in ROUTE_FIELDS or not owner:
        raise PydanticCustomError(
            "route", "a route names one of unit, touchpoint or theme, and an owner", example
        )
    return Route(keys[0], str(value[keys[0]]), str(owner))


def _empty(value: Any) -> Any:
    """An empty section (``params:`` with nothing under it) holds nothing."""
    return {} if value is None else value


Text = Annotated[str | None, BeforeValidator(text_value)]
Hours = Annotated[float | None, BeforeValidator(_hours)]


class RuleSpec(BaseModel):
    """One rule as written in a rules file (see the module docstring for the form)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, BeforeValidator(_required)] = Field(
        description="the rule's id, unique in the file", examples=["id: detractor"]
    )
    name: Text = Field(None, description="what people read (default: the id)")
    trigger: Annotated[str, BeforeValidator(_trigger)] = Field(
        description="what the rule fires on", examples=["trigger: nps_at_most"]
    )
    params: Annotated[dict[str, Any], BeforeValidator(_empty)] = Field(
        default_factory=dict,
        validate_default=True,  # theme_sentiment needs params.theme even without params
        description="the trigger's parameters",
        examples=["params: {threshold: 6}"],
    )
    routes: Annotated[
        list[Annotated[Route, BeforeValidator(_route)]],
        BeforeValidator(lambda v: [] if v is None else v),
    ] = Field(
        default_factory=list,
        description="owner by unit, touchpoint or theme; the first match wins",
        examples=["routes: [{unit: North, owner: hal}]"],
    )
    default_owner: Text = Field(None, description="owner when no route matches")
    due_hours: Annotated[float, BeforeValidator(_hours)] = Field(
        48.0, description="hours before a case is due", examples=["due_hours: 48"]
    )
    escalate_after_hours: Hours = Field(
        None, description="age at which the case escalates", examples=["escalate_after_hours: 72"]
    )
    escalate_to: Text = Field(None, description="who an escalated case goes to")
    priority: Annotated[str, BeforeValidator(_priority)] = Field(
        "normal", description="low, normal, high or urgent", examples=["priority: high"]
    )
    enabled: Annotated[bool, Strict()] = Field(
        True, description="whether the rule runs", examples=["enabled: true"]
    )

    @field_validator("params")
    @classmethod
    def _known_params(cls, params: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
        trigger = info.data.get("trigger")
        if trigger is None:  # the trigger itself is wrong: that is the error to report
            return params
        defaults = TRIGGERS[trigger][0]
        for key in params:
            if key not in defaults:
                raise PydanticCustomError(
                    "param",
                    "trigger {trigger} has no parameter {key}",
                    {
                        "trigger": repr(trigger),
                        "key": repr(key),
                        "at": key,
                        "fix": "use one of: " + ", ".join(defaults),
                    },
                )
        if trigger == "theme_sentiment" and not params.get("theme"):
            raise PydanticCustomError(
                "param",
                "theme_sentiment needs params.theme",
                {"at": "theme", "fix": "params: {theme: delivery}"},
            )
        for key in SCORE_PARAMS:
            value = params.get(key)
            if key in params and (not isinstance(value, int) or not 0 <= value <= 10):
                raise PydanticCustomError(
                    "param",
                    "{key} must be a whole NPS score 0-10",
                    {"key": key, "at": key, "fix": f"{key}: 6"},
                )
        for key in LIST_PARAMS:
            if key in params and not isinstance(params[key], list):
                raise PydanticCustomError(
                    "param",
                    "{key} must be a list",
                    {"key": key, "at": key, "fix": f"{key}: [a, b]"},
                )
        return params

    def rule(self) -> Rule:
        """The rule this entry describes."""
        return Rule(
            rule_id=self.id,
            name=self.name or self.id,
            trigger=self.trigger,
            params=dict(self.params),
            routes=tuple(self.routes),
            default_owner=self.default_owner,
            due_hours=self.due_hours,
            escalate_after_hours=self.escalate_after_hours,
            escalate_to=self.escalate_to,
            priority=self.priority,
            enabled=self.enabled,
        )


class RulesFile(BaseModel):
    """A rules file: the list of rules (each checked as a :class:`RuleSpec`)."""

    model_config = ConfigDict(extra="forbid")

    rules: list[Any] = Field(
        description="one entry per rule",
        examples=["rules: [{id: detractor, trigger: nps_at_most}]"],
    )


#: The keys a rule may have.
RULE_KEYS = frozenset(RuleSpec.model_fields)


def parse_rules(text: str, *, source: str = "<rules>") -> list[Rule]:
    """Rules from YAML (or JSON) text: a list of rules, or a mapping with a ``rules`` list.

    Parameters
    ----------
    text
        The rules file's text (the format in this module's docstring).
    source
        The file name that errors report.

    Returns
    -------
    list of Rule
        The rules in the order written, with defaults filled in.

    Raises
    ------
    ValidationError
        With ``file`` = ``source``, ``row`` = the line and ``column`` = the field at fault.

    Examples
    --------
    >>> rules = parse_rules(
    ...     '''
    ... rules:
    ...   - id: detractor
    ...     name: Detractor follow-up
    ...     trigger: nps_at_most
    ...     params: {threshold: 6}
    ...     due_hours: 48
    ... '''
    ... )
    >>> rules[0].rule_id, rules[0].priority, rules[0].due_hours
    ('detractor', 'normal', 48.0)
    >>> try:
    ...     parse_rules("- {id: d, name: D, trigger: nps_at_most, priority: top}", source="r.yaml")
    ... except ValidationError as error:
    ...     print(error.file, error.row, error.column, "|", error.fix)
    r.yaml 1 priority | use one of: low, normal, high, urgent
    """
    document = parse_yaml(text, source=source, error=ValidationError)
    if isinstance(document.data, list):  # a bare list reads as the ``rules:`` list
        lines = {f"rules.{key}": line for key, line in document.lines.items()}
        document = Document({"rules": document.data}, source, lines)
    if not isinstance(document.data, dict):
        raise ValidationError(
            "the rules must be a list (or a mapping with a 'rules' list)",
            file=source,
            fix="start the file with 'rules:' and one '- id: ...' entry per rule",
        )
    rules = validate(RulesFile, document, error=ValidationError).rules
    specs = [
        validate(RuleSpec, document, at=("rules", index), error=ValidationError)
        for index in range(len(rules))
    ]
    seen: set[str] = set()
    for index, spec in enumerate(specs):
        if spec.id in seen:
            raise file_error(
                ValidationError,
                source,
                f"rules[{index + 1}].id",
                f"rule id {spec.id!r} is used twice",
                "give every rule its own id",
                spec.id,
                line=document.line(f"rules.{index}.id"),
                column="id",
            )
        seen.add(spec.id)
    return [spec.rule() for spec in specs]


def dump_rules(rules: Sequence[Rule]) -> str:
    """The YAML text of ``rules`` (what :func:`parse_rules` reads back)."""
    return yaml.safe_dump(
        {"rules": [rule.as_dict() for rule in rules]}, sort_keys=False, allow_unicode=True
    )


def read_rules_file(path: str | Path) -> list[Rule]:
    """Parse the rules file at ``path``."""
    return parse_rules(read_text(path, what="rules file"), source=str(path))


def default_rules() -> list[Rule]:
    """The rules shipped with advocacy (``loop/default_rules.yaml``)."""
    return read_rules_file(DEFAULT_RULES)


__all__ = [
    "DEFAULT_RULES",
    "RULE_KEYS",
    "RuleSpec",
    "RulesFile",
    "default_rules",
    "dump_rules",
    "parse_rules",
    "read_rules_file",
]
