"""Users, passwords, tokens, sessions, throttling and the audit log, on DuckDB and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

import advocacy
from advocacy.access import (
    AuthenticationError,
    add_user,
    audit_entries,
    authenticate,
    create_token,
    disable_user,
    end_session,
    list_tokens,
    list_users,
    resolve_session,
    resolve_token,
    revoke_token,
    start_session,
)
from advocacy.access.roles import Role
from advocacy.access.tokens import token_digest
from advocacy.errors import NotFoundError, UsageError
from advocacy.workspace import Workspace

PASSWORD = "correct horse battery staple"
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
S = timedelta(seconds=1)


@pytest.fixture
def ws(db_url: str) -> Iterator[Workspace]:
    with advocacy.open(db_url) as workspace:
        yield workspace


def _all_text(ws: Workspace, table: str) -> str:
    return repr(ws.db.fetchall(f"SELECT * FROM {table}"))


def test_users_are_added_listed_authenticated_and_disabled(ws: Workspace) -> None:
    add_user(ws.db, "ada", role="admin", password=PASSWORD, actor="root", now=T0)
    add_user(ws.db, "hal", role="case_handler", password=PASSWORD, units="North, East", now=T0 + S)
    users = {user.username: user for user in list_users(ws.db)}
    assert {name: (u.role, u.units, u.disabled) for name, u in users.items()} == {
        "ada": (Role.admin, (), False),
        "hal": (Role.case_handler, ("North", "East"), False),
    }
    stored = _all_text(ws, "users")
    assert PASSWORD not in stored and "$argon2id$" in stored
    assert authenticate(ws.db, "hal", PASSWORD, now=T0).principal().units == ("North", "East")
    with pytest.raises(AuthenticationError):
        authenticate(ws.db, "hal", "wrong password!!", now=T0)
    with pytest.raises(AuthenticationError):
        authenticate(ws.db, "nobody", PASSWORD, now=T0)

    session = start_session(ws.db, users["hal"].principal(), now=T0)
    disable_user(ws.db, "hal", actor="ada", now=T0 + 2 * S)
    with pytest.raises(AuthenticationError):
        authenticate(ws.db, "hal", PASSWORD, now=T0)
    with pytest.raises(AuthenticationError):
        resolve_session(ws.db, session.cookie, now=T0)
    actions = [(e.actor, e.action, e.target) for e in reversed(audit_entries(ws.db))]
    assert actions == [
        ("root", "user.add", "ada"),
        ("cli", "user.add", "hal"),
        ("ada", "user.disable", "hal"),
    ]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"role": "viewer", "password": "short"}, "at least 12"),
        ({"role": "case-handler", "password": PASSWORD}, "needs the units"),
        ({"role": "viewer", "password": PASSWORD, "units": "North"}, "only case handlers"),
        ({"role": "owner", "password": PASSWORD}, "unknown role"),
    ],
)
def test_bad_users_are_refused_with_a_fix(
    ws: Workspace, arguments: dict[str, str], message: str
) -> None:
    with pytest.raises(UsageError, match=message) as raised:
        add_user(ws.db, "someone", **arguments)
    assert raised.value.fix
    assert list_users(ws.db) == []


def test_duplicate_user_is_refused(ws: Workspace) -> None:
    add_user(ws.db, "ada", role="admin", password=PASSWORD)
    with pytest.raises(UsageError, match="already exists"):
        add_user(ws.db, "ada", role="viewer", password=PASSWORD)


def test_tokens_are_shown_once_stored_as_digests_and_revocable(ws: Workspace) -> None:
    created = create_token(ws.db, role="analyst", name="etl", actor="ada", now=T0)
    assert created.secret.startswith("adv_") and len(created.secret) > 40
    stored = _all_text(ws, "api_tokens")
    assert created.secret not in stored and token_digest(created.secret) in stored
    principal = resolve_token(ws.db, created.secret, now=T0)
    assert (principal.name, principal.role, principal.via) == ("etl", Role.analyst, "token")
    assert list_tokens(ws.db)[0].last_used_at is not None
    with pytest.raises(AuthenticationError):
        resolve_token(ws.db, created.secret + "x")
    revoke_token(ws.db, "etl", actor="ada", now=T0 + S)
    with pytest.raises(AuthenticationError):
        resolve_token(ws.db, created.secret)
    with pytest.raises(NotFoundError):
        revoke_token(ws.db, "etl")
    assert [e.action for e in reversed(audit_entries(ws.db))] == ["token.create", "token.revoke"]


def test_token_digest_is_sha256() -> None:
    # FIPS 180-2, appendix B.1: SHA-256("abc").
    assert token_digest("abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )


def test_sessions_expire_carry_csrf_and_end(ws: Workspace) -> None:
    user = add_user(ws.db, "vic", role="viewer", password=PASSWORD, now=T0)
    session = start_session(ws.db, user.principal(), now=T0)
    assert token_digest(session.cookie) in _all_text(ws, "sessions")
    assert session.cookie not in _all_text(ws, "sessions")
    found = resolve_session(ws.db, session.cookie, now=T0 + timedelta(hours=1))
    assert found.principal.name == "vic" and found.principal.masks_personal_data
    assert found.csrf_matches(session.csrf_token) and not found.csrf_matches("forged")
    assert not found.csrf_matches(None)
    with pytest.raises(AuthenticationError):
        resolve_session(ws.db, session.cookie, now=T0 + timedelta(hours=13))
    end_session(ws.db, session.cookie)
    with pytest.raises(AuthenticationError):
        resolve_session(ws.db, session.cookie, now=T0)
