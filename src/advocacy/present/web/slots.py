"""Threads for pages and for API writes, apart: writes never queue behind pages.

Pages are rendered on request threads (FastAPI runs them on anyio's pool of 40), each holding
a pooled database connection while it works, and under the GIL all of them share one core:
with fifty users on the pages, every thread and every connection was taken by a page, and an
API write waited behind them twice (once to authenticate, once to map its records) before it
could join its group commit. That, not the commit, held the load benchmark to about ten
acknowledged writes a second.

So :class:`PageSlots` lets at most :func:`page_slots` pages work at once: all the pool's
connections but :data:`RESERVED_CONNECTIONS` (the others wait, holding neither a thread nor a
connection, and are answered in the order they came), and the write routes do their thread
work on threads of their own (:func:`write_threads`). Fewer slots than that made pages slower
in the load benchmark (eight: cheap pages queued behind pages computing a result for the
first time).
"""

from __future__ import annotations

from typing import Any

import anyio
from starlette.types import ASGIApp, Receive, Scope, Send

#: Pooled connections the pages leave to the rest: the API's writes authenticating, the
#: group-commit writer, the background refresh, the warm-up.
RESERVED_CONNECTIONS = 4
#: Threads the API's writes authenticate and map their records on, apart from the pages'.
WRITE_THREADS = 16
#: Paths that are not pages: the API (writes have their own threads), the hosted surveys
#: (answers committed in groups), static files.
NOT_PAGES = ("/api/", "/s/", "/static/", "/vendor/")


def page_slots(pool_size: int) -> int:
    """Pages worked on at once: all of the ``pool_size`` connections but
    :data:`RESERVED_CONNECTIONS` (at least 2)."""
    return max(2, pool_size - RESERVED_CONNECTIONS)


def open_slots(app: Any, *, pool_size: int, writes: int = WRITE_THREADS) -> None:
    """Make the app's page slots and write threads (at start-up, in its event loop)."""
    app.state.page_slots = anyio.Semaphore(page_slots(pool_size), fast_acquire=True)
    app.state.write_threads = anyio.CapacityLimiter(writes)


class PageSlots:
    """ASGI middleware: at most :func:`page_slots` page requests in progress at once (the
    slots :func:`open_slots` made; none are limited before it ran)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        slots: anyio.Semaphore | None = getattr(scope["app"].state, "page_slots", None)
        path = str(scope.get("path", ""))
        if slots is None or scope["type"] != "http" or path.startswith(NOT_PAGES):
            await self.app(scope, receive, send)
            return
        async with slots:
            await self.app(scope, receive, send)


def write_threads(app: Any) -> anyio.CapacityLimiter | None:
    """The threads of the API's writes (None before :func:`open_slots`: anyio's default)."""
    limiter: anyio.CapacityLimiter | None = getattr(app.state, "write_threads", None)
    return limiter


__all__ = [
    "NOT_PAGES",
    "RESERVED_CONNECTIONS",
    "WRITE_THREADS",
    "PageSlots",
    "open_slots",
    "page_slots",
    "write_threads",
]
