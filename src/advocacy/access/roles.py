"""Roles and what each may do: the one place authorisation rules are written down.

Four roles, from most to least trusted:

- ``admin``: everything, including users, tokens and the audit log;
- ``analyst``: reads every analysis and customer, writes evidence through the API, works every
  case, edits case rules, action plans and surveys;
- ``case-handler``: reads analyses, and customers and cases of their own units only, and works
  those cases; what "their units" covers is :mod:`advocacy.access.scope`;
- ``viewer``: reads analyses; personal data (names, e-mail, phone, free text) is masked by
  :mod:`advocacy.access.masking`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from advocacy.errors import AdvocacyError, UsageError


class Role(StrEnum):
    """What a user or token may do: admin, analyst, case handler or viewer.

    Examples
    --------
    >>> Role("case-handler") is Role.case_handler
    True
    """

    admin = "admin"
    analyst = "analyst"
    case_handler = "case-handler"
    viewer = "viewer"


ROLES: tuple[str, ...] = tuple(role.value for role in Role)


class Permission(StrEnum):
    """Capabilities a route or command needs."""

    read = "read"  # aggregate analyses, pages
    read_customers = "read-customers"  # customer 360 and record lists (unit-limited for handlers)
    write_evidence = "write-evidence"  # POST responses, mentions, ...
    manage_access = "manage-access"  # users, tokens, audit log
    work_cases = "work-cases"  # contact, note, resolve and close cases (unit-limited for handlers)
    manage_loop = "manage-loop"  # case rules, action plans, surveys and their links


GRANTS: dict[Role, frozenset[Permission]] = {
    Role.admin: frozenset(Permission),
    Role.analyst: frozenset(
        {
            Permission.read,
            Permission.read_customers,
            Permission.write_evidence,
            Permission.work_cases,
            Permission.manage_loop,
        }
    ),
    Role.case_handler: frozenset(
        {Permission.read, Permission.read_customers, Permission.work_cases}
    ),
    Role.viewer: frozenset({Permission.read, Permission.read_customers}),
}


class AuthenticationError(AdvocacyError):
    """No valid credentials: a wrong password, an unknown, revoked or expired token or session.

    Examples
    --------
    >>> error = AuthenticationError("unknown or expired token", fix="sign in again")
    >>> print(error)
    unknown or expired token; fix: sign in again
    >>> error.status_code
    401
    """

    status_code = 401


class TooManyAttemptsError(AuthenticationError):
    """Login refused for a while after repeated failures (throttling).

    ``retry_after`` is the number of seconds to wait (the web app sends it as ``Retry-After``).

    Parameters
    ----------
    message
        What was refused.
    retry_after
        Seconds until the client may try again.
    **context
        The context of :class:`~advocacy.errors.AdvocacyError` (``fix``, ``value``, ...).

    Examples
    --------
    >>> error = TooManyAttemptsError("too many failed sign-ins", retry_after=60)
    >>> error.status_code, error.retry_after, isinstance(error, AuthenticationError)
    (429, 60, True)
    """

    status_code = 429

    def __init__(self, message: str, *, retry_after: int = 0, **context: Any) -> None:
        super().__init__(message, **context)
        self.retry_after = retry_after


class AccessDeniedError(AdvocacyError):
    """Valid credentials whose role does not allow the action.

    Examples
    --------
    >>> error = AccessDeniedError("a viewer cannot close cases", fix="ask an admin")
    >>> error.status_code, error.exit_code
    (403, 1)
    """

    status_code = 403


def parse_role(name: str) -> Role:
    """The role called ``name`` (``case_handler`` = ``case-handler``)."""
    normal = name.strip().lower().replace("_", "-")
    if normal not in ROLES:
        raise UsageError(
            f"unknown role {name!r}",
            value=name,
            parameter="--role",
            fix="use one of: " + ", ".join(ROLES),
        )
    return Role(normal)


def parse_units(units: str | list[str] | tuple[str, ...] | None) -> tuple[str, ...]:
    """Units from a comma-separated string or a list, trimmed, without blanks or repeats."""
    if units is None:
        return ()
    parts = units.split(",") if isinstance(units, str) else list(units)
    seen: list[str] = []
    for part in parts:
        name = part.strip()
        if name and name not in seen:
            seen.append(name)
    return tuple(seen)


def check_units(role: Role, units: tuple[str, ...]) -> None:
    """A case handler must have units; other roles see every unit and take none."""
    if role is Role.case_handler and not units:
        raise UsageError(
            "a case handler needs the units they handle",
            parameter="--units",
            fix="pass --units North,East",
        )
    if role is not Role.case_handler and units:
        raise UsageError(
            f"only case handlers are limited to units; a {role.value} sees every unit",
            parameter="--units",
            value=",".join(units),
            fix="leave out --units, or use --role case-handler",
        )


@dataclass(frozen=True)
class Principal:
    """Who is calling: a signed-in user or an API token, with the role and units it carries.

    Attributes
    ----------
    name
        The user name or the token's name.
    role
        What the caller may do.
    units
        The units a case handler works for (empty for other roles).
    via
        ``"session"`` or ``"token"``.

    Examples
    --------
    >>> handler = Principal("ana", Role.case_handler, ("North",))
    >>> handler.can(Permission.work_cases), handler.can(Permission.manage_access)
    (True, False)
    """

    name: str
    role: Role
    units: tuple[str, ...] = field(default=())
    via: str = "session"  # session | token

    def can(self, permission: Permission) -> bool:
        return permission in GRANTS[self.role]

    def require(self, permission: Permission) -> None:
        """Raise :class:`AccessDeniedError` unless the role grants ``permission``."""
        if not self.can(permission):
            raise AccessDeniedError(
                f"the {self.role.value} role may not {permission.value.replace('-', ' ')}",
                value=self.name,
                fix="ask an admin for a role that allows it",
            )

    @property
    def masks_personal_data(self) -> bool:
        return self.role is Role.viewer

    @property
    def limited_to_units(self) -> bool:
        return self.role is Role.case_handler

    def sees_unit(self, unit: str | None) -> bool:
        return not self.limited_to_units or (unit is not None and unit in self.units)


#: Who Python code using the workspace acts as when it names no principal (a notebook, a
#: script): an admin named ``python``, the default ``actor`` of every change, who reads every
#: unit and sees personal data unmasked.
WORKSPACE_OWNER = Principal("python", Role.admin)
