"""Import through the server: ``POST /api/v1/imports`` takes a file as ``advocacy import`` does.

The answer is exactly what ``advocacy import --format json`` prints (``ImportResult.summary``),
so scripts read both alike; ``advocacy import --server URL --token T FILE`` posts here. The
upload is streamed to a temporary file (at most ``max_upload_bytes``,
:mod:`advocacy.present.web.limits`), imported in one transaction with its audit entry, and
deleted. ``GET /api/v1/imports/{import_id}/quarantine`` lists the cells an import refused.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from starlette.concurrency import run_in_threadpool

from advocacy.namespaces.access import Permission
from advocacy.present.web.auth import Caller, requires, web_state
from advocacy.present.web.uploads import ImportRequest, import_upload, upload_store
from advocacy.records import plain

router = APIRouter(prefix="/api/v1", tags=["write"])

Writer = Annotated[Caller, Depends(requires(Permission.write_evidence))]
#: The routes that take a file: bounded by ``max_upload_bytes`` instead of ``max_body_bytes``.
UPLOAD_PATHS = ("/api/v1/imports",)


@router.post(
    "/imports",
    summary="Import a file (CSV/TSV, XLSX, JSON, JSONL, Parquet): the summary advocacy import "
    "--format json prints",
)
async def import_file(
    request: Request,
    caller: Writer,
    file: Annotated[UploadFile, File(description="The file to import.")],
    kind: Annotated[str, Form(description="What the rows are (responses, customers, ...).")],
    source: Annotated[str, Form(description="Survey tool that exported it, or auto.")] = "auto",
    strict: Annotated[bool, Form(description="Refuse the file on any bad row.")] = False,
    dry_run: Annotated[bool, Form(description="Check and count only; write nothing.")] = False,
    cases: Annotated[
        bool, Form(description="Run the enabled case rules over what is written (default).")
    ] = True,
    case_window_days: Annotated[
        int, Form(ge=0, description="Evidence dated more than this many days back opens no case.")
    ] = 30,
    all_cases: Annotated[
        bool,
        Form(
            description="Open every case the rules choose, even more than 500 (default: more "
            "open none and are counted in cases.withheld)."
        ),
    ] = False,
    mapping: Annotated[
        UploadFile | None, File(description="Mapping YAML (keys: docs/import.md).")
    ] = None,
) -> dict[str, Any]:
    state = web_state(request)
    store = upload_store(request)
    actor = caller.principal.name

    def run() -> dict[str, Any]:
        upload = store.keep(
            actor,
            ImportRequest(
                kind=kind,
                source=source,
                strict=strict,
                cases=cases,
                case_window_days=case_window_days,
                all_cases=all_cases,
            ),
            name=file.filename,
            data=file.file,
            mapping_name=mapping.filename if mapping else None,
            mapping=mapping.file if mapping else None,
            wait=False,
        )
        try:
            summary = import_upload(state, upload, dry_run=dry_run, actor=actor).summary()
            return {key: plain(value) for key, value in summary.items()}  # as the CLI prints
        finally:
            store.discard(upload)

    return await run_in_threadpool(run)


@router.get(
    "/imports/{import_id}/quarantine",
    summary=(
        "The cells an import refused: row, column, value, reason and fix (advocacy quarantine list)"
    ),
)
def import_quarantine(
    request: Request, import_id: str, caller: Writer, limit: int = 1000
) -> list[dict[str, Any]]:
    state = web_state(request)
    with state.use:
        rows = state.ws.quarantine(import_id=import_id, include_resolved=True)
    return [plain(row) for row in rows[: max(0, limit)]]
