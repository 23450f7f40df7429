"""Who is calling: API tokens, session cookies, CSRF checks and role requirements for routes.

An API call authenticates with ``Authorization: Bearer <token>``; a browser with the session
cookie set at sign-in. State-changing browser requests must carry the session's CSRF token (a
form field ``csrf_token`` or an ``X-CSRF-Token`` header); bearer-token calls need none, since a
browser never adds that header by itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from anyio import CapacityLimiter, to_thread
from fastapi import Request, Response

from advocacy.errors import AdvocacyError
from advocacy.namespaces.access import (
    SESSION_LIFETIME,
    AuthenticationError,
    Permission,
    Principal,
    Session,
)
from advocacy.present.web.state import WebState

SESSION_COOKIE = "advocacy_session"
LOGIN_CSRF_COOKIE = "advocacy_login_csrf"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class CsrfError(AdvocacyError):
    """A state-changing browser request without the session's CSRF token."""

    status_code = 403


@dataclass(frozen=True)
class Caller:
    """The authenticated principal of a request, and its session when it came from a browser."""

    principal: Principal
    session: Session | None = None

    @property
    def csrf_token(self) -> str:
        return self.session.csrf_token if self.session else ""


def web_state(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise AuthenticationError(
            "the Authorization header must be 'Bearer <token>'",
            fix="send Authorization: Bearer <token from advocacy access create-token>",
        )
    return value.strip()


def verified_caller(request: Request) -> Caller | None:
    """The caller of a bearer token or a session cookie found valid within the last few
    seconds, without the database (so without a thread or a pooled connection); None to
    :func:`identify` it.

    A token revoked, a session ended or a user changed through this process is forgotten at
    once; through another process it reaches this one within
    ``advocacy.access.recheck.RECHECK_EVERY``.
    """
    token = _bearer(request)
    access = web_state(request).ws.access
    if token is None:
        cookie = request.cookies.get(SESSION_COOKIE)
        session = access.verified_session(cookie) if cookie else None
        return None if session is None else Caller(session.principal, session)
    principal = access.verified_token(token)
    return None if principal is None else Caller(principal)


def identify(request: Request) -> Caller:
    """The caller of ``request``, or :class:`AuthenticationError`."""
    state = web_state(request)
    token = _bearer(request)
    with state.use:
        if token is not None:
            return Caller(state.ws.access.resolve_token(token))
        cookie = request.cookies.get(SESSION_COOKIE)
        if not cookie:
            raise AuthenticationError(
                "authentication required",
                fix="sign in, or send Authorization: Bearer <token>",
            )
        session = state.ws.access.resolve_session(cookie)
    return Caller(session.principal, session)


async def _check_csrf(request: Request, caller: Caller) -> None:
    if request.method in SAFE_METHODS or caller.session is None:
        return
    submitted = request.headers.get("x-csrf-token")
    if submitted is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get("csrf_token")
        submitted = value if isinstance(value, str) else None
    if not caller.session.csrf_matches(submitted):
        raise CsrfError(
            "the form's security token is missing or out of date",
            fix="reload the page and submit again",
        )


def requires(
    permission: Permission, *, threads: Callable[[Any], CapacityLimiter | None] | None = None
) -> Callable[[Request], object]:
    """A FastAPI dependency: the caller, who must hold ``permission`` (and CSRF if a browser).

    ``threads`` gives the app's threads to authenticate on (default anyio's, the pages').
    """

    async def dependency(request: Request) -> Caller:
        caller = verified_caller(request)
        if caller is None:
            limiter = threads(request.app) if threads is not None else None
            caller = await to_thread.run_sync(identify, request, limiter=limiter)
        await _check_csrf(request, caller)
        caller.principal.require(permission)
        return caller

    dependency.__name__ = f"requires_{permission.name}"
    return dependency


def set_session_cookie(response: Response, session: Session, *, secure: bool) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        session.cookie,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        httponly=True,
        secure=secure,
        samesite="strict",
        path="/",
    )
