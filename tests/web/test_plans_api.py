"""Action plans through the REST API and the pages: who may create them, and what they show."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from advocacy.access import audit_entries
from advocacy.loop.plans.links import gap_rows
from web.site import Site, bearer


def _top_gap(client: TestClient) -> dict[str, Any]:
    state = client.app.state.web  # type: ignore[attr-defined]
    with state.use:
        return gap_rows(state.ws.db, confidence=state.ws.settings.confidence)[0]


def test_an_analyst_creates_a_plan_on_the_top_gap_and_a_viewer_reads_it(
    client: TestClient, site: Site
) -> None:
    gap = _top_gap(client)
    body = {"link": f"gap:{gap['gap_id']}", "owner": "ana", "starts_on": "2026-03-01"}
    created = client.post("/api/v1/plans", json=body, headers=bearer(site, "analyst"))
    assert created.status_code == 201, created.text
    plan = created.json()["plan"]
    assert (plan["metric"], plan["metric_filter"]) == (gap["metric"], gap["metric_filter"])
    assert plan["baseline"]["n"] > 0 and plan["baseline"]["value"] is not None
    assert plan["created_by"] == "ana"

    read = client.get(f"/api/v1/plans/{plan['plan_id']}", headers=bearer(site, "viewer"))
    assert read.status_code == 200
    progress = read.json()
    assert progress["baseline"] == plan["baseline"]
    assert progress["current"]["since"] == "2026-03-01"
    assert progress["verdict"] in ("improved", "worsened", "no clear change", "too early")
    summary = progress["summary"]
    if summary["change"] is not None and progress["current"]["value"] is not None:
        expected = progress["current"]["value"] - progress["baseline"]["value"]
        assert abs(summary["change"] - expected) < 1e-9
    listed = client.get("/api/v1/plans", headers=bearer(site, "viewer")).json()
    assert plan["plan_id"] in [row["plan_id"] for row in listed]


def test_a_case_handler_sees_only_plans_measured_in_their_units(
    client: TestClient, site: Site
) -> None:
    analyst, handler = bearer(site, "analyst"), bearer(site, "case-handler")
    body = {"link": "culture:Career paths", "metric": "nps", "title": "Company-wide"}
    everywhere = client.post("/api/v1/plans", json=body, headers=analyst).json()["plan"]
    north = {**body, "title": "North only", "metric_filter": {"unit": "North"}}
    inside = client.post("/api/v1/plans", json=north, headers=analyst).json()["plan"]

    listed = client.get("/api/v1/plans", headers=handler).json()
    assert listed and {row["scope"] for row in listed} == {"unit=North"}
    assert inside["plan_id"] in [row["plan_id"] for row in listed]
    assert client.get(f"/api/v1/plans/{inside['plan_id']}", headers=handler).status_code == 200
    refused = client.get(f"/api/v1/plans/{everywhere['plan_id']}", headers=handler)
    assert refused.status_code == 403 and "outside your units" in refused.json()["message"]
    page = client.get(f"/plans/{everywhere['plan_id']}", headers=handler)
    assert page.status_code == 403


def test_a_viewer_may_not_create_or_change_plans(client: TestClient, site: Site) -> None:
    body = {"link": "culture:Career paths", "metric": "enps", "title": "Career ladders"}
    refused = client.post("/api/v1/plans", json=body, headers=bearer(site, "viewer"))
    assert refused.status_code == 403
    assert refused.json()["error"] == "AccessDeniedError"
    made = client.post("/api/v1/plans", json=body, headers=bearer(site, "admin")).json()
    plan_id = made["plan"]["plan_id"]
    change = {"status": "done"}
    denied = client.patch(f"/api/v1/plans/{plan_id}", json=change, headers=bearer(site, "viewer"))
    assert denied.status_code == 403

    changed = client.patch(f"/api/v1/plans/{plan_id}", json=change, headers=bearer(site, "analyst"))
    assert changed.status_code == 200 and changed.json()["plan"]["status"] == "done"
    state = client.app.state.web  # type: ignore[attr-defined]
    with state.use:
        entries = [entry for entry in audit_entries(state.ws.db) if entry.target == plan_id]
    assert [(entry.action, entry.actor) for entry in entries] == [
        ("plan.update", "ana"),
        ("plan.create", "ada"),
    ]


def test_bad_plans_are_refused_with_the_one_error_shape(client: TestClient, site: Site) -> None:
    analyst = bearer(site, "analyst")
    unknown = client.post("/api/v1/plans", json={"link": "gap:nope"}, headers=analyst)
    assert unknown.status_code == 404
    assert _top_gap(client)["gap_id"] in unknown.json()["fix"]
    body = {"link": "culture:Career paths", "metric": "happiness", "title": "x"}
    metric = client.post("/api/v1/plans", json=body, headers=analyst)
    assert metric.status_code == 400 and metric.json()["parameter"] == "--metric"
    missing = client.get("/api/v1/plans/no-such-plan", headers=analyst)
    assert missing.status_code == 404


def test_the_plans_page_starts_a_plan_from_the_top_gap(client: TestClient, site: Site) -> None:
    gap = _top_gap(client)
    page = client.get("/plans", headers=bearer(site, "analyst"))
    assert page.status_code == 200
    assert f'<option value="gap:{gap["gap_id"]}"' in page.text
    form = {"link": f"gap:{gap['gap_id']}", "starts_on": "2026-03-01"}
    made = client.post("/plans", data=form, headers=bearer(site, "analyst"), follow_redirects=False)
    assert made.status_code == 303
    shown = client.get(made.headers["location"], headers=bearer(site, "viewer"))
    assert "Baseline (frozen)" in shown.text and "Verdict" in shown.text
    assert "Change the plan" not in shown.text  # a viewer cannot edit
    assert "New plan" not in client.get("/plans", headers=bearer(site, "viewer")).text
