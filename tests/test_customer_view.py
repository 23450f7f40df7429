"""Customer 360 and the customer search as each role may see them, on DuckDB and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import advocacy
from access.shared_units import ANALYST, NORTH_HANDLER, VIEWER, fill
from advocacy.access.masking import MASK
from advocacy.access.roles import AccessDeniedError, Principal, Role
from advocacy.customer_view import customer_view, find_customers
from advocacy.errors import NotFoundError
from advocacy.workspace import Workspace


@pytest.fixture
def ws(db_url: str, tmp_path: Path) -> Iterator[Workspace]:
    with advocacy.open(db_url) as workspace:
        fill(workspace, tmp_path)
        yield workspace


def _ids(view: advocacy.customer_view.CustomerView) -> set[str]:
    return {str(event.get("id") or event.get("case_id")) for event in view.events}


def _units(view: advocacy.customer_view.CustomerView) -> set[str | None]:
    return {event.get("unit") for event in view.events if "unit" in event}


def test_a_shared_customer_shows_a_handler_only_their_units_evidence(ws: Workspace) -> None:
    view = customer_view(ws.db, "B", NORTH_HANDLER)
    assert view.customer["name"] == "Bo Sharp" and view.units == ["North"] and view.limited
    assert view.counts() == {"response": 1, "interaction": 1, "case": 1}
    assert {"rB1", "iB1"} <= _ids(view) and _units(view) == {"North"}
    texts = repr(view.to_dict())
    for other in ("B south comment", "B south call", "B south mention", "B note", "South"):
        assert other not in texts
    # The analyst sees both units, the note and the purchase, which have no unit.
    full = customer_view(ws.db, "B", ANALYST)
    assert full.units == ["North", "South"] and not full.limited
    assert full.counts() == {
        "response": 2, "interaction": 2, "mention": 1, "case": 2, "note": 1, "purchase": 1,
    }  # fmt: skip


def test_a_customer_wholly_in_the_handlers_units_shows_everything(ws: Workspace) -> None:
    view = customer_view(ws.db, "A", NORTH_HANDLER)
    assert view.counts() == {
        "response": 1, "interaction": 1, "note": 1, "purchase": 1, "referral": 1, "case": 1,
    }  # fmt: skip
    assert view.counts() == customer_view(ws.db, "A", ANALYST).counts()


def test_evidence_without_a_unit_counts_as_outside(ws: Workspace) -> None:
    """D's mention has no unit: D is not wholly North, so the note stays hidden too."""
    view = customer_view(ws.db, "D", NORTH_HANDLER)
    assert view.counts() == {"response": 1}
    assert customer_view(ws.db, "D", ANALYST).counts() == {"response": 1, "mention": 1, "note": 1}


def test_a_customer_outside_the_handlers_units_is_refused(ws: Workspace) -> None:
    with pytest.raises(AccessDeniedError) as raised:
        customer_view(ws.db, "C", NORTH_HANDLER)
    assert raised.value.value == "C" and raised.value.fix
    south = Principal("sue", Role.case_handler, ("South",))
    assert customer_view(ws.db, "C", south).counts() == {"response": 1, "referral": 2}
    with pytest.raises(NotFoundError):
        customer_view(ws.db, "nobody", ANALYST)


def test_the_search_lists_a_handler_their_units_customers_and_counts(ws: Workspace) -> None:
    found = {row["customer_id"]: row for row in find_customers(ws.db, NORTH_HANDLER)}
    assert set(found) == {"A", "B", "D"}
    assert found["B"]["responses"] == 1  # South's answer is not counted
    everyone = {row["customer_id"]: row for row in find_customers(ws.db, ANALYST)}
    assert set(everyone) == {"A", "B", "C", "D"} and everyone["B"]["responses"] == 2
    assert [row["customer_id"] for row in find_customers(ws.db, NORTH_HANDLER, query="cy")] == []
    assert [row["customer_id"] for row in find_customers(ws.db, ANALYST, query="cy")] == ["C"]
    assert [row["customer_id"] for row in find_customers(ws.db, NORTH_HANDLER, query="Sharp")] == [
        "B"
    ]


def test_a_viewer_finds_by_id_only_and_sees_no_personal_data(ws: Workspace) -> None:
    assert find_customers(ws.db, VIEWER, query="Sharp") == []
    (row,) = find_customers(ws.db, VIEWER, query="b")
    assert (row["customer_id"], row["name"], row["email"]) == ("B", MASK, MASK)
    view = customer_view(ws.db, "A", VIEWER)
    assert view.customer["name"] == MASK and view.customer["email"] == MASK
    (note,) = [event for event in view.events if event["kind"] == "note"]
    assert note["interviewer"] == MASK and note["text"] == "A note"


@pytest.mark.parametrize("principal", [ANALYST, NORTH_HANDLER, VIEWER], ids=lambda p: p.name)
def test_a_cut_timeline_keeps_the_newest_events_and_counts_them_all(
    ws: Workspace, principal: Principal
) -> None:
    """The page's timeline (``newest``): the newest events as the whole timeline shows them
    (each masked and limited alike), and the counts of every event, also those left out."""
    for number in range(12):  # more answers, a day apart, some of them unit-less
        ws.write_records(
            "responses",
            [
                {
                    "response_id": f"rB-more-{number}",
                    "customer_id": "B",
                    "submitted_at": f"2025-03-{number + 1:02d}T10:00:00Z",
                    "unit": ("North", "South", None)[number % 3],
                    "nps": number % 11,
                    "comment": f"B more comment {number}",
                }
            ],
            actor="test",
        )
    full = customer_view(ws.db, "B", principal)
    assert full.totals is None and full.left_out == 0
    for newest in (1, 3, len(full.events) - 1, len(full.events), len(full.events) + 5):
        cut = customer_view(ws.db, "B", principal, newest=newest)
        assert cut.counts() == full.counts()
        assert cut.left_out == max(0, len(full.events) - newest)
        assert [event["at"] for event in cut.events] == [
            event["at"] for event in full.events[:newest]
        ]
        assert all(event in full.events for event in cut.events)
