"""An employee's feedback themes against their unit's, and their cases, on both engines."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

import advocacy
from advocacy.loop.cases.coaching import coaching_summary
from advocacy.workspace import Workspace

T0 = datetime(2026, 2, 2, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)

#: response id -> (employee, unit, comment, themes)
RESPONSES = {
    "r1": ("E1", "North", "slow van but kind driver", ["delivery", "staff"]),
    "r2": ("E1", "North", "parcel came late", ["delivery"]),
    "r3": ("E1", "North", "lovely people", ["staff"]),
    "r4": ("E1", "North", "fine", []),
    "r5": ("E1", "North", None, []),
    "r6": ("E2", "North", "late again", ["delivery"]),
    "r7": ("E2", "North", "too dear", ["price"]),
    "r8": ("E2", "North", "pricey lamps", ["price"]),
    "r9": ("E2", "North", "ok", []),
    "r10": ("E3", "South", "van was late", ["delivery"]),
}
THEMES = {"delivery": "Delivery", "staff": "Friendly staff", "price": "Price"}


@pytest.fixture
def ws(db_url: str) -> Iterator[Workspace]:
    with advocacy.open(db_url) as workspace:
        workspace.write_records(
            "responses",
            [
                {
                    "response_id": key,
                    "submitted_at": (T0 + i * timedelta(hours=1)).isoformat(),
                    "employee_id": employee,
                    "unit": unit,
                    "nps": 5,
                    **({"comment": comment} if comment else {}),
                }
                for i, (key, (employee, unit, comment, _)) in enumerate(RESPONSES.items())
            ],
            actor="test",
        )
        db = workspace.db
        for theme_id, name in THEMES.items():
            db.execute(
                "INSERT INTO themes (theme_id, name, origin, created_at) VALUES (?, ?, ?, ?)",
                [theme_id, name, "curated", T0],
            )
        for key, (_, _, _, themes) in RESPONSES.items():
            for theme_id in themes:
                db.execute(
                    "INSERT INTO document_themes (document_kind, document_id, theme_id, origin, "
                    "assigned_at) VALUES ('response', ?, ?, 'curated', ?)",
                    [key, theme_id, T0],
                )
        yield workspace


def _case(ws: Workspace, case_id: str, employee: str, **columns: object) -> None:
    values = {
        "case_id": case_id,
        "rule_id": "detractor",
        "evidence_kind": "response",
        "evidence_id": f"r-{case_id}",  # one case per evidence (migration 0016)
        "employee_id": employee,
        "status": "new",
        "opened_at": T0,
        "due_at": T0 + 2 * DAY,
        "escalation_level": 0,
        "updated_at": T0,
        **columns,
    }
    names = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    ws.db.execute(f"INSERT INTO cases ({names}) VALUES ({marks})", list(values.values()))


def test_themes_of_an_employee_against_the_unit(ws: Workspace) -> None:
    found = coaching_summary(ws.db, "E1", unit="North", now=T0 + 5 * DAY)
    assert (found.commented, found.unit_commented) == (4, 8)
    rows = [
        (theme.name, theme.employee_comments, theme.employee_share, theme.unit_share)
        for theme in found.themes
    ]
    # Both themes are in 2 of E1's 4 comments; staff leads the unit's share by more, so first.
    assert rows == [("Friendly staff", 2, 0.5, 2 / 8), ("Delivery", 2, 0.5, 3 / 8)]
    assert [theme.difference for theme in found.themes] == [25.0, 12.5]
    # 2 of 4 with a 95% Wilson interval: 0.5 +- 1.96 * sqrt(0.0625 + 0.0600) / 1.9604.
    assert [(round(t.employee_low, 3), round(t.employee_high, 3)) for t in found.themes] == [
        (0.150, 0.850),
        (0.150, 0.850),
    ]
    # Without a unit there is nothing to compare with.
    alone = coaching_summary(ws.db, "E1", unit=None)
    assert [(theme.name, theme.unit_share) for theme in alone.themes] == [
        ("Delivery", None),
        ("Friendly staff", None),
    ]
    assert coaching_summary(ws.db, "E9", unit="North").themes == []


def test_cases_opened_closed_and_closed_within_due(ws: Workspace) -> None:
    empty = coaching_summary(ws.db, "E1", unit="North", now=T0).cases
    assert (empty.opened, empty.closed, empty.closed_in_time_share) == (0, 0, None)

    _case(ws, "c1", "E1", status="closed", closed_at=T0 + DAY, root_cause="late driver")
    _case(ws, "c2", "E1", status="closed", closed_at=T0 + 3 * DAY, root_cause="late driver")
    _case(ws, "c3", "E1", status="contacted", root_cause="pricing")
    _case(ws, "c4", "E1", opened_at=T0 + 4 * DAY, due_at=T0 + 6 * DAY)
    _case(ws, "c5", "E2", status="closed", closed_at=T0 + DAY)
    cases = coaching_summary(ws.db, "E1", unit="North", now=T0 + 5 * DAY).cases
    assert (cases.opened, cases.open, cases.closed) == (4, 2, 2)
    # c4 is not due yet; c3 is open past due and counts against.
    assert (cases.closed_in_time, cases.due_known) == (1, 3)
    assert cases.closed_in_time_share == pytest.approx(1 / 3)
    z = 1.959963984540054
    centre = (1 / 3 + z * z / 6) / (1 + z * z / 3)
    half = z * math.sqrt((1 / 3) * (2 / 3) / 3 + z * z / 36) / (1 + z * z / 3)
    assert cases.closed_in_time_low == pytest.approx(centre - half)
    assert cases.closed_in_time_high == pytest.approx(centre + half)
    assert cases.root_causes == [("late driver", 2), ("pricing", 1)]


def test_a_case_handler_counts_only_their_units(ws: Workspace) -> None:
    """With ``units`` (a case handler's), answers and cases of other units are left out."""
    ws.write_records(
        "responses",
        [{"response_id": "r11", "submitted_at": T0.isoformat(), "employee_id": "E1",
          "unit": "South", "nps": 2, "comment": "late in the south"}],
        actor="test",
    )  # fmt: skip
    ws.db.execute(
        "INSERT INTO document_themes (document_kind, document_id, theme_id, origin, "
        "assigned_at) VALUES ('response', 'r11', 'price', 'curated', ?)",
        [T0],
    )
    _case(ws, "c1", "E1", unit="North", status="closed", closed_at=T0 + DAY, root_cause="van")
    _case(ws, "c2", "E1", unit="South", status="closed", closed_at=T0 + DAY, root_cause="south")
    everyone = coaching_summary(ws.db, "E1", unit="North", now=T0 + 5 * DAY)
    assert everyone.commented == 5 and everyone.cases.opened == 2
    assert "Price" in [theme.name for theme in everyone.themes]
    north = coaching_summary(ws.db, "E1", unit="North", now=T0 + 5 * DAY, units=("North",))
    assert (north.commented, north.unit_commented, north.cases.opened) == (4, 8, 1)
    assert "Price" not in [theme.name for theme in north.themes]
    assert north.cases.root_causes == [("van", 1)]
    # A unit outside the limit is not compared with (its comments are not the handler's).
    south = coaching_summary(ws.db, "E1", unit="North", now=T0 + 5 * DAY, units=("South",))
    assert (south.unit, south.commented, south.unit_commented) == (None, 1, 0)
    assert south.cases.root_causes == [("south", 1)]
