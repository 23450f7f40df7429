"""API tokens: created with a role, shown once, stored only as a SHA-256 digest, revocable.

A token is 32 random bytes (``secrets.token_urlsafe``), so a fast digest suffices to store it:
unlike passwords, it cannot be guessed from a dictionary. Its id (the first characters after the
``adv_`` prefix) names it in lists and in ``advocacy tokens revoke``.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from advocacy.access.audit import now_utc, record_audit
from advocacy.access.roles import (
    AuthenticationError,
    Principal,
    Role,
    check_units,
    parse_role,
    parse_units,
)
from advocacy.errors import NotFoundError
from advocacy.store.connection import Database

PREFIX = "adv_"
ID_LENGTH = 8


@dataclass(frozen=True)
class ApiToken:
    token_id: str
    name: str | None
    role: Role
    units: tuple[str, ...]
    created_by: str | None
    created_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


@dataclass(frozen=True)
class NewToken:
    """A token just created: ``secret`` is shown to the user once and never stored."""

    token: ApiToken
    secret: str


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


_COLUMNS = "token_id, name, role, units, created_by, created_at, revoked_at, last_used_at"


def _token(row: tuple[object, ...]) -> ApiToken:
    return ApiToken(
        str(row[0]),
        None if row[1] is None else str(row[1]),
        Role(str(row[2])),
        parse_units(str(row[3]) if row[3] else None),
        None if row[4] is None else str(row[4]),
        row[5],  # type: ignore[arg-type]
        row[6],  # type: ignore[arg-type]
        row[7],  # type: ignore[arg-type]
    )


def create_token(
    db: Database,
    *,
    role: str,
    name: str | None = None,
    units: str | list[str] | tuple[str, ...] | None = None,
    actor: str = "cli",
    now: datetime | None = None,
) -> NewToken:
    """Create an API token with ``role``; return it with its secret (shown once)."""
    parsed_role, parsed_units = parse_role(role), parse_units(units)
    check_units(parsed_role, parsed_units)
    body = secrets.token_urlsafe(32)
    secret = PREFIX + body
    token_id = body[:ID_LENGTH]
    moment = now_utc(now)
    with db.transaction():
        db.execute(
            "INSERT INTO api_tokens (token_id, name, role, units, token_hash, created_by, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                token_id,
                name,
                parsed_role.value,
                ",".join(parsed_units) or None,
                token_digest(secret),
                actor,
                moment,
            ],
        )
        record_audit(
            db,
            actor=actor,
            action="token.create",
            target=token_id,
            detail={"name": name, "role": parsed_role.value, "units": list(parsed_units)},
            now=moment,
        )
    token = ApiToken(token_id, name, parsed_role, parsed_units, actor, moment, None, None)
    return NewToken(token, secret)


def list_tokens(db: Database) -> list[ApiToken]:
    """Every token, revoked or not, oldest first (never their secrets)."""
    return [
        _token(row)
        for row in db.fetchall(f"SELECT {_COLUMNS} FROM api_tokens ORDER BY created_at, token_id")
    ]


def revoke_token(
    db: Database, token: str, *, actor: str = "cli", now: datetime | None = None
) -> ApiToken:
    """Revoke the token whose id or name is ``token``; it stops working at once."""
    rows = db.fetchall(
        f"SELECT {_COLUMNS} FROM api_tokens WHERE (token_id = ? OR name = ?) "
        "AND revoked_at IS NULL",
        [token, token],
    )
    if len(rows) != 1:
        raise NotFoundError(
            f"no single active token with id or name {token!r}"
            + (f" ({len(rows)} match)" if rows else ""),
            value=token,
            fix="see advocacy tokens list, and revoke by id",
        )
    found = _token(rows[0])
    moment = now_utc(now)
    with db.transaction():
        db.execute(
            "UPDATE api_tokens SET revoked_at = ? WHERE token_id = ?", [moment, found.token_id]
        )
        record_audit(db, actor=actor, action="token.revoke", target=found.token_id, now=moment)
    return _token((*rows[0][:6], moment, rows[0][7]))


def resolve_token(db: Database, secret: str, *, now: datetime | None = None) -> Principal:
    """The principal an ``Authorization: Bearer`` secret stands for, or an error."""
    row = db.fetchone(
        f"SELECT {_COLUMNS} FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL",
        [token_digest(secret)],
    )
    if row is None:
        raise AuthenticationError(
            "unknown or revoked API token", fix="create one with advocacy tokens create --role"
        )
    token = _token(row)
    db.execute(
        "UPDATE api_tokens SET last_used_at = ? WHERE token_id = ?",
        [now_utc(now), token.token_id],
    )
    return Principal(token.name or token.token_id, token.role, token.units, via="token")
