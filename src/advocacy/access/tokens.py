"""API tokens: created with a role, shown once, stored only as a SHA-256 digest, revocable.

A token is 32 random bytes (``secrets.token_urlsafe``), so a fast digest suffices to store it:
unlike passwords, it cannot be guessed from a dictionary. Its id names it in lists, the audit log
and ``advocacy access revoke-token``; the id is drawn at random on its own, so showing it reveals
nothing of the secret. (Ids used to be the secret's first 8 characters; migration
``0009_token_ids`` gave those tokens new random ids and rewrote their audit entries. The tokens
themselves, looked up by digest, kept working.)

A token's ``last_used_at`` is refreshed at most once per :data:`LAST_USED_EVERY`, so reading
through the API does not write on every request; and when the disk is full, failing to refresh
it does not refuse the read.

A token found valid is trusted for :data:`RECHECK_EVERY` before the database is asked again
(:class:`VerifiedTokens`, one per :class:`~advocacy.store.connection.Database`): a server
taking 200 writes a second with one token looked it up 200 times a second, each on a pooled
connection of its own. Revoking through the same ``Database`` (the server's admin page and
API) forgets the token at once; a token revoked elsewhere (the CLI, another server process)
stops working within :data:`RECHECK_EVERY`. Unknown and revoked tokens are never remembered:
every request bearing one asks the database. (:data:`RECHECK_EVERY` and the cache's rules are
:mod:`advocacy.access.recheck`'s, which sign-in sessions share.)
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from advocacy.access.audit import now_utc, record_audit
from advocacy.access.recheck import PerDatabase, Recent
from advocacy.access.roles import (
    AuthenticationError,
    Principal,
    Role,
    check_units,
    parse_role,
    parse_units,
)
from advocacy.errors import NotFoundError
from advocacy.store.connection import Database, storage_fault, write_conflict

PREFIX = "adv_"
#: Random bytes of a token id (shown as twice as many hex digits).
ID_BYTES = 6
#: ``last_used_at`` is written again only when it is older than this.
LAST_USED_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class ApiToken:
    """An API token as stored (never its secret).

    Attributes
    ----------
    token_id
        The token's id.
    name
        An optional name to tell tokens apart (revoke accepts it too).
    role
        What the token may do.
    units
        The units of a case-handler token.
    created_by
        Who created it.
    created_at
        When it was created.
    revoked_at
        When it was revoked; None while it works.
    last_used_at
        When it last authenticated a request (updated at most once a minute).

    Examples
    --------
    >>> import advocacy
    >>> ws = advocacy.open("advocacy.duckdb")  # doctest: +SKIP
    >>> [token.name for token in list_tokens(ws.db) if token.revoked_at is None]  # doctest: +SKIP
    """

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
    """A token just created: ``secret`` is shown to the user once and never stored.

    Attributes
    ----------
    token
        The stored token.
    secret
        The bearer secret for ``Authorization: Bearer``; only its digest is kept.

    Examples
    --------
    >>> import advocacy
    >>> ws = advocacy.open("advocacy.duckdb")  # doctest: +SKIP
    >>> created = create_token(ws.db, role="viewer", name="dashboard")  # doctest: +SKIP
    >>> created.secret  # doctest: +SKIP
    """

    token: ApiToken
    secret: str


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class _Verified:
    principal: Principal
    token_id: str
    checked_at: datetime


class VerifiedTokens(Recent[_Verified]):
    """Tokens found valid lately, by the digest of their secret (see the module and
    :mod:`advocacy.access.recheck`)."""

    def get(self, digest: str, moment: datetime) -> Principal | None:  # type: ignore[override]
        """The principal of a token verified within RECHECK_EVERY of ``moment``."""
        found = super().get(digest, moment)
        return None if found is None else found.principal

    def put(  # type: ignore[override]
        self, digest: str, verified: _Verified, generation: int
    ) -> None:
        """Remember a token found valid by a look-up that began at ``generation``."""
        super().put(digest, verified, verified.checked_at, generation)

    def forget(self, token_id: str) -> None:  # type: ignore[override]
        """Drop the token ``token_id`` (it was revoked): its next use asks the database."""
        super().forget(lambda _, entry: entry.token_id == token_id)


#: The tokens found valid lately through a database (one :class:`VerifiedTokens` each).
verified_tokens = PerDatabase(VerifiedTokens)


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
    """Create an API token with ``role``; return it with its secret (shown once).

    Parameters
    ----------
    db
        The workspace database.
    role
        ``admin``, ``analyst``, ``case-handler`` or ``viewer``.
    name
        An optional name to tell the token apart (and revoke it by).
    units
        The units of a case-handler token.
    actor
        Who makes the change, for the audit log.
    now
        The time of the change (default: the clock).

    Returns
    -------
    NewToken
        The stored token and its secret.

    Raises
    ------
    UsageError
        For an unknown role, or units on a role other than case handler (or none on one).

    Examples
    --------
    >>> import advocacy
    >>> ws = advocacy.open("advocacy.duckdb")  # doctest: +SKIP
    >>> created = create_token(ws.db, role="viewer", name="dashboard")  # doctest: +SKIP
    """
    parsed_role, parsed_units = parse_role(role), parse_units(units)
    check_units(parsed_role, parsed_units)
    secret = PREFIX + secrets.token_urlsafe(32)
    moment = now_utc(now)
    with db.transaction():
        token_id = secrets.token_hex(ID_BYTES)
        while db.fetchone("SELECT 1 FROM api_tokens WHERE token_id = ?", [token_id]):
            token_id = secrets.token_hex(ID_BYTES)  # 48 random bits: practically never
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
    """Every token, revoked or not, oldest first (never their secrets).

    Parameters
    ----------
    db
        The workspace database.

    Returns
    -------
    list of ApiToken
        Oldest first.

    Examples
    --------
    >>> import advocacy
    >>> ws = advocacy.open("advocacy.duckdb")  # doctest: +SKIP
    >>> len(list_tokens(ws.db))  # doctest: +SKIP
    """
    return [
        _token(row)
        for row in db.fetchall(f"SELECT {_COLUMNS} FROM api_tokens ORDER BY created_at, token_id")
    ]


def revoke_token(
    db: Database, token: str, *, actor: str = "cli", now: datetime | None = None
) -> ApiToken:
    """Revoke the token whose id or name is ``token``; it stops working at once here, and
    within :data:`RECHECK_EVERY` in another process that found it valid before.

    Parameters
    ----------
    db
        The workspace database.
    token
        The token's id or name.
    actor
        Who makes the change, for the audit log.
    now
        The time of the change (default: the clock).

    Returns
    -------
    ApiToken
        The token, now revoked.

    Raises
    ------
    NotFoundError
        When no working token has that id or name.

    Examples
    --------
    >>> import advocacy
    >>> ws = advocacy.open("advocacy.duckdb")  # doctest: +SKIP
    >>> revoke_token(ws.db, "dashboard").revoked_at  # doctest: +SKIP
    """
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
            fix="see advocacy access tokens, and revoke by id",
        )
    found = _token(rows[0])
    moment = now_utc(now)
    with db.transaction():
        db.execute(
            "UPDATE api_tokens SET revoked_at = ? WHERE token_id = ?", [moment, found.token_id]
        )
        record_audit(db, actor=actor, action="token.revoke", target=found.token_id, now=moment)
    verified_tokens(db).forget(found.token_id)
    return _token((*rows[0][:6], moment, rows[0][7]))


def cached_principal(db: Database, secret: str, *, now: datetime | None = None) -> Principal | None:
    """The principal of ``secret`` if it was found valid within :data:`RECHECK_EVERY`, else
    None (then :func:`resolve_token` asks the database). Never touches the database.

    Parameters
    ----------
    db
        The workspace database.
    secret
        The bearer secret.
    now
        The time of the request (default: the clock).

    Returns
    -------
    Principal or None
        The token's principal, or None when it must be looked up.

    Examples
    --------
    >>> import advocacy
    >>> ws = advocacy.open("advocacy.duckdb")  # doctest: +SKIP
    >>> cached_principal(ws.db, "adv_...")  # doctest: +SKIP
    """
    return verified_tokens(db).get(token_digest(secret), now_utc(now))


def resolve_token(db: Database, secret: str, *, now: datetime | None = None) -> Principal:
    """The principal an ``Authorization: Bearer`` secret stands for, or an error.

    A token found valid within :data:`RECHECK_EVERY` is not looked up again.

    Parameters
    ----------
    db
        The workspace database.
    secret
        The bearer secret.
    now
        The time of the request (default: the clock); marks the token as used.

    Returns
    -------
    Principal
        The token's name, role and units, ``via="token"``.

    Raises
    ------
    AuthenticationError
        For an unknown or revoked token.

    Examples
    --------
    >>> import advocacy
    >>> ws = advocacy.open("advocacy.duckdb")  # doctest: +SKIP
    >>> principal = resolve_token(ws.db, "adv_...")  # doctest: +SKIP
    """
    digest, moment = token_digest(secret), now_utc(now)
    verified = verified_tokens(db)
    known = verified.get(digest, moment)
    if known is not None:
        return known
    generation = verified.generation
    row = db.fetchone(
        f"SELECT {_COLUMNS} FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL",
        [digest],
    )
    if row is None:
        raise AuthenticationError(
            "unknown or revoked API token",
            fix="create one with advocacy access create-token --role",
        )
    token = _token(row)
    if token.last_used_at is None or moment - token.last_used_at >= LAST_USED_EVERY:
        try:
            db.execute(
                "UPDATE api_tokens SET last_used_at = ? WHERE token_id = ?",
                [moment, token.token_id],
            )
        except Exception as error:
            if not write_conflict(error):
                fault = storage_fault(error)
                if fault is None or fault.reopen:
                    raise
            # The disk is full, or a concurrent request of the same token stamped its use
            # first: the token is valid all the same; its last use waits.
    principal = Principal(token.name or token.token_id, token.role, token.units, via="token")
    verified.put(digest, _Verified(principal, token.token_id, moment), generation)
    return principal
