"""Users who sign in to the web app: add, list, disable, and authenticate with throttling.

Throttling counts failed sign-ins per user name in the database (so it holds across server
processes): after :data:`MAX_FAILURES` failures within :data:`THROTTLE_WINDOW`, sign-in is
refused until the window has passed, even with the right password.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from advocacy.access.audit import now_utc, record_audit
from advocacy.access.passwords import (
    DUMMY_HASH,
    check_password_rules,
    hash_password,
    verify_password,
)
from advocacy.access.roles import (
    AuthenticationError,
    Principal,
    Role,
    TooManyAttemptsError,
    check_units,
    parse_role,
    parse_units,
)
from advocacy.errors import NotFoundError, UsageError
from advocacy.store.connection import Database

MAX_FAILURES = 5
THROTTLE_WINDOW = timedelta(minutes=15)
_USERNAME = re.compile(r"^[A-Za-z0-9._@-]{2,64}$")


@dataclass(frozen=True)
class User:
    username: str
    role: Role
    units: tuple[str, ...]
    disabled: bool
    created_at: datetime

    def principal(self) -> Principal:
        return Principal(self.username, self.role, self.units, via="session")


def _user(row: tuple[object, ...]) -> User:
    return User(
        str(row[0]),
        Role(str(row[1])),
        parse_units(str(row[2]) if row[2] else None),
        bool(row[3]),
        row[4],  # type: ignore[arg-type]
    )


_COLUMNS = "username, role, units, disabled, created_at"


def get_user(db: Database, username: str) -> User:
    row = db.fetchone(f"SELECT {_COLUMNS} FROM users WHERE username = ?", [username])
    if row is None:
        raise NotFoundError(f"no user {username!r}", value=username, fix="see advocacy users list")
    return _user(row)


def add_user(
    db: Database,
    username: str,
    *,
    role: str,
    password: str,
    units: str | list[str] | tuple[str, ...] | None = None,
    actor: str = "cli",
    now: datetime | None = None,
) -> User:
    """Create user ``username`` with ``role`` (and ``units`` for a case handler).

    Raises
    ------
    UsageError
        For a malformed or taken user name, a short password, or units on the wrong role.
    """
    if not _USERNAME.match(username):
        raise UsageError(
            f"user name {username!r} is not allowed",
            value=username,
            parameter="USERNAME",
            fix="use 2-64 letters, digits, '.', '_', '@' or '-'",
        )
    parsed_role, parsed_units = parse_role(role), parse_units(units)
    check_units(parsed_role, parsed_units)
    check_password_rules(password)
    moment = now_utc(now)
    with db.transaction():
        if db.fetchone("SELECT 1 FROM users WHERE username = ?", [username]):
            raise UsageError(
                f"user {username!r} already exists",
                value=username,
                fix="choose another name, or disable the old user first",
            )
        db.execute(
            "INSERT INTO users (username, role, units, password_hash, disabled, created_at, "
            "updated_at) VALUES (?, ?, ?, ?, FALSE, ?, ?)",
            [
                username,
                parsed_role.value,
                ",".join(parsed_units) or None,
                hash_password(password),
                moment,
                moment,
            ],
        )
        record_audit(
            db,
            actor=actor,
            action="user.add",
            target=username,
            detail={"role": parsed_role.value, "units": list(parsed_units)},
            now=moment,
        )
    return User(username, parsed_role, parsed_units, False, moment)


def list_users(db: Database) -> list[User]:
    """Every user, enabled or not, by name."""
    return [_user(row) for row in db.fetchall(f"SELECT {_COLUMNS} FROM users ORDER BY username")]


def disable_user(
    db: Database, username: str, *, actor: str = "cli", now: datetime | None = None
) -> User:
    """Disable ``username``: their sign-ins and open sessions stop working at once."""
    user = get_user(db, username)
    moment = now_utc(now)
    with db.transaction():
        db.execute(
            "UPDATE users SET disabled = TRUE, updated_at = ? WHERE username = ?",
            [moment, username],
        )
        db.execute("DELETE FROM sessions WHERE username = ?", [username])
        record_audit(db, actor=actor, action="user.disable", target=username, now=moment)
    return User(user.username, user.role, user.units, True, user.created_at)


def _recent_failures(db: Database, username: str, moment: datetime) -> int:
    row = db.fetchone(
        "SELECT count(*) FROM login_attempts WHERE username = ? AND NOT succeeded "
        "AND attempted_at > ?",
        [username, moment - THROTTLE_WINDOW],
    )
    return int(row[0]) if row else 0


def authenticate(
    db: Database,
    username: str,
    password: str,
    *,
    client: str | None = None,
    now: datetime | None = None,
) -> User:
    """The enabled user whose password matches, or :class:`AuthenticationError`.

    Every attempt is recorded; after too many recent failures :class:`TooManyAttemptsError`.
    """
    moment = now_utc(now)
    if _recent_failures(db, username, moment) >= MAX_FAILURES:
        raise TooManyAttemptsError(
            "too many failed sign-ins for this user",
            fix=f"wait {int(THROTTLE_WINDOW.total_seconds() // 60)} minutes and try again",
        )
    row = db.fetchone(f"SELECT {_COLUMNS}, password_hash FROM users WHERE username = ?", [username])
    stored = str(row[5]) if row else DUMMY_HASH
    matched = verify_password(stored, password) and row is not None and not bool(row[3])
    db.execute(
        "INSERT INTO login_attempts (username, client, attempted_at, succeeded) "
        "VALUES (?, ?, ?, ?)",
        [username, client, moment, matched],
    )
    if not matched or row is None:
        raise AuthenticationError(
            "wrong user name or password", fix="check both, or ask an admin to reset them"
        )
    return _user(row[:5])
