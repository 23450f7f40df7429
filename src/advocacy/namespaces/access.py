"""``ws.access``: users, API tokens and the audit log of a workspace.

>>> import advocacy
>>> with advocacy.open("advocacy.duckdb") as ws:                        # doctest: +SKIP
...     ws.access.add_user("ada", role="analyst", password="a long passphrase")
...     [user.username for user in ws.access.users()]
['ada']

Each method is one function of :mod:`advocacy.access` applied to the workspace's database;
every change is written with its audit entry in one transaction. ``actor`` names who made the
change in the audit log.

The module also names what the presentation layer needs of access control without reaching
below the facade: roles and permissions, the principal a request acts as, sessions, the
errors, per-client rate limits, the units a case handler is limited to, and the pure helpers
that mask personal data for a viewer (imported on first use). Reads limited to a principal's
units are the library's (``ws.customers``, ``ws.cases.employee_feedback``, ``ws.metrics``
with ``principal=``), so no SQL or scoping helper is named here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from advocacy.lazy_names import lazy_names as _lazy_names

if TYPE_CHECKING:
    from advocacy.access.audit import AuditEntry
    from advocacy.access.masking import TextRedactor, mask_frame, mask_record, mask_records
    from advocacy.access.rate_limits import RateLimits, client_key
    from advocacy.access.roles import (
        ROLES,
        AccessDeniedError,
        AuthenticationError,
        Permission,
        Principal,
        Role,
    )
    from advocacy.access.scope import unit_limit
    from advocacy.access.sessions import LIFETIME as SESSION_LIFETIME
    from advocacy.access.sessions import Session
    from advocacy.access.tokens import ApiToken, NewToken
    from advocacy.access.users import User
    from advocacy.store.connection import Database

#: Public name -> the module that defines it, imported on first use (PEP 562).
_LAZY = {
    "AccessDeniedError": "advocacy.access.roles",
    "ApiToken": "advocacy.access.tokens",
    "AuditEntry": "advocacy.access.audit",
    "AuthenticationError": "advocacy.access.roles",
    "client_key": "advocacy.access.rate_limits",
    "mask_frame": "advocacy.access.masking",
    "mask_record": "advocacy.access.masking",
    "mask_records": "advocacy.access.masking",
    "NewToken": "advocacy.access.tokens",
    "Permission": "advocacy.access.roles",
    "Principal": "advocacy.access.roles",
    "RateLimits": "advocacy.access.rate_limits",
    "Role": "advocacy.access.roles",
    "ROLES": "advocacy.access.roles",
    "Session": "advocacy.access.sessions",
    "SESSION_LIFETIME": "advocacy.access.sessions:LIFETIME",
    "TextRedactor": "advocacy.access.masking",
    "unit_limit": "advocacy.access.scope",
    "User": "advocacy.access.users",
}

Units = str | list[str] | tuple[str, ...] | None


class AccessNamespace:
    """Who may use the workspace: users, API tokens and the audit log (``ws.access``)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # -- users ----------------------------------------------------------------------------------
    def users(self) -> list[User]:
        """Every user, by user name.

        Returns
        -------
        list of User
            Name, role, units, e-mail, whether disabled, and when created.
        """
        from advocacy.access.users import list_users

        return list_users(self._db)

    def add_user(
        self,
        username: str,
        *,
        role: str,
        password: str,
        units: Units = None,
        email: str | None = None,
        actor: str = "python",
    ) -> User:
        """Add a user who signs in to the web app.

        Parameters
        ----------
        username
            2-64 letters, digits, ``.``, ``_``, ``@`` or ``-``.
        role
            ``admin``, ``analyst``, ``case-handler`` or ``viewer``.
        password
            At least 12 characters; only its hash is stored.
        units
            A case handler's units (a list, or comma-separated text).
        email
            Where the user's case notifications and daily digest go.
        actor
            Who adds the user, for the audit log.

        Returns
        -------
        User
            The user added.

        Raises
        ------
        UsageError
            For a name, role, password, units or address that is not allowed, or a name in use.
        """
        from advocacy.access.users import add_user

        return add_user(
            self._db,
            username,
            role=role,
            password=password,
            units=units,
            actor=actor,
            email=email,
        )

    def update_user(
        self,
        username: str,
        *,
        disabled: bool | None = None,
        role: str | None = None,
        units: Units = None,
        password: str | None = None,
        actor: str = "python",
    ) -> User:
        """Enable or disable a user, change their role or units, or reset their password.

        Parameters
        ----------
        username
            The user to change.
        disabled, role, units, password
            The changes; those left as None stay as they are.
        actor
            Who makes the change, for the audit log.

        Returns
        -------
        User
            The user as changed.

        Raises
        ------
        NotFoundError
            When there is no such user.
        """
        from advocacy.access.users import update_user

        return update_user(
            self._db,
            username,
            disabled=disabled,
            role=role,
            units=units,
            password=password,
            actor=actor,
        )

    def disable_user(self, username: str, *, actor: str = "python") -> User:
        """Disable a user: sign-ins and open sessions stop working at once (a server in another
        process trusts a session it found live for at most
        :data:`advocacy.access.recheck.RECHECK_EVERY`).

        Parameters
        ----------
        username
            The user to disable.
        actor
            Who disables them, for the audit log.

        Returns
        -------
        User
            The user, now disabled.

        Raises
        ------
        NotFoundError
            When there is no such user.
        """
        from advocacy.access.users import disable_user

        return disable_user(self._db, username, actor=actor)

    def set_email(self, username: str, email: str | None, *, actor: str = "python") -> User:
        """Set (or, with None or ``""``, clear) the address a user's notifications go to.

        Parameters
        ----------
        username
            The user.
        email
            The address.
        actor
            Who sets it, for the audit log.

        Returns
        -------
        User
            The user with the new address.

        Raises
        ------
        NotFoundError
            When there is no such user.
        UsageError
            When the address is not one.
        """
        from advocacy.access.users import set_email

        return set_email(self._db, username, email, actor=actor)

    # -- API tokens -----------------------------------------------------------------------------
    def tokens(self) -> list[ApiToken]:
        """Every API token (ids, names, roles and dates; never the secrets), oldest first."""
        from advocacy.access.tokens import list_tokens

        return list_tokens(self._db)

    def create_token(
        self,
        *,
        role: str,
        name: str | None = None,
        units: Units = None,
        actor: str = "python",
    ) -> NewToken:
        """Create an API token; its secret is in the result only and is never stored.

        Parameters
        ----------
        role
            ``admin``, ``analyst``, ``case-handler`` or ``viewer``.
        name
            A name to recognise the token by.
        units
            A case handler's units.
        actor
            Who creates it, for the audit log.

        Returns
        -------
        NewToken
            The token's record and its secret.
        """
        from advocacy.access.tokens import create_token

        return create_token(self._db, role=role, name=name, units=units, actor=actor)

    def revoke_token(self, token: str, *, actor: str = "python") -> ApiToken:
        """Revoke the active API token with this id or name: it stops working at once (a
        server in another process that found it valid within
        :data:`advocacy.access.recheck.RECHECK_EVERY` refuses it within that time).

        Parameters
        ----------
        token
            The token's id or name.
        actor
            Who revokes it, for the audit log.

        Returns
        -------
        ApiToken
            The token revoked.

        Raises
        ------
        NotFoundError
            When no single active token has that id or name.
        """
        from advocacy.access.tokens import revoke_token

        return revoke_token(self._db, token, actor=actor)

    # -- audit log ------------------------------------------------------------------------------
    def audit(self, *, limit: int = 200, offset: int = 0) -> list[AuditEntry]:
        """The audit log of changes made in the workspace, newest first.

        Parameters
        ----------
        limit
            How many entries to return at most.
        offset
            How many of the newest entries to skip (for paging: ``page * limit``).

        Returns
        -------
        list of AuditEntry
            When, who, what, on which target, with details.
        """
        from advocacy.access.audit import audit_entries

        return audit_entries(self._db, limit=limit, offset=offset)

    def record(
        self,
        *,
        actor: str,
        action: str,
        target: str | None = None,
        detail: dict[str, Any] | None = None,
    ) -> AuditEntry:
        """Append one entry to the audit log, in the caller's transaction if one is open.

        Parameters
        ----------
        actor
            Who did it (a user or token name).
        action
            What was done, e.g. ``import.file``.
        target
            What it was done to (an import's id), if anything.
        detail
            More about the change; never a secret.

        Returns
        -------
        AuditEntry
            The entry as written.
        """
        from advocacy.access.audit import record_audit

        return record_audit(self._db, actor=actor, action=action, target=target, detail=detail)

    # -- sign-in, sessions and tokens of the web app ---------------------------------------------
    def authenticate(self, username: str, password: str, *, client: str | None = None) -> User:
        """The enabled user whose password matches.

        Parameters
        ----------
        username, password
            What the user typed.
        client
            The client's rate-limit key (:func:`client_key`), for throttling guesses.

        Returns
        -------
        User
            The user signing in.

        Raises
        ------
        AuthenticationError
            For an unknown or disabled user or a wrong password (too many attempts:
            ``TooManyAttemptsError``).
        """
        from advocacy.access.users import authenticate

        return authenticate(self._db, username, password, client=client)

    def start_session(self, principal: Principal) -> Session:
        """Start a browser session for ``principal``; its cookie is in the result.

        Parameters
        ----------
        principal
            Who signed in.

        Returns
        -------
        Session
            The session, with the cookie value and when it expires (:data:`SESSION_LIFETIME`).
        """
        from advocacy.access.sessions import start_session

        return start_session(self._db, principal)

    def resolve_session(self, cookie: str) -> Session:
        """The live session a cookie stands for.

        Parameters
        ----------
        cookie
            The session cookie's value.

        Returns
        -------
        Session
            The session and its principal.

        Raises
        ------
        AuthenticationError
            For an unknown or expired session, or one whose user is disabled.
        """
        from advocacy.access.sessions import resolve_session

        return resolve_session(self._db, cookie)

    def verified_session(self, cookie: str) -> Session | None:
        """The session of a cookie found live within the last few seconds, without asking the
        database (None: ask with :meth:`resolve_session`).

        Signing out or changing the user through this workspace is seen at once; through
        another process within :data:`advocacy.access.recheck.RECHECK_EVERY`.

        Parameters
        ----------
        cookie
            The session cookie's value.

        Returns
        -------
        Session or None
            The session and its principal, or None when it must be looked up.
        """
        from advocacy.access.sessions import cached_session

        return cached_session(self._db, cookie)

    def end_session(self, cookie: str) -> None:
        """End the session a cookie stands for (signing out); an unknown cookie is ignored.

        Parameters
        ----------
        cookie
            The session cookie's value.
        """
        from advocacy.access.sessions import end_session

        end_session(self._db, cookie)

    def resolve_token(self, secret: str) -> Principal:
        """The principal an ``Authorization: Bearer`` secret stands for.

        Parameters
        ----------
        secret
            The API token's secret.

        Returns
        -------
        Principal
            The token's role and units.

        Raises
        ------
        AuthenticationError
            For an unknown or revoked token.
        """
        from advocacy.access.tokens import resolve_token

        return resolve_token(self._db, secret)

    def verified_token(self, secret: str) -> Principal | None:
        """The principal of a token found valid within the last few seconds, without asking
        the database (None: ask with :meth:`resolve_token`).

        A token revoked through this workspace is forgotten at once; one revoked by another
        process stops working within :data:`advocacy.access.recheck.RECHECK_EVERY`.

        Parameters
        ----------
        secret
            The API token's secret.

        Returns
        -------
        Principal or None
            The token's role and units, or None when it must be looked up.
        """
        from advocacy.access.tokens import cached_principal

        return cached_principal(self._db, secret)

    def text_redactor(self, principal: Principal) -> TextRedactor | None:
        """The redactor masking uses for ``principal``, or None for roles that see personal data.

        It knows the workspace's identities (customer and employee names, ids, phones,
        e-mails), read once here: build it once per request and pass it to every
        :func:`mask_record`, :func:`mask_records` or :func:`mask_frame`.

        Parameters
        ----------
        principal
            Who will see the data.

        Returns
        -------
        TextRedactor or None
            A function from text to redacted text.
        """
        from advocacy.access.masking import text_redactor

        return text_redactor(self._db, principal)


__all__ = [
    "ROLES",
    "SESSION_LIFETIME",
    "AccessDeniedError",
    "AccessNamespace",
    "ApiToken",
    "AuditEntry",
    "AuthenticationError",
    "NewToken",
    "Permission",
    "Principal",
    "RateLimits",
    "Role",
    "Session",
    "TextRedactor",
    "User",
    "client_key",
    "mask_frame",
    "mask_record",
    "mask_records",
    "unit_limit",
]

__getattr__, __dir__ = _lazy_names(__name__, _LAZY, __all__)
