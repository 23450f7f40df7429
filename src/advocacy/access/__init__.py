"""Who may use a workspace: users, API tokens, browser sessions, roles and the audit log.

The CLI (``advocacy users``, ``advocacy tokens``) and the web app call these functions; every
change to a user or token is written to the audit log in the same transaction.
"""

from advocacy.access.audit import AuditEntry, audit_entries, record_audit
from advocacy.access.roles import (
    ROLES,
    AccessDeniedError,
    AuthenticationError,
    Principal,
    Role,
    TooManyAttemptsError,
)
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
