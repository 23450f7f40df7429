"""Browser sessions: a random id in a cookie, stored as its digest, with a CSRF token.

The cookie holds 32 random bytes; the database keeps only their SHA-256, so a copy of the
database cannot be used to sign in. Each session carries its own CSRF token, which every form
posts back (the synchroniser-token pattern of the OWASP CSRF Prevention Cheat Sheet).

A session found live is trusted for :data:`~advocacy.access.recheck.RECHECK_EVERY` before the
database is asked again (:class:`LiveSessions`, one per
:class:`~advocacy.store.connection.Database`), as API tokens are: the web server looked every
page's session up on a pooled connection of its own. Signing out, disabling a user or changing
one's role, units or password through the same ``Database`` (the server's pages and API)
forgets the sessions concerned at once; done elsewhere (the CLI, another server process), it
reaches this process within that time. Unknown and ended sessions are never remembered.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from advocacy.access.audit import now_utc
from advocacy.access.recheck import PerDatabase, Recent
from advocacy.access.roles import AuthenticationError, Principal, Role, parse_units
from advocacy.access.tokens import token_digest
from advocacy.store.connection import Database

LIFETIME = timedelta(hours=12)


@dataclass(frozen=True)
class Session:
    """A signed-in browser session.

    Attributes
    ----------
    cookie
        The secret sent to the browser; empty when loaded from the database.
    principal
        The signed-in user, with their role and units.
    csrf_token
        The token forms must send back with each change.
    expires_at
        When the session ends.

    Examples
    --------
    >>> import advocacy
    >>> ws = advocacy.open("advocacy.duckdb")  # doctest: +SKIP
    >>> from advocacy.access import authenticate
    >>> user = authenticate(ws.db, "ana", "a long passphrase")  # doctest: +SKIP
    >>> session = start_session(ws.db, user.principal())  # doctest: +SKIP
    """

    cookie: str  # the secret sent to the browser; empty when loaded from the database
    principal: Principal
    csrf_token: str
    expires_at: datetime

    def csrf_matches(self, submitted: str | None) -> bool:
        return submitted is not None and hmac.compare_digest(self.csrf_token, submitted)


def start_session(db: Database, principal: Principal, *, now: datetime | None = None) -> Session:
    """Open a session for a signed-in user; the caller sets ``cookie`` in the browser.

    Parameters
    ----------
    db
        The workspace database.
    principal
        The user who signed in.
    now
        When the session starts (default: the clock).

    Returns
    -------
    Session
        The new session with its cookie and CSRF token.

    Examples
    --------
    >>> import advocacy
    >>> ws = advocacy.open("advocacy.duckdb")  # doctest: +SKIP
    >>> from advocacy.access import authenticate
    >>> user = authenticate(ws.db, "ana", "a long passphrase")  # doctest: +SKIP
    >>> session = start_session(ws.db, user.principal())  # doctest: +SKIP
    """
    moment = now_utc(now)
    cookie = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    expires = moment + LIFETIME
    db.execute("DELETE FROM sessions WHERE expires_at < ?", [moment])
    db.execute(
        "INSERT INTO sessions (session_hash, username, csrf_token, created_at, expires_at) "
        "VALUES (?, ?, ?, ?, ?)",
        [token_digest(cookie), principal.name, csrf, moment, expires],
    )
    return Session(cookie, principal, csrf, expires)


def resolve_session(db: Database, cookie: str, *, now: datetime | None = None) -> Session:
    """The live session of an enabled user for ``cookie``, or :class:`AuthenticationError`.

    Parameters
    ----------
    db
        The workspace database.
    cookie
        The session cookie the browser sent.
    now
        The time of the request (default: the clock).

    Returns
    -------
    Session
        The session (its ``cookie`` empty: only a digest is stored).

    Raises
    ------
    AuthenticationError
        For an unknown or expired session, or a disabled user.

    Examples
    --------
    >>> import advocacy
    >>> ws = advocacy.open("advocacy.duckdb")  # doctest: +SKIP
    >>> session = resolve_session(ws.db, cookie)  # doctest: +SKIP
    """
    live = live_sessions(db)
    generation = live.generation
    moment = now_utc(now)
    row = db.fetchone(
        "SELECT s.csrf_token, s.expires_at, u.username, u.role, u.units FROM sessions s "
        "JOIN users u ON u.username = s.username "
        "WHERE s.session_hash = ? AND s.expires_at > ? AND NOT u.disabled",
        [token_digest(cookie), moment],
    )
    if row is None:
        raise AuthenticationError("not signed in, or the session expired", fix="sign in again")
    principal = Principal(
        str(row[2]), Role(str(row[3])), parse_units(str(row[4]) if row[4] else None)
    )
    session = Session("", principal, str(row[0]), row[1])
    live.put(token_digest(cookie), session, moment, generation)
    return session


def cached_session(db: Database, cookie: str, *, now: datetime | None = None) -> Session | None:
    """The session ``cookie`` stands for if it was found live within
    :data:`~advocacy.access.recheck.RECHECK_EVERY` (and has not expired since), without asking
    the database; None: ask with :func:`resolve_session`.

    Parameters
    ----------
    db
        The workspace database.
    cookie
        The session cookie the browser sent.
    now
        The time of the request (default: the clock).

    Returns
    -------
    Session or None
        The session, or None when it must be looked up.
    """
    return live_sessions(db).get(token_digest(cookie), now_utc(now))


class LiveSessions(Recent[Session]):
    """Sessions found live lately, by the digest of their cookie (see the module and
    :mod:`advocacy.access.recheck`); a session past its expiry is never trusted."""

    def get(self, digest: str, moment: datetime) -> Session | None:
        """The session of ``digest`` found live within RECHECK_EVERY of ``moment``."""
        found = super().get(digest, moment)
        if found is None or (found.expires_at is not None and moment >= found.expires_at):
            return None
        return found

    def forget(  # type: ignore[override]
        self, *, digest: str | None = None, username: str | None = None
    ) -> None:
        """Drop the session of cookie digest ``digest``, or every session of ``username``:
        their next use asks the database."""
        super().forget(lambda key, session: key == digest or session.principal.name == username)


#: The sessions found live lately through a database (one :class:`LiveSessions` each).
live_sessions = PerDatabase(LiveSessions)


def end_session(db: Database, cookie: str) -> None:
    """Sign out: forget the session.

    Parameters
    ----------
    db
        The workspace database.
    cookie
        The session cookie the browser sent; an unknown one is ignored.

    Examples
    --------
    >>> import advocacy
    >>> ws = advocacy.open("advocacy.duckdb")  # doctest: +SKIP
    >>> end_session(ws.db, cookie)  # doctest: +SKIP
    """
    db.execute("DELETE FROM sessions WHERE session_hash = ?", [token_digest(cookie)])
    live_sessions(db).forget(digest=token_digest(cookie))  # after: a look-up meanwhile is void
