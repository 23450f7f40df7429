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


def test_cases_are_counted_and_listed_a_page_at_a_time_in_the_order_asked(
    ws: Workspace, tmp_path: Path
) -> None:
    (tmp_path / "rules.yaml").write_text(RULES, encoding="utf-8")
    ws.cases.load_rules(tmp_path / "rules.yaml")
    customers = ["C7", "C3", "C9", "C1", "C5", "C8", "C2"]
    records = [
        {"response_id": f"r{i}", "customer_id": customer, "nps": 2, "unit": unit}
        for i, (customer, unit) in enumerate(zip(customers, ["North", "South"] * 4, strict=False))
    ]
    ws.write_records("responses", records)
    ws.cases.open_for("responses", [record["response_id"] for record in records])
    assert ws.cases.count() == len(customers)
    assert ws.cases.count(units=["North"]) == 4
    assert ws.cases.count(status="closed") == 0
    everything = [case.case_id for case in ws.cases.list()]
    paged = [case.case_id for offset in (0, 3, 6) for case in ws.cases.list(limit=3, offset=offset)]
    assert paged == everything and len(set(paged)) == len(customers)
    by_customer = ws.cases.list(sort="customer_id", descending=True, limit=4)
    assert [case.customer_id for case in by_customer] == sorted(customers, reverse=True)[:4]
    second = ws.cases.list(sort="customer_id", limit=4, offset=4)
    assert [case.customer_id for case in second] == sorted(customers)[4:]
    with pytest.raises(UsageError, match="cannot sort cases by 'summary; DROP'"):
        ws.cases.list(sort="summary; DROP")
