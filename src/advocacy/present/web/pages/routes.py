"""Page routes: each gathers one library result for the caller and renders its template."""

from __future__ import annotations

import secrets
import unicodedata
from typing import Annotated, Any

import pandas as pd
from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from advocacy.errors import UsageError
from advocacy.namespaces.access import AuthenticationError, Permission, client_key
from advocacy.namespaces.metrics import METRICS, PERIODS
from advocacy.present.web.auth import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    Caller,
    CsrfError,
    requires,
    set_session_cookie,
    web_state,
)
from advocacy.present.web.charts import ladder_spec, slices_spec, trend_spec
from advocacy.present.web.dashboards import (
    DIMENSIONS,
    coaching,
    explore,
    ladder_summary,
    overview,
    viewer_redactor,
)
from advocacy.present.web.pages.rendering import render
from advocacy.present.web.pages.topics import TOPICS, topic_view

router = APIRouter(include_in_schema=False)

Reader = Annotated[Caller, Depends(requires(Permission.read))]
CustomerReader = Annotated[Caller, Depends(requires(Permission.read_customers))]


def _safe_next(target: str | None) -> str:
    """Where to go after signing in: a path on this site, else ``/`` (no open redirect).

    Only a path starting with one ``/`` qualifies: to a browser ``//host`` and ``/\\host`` are
    another site, ``https:`` or ``javascript:`` is no path, and control characters are dropped
    before parsing (``/<TAB>/host`` is ``//host``).
    """
    if (
        not target
        or not target.startswith("/")
        or target[1:2] in ("/", "\\")
        or any(unicodedata.category(character)[0] == "C" for character in target)
    ):
        return "/"
    return target


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str | None = None) -> Response:
    token = secrets.token_urlsafe(32)
    response = render(request, "login.html.j2", {"login_csrf": token, "next": _safe_next(next)})
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        httponly=True,
        secure=web_state(request).secure_cookies,
        samesite="strict",
        path="/login",
    )
    return response


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    state = web_state(request)
    client = request.client.host if request.client else None
    state.rate_limits.admit(sign_in=client_key(client))  # before any work: 429 past the limit
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not cookie or not secrets.compare_digest(cookie, csrf_token):
        raise CsrfError("the sign-in form is out of date", fix="reload the page and sign in")
    try:
        with state.use:
            user = state.ws.access.authenticate(username.strip(), password, client=client)
            session = state.ws.access.start_session(user.principal())
    except AuthenticationError as error:
        token = secrets.token_urlsafe(32)
        failed: Response = render(
            request,
            "login.html.j2",
            {"login_csrf": token, "next": _safe_next(next), "error": error, "username": username},
            status_code=429 if getattr(error, "retry_after", 0) else 401,
        )
        if failed.status_code == 429:
            failed.headers["Retry-After"] = str(getattr(error, "retry_after", 0))
        failed.set_cookie(
            LOGIN_CSRF_COOKIE,
            token,
            httponly=True,
            secure=state.secure_cookies,
            samesite="strict",
            path="/login",
        )
        return failed
    response = RedirectResponse(_safe_next(next), status_code=303)
    set_session_cookie(response, session, secure=state.secure_cookies)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(request: Request, caller: Reader) -> Response:
    state = web_state(request)
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        with state.use:
            state.ws.access.end_session(cookie)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/", response_class=HTMLResponse)
def overview_page(request: Request, caller: Reader) -> Response:
    state = web_state(request)
    with state.use:
        found = overview(state, caller.principal)
        ladder = ladder_summary(state, caller.principal, compute=False)
    charts = []
    if not found.trend.empty:
        trend = found.trend
        if caller.principal.limited_to_units:
            trend = trend.groupby("period", as_index=False).first()
        charts.append(
            (
                trend_spec(trend, metric="nps", period=found.period),
                f"NPS by {found.period} with its interval",
            )
        )
    if not found.units.empty:
        charts.append(
            (slices_spec(found.units, metric="nps", dimension="unit"), "NPS by unit, intervals")
        )
    ladder_chart = None if ladder is None else ladder_spec(ladder)
    return render(
        request,
        "overview.html.j2",
        {"data": found, "charts": charts, "ladder": ladder, "ladder_chart": ladder_chart},
        caller=caller,
    )


@router.get("/explore", response_class=HTMLResponse)
def explorer_page(
    request: Request,
    caller: Reader,
    metric: str = "nps",
    by: str = "unit",
    period: str = "",
    compare: str = "",
    since: str = "",
    until: str = "",
) -> Response:
    state = web_state(request)
    problem: UsageError | None = None
    try:
        with state.use:
            frame = explore(
                state,
                caller.principal,
                metric=metric,
                by=by,
                period=period,
                compare=compare,
                since=since,
                until=until,
            )
    except UsageError as error:
        # A combination that cannot work (eNPS by channel, a bad date): say so beside the form.
        problem, frame = error, pd.DataFrame()
    chart: Any = None
    if not frame.empty and not period:
        chart = slices_spec(frame, metric=metric, dimension=by)
    choice = {
        "metric": metric,
        "by": by,
        "period": period,
        "compare": compare,
        "since": since,
        "until": until,
    }
    options = {
        "metrics": list(METRICS),
        "dimensions": list(DIMENSIONS),
        "periods": list(PERIODS),
        "comparisons": ["previous", "rest"],
    }
    rows = frame.to_dict("records")
    return render(
        request,
        "explore.html.j2",
        {"choice": choice, "options": options, "rows": rows, "spec": chart, "problem": problem},
        caller=caller,
    )


@router.get("/customers", response_class=HTMLResponse)
def customers_page(request: Request, caller: CustomerReader, q: str = "") -> Response:
    state = web_state(request)
    with state.use:
        redactor = viewer_redactor(state, caller.principal)
        rows = state.ws.customers.find(
            q or None, principal=caller.principal, limit=100, redactor=redactor
        )
    return render(request, "customers.html.j2", {"rows": rows, "q": q}, caller=caller)


@router.get("/customers/{customer_id}", response_class=HTMLResponse)
def customer_page(customer_id: str, request: Request, caller: CustomerReader) -> Response:
    state = web_state(request)
    with state.use:
        redactor = viewer_redactor(state, caller.principal)
        view = state.ws.customers.view(customer_id, principal=caller.principal, redactor=redactor)
    return render(request, "customer.html.j2", {"view": view}, caller=caller)


@router.get("/coaching", response_class=HTMLResponse)
def coaching_list(request: Request, caller: Reader) -> Response:
    state = web_state(request)
    with state.use:
        rows = state.ws.cases.coachable_employees(principal=caller.principal)
    return render(request, "coaching_list.html.j2", {"rows": rows}, caller=caller)


@router.get("/coaching/{employee_id}", response_class=HTMLResponse)
def coaching_page(employee_id: str, request: Request, caller: Reader) -> Response:
    state = web_state(request)
    with state.use:
        found = coaching(state, caller.principal, employee_id)
    return render(request, "coaching.html.j2", {"data": found}, caller=caller)


def _topic_route(name: str) -> None:
    def page(request: Request, caller: Reader) -> Response:
        state = web_state(request)
        with state.use:
            view = topic_view(state, caller.principal, name)
        return render(request, "topic.html.j2", {"topic": view}, caller=caller)

    page.__name__ = f"{name}_page"
    router.add_api_route(f"/{name}", page, methods=["GET"], response_class=HTMLResponse)


for _name in TOPICS:
    _topic_route(_name)
