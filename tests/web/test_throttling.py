"""Public endpoints throttled (issue #15.6): anonymous survey answers and sign-in attempts.

A flood of anonymous answers from one client is cut off at the limit (429, ``Retry-After``, a
page that says to wait) and opens no cases; other clients, and the same one after the wait, get
through. Behind a trusted proxy (``forwarded_allow_ips``) the limits apply to the address the
proxy names; from anyone else ``X-Forwarded-For`` is ignored.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from advocacy.access.rate_limits import Rate, RateLimits, client_key
from advocacy.errors import RateLimitedError
from advocacy.loop.cases.rule_store import ensure_default_rules
from advocacy.present.web import create_app
from support.live_server import serving
from web.site import Site

NONCE = re.compile(r'name="nonce" value="([^"]+)"')


@pytest.fixture(scope="module", autouse=True)
def secret() -> Iterator[None]:
    """The signing key in the servers' environment before they start (they read it once)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ADVOCACY_SECRET_KEY", "web-test-key")
        yield


def _nonce(page: Any) -> str:
    found = NONCE.search(page.text)
    assert found, page.text
    return found.group(1)


def _fetch(client: TestClient, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    state = client.app.state.web  # type: ignore[attr-defined]
    with state.use:
        return state.ws.db.fetchall(sql, params)  # type: ignore[no-any-return]


def test_twenty_answers_in_three_seconds_from_one_client(client: TestClient) -> None:
    state = client.app.state.web  # type: ignore[attr-defined]
    with state.use:
        ensure_default_rules(state.ws.db)
    forms = [_nonce(client.get("/s/open/default")) for _ in range(20)]
    started = time.monotonic()
    answers = [
        client.post("/s/open/default", data={"nonce": nonce, "nps": "0", "comment": f"flood {i}"})
        for i, nonce in enumerate(forms)
    ]
    # Back to back (about 3 s on a quiet machine): well within the minute it takes to regain one.
    assert time.monotonic() - started < 60
    statuses = [answer.status_code for answer in answers]
    assert statuses == [200] * 10 + [429] * 10  # survey_answers_per_client: 10 per window
    refused = answers[-1]
    assert 1 <= int(refused.headers["Retry-After"]) <= 60  # one answer regained per minute
    assert refused.headers["content-type"].startswith("text/html")
    assert "Please wait a moment" in refused.text and "was not stored" in refused.text
    stored = _fetch(client, "SELECT response_id FROM responses WHERE comment LIKE 'flood %'", [])
    assert len(stored) == 10
    cases = _fetch(
        client,
        "SELECT count(*) FROM cases WHERE evidence_id IN (SELECT response_id FROM responses "
        "WHERE comment LIKE 'flood %')",
        [],
    )
    assert cases == [(10,)]  # each stored detractor opened one case; the refused ones none


def test_signed_links_are_not_rate_limited(client: TestClient, site: Site) -> None:
    from advocacy.loop.surveys.invitations import invite

    state = client.app.state.web  # type: ignore[attr-defined]
    with state.use:
        links = [
            "/s/"
            + invite(
                state.ws.db, survey_id="default", customer_id=None, settings=state.ws.settings
            ).token
            for _ in range(12)
        ]
    answered = [
        client.post(link, data={"nonce": _nonce(client.get(link)), "nps": "9"}).status_code
        for link in links
    ]
    assert answered == [200] * 12


def test_the_limits_allow_a_burst_then_one_per_interval() -> None:
    now = [1000.0]
    limits = RateLimits(
        {"survey_client": Rate(3, 60.0), "survey": Rate(5, 60.0)}, clock=lambda: now[0]
    )
    for _ in range(3):
        limits.admit(survey_client="a", survey="s")
    with pytest.raises(RateLimitedError) as refused:
        limits.admit(survey_client="a", survey="s")
    assert refused.value.retry_after == 20  # one of three per minute is back after 20 s
    assert refused.value.message == "too many answers from your address: at most 3 per minute"
    limits.admit(survey_client="b", survey="s")  # another client: its own allowance
    limits.admit(survey_client="c", survey="s")
    with pytest.raises(RateLimitedError) as survey_full:  # the survey's 5 are used up
        limits.admit(survey_client="d", survey="s")
    assert survey_full.value.message.startswith("too many answers to this survey")
    now[0] += 12.0  # one survey answer back; refusals consumed nothing
    limits.admit(survey_client="d", survey="s")
    now[0] += 8.0  # 20 s after the burst: one of a's back
    limits.admit(survey_client="a", survey="t")
    with pytest.raises(RateLimitedError):
        limits.admit(survey_client="a", survey="t")


def test_client_keys_group_ipv6_networks() -> None:
    assert client_key("203.0.113.7") == "203.0.113.7"
    assert client_key("2001:db8:1:2:3:4:5:6") == client_key("2001:db8:1:2:ffff::1")
    assert client_key("2001:db8:1:2::1") != client_key("2001:db8:1:3::1")
    assert client_key("::ffff:203.0.113.7") == "203.0.113.7"
    assert client_key(None) == "unknown"


# -- a real server: sign-in attempts, and clients named by a trusted proxy ----------------------
@pytest.fixture
def strict(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADVOCACY_SIGN_IN_ATTEMPTS_PER_CLIENT", "3")
    monkeypatch.setenv("ADVOCACY_SURVEY_ANSWERS_PER_CLIENT", "2")


@pytest.fixture
def proxied(site: Site, strict: None) -> Iterator[str]:
    with serving(
        create_app(site.url, secure_cookies=False),
        proxy_headers=True,
        forwarded_allow_ips="127.0.0.1",
    ) as base:
        yield base


@pytest.fixture
def direct(site: Site, strict: None) -> Iterator[str]:
    with serving(create_app(site.url, secure_cookies=False), proxy_headers=False) as base:
        yield base


def _sign_in(base: str, address: str, username: str = "ada") -> httpx.Response:
    with httpx.Client(base_url=base, headers={"X-Forwarded-For": address}) as browser:
        browser.get("/login")
        token = browser.cookies.get("advocacy_login_csrf") or ""
        return browser.post(
            "/login",
            data={"username": username, "password": "wrong password!", "csrf_token": token},
        )


def test_sign_in_attempts_are_limited_per_client_behind_a_trusted_proxy(proxied: str) -> None:
    first = [_sign_in(proxied, "198.51.100.1").status_code for _ in range(4)]
    assert first == [401, 401, 401, 429]
    refused = _sign_in(proxied, "198.51.100.1")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    assert "too many sign-in attempts from your address" in refused.text
    assert _sign_in(proxied, "198.51.100.2").status_code == 401  # another client: not limited


def test_forwarded_addresses_are_ignored_from_an_untrusted_sender(direct: str) -> None:
    # Without a trusted proxy every request comes from 127.0.0.1, whatever it claims.
    statuses = [_sign_in(direct, f"198.51.100.{i}", "ana").status_code for i in range(4)]
    assert statuses == [401, 401, 401, 429]


def test_survey_answers_are_limited_per_forwarded_client(proxied: str, site: Site) -> None:
    def answer(address: str) -> int:
        with httpx.Client(base_url=proxied, headers={"X-Forwarded-For": address}) as browser:
            nonce = _nonce(browser.get("/s/open/default"))
            return browser.post("/s/open/default", data={"nonce": nonce, "nps": "8"}).status_code

    assert [answer("192.0.2.1") for _ in range(3)] == [200, 200, 429]
    assert answer("192.0.2.2") == 200
