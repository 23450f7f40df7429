"""Sessions found live are trusted for a few seconds (RECHECK_EVERY), and no longer.

The web server looked every page's session up in the database; now a session found live is not
looked up again for ``RECHECK_EVERY``. What must still hold: a session ended, or its user
disabled or changed, through the same workspace stops at once; changed by another process (the
CLI, another server worker: another ``Database``), within the bound; an expired session is
never trusted; unknown sessions are never remembered.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

import advocacy
from advocacy.access import AuthenticationError, add_user
from advocacy.access.recheck import RECHECK_EVERY
from advocacy.access.roles import Principal, Role
from advocacy.access.sessions import (
    LIFETIME,
    cached_session,
    end_session,
    resolve_session,
    start_session,
)
from advocacy.access.users import update_user
from advocacy.workspace import Workspace

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
S = timedelta(seconds=1)
ANA = Principal("ana", Role.analyst)


@pytest.fixture
def ws(db_url: str) -> Iterator[Workspace]:
    with advocacy.open(db_url) as workspace:
        add_user(workspace.db, "ana", role="analyst", password="correct horse battery")
        add_user(workspace.db, "ada", role="admin", password="correct horse battery")
        yield workspace


def test_a_live_session_is_trusted_within_the_bound_and_asked_again_after(
    ws: Workspace,
) -> None:
    cookie = start_session(ws.db, ANA, now=T0).cookie
    assert cached_session(ws.db, cookie, now=T0) is None  # never looked up yet
    found = resolve_session(ws.db, cookie, now=T0)
    assert cached_session(ws.db, cookie, now=T0 + RECHECK_EVERY - S) == found
    assert cached_session(ws.db, cookie, now=T0 + RECHECK_EVERY) is None
    assert cached_session(ws.db, "not a session", now=T0) is None
    with pytest.raises(AuthenticationError):
        resolve_session(ws.db, "not a session", now=T0)
    assert cached_session(ws.db, "not a session", now=T0) is None
    # Never past its expiry, however lately it was found live.
    late = T0 + LIFETIME - S
    resolve_session(ws.db, cookie, now=late)
    assert cached_session(ws.db, cookie, now=late) is not None
    assert cached_session(ws.db, cookie, now=late + 2 * S) is None


def test_signing_out_or_changing_the_user_here_stops_the_session_at_once(
    ws: Workspace,
) -> None:
    cookie = start_session(ws.db, ANA, now=T0).cookie
    resolve_session(ws.db, cookie, now=T0)
    end_session(ws.db, cookie)
    assert cached_session(ws.db, cookie, now=T0 + S) is None
    for change in ({"role": "viewer"}, {"password": "another horse battery"}, {"disabled": True}):
        cookie = start_session(ws.db, ANA, now=T0).cookie
        other = start_session(ws.db, Principal("ada", Role.admin), now=T0).cookie
        resolve_session(ws.db, cookie, now=T0)
        resolve_session(ws.db, other, now=T0)
        update_user(ws.db, "ana", actor="ada", now=T0, **change)  # type: ignore[arg-type]
        assert cached_session(ws.db, cookie, now=T0 + S) is None, change
        assert cached_session(ws.db, other, now=T0 + S) is not None  # other users' kept
        if change == {"role": "viewer"}:  # the session lives on, with the new role
            assert resolve_session(ws.db, cookie, now=T0 + S).principal.role is Role.viewer


def test_a_session_ended_by_another_process_stops_within_the_bound(
    ws: Workspace, db_url: str
) -> None:
    cookie = start_session(ws.db, ANA, now=T0).cookie
    resolve_session(ws.db, cookie, now=T0)
    with advocacy.open(db_url) as other:  # the CLI, another server worker
        end_session(other.db, cookie)
    assert cached_session(ws.db, cookie, now=T0 + S) is not None  # trusted, within the bound
    assert cached_session(ws.db, cookie, now=T0 + RECHECK_EVERY) is None
    with pytest.raises(AuthenticationError):
        resolve_session(ws.db, cookie, now=T0 + RECHECK_EVERY)
