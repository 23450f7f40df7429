"""Case owners must be users or a listed team (issue #15.8), on the API, the case page and the
rules routes. (The library and the CLI are checked in tests/loop.)"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from web.site import PASSWORD, Site, bearer


@pytest.fixture(scope="module", autouse=True)
def teams() -> Iterator[None]:
    """Two teams in the server's environment before it starts (it reads its settings once)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ADVOCACY_CASE_TEAMS", "billing desk, returns")
        yield


def _detractor_case(client: TestClient, site: Site, rid: str) -> str:
    record = {"response_id": rid, "customer_id": f"CUST-{rid}", "nps": 1, "unit": "North",
              "submitted_at": "2026-06-30T10:00:00Z"}  # fmt: skip
    written = client.post("/api/v1/responses", json=[record], headers=bearer(site, "analyst"))
    assert written.status_code == 200, written.text
    (case,) = written.json()["cases"]
    return str(case["case_id"])


def _assign(client: TestClient, site: Site, case_id: str, owner: str) -> Any:
    return client.post(
        f"/api/v1/cases/{case_id}/events",
        json={"action": "assign", "owner": owner},
        headers=bearer(site, "analyst"),
    )


def test_the_api_assigns_only_to_users_and_teams(client: TestClient, site: Site) -> None:
    case_id = _detractor_case(client, site, "owner-api-1")
    refused = _assign(client, site, case_id, "<b>mallory</b>")
    assert refused.status_code == 400
    shape = refused.json()
    assert shape["message"] == (
        "'<b>mallory</b>' cannot own cases: it is not an enabled user who may work cases, or a team"
    )
    assert (shape["error"], shape["parameter"]) == ("UsageError", "owner")
    assert "case_teams" in shape["fix"] and "teams now: billing desk, returns" in shape["fix"]
    case = client.get(f"/api/v1/cases/{case_id}", headers=bearer(site, "analyst")).json()
    assert case["owner"] == "hal"  # unchanged
    assert _assign(client, site, case_id, "ana").json()["owner"] == "ana"
    assert _assign(client, site, case_id, "returns").json()["owner"] == "returns"


def test_the_case_page_says_who_may_own_a_case(client: TestClient, site: Site) -> None:
    case_id = _detractor_case(client, site, "owner-page-1")
    browser = TestClient(client.app, base_url="https://testserver")  # its own cookies
    browser.get("/login")
    browser.post(
        "/login",
        data={
            "username": "ana",
            "password": PASSWORD,
            "csrf_token": browser.cookies.get("advocacy_login_csrf") or "",
        },
    )
    page = browser.get(f"/cases/{case_id}")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf, page.text
    answer = browser.post(
        f"/cases/{case_id}",
        data={"csrf_token": csrf[1], "action": "assign", "owner": "nobody"},
        follow_redirects=False,
    )
    assert answer.status_code != 303
    assert (
        "cannot own cases: it is not an enabled user who may work cases, or a team" in answer.text
    )
    assert 'id="case-owner">hal<' in answer.text


def test_rules_may_route_only_to_users_and_teams(client: TestClient, site: Site) -> None:
    before = client.get("/api/v1/rules", headers=bearer(site, "viewer")).json()
    rules = "- {id: loud, trigger: nps_at_most, routes: [{unit: North, owner: ghost}]}\n"
    refused = client.put(
        "/api/v1/rules",
        content=rules,
        headers={**bearer(site, "analyst"), "Content-Type": "application/yaml"},
    )
    assert refused.status_code == 422
    assert refused.json()["message"] == (
        "rule 'loud' names owner(s) 'ghost', who are not enabled users who may work cases, or teams"
    )
    assert client.get("/api/v1/rules", headers=bearer(site, "viewer")).json() == before
    accepted = client.put(
        "/api/v1/rules",
        content=rules.replace("ghost", "hal"),
        headers={**bearer(site, "analyst"), "Content-Type": "application/yaml"},
    )
    assert accepted.status_code == 200, accepted.text
