"""Faults of the storage answered, not fatal: 503 while the database cannot work, then recovery.

A full disk makes DuckDB refuse a commit ("No space left on device"), or, when it strikes
during a checkpoint, invalidate the whole database: every later statement fails with "database
has been invalidated" until the database is opened again. A PostgreSQL connection may break
when its server restarts. :class:`StorageGuard` wraps the app: an error that
:func:`advocacy.storage_fault` recognises becomes a 503 with the usual error
shape and ``Retry-After``, and while a fault needs the database reopened, each request first
tries to reopen it (at most once a second, using the workspace exclusively:
:meth:`advocacy.present.web.state.WebState.recover`), so the server carries on by itself once
space is back. Transactions that were acknowledged are in the write-ahead log, which reopening
replays; one that failed was rolled back, and the writes are idempotent, so a client resends it.
"""

from __future__ import annotations

import logging

from fastapi import Request
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

import advocacy
from advocacy.errors import AdvocacyError
from advocacy.present.web.limits import ErrorResponder
from advocacy.present.web.state import WebState, unavailable

log = logging.getLogger("advocacy.web")


def _recover(state: WebState) -> bool:
    with state.use.exclusively():  # no request may be using a connection being replaced
        return state.recover()


class StorageGuard:
    """ASGI middleware that turns storage faults into 503 and recovers from them."""

    def __init__(self, app: ASGIApp, *, respond: ErrorResponder) -> None:
        self.app = app
        self.respond = respond

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state: WebState | None = getattr(scope["app"].state, "web", None)
        if state is not None and state.fault is not None:
            fault = state.fault
            if not await run_in_threadpool(_recover, state):
                await self._answer(scope, receive, send, unavailable(fault))
                return
            log.warning("the workspace database was reopened after: %s", fault.reason)
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception as error:
            seen = advocacy.storage_fault(error)
            if seen is None or started or state is None:
                raise
            log.error("storage fault answered with 503: %s", error)
            await self._answer(scope, receive, send, state.fault_seen(seen))

    async def _answer(
        self, scope: Scope, receive: Receive, send: Send, error: AdvocacyError
    ) -> None:
        response = await self.respond(Request(scope, receive), error)
        await response(scope, receive, send)


__all__ = ["StorageGuard"]
