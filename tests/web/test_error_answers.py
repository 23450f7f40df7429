"""Every known 500 is a 4xx with a reason (issue #15.7): odd parameters and bodies get the usual
error shape, found by probing each route (schemathesis, and the issue's list)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import advocacy
from advocacy.access import create_token
from advocacy.present.web import create_app
from web.site import PASSWORD, Site, bearer


@pytest.mark.parametrize("key", ["a\\", "*", "a*b", "x\\y", "a\x00", "\x7f"])
def test_an_attrs_key_a_json_path_cannot_take_is_a_400(
    client: TestClient, site: Site, key: str
) -> None:
    response = client.get(
        "/api/v1/metrics", params={"by": f"attrs.{key}"}, headers=bearer(site, "analyst")
    )
    assert response.status_code == 400
    shape = response.json()
    assert (shape["error"], shape["parameter"]) == ("UsageError", "--by")
    assert "backslashes, asterisks or control characters" in shape["fix"]


@pytest.fixture(scope="module")
def empty(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, str]]:
    url = str(Path(tmp_path_factory.mktemp("empty")) / "advocacy.duckdb")
    with advocacy.open(url) as ws:
        token = create_token(ws.db, role="analyst", name="etl").secret
    with TestClient(create_app(url), base_url="https://testserver") as test_client:
        yield test_client, token


@pytest.mark.parametrize("name", ["fans-to-be", "churn-risk"])
def test_an_analysis_without_enough_data_is_a_422(empty: tuple[TestClient, str], name: str) -> None:
    client, token = empty
    response = client.get(f"/api/v1/analyses/{name}", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 422
    shape = response.json()
    assert shape["error"] == "InsufficientDataError" and shape["fix"]


def test_unknown_routes_and_methods_get_the_error_shape(client: TestClient, site: Site) -> None:
    missing = client.get("/api/v1/no-such-thing", headers=bearer(site, "analyst"))
    assert missing.status_code == 404
    assert missing.json()["error"] == "NotFoundError"
    wrong = client.put("/api/v1/me", headers=bearer(site, "analyst"))
    assert wrong.status_code == 405
    assert wrong.json()["error"] == "UsageError" and wrong.headers["allow"] == "GET"
    page = client.get("/no-such-page")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "Not found" in page.text


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({"note_id": "f-1", "": "x"}, "the field name '' is blank or holds control characters"),
        (
            {"note_id": "f-2", "a\x00'y": "x"},
            'the field name "a\\x00\'y" is blank or holds control characters',
        ),
        ({"note_id": "f-3", "text": "\ud800"}, "[0].text holds an unpaired UTF-16 surrogate"),
    ],
)
def test_field_names_and_texts_sql_or_utf8_cannot_take_are_a_422(
    client: TestClient, site: Site, record: dict[str, str], message: str
) -> None:
    # Blank names and NUL used to reach the validation SQL (500: a DuckDB parser error); a lone
    # surrogate could not be encoded (500).
    body = json.dumps([record])  # ASCII, with \\u escapes: as a client would send them
    response = client.post(
        "/api/v1/notes",
        content=body,
        headers={**bearer(site, "analyst"), "Content-Type": "application/json"},
    )
    assert response.status_code == 422, response.text
    assert response.json()["message"].startswith(message)


def test_an_error_about_hostile_text_is_answered_not_crashed(
    client: TestClient, site: Site
) -> None:
    # YAML decodes "\ud921" to a lone surrogate, which the error message quoted: a 500 before.
    response = client.put(
        "/api/v1/rules",
        content='[{"\\ud921x": 1}]',
        headers={**bearer(site, "admin"), "Content-Type": "application/yaml"},
    )
    assert response.status_code == 422
    assert response.json()["message"] == "line 1: rules[1].\\ud921x: unknown key"


def test_an_audit_page_past_any_offset_is_a_400(client: TestClient) -> None:
    browser = TestClient(client.app, base_url="https://testserver")  # its own cookies
    browser.get("/login")
    browser.post(
        "/login",
        data={
            "username": "ada",
            "password": PASSWORD,
            "csrf_token": browser.cookies.get("advocacy_login_csrf") or "",
        },
    )
    assert browser.get("/admin/audit", params={"page": "2"}).status_code == 200
    huge = browser.get("/admin/audit", params={"page": "99999999999999999999"})
    assert huge.status_code == 400  # the offset overflowed DuckDB's integers: a 500 before
    assert "less than or equal to 1000000" in huge.text


def test_rules_with_an_impossible_date_are_a_422(client: TestClient, site: Site) -> None:
    response = client.put(
        "/api/v1/rules",
        content="- {id: x, trigger: nps_at_most, since: 2024-13-45}",
        headers={**bearer(site, "admin"), "Content-Type": "application/yaml"},
    )
    assert response.status_code == 422  # YAML's date reading raised ValueError: a 500 before
    assert response.json()["message"] == "not valid YAML: month must be in 1..12"
