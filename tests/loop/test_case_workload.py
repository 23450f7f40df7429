"""Cases people can work (#19.5): owners to pick from, the workload by owner, and the unit of
evidence that names none taken from its customer. Runs on DuckDB and PostgreSQL (``db_url``)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

import advocacy
from advocacy.access import add_user, disable_user
from advocacy.errors import UsageError
from advocacy.loop.cases.customer_units import latest_units
from advocacy.loop.cases.opening import open_cases_for
from advocacy.loop.cases.rule_format import parse_rules
from advocacy.loop.cases.rule_store import replace_rules
from advocacy.loop.surveys.invitations import invite
from advocacy.loop.surveys.submissions import submit
from advocacy.workspace import Workspace

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PASSWORD = "a long password"
RULES = """\
rules:
  - id: detractor
    trigger: nps_at_most
    params: {threshold: 6}
    routes: [{unit: North, owner: hal}, {unit: South, owner: sam}]
    default_owner: ana
    due_hours: 48
"""


@pytest.fixture
def ws(db_url: str) -> Iterator[Workspace]:
    settings = advocacy.Settings(case_teams="returns desk", secret_key="workload-test-" + "k" * 20)
    with advocacy.open(db_url, settings=settings) as space:
        add_user(space.db, "hal", role="case-handler", password=PASSWORD, units="North")
        add_user(space.db, "sam", role="case-handler", password=PASSWORD, units="South,Coast")
        add_user(space.db, "ana", role="analyst", password=PASSWORD)
        add_user(space.db, "vic", role="viewer", password=PASSWORD)
        add_user(space.db, "old", role="analyst", password=PASSWORD)
        disable_user(space.db, "old")
        replace_rules(space.db, parse_rules(RULES), actor="ada", now=NOW)
        yield space


def _answer(rid: str, customer: str | None, nps: int, unit: str | None, days_ago: float) -> dict:
    at = (NOW - timedelta(days=days_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {"response_id": rid, "customer_id": customer, "nps": nps, "unit": unit,
            "submitted_at": at}  # fmt: skip


def test_owners_to_pick_are_working_users_in_the_cases_unit_then_teams(ws: Workspace) -> None:
    everyone = [(owner.name, owner.role, owner.units) for owner in ws.cases.owners()]
    assert everyone == [
        ("ana", "analyst", ()),
        ("hal", "case-handler", ("North",)),
        ("sam", "case-handler", ("South", "Coast")),
        ("returns desk", "team", ()),
    ]  # no viewer, no disabled user
    assert [owner.name for owner in ws.cases.owners(unit="Coast")] == [
        "ana",
        "sam",
        "returns desk",
    ]
    assert ws.cases.owners(unit="North")[1].label == "hal (case handler: North)"


def test_assigning_refuses_viewers_and_handlers_of_other_units(ws: Workspace) -> None:
    ws.write_records("responses", [_answer("r1", "C1", 2, "North", 1)], actor="test")
    (case,) = open_cases_for(ws.db, "responses", ["r1"], settings=ws.settings, now=NOW)
    assert case.owner == "hal"
    with pytest.raises(UsageError, match="'vic' cannot own cases"):
        ws.cases.work(case.case_id, "assign", owner="vic", actor="ana")
    with pytest.raises(UsageError) as refused:
        ws.cases.work(case.case_id, "assign", owner="sam", actor="ana")
    assert refused.value.message == "'sam' handles cases of South, Coast, not of unit 'North'"
    assert ws.cases.get(case.case_id).case.owner == "hal"
    assert ws.cases.work(case.case_id, "assign", owner="returns desk", actor="ana").owner == (
        "returns desk"
    )


def test_evidence_without_a_unit_takes_its_customers_latest_unit(ws: Workspace) -> None:
    history = [
        _answer("old-north", "C1", 9, "North", 200),
        _answer("new-south", "C1", 8, "South", 20),
        _answer("other", "C2", 9, "North", 5),
        _answer("no-unit-ever", "C3", 9, None, 5),
    ]
    ws.write_records("responses", history, actor="test")
    ws.write_records(
        "interactions",
        [
            {
                "interaction_id": "i1",
                "customer_id": "C2",
                "unit": "South",
                "occurred_at": (NOW - timedelta(days=1)).isoformat(),
            }
        ],
        actor="test",
    )
    assert latest_units(ws.db, ["C1", "C2", "C3", "nobody", None]) == {"C1": "South", "C2": "South"}
    fresh = [_answer("q1", "C1", 1, None, 0), _answer("q3", "C3", 1, None, 0)]
    ws.write_records("responses", fresh, actor="test")
    cases = open_cases_for(ws.db, "responses", ["q1", "q3"], settings=ws.settings, now=NOW)
    routed = {case.evidence_id: (case.unit, case.owner) for case in cases}
    assert routed == {"q1": ("South", "sam"), "q3": (None, "ana")}


def test_a_hosted_survey_answer_without_a_unit_takes_its_customers(ws: Workspace) -> None:
    ws.db.execute(
        "INSERT INTO customers (customer_id, name, is_stub) VALUES ('C9', 'Cy Crane', false)"
    )
    ws.write_records("responses", [_answer("past", "C9", 9, "South", 90)], actor="test")
    invitation = invite(ws.db, survey_id="default", customer_id="C9", now=NOW, settings=ws.settings)
    result = submit(
        ws.db, token_or_survey=invitation.token, answers={"nps": "2"}, now=NOW, settings=ws.settings
    )
    (case,) = result.cases
    assert (case.unit, case.owner) == ("South", "sam")  # not the default owner, ana
    row = ws.db.fetchone(
        "SELECT unit, attrs FROM responses WHERE response_id = ?", [result.response_id]
    )
    assert row is not None and row[0] == "South"
    attrs = row[1] if isinstance(row[1], dict) else json.loads(row[1])
    assert attrs["unit_from"] == "customer"


def test_workload_counts_open_overdue_and_due_soon_by_owner(ws: Workspace) -> None:
    answers = [
        _answer("n1", "C1", 1, "North", 5),  # due 3 days ago: overdue
        _answer("n2", "C2", 1, "North", 1.5),  # due in 12 hours: due soon
        _answer("s1", "C3", 1, "South", 0.1),  # due in ~46 hours
        _answer("s2", "C4", 2, "South", 4),  # overdue, but closed below
        _answer("x1", "C5", 1, "West", 0.5),  # default owner ana
    ]
    ws.write_records("responses", answers, actor="test")
    ids = [answer["response_id"] for answer in answers]
    cases = open_cases_for(ws.db, "responses", ids, settings=ws.settings, now=NOW, backfill=True)
    by_evidence = {case.evidence_id: case.case_id for case in cases}
    ws.cases.work(by_evidence["n2"], "contact", actor="hal", text="called")
    ws.cases.work(by_evidence["s2"], "contact", actor="sam", text="called")
    ws.cases.work(by_evidence["s2"], "resolve", actor="sam", text="refund")
    loads = ws.cases.workload(now=NOW)
    rows = [(row.owner, row.open, row.new, row.overdue, row.due_soon) for row in loads]
    assert rows == [("hal", 2, 1, 1, 1), ("ana", 1, 1, 0, 0), ("sam", 1, 1, 0, 0)]
    hal = loads[0]
    assert hal.oldest_opened_at == NOW - timedelta(days=5)
    assert hal.next_due_at == NOW - timedelta(days=3)
    handler_view = ws.cases.workload(units=["South"], now=NOW)
    assert [(row.owner, row.open) for row in handler_view] == [("sam", 1)]
    assert ws.cases.workload(units=[], now=NOW) == []
