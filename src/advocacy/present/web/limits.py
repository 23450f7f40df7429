"""The web app's input limits: a request body is read only up to ``max_body_bytes``, and JSON and
form bodies are checked (nesting, characters per field) before any route sees them.

:class:`RequestLimits` is plain ASGI middleware, so it works on the byte stream: a body whose
``Content-Length`` is over the limit is refused with 413 before a byte of it is read, and a
streamed (chunked) body is counted as it arrives and refused the moment it passes the limit, so
a 200 MB upload never sits in memory. Within the limit the body is kept (at most
``max_body_bytes``) and handed on unchanged; JSON (any ``...json`` content type) is parsed once
with :func:`advocacy.inputs.parse_json`, which the routes reuse through
:func:`json_body`, and URL-encoded forms have each field checked. A refused request gets the
app's one error shape (JSON under ``/api/``, a page in a browser) and ``Connection: close``, so
the server stops reading whatever the client still sends. File uploads to the import routes
are bounded by ``max_upload_bytes`` instead and streamed (:class:`RequestLimits`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl

from fastapi import Request
from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from advocacy.errors import AdvocacyError, RequestTooLargeError, ValidationError
from advocacy.inputs import InputLimits, parse_json, too_long

#: Where the parsed JSON body waits in the ASGI scope for :func:`json_body`.
JSON_BODY = "advocacy.json_body"
ErrorResponder = Callable[[Request, AdvocacyError], Awaitable[Response]]


def _too_large(limits: InputLimits, size: int | None) -> RequestTooLargeError:
    said = f"{size:,} bytes" if size is not None else f"more than {limits.body_bytes:,} bytes"
    return RequestTooLargeError(
        f"the request body is {said}; at most {limits.body_bytes:,} are accepted",
        value=size,
        fix="send less at once: split a batch of records (the limit is the max_body_bytes "
        "setting), or import a large file with advocacy import",
    )


def _upload_too_large(limits: InputLimits, size: int | None) -> RequestTooLargeError:
    said = f"{size:,} bytes" if size is not None else f"more than {limits.upload_bytes:,} bytes"
    return RequestTooLargeError(
        f"the upload is {said}; at most {limits.upload_bytes:,} are accepted",
        value=size,
        fix="split the file, or raise the max_upload_bytes setting of the server",
    )


def is_upload(scope: Scope, uploads: tuple[str, ...]) -> bool:
    """Whether the request is a multipart upload to one of the ``uploads`` paths (or below)."""
    path: str = scope.get("path", "")
    media = Headers(scope=scope).get("content-type", "").split(";", 1)[0].strip().lower()
    return media == "multipart/form-data" and any(
        path == prefix or path.startswith(prefix + "/") for prefix in uploads
    )


def is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


def check_form(body: bytes, limits: InputLimits) -> None:
    """Refuse a URL-encoded form with a field over ``limits.text_chars`` characters."""
    fields = parse_qsl(body.decode("latin-1"), keep_blank_values=True, errors="replace")
    for name, value in fields:
        if len(value) > limits.text_chars:
            raise too_long(value, limits, where=f"the field {name[:40]!r}", parameter=name[:40])


class RequestLimits:
    """ASGI middleware that bounds request bodies (see the module).

    A multipart upload to one of the ``uploads`` paths is the one exception to
    ``max_body_bytes``: it may reach ``max_upload_bytes``, and it is passed on as it streams
    (the route spools it to a temporary file) rather than kept in memory, counted as it
    arrives and refused the moment it passes the limit.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        limits: InputLimits,
        respond: ErrorResponder,
        uploads: tuple[str, ...] = (),
    ) -> None:
        self.app = app
        self.limits = limits
        self.respond = respond
        self.uploads = uploads

    async def _stream_upload(self, scope: Scope, receive: Receive, send: Send) -> None:
        declared = Headers(scope=scope).get("content-length", "").strip()
        if declared.isdigit() and int(declared) > self.limits.upload_bytes:
            await self._refuse(scope, send, _upload_too_large(self.limits, int(declared)))
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limits.upload_bytes:
                # Raised inside the route's reading of the form: the app answers 413.
                raise _upload_too_large(self.limits, None)
            return message

        await self.app(scope, counted, send)

    async def _refuse(self, scope: Scope, send: Send, error: AdvocacyError) -> None:
        response = await self.respond(Request(scope), error)
        response.headers["Connection"] = "close"
        await response({**scope}, _nothing, send)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.uploads and is_upload(scope, self.uploads):
            await self._stream_upload(scope, receive, send)
            return
        headers = Headers(scope=scope)
        declared = headers.get("content-length")
        chunked = "chunked" in headers.get("transfer-encoding", "").lower()
        if (declared is None or declared.strip() == "0") and not chunked:
            await self.app(scope, receive, send)  # no body
            return
        if declared is not None and declared.strip().isdigit():
            size = int(declared)
            if size > self.limits.body_bytes:
                await self._refuse(scope, send, _too_large(self.limits, size))
                return
        chunks: list[bytes] = []
        received = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return  # the client went away
            chunk = message.get("body", b"")
            received += len(chunk)
            if received > self.limits.body_bytes:
                await self._refuse(scope, send, _too_large(self.limits, None))
                return
            chunks.append(chunk)
            more = bool(message.get("more_body", False))
        body = b"".join(chunks)
        content_type = headers.get("content-type", "")
        try:
            if is_json(content_type) or (not content_type and body.lstrip()[:1] in (b"[", b"{")):
                scope[JSON_BODY] = parse_json(body, self.limits)
            elif content_type.lower().startswith("application/x-www-form-urlencoded"):
                check_form(body, self.limits)
        except ValidationError as error:
            await self._refuse(scope, send, error)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


async def _nothing() -> Message:
    return {"type": "http.disconnect"}


async def json_body(request: Request, limits: InputLimits, *, empty: Any = None) -> Any:
    """The request's JSON document: as the middleware parsed it, or parsed here under ``limits``.

    Routes that read JSON whatever the content type (the write routes) call this, so a body
    sent without ``Content-Type: application/json`` gets the same limits. An empty body gives
    ``empty`` when that is not None (else it is refused as not JSON).
    """
    if JSON_BODY in request.scope:
        return request.scope[JSON_BODY]
    body = await request.body()
    if empty is not None and not body.strip():
        return empty
    return parse_json(body, limits)


__all__ = ["JSON_BODY", "RequestLimits", "check_form", "is_json", "is_upload", "json_body"]
