"""Write routes of the REST API: ``POST /api/v1/<kind>`` for each writable kind of evidence.

Writes go to the server's one :class:`~advocacy.loop.evidence_writes.EvidenceWriter`
(``ws.record_writer``): the writes arriving together are validated and upserted in one pass
and one transaction with the case rules run on them, and each request is answered with its
own counts, cases or errors once its batch has committed.
"""

from __future__ import annotations

import asyncio
import functools
import threading
import time
from typing import TYPE_CHECKING, Annotated, Any

from anyio import to_thread
from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response

from advocacy.inputs import WRITABLE_KINDS
from advocacy.model import kind_for
from advocacy.namespaces.access import Permission
from advocacy.present.web.auth import Caller, requires, web_state
from advocacy.present.web.dashboards import start_warm_up
from advocacy.present.web.limits import json_body
from advocacy.present.web.slots import write_threads
from advocacy.present.web.state import WebState

if TYPE_CHECKING:
    from advocacy.loop.evidence_writes import EvidenceWriter

router = APIRouter(prefix="/api/v1", tags=["write"])

#: Writes of at most this many records and bytes are checked and mapped on the event loop
#: (about 0.1 ms a record, less than handing them to a thread); larger ones on the writes'
#: threads, so that no request holds the loop for long.
INLINE_RECORDS = 50
INLINE_BYTES = 64 * 1024
#: What a write of responses or mentions does with cases (review7 item 2: decided, documented).
LIVE_CASES = (
    "Live evidence: the enabled case rules run over the records written, in the write's "
    "transaction, and open their cases as they arrive, whatever the records' dates and however "
    "many the batch holds. Neither the case window nor the 500-case bound of imports applies. "
    "Load history with POST /api/v1/imports instead (its case window and bound apply), or "
    "write it with ws.write_records in Python (no case) and open cases with advocacy cases "
    "open --since."
)
#: Authenticated on the writes' own threads (web/slots.py): never behind the pages.
Writer = Annotated[Caller, Depends(requires(Permission.write_evidence, threads=write_threads))]


def _body_schema(kind: str) -> dict[str, Any]:
    fields = kind_for(kind).fields
    record = {
        "type": "object",
        "properties": {
            item.name: {"description": item.help + (" (required)" if item.required else "")}
            for item in fields
        },
        "additionalProperties": True,
    }
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "oneOf": [
                            {"type": "array", "items": record},
                            {
                                "type": "object",
                                "properties": {"records": {"type": "array", "items": record}},
                                "required": ["records"],
                            },
                        ]
                    }
                }
            },
        }
    }


async def _records(request: Request) -> Any:
    # Bounded before it gets here: body size, nesting and text length (web/limits.py).
    body = await json_body(request, web_state(request).limits)
    if isinstance(body, dict) and "records" in body:
        return body["records"]
    return body


_writer_lock = threading.Lock()


def record_writer(request: Request) -> EvidenceWriter:
    """The server's one writer of API writes (group commit), started on first use."""
    state = web_state(request)
    with _writer_lock:
        writer: EvidenceWriter | None = getattr(request.app.state, "record_writer", None)
        if writer is None or writer.db is not state.ws.db:
            writer = state.ws.record_writer(
                state.use,
                limits=state.limits,
                after_commit=lambda: _written(state),
                is_open=lambda: not state.closed,
            )
            request.app.state.record_writer = writer
        return writer


def _written(state: WebState) -> None:
    state.wrote()
    # Recompute the overview now (in the background), so the next visitor does not wait for
    # it; under a stream of writes at most once per page_staleness_seconds, since pages may
    # show figures that old (and refresh them as they are read).
    moment = time.monotonic()
    if moment - state.warmed_at >= state.staleness:
        state.warmed_at = moment
        start_warm_up(state)


def _small(request: Request, records: Any) -> bool:
    declared = request.headers.get("content-length", "")
    return (
        isinstance(records, list)
        and len(records) <= INLINE_RECORDS
        and declared.isdigit()
        and int(declared) <= INLINE_BYTES
    )


def _route(kind: str) -> None:
    async def write(request: Request, caller: Writer) -> Response:
        records = await _records(request)
        writer = record_writer(request)
        # Checked and mapped here; validated and written with the writes arriving meanwhile.
        prepare = functools.partial(writer.prepare, kind, records, actor=caller.principal.name)
        if _small(request, records):
            prepared = prepare()
        else:
            prepared = await to_thread.run_sync(prepare, limiter=write_threads(request.app))
        written = await asyncio.wrap_future(writer.put(prepared))
        # JSON-ready already (records.plain): no need for FastAPI's encoder to walk it again.
        return JSONResponse(written.to_dict())

    write.__name__ = f"write_{kind}"
    router.add_api_route(
        f"/{kind}",
        write,
        methods=["POST"],
        response_model=dict[str, Any],  # the schema only: the answer is sent as it is
        summary=f"Write {kind} (idempotent by key; the batch is refused whole if any is bad)",
        description=LIVE_CASES if kind in ("responses", "mentions") else None,
        openapi_extra=_body_schema(kind),
    )


for _kind in WRITABLE_KINDS:
    _route(_kind)
