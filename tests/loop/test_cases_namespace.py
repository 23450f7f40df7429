"""``ws.cases``: rules, cases, casework, the sweep and the loop's results through the facade."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import advocacy
from advocacy.access import AccessDeniedError
from advocacy.errors import NotFoundError, UsageError
from advocacy.workspace import Workspace

RULES = """\
rules:
  - id: detractor
    trigger: nps_at_most
    routes: [{unit: North, owner: hal}]
    default_owner: ana
    due_hours: 48
"""


@pytest.fixture
def ws(db_url: str) -> Iterator[Workspace]:
    with advocacy.open(db_url) as workspace:
        for name in ("hal", "ana"):
            workspace.access.add_user(name, role="analyst", password="correct horse battery")
        yield workspace


def test_rules_are_loaded_listed_and_written_back_through_the_workspace(
    ws: Workspace, tmp_path: Path
) -> None:
    (tmp_path / "rules.yaml").write_text(RULES, encoding="utf-8")
    [loaded] = ws.cases.load_rules(tmp_path / "rules.yaml", actor="ada")
    assert (loaded.rule_id, loaded.default_owner, loaded.due_hours) == ("detractor", "ana", 48)
    assert [rule.rule_id for rule in ws.cases.rules()] == ["detractor"]
    (tmp_path / "again.yaml").write_text(ws.cases.rules_text(), encoding="utf-8")
    assert ws.cases.load_rules(tmp_path / "again.yaml") == ws.cases.rules()
    assert ws.access.audit(limit=1)[0].actor == "python"


def test_cases_are_opened_listed_worked_and_measured_through_the_workspace(
    ws: Workspace, tmp_path: Path
) -> None:
    (tmp_path / "rules.yaml").write_text(RULES, encoding="utf-8")
    ws.cases.load_rules(tmp_path / "rules.yaml")
    records = [
        {"response_id": "r1", "customer_id": "C1", "nps": 1, "unit": "North"},
        {"response_id": "r2", "customer_id": "C2", "nps": 9, "unit": "South"},
    ]
    ws.write_records("responses", records)
    [opened] = ws.cases.open_for("responses", ["r1", "r2", "unknown"], actor="rules")
    assert (opened.customer_id, opened.owner, opened.status) == ("C1", "hal", "new")
    assert [case.case_id for case in ws.cases.list(status="open")] == [opened.case_id]
    assert ws.cases.list(customer_id="C2") == []
    assert ws.cases.list(units=["South"]) == []

    contacted = ws.cases.work(opened.case_id, "contact", text="called back", actor="ada")
    assert contacted.status == "contacted"
    with pytest.raises(UsageError):
        ws.cases.work(opened.case_id, "close", root_cause=" ", action_taken="refund")
    closed = ws.cases.work(
        opened.case_id, "close", root_cause="late courier", action_taken="refund", actor="ada"
    )
    assert closed.status == "closed"
    detail = ws.cases.get(opened.case_id).to_dict()
    assert [(event["kind"], event["actor"]) for event in detail["events"]] == [
        ("open", "rules"),
        ("contact", "ada"),
        ("close", "ada"),
    ]
    with pytest.raises(NotFoundError):
        ws.cases.get("K-none")
    with pytest.raises(AccessDeniedError):
        ws.cases.get(opened.case_id, units=["South"])

    assert ws.cases.sweep().escalated == []
    overall = ws.cases.results(window_days=30).rows(None)
    assert overall[0]["cases"] == 1
