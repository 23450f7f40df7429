"""Every route x every role: exactly the allowed roles get through, everyone else gets 403;
without credentials the API answers 401 and pages send the browser to sign in."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from web.site import ROLES, Site, bearer

ALL = frozenset(ROLES)
WRITERS = frozenset({"admin", "analyst"})
ADMIN = frozenset({"admin"})
PUBLIC = "public"

#: (method, path template) -> roles allowed, or PUBLIC. A new route must be added here.
ALLOWED: dict[tuple[str, str], frozenset[str] | str] = {
    ("GET", "/api/v1/me"): ALL,
    ("GET", "/api/v1/status"): ALL,
    ("GET", "/api/v1/metrics"): ALL,
    ("GET", "/api/v1/analyses"): ALL,
    ("GET", "/api/v1/analyses/{name}"): ALL,
    # The readings cover every unit: not for a case handler limited to some.
    ("GET", "/api/v1/text/sentiment-readings"): frozenset({"admin", "analyst", "viewer"}),
    ("GET", "/api/v1/customers"): ALL,
    ("GET", "/api/v1/customers/{customer_id}"): ALL,
    ("GET", "/api/v1/users"): ADMIN,
    ("GET", "/api/v1/tokens"): ADMIN,
    ("GET", "/api/v1/audit"): ADMIN,
    ("GET", "/api/v1/outbox"): ADMIN,
    ("POST", "/api/v1/users"): ADMIN,
    ("PATCH", "/api/v1/users/{username}"): ADMIN,
    ("POST", "/api/v1/tokens"): ADMIN,
    ("DELETE", "/api/v1/tokens/{token_id}"): ADMIN,
    ("GET", "/admin/users"): ADMIN,
    ("POST", "/admin/users"): ADMIN,
    ("POST", "/admin/users/{username}"): ADMIN,
    ("GET", "/admin/tokens"): ADMIN,
    ("POST", "/admin/tokens"): ADMIN,
    ("POST", "/admin/tokens/{token_id}/revoke"): ADMIN,
    ("GET", "/admin/audit"): ADMIN,
    ("GET", "/api/v1/surveys"): ALL,
    ("POST", "/api/v1/surveys"): WRITERS,
    ("POST", "/api/v1/surveys/{survey_id}/links"): WRITERS,
    # Hosted survey pages: the signed link is the credential (tests/web/test_survey_pages.py).
    ("GET", "/s/{token}"): PUBLIC,
    ("POST", "/s/{token}"): PUBLIC,
    ("GET", "/s/open/{survey_id}"): PUBLIC,
    ("POST", "/s/open/{survey_id}"): PUBLIC,
    ("POST", "/api/v1/responses"): WRITERS,
    ("POST", "/api/v1/mentions"): WRITERS,
    ("POST", "/api/v1/interactions"): WRITERS,
    ("POST", "/api/v1/notes"): WRITERS,
    ("POST", "/api/v1/imports"): WRITERS,
    ("GET", "/api/v1/imports/{import_id}/quarantine"): WRITERS,
    ("GET", "/import"): WRITERS,
    ("POST", "/import"): WRITERS,
    ("POST", "/import/{token}"): WRITERS,
    ("POST", "/api/v1/referrals"): WRITERS,
    ("POST", "/api/v1/transactions"): WRITERS,
    ("GET", "/"): ALL,
    ("GET", "/explore"): ALL,
    ("GET", "/explore.csv"): ALL,
    ("GET", "/answers"): ALL,
    ("GET", "/customers"): ALL,
    ("GET", "/customers/{customer_id}"): ALL,
    ("GET", "/coaching"): ALL,
    # The viewer is no employee and supervises nobody; the handler opens a North employee.
    ("GET", "/coaching/{employee_id}"): frozenset({"admin", "analyst", "case-handler"}),
    ("GET", "/text"): ALL,
    ("GET", "/advocates"): ALL,
    ("GET", "/gaps"): ALL,
    ("GET", "/plans"): ALL,
    ("POST", "/plans"): WRITERS,
    ("GET", "/plans/{plan_id}"): ALL,
    ("POST", "/plans/{plan_id}"): WRITERS,
    ("GET", "/api/v1/plans"): ALL,
    ("POST", "/api/v1/plans"): WRITERS,
    ("GET", "/api/v1/plans/{plan_id}"): ALL,
    ("PATCH", "/api/v1/plans/{plan_id}"): WRITERS,
    ("GET", "/people"): ALL,
    ("GET", "/cases"): ALL,
    ("GET", "/cases/rules"): ALL,
    ("GET", "/cases/workload"): ALL,
    ("POST", "/cases/rules"): WRITERS,
    ("GET", "/cases/open"): WRITERS,
    ("POST", "/cases/open"): WRITERS,
    ("GET", "/cases/{case_id}"): ALL,
    ("POST", "/cases/{case_id}"): frozenset({"admin", "analyst", "case-handler"}),
    ("GET", "/api/v1/cases"): ALL,
    ("GET", "/api/v1/cases/results"): ALL,
    ("GET", "/api/v1/cases/workload"): ALL,
    ("GET", "/api/v1/cases/owners"): ALL,
    ("GET", "/api/v1/cases/{case_id}"): ALL,
    ("POST", "/api/v1/cases/{case_id}/events"): frozenset({"admin", "analyst", "case-handler"}),
    ("GET", "/api/v1/rules"): ALL,
    ("PUT", "/api/v1/rules"): WRITERS,
    ("GET", "/api/v1/asks"): ALL,
    ("POST", "/api/v1/asks"): WRITERS,
    ("GET", "/api/v1/asks/{campaign_id}"): ALL,
    ("POST", "/api/v1/asks/{campaign_id}/send"): WRITERS,
    ("GET", "/api/v1/asks/{campaign_id}/results"): ALL,
    ("GET", "/api/v1/asks/{campaign_id}/rewards"): WRITERS,
    ("POST", "/api/v1/asks/{campaign_id}/rewards/export"): WRITERS,
    ("GET", "/advocates/asks"): ALL,
    ("POST", "/advocates/asks"): WRITERS,
    ("POST", "/advocates/asks/{campaign_id}/send"): WRITERS,
    # Ask links: the signed member link is the credential (tests/web/test_ask_pages.py).
    ("GET", "/a/{token}/{target}"): PUBLIC,
    ("GET", "/r/{token}"): PUBLIC,
    ("POST", "/r/{token}"): PUBLIC,
    ("GET", "/r/{token}/share"): PUBLIC,
    ("POST", "/logout"): ALL,
    ("GET", "/login"): PUBLIC,
    ("POST", "/login"): PUBLIC,
    ("GET", "/vendor/vega.js"): PUBLIC,
    ("GET", "/openapi.json"): PUBLIC,
    ("GET", "/api/docs"): PUBLIC,  # the API reference page, from our own template
}

#: Routes FastAPI adds itself (the API document).
_FRAMEWORK_ROUTES = {"/openapi.json"}

RECORDS: dict[str, dict[str, Any]] = {
    "responses": {"response_id": "authz-r", "submitted_at": "2026-01-02T10:00:00Z", "nps": 9},
    "mentions": {"mention_id": "authz-m", "text": "lovely lamps", "platform": "trustpilot"},
    "interactions": {"interaction_id": "authz-i", "occurred_at": "2026-01-02T10:00:00Z"},
    "notes": {"note_id": "authz-n", "text": "called back, resolved"},
    "referrals": {"referral_id": "authz-f", "referrer_id": "C00001", "referred_at": "2026-01-02"},
    "transactions": {
        "transaction_id": "authz-t",
        "customer_id": "C00001",
        "occurred_at": "2026-01-02T10:00:00Z",
        "amount": 12.5,
    },
}


def flattened(routes: list[Any]) -> list[Any]:
    """Routes, with those of included routers listed in their place."""
    found = []
    for route in routes:
        inner = getattr(route, "original_router", None) or getattr(route, "routes", None)
        if hasattr(route, "original_router"):
            found.extend(flattened(list(inner.routes)))  # type: ignore[union-attr]
        else:
            found.append(route)
    return found


def app_routes(client: TestClient) -> set[tuple[str, str]]:
    found = set()
    for route in flattened(list(client.app.routes)):  # type: ignore[attr-defined]
        methods = getattr(route, "methods", None) or set()
        for method in methods - {"HEAD"}:
            found.add((method, route.path))
    return found


def concrete(path: str, site: Site) -> str:
    return (
        path.replace("{name}", "scores")
        .replace("{customer_id}", site.north_customer)
        .replace("{employee_id}", site.north_employee)
        .replace("{survey_id}", "authz-survey")
    )


#: Bodies of the admin writes (JSON for the API, a form for pages); each works once for an admin.
ADMIN_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/api/v1/users"): {"username": "authz-api", "role": "viewer", "password": "x" * 12},
    ("PATCH", "/api/v1/users/{username}"): {"disabled": False},
    ("POST", "/api/v1/tokens"): {"role": "viewer", "name": "authz-api"},
    ("POST", "/admin/users"): {"username": "authz-page", "role": "viewer", "password": "y" * 12},
    ("POST", "/admin/users/{username}"): {"disabled": "false"},
    ("POST", "/admin/tokens"): {"role": "viewer", "name": "authz-page"},
    ("POST", "/api/v1/surveys"): {"survey_id": "authz-survey", "title": "A", "nps_question": "Q"},
    ("POST", "/api/v1/plans"): {"link": "culture:Career paths", "metric": "enps", "title": "A"},
    ("PATCH", "/api/v1/plans/{plan_id}"): {"status": "active"},
    ("POST", "/plans"): {"other_link": "culture:Career paths", "metric": "enps", "title": "B"},
    ("POST", "/plans/{plan_id}"): {"status": "active"},
    ("POST", "/api/v1/surveys/{survey_id}/links"): {"customer_ids": []},
    ("POST", "/cases/rules"): {"rules": "- {id: authz, trigger: nps_at_most, due_hours: 48}"},
    # Days ahead: the check finds nothing, so the demo's evidence gets no case here.
    # Nothing would open after 2100: the digest of no evidence (pages/cases.evidence_digest).
    ("POST", "/cases/open"): {
        "since": "2100-01-01",
        "expected": "0",
        "evidence": "e3b0c44298fc1c149afbf4c8996fb924",
    },
    ("POST", "/cases/{case_id}"): {"action": "note", "text": "authz"},
    ("POST", "/api/v1/cases/{case_id}/events"): {"action": "note", "text": "authz"},
    ("PUT", "/api/v1/rules"): {"rules": [{"id": "authz", "trigger": "nps_at_most"}]},
    ("POST", "/api/v1/asks"): {
        "id": "authz-api",
        "audience": {"kind": "everyone", "limit": 2},
        "action": "refer",
        "channel": "links",
    },
    ("POST", "/api/v1/asks/{campaign_id}/send"): {},
    ("POST", "/api/v1/asks/{campaign_id}/rewards/export"): {},
    ("POST", "/advocates/asks/{campaign_id}/send"): {},
    ("POST", "/advocates/asks"): {
        "definition": "id: authz-page\naudience: {kind: everyone, limit: 2}\n"
        "action: refer\nchannel: links\nseed: 1\n"
    },
}
#: The campaign the {campaign_id} routes use, made on the spot.
AUTHZ_CAMPAIGN = {
    "id": "authz-ask",
    "audience": {"kind": "everyone", "segment": "authz-nobody"},  # sends sign no link
    "action": "refer",
    "channel": "links",
    "seed": 1,
}


#: A small file the import routes receive.
UPLOAD = {"file": ("authz.csv", b"response_id,nps\nauthz-import,9\n", "text/csv")}


def _upload(client: TestClient, url: str, headers: dict[str, str]) -> Any:
    return client.post(
        url, files=UPLOAD, data={"kind": "responses"}, headers=headers, follow_redirects=False
    )


def call(client: TestClient, method: str, path: str, site: Site, headers: dict[str, str]) -> Any:
    url = concrete(path, site).replace("{username}", "vic")
    if path in ("/api/v1/imports", "/import"):
        return _upload(client, url, headers)
    if path == "/import/{token}":  # the token the check step gave this caller (if it may)
        checked = _upload(client, "/import", headers)
        token = re.search(r'action="/import/([^"/]+)"', checked.text)
        url = url.replace("{token}", token.group(1) if token else "none")
    if "{import_id}" in url:  # an import made on the spot
        answer = _upload(client, "/api/v1/imports", bearer(site, "admin"))
        url = url.replace("{import_id}", str(answer.json()["import_id"]))
    if "{token_id}" in url:  # a fresh token each time, so revoking never hits one in use
        from advocacy.access.tokens import create_token

        state = client.app.state.web  # type: ignore[attr-defined]
        with state.use:
            spare = create_token(state.ws.db, role="viewer", name="authz-spare").token
        url = url.replace("{token_id}", spare.token_id)
    if "{campaign_id}" in url:  # a campaign made on the spot (adding it again changes nothing)
        state = client.app.state.web  # type: ignore[attr-defined]
        with state.use:
            state.ws.asks.add(AUTHZ_CAMPAIGN, actor="authz")
        url = url.replace("{campaign_id}", "authz-ask")
    if "{plan_id}" in url:  # a plan made on the spot, so every role finds one
        from advocacy.loop.plans.changes import create_plan

        state = client.app.state.web  # type: ignore[attr-defined]
        with state.use:
            plan = create_plan(
                state.ws.db,
                title="authz",
                link_kind="culture",
                link_ref="Career paths",
                metric="enps",
                metric_filter={"unit": "North"},  # the case handler's unit
                settings=state.ws.settings,
            )
        url = url.replace("{plan_id}", plan.plan_id)
    if "{case_id}" in url:  # a North case opened on the spot, so the North handler may work it
        from advocacy.loop.cases.opening import open_cases_for
        from advocacy.loop.cases.rules import Rule

        state = client.app.state.web  # type: ignore[attr-defined]
        with state.use:
            count = state.ws.db.fetchone("SELECT count(*) FROM cases")[0]
            answer = {"response_id": f"authz-case-{count}", "nps": 1, "unit": "North"}
            state.ws.write_records("responses", [answer], actor="authz")
            rule = Rule("authz-case", "authz", "nps_at_most")
            (case,) = open_cases_for(
                state.ws.db,
                "responses",
                [answer["response_id"]],
                rules=[rule],
                settings=state.ws.settings,
            )
        url = url.replace("{case_id}", case.case_id)
    body = ADMIN_BODIES.get((method, path))
    if body is not None and path.startswith("/api/"):
        return client.request(method, url, json=body, headers=headers, follow_redirects=False)
    if body is not None:
        return client.request(method, url, data=body, headers=headers, follow_redirects=False)
    if method == "POST" and path.startswith("/api/v1/"):
        kind = path.rsplit("/", 1)[-1]
        return client.post(url, json=[RECORDS[kind]], headers=headers, follow_redirects=False)
    return client.request(method, url, headers=headers, follow_redirects=False)


def test_every_route_is_in_the_table(client: TestClient) -> None:
    assert app_routes(client) == set(ALLOWED)
    api = [r for r in flattened(list(client.app.routes)) if isinstance(r, APIRoute)]  # type: ignore[attr-defined]
    assert len(api) == len([key for key in ALLOWED if key[1] not in _FRAMEWORK_ROUTES])


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reaches_exactly_its_routes(client: TestClient, site: Site, role: str) -> None:
    outcome = {}
    for (method, path), allowed in ALLOWED.items():
        if allowed == PUBLIC:
            continue
        response = call(client, method, path, site, bearer(site, role))
        outcome[(method, path)] = response.status_code
    granted = {key for key, status in outcome.items() if status < 400}
    denied = {key for key, status in outcome.items() if status == 403}
    expected = {key for key, allowed in ALLOWED.items() if key in outcome and role in allowed}
    assert granted == expected, {key: outcome[key] for key in granted ^ expected}
    assert denied == set(outcome) - expected


def test_without_credentials_api_says_401_and_pages_redirect(
    client: TestClient, site: Site
) -> None:
    for (method, path), allowed in ALLOWED.items():
        if allowed == PUBLIC:
            continue
        response = call(client, method, path, site, {})
        if path.startswith("/api/"):
            assert response.status_code == 401, path
            body = response.json()
            assert body["error"] == "AuthenticationError" and body["fix"]
            assert response.headers["www-authenticate"] == "Bearer"
        else:
            assert response.status_code == 303, path
            assert response.headers["location"].startswith("/login?next=")


def test_a_revoked_or_forged_token_is_401(client: TestClient, site: Site) -> None:
    forged = {"Authorization": "Bearer adv_not-a-real-token"}
    assert client.get("/api/v1/me", headers=forged).status_code == 401
    malformed = {"Authorization": "Basic YWRhOnB3"}
    assert client.get("/api/v1/me", headers=malformed).status_code == 401


def test_a_case_handler_cannot_read_other_units_customers(client: TestClient, site: Site) -> None:
    handler = bearer(site, "case-handler")
    mine = client.get(f"/api/v1/customers/{site.north_customer}", headers=handler)
    assert mine.status_code == 200 and "North" in mine.json()["units"]
    other = client.get(f"/api/v1/customers/{site.other_customer}", headers=handler)
    assert other.status_code == 403 and other.json()["error"] == "AccessDeniedError"
    page = client.get(f"/customers/{site.other_customer}", headers=handler)
    assert page.status_code == 403
    listed = client.get("/api/v1/customers?limit=500", headers=handler).json()
    assert site.other_customer not in {row["customer_id"] for row in listed}
    assert site.north_customer in {row["customer_id"] for row in listed}
    # Scores reach a handler broken down by unit, and only for their units.
    rows = client.get("/api/v1/metrics", headers=handler).json()
    assert {row["unit"] for row in rows} == {"North"}
    coach = client.get(f"/coaching/{site.other_employee}", headers=handler)
    assert coach.status_code == 403
