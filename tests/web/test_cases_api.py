"""The case API over the demo site: a detractor written through the API opens a case for the
unit's owner at once; handlers work only their units' cases; closing needs a root cause; every
change is audited. (The demo's rules route North to ``hal``, the site's North case handler.)"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from web.site import Site, bearer


def _answer(client: TestClient, site: Site, rid: str, unit: str, **extra: Any) -> Any:
    record = {"response_id": rid, "customer_id": f"CUST-{rid}", "nps": 2, "unit": unit,
              "submitted_at": "2026-06-30T10:00:00Z", **extra}  # fmt: skip
    response = client.post("/api/v1/responses", json=[record], headers=bearer(site, "analyst"))
    assert response.status_code == 200, response.text
    return response.json()


def test_a_detractor_posted_opens_a_case_for_the_units_owner(
    client: TestClient, site: Site
) -> None:
    written = _answer(client, site, "api-north-1", "North")
    assert written["inserted"] == 1
    (opened,) = written["cases"]
    assert (opened["owner"], opened["status"], opened["rule"]) == (
        "hal", "new", "Detractor follow-up",
    )  # fmt: skip
    listed = client.get(
        "/api/v1/cases", params={"customer_id": "CUST-api-north-1"}, headers=bearer(site, "viewer")
    ).json()
    assert [(c["case_id"], c["status"], c["owner"], c["rule"]) for c in listed] == [
        (opened["case_id"], "new", "hal", "Detractor follow-up")
    ]
    assert listed[0]["due_at"] > listed[0]["opened_at"]
    # The same answer sent again changes nothing and opens no second case.
    assert _answer(client, site, "api-north-1", "North")["cases"] == []


def test_handlers_see_and_work_only_their_units(client: TestClient, site: Site) -> None:
    (north,) = _answer(client, site, "api-north-2", "North")["cases"]
    (south,) = _answer(client, site, "api-south-1", "South")["cases"]
    handler = bearer(site, "case-handler")
    mine = {c["case_id"] for c in client.get("/api/v1/cases", headers=handler).json()}
    assert north["case_id"] in mine and south["case_id"] not in mine
    assert client.get(f"/api/v1/cases/{south['case_id']}", headers=handler).status_code == 403
    refused = client.post(
        f"/api/v1/cases/{south['case_id']}/events", json={"action": "contact"}, headers=handler
    )
    assert refused.status_code == 403 and refused.json()["error"] == "AccessDeniedError"
    worked = client.post(
        f"/api/v1/cases/{north['case_id']}/events", json={"action": "contact"}, headers=handler
    )
    assert worked.status_code == 200 and worked.json()["status"] == "contacted"
    assert client.get("/api/v1/cases/case-missing", headers=handler).status_code in (403, 404)


def test_closing_needs_a_root_cause_and_every_change_is_audited(
    client: TestClient, site: Site
) -> None:
    (case,) = _answer(client, site, "api-north-3", "North")["cases"]
    events = f"/api/v1/cases/{case['case_id']}/events"
    handler = bearer(site, "case-handler")
    missing = client.post(events, json={"action": "close", "action_taken": "x"}, headers=handler)
    assert missing.status_code == 400
    error = missing.json()
    assert error["error"] == "UsageError" and error["parameter"] == "root_cause" and error["fix"]
    closed = client.post(
        events,
        json={"action": "close", "root_cause": "courier lost it", "action_taken": "refunded"},
        headers=handler,
    ).json()
    assert (closed["status"], closed["root_cause"]) == ("closed", "courier lost it")
    assert [e["kind"] for e in closed["events"]] == ["open", "close"]
    audit = client.get("/api/v1/audit", headers=bearer(site, "admin")).json()
    actions = {(e["action"], e["actor"]) for e in audit if e["target"] == case["case_id"]}
    assert actions == {("case.open", "rules"), ("case.close", "hal")}


def test_viewers_get_cases_with_personal_data_masked(client: TestClient, site: Site) -> None:
    comment = "Call me on 07700 900123 or mail jo@example.com, the lamp broke"
    (case,) = _answer(client, site, "api-north-4", "North", comment=comment)["cases"]
    seen = client.get(f"/api/v1/cases/{case['case_id']}", headers=bearer(site, "viewer")).json()
    assert "jo@example.com" not in seen["evidence"]["text"]
    assert "lamp broke" in seen["evidence"]["text"]
    full = client.get(f"/api/v1/cases/{case['case_id']}", headers=bearer(site, "analyst")).json()
    assert full["evidence"]["text"] == comment


def test_rules_are_read_by_all_and_replaced_by_managers(client: TestClient, site: Site) -> None:
    rules = client.get("/api/v1/rules", headers=bearer(site, "viewer")).json()
    assert {"detractor", "angry-mention"} <= {rule["id"] for rule in rules}
    bad = "- id: x\n  trigger: nps_at_most\n  due_hours: -1\n"
    refused = client.put("/api/v1/rules", content=bad, headers=bearer(site, "analyst"))
    assert refused.status_code == 422
    assert refused.json()["row"] == 3 and refused.json()["column"] == "due_hours"
    denied = client.put("/api/v1/rules", content=bad, headers=bearer(site, "case-handler"))
    assert denied.status_code == 403
    assert client.get("/api/v1/rules", headers=bearer(site, "viewer")).json() == rules


def test_results_report_recovery_against_a_comparison(client: TestClient, site: Site) -> None:
    found = client.get("/api/v1/cases/results", headers=bearer(site, "analyst")).json()
    assert found["overall"]["cases"] > 0
    assert {"case_rate", "comparison_rate", "difference_low"} <= set(found["comparison"])
    handler = client.get("/api/v1/cases/results", headers=bearer(site, "case-handler")).json()
    assert {row["unit"] for row in handler["by_unit"]} <= {"North"}
