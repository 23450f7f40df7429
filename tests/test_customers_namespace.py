"""``ws.customers``: the customer 360 and the search through the facade, as each role may see
them (the rules themselves are tested on the library in ``test_customer_view.py``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import advocacy
from access.shared_units import ANALYST, NORTH_HANDLER, VIEWER, fill
from advocacy.access.masking import MASK
from advocacy.customer_view import customer_view, find_customers
from advocacy.namespaces.access import AccessDeniedError, Principal, Role
from advocacy.workspace import Workspace


@pytest.fixture
def ws(db_url: str, tmp_path: Path) -> Iterator[Workspace]:
    with advocacy.open(db_url) as workspace:
        fill(workspace, tmp_path)
        yield workspace


def test_a_case_handler_views_a_shared_customer_through_their_units_only(ws: Workspace) -> None:
    view = ws.customers.view("B", principal=NORTH_HANDLER)
    assert view.units == ["North"] and view.limited
    assert view.counts() == {"response": 1, "interaction": 1, "case": 1}
    assert "South" not in repr(view.to_dict())
    assert view.to_dict() == customer_view(ws.db, "B", NORTH_HANDLER).to_dict()


def test_without_a_principal_the_owner_sees_every_unit_unmasked(ws: Workspace) -> None:
    view = ws.customers.view("B")
    assert view.units == ["North", "South"] and not view.limited
    assert view.customer["name"] == "Bo Sharp"
    assert view.counts() == customer_view(ws.db, "B", ANALYST).counts()
    found = ws.customers.find()
    assert {row["customer_id"] for row in found} == {"A", "B", "C", "D"}
    assert found == find_customers(ws.db, Principal("python", Role.admin))


def test_a_customer_outside_the_handlers_units_is_refused(ws: Workspace) -> None:
    with pytest.raises(AccessDeniedError):
        ws.customers.view("C", principal=NORTH_HANDLER)


def test_the_search_counts_only_the_handlers_units_and_masks_for_a_viewer(
    ws: Workspace,
) -> None:
    found = {row["customer_id"]: row for row in ws.customers.find(principal=NORTH_HANDLER)}
    assert set(found) == {"A", "B", "D"} and found["B"]["responses"] == 1
    assert [row["customer_id"] for row in ws.customers.find("sharp", principal=ANALYST)] == ["B"]
    assert ws.customers.find("sharp", principal=VIEWER) == []  # not by a name they cannot see
    (row,) = ws.customers.find("b", principal=VIEWER, limit=10)
    assert (row["customer_id"], row["name"], row["email"]) == ("B", MASK, MASK)
    assert len(ws.customers.find(principal=ANALYST, limit=2)) == 2
