"""Admin routes of the REST API: add and change users, create and revoke API tokens.

Each route calls one function of :mod:`advocacy.access`, which writes the change and its audit
entry in one transaction; the caller's name is the audit entry's actor. Reading users, tokens
and the audit log lives with the other read routes (``GET /api/v1/users`` and so on).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from advocacy.namespaces.access import Permission, User
from advocacy.present.web.auth import Caller, requires, web_state
from advocacy.records import plain

router = APIRouter(prefix="/api/v1", tags=["admin"])

Admin = Annotated[Caller, Depends(requires(Permission.manage_access))]


class NewUser(BaseModel):
    """A user to add."""

    model_config = ConfigDict(extra="forbid")

    username: str = Field(description="2-64 letters, digits, '.', '_', '@' or '-'")
    role: str = Field(description="admin, analyst, case-handler or viewer")
    password: str = Field(description="at least 12 characters")
    units: list[str] | str | None = Field(
        default=None, description="the units of a case handler (a list or 'North,East')"
    )
    email: str | None = Field(default=None, description="where case notifications go")


class UserChange(BaseModel):
    """Changes to a user; fields left out stay as they are."""

    model_config = ConfigDict(extra="forbid")

    disabled: bool | None = Field(default=None, description="true disables, false enables")
    role: str | None = Field(default=None, description="a new role")
    units: list[str] | str | None = Field(default=None, description="a case handler's units")
    password: str | None = Field(default=None, description="a new password (12+ characters)")


class NewToken(BaseModel):
    """An API token to create."""

    model_config = ConfigDict(extra="forbid")

    role: str = Field(description="admin, analyst, case-handler or viewer")
    name: str | None = Field(default=None, description="a name to recognise it by")
    units: list[str] | str | None = Field(default=None, description="a case handler's units")


def user_record(user: User) -> dict[str, Any]:
    """A user as JSON (never the password hash)."""
    return plain(asdict(user))  # type: ignore[no-any-return]


@router.post("/users", status_code=201, summary="Add a user (admin)")
def create_user(request: Request, body: NewUser, caller: Admin) -> dict[str, Any]:
    state = web_state(request)
    with state.use:
        added = state.ws.access.add_user(
            body.username,
            role=body.role,
            password=body.password,
            units=body.units,
            email=body.email,
            actor=caller.principal.name,
        )
    return user_record(added)


@router.patch(
    "/users/{username}", summary="Enable or disable a user, change the role, reset the password"
)
def change_user(username: str, request: Request, body: UserChange, caller: Admin) -> dict[str, Any]:
    state = web_state(request)
    with state.use:
        changed = state.ws.access.update_user(
            username,
            disabled=body.disabled,
            role=body.role,
            units=body.units,
            password=body.password,
            actor=caller.principal.name,
        )
    return user_record(changed)


@router.post(
    "/tokens", status_code=201, summary="Create an API token; its secret is shown only here"
)
def create_api_token(request: Request, body: NewToken, caller: Admin) -> dict[str, Any]:
    state = web_state(request)
    with state.use:
        created = state.ws.access.create_token(
            role=body.role,
            name=body.name,
            units=body.units,
            actor=caller.principal.name,
        )
    return {**plain(asdict(created.token)), "secret": created.secret}


@router.delete(
    "/tokens/{token_id}",
    summary="Revoke an API token (admin): at once here, within 5 s in other server processes",
)
def revoke_api_token(token_id: str, request: Request, caller: Admin) -> dict[str, Any]:
    state = web_state(request)
    with state.use:
        revoked = state.ws.access.revoke_token(token_id, actor=caller.principal.name)
    return plain(asdict(revoked))  # type: ignore[no-any-return]
