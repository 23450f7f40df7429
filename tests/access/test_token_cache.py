"""Tokens found valid are trusted for a few seconds (RECHECK_EVERY), and no longer.

A server taking hundreds of API writes a second with one token looked it up for every request;
now a token found valid is not looked up again for ``RECHECK_EVERY``. What must still hold: a
token revoked through the same workspace stops at once; one revoked by another process (the
CLI, another server worker: another ``Database``) stops within the bound; unknown and revoked
tokens are never remembered; the last use is still stamped, at most once a minute.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

import advocacy
from advocacy.access import AuthenticationError, create_token, list_tokens, resolve_token
from advocacy.access.recheck import RECHECK_EVERY
from advocacy.access.roles import Principal, Role
from advocacy.access.tokens import (
    VerifiedTokens,
    _Verified,
    cached_principal,
    revoke_token,
)
from advocacy.workspace import Workspace

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
S = timedelta(seconds=1)


@pytest.fixture
def ws(db_url: str) -> Iterator[Workspace]:
    with advocacy.open(db_url) as workspace:
        yield workspace


def test_a_token_revoked_through_the_same_workspace_stops_at_once(ws: Workspace) -> None:
    secret = create_token(ws.db, role="analyst", name="etl", now=T0).secret
    assert cached_principal(ws.db, secret, now=T0) is None  # never looked up yet
    assert resolve_token(ws.db, secret, now=T0).name == "etl"
    assert cached_principal(ws.db, secret, now=T0 + S) == Principal(
        "etl", Role.analyst, via="token"
    )
    assert ws.access.verified_token(secret) is None  # the clock is months past T0: not trusted
    revoke_token(ws.db, "etl", now=T0 + S)
    assert cached_principal(ws.db, secret, now=T0 + S) is None
    with pytest.raises(AuthenticationError):
        resolve_token(ws.db, secret, now=T0 + 2 * S)


def test_a_token_revoked_by_another_process_stops_within_the_bound(postgres_url: str) -> None:
    # Two workspaces on one database, as the server and the CLI (or two server workers) are.
    with advocacy.open(postgres_url) as server, advocacy.open(postgres_url) as cli:
        secret = create_token(cli.db, role="viewer", name="wall", now=T0).secret
        assert resolve_token(server.db, secret, now=T0).name == "wall"
        revoke_token(cli.db, "wall", now=T0 + S)
        # Within the bound the server still trusts what it checked at T0...
        assert resolve_token(server.db, secret, now=T0 + RECHECK_EVERY - S).name == "wall"
        # ...and from the bound on it asks the database again, which refuses it.
        with pytest.raises(AuthenticationError):
            resolve_token(server.db, secret, now=T0 + RECHECK_EVERY)
        with pytest.raises(AuthenticationError):
            resolve_token(server.db, secret, now=T0 + RECHECK_EVERY + S)


def test_unknown_and_revoked_tokens_are_never_remembered(ws: Workspace) -> None:
    secret = create_token(ws.db, role="analyst", name="etl", now=T0).secret
    for forged in (secret + "x", "adv_not-a-token"):
        for moment in (T0, T0 + S):
            with pytest.raises(AuthenticationError):
                resolve_token(ws.db, forged, now=moment)
            assert cached_principal(ws.db, forged, now=moment) is None
    revoke_token(ws.db, "etl", now=T0)
    with pytest.raises(AuthenticationError):
        resolve_token(ws.db, secret, now=T0 + S)
    assert cached_principal(ws.db, secret, now=T0 + S) is None


def test_the_last_use_is_still_stamped_at_most_once_a_minute(ws: Workspace) -> None:
    secret = create_token(ws.db, role="analyst", name="etl", now=T0).secret

    def last_used() -> datetime | None:
        stamp = list_tokens(ws.db)[0].last_used_at
        return None if stamp is None else stamp.astimezone(UTC)

    resolve_token(ws.db, secret, now=T0)
    assert last_used() == T0
    resolve_token(ws.db, secret, now=T0 + 30 * S)  # looked up again, but within the minute
    assert last_used() == T0
    resolve_token(ws.db, secret, now=T0 + 61 * S)
    assert last_used() == T0 + 61 * S


def test_a_look_up_that_began_before_a_revocation_is_not_remembered() -> None:
    verified = VerifiedTokens()
    principal = Principal("etl", Role.analyst, via="token")
    began = verified.generation  # a look-up reads the token, still valid...
    verified.forget("t1")  # ...the token is revoked meanwhile...
    verified.put("digest", _Verified(principal, "t1", T0), began)  # ...and it comes back
    assert verified.get("digest", T0) is None
    verified.put("digest", _Verified(principal, "t1", T0), verified.generation)
    assert verified.get("digest", T0 + S) == principal
    assert verified.get("digest", T0 + RECHECK_EVERY) is None
    assert verified.get("digest", T0 - S) is None  # a clock gone back trusts nothing
