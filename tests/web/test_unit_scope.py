"""The route x role x unit matrix: a customer shared between North and South shows the North case
handler only North's evidence, on the API and on the page; a South-only customer is 403; every
other route that carries units (scores, downloads, cases, results, coaching, plans) agrees.

The records go in through the API as an analyst, as an integration would write them; the
answers open cases through the demo's rules (North's go to ``hal``, the site's North handler).
"""

from __future__ import annotations

import csv
import io
from typing import Any

import openpyxl
import pytest
from fastapi.testclient import TestClient

from web.site import Site, bearer

SHARED, NORTH_ONLY, SOUTH_ONLY = "scope-shared", "scope-north", "scope-south"
AT = "2026-06-20T10:00:00Z"

RECORDS: dict[str, list[dict[str, Any]]] = {
    "responses": [
        {"response_id": "scope-r-north", "customer_id": SHARED, "unit": "North", "nps": 1,
         "submitted_at": AT, "channel": "web", "comment": "shared north comment"},
        {"response_id": "scope-r-south", "customer_id": SHARED, "unit": "South", "nps": 1,
         "submitted_at": AT, "channel": "web", "comment": "shared south comment"},
        {"response_id": "scope-r-northonly", "customer_id": NORTH_ONLY, "unit": "North",
         "nps": 9, "submitted_at": AT, "comment": "northonly comment"},
        {"response_id": "scope-r-southonly", "customer_id": SOUTH_ONLY, "unit": "South",
         "nps": 2, "submitted_at": AT, "comment": "southonly comment"},
    ],
    "interactions": [
        {"interaction_id": "scope-i-north", "customer_id": SHARED, "unit": "North",
         "occurred_at": AT, "outcome": "shared-north-outcome"},
        {"interaction_id": "scope-i-south", "customer_id": SHARED, "unit": "South",
         "occurred_at": AT, "outcome": "shared-south-outcome"},
    ],
    "mentions": [
        {"mention_id": "scope-m-north", "customer_id": SHARED, "unit": "North",
         "posted_at": AT, "platform": "trustpilot", "text": "shared north mention"},
        {"mention_id": "scope-m-south", "customer_id": SHARED, "unit": "South",
         "posted_at": AT, "platform": "trustpilot", "text": "shared south mention"},
    ],
    "notes": [
        {"note_id": "scope-n-shared", "customer_id": SHARED, "taken_at": AT,
         "text": "shared unitless note"},
        {"note_id": "scope-n-north", "customer_id": NORTH_ONLY, "taken_at": AT,
         "text": "northonly unitless note"},
    ],
    "transactions": [
        {"transaction_id": "scope-t-shared", "customer_id": SHARED, "occurred_at": AT,
         "amount": 99.5},
        {"transaction_id": "scope-t-north", "customer_id": NORTH_ONLY, "occurred_at": AT,
         "amount": 12.5},
    ],
}  # fmt: skip
#: Texts only North's evidence carries, and texts a North handler must never see.
NORTH_TEXTS = ("shared north comment", "shared-north-outcome", "shared north mention")
HIDDEN_TEXTS = (
    "shared south comment",
    "shared-south-outcome",
    "shared south mention",
    "shared unitless note",
    "99.5",
)


@pytest.fixture(scope="module")
def cases(client: TestClient, site: Site) -> dict[str, str]:
    """Write the records; the case id opened by each detractor answer, by response id."""
    analyst = bearer(site, "analyst")
    opened: dict[str, str] = {}
    for kind, records in RECORDS.items():
        written = client.post(f"/api/v1/{kind}", json=records, headers=analyst)
        assert written.status_code == 200, written.text
        for case in written.json().get("cases", []):
            opened[case["evidence_id"]] = case["case_id"]
    assert {"scope-r-north", "scope-r-south", "scope-r-southonly"} <= set(opened)
    return opened


def _json(client: TestClient, site: Site, role: str, path: str) -> Any:
    response = client.get(path, headers=bearer(site, role))
    assert response.status_code == 200, (role, path, response.text)
    return response.json()


def test_a_shared_customer_shows_the_handler_only_their_units_evidence(
    client: TestClient, site: Site, cases: dict[str, str]
) -> None:
    view = _json(client, site, "case-handler", f"/api/v1/customers/{SHARED}")
    assert view["units"] == ["North"] and view["limited"] is True
    assert {event.get("unit") for event in view["events"]} == {"North"}
    assert sorted(event["kind"] for event in view["events"]) == [
        "case", "interaction", "mention", "response",
    ]  # fmt: skip
    page = client.get(f"/customers/{SHARED}", headers=bearer(site, "case-handler"))
    assert page.status_code == 200
    for text in NORTH_TEXTS:
        assert text in repr(view) and text in page.text
    for text in HIDDEN_TEXTS:
        assert text not in repr(view) and text not in page.text, text
    assert cases["scope-r-south"] not in page.text and cases["scope-r-north"] in page.text
    assert "Only the evidence of your units is shown." in page.text
    # The analyst sees both units and the evidence without a unit.
    full = _json(client, site, "analyst", f"/api/v1/customers/{SHARED}")
    assert full["units"] == ["North", "South"] and full["limited"] is False
    analyst_page = client.get(f"/customers/{SHARED}", headers=bearer(site, "analyst")).text
    assert "Only the evidence of your units is shown." not in analyst_page
    for text in (*NORTH_TEXTS, *HIDDEN_TEXTS):
        assert text in repr(full) and text in analyst_page, text


def test_a_customer_wholly_in_north_shows_the_handler_notes_and_purchases(
    client: TestClient, site: Site, cases: dict[str, str]
) -> None:
    view = _json(client, site, "case-handler", f"/api/v1/customers/{NORTH_ONLY}")
    assert sorted(event["kind"] for event in view["events"]) == ["note", "purchase", "response"]
    page = client.get(f"/customers/{NORTH_ONLY}", headers=bearer(site, "case-handler")).text
    assert "northonly unitless note" in page


@pytest.mark.parametrize("role", ["case-handler", "analyst", "viewer", "admin"])
def test_a_south_only_customer_is_refused_to_the_north_handler_alone(
    client: TestClient, site: Site, cases: dict[str, str], role: str
) -> None:
    api = client.get(f"/api/v1/customers/{SOUTH_ONLY}", headers=bearer(site, role))
    page = client.get(f"/customers/{SOUTH_ONLY}", headers=bearer(site, role))
    expected = 403 if role == "case-handler" else 200
    assert (api.status_code, page.status_code) == (expected, expected)
    if expected == 403:
        assert api.json()["error"] == "AccessDeniedError" and "southonly" not in page.text


def test_the_search_finds_and_counts_only_the_handlers_units(
    client: TestClient, site: Site, cases: dict[str, str]
) -> None:
    def found(role: str, query: str) -> dict[str, int]:
        rows = _json(client, site, role, f"/api/v1/customers?q={query}&limit=500")
        return {row["customer_id"]: row["responses"] for row in rows}

    assert found("case-handler", "scope-") == {SHARED: 1, NORTH_ONLY: 1}
    assert found("analyst", "scope-") == {SHARED: 2, NORTH_ONLY: 1, SOUTH_ONLY: 1}
    page = client.get("/customers?q=scope-", headers=bearer(site, "case-handler")).text
    assert SHARED in page and SOUTH_ONLY not in page


def test_cases_of_a_shared_customer_are_limited_to_the_handlers_units(
    client: TestClient, site: Site, cases: dict[str, str]
) -> None:
    north, south = cases["scope-r-north"], cases["scope-r-south"]
    listed = _json(client, site, "case-handler", f"/api/v1/cases?customer_id={SHARED}")
    assert [(case["case_id"], case["unit"]) for case in listed] == [(north, "North")]
    everyone = _json(client, site, "analyst", f"/api/v1/cases?customer_id={SHARED}")
    assert {case["case_id"] for case in everyone} == {north, south}
    handler = bearer(site, "case-handler")
    assert client.get(f"/api/v1/cases/{south}", headers=handler).status_code == 403
    assert client.get(f"/cases/{south}", headers=handler).status_code == 403
    assert client.get(f"/cases/{north}", headers=handler).status_code == 200
    page = client.get("/cases?status=", headers=handler).text
    assert north in page and south not in page


def _download(client: TestClient, site: Site, role: str, name: str, fmt: str) -> list[dict]:
    response = client.get(f"/api/v1/analyses/{name}?format={fmt}", headers=bearer(site, role))
    assert response.status_code == 200, response.text
    if fmt == "json":
        return list(response.json())
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(response.text)))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    header, *rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(header, row, strict=True)) for row in rows]


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx"])
def test_downloads_hold_only_the_handlers_units(
    client: TestClient, site: Site, cases: dict[str, str], fmt: str
) -> None:
    mine = _download(client, site, "case-handler", "scores-by-unit", fmt)
    everyone = _download(client, site, "analyst", "scores-by-unit", fmt)
    assert {row["unit"] for row in mine} == {"North"}
    assert {"North", "South"} <= {row["unit"] for row in everyone}

    def north(rows: list[dict]) -> dict[str, tuple[int, float]]:
        return {
            row["metric"]: (int(float(row["n"])), round(float(row["score"]), 9))
            for row in rows
            if row["unit"] == "North" and row["n"] not in (None, "", "0", 0)
        }

    # North's own scores are the same for both; only the comparisons differ (no South in them).
    assert north(mine) == north(everyone) and north(mine)
    refused = client.get(
        f"/api/v1/analyses/themes?format={fmt}", headers=bearer(site, "case-handler")
    )
    assert refused.status_code == 403


#: JSON routes that carry units, and how to read the units out of their answers.
UNIT_ROUTES: dict[str, Any] = {
    "/api/v1/metrics?by=unit&by=channel": lambda rows: {row["unit"] for row in rows},
    "/api/v1/analyses/score-changes": lambda rows: {row["unit"] for row in rows},
    "/api/v1/cases?limit=5000": lambda rows: {row["unit"] for row in rows},
    "/api/v1/cases/results": lambda found: {row["unit"] for row in found["by_unit"]},
    f"/api/v1/customers/{SHARED}": lambda view: {e.get("unit") for e in view["events"]} - {None},
    "/api/v1/plans": lambda rows: {row["scope"].removeprefix("unit=") for row in rows},
}


@pytest.mark.parametrize("path", list(UNIT_ROUTES))
def test_every_route_that_carries_units_agrees(
    client: TestClient, site: Site, cases: dict[str, str], path: str
) -> None:
    if path == "/api/v1/plans":  # a plan measured in South, beside the demo's
        from advocacy.loop.plans.changes import create_plan

        state = client.app.state.web  # type: ignore[attr-defined]
        with state.use:
            if not state.ws.db.fetchone("SELECT 1 FROM initiatives WHERE title = 'scope south'"):
                create_plan(
                    state.ws.db, title="scope south", link_kind="culture",
                    link_ref="Career paths", metric="enps", metric_filter={"unit": "South"},
                    settings=state.ws.settings,
                )  # fmt: skip
    units = UNIT_ROUTES[path]
    assert units(_json(client, site, "case-handler", path)) == {"North"}
    assert "South" in units(_json(client, site, "analyst", path))


def test_pages_of_scores_and_coaching_agree(
    client: TestClient, site: Site, cases: dict[str, str]
) -> None:
    handler = bearer(site, "case-handler")
    for path in ("/", "/explore?by=unit", "/plans"):
        page = client.get(path, headers=handler)
        assert page.status_code == 200 and "South" not in page.text, path
        assert "South" in client.get(path, headers=bearer(site, "analyst")).text, path
    # Sliced by another dimension, a handler's scores are still broken down by their units.
    page = client.get("/explore?by=channel&period=quarter", headers=handler).text
    assert "North" in page and "South" not in page
    coaching = client.get("/coaching", headers=handler).text
    assert site.north_employee in coaching and site.other_employee not in coaching
    assert client.get(f"/coaching/{site.other_employee}", headers=handler).status_code == 403
    assert client.get(f"/coaching/{site.north_employee}", headers=handler).status_code == 200
