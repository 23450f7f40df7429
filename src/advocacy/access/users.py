"""Users who sign in to the web app: add, list, change, disable, and authenticate.

Sign-in is throttled per (user name, client address) pair and per client, with only a short
wait for a name alone, so nobody can lock a user out by failing on purpose: the whole policy is
written down in :mod:`advocacy.access.throttle`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

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
from advocacy.access.sessions import live_sessions
from advocacy.access.throttle import FREE_PAIR_FAILURES, WINDOW, assess_attempt, record_attempt
from advocacy.errors import NotFoundError, UsageError
from advocacy.store.connection import Database

#: Failures one client may make for one name before it must wait (see access/throttle.py).
MAX_FAILURES = FREE_PAIR_FAILURES
THROTTLE_WINDOW = WINDOW
_USERNAME = re.compile(r"^[A-Za-z0-9._@-]{2,64}$")


@dataclass(frozen=True)
class User:
    """A user of the web app, as stored (never the password hash).

    Attributes
    ----------
    username
        The name they sign in with.
    role
        What they may do.
    units
        The units of a case handler.
    disabled
        Whether their sign-ins are refused.
    created_at
        When the user was added.
    email
        Where case notifications go; None for none.

    Examples
    --------
    >>> import advocacy
    >>> ws = advocacy.open("advocacy.duckdb")  # doctest: +SKIP
    >>> [user.username for user in list_users(ws.db) if not user.disabled]  # doctest: +SKIP
    """

    username: str
    role: Role
    units: tuple[str, ...]
    disabled: bool
    created_at: datetime
    email: str | None = None  # where case notifications go

    def principal(self) -> Principal:
        return Principal(self.username, self.role, self.units, via="session")


def _user(row: tuple[object, ...]) -> User:
    return User(
        str(row[0]),
        Role(str(row[1])),
        parse_units(str(row[2]) if row[2] else None),
        bool(row[3]),
        row[4],  # type: ignore[arg-type]
        str(row[5]) if len(row) > 5 and row[5] else None,
    )


_COLUMNS = "username, role, units, disabled, created_at"
_EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+$")


def check_email(email: str | None) -> str | None:
    """``email`` stripped (None when blank), or :class:`UsageError` if it is no address."""
    cleaned = (email or "").strip()
    if not cleaned:
        return None
    if not _EMAIL.match(cleaned) or len(cleaned) > 254:
        raise UsageError(
            f"{cleaned!r} is not an e-mail address",
            value=cleaned,
            parameter="email",
            fix="give one address like name@example.com",
        )
    return cleaned


def get_user(db: Database, username: str) -> User:
    row = db.fetchone(f"SELECT {_COLUMNS}, email FROM users WHERE username = ?", [username])
    if row is None:
        raise NotFoundError(
            f"no user {username!r}", value=username, fix="see advocacy access users"
        )
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
    email: str | None = None,
) -> User:
    """Create user ``username`` with ``role`` (and ``units`` for a case handler, ``email`` for
    case notifications).

    Parameters
    ----------
    db
        The workspace database.
    username
        The name to sign in with: 2-64 letters, digits or ``._@-``.
    role
        ``admin``, ``analyst``, ``case-handler`` or ``viewer``.
    password
        At least 12 characters; only its hash is stored.
    units
        The units a case handler works for (a list or a comma-separated string).
    actor
        Who makes the change, for the audit log.
    now
        The time of the change (default: the clock).
    email
        Where the user's case notifications go.

    Returns
    -------
    User
        The new user.

    Raises
    ------
    UsageError
        For a malformed or taken user name, a short password, or units on the wrong role.

    Examples
    --------
    >>> import advocacy
    >>> ws = advocacy.open("advocacy.duckdb")  # doctest: +SKIP
    >>> user = add_user(  # doctest: +SKIP
    ...     ws.db, "ana", role="case-handler", units="North", password="a long passphrase"
    ... )
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
    address = check_email(email)
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
            "updated_at, email) VALUES (?, ?, ?, ?, FALSE, ?, ?, ?)",
            [
                username,
                parsed_role.value,
                ",".join(parsed_units) or None,
                hash_password(password),
                moment,
                moment,
                address,
            ],
        )
        record_audit(
            db,
            actor=actor,
            action="user.add",
            target=username,
            detail={"role": parsed_role.value, "units": list(parsed_units), "email": address},
            now=moment,
        )
    return User(username, parsed_role, parsed_units, False, moment, address)


def list_users(db: Database) -> list[User]:
    """Every user, enabled or not, by name.

    Parameters
    ----------
    db
        The workspace database.

    Returns
    -------
    list of User
        Sorted by user name.

    Examples
    --------
    >>> import advocacy
    >>> ws = advocacy.open("advocacy.duckdb")  # doctest: +SKIP
    >>> [user.username for user in list_users(ws.db)]  # doctest: +SKIP
    """
    rows = db.fetchall(f"SELECT {_COLUMNS}, email FROM users ORDER BY username")
    return [_user(row) for row in rows]


def set_email(
    db: Database,
    username: str,
    email: str | None,
    *,
    actor: str = "cli",
    now: datetime | None = None,
) -> User:
    """Set (or, with None or blank, clear) the e-mail address case notifications go to."""
    address = check_email(email)
    moment = now_utc(now)
    with db.transaction():
        user = get_user(db, username)
        db.execute(
            "UPDATE users SET email = ?, updated_at = ? WHERE username = ?",
            [address, moment, username],
        )
        record_audit(
            db,
            actor=actor,
            action="user.set-email",
            target=username,
            detail={"email": address},
            now=moment,
        )
    return User(user.username, user.role, user.units, user.disabled, user.created_at, address)


def disable_user(
    db: Database, username: str, *, actor: str = "cli", now: datetime | None = None
) -> User:
    """Disable ``username``: their sign-ins and open sessions stop working at once (through
    ``db``; a server in another process trusts a session it found live for at most
    :data:`~advocacy.access.recheck.RECHECK_EVERY`: :mod:`advocacy.access.sessions`).

    Parameters
    ----------
    db
        The workspace database.
    username
        The user to disable.
    actor
        Who makes the change, for the audit log.
    now
        The time of the change (default: the clock).

    Returns
    -------
    User
        The user, now disabled.

    Raises
    ------
    NotFoundError
        For an unknown user.

    Examples
    --------
    >>> import advocacy
    >>> ws = advocacy.open("advocacy.duckdb")  # doctest: +SKIP
    >>> disable_user(ws.db, "ana").disabled  # doctest: +SKIP
    True
    """
    user = get_user(db, username)
    moment = now_utc(now)
    with db.transaction():
        db.execute(
            "UPDATE users SET disabled = TRUE, updated_at = ? WHERE username = ?",
            [moment, username],
        )
        db.execute("DELETE FROM sessions WHERE username = ?", [username])
        record_audit(db, actor=actor, action="user.disable", target=username, now=moment)
    live_sessions(db).forget(username=username)
    return User(user.username, user.role, user.units, True, user.created_at, user.email)


def update_user(
    db: Database,
    username: str,
    *,
    disabled: bool | None = None,
    role: str | None = None,
    units: str | list[str] | tuple[str, ...] | None = None,
    password: str | None = None,
    actor: str = "cli",
    now: datetime | None = None,
) -> User:
    """Enable or disable ``username``, change their role or units, or reset their password.

    Each kind of change gets its own audit entry (``user.enable``, ``user.disable``,
    ``user.role``, ``user.password``; never the password itself), in one transaction.
    Disabling or resetting the password ends the user's open sessions.

    Parameters
    ----------
    db
        The workspace database.
    username
        The user to change.
    disabled
        ``True`` to disable, ``False`` to enable; ``None`` leaves it.
    role
        The new role; with ``units`` for a case handler. ``None`` keeps the role.
    units
        The units of a case handler; ``None`` keeps them while the role stays the same.
    password
        A new password (at least 12 characters); ``None`` keeps it.
    actor
        Who makes the change, for the audit log.
    now
        The time of the change (default: the clock).

    Returns
    -------
    User
        The user as changed.

    Raises
    ------
    NotFoundError
        For an unknown user.
    UsageError
        When nothing would change, for a bad role, units or password, or when the change would
        disable or demote the last enabled admin.

    Examples
    --------
    >>> import advocacy
    >>> ws = advocacy.open("advocacy.duckdb")  # doctest: +SKIP
    >>> user = update_user(ws.db, "ana", role="analyst")  # doctest: +SKIP
    """
    user = get_user(db, username)
    new_role = user.role if role is None or not role.strip() else parse_role(role)
    if units is not None:
        new_units = parse_units(units)
    else:
        new_units = user.units if new_role is user.role else ()
    if disabled is None and (new_role, new_units) == (user.role, user.units) and password is None:
        raise UsageError(
            f"nothing to change for user {username!r}",
            value=username,
            fix="give a new role or units, a password, or disable/enable the user",
        )
    check_units(new_role, new_units)
    if password is not None:
        check_password_rules(password)
    removes_admin = user.role is Role.admin and not user.disabled
    if removes_admin and (disabled is True or new_role is not Role.admin):
        row = db.fetchone("SELECT count(*) FROM users WHERE role = 'admin' AND NOT disabled")
        if row is None or int(row[0]) <= 1:
            raise UsageError(
                f"{username!r} is the last enabled admin: nobody could manage users after this",
                value=username,
                fix="make another user admin first",
            )
    moment = now_utc(now)
    with db.transaction():
        if disabled is not None and disabled != user.disabled:
            db.execute(
                "UPDATE users SET disabled = ?, updated_at = ? WHERE username = ?",
                [disabled, moment, username],
            )
            if disabled:
                db.execute("DELETE FROM sessions WHERE username = ?", [username])
            action = "user.disable" if disabled else "user.enable"
            record_audit(db, actor=actor, action=action, target=username, now=moment)
        if (new_role, new_units) != (user.role, user.units):
            db.execute(
                "UPDATE users SET role = ?, units = ?, updated_at = ? WHERE username = ?",
                [new_role.value, ",".join(new_units) or None, moment, username],
            )
            record_audit(
                db,
                actor=actor,
                action="user.role",
                target=username,
                detail={
                    "role": new_role.value,
                    "units": list(new_units),
                    "was": {"role": user.role.value, "units": list(user.units)},
                },
                now=moment,
            )
        if password is not None:
            db.execute(
                "UPDATE users SET password_hash = ?, updated_at = ? WHERE username = ?",
                [hash_password(password), moment, username],
            )
            db.execute("DELETE FROM sessions WHERE username = ?", [username])
            record_audit(db, actor=actor, action="user.password", target=username, now=moment)
    live_sessions(db).forget(username=username)  # a session's role and units are the user's
    return get_user(db, username)


def authenticate(
    db: Database,
    username: str,
    password: str,
    *,
    client: str | None = None,
    now: datetime | None = None,
) -> User:
    """The enabled user whose password matches, or :class:`AuthenticationError`.

    Every verified attempt is recorded; a client that failed too often is refused with
    :class:`TooManyAttemptsError` (carrying ``retry_after`` seconds) before the password is
    checked, by the policy of :mod:`advocacy.access.throttle`.

    Parameters
    ----------
    db
        The workspace database.
    username, password
        What the user typed.
    client
        The client's address, for throttling repeated failures.
    now
        The time of the attempt (default: the clock).

    Returns
    -------
    User
        The signed-in user.

    Raises
    ------
    AuthenticationError
        For an unknown or disabled user or a wrong password.
    TooManyAttemptsError
        After too many recent failures (see :mod:`advocacy.access.throttle`).

    Examples
    --------
    >>> import advocacy
    >>> ws = advocacy.open("advocacy.duckdb")  # doctest: +SKIP
    >>> user = authenticate(ws.db, "ana", "a long passphrase")  # doctest: +SKIP
    """
    moment = now_utc(now)
    verdict = assess_attempt(db, username, client, moment=moment)
    if not verdict.allowed:
        raise TooManyAttemptsError(
            verdict.reason,
            retry_after=verdict.retry_after,
            fix=f"wait {verdict.retry_after} seconds and try again",
        )
    row = db.fetchone(f"SELECT {_COLUMNS}, password_hash FROM users WHERE username = ?", [username])
    stored = str(row[5]) if row else DUMMY_HASH
    matched = verify_password(stored, password) and row is not None and not bool(row[3])
    record_attempt(db, username, client, moment=moment, succeeded=matched)
    if not matched or row is None:
        raise AuthenticationError(
            "wrong user name or password", fix="check both, or ask an admin to reset them"
        )
    return _user(row[:5])
