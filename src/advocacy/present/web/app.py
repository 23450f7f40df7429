"""The FastAPI application: REST API under ``/api/v1``, server-rendered pages, static files.

>>> from advocacy.present.web import create_app
>>> app = create_app("advocacy.duckdb")          # serve with any ASGI server, e.g. uvicorn

Errors become one JSON shape (:meth:`advocacy.errors.AdvocacyError.to_dict`) on the API and a
plain page in the browser; an unauthenticated browser is sent to the sign-in page. Request
bodies are bounded before any route reads them (:mod:`advocacy.present.web.limits`), and a
failing storage (full disk, invalidated database) is answered with 503 and recovered from
(:mod:`advocacy.present.web.faults`).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

import advocacy
from advocacy.errors import (
    AdvocacyError,
    NotFoundError,
    UsageError,
)
from advocacy.inputs import InputLimits, preview
from advocacy.present.web.access_log import redact_access_log
from advocacy.present.web.api import admin as api_admin
from advocacy.present.web.api import asks as api_asks
from advocacy.present.web.api import cases as api_cases
from advocacy.present.web.api import imports as api_imports
from advocacy.present.web.api import outbox as api_outbox
from advocacy.present.web.api import plans as api_plans
from advocacy.present.web.api import routes as api_routes
from advocacy.present.web.api import surveys as api_surveys
from advocacy.present.web.api import writes as api_writes
from advocacy.present.web.dashboards import start_warm_up
from advocacy.present.web.faults import StorageGuard
from advocacy.present.web.limits import RequestLimits
from advocacy.present.web.pages import admin as page_admin
from advocacy.present.web.pages import api_docs as page_api_docs
from advocacy.present.web.pages import ask_links as page_ask_links
from advocacy.present.web.pages import asks as page_asks
from advocacy.present.web.pages import cases as page_cases
from advocacy.present.web.pages import imports as page_imports
from advocacy.present.web.pages import plans as page_plans
from advocacy.present.web.pages import routes as page_routes
from advocacy.present.web.pages import survey as page_survey
from advocacy.present.web.pages.rendering import render
from advocacy.present.web.sharing import Sharing
from advocacy.present.web.slots import PageSlots, open_slots
from advocacy.present.web.state import REFRESH_SHARE, FiguresAgeScope, WebState
from advocacy.present.web.uploads import UploadStore
from advocacy.settings import current_settings

STATIC = Path(__file__).parent / "static"
#: Headers on every response but the hosted survey pages'. The CSP is the second line behind
#: escaping: no inline script runs, forms post only here (a planted ``<form action=...>`` cannot
#: send a password or CSRF token away), no ``<base>`` can re-point relative links, no plugins,
#: and no other site may frame the app.
SECURITY_HEADERS = {
    # vega compiles chart expressions with Function(), and vega-embed adds inline styles.
    "Content-Security-Policy": "default-src 'self'; script-src 'self' 'unsafe-eval'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
#: Hosted survey pages (``/s/...``) are the only ones other sites may frame, to embed a survey.
EMBEDDABLE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors *",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


class SecurityHeaders:
    """ASGI middleware: :data:`SECURITY_HEADERS` (:data:`EMBEDDABLE_HEADERS` on ``/s/``) on
    every response that does not set them itself. Plain ASGI: as ``@app.middleware("http")``
    it cost every request a task group and a memory stream (a tenth of an API write's CPU)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        embeddable = str(scope.get("path", "")).startswith("/s/")
        extra = EMBEDDABLE_HEADERS if embeddable else SECURITY_HEADERS

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in extra.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, with_headers)


#: The environment variable ``advocacy serve --workers N`` hands each worker process its
#: workspace URL and shared upload folder in (JSON; see :func:`worker_app`).
WORKER_VARIABLE = "ADVOCACY_SERVE_WORKER"

_bundle_lock = threading.Lock()
_bundle: list[str] = []


def vega_bundle() -> str:
    """vega, vega-lite and vega-embed as one script, built once from vl-convert (no CDN)."""
    with _bundle_lock:
        if not _bundle:
            import vl_convert

            _bundle.append(vl_convert.javascript_bundle())  # type: ignore[call-arg]
        return _bundle[0]


#: HTTP errors Starlette raises itself (no route, wrong method), as our error classes.
_HTTP_ERRORS: dict[int, tuple[type[AdvocacyError], str]] = {
    404: (NotFoundError, "there is no page or API route at this address"),
    405: (UsageError, "this address does not take that method"),
}


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


async def error_response(request: Request, error: AdvocacyError) -> Response:
    """``error`` as the client expects it: the JSON error shape under ``/api/``, else a page.

    429 and 503 carry ``Retry-After``; an unauthenticated browser is sent to sign in.
    """
    for name in ("message", "fix", "value", "column", "parameter", "file", "table"):
        text = getattr(error, name)
        if isinstance(text, str):  # hostile text may hold lone surrogates: no UTF-8 for them
            setattr(error, name, text.encode("utf-8", "replace").decode("utf-8"))
    status = error.status_code
    retry_after = getattr(error, "retry_after", None)
    headers = {"Retry-After": str(retry_after)} if retry_after and status in (429, 503) else {}
    if _wants_json(request):
        if status == 401 and not headers:
            headers = {"WWW-Authenticate": "Bearer"}
        return JSONResponse(error.to_dict(), status_code=status, headers=headers or None)
    if status == 401 and not headers:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
    if request.url.path.startswith("/s/"):  # customers on a survey page: its own look
        page = page_survey.survey_problem(request, error, status)
    else:
        page = render(request, "error.html.j2", {"error": error}, status_code=status)
    page.headers.update(headers)
    return page


def create_app(
    url: str | None = None,
    *,
    secure_cookies: bool = True,
    workspace: Any = None,
    limits: InputLimits | None = None,
    shared_uploads: str | None = None,
    shared_secret: bytes | None = None,
    workers: int = 1,
) -> FastAPI:
    """The web app over the workspace at ``url`` (or an open ``workspace``).

    Parameters
    ----------
    url
        Workspace URL; default the ``db`` setting.
    secure_cookies
        Mark cookies ``Secure`` (sent over HTTPS only). Turn off only to test over plain HTTP on
        a host other than localhost.
    workspace
        An already open :class:`advocacy.Workspace` to serve instead of opening ``url``.
    limits
        Bounds of request bodies; default those of the settings table, read once here.
    shared_uploads
        A folder the Import page's waiting uploads are kept in, shared by every process
        serving the workspace (a preview on one, its import on another); default a folder of
        this process's own.
    shared_secret
        With a PostgreSQL workspace served by several processes, the secret (only they know)
        sealing the aggregates they share: each result is then refreshed by one process and
        read by the others (:mod:`advocacy.present.web.sharing`). None: this process keeps
        its own.
    workers
        The processes serving the workspace: the time each spends refreshing aggregates is
        :data:`advocacy.present.web.state.REFRESH_SHARE` split between them.
    """
    bounds = limits or InputLimits.from_settings(
        workspace.settings if workspace is not None else current_settings()
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        redact_access_log()  # after the server set up its logging: survey links stay out
        opened = workspace is None
        ws = advocacy.open(url) if opened else workspace
        state = WebState(ws, secure_cookies=secure_cookies, limits=bounds)
        store = ws.shared_results() if shared_secret is not None else None
        if store is not None and shared_secret is not None:
            state.sharing = Sharing(store, shared_secret)
            state.refresh_share = REFRESH_SHARE / max(1, workers)
        app.state.web = state
        open_slots(app, pool_size=ws.settings.pool_size)  # pages, API writes: threads apart
        start_warm_up(state)
        delivery = ws.outbox.start(lock=state.use)  # only when e-mail/webhooks are set
        try:
            yield
        finally:
            if delivery is not None:
                delivery.stop()
            with state.use.exclusively():  # after the requests and warm-up using it
                state.closed = True
                if opened:
                    ws.close()
            # What the cache computed and where (the load benchmark reads this line).
            logging.getLogger("uvicorn.error").info(
                "advocacy cache %s", json.dumps(dataclasses.asdict(state.counts))
            )
            app.state.uploads.close()

    app = FastAPI(
        title="advocacy",
        version=advocacy.__version__,
        description="Customer advocacy analytics: scores with intervals, customer 360, "
        "evidence writes. Authenticate with `Authorization: Bearer <token>` "
        "(create one with `advocacy access create-token --role ROLE`).",
        lifespan=lifespan,
        docs_url=None,  # /api/docs is our own page (pages/api_docs.py): Swagger UI needs a CDN
        redoc_url=None,
    )
    app.include_router(api_routes.router)
    app.include_router(api_writes.router)
    app.include_router(api_outbox.router)
    app.include_router(page_routes.router)
    app.include_router(api_cases.router)
    app.include_router(page_cases.router)
    app.include_router(api_surveys.router)
    app.include_router(page_survey.router)
    app.include_router(api_admin.router)
    app.include_router(page_admin.router)
    app.include_router(api_plans.router)
    app.include_router(page_plans.router)
    app.include_router(api_asks.router)
    app.include_router(page_asks.router)
    app.include_router(page_ask_links.router)
    app.include_router(page_api_docs.router)
    app.include_router(api_imports.router)
    app.include_router(page_imports.router)
    # Files waiting between the Import page's check and import.
    app.state.uploads = UploadStore(shared=shared_uploads)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/vendor/vega.js", include_in_schema=False)
    def vega_script() -> Response:
        return Response(
            vega_bundle(),
            media_type="text/javascript",
            headers={"Cache-Control": "public, max-age=86400"},
        )

    # Added before the security headers, so the headers also reach the answers these give.
    app.add_middleware(
        RequestLimits,
        limits=bounds,
        respond=error_response,
        uploads=api_imports.UPLOAD_PATHS + page_imports.UPLOAD_PATHS,
    )
    app.add_middleware(StorageGuard, respond=error_response)
    app.add_middleware(FiguresAgeScope)  # pages may show figures up to page_staleness_seconds old
    app.add_middleware(PageSlots)  # a few pages at once; API writes never wait behind them

    app.add_middleware(SecurityHeaders)

    @app.exception_handler(AdvocacyError)
    async def advocacy_error(request: Request, error: AdvocacyError) -> Response:
        fault = advocacy.storage_fault(error) if error.status_code == 500 else None
        if fault is not None:  # a storage fault wrapped in one of our errors
            error = request.app.state.web.fault_seen(fault)
        return await error_response(request, error)

    @app.exception_handler(RequestValidationError)
    async def request_error(request: Request, error: RequestValidationError) -> Response:
        first = error.errors()[0] if error.errors() else {}
        where = [str(part) for part in first.get("loc", ())]
        given = first.get("input")
        shaped = UsageError(
            str(first.get("msg", "invalid request")),
            parameter=where[-1] if where else None,
            value=preview(given) if isinstance(given, str) else given,
            fix="see the API document at /openapi.json",
        )
        return await error_response(request, shaped)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        if isinstance(error.__cause__, AdvocacyError):
            # Raised while FastAPI read the body: an upload passing max_upload_bytes as it streams.
            return await error_response(request, error.__cause__)
        kind, message = _HTTP_ERRORS.get(error.status_code, (UsageError, str(error.detail)))
        if error.status_code == 400 and isinstance(error.__cause__, RecursionError):
            # FastAPI reports a body too deeply nested to parse as "error parsing the body".
            message = "the JSON nests too deeply to read"
        shaped = kind(message, value=request.url.path, fix="see the API document at /openapi.json")
        response = await error_response(request, shaped)
        response.status_code = error.status_code
        for name, value in (error.headers or {}).items():
            response.headers[name] = value
        return response

    return app


def worker_app() -> FastAPI:
    """The app of one of the processes ``advocacy serve --workers N`` starts.

    Each process opens the workspace (a PostgreSQL one) and holds for itself: its pool of
    connections, its cache of aggregates (each result computed by one process and read by the
    others from the database, sealed with the secret ``serve`` made for this run), its
    group-commit writers (each write is committed by the process that received it), and its
    request rate limits (a client may get up to N times the allowance). Sessions, their CSRF
    tokens, API tokens and sign-in throttling are in the database, and the sign-in form's CSRF
    token in a cookie, so a browser may be answered by any process; uploads waiting on the
    Import page are in the folder the processes share.
    """
    given = json.loads(os.environ[WORKER_VARIABLE])
    return create_app(
        given["db"],
        shared_uploads=given["uploads"],
        shared_secret=bytes.fromhex(given["secret"]),
        workers=int(given["workers"]),
    )
