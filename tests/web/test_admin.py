"""Admin pages and API for users, tokens and the audit log; sign-in throttling over real HTTP.

The pages are driven like a browser (a signed-in session posting forms with its CSRF token);
the API with an admin's bearer token. Throttling is checked against a real uvicorn server with
the attacker and the real user on different loopback addresses.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from advocacy.access.throttle import FREE_PAIR_FAILURES
from advocacy.present.web import create_app
from advocacy.present.web.pages.admin import AUDIT_PAGE_SIZE
from support.live_server import serving
from web.site import PASSWORD, Site, bearer, prepare_site

NEW_PASSWORD = "another long passphrase"


def _csrf(text: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', text)
    assert match, text[:300]
    return match.group(1)


def _sign_in(browser: TestClient | httpx.Client, username: str, password: str) -> httpx.Response:
    token = _csrf(browser.get("/login").text)
    return browser.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token},
        follow_redirects=False,
    )


@pytest.fixture
def admin(site: Site) -> Iterator[TestClient]:
    """A browser signed in as the admin ``ada``."""
    with TestClient(create_app(site.url), base_url="https://testserver") as browser:
        assert _sign_in(browser, "ada", PASSWORD).status_code == 303
        yield browser


def _audit(client: TestClient, site: Site) -> list[tuple[str, str, str | None]]:
    entries = client.get("/api/v1/audit?limit=1000", headers=bearer(site, "admin")).json()
    return [(entry["actor"], entry["action"], entry.get("target")) for entry in entries]


def test_admin_adds_changes_and_disables_a_user_through_the_pages(
    admin: TestClient, site: Site
) -> None:
    page = admin.get("/admin/users")
    assert page.status_code == 200
    for name in ("ada", "ana", "hal", "vic"):
        assert f'id="user-{name}"' in page.text
    csrf = _csrf(page.text)
    form = {
        "username": "bea",
        "role": "case-handler",
        "units": "South",
        "password": PASSWORD,
        "email": "bea@example.com",
    }
    # Without the session's CSRF token nothing happens.
    assert admin.post("/admin/users", data=form).status_code == 403
    added = admin.post("/admin/users", data={**form, "csrf_token": csrf}, follow_redirects=False)
    assert added.status_code == 303 and added.headers["location"] == "/admin/users?changed=bea"
    listed = admin.get("/admin/users").text
    row = listed.split('id="user-bea"', 1)[1].split("</tr>", 1)[0]
    assert "<td>case-handler</td>" in row and "<td>South</td>" in row and "enabled" in row
    assert "<td>bea@example.com</td>" in row
    # A bad form is shown again with the error and the fix, and adds nobody.
    short = {**form, "username": "bob", "password": "short", "csrf_token": csrf}
    refused = admin.post("/admin/users", data=short)
    assert refused.status_code == 400 and "at least 12" in refused.text
    assert 'value="bob"' in refused.text and 'id="user-bob"' not in refused.text

    # A second browser on the same server (a server process forgets a session it trusted as
    # soon as it disables or changes the user; another process within RECHECK_EVERY:
    # tests/web/test_session_trust.py).
    bea = TestClient(admin.app, base_url="https://testserver")
    assert _sign_in(bea, "bea", PASSWORD).status_code == 303
    assert bea.get("/admin/users").status_code == 403  # not an admin
    admin.post("/admin/users/bea", data={"disabled": "true", "csrf_token": csrf})
    # Disabling ends the open session at once, and sign-in fails.
    assert bea.get("/", follow_redirects=False).status_code == 303
    assert _sign_in(bea, "bea", PASSWORD).status_code == 401
    admin.post("/admin/users/bea", data={"disabled": "false", "csrf_token": csrf})
    admin.post("/admin/users/bea", data={"role": "analyst", "units": "", "csrf_token": csrf})
    admin.post("/admin/users/bea", data={"password": NEW_PASSWORD, "csrf_token": csrf})
    assert _sign_in(bea, "bea", PASSWORD).status_code == 401
    assert _sign_in(bea, "bea", NEW_PASSWORD).status_code == 303
    me = bea.get("/api/v1/me").json()
    assert (me["name"], me["role"], me["units"]) == ("bea", "analyst", [])
    assert _audit(admin, site)[:5] == [
        ("ada", "user.password", "bea"),
        ("ada", "user.role", "bea"),
        ("ada", "user.enable", "bea"),
        ("ada", "user.disable", "bea"),
        ("ada", "user.add", "bea"),
    ]
    # The audit page shows the same, newest first.
    audit = admin.get("/admin/audit").text
    actions = re.findall(r"<td><code>([a-z.]+)</code></td><td>bea</td>", audit)
    assert actions[:5] == ["user.password", "user.role", "user.enable", "user.disable", "user.add"]


def test_a_new_tokens_secret_is_shown_once_and_revoking_stops_it(
    admin: TestClient, site: Site
) -> None:
    csrf = _csrf(admin.get("/admin/tokens").text)
    made = admin.post(
        "/admin/tokens", data={"role": "analyst", "name": "etl-page", "csrf_token": csrf}
    )
    assert made.status_code == 200 and made.headers["cache-control"] == "no-store"
    secret = re.search(r'<code id="token-secret">([^<]+)</code>', made.text)
    assert secret
    token = html.unescape(secret[1])
    headers = {"Authorization": f"Bearer {token}"}
    assert admin.get("/api/v1/me", headers=headers).json()["role"] == "analyst"
    listing = admin.get("/admin/tokens").text
    assert token not in listing and "etl-page" in listing
    [token_id] = [
        row["token_id"] for row in admin.get("/api/v1/tokens").json() if row["name"] == "etl-page"
    ]
    assert token_id not in token  # the id tells nothing of the secret
    revoked = admin.post(
        f"/admin/tokens/{token_id}/revoke", data={"csrf_token": csrf}, follow_redirects=False
    )
    assert revoked.status_code == 303
    assert admin.get("/api/v1/me", headers=headers).status_code == 401
    assert "revoked" in admin.get("/admin/tokens").text.split(f'id="token-{token_id}"')[1]
    assert _audit(admin, site)[:2] == [
        ("ada", "token.revoke", token_id),
        ("ada", "token.create", token_id),
    ]


def test_the_api_adds_changes_users_and_creates_revokes_tokens(
    client: TestClient, site: Site
) -> None:
    admin = bearer(site, "admin")
    body = {"username": "cal", "role": "viewer", "password": PASSWORD, "email": "cal@example.com"}
    added = client.post("/api/v1/users", json=body, headers=admin)
    assert added.status_code == 201 and added.json()["role"] == "viewer"
    assert added.json()["email"] == "cal@example.com"
    assert "password_hash" not in added.json()
    again = client.post("/api/v1/users", json=body, headers=admin)
    assert again.status_code == 400 and again.json()["error"] == "UsageError"
    assert again.json()["fix"]
    changed = client.patch("/api/v1/users/cal", json={"disabled": True}, headers=admin)
    assert changed.status_code == 200 and changed.json()["disabled"] is True
    bad = client.patch("/api/v1/users/cal", json={"role": "owner"}, headers=admin)
    assert bad.status_code == 400 and bad.json()["value"] == "owner"
    missing = client.patch("/api/v1/users/nobody", json={"disabled": True}, headers=admin)
    assert missing.status_code == 404 and missing.json()["error"] == "NotFoundError"

    made = client.post("/api/v1/tokens", json={"role": "viewer", "name": "feed"}, headers=admin)
    assert made.status_code == 201
    secret, token_id = made.json()["secret"], made.json()["token_id"]
    mine = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/me", headers=mine).json()["name"] == "feed"
    assert client.delete(f"/api/v1/tokens/{token_id}", headers=admin).json()["revoked_at"]
    assert client.get("/api/v1/me", headers=mine).status_code == 401
    gone = client.delete(f"/api/v1/tokens/{token_id}", headers=admin)
    assert gone.status_code == 404
    # The token's name is the actor of its changes.
    assert _audit(client, site)[:4] == [
        ("ada", "token.revoke", token_id),
        ("ada", "token.create", token_id),
        ("ada", "user.disable", "cal"),
        ("ada", "user.add", "cal"),
    ]
    # Other roles may not.
    analyst = client.post("/api/v1/tokens", json={"role": "admin"}, headers=bearer(site, "analyst"))
    assert analyst.status_code == 403


def test_only_admins_see_the_admin_link(client: TestClient, site: Site) -> None:
    assert 'href="/admin/users"' in client.get("/", headers=bearer(site, "admin")).text
    for role in ("analyst", "case-handler", "viewer"):
        assert 'href="/admin/users"' not in client.get("/", headers=bearer(site, role)).text


def test_the_audit_log_pages_back_in_time(client: TestClient, site: Site) -> None:
    from advocacy.access.audit import record_audit

    state = client.app.state.web  # type: ignore[attr-defined]
    with state.use:
        for i in range(AUDIT_PAGE_SIZE + 5):
            record_audit(state.ws.db, actor="paging-test", action="test.page", target=f"p{i}")
        total = state.ws.db.fetchone("SELECT count(*) FROM audit_log")[0]
    first = client.get("/admin/audit", headers=bearer(site, "admin")).text
    assert first.count("<tr><td>") == AUDIT_PAGE_SIZE
    assert 'href="/admin/audit?page=2" rel="next"' in first and 'rel="prev"' not in first
    assert f"p{AUDIT_PAGE_SIZE + 4}</td>" in first  # the newest entry comes first
    last_page = (total - 1) // AUDIT_PAGE_SIZE + 1
    last = client.get(f"/admin/audit?page={last_page}", headers=bearer(site, "admin")).text
    assert last.count("<tr><td>") == total - (last_page - 1) * AUDIT_PAGE_SIZE
    assert 'rel="next"' not in last and 'rel="prev"' in last


@pytest.fixture(scope="module")
def server(demo_directory: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on a real uvicorn server on loopback, over its own copy of the demo."""
    own = prepare_site(demo_directory, tmp_path_factory.mktemp("throttle-site"))
    app = create_app(own.url, secure_cookies=False)
    # The client address is the socket's, whatever headers say.
    with serving(app, proxy_headers=False) as url:
        yield url


def _client_at(base: str, address: str) -> httpx.Client:
    """A browser whose requests come from ``address`` (any 127.x address is loopback)."""
    return httpx.Client(
        base_url=base, transport=httpx.HTTPTransport(local_address=address), timeout=30
    )


def test_an_attacker_cannot_lock_the_real_user_out(server: str) -> None:
    with _client_at(server, "127.0.0.2") as attacker:
        statuses = [
            _sign_in(attacker, "vic", f"guess number {attempt}").status_code
            for attempt in range(20)
        ]
        assert statuses == [401] * FREE_PAIR_FAILURES + [429] * (20 - FREE_PAIR_FAILURES)
        refused = _sign_in(attacker, "vic", PASSWORD)
        assert refused.status_code == 429 and "too many failed sign-ins" in refused.text
        assert 0 < int(refused.headers["retry-after"]) <= 30
    with _client_at(server, "127.0.0.1") as owner:
        signed_in = _sign_in(owner, "vic", PASSWORD)
        assert signed_in.status_code == 303
        assert owner.get("/").status_code == 200
