"""A session found live is trusted for a few seconds, yet signing out and disabling a user stop
it at once on a running server (uvicorn on loopback, PostgreSQL).

The server used to look a page's session up in the database on every request (a thread and a
pooled connection each). Now it trusts a session found live for ``RECHECK_EVERY`` (5 s), as it
trusts API tokens. Ended or changed through the server itself (sign-out, the admin page), the
session is refused by the very next request; changed by another process (the CLI here, or
another server worker), within the bound.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import httpx
import pytest

import advocacy
from advocacy.access import add_user
from advocacy.access.recheck import RECHECK_EVERY
from advocacy.present.web import create_app
from support.live_server import serving

PASSWORD = "correct horse battery staple"


@pytest.fixture
def server(postgres_url: str) -> Iterator[str]:
    with advocacy.open(postgres_url) as ws:
        add_user(ws.db, "ada", role="admin", password=PASSWORD)
        add_user(ws.db, "ana", role="analyst", password=PASSWORD)
    with serving(create_app(postgres_url)) as url:
        yield url


def _sign_in(client: httpx.Client, name: str) -> tuple[str, str]:
    """Sign ``name`` in through the login form; the session cookie and its CSRF token. (The
    cookies are Secure: over plain HTTP the test sends them back by hand.)"""
    login = client.get("/login").cookies.get("advocacy_login_csrf") or ""
    answer = client.post(
        "/login",
        data={"username": name, "password": PASSWORD, "csrf_token": login},
        headers={"Cookie": f"advocacy_login_csrf={login}"},
    )
    assert answer.status_code == 303, answer.text
    session = answer.cookies["advocacy_session"]
    page = _get(client, session, "/plans")
    assert page.status_code == 200, page.text
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found is not None
    return session, found.group(1)


def _get(client: httpx.Client, session: str, path: str = "/plans") -> httpx.Response:
    return client.get(path, headers={"Cookie": f"advocacy_session={session}"})


def test_signing_out_and_disabling_through_the_server_take_effect_at_once(server: str) -> None:
    with httpx.Client(base_url=server, timeout=60) as client:
        session, csrf = _sign_in(client, "ana")
        for _ in range(3):  # found live, then trusted
            assert _get(client, session).status_code == 200
        out = client.post(
            "/logout",
            data={"csrf_token": csrf},
            headers={"Cookie": f"advocacy_session={session}"},
        )
        assert out.status_code == 303
        refused = _get(client, session)
        assert refused.status_code == 303 and "/login" in refused.headers["location"]
        assert _get(client, session, "/api/v1/me").status_code == 401

        session, _ = _sign_in(client, "ana")
        assert _get(client, session).status_code == 200
        admin, admin_csrf = _sign_in(client, "ada")
        disabled = client.post(
            "/admin/users/ana",
            data={"disabled": "true", "csrf_token": admin_csrf},
            headers={"Cookie": f"advocacy_session={admin}"},
        )
        assert disabled.status_code == 303, disabled.text
        assert _get(client, session, "/api/v1/me").status_code == 401
        assert _get(client, admin, "/api/v1/me").json()["name"] == "ada"  # others unaffected


def test_a_user_disabled_by_another_process_is_refused_within_the_bound(
    server: str, postgres_url: str
) -> None:
    with httpx.Client(base_url=server, timeout=60) as client:
        session, _ = _sign_in(client, "ana")
        assert _get(client, session, "/api/v1/me").status_code == 200
        with advocacy.open(postgres_url) as cli:  # as `advocacy access disable-user ana` does
            cli.access.update_user("ana", disabled=True, actor="cli")
        disabled_at = time.monotonic()
        while _get(client, session, "/api/v1/me").status_code == 200:
            assert time.monotonic() - disabled_at < RECHECK_EVERY.total_seconds() + 1, (
                "a disabled user's session still works past the bound"
            )
            time.sleep(0.1)
        assert _get(client, session).status_code == 303
