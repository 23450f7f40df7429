"""Case rules: YAML that round-trips, errors that point at the line, storage with an audit entry."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import advocacy
from advocacy.access.audit import audit_entries
from advocacy.errors import ValidationError
from advocacy.loop.cases.rule_format import default_rules, dump_rules, parse_rules
from advocacy.loop.cases.rule_store import list_rules, load_rules, replace_rules
from advocacy.loop.cases.rules import PRIORITIES, Route, Rule

RULES_YAML = """\
rules:
  - id: detractor
    name: Detractor follow-up
    trigger: nps_at_most
    params: {threshold: 6}
    routes:
      - {unit: North, owner: hal}
      - {touchpoint: billing, owner: ana}
    default_owner: ana
    due_hours: 48
    escalate_after_hours: 72
    escalate_to: ada
    priority: high
"""


def test_a_rules_file_reads_into_rules() -> None:
    (rule,) = parse_rules(RULES_YAML)
    assert rule == Rule(
        rule_id="detractor",
        name="Detractor follow-up",
        trigger="nps_at_most",
        params={"threshold": 6},
        routes=(Route("unit", "North", "hal"), Route("touchpoint", "billing", "ana")),
        default_owner="ana",
        due_hours=48.0,
        escalate_after_hours=72.0,
        escalate_to="ada",
        priority="high",
        enabled=True,
    )
    assert rule.owner_for({"unit": "North", "touchpoint": "billing"}) == "hal"
    assert rule.owner_for({"unit": "South", "touchpoint": "billing"}) == "ana"
    assert rule.owner_for({"unit": "South"}) == "ana"


def test_the_shipped_rules_are_valid_and_round_trip() -> None:
    rules = default_rules()
    assert {rule.trigger for rule in rules} == {
        "nps_at_most",
        "theme_sentiment",
        "angry_mention",
        "champion_turned_detractor",
        "at_risk_valuable",
    }
    assert parse_rules(dump_rules(rules)) == rules


@pytest.mark.parametrize(
    ("broken", "line", "column", "words"),
    [
        ("    trigger: nps_at_most\n", 4, "trigger", "unknown trigger 'nps_below'"),
        ("    params: {threshold: 6}\n", 5, "params.limit", "has no parameter 'limit'"),
        ("    due_hours: 48\n", 10, "due_hours", "positive number of hours"),
        ("      - {unit: North, owner: hal}\n", 7, "routes", "one of unit, touchpoint or theme"),
    ],
)
def test_errors_name_the_file_line_and_field(
    tmp_path: Path, broken: str, line: int, column: str, words: str
) -> None:
    replacement = {
        "    trigger: nps_at_most\n": "    trigger: nps_below\n",
        "    params: {threshold: 6}\n": "    params: {limit: 6}\n",
        "    due_hours: 48\n": "    due_hours: soon\n",
        "      - {unit: North, owner: hal}\n": "      - {region: North, owner: hal}\n",
    }[broken]
    path = tmp_path / "rules.yaml"
    path.write_text(RULES_YAML.replace(broken, replacement), encoding="utf-8")
    with advocacy.open(str(tmp_path / "w.duckdb")) as ws, pytest.raises(ValidationError) as caught:
        load_rules(ws.db, path, actor="test", settings=ws.settings)
    error = caught.value
    assert error.file == str(path)
    assert error.column == column
    assert words in error.message
    assert error.fix
    assert error.row == line and f"line {line}:" in str(error)


def test_invalid_yaml_reports_its_line() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_rules("rules:\n  - id: x\n    trigger: [unclosed\n", source="r.yaml")
    assert caught.value.file == "r.yaml" and caught.value.row == 4


def test_a_duplicate_id_is_refused() -> None:
    twice = RULES_YAML + RULES_YAML.split("rules:\n", 1)[1]
    with pytest.raises(ValidationError, match="used twice"):
        parse_rules(twice)


def test_rules_are_stored_replaced_and_audited(db_url: str) -> None:
    with advocacy.open(db_url) as ws:
        assert list_rules(ws.db) == default_rules()  # a new workspace starts with them
        assert audit_entries(ws.db) == []  # as part of its creation: nobody changed anything
        replace_rules(ws.db, [], actor="ana")
        assert list_rules(ws.db) == []
        replace_rules(ws.db, default_rules(), actor="ana")
        assert list_rules(ws.db) == default_rules()
        enabled = list_rules(ws.db, enabled_only=True)
        assert [rule.rule_id for rule in enabled] == [
            rule.rule_id for rule in default_rules() if rule.enabled
        ]
        replace_rules(ws.db, parse_rules(RULES_YAML), actor="ada")
        assert [rule.rule_id for rule in list_rules(ws.db)] == ["detractor"]
        entries = [entry for entry in audit_entries(ws.db) if entry.action == "rules.replace"]
        assert [entry.actor for entry in entries] == ["ada", "ana", "ana"]
        assert entries[0].detail == {"rules": ["detractor"]}


_names = st.text(alphabet="abcdefghij-", min_size=1, max_size=8).filter(lambda s: s.strip("-"))


# Names people write: any letters, marks, digits, punctuation and spaces (no control characters).
_titles = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Co", "Zl", "Zp")), min_size=1, max_size=20
).filter(lambda s: s.strip() == s and bool(s))


@st.composite
def _rules(draw: st.DrawFn) -> Rule:
    return Rule(
        rule_id=draw(_names),
        name=draw(_titles),
        trigger="nps_at_most",
        params={"threshold": draw(st.integers(0, 10))},
        routes=tuple(
            Route(draw(st.sampled_from(["unit", "touchpoint", "theme"])), value, owner)
            for value, owner in draw(st.lists(st.tuples(_names, _names), max_size=3))
        ),
        default_owner=draw(st.none() | _names),
        due_hours=draw(st.floats(0.5, 1000)),
        escalate_after_hours=draw(st.none() | st.floats(0.5, 1000)),
        escalate_to=draw(st.none() | _names),
        priority=draw(st.sampled_from(PRIORITIES)),
        enabled=draw(st.booleans()),
    )


@settings(max_examples=60, deadline=None)
@given(_rules())
def test_any_rule_survives_dump_and_parse(rule: Rule) -> None:
    assert parse_rules(dump_rules([rule])) == [rule]
