"""Page routes: each gathers one library result for the caller and renders its template."""

from __future__ import annotations

import secrets
import unicodedata
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from advocacy.errors import AdvocacyError, UsageError
from advocacy.namespaces.access import AuthenticationError, Permission, client_key, mask_frame
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
from advocacy.present.web.charts import (
    heatmap_spec,
    ladder_spec,
    slices_spec,
    trend_spec,
    waves_spec,
)
from advocacy.present.web.dashboards import (
    DIMENSIONS,
    coaching,
    ladder_summary,
    viewer_redactor,
)
from advocacy.present.web.derived import derived
from advocacy.present.web.drilldown import ANSWERS_PER_PAGE, csv_response, period_links
from advocacy.present.web.explorer import Exploration, explore
from advocacy.present.web.filters import Filters, read_filters
from advocacy.present.web.overview import (
    TREND_DIMENSIONS,
    TREND_METRICS,
    TREND_PERIODS,
    dashboard,
    filter_options,
    heat_cells,
)
from advocacy.present.web.pages.customer_standing import customer_standing
from advocacy.present.web.pages.rendering import metric_label, render
from advocacy.present.web.pages.topics import TOPICS, topic_view
from advocacy.records import frame_records

router = APIRouter(include_in_schema=False)

Reader = Annotated[Caller, Depends(requires(Permission.read))]
CustomerReader = Annotated[Caller, Depends(requires(Permission.read_customers))]
#: Events the customer page's timeline shows, newest first (the API's customer route gives
#: them all): a customer with years of purchases and answers, or a stream of API writes,
#: made the page's work grow with the history (0.15 s and 1.1 MB at 5,000 events). Each text
#: is cut at 20,000 characters (more bytes once markup is escaped), so 40 keeps a page of giant
#: answers near 1.25 MB (200 made 6.3 MB, review7 item 3; 50 made 1.57 MB).
TIMELINE_EVENTS = 40
#: The answers page's last page number: a larger one is refused (offset past the database's
#: integers, a 500 before), far beyond any workspace's answers at 50 a page.
ANSWERS_PAGES_AT_MOST = 1_000_000
#: The longest ``theme`` the answers page takes (theme names are words, not essays).
THEME_PARAMETER_CHARACTERS = 500


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
def overview_page(
    request: Request,
    caller: Reader,
    metric: str = "nps",
    by: str = "",
    period: str = "quarter",
) -> Response:
    state = web_state(request)
    filters = read_filters(request)
    by = "" if by == "none" else by
    with state.use:
        found = dashboard(state, caller.principal, filters, metric=metric, by=by, period=period)
        ladder = ladder_summary(state, caller.principal, compute=False, where=filters.where)
    # The charts' specs, built once per result (the same for every reader until it changes).
    trend_chart = None
    if found.trend is not None and not found.trend.frame.empty:
        frame = found.trend.frame
        trend_chart = derived(
            ("trend-chart", filters.key, metric, by, period),
            (frame,),
            lambda: trend_spec(
                frame,
                metric=metric,
                period=period,
                links=period_links(frame, filters, by, period, metric),
            ),
        )
    heat_chart = None
    if found.heat is not None and not found.heat.empty:
        heat = found.heat
        heat_chart = derived(
            ("heat-chart", filters.key),
            (heat,),
            lambda: heatmap_spec(heat_cells(heat, filters)),
        )
    waves = found.waves
    waves_chart = None
    if waves is not None and not waves.empty:
        waves_chart = derived(("waves-chart",), (waves,), lambda: waves_spec(waves))
    ladder_chart = None
    if ladder is not None:
        ladder_chart = derived(("ladder-chart",), (ladder,), lambda: ladder_spec(ladder))
    label = f"{metric_label(metric)} by {period}" + (f", one line per {by}" if by else "")
    return render(
        request,
        "overview.html.j2",
        {
            "data": found,
            "choice": {"metric": metric, "by": by, "period": period},
            "options": {
                "metrics": list(TREND_METRICS),
                "dimensions": list(TREND_DIMENSIONS),
                "periods": list(TREND_PERIODS),
            },
            "trend_chart": trend_chart,
            "trend_label": label + ", with 95% interval bands",
            "heat_chart": heat_chart,
            "waves_chart": waves_chart,
            "ladder": ladder,
            "ladder_chart": ladder_chart,
            "filter_query": filters.query,
        },
        caller=caller,
    )


def _explore_request(
    request: Request, caller: Caller, metric: str, period: str, compare: str
) -> tuple[Filters, Exploration]:
    state = web_state(request)
    filters = read_filters(request)
    by = request.query_params.getlist("by") or ["unit"]
    with state.use:
        found = explore(
            state, caller.principal, filters, metric=metric, by=by, period=period, compare=compare
        )
    return filters, found


@router.get("/explore", response_class=HTMLResponse)
def explorer_page(
    request: Request,
    caller: Reader,
    metric: str = "nps",
    period: str = "",
    compare: str = "",
    view: str = "chart",
) -> Response:
    state = web_state(request)
    problem: UsageError | None = None
    filters = Filters()
    found = Exploration(metric, [], period, compare)
    try:
        filters, found = _explore_request(request, caller, metric, period, compare)
    except UsageError as error:
        # A combination that cannot work (eNPS by channel, a bad date): say so beside the form.
        problem = error
    frame = found.frame

    def chart_and_rows() -> tuple[Any, list[dict[Any, Any]]]:
        chart: Any = None
        if not frame.empty:
            if found.waves:
                chart = waves_spec(frame, metric=metric, slices=bool(found.by))
            elif period:
                links = period_links(frame, filters, "", period, metric, slices=found.by)
                chart = trend_spec(frame, metric=metric, period=period, links=links)
            else:
                chart = slices_spec(frame, metric=metric, dimension="slice")
        return chart, frame.to_dict("records")

    # Once per result (the explorer's frame is itself built once per cached result).
    key = ("explore-page", metric, period, tuple(found.by), found.waves, filters.key)
    chart, rows = derived(key, (frame,), chart_and_rows)
    with state.use:
        options_found = filter_options(state, caller.principal)
    choice = {
        "metric": metric,
        "by": request.query_params.getlist("by") or ["unit"],
        "period": period,
        "compare": compare,
        "view": view,
    }
    options = {
        "metrics": list(METRICS),
        "dimensions": ["none", *DIMENSIONS],
        "periods": list(PERIODS),
        "comparisons": ["previous", "rest"],
    }
    keep = {"metric": metric, "by": choice["by"], "period": period, "compare": compare}
    return render(
        request,
        "explore.html.j2",
        {
            "choice": choice,
            "options": options,
            "found": found,
            "rows": rows,
            "spec": chart,
            "problem": problem,
            "filters": filters,
            "filter_options": options_found,
            "keep": keep,
            "csv_link": filters.link("/explore.csv", **keep),
            "filter_query": filters.query,
        },
        caller=caller,
    )


@router.get("/explore.csv")
def explorer_csv(
    request: Request, caller: Reader, metric: str = "nps", period: str = "", compare: str = ""
) -> Response:
    _, found = _explore_request(request, caller, metric, period, compare)
    # A wave's label is its name (its dates); a period's only repeats the period.
    dropped = ["slice"] if found.waves else ["slice", "label"]
    frame = found.frame.drop(columns=dropped, errors="ignore")
    return csv_response(frame_records(frame), f"{metric}-explorer")


def _theme_name(state: Any, theme_id: str, principal: Any, redactor: Any) -> str:
    """The name a theme is shown by (as its card names it, masked for a viewer), else its id
    when no stored theme has it (review27 finding 16d: the page named ``curated:Entrega``).
    The text page's listing of every theme, cached under the same key."""
    try:
        themes = state.cached(("topic", "text.themes", Filters().key), state.ws.text.themes)
    except AdvocacyError:
        return theme_id
    found = themes.loc[themes["theme_id"].astype(str) == theme_id, ["theme_id", "name"]]
    if found.empty:
        return theme_id
    shown = mask_frame(found, principal, redactor=redactor)
    return str(shown["name"].iloc[0] or theme_id)


def _template_rows(frame: Any) -> list[dict[Any, Any]]:
    """The rows of ``frame`` for a template: values as they are (moments stay moments, for the
    ``display`` filter), missing ones as None (pandas' NaN is truthy: a response without a
    customer linked to "/customers/nan")."""
    rows: list[dict[Any, Any]] = frame.astype(object).where(frame.notna(), None).to_dict("records")
    return rows


@router.get("/answers", response_class=HTMLResponse)
def answers_page(
    request: Request,
    caller: Reader,
    metric: str = "",
    theme: str = "",
    commented: str = "",
    page: int = 1,
) -> Response:
    if page > ANSWERS_PAGES_AT_MOST:
        # 10**30 overflowed the database's offset (a 500): no workspace has that many pages.
        raise UsageError(
            f"the answers have fewer than {ANSWERS_PAGES_AT_MOST:,} pages",
            parameter="page",
            fix="start at page 1",
        )
    if len(theme) > THEME_PARAMETER_CHARACTERS:
        # Not echoed: a 60,000-character name came back four times in the page.
        raise UsageError(
            f"no theme has a name of more than {THEME_PARAMETER_CHARACTERS:,} characters",
            parameter="theme",
            fix="follow a theme card's link",
        )
    state = web_state(request)
    filters = read_filters(request)
    page = max(1, page)
    with state.use:
        found = state.ws.metrics.answers(
            metric=metric or None,
            where=filters.where,
            since=filters.since,
            until=filters.until,
            commented=bool(commented),
            theme=theme or None,
            limit=ANSWERS_PER_PAGE,
            offset=(page - 1) * ANSWERS_PER_PAGE,
            principal=caller.principal,
        )
        redactor = viewer_redactor(state, caller.principal)
        rows = mask_frame(found.rows, caller.principal, redactor=redactor)
        # A theme's reviews, mentions and notes too: a card's "Read the answers" must show
        # the theme's texts of every kind, not only survey answers (none for reviews).
        others = None
        if theme and not metric:
            others = state.ws.text.theme_texts(
                theme,
                principal=caller.principal,
                where=filters.where,
                since=filters.since,
                until=filters.until,
                limit=ANSWERS_PER_PAGE,
                offset=(page - 1) * ANSWERS_PER_PAGE,
            )
        other_rows = (
            mask_frame(others.rows, caller.principal, redactor=redactor) if others else None
        )
        options_found = filter_options(state, caller.principal)
        timezone = state.ws.settings.timezone
        theme_name = _theme_name(state, theme, caller.principal, redactor) if theme else ""
    keep = {"metric": metric, "theme": theme, "commented": commented}
    pages = max(1, -(-max(found.total, others.total if others else 0) // ANSWERS_PER_PAGE))
    return render(
        request,
        "answers.html.j2",
        {
            "found": found,
            "rows": _template_rows(rows),
            "others": others,
            "other_rows": _template_rows(other_rows) if other_rows is not None else [],
            "filters": filters,
            "filter_options": options_found,
            "keep": keep,
            "theme_name": theme_name,
            "page": page,
            "pages": pages,
            "timezone": timezone,
            "previous_link": filters.link("/answers", **keep, page=page - 1) if page > 1 else None,
            "next_link": filters.link("/answers", **keep, page=page + 1) if page < pages else None,
            "filter_query": filters.query,
        },
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
    return render(
        request,
        "customers.html.j2",
        {"rows": rows, "q": q, "timezone": state.ws.settings.timezone},
        caller=caller,
    )


@router.get("/customers/{customer_id}", response_class=HTMLResponse)
def customer_page(customer_id: str, request: Request, caller: CustomerReader) -> Response:
    state = web_state(request)
    with state.use:
        redactor = viewer_redactor(state, caller.principal)
        view = state.ws.customers.view(
            customer_id, principal=caller.principal, redactor=redactor, newest=TIMELINE_EVENTS
        )
        # Only for whoever may see the purchases (a case handler may not: rule 4 of scope).
        standing = customer_standing(state, customer_id) if view.counts().get("purchase") else None
    return render(request, "customer.html.j2", {"view": view, "standing": standing}, caller=caller)


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
        filters = read_filters(request)
        with state.use:
            view = topic_view(state, caller.principal, name, filters, request.query_params)
            options_found = filter_options(state, caller.principal)
        return render(
            request,
            "topic.html.j2",
            {
                "topic": view,
                "filters": filters,
                "filter_options": options_found,
                "filter_query": filters.query,
            },
            caller=caller,
        )

    page.__name__ = f"{name}_page"
    router.add_api_route(f"/{name}", page, methods=["GET"], response_class=HTMLResponse)


for _name in TOPICS:
    _topic_route(_name)
