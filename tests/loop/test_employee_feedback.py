"""``ws.cases.coachable_employees`` and ``ws.cases.employee_feedback``: who may coach whom, and
what each of them sees of one employee's feedback, on DuckDB and PostgreSQL."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

import advocacy
from advocacy.access.masking import MASK
from advocacy.namespaces.access import AccessDeniedError, Principal, Role
from advocacy.workspace import Workspace

#: Nia (North) is supervised by Sam (North); Sol works in South. Nia also answered for a
#: South customer once, and handled a South call.
EMPLOYEES = [
    {"employee_id": "nia", "name": "Nia Northcote", "email": "nia@staff.example",
     "unit": "North", "supervisor_id": "sam"},
    {"employee_id": "sam", "name": "Sam Overton", "email": "sam@staff.example", "unit": "North"},
    {"employee_id": "sol", "name": "Sol Southby", "email": "sol@staff.example", "unit": "South"},
]  # fmt: skip
RESPONSES = [
    {"response_id": "r1", "customer_id": "C1", "employee_id": "nia", "unit": "North", "nps": 9,
     "submitted_at": "2026-02-01T10:00:00Z", "comment": "Nia Northcote fixed it at once"},
    {"response_id": "r2", "customer_id": "C2", "employee_id": "nia", "unit": "South", "nps": 2,
     "submitted_at": "2026-02-03T10:00:00Z", "comment": "south answer about Nia"},
    {"response_id": "r3", "customer_id": "C3", "employee_id": "sol", "unit": "South", "nps": 10,
     "submitted_at": "2026-02-02T10:00:00Z", "comment": "Sol was kind"},
]  # fmt: skip
INTERACTIONS = [
    {"interaction_id": "i1", "customer_id": "C1", "employee_id": "nia", "unit": "North",
     "occurred_at": "2026-01-30T10:00:00Z", "outcome": "resolved"},
    {"interaction_id": "i2", "customer_id": "C1", "employee_id": "nia", "unit": "North",
     "occurred_at": "2026-01-31T10:00:00Z"},
    {"interaction_id": "i3", "customer_id": "C2", "employee_id": "nia", "unit": "South",
     "occurred_at": "2026-02-01T09:00:00Z", "outcome": "refund"},
]  # fmt: skip

ANALYST = Principal("ana", Role.analyst)
NORTH_HANDLER = Principal("hal", Role.case_handler, ("North",))


@pytest.fixture
def ws(db_url: str, tmp_path: Path) -> Iterator[Workspace]:
    with advocacy.open(db_url) as workspace:
        path = tmp_path / "employees.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(EMPLOYEES[0]))
            writer.writeheader()
            writer.writerows(EMPLOYEES)
        workspace.import_file(path, kind="employees", strict=True)
        workspace.write_records("responses", RESPONSES)
        workspace.write_records("interactions", INTERACTIONS)
        yield workspace


def _listed(rows: list[dict[str, object]]) -> dict[object, object]:
    return {row["employee_id"]: row["responses"] for row in rows}


def test_analysts_may_coach_everyone_and_see_every_answer_counted(ws: Workspace) -> None:
    rows = ws.cases.coachable_employees(principal=ANALYST)
    assert [row["employee_id"] for row in rows] == ["nia", "sam", "sol"]  # by unit, then id
    assert _listed(rows) == {"nia": 2, "sam": 0, "sol": 1}
    assert rows[0]["name"] == "Nia Northcote" and rows[0]["supervisor_id"] == "sam"
    assert ws.cases.coachable_employees() == rows  # no principal: the workspace's owner


def test_a_case_handler_coaches_their_units_employees_counting_their_units_answers(
    ws: Workspace,
) -> None:
    rows = ws.cases.coachable_employees(principal=NORTH_HANDLER)
    assert _listed(rows) == {"nia": 1, "sam": 0}  # Nia's South answer is not theirs to count


def test_anyone_else_coaches_themselves_and_the_people_they_supervise(ws: Workspace) -> None:
    by_email = Principal("nia@staff.example", Role.viewer)
    assert _listed(ws.cases.coachable_employees(principal=by_email)) == {"nia": 2}
    supervisor = Principal("sam", Role.viewer)
    assert _listed(ws.cases.coachable_employees(principal=supervisor)) == {"nia": 2, "sam": 0}
    assert ws.cases.coachable_employees(principal=Principal("stranger", Role.viewer)) == []


def test_a_case_handler_sees_only_their_units_feedback(ws: Workspace) -> None:
    feedback = ws.cases.employee_feedback("nia", principal=NORTH_HANDLER)
    assert [row["comment"] for row in feedback.responses] == ["Nia Northcote fixed it at once"]
    assert [row["occurred_at"].day for row in feedback.interactions] == [31, 30]  # newest first
    assert {row["unit"] for row in feedback.interactions} == {"North"}
    assert feedback.outcomes == {"(not set)": 1, "resolved": 1}
    assert feedback.score is not None and (feedback.score.n, feedback.score.score) == (1, 100.0)
    assert feedback.employee["responses"] == 1


def test_an_analyst_sees_all_of_it(ws: Workspace) -> None:
    feedback = ws.cases.employee_feedback("nia", principal=ANALYST)
    assert [row["unit"] for row in feedback.responses] == ["South", "North"]  # newest first
    assert feedback.outcomes == {"refund": 1, "(not set)": 1, "resolved": 1}
    assert feedback.score is not None and (feedback.score.n, feedback.score.score) == (2, 0.0)
    assert ws.cases.employee_feedback("nia") == feedback  # no principal: the workspace's owner


def test_feedback_outside_the_callers_reach_is_refused(ws: Workspace) -> None:
    with pytest.raises(AccessDeniedError) as raised:
        ws.cases.employee_feedback("sol", principal=NORTH_HANDLER)
    assert raised.value.value == "sol" and raised.value.fix
    with pytest.raises(AccessDeniedError):
        ws.cases.employee_feedback("sam", principal=Principal("nia", Role.viewer))
    with pytest.raises(AccessDeniedError):
        ws.cases.employee_feedback("nobody", principal=ANALYST)


def test_a_viewer_sees_their_own_feedback_masked(ws: Workspace) -> None:
    viewer = Principal("nia", Role.viewer)
    feedback = ws.cases.employee_feedback("nia", principal=viewer)
    assert (feedback.employee["name"], feedback.employee["email"]) == (MASK, MASK)
    redactor = ws.access.text_redactor(viewer)
    assert redactor is not None
    comments = [row["comment"] for row in feedback.responses]
    assert comments == [redactor("south answer about Nia"), redactor(RESPONSES[0]["comment"])]
    assert "Northcote" not in repr(feedback)
    assert feedback.outcomes == {"refund": 1, "(not set)": 1, "resolved": 1}
