"""Ask links through the ASGI client: the redirect, the share page, the landing and the API.

The link pages are public (the signed member link is the credential), so these requests carry
no session; the API calls carry an analyst's or a viewer's token.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

import advocacy
from advocacy.access import add_user, create_token
from advocacy.present.web import create_app

NONCE = re.compile(r'name="nonce" value="([^"]+)"')
REVIEW = "https://www.trustpilot.com/review/example.com"
PAYLOAD = "<script>alert('x')</script> =1+1 \u202e"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, dict[str, str]]]:
    url = str(tmp_path_factory.mktemp("ask-pages") / "advocacy.duckdb")
    tokens = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ADVOCACY_SECRET_KEY", "web-test-key")
        patch.setenv("ADVOCACY_PUBLIC_URL", "http://testserver")
        with advocacy.open(url) as ws:
            for index in range(12):
                ws.db.execute(
                    "INSERT INTO customers (customer_id, name, email) VALUES (?, ?, ?)",
                    [f"C{index:02d}", f"{PAYLOAD} {index}", f"c{index:02d}@example.com"],
                )
            for role in ("analyst", "viewer"):
                add_user(ws.db, role, role=role, password="x" * 12)
                tokens[role] = create_token(ws.db, role=role, name=role).secret
        with TestClient(create_app(url)) as client:
            yield client, tokens


def _auth(tokens: dict[str, str], role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens[role]}"}


def _campaign(client: TestClient, tokens: dict[str, str], **changes: Any) -> dict[str, Any]:
    body = {
        "id": "refer",
        "name": PAYLOAD,
        "audience": {"kind": "everyone"},
        "action": "refer",
        "channel": "links",
        "targets": {"review": REVIEW},
        "message": {"body": PAYLOAD},
        "seed": 3,
        "guards": {"days_between_asks": 0},  # each test's campaign asks the same customers
    } | changes
    added = client.post("/api/v1/asks", json=body, headers=_auth(tokens, "analyst"))
    assert added.status_code == 201, added.text
    sent = client.post(f"/api/v1/asks/{body['id']}/send", headers=_auth(tokens, "analyst"))
    assert sent.status_code == 200, sent.text
    return dict(sent.json())


def _token(url: str) -> str:
    return url.split("/a/")[1].split("/")[0]


def test_the_redirect_counts_the_click_and_goes_only_to_named_targets(
    served: tuple[TestClient, dict[str, str]],
) -> None:
    client, tokens = served
    sent = _campaign(client, tokens)
    token = _token(sent["asked"][0]["urls"]["review"])
    hop = client.get(f"/a/{token}/review", follow_redirects=False)
    assert hop.status_code == 303 and hop.headers["location"] == REVIEW
    assert hop.headers["referrer-policy"] == "no-referrer"  # the token stays out of Referer
    for target in ("evil.example", "https:%2F%2Fevil.example", "REVIEW", "review%00"):
        refused = client.get(f"/a/{token}/{target}", follow_redirects=False)
        assert refused.status_code == 404 and "location" not in refused.headers
    assert "this link leads nowhere" in client.get(f"/a/{token}/REVIEW").text
    extra = client.get(f"/a/{token}/review?next=https://evil.example", follow_redirects=False)
    assert extra.headers["location"] == REVIEW  # no parameter can redirect elsewhere
    body, signature = token.split(".")
    tampered = client.get(f"/a/{body}x.{signature}/review", follow_redirects=False)
    assert tampered.status_code == 403 and "location" not in tampered.headers
    results = client.get("/api/v1/asks/refer/results", headers=_auth(tokens, "viewer")).json()
    click = next(row for row in results["outcomes"] if row["outcome"] == "click")
    assert click["ask_hits"] == 1  # the refused and tampered requests counted nothing


def test_the_landing_records_a_friend_only_with_its_own_form(
    served: tuple[TestClient, dict[str, str]],
) -> None:
    client, tokens = served
    sent = _campaign(client, tokens, id="landing")
    token = _token(sent["asked"][0]["urls"]["landing"])
    share = client.get(f"/a/{token}/landing")  # followed to the share page
    assert share.status_code == 200 and f"/r/{token}" in share.text
    assert PAYLOAD not in share.text and "&lt;script&gt;" in share.text  # escaped
    landing = client.get(f"/r/{token}")
    nonce = NONCE.search(landing.text)
    assert nonce
    forged = client.post(f"/r/{token}", data={"email": "a@b.org", "consent": "yes"})
    assert forged.status_code == 403  # no nonce: not a form this server rendered
    too_long = client.post(
        f"/r/{token}", data={"nonce": nonce.group(1), "name": "n" * 300, "consent": "yes"}
    )
    assert too_long.status_code == 422 and "too long" in too_long.text
    landed = client.post(
        f"/r/{token}",
        data={"nonce": nonce.group(1), "name": PAYLOAD, "email": "f@example.org"},
    )
    assert landed.status_code == 200
    code = re.search(r'id="referral-code">([A-Z0-9]{8})<', landed.text)
    assert code
    state = client.app.state.web  # type: ignore[attr-defined]
    with state.use:
        rows = state.ws.db.fetchall(
            "SELECT referred_contact, code FROM referrals WHERE channel = 'ask:landing'"
        )
    assert rows == [(None, code.group(1))]  # no consent: the e-mail was not kept
    rewards = client.get("/api/v1/asks/landing/rewards", headers=_auth(tokens, "analyst"))
    assert rewards.status_code == 200 and rewards.json() == []  # no reward rule
    hidden = client.get("/api/v1/asks/landing/rewards", headers=_auth(tokens, "viewer"))
    assert hidden.status_code == 403  # payment data is for the loop's managers


def test_the_api_lists_campaigns_and_refuses_bad_ones(
    served: tuple[TestClient, dict[str, str]],
) -> None:
    client, tokens = served
    _campaign(client, tokens, id="listed")
    listed = client.get("/api/v1/asks", headers=_auth(tokens, "viewer")).json()
    assert "listed" in [campaign["id"] for campaign in listed]
    bad = client.post(
        "/api/v1/asks",
        json={"id": "x", "audience": {"kind": "everyone"}, "action": "refer", "channel": "fax"},
        headers=_auth(tokens, "analyst"),
    )
    assert bad.status_code == 422 and bad.json()["column"] == "channel"
    denied = client.post("/api/v1/asks/listed/send", headers=_auth(tokens, "viewer"))
    assert denied.status_code == 403
    with client.app.state.web.use:  # type: ignore[attr-defined]
        audit = client.app.state.web.ws.db.fetchall(  # type: ignore[attr-defined]
            "SELECT actor, action FROM audit_log WHERE target = 'listed' ORDER BY occurred_at"
        )
    assert audit == [("analyst", "ask.save"), ("analyst", "ask.send")]


def test_the_page_shows_each_campaign_escaped(served: tuple[TestClient, dict[str, str]]) -> None:
    client, tokens = served
    _campaign(client, tokens, id="paged")
    page = client.get("/advocates/asks", headers=_auth(tokens, "viewer"))
    assert page.status_code == 200 and "Asks: from promoters to advocates" in page.text
    at = page.text.find(PAYLOAD)
    assert at < 0, page.text[max(0, at - 300) : at + 100]
    assert "&lt;script&gt;alert" in page.text
    assert "New campaign" not in page.text  # a viewer adds nothing
    # Each lift and its interval are share changes in points, signed (display.points, as the
    # CSAT tiles write them; review9 item 6), never "pts".
    lifts = re.findall(r'<tr data-outcome="(?!earned)[^"]+">(.*?)</tr>', page.text, re.S)
    assert lifts
    for row in lifts:
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        assert cells[3] == "" or re.fullmatch(r"[+−]?\d+\.\d points", cells[3]), cells
        assert cells[4] == "" or re.fullmatch(r"[+−]?\d+\.\d to [+−]?\d+\.\d points", cells[4])
    assert " pts" not in page.text
    assert any(re.search(r"<td[^>]*>[+−]?\d+\.\d points</td>", row) for row in lifts)


def test_sending_a_link_campaign_from_the_page_downloads_its_links(
    served: tuple[TestClient, dict[str, str]],
) -> None:
    client, tokens = served
    body = {
        "id": "download",
        "audience": {"kind": "everyone"},
        "action": "refer",
        "channel": "links",
        "seed": 9,
        "guards": {"days_between_asks": 0, "contact_guard": False},  # asked by earlier tests
    }
    client.post("/api/v1/asks", json=body, headers=_auth(tokens, "analyst"))
    sent = client.post("/advocates/asks/download/send", headers=_auth(tokens, "analyst"))
    assert sent.headers["content-type"].startswith("text/csv"), re.findall(
        r"role=\"status\">[^<]*", sent.text
    )
    assert 'filename="ask-links-download.csv"' in sent.headers["content-disposition"]
    lines = sent.text.splitlines()
    assert lines[0] == "customer_id,name,email,landing"
    assert all(",'<script>" not in line for line in lines)  # text, and not a formula
    assert all("/a/" in line for line in lines[1:]) and len(lines) > 1
    again = client.post("/advocates/asks/download/send", headers=_auth(tokens, "analyst"))
    assert again.headers["content-type"].startswith("text/html")  # nobody new: the page
    assert "asked 0" in again.text


def test_landing_posts_are_rate_limited_per_client(
    served: tuple[TestClient, dict[str, str]],
) -> None:
    client, tokens = served
    sent = _campaign(client, tokens, id="flood", guards={"days_between_asks": 0,
                                                          "contact_guard": False})  # fmt: skip
    token = _token(sent["asked"][0]["urls"]["landing"])
    statuses = []
    for _ in range(12):  # the limit is survey_answers_per_client (10) per window
        nonce = NONCE.search(client.get(f"/r/{token}").text)
        assert nonce
        answer = client.post(f"/r/{token}", data={"nonce": nonce.group(1)})
        statuses.append(answer.status_code)
        if answer.status_code == 429:
            assert int(answer.headers["retry-after"]) > 0
            break
    assert statuses[-1] == 429 and set(statuses[:-1]) == {200}
    state = client.app.state.web  # type: ignore[attr-defined]
    with state.use:
        recorded = state.ws.db.fetchall(
            "SELECT count(*) FROM referrals WHERE channel = 'ask:flood'"
        )
    assert recorded == [(len(statuses) - 1,)]  # the refused one recorded nothing
