"""Write routes of the REST API: ``POST /api/v1/<kind>`` for each writable kind of evidence."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool

from advocacy.ingest.records import WRITABLE_KINDS, write_records
from advocacy.model import kind_for
from advocacy.namespaces.access import Permission
from advocacy.present.web.auth import Caller, requires, web_state
from advocacy.present.web.dashboards import start_warm_up
from advocacy.present.web.limits import json_body

router = APIRouter(prefix="/api/v1", tags=["write"])

Writer = Annotated[Caller, Depends(requires(Permission.write_evidence))]


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


def _route(kind: str) -> None:
    async def write(request: Request, caller: Writer) -> dict[str, Any]:
        records = await _records(request)
        state = web_state(request)

        def run() -> dict[str, Any]:
            actor = caller.principal.name
            with state.use:
                # The records and the cases they open commit together, or neither does.
                with state.ws.db.transaction():
                    result = write_records(
                        state.ws.db,
                        kind,
                        records,
                        actor=actor,
                        timezone=state.ws.settings.timezone,
                        limits=state.limits,
                    )
                    opened = state.ws.cases.open_for_import(kind, result.import_id)
                state.wrote()
            # Recompute the overview now, so the next visitor does not wait for it.
            start_warm_up(state)
            return {**result.to_dict(), "cases": [case.to_dict() for case in opened]}

        return await run_in_threadpool(run)

    write.__name__ = f"write_{kind}"
    router.add_api_route(
        f"/{kind}",
        write,
        methods=["POST"],
        summary=f"Write {kind} (idempotent by key; the batch is refused whole if any is bad)",
        openapi_extra=_body_schema(kind),
    )


for _kind in WRITABLE_KINDS:
    _route(_kind)
