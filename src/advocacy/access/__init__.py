"""Who may use a workspace: users, API tokens, browser sessions, roles and the audit log.

The CLI (``advocacy access``) and the web app call these functions; every change to a user or
token is written to the audit log in the same transaction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from advocacy.access.roles import (
    ROLES,
    AccessDeniedError,
    AuthenticationError,
    Principal,
    Role,
    TooManyAttemptsError,
)
from advocacy.lazy_names import lazy_names as _lazy_names

if TYPE_CHECKING:
    from advocacy.access.audit import AuditEntry, audit_entries, record_audit
    from advocacy.access.sessions import Session, end_session, resolve_session, start_session
    from advocacy.access.tokens import (
        ApiToken,
        NewToken,
        create_token,
        list_tokens,
        resolve_token,
        revoke_token,
    )
    from advocacy.access.users import (
        User,
        add_user,
        authenticate,
        disable_user,
        list_users,
        update_user,
    )

#: Public name -> the module that defines it, imported on first use (PEP 562).
_LAZY = {
    "add_user": "advocacy.access.users",
    "ApiToken": "advocacy.access.tokens",
    "audit_entries": "advocacy.access.audit",
    "AuditEntry": "advocacy.access.audit",
    "authenticate": "advocacy.access.users",
    "create_token": "advocacy.access.tokens",
    "disable_user": "advocacy.access.users",
    "end_session": "advocacy.access.sessions",
    "list_tokens": "advocacy.access.tokens",
    "list_users": "advocacy.access.users",
    "NewToken": "advocacy.access.tokens",
    "record_audit": "advocacy.access.audit",
    "resolve_session": "advocacy.access.sessions",
    "resolve_token": "advocacy.access.tokens",
    "revoke_token": "advocacy.access.tokens",
    "Session": "advocacy.access.sessions",
    "start_session": "advocacy.access.sessions",
    "update_user": "advocacy.access.users",
    "User": "advocacy.access.users",
}


__all__ = [
    "ROLES",
    "AccessDeniedError",
    "ApiToken",
    "AuditEntry",
    "AuthenticationError",
    "NewToken",
    "Principal",
    "Role",
    "Session",
    "TooManyAttemptsError",
    "User",
    "add_user",
    "audit_entries",
    "authenticate",
    "create_token",
    "disable_user",
    "end_session",
    "list_tokens",
    "list_users",
    "record_audit",
    "resolve_session",
    "resolve_token",
    "revoke_token",
    "start_session",
    "update_user",
]

__getattr__, __dir__ = _lazy_names(__name__, _LAZY, __all__)
