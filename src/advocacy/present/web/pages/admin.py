"""Admin pages: users, API tokens and the audit log (admins only).

Each form posts the session's CSRF token (checked by :func:`advocacy.present.web.auth.requires`)
and calls one function of :mod:`advocacy.access`, which writes the change with its audit entry
in one transaction. A change redirects back to its list (post/redirect/get), except a new
token: its secret is shown once, on the page that answers the form, and never again.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from advocacy.errors import UsageError
from advocacy.namespaces.access import ROLES, NewToken, Permission
from advocacy.present.web.auth import Caller, requires, web_state
from advocacy.present.web.pages.forms import submit_form
from advocacy.present.web.pages.rendering import render

router = APIRouter(prefix="/admin", include_in_schema=False)

Admin = Annotated[Caller, Depends(requires(Permission.manage_access))]

#: Audit entries per page.
AUDIT_PAGE_SIZE = 50
#: The new token's secret must not linger in caches or the browser history.
NO_STORE = {"Cache-Control": "no-store"}


def _users_page(
    request: Request,
    caller: Caller,
    *,
    error: UsageError | None = None,
    form: dict[str, str] | None = None,
    notice: str = "",
) -> Response:
    state = web_state(request)
    with state.use:
        users = state.ws.access.users()
    context = {
        "users": users,
        "roles": ROLES,
        "error": error,
        "form": form or {},
        "notice": notice,
    }
    return render(
        request,
        "admin_users.html.j2",
        context,
        caller=caller,
        status_code=400 if error else 200,
    )


@router.get("/users", response_class=HTMLResponse)
def users_page(request: Request, caller: Admin, changed: str = "") -> Response:
    return _users_page(request, caller, notice=changed)


@router.post("/users", response_class=HTMLResponse)
async def add_user_form(
    request: Request,
    caller: Admin,
    username: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    units: Annotated[str, Form()] = "",
    email: Annotated[str, Form()] = "",
) -> Response:
    form = {"username": username, "role": role, "units": units, "email": email}
    return await submit_form(
        request,
        lambda state: state.ws.access.add_user(
            username.strip(),
            role=role,
            password=password,
            units=units or None,
            email=email.strip() or None,
            actor=caller.principal.name,
        ),
        done=lambda _: RedirectResponse(
            f"/admin/users?changed={username.strip()}", status_code=303
        ),
        refused=lambda error: _users_page(request, caller, error=error, form=form),
        refusal=UsageError,
    )


@router.post("/users/{username}", response_class=HTMLResponse)
async def change_user_form(
    username: str,
    request: Request,
    caller: Admin,
    disabled: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "",
    units: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
) -> Response:
    """One user's change: ``disabled`` (true/false), ``role`` with ``units``, or ``password``."""
    return await submit_form(
        request,
        lambda state: state.ws.access.update_user(
            username,
            disabled={"true": True, "false": False}.get(disabled.strip().lower()),
            role=role or None,
            units=units if role else None,
            password=password or None,
            actor=caller.principal.name,
        ),
        done=lambda _: RedirectResponse(f"/admin/users?changed={username}", status_code=303),
        refused=lambda error: _users_page(request, caller, error=error),
        refusal=UsageError,
    )


def _tokens_page(
    request: Request,
    caller: Caller,
    *,
    created: NewToken | None = None,
    error: UsageError | None = None,
    form: dict[str, str] | None = None,
    notice: str = "",
) -> Response:
    state = web_state(request)
    with state.use:
        tokens = state.ws.access.tokens()
    response = render(
        request,
        "admin_tokens.html.j2",
        {
            "tokens": tokens,
            "roles": ROLES,
            "created": created,
            "error": error,
            "form": form or {},
            "notice": notice,
        },
        caller=caller,
        status_code=400 if error else 200,
    )
    response.headers.update(NO_STORE)
    return response


@router.get("/tokens", response_class=HTMLResponse)
def tokens_page(request: Request, caller: Admin, revoked: str = "") -> Response:
    return _tokens_page(request, caller, notice=revoked)


@router.post("/tokens", response_class=HTMLResponse)
async def create_token_form(
    request: Request,
    caller: Admin,
    role: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    units: Annotated[str, Form()] = "",
) -> Response:
    form = {"role": role, "name": name, "units": units}
    return await submit_form(
        request,
        lambda state: state.ws.access.create_token(
            role=role,
            name=name.strip() or None,
            units=units or None,
            actor=caller.principal.name,
        ),
        done=lambda created: _tokens_page(request, caller, created=created),
        refused=lambda error: _tokens_page(request, caller, error=error, form=form),
        refusal=UsageError,
    )


@router.post("/tokens/{token_id}/revoke", response_class=HTMLResponse)
async def revoke_token_form(token_id: str, request: Request, caller: Admin) -> Response:
    return await submit_form(
        request,
        lambda state: state.ws.access.revoke_token(token_id, actor=caller.principal.name),
        done=lambda revoked: RedirectResponse(
            f"/admin/tokens?revoked={revoked.token_id}", status_code=303
        ),
    )


@router.get("/audit", response_class=HTMLResponse)
def audit_page(
    request: Request, caller: Admin, page: Annotated[int, Query(ge=1, le=1_000_000)] = 1
) -> Response:
    """The audit log, newest first, :data:`AUDIT_PAGE_SIZE` entries per page."""
    page = max(page, 1)
    state = web_state(request)
    with state.use:
        # One entry more than a page tells whether an older page exists.
        entries = state.ws.access.audit(
            limit=AUDIT_PAGE_SIZE + 1, offset=(page - 1) * AUDIT_PAGE_SIZE
        )
    context: dict[str, Any] = {
        "entries": entries[:AUDIT_PAGE_SIZE],
        "page": page,
        "older": len(entries) > AUDIT_PAGE_SIZE,
        "first": (page - 1) * AUDIT_PAGE_SIZE + 1,
    }
    return render(request, "admin_audit.html.j2", context, caller=caller)
