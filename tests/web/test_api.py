"""The REST API and the browser session through the ASGI client: the numbers match the library,
writes are validated and idempotent, personal data is masked for viewers, CSRF is enforced."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from advocacy.access.masking import MASK
from advocacy.access.users import MAX_FAILURES
from advocacy.present.web.pages.topics import TOPICS
from web.site import PASSWORD, Site, bearer


def test_metrics_match_the_library_with_the_same_options(client: TestClient, site: Site) -> None:
    query = "metric=nps,csat&by=unit&period=quarter&compare=previous&min_n=20"
    rows = client.get(f"/api/v1/metrics?{query}", headers=bearer(site, "analyst")).json()
    ws = client.app.state.web.ws  # type: ignore[attr-defined]
    expected = ws.metrics.scores(
        ["nps", "csat"], by=["unit"], period="quarter", compare="previous", min_n=20
    )
    served = pd.DataFrame(rows)
    assert len(served) == len(expected) > 10
    for column in ("n", "score", "ci_low", "ci_high", "p_adjusted"):
        assert served[column].astype(float).fillna(-1).round(9).tolist() == (
            expected[column].astype(float).fillna(-1).round(9).tolist()
        ), column
    assert served["verdict"].fillna("").tolist() == expected["verdict"].fillna("").tolist()


def test_metrics_options_are_validated_like_the_cli(client: TestClient, site: Site) -> None:
    response = client.get("/api/v1/metrics?period=fortnight", headers=bearer(site, "viewer"))
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "UsageError" and "fortnight" in body["value"] and body["fix"]


def test_writes_are_idempotent_and_show_up_in_the_customer_360(
    client: TestClient, site: Site
) -> None:
    analyst = bearer(site, "analyst")
    note = {
        "note_id": "api-note-1",
        "customer_id": site.north_customer,
        "taken_at": "2026-06-01T09:30:00Z",
        "interviewer": "Sam Field",
        "text": "Called back; replacement lamp sent, customer relieved.",
        "mood": "relieved",  # not canonical: kept in attrs
    }
    first = client.post("/api/v1/notes", json={"records": [note]}, headers=analyst).json()
    assert (first["inserted"], first["updated"], first["unchanged"]) == (1, 0, 0)
    again = client.post("/api/v1/notes", json=[note], headers=analyst).json()
    assert (again["inserted"], again["updated"], again["unchanged"]) == (0, 0, 1)
    changed = client.post(
        "/api/v1/notes",
        json=[{**note, "text": note["text"] + " Follow up in May."}],
        headers=analyst,
    ).json()
    assert (changed["inserted"], changed["updated"]) == (0, 1)
    view = client.get(f"/api/v1/customers/{site.north_customer}", headers=analyst).json()
    notes = [event for event in view["events"] if event["id"] == "api-note-1"]
    assert len(notes) == 1 and notes[0]["text"].endswith("Follow up in May.")


def test_bad_records_get_the_one_error_shape_and_nothing_is_written(
    client: TestClient, site: Site
) -> None:
    analyst = bearer(site, "analyst")
    status = client.get("/api/v1/status", headers=analyst).json()
    before = {t["table"]: t["rows"] for t in status["tables"]}["responses"]
    batch = [
        {"response_id": "api-ok", "submitted_at": "2026-05-01T10:00:00Z", "nps": 10},
        {"response_id": "api-bad", "submitted_at": "last Tuesday", "nps": 11},
    ]
    response = client.post("/api/v1/responses", json=batch, headers=analyst)
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "ValidationError" and body["row"] == 1 and body["fix"]
    assert {(error["row"], error["column"], error["value"]) for error in body["errors"]} == {
        (1, "nps", "11"),
        (1, "submitted_at", "last Tuesday"),
    }
    assert all(set(error) <= set(body) for error in body["errors"])
    status = client.get("/api/v1/status", headers=analyst).json()
    assert status["schema_version"] >= 4
    responses = {t["table"]: t["rows"] for t in status["tables"]}["responses"]
    assert responses == before
    not_json = client.post(
        "/api/v1/responses",
        content=b"{oops",
        headers={**analyst, "content-type": "application/json"},
    )
    assert not_json.status_code == 422 and not_json.json()["error"] == "ValidationError"


def test_viewer_sees_personal_data_masked(client: TestClient, site: Site) -> None:
    analyst = client.get(
        f"/api/v1/customers/{site.north_customer}", headers=bearer(site, "analyst")
    )
    viewer = client.get(f"/api/v1/customers/{site.north_customer}", headers=bearer(site, "viewer"))
    real, masked = analyst.json()["customer"], viewer.json()["customer"]
    assert real["name"] and real["name"] != MASK and "@" in real["email"]
    assert masked["name"] == MASK and masked["email"] == MASK
    assert masked["customer_id"] == real["customer_id"]
    page = client.get(f"/customers/{site.north_customer}", headers=bearer(site, "viewer")).text
    assert real["name"] not in page and real["email"] not in page
    assert "Personal data is masked" in page
    listed = client.get("/api/v1/customers?q=" + real["name"][:4], headers=bearer(site, "viewer"))
    assert listed.json() == [] or all(row["name"] == MASK for row in listed.json())


def test_openapi_document_describes_the_api(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    paths = document["paths"]
    assert "/api/v1/metrics" in paths and "/api/v1/customers/{customer_id}" in paths
    assert "requestBody" in paths["/api/v1/responses"]["post"]
    parameters = {item["name"] for item in paths["/api/v1/metrics"]["get"]["parameters"]}
    assert {"metric", "by", "period", "since", "until", "compare", "min_n"} <= parameters
    assert not any(path.startswith("/customers") for path in paths)


def _login_form(client: TestClient, next_path: str = "/") -> str:
    page = client.get(f"/login?next={next_path}")
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match
    return match.group(1)


def test_browser_session_cookies_csrf_and_throttling(site: Site) -> None:
    from advocacy.present.web import create_app

    with TestClient(create_app(site.url), base_url="https://testserver") as browser:
        token = _login_form(browser)
        forged = browser.post(
            "/login", data={"username": "ana", "password": PASSWORD, "csrf_token": "forged"}
        )
        assert forged.status_code == 403
        signed_in = browser.post(
            "/login",
            data={"username": "ana", "password": PASSWORD, "csrf_token": token, "next": "/explore"},
            follow_redirects=False,
        )
        assert signed_in.status_code == 303 and signed_in.headers["location"] == "/explore"
        cookie = signed_in.headers["set-cookie"]
        assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=strict" in cookie
        assert browser.get("/").status_code == 200
        for header in ("content-security-policy", "x-frame-options", "x-content-type-options"):
            assert header in browser.get("/").headers
        # A session may write through the API only with its CSRF token.
        record = [{"note_id": "csrf-1", "text": "hello"}]
        assert browser.post("/api/v1/notes", json=record).status_code == 403
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', browser.get("/").text)
        assert csrf
        allowed = browser.post("/api/v1/notes", json=record, headers={"X-CSRF-Token": csrf[1]})
        assert allowed.status_code == 200
        # Signing out needs the token too, then the session is gone.
        assert browser.post("/logout", data={"csrf_token": "nope"}).status_code == 403
        browser.post("/logout", data={"csrf_token": csrf[1]}, follow_redirects=False)
        assert browser.get("/", follow_redirects=False).status_code == 303

        for attempt in range(MAX_FAILURES):
            wrong = browser.post(
                "/login",
                data={
                    "username": "vic",
                    "password": f"wrong {attempt}",
                    "csrf_token": _login_form(browser),
                },
            )
            assert wrong.status_code == 401 and "wrong user name or password" in wrong.text
        throttled = browser.post(
            "/login",
            data={"username": "vic", "password": PASSWORD, "csrf_token": _login_form(browser)},
        )
        assert throttled.status_code == 429 and "too many failed sign-ins" in throttled.text
        assert int(throttled.headers["retry-after"]) > 0


@pytest.mark.parametrize("name", ["text", "advocates", "gaps", "people"])
def test_topic_pages_show_each_analysis_or_how_to_get_it(
    client: TestClient, site: Site, name: str
) -> None:
    page = html.unescape(client.get(f"/{name}", headers=bearer(site, "analyst")).text)
    topic = TOPICS[name]
    assert "Evidence in this workspace" in page
    for part in topic.parts:
        # Drivers are named by the outcome they explain: the demo's is NPS.
        label = part.label.replace("the outcome", "NPS") if part.method == "gaps.drivers" else None
        assert (label or part.label) in page, label or part.label
    for planned in topic.planned:
        assert planned in page
    # A case handler is told why the company-wide analyses are not shown.
    handler = client.get(f"/{name}", headers=bearer(site, "case-handler")).text
    if topic.parts:
        assert "for analysts" in handler


def test_gap_register_on_the_gaps_page_matches_the_library(client: TestClient, site: Site) -> None:
    ws = client.app.state.web.ws  # type: ignore[attr-defined]
    register = ws.gaps.register(top=5)
    page = html.unescape(client.get("/gaps", headers=bearer(site, "analyst")).text)
    for subject in register["subject"].astype(str):
        assert subject in page


def test_employees_and_supervisors_see_their_own_coaching_pages(
    client: TestClient, site: Site
) -> None:
    from advocacy.access import add_user

    state = client.app.state.web  # type: ignore[attr-defined]
    with state.use:
        rows = state.ws.db.fetchall(
            "SELECT employee_id, supervisor_id FROM employees WHERE supervisor_id IS NOT NULL "
            "ORDER BY employee_id"
        )
        employee, supervisor = rows[0]
        stranger = next(e for e, s in rows if s != supervisor and e != employee)
        add_user(state.ws.db, supervisor, role="viewer", password=PASSWORD)
    headers = _session(client, supervisor)
    listed = client.get("/coaching", headers=headers).text
    assert f"/coaching/{employee}" in listed and f"/coaching/{stranger}" not in listed
    assert client.get(f"/coaching/{supervisor}", headers=headers).status_code == 200
    page = client.get(f"/coaching/{employee}", headers=headers)
    assert page.status_code == 200 and "Customers' view" in page.text
    assert client.get(f"/coaching/{stranger}", headers=headers).status_code == 403


def _session(client: TestClient, username: str) -> dict[str, str]:
    """Sign ``username`` in and return the Cookie header of the session."""
    token = _login_form(client)
    signed_in = client.post(
        "/login",
        data={"username": username, "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert signed_in.status_code == 303
    cookie = signed_in.cookies.get("advocacy_session")
    client.cookies.clear()
    return {"Cookie": f"advocacy_session={cookie}"}


def test_overview_shows_the_advocacy_ladder_once_computed(client: TestClient, site: Site) -> None:
    from advocacy.advocates.ladder import ladder_counts

    ws = client.app.state.web.ws  # type: ignore[attr-defined]
    with client.app.state.web.use:  # type: ignore[attr-defined]
        expected = ladder_counts(ws.advocates.ladder())
    # Opening Advocates places every customer; the overview then shows the counts per rung.
    assert client.get("/advocates", headers=bearer(site, "analyst")).status_code == 200
    page = client.get("/", headers=bearer(site, "analyst")).text
    section = page.split('id="ladder"', 1)[1]
    for row in expected.to_dict("records"):
        assert f'<td>{row["rung"]}</td><td class="num">{row["customers"]:,}</td>' in section
    handler = client.get("/", headers=bearer(site, "case-handler")).text
    assert "The ladder spans every unit" in handler


def test_analyses_listing_customers_are_masked_for_viewers(client: TestClient, site: Site) -> None:
    analyst = client.get("/api/v1/analyses/silent-promoters", headers=bearer(site, "analyst"))
    viewer = client.get("/api/v1/analyses/silent-promoters", headers=bearer(site, "viewer"))
    assert analyst.status_code == viewer.status_code == 200
    emails = {row["email"] for row in analyst.json() if row.get("email")}
    assert emails, "the demo's silent promoters have e-mail addresses"
    assert not emails & {row["email"] for row in viewer.json()}
    assert len(viewer.json()) == len(analyst.json())


def test_analyses_download_as_csv_and_xlsx(client: TestClient, site: Site) -> None:
    import io

    import pandas as pd

    rows = client.get("/api/v1/analyses/scores", headers=bearer(site, "analyst")).json()
    as_csv = client.get("/api/v1/analyses/scores?format=csv", headers=bearer(site, "analyst"))
    assert as_csv.status_code == 200 and as_csv.headers["content-type"].startswith("text/csv")
    frame = pd.read_csv(io.StringIO(as_csv.text))
    assert frame["score"].round(6).tolist() == [round(row["score"], 6) for row in rows]
    as_xlsx = client.get("/api/v1/analyses/scores?format=xlsx", headers=bearer(site, "analyst"))
    assert len(pd.read_excel(io.BytesIO(as_xlsx.content), sheet_name="scores")) == len(rows)
    wrong = client.get("/api/v1/analyses/scores?format=pdf", headers=bearer(site, "analyst"))
    assert wrong.status_code in (400, 422)
