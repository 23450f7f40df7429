"""Changing users (enable, disable, role, password) and paging the audit log, on both engines."""

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
    list_users,
    resolve_session,
    start_session,
    update_user,
)
from advocacy.access.audit import record_audit
from advocacy.access.roles import Role
from advocacy.errors import NotFoundError, UsageError
from advocacy.workspace import Workspace

PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "a brand new passphrase"
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
S = timedelta(seconds=1)


@pytest.fixture
def ws(db_url: str) -> Iterator[Workspace]:
    with advocacy.open(db_url) as workspace:
        add_user(workspace.db, "hal", role="case-handler", password=PASSWORD, units="North", now=T0)
        yield workspace


def test_disable_enable_role_and_password_changes_are_audited(ws: Workspace) -> None:
    session = start_session(ws.db, authenticate(ws.db, "hal", PASSWORD, now=T0).principal())
    update_user(ws.db, "hal", disabled=True, actor="ada", now=T0 + S)
    with pytest.raises(AuthenticationError):
        resolve_session(ws.db, session.cookie, now=T0 + S)
    with pytest.raises(AuthenticationError):
        authenticate(ws.db, "hal", PASSWORD, now=T0 + 2 * S)
    update_user(ws.db, "hal", disabled=False, actor="ada", now=T0 + 3 * S)
    assert authenticate(ws.db, "hal", PASSWORD, now=T0 + 4 * S).username == "hal"

    changed = update_user(ws.db, "hal", role="analyst", actor="ada", now=T0 + 5 * S)
    assert (changed.role, changed.units) == (Role.analyst, ())
    back = update_user(ws.db, "hal", role="case_handler", units="East, West", now=T0 + 6 * S)
    assert (back.role, back.units) == (Role.case_handler, ("East", "West"))

    update_user(ws.db, "hal", password=NEW_PASSWORD, actor="ada", now=T0 + 7 * S)
    with pytest.raises(AuthenticationError):
        authenticate(ws.db, "hal", PASSWORD, now=T0 + 8 * S)
    assert authenticate(ws.db, "hal", NEW_PASSWORD, now=T0 + 9 * S).units == ("East", "West")
    assert NEW_PASSWORD not in repr(ws.db.fetchall("SELECT * FROM audit_log"))

    entries = list(reversed(audit_entries(ws.db)))
    assert [(e.actor, e.action, e.target) for e in entries] == [
        ("cli", "user.add", "hal"),
        ("ada", "user.disable", "hal"),
        ("ada", "user.enable", "hal"),
        ("ada", "user.role", "hal"),
        ("cli", "user.role", "hal"),
        ("ada", "user.password", "hal"),
    ]
    assert entries[3].detail == {
        "role": "analyst",
        "units": [],
        "was": {"role": "case-handler", "units": ["North"]},
    }
    assert [user.username for user in list_users(ws.db)] == ["hal"]


@pytest.mark.parametrize(
    ("changes", "error", "message"),
    [
        ({}, UsageError, "nothing to change"),
        ({"role": "viewer", "units": "North"}, UsageError, "only case handlers"),
        ({"role": "owner"}, UsageError, "unknown role"),
        ({"password": "short"}, UsageError, "at least 12"),
        ({"units": ""}, UsageError, "needs the units"),
    ],
)
def test_bad_changes_are_refused_and_leave_the_user_alone(
    ws: Workspace, changes: dict[str, str], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        update_user(ws.db, "hal", **changes)  # type: ignore[arg-type]
    (user,) = list_users(ws.db)
    assert (user.role, user.units, user.disabled) == (Role.case_handler, ("North",), False)
    assert [entry.action for entry in audit_entries(ws.db)] == ["user.add"]


def test_the_last_enabled_admin_cannot_be_disabled_or_demoted(ws: Workspace) -> None:
    add_user(ws.db, "ada", role="admin", password=PASSWORD)
    for changes in ({"disabled": True}, {"role": "analyst"}):
        with pytest.raises(UsageError, match="last enabled admin") as refused:
            update_user(ws.db, "ada", **changes)  # type: ignore[arg-type]
        assert refused.value.fix == "make another user admin first"
    update_user(ws.db, "hal", role="admin", units="")
    assert update_user(ws.db, "ada", disabled=True).disabled


def test_an_unknown_user_is_not_found(ws: Workspace) -> None:
    with pytest.raises(NotFoundError, match="no user 'nobody'"):
        update_user(ws.db, "nobody", disabled=True)


def test_the_audit_log_pages_newest_first(ws: Workspace) -> None:
    for i in range(7):
        record_audit(ws.db, actor="ada", action="test.step", target=str(i), now=T0 + (i + 1) * S)
    pages = [
        [entry.target for entry in audit_entries(ws.db, limit=3, offset=offset)]
        for offset in (0, 3, 6)
    ]
    assert pages == [["6", "5", "4"], ["3", "2", "1"], ["0", "hal"]]
