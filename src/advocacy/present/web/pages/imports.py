"""The Import page: upload a file, check what the import would do, import it, see what it did.

Analysts and admins (``write-evidence``) upload a CSV/TSV, XLSX, JSON/JSONL or Parquet file and
say what its rows are. The server checks it first (``ws.import_file`` as a dry run) and shows
what it recognised: the survey tool, each column and the field it maps to, notes, the first rows
as they would be stored and the cells that would be quarantined. The file waits on the server
(:class:`advocacy.present.web.uploads.UploadStore`) while the user reads; confirming imports it
in one transaction and shows the summary and the quarantined rows. ``static/import.js`` shows
the upload's progress; without it the forms work as plain forms.

As ``advocacy import``, the import runs the enabled case rules over the responses and mentions
it writes (in its transaction) unless the user ticks "Do not open cases", and only evidence
dated within the case window (days, 30 unless changed) may open one. The check says what the
import will do; the summary says what the rules did, in the CLI's own sentences
(:func:`advocacy.loop.cases.import_lines.cases_sentences`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from advocacy.errors import AdvocacyError, UsageError
from advocacy.inputs import SOURCES
from advocacy.model import KINDS
from advocacy.namespaces.access import Permission
from advocacy.namespaces.cases import cases_sentences
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
#: Characters of a quarantine reason or fix shown: ours, whole, though one may quote a cell.
ADVICE_CHARS = 1000
#: Quarantined cells listed on the page; the rest are counted.
QUARANTINE_ROWS = 200
#: The kinds of rows the case rules read (the others get no cases line).
CASE_KINDS = ("responses", "mentions")
#: The case window the form offers (``advocacy import --case-window-days``).
CASE_WINDOW_DAYS = 30


def _short(value: Any, limit: int = CELL_CHARS) -> str:
    """``value`` as written, cut to ``limit`` characters (saying its length when cut)."""
    text = "" if value is None else str(value)
    if len(text) > limit:
        return f"{text[: limit - 1]}… ({len(text):,} characters)"
    return text


def _quarantine_cells(
    cells: list[tuple[Any, Any, Any, Any, Any]],
) -> list[list[str]]:
    """The rows of the page's quarantine table: row, column, the value as the file wrote it
    (never read as a date or number), reason and fix."""
    return [
        [_short(row), _short(column), _short(value), _short(reason, ADVICE_CHARS),
         _short(fix, ADVICE_CHARS)]
        for row, column, value, reason, fix in cells[:QUARANTINE_ROWS]
    ]  # fmt: skip


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


def _window(text: str) -> int:
    """The case window typed in the form: a whole number of days, 0 or more."""
    value = text.strip()
    if not value:
        return CASE_WINDOW_DAYS
    if not value.isdecimal() or len(value) > 6:
        raise UsageError(
            "the case window must be a whole number of days, 0 or more",
            value=value[:20],
            parameter="case_window_days",
            fix=f"type the days back from today whose evidence may open a case "
            f"({CASE_WINDOW_DAYS} unless you change it)",
        )
    return int(value)


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
        "case_kinds": CASE_KINDS,
        "case_lines": cases_sentences(summary["cases"]) if summary and summary.get("cases") else [],
        "can_open_cases": caller.principal.can(Permission.manage_loop),
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
    no_cases: Annotated[str, Form()] = "",
    case_window_days: Annotated[str, Form()] = "",
    all_cases: Annotated[str, Form()] = "",
    mapping: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Keep the upload and show what importing it would do (a dry run)."""
    state = web_state(request)
    store = upload_store(request)
    actor = caller.principal.name
    form = {
        "kind": kind,
        "source": source,
        "strict": strict,
        "no_cases": no_cases,
        "case_window_days": case_window_days[:20],
        "all_cases": all_cases,
    }
    given_mapping = mapping if mapping is not None and mapping.filename else None

    def run() -> Response:
        try:
            window = _window(case_window_days)
        except UsageError as error:
            return _page(request, caller, error=error, form=form)
        wanted = ImportRequest(
            kind=kind,
            source=source,
            strict=bool(strict),
            cases=not no_cases,
            case_window_days=window,
            all_cases=bool(all_cases),
        )
        upload = store.keep(
            actor,
            wanted,
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
        cells = _quarantine_cells(
            [(e.row_number, e.column, e.value, e.reason, e.fix) for e in result.quarantine]
        )
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
async def confirm_upload(
    request: Request, caller: Importer, token: str, all_cases: Annotated[str, Form()] = ""
) -> Response:
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
            "no_cases": "" if upload.request.cases else "true",
            "case_window_days": str(upload.request.case_window_days),
        }
        if all_cases:
            # The check said more than 500 would open and the user chose to open them all.
            upload = replace(upload, request=replace(upload.request, all_cases=True))
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
            quarantine=_quarantine_cells(
                [
                    (row["row"], row["column"], row["value"], row["reason"], row["fix"])
                    for row in refused
                ]
            ),
            quarantined=len(refused),
        )

    return await run_in_threadpool(run)
