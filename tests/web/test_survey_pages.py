"""Hosted survey pages and the survey API through the ASGI client, on a demo workspace copy.

The pages are public (the signed link is the credential), so these requests carry no session
and no token.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from advocacy.loop.cases.rule_store import ensure_default_rules
from advocacy.loop.surveys.invitations import invite
from web.site import Site, bearer

NONCE = re.compile(r'name="nonce" value="([^"]+)"')


@pytest.fixture(scope="module", autouse=True)
def secret() -> Iterator[None]:
    """The server's settings, in its environment before it starts (it reads them once)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ADVOCACY_SECRET_KEY", "web-test-key")
        patch.setenv("ADVOCACY_CONTACT_GUARD_DAYS", "30")
        yield


def _database(client: TestClient) -> Any:
    return client.app.state.web  # type: ignore[attr-defined]


def _fetch(client: TestClient, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    state = _database(client)
    with state.use:
        return state.ws.db.fetchall(sql, params)


def _link(
    client: TestClient, customer_id: str | None, *, link_days: int | None = None, **options: Any
) -> str:
    """A signed link of the server's workspace (valid ``link_days``: default its setting)."""
    state = _database(client)
    settings = state.ws.settings.updated(survey_link_days=link_days)
    with state.use:
        ensure_default_rules(state.ws.db)
        invitation = invite(
            state.ws.db, survey_id="default", customer_id=customer_id, settings=settings, **options
        )
    return "/s/" + invitation.token


def _nonce(page: Any) -> str:
    found = NONCE.search(page.text)
    assert found, page.text
    return found.group(1)


def test_a_detractor_answer_through_a_signed_link_opens_a_case(
    client: TestClient, site: Site
) -> None:
    path = _link(client, site.north_customer, purpose="follow-up")
    page = client.get(path)
    assert page.status_code == 200
    assert "How likely are you to recommend us" in page.text
    assert page.text.count('type="radio" name="nps"') == 11 and "<legend>" in page.text
    answer = {"nonce": _nonce(page), "nps": "2", "comment": "The lamp arrived broken, twice."}
    thanks = client.post(path, data=answer)
    assert thanks.status_code == 200 and "Thank you" in thanks.text
    [(response_id, nps, customer)] = _fetch(
        client,
        "SELECT response_id, nps, customer_id FROM responses WHERE comment = ?",
        [answer["comment"]],
    )
    assert (nps, customer) == (2, site.north_customer)
    cases = _fetch(client, "SELECT rule_id FROM cases WHERE evidence_id = ?", [response_id])
    assert len(cases) == 1
    # The link is used up: the page and a second post both say so, and nothing is added.
    assert "we already have your answer" in client.get(path).text
    assert "we already have your answer" in client.post(path, data=answer).text
    count = _fetch(client, "SELECT count(*) FROM responses WHERE comment = ?", [answer["comment"]])
    assert count == [(1,)]


def test_a_bad_answer_shows_the_form_again_with_the_reason(client: TestClient) -> None:
    path = _link(client, None)
    page = client.get(path)
    refused = client.post(path, data={"nonce": _nonce(page), "nps": "12", "comment": "hm"})
    assert refused.status_code == 422
    assert "NPS must be a whole number from 0 to 10" in refused.text
    assert ">hm</textarea>" in refused.text  # what was typed is kept
    no_nonce = client.post(path, data={"nps": "9"})
    assert no_nonce.status_code == 403 and "reload the survey page" in no_nonce.text


def test_the_anonymous_link(client: TestClient) -> None:
    page = client.get("/s/open/default")
    assert page.status_code == 200
    answered = client.post(
        "/s/open/default", data={"nonce": _nonce(page), "nps": "10", "comment": "Anon praise"}
    )
    assert answered.status_code == 200 and "Thank you" in answered.text
    stored = _fetch(
        client, "SELECT customer_id, nps FROM responses WHERE comment = ?", ["Anon praise"]
    )
    assert stored == [(None, 10)]
    missing = client.get("/s/open/no-such-survey")
    assert missing.status_code == 404 and "There is no such survey" in missing.text


def test_bad_and_expired_links_get_a_friendly_page(client: TestClient) -> None:
    path = _link(client, None)
    tampered = client.get(path[:-4] + "AAAA")
    assert tampered.status_code == 403
    assert "This link does not work" in tampered.text and "Traceback" not in tampered.text
    assert client.get("/s/nonsense").status_code == 403
    assert client.post("/s/nonsense", data={"nps": "1"}).status_code == 403


def test_expired_link_is_410(client: TestClient) -> None:
    expired = client.get(_link(client, None, link_days=-1))
    assert expired.status_code == 410 and "This link has expired" in expired.text


def test_only_survey_pages_may_be_framed(client: TestClient) -> None:
    survey = client.get("/s/open/default")
    assert "x-frame-options" not in survey.headers
    assert "frame-ancestors *" in survey.headers["content-security-policy"]
    login = client.get("/login")
    assert login.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in login.headers["content-security-policy"]


def test_the_survey_api(client: TestClient, site: Site) -> None:
    listed = client.get("/api/v1/surveys", headers=bearer(site, "viewer"))
    assert "default" in {survey["survey_id"] for survey in listed.json()}
    definition = {"survey_id": "after-delivery", "title": "Delivery", "ces_question": "Easy?"}
    refused = client.post("/api/v1/surveys", json=definition, headers=bearer(site, "viewer"))
    assert refused.status_code == 403
    made = client.post("/api/v1/surveys", json=definition, headers=bearer(site, "analyst"))
    assert made.status_code == 200 and made.json()["ces_question"] == "Easy?"
    bad = client.post(
        "/api/v1/surveys", json={"survey_id": "x y", "title": "T"}, headers=bearer(site, "analyst")
    )
    assert bad.status_code == 400 and bad.json()["parameter"] == "survey_id"
    links = client.post(
        "/api/v1/surveys/after-delivery/links",
        json={"customer_ids": [site.other_customer]},
        headers=bearer(site, "analyst"),
    )
    body = links.json()
    assert links.status_code == 200 and body["created"] + body["skipped"] == 1
    if body["created"]:
        [link] = body["links"]
        assert link["customer_id"] == site.other_customer and "/s/" in link["url"]
