"""Token ids are independent of the token secrets (issue #15.8), on DuckDB and PostgreSQL.

A new token's id is random; tokens made when ids were the secret's first 8 characters keep
working after migration 0009, under new random ids, and their audit entries follow them.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

import advocacy
from advocacy.access import audit_entries, create_token, list_tokens, resolve_token, revoke_token
from advocacy.access.tokens import token_digest
from advocacy.store.connection import Database, connect
from advocacy.store.migrate import migrate

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
OLD_SECRETS = ("adv_ABCDEFGH" + "x" * 35, "adv_Zz-_0123" + "y" * 35)


@pytest.fixture
def old_workspace(db_url: str) -> Iterator[Database]:
    """A workspace at schema 6 holding two tokens whose ids are their secrets' start."""
    db = connect(db_url)
    migrate(db, target=6)
    for number, secret in enumerate(OLD_SECRETS):
        old_id = secret.removeprefix("adv_")[:8]
        db.execute(
            "INSERT INTO api_tokens (token_id, name, role, units, token_hash, created_by, "
            "created_at) VALUES (?, ?, 'analyst', NULL, ?, 'cli', ?)",
            [old_id, f"etl-{number}", token_digest(secret), T0],
        )
        db.execute(
            "INSERT INTO audit_log VALUES (?, ?, 'ada', 'token.create', ?, NULL)",
            [f"audit-{number}", T0, old_id],
        )
    # A user whose name happens to equal an old id keeps their audit entries.
    db.execute(
        "INSERT INTO audit_log VALUES ('audit-u', ?, 'ada', 'user.add', 'ABCDEFGH', NULL)", [T0]
    )
    yield db
    db.close()


def test_old_tokens_keep_working_under_new_random_ids(old_workspace: Database) -> None:
    db = old_workspace
    assert 9 in migrate(db)  # 0009_token_ids
    tokens = {token.name: token for token in list_tokens(db)}
    for number, secret in enumerate(OLD_SECRETS):
        token = tokens[f"etl-{number}"]
        assert len(token.token_id) == 12 and token.token_id not in secret
        assert resolve_token(db, secret).name == f"etl-{number}"
    assert len({token.token_id for token in tokens.values()}) == 2
    entries = {(entry.action, entry.target) for entry in audit_entries(db)}
    assert entries == {
        ("token.create", tokens["etl-0"].token_id),
        ("token.create", tokens["etl-1"].token_id),
        ("user.add", "ABCDEFGH"),
    }
    revoke_token(db, tokens["etl-0"].token_id, actor="ada", now=T0 + timedelta(hours=1))
    revoked = {token.name: token.revoked_at is not None for token in list_tokens(db)}
    assert revoked == {"etl-0": True, "etl-1": False}


def test_new_token_ids_are_random_not_from_the_secret(db_url: str) -> None:
    with advocacy.open(db_url) as ws:
        made = [create_token(ws.db, role="viewer", name=f"t{i}") for i in range(20)]
    for token in made:
        assert len(token.token.token_id) == 12
        assert token.token.token_id not in token.secret
    assert len({token.token.token_id for token in made}) == 20


def test_last_use_is_written_at_most_once_a_minute(db_url: str) -> None:
    with advocacy.open(db_url) as ws:
        made = create_token(ws.db, role="viewer", name="reader", now=T0)
        resolve_token(ws.db, made.secret, now=T0 + timedelta(seconds=5))
        resolve_token(ws.db, made.secret, now=T0 + timedelta(seconds=50))
        [token] = list_tokens(ws.db)
        assert token.last_used_at == T0 + timedelta(seconds=5)
        resolve_token(ws.db, made.secret, now=T0 + timedelta(seconds=66))
        [token] = list_tokens(ws.db)
        assert token.last_used_at == T0 + timedelta(seconds=66)
