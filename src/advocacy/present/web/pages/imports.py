"""The Import page: upload a file, check what the import would do, import it, see what it did.

Analysts and admins (``write-evidence``) upload a CSV/TSV, XLSX, JSON/JSONL or Parquet file and
say what its rows are. The server checks it first (``ws.import_file`` as a dry run) and shows
what it recognised: the survey tool, each column and the field it maps to, notes, the first rows
as they would be stored and the cells that would be quarantined. The file waits on the server
(:class:`advocacy.present.web.uploads.UploadStore`) while the user reads; confirming imports it
in one transaction and shows the summary and the quarantined rows. ``static/import.js`` shows
the upload's progress; without it the forms work as plain forms.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from advocacy.errors import AdvocacyError
from advocacy.inputs import SOURCES
from advocacy.model import KINDS
from advocacy.namespaces.access import Permission
from advocacy.present.web.auth import Caller, requires, web_state
from advocacy.present.web.pages.rendering import render
from advocacy.present.web.uploads import (
    ImportRequest,
    Upload,
    import_upload,
    upload_store,
)

router = APIRouter(include_in_schema=False)

Importer = Annotated[Caller, Depends(requires(Permission.write_evidence))]
#: The paths that take a file (bounded by ``max_upload_bytes``, see web/limits.py).
UPLOAD_PATHS = ("/import",)
#: Characters of a cell shown on the page (a giant cell is cut, its length said).
CELL_CHARS = 80
#: Quarantined cells listed on the page; the rest are counted.
QUARANTINE_ROWS = 200


def _short(value: Any) -> str:
    text = "" if value is None else str(value)
    if len(text) > CELL_CHARS:
        return f"{text[: CELL_CHARS - 1]}… ({len(text):,} characters)"
    return text


def preview_table(rows: list[dict[str, Any]]) -> tuple[list[str], list[list[str]]]:
    """The header and cells of the rows as stored: fields, then ``attrs.*``, then items."""
    fields: dict[str, None] = {}
    for row in rows:
        for name, value in row.items():
            if name == "attrs":
                fields.update(dict.fromkeys(f"attrs.{key}" for key in value))
            elif name == "items":
                fields.update(
                    dict.fromkeys(f"item:{item['item']} ({item['kind']})" for item in value)
                )
            elif name != "row":
                fields[name] = None
    header = ["row", *fields]
    cells: list[list[str]] = []
    for row in rows:
        flat = {name: value for name, value in row.items() if name not in ("attrs", "items")}
        flat.update({f"attrs.{key}": value for key, value in (row.get("attrs") or {}).items()})
        for item in row.get("items") or []:
            flat[f"item:{item['item']} ({item['kind']})"] = item.get("value")
        cells.append([_short(flat.get(name)) for name in header])
    return header, cells


def _quarantine_cells(rows: list[dict[str, Any]]) -> list[list[str]]:
    return [
        [_short(row.get("row")), _short(row.get("column")), _short(row.get("value")),
         _short(row.get("reason"))]
        for row in rows[:QUARANTINE_ROWS]
    ]  # fmt: skip


def _page(
    request: Request,
    caller: Caller,
    *,
    stage: str = "form",
    error: AdvocacyError | None = None,
    form: dict[str, str] | None = None,
    summary: dict[str, Any] | None = None,
    quarantine: list[list[str]] | None = None,
    quarantined: int = 0,
    upload: Upload | None = None,
) -> Response:
    header, cells = preview_table((summary or {}).get("preview") or [])
    context = {
        "stage": stage,
        "error": error,
        "error_text": str(error) if error else "",
        "form": form or {},
        "kinds": list(KINDS),
        "sources": list(SOURCES),
        "summary": summary,
        "preview_header": header,
        "preview_cells": cells,
        "quarantine": quarantine or [],
        "quarantined": quarantined,
        "upload": upload,
    }
    status = error.status_code if error is not None else 200
    return render(request, "import.html.j2", context, caller=caller, status_code=status)


@router.get("/import", response_class=HTMLResponse)
def import_page(request: Request, caller: Importer) -> Response:
    return _page(request, caller)


@router.post("/import", response_class=HTMLResponse)
async def check_upload(
    request: Request,
    caller: Importer,
    file: Annotated[UploadFile, File()],
    kind: Annotated[str, Form()] = "",
    source: Annotated[str, Form()] = "auto",
    strict: Annotated[str, Form()] = "",
    mapping: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Keep the upload and show what importing it would do (a dry run)."""
    state = web_state(request)
    store = upload_store(request)
    actor = caller.principal.name
    form = {"kind": kind, "source": source, "strict": strict}
    given_mapping = mapping if mapping is not None and mapping.filename else None

    def run() -> Response:
        upload = store.keep(
            actor,
            ImportRequest(kind=kind, source=source, strict=bool(strict)),
            name=file.filename,
            data=file.file,
            mapping_name=given_mapping.filename if given_mapping else None,
            mapping=given_mapping.file if given_mapping else None,
        )
        try:
            result = import_upload(state, upload, dry_run=True, actor=actor)
        except AdvocacyError as error:
            store.discard(upload)
            if error.status_code >= 500:
                raise
            return _page(request, caller, error=error, form=form)
        cells = [
            [_short(e.row_number), _short(e.column), _short(e.value), _short(e.reason)]
            for e in result.quarantine[:QUARANTINE_ROWS]
        ]
        return _page(
            request,
            caller,
            stage="preview",
            form=form,
            summary=result.summary(),
            quarantine=cells,
            quarantined=len(result.quarantine),
            upload=upload,
        )

    return await run_in_threadpool(run)


@router.post("/import/{token}", response_class=HTMLResponse)
async def confirm_upload(request: Request, caller: Importer, token: str) -> Response:
    """Import the upload checked before, and show the summary and the quarantined rows."""
    state = web_state(request)
    store = upload_store(request)
    actor = caller.principal.name

    def run() -> Response:
        try:
            upload = store.take(token, actor)
        except AdvocacyError as error:
            return _page(request, caller, error=error)
        form = {
            "kind": upload.request.kind,
            "source": upload.request.source,
            "strict": "true" if upload.request.strict else "",
        }
        try:
            result = import_upload(state, upload, dry_run=False, actor=actor)
        except AdvocacyError as error:
            if error.status_code >= 500:
                raise
            return _page(request, caller, error=error, form=form)
        finally:
            store.discard(upload)
        with state.use:
            refused = state.ws.quarantine(import_id=result.import_id, include_resolved=True)
        return _page(
            request,
            caller,
            stage="done",
            form=form,
            summary=result.summary(),
            quarantine=_quarantine_cells(refused),
            quarantined=len(refused),
        )

    return await run_in_threadpool(run)
