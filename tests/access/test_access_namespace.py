"""``ws.access``: users, tokens and the audit log through the facade, on DuckDB and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import advocacy
from advocacy.access import AuthenticationError, authenticate
from advocacy.access.roles import Role
from advocacy.errors import NotFoundError
from advocacy.workspace import Workspace

PASSWORD = "correct horse battery staple"


@pytest.fixture
def ws(db_url: str) -> Iterator[Workspace]:
    with advocacy.open(db_url) as workspace:
        yield workspace


def test_users_are_added_changed_and_disabled_through_the_workspace(ws: Workspace) -> None:
    added = ws.access.add_user("hal", role="case-handler", password=PASSWORD, units="North,East")
    assert (added.username, added.role, added.units) == (
        "hal",
        Role.case_handler,
        ("North", "East"),
    )
    changed = ws.access.update_user("hal", role="analyst", units=None, actor="admin")
    assert changed.role is Role.analyst
    assert ws.access.set_email("hal", "hal@example.org").email == "hal@example.org"
    assert [user.username for user in ws.access.users()] == ["hal"]
    assert authenticate(ws.db, "hal", PASSWORD).username == "hal"

    assert ws.access.disable_user("hal", actor="admin").disabled
    with pytest.raises(AuthenticationError):
        authenticate(ws.db, "hal", PASSWORD)
    with pytest.raises(NotFoundError):
        ws.access.disable_user("nobody")

    entries = ws.access.audit()
    assert [(entry.action, entry.actor) for entry in reversed(entries)] == [
        ("user.add", "python"),
        ("user.role", "admin"),
        ("user.set-email", "python"),
        ("user.disable", "admin"),
    ]
    assert [entry.action for entry in ws.access.audit(limit=1, offset=1)] == ["user.set-email"]


def test_tokens_are_created_listed_and_revoked_through_the_workspace(ws: Workspace) -> None:
    created = ws.access.create_token(role="viewer", name="wall")
    assert created.secret.startswith("adv_") and created.token.role is Role.viewer
    [listed] = ws.access.tokens()
    assert (listed.token_id, listed.name, listed.revoked_at) == (
        created.token.token_id,
        "wall",
        None,
    )
    assert created.secret not in repr(listed)
    revoked = ws.access.revoke_token("wall", actor="admin")
    assert revoked.token_id == created.token.token_id and revoked.revoked_at is not None
    with pytest.raises(NotFoundError):
        ws.access.revoke_token("wall")
    assert [entry.action for entry in ws.access.audit()] == ["token.revoke", "token.create"]
