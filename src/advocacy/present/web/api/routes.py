"""Read routes of the REST API: who am I, status, metrics, analyses, customers, users, audit."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response

from advocacy.analyses import ANALYSES, get_analysis
from advocacy.namespaces.access import AccessDeniedError, Permission, mask_records
from advocacy.present.web.auth import Caller, requires, web_state
from advocacy.present.web.dashboards import scoped_metrics, viewer_redactor
from advocacy.records import frame_records, plain

router = APIRouter(prefix="/api/v1", tags=["read"])

Reader = Annotated[Caller, Depends(requires(Permission.read))]
CustomerReader = Annotated[Caller, Depends(requires(Permission.read_customers))]
Admin = Annotated[Caller, Depends(requires(Permission.manage_access))]


def _split(values: list[str] | None) -> list[str]:
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


@router.get("/me", summary="The caller's name, role and units")
def me(caller: Reader) -> dict[str, Any]:
    principal = caller.principal
    return {
        "name": principal.name,
        "role": principal.role.value,
        "units": list(principal.units),
        "via": principal.via,
    }


@router.get("/status", summary="Rows per table, date ranges and recent imports")
def status(request: Request, caller: Reader) -> dict[str, Any]:
    state = web_state(request)
    with state.use:
        found = state.ws.status()
    return plain(  # type: ignore[no-any-return]
        {
            "schema_version": found.schema_version,
            "tables": [asdict(item) for item in found.tables],
            "quarantined": found.quarantined,
        }
    )


@router.get("/metrics", summary="Scores with intervals and tests (advocacy metrics scores)")
def metrics(
    request: Request,
    caller: Reader,
    metric: Annotated[list[str] | None, Query(description="nps, csat, top-box, ces, enps")] = None,
    by: Annotated[list[str] | None, Query(description="dimensions to slice by")] = None,
    period: str | None = None,
    since: str | None = None,
    until: str | None = None,
    compare: Annotated[str | None, Query(description="previous or rest")] = None,
    rolling: Annotated[int | None, Query(ge=1)] = None,
    weighted: bool = False,
    confidence: Annotated[float | None, Query(gt=0, lt=1)] = None,
    min_n: Annotated[int | None, Query(ge=0)] = None,
    interval: Annotated[str | None, Query(description="adjusted-wald or wald")] = None,
    correction: Annotated[str | None, Query(description="holm, bh or none")] = None,
) -> list[dict[str, Any]]:
    state = web_state(request)
    with state.use:
        frame = scoped_metrics(
            state,
            caller.principal,
            metrics=tuple(_split(metric) or ["nps"]),
            by=_split(by),
            period=period,
            since=since,
            until=until,
            compare=compare,
            rolling=rolling,
            weighted=weighted,
            confidence=confidence,
            min_n=min_n,
            interval=interval,
            correction=correction,
        )
    return frame_records(frame)


@router.get("/analyses", summary="The analyses this workspace can compute")
def analyses(caller: Reader) -> list[dict[str, str]]:
    return [{"name": item.name, "help": item.help} for item in ANALYSES.values()]


@router.get(
    "/analyses/{name}",
    summary="One analysis as rows (JSON), or as a csv, parquet or xlsx file with ?format=",
)
def analysis(
    name: str,
    request: Request,
    caller: Reader,
    format: Annotated[str | None, Query(pattern="^(json|csv|parquet|xlsx)$")] = None,
) -> Any:
    state = web_state(request)
    principal = caller.principal
    chosen = get_analysis(name)
    if principal.limited_to_units and chosen.method == "metrics.scores":
        options = dict(chosen.options)
        with state.use:
            records = frame_records(scoped_metrics(state, principal, **options))
        return _as_requested(records, chosen.name, format)
    if principal.limited_to_units:
        raise AccessDeniedError(
            f"analysis {name!r} is not broken down by unit, so case handlers cannot read it",
            value=name,
            fix="ask an analyst",
        )
    with state.use:
        frame = state.cached(("analysis", chosen.name), lambda: chosen.frame(state.ws))
        redactor = viewer_redactor(state, principal)
    # Analyses list customers (silent promoters, referrals) and quote them (themes): viewers
    # get personal fields masked and every free text redacted.
    records = mask_records(frame_records(frame), principal, redactor=redactor)
    return _as_requested(records, chosen.name, format)


@router.get(
    "/text/sentiment-readings",
    summary="Which reading made the stored sentiments (the calibration, the model alone), how "
    "many of each kind of text, and the calibration's known weakness",
)
def sentiment_readings(request: Request, caller: Reader) -> dict[str, Any]:
    """As the text page says it (``ws.text.sentiment_readings``): ``summary`` in words,
    ``counts`` (kind of text -> reading -> texts; ``not read``: no sentiment), ``sources``
    (of mentions: reading -> platform, case-folded -> texts; empty when none names one),
    ``totals``,
    ``warnings``, ``calibration`` (what ``advocacy text analyze`` reports of it; empty when
    none is stored: no text read yet, or none fitted for want of labelled texts) and
    ``calibration_note`` (which texts it reads, or why there is none and how to get one;
    "" when no text has been read)."""
    if caller.principal.limited_to_units:
        raise AccessDeniedError(
            "the sentiment readings cover every unit, so case handlers cannot read them",
            value="text/sentiment-readings",
            fix="ask an analyst",
        )
    state = web_state(request)
    with state.use:
        found = state.cached(("sentiment-readings",), state.ws.text.sentiment_readings)
    return {
        "summary": found.summary(),
        "counts": {kind: dict(readings) for kind, readings in found.counts.items()},
        "sources": {
            kind: {name: dict(counted) for name, counted in readings.items()}
            for kind, readings in found.sources.items()
        },
        "totals": found.totals(),
        "warnings": list(found.warnings),
        "calibration": dict(found.calibration),
        "calibration_note": found.calibration_note(),
    }


def _as_requested(records: list[dict[str, Any]], name: str, format: str | None) -> Any:
    """JSON rows, or the same rows as a downloadable file."""
    if format in (None, "json"):
        return records
    import tempfile
    from pathlib import Path

    from advocacy.exports import ExportFormat, records_table, write_table, write_xlsx

    table = records_table(records, nested_as_text=format in ("csv", "xlsx"))
    media = {
        "csv": "text/csv",
        "parquet": "application/vnd.apache.parquet",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }[str(format)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{name}.{format}"
        if format == "xlsx":
            write_xlsx({name: table}, path)
        else:
            write_table(table, path, ExportFormat(str(format)))
        content = path.read_bytes()
    return Response(
        content,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{name}.{format}"'},
    )


@router.get("/customers", summary="Customers, newest feedback first (search by id or name)")
def customers(
    request: Request,
    caller: CustomerReader,
    q: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[dict[str, Any]]:
    state = web_state(request)
    with state.use:
        redactor = viewer_redactor(state, caller.principal)
        rows = state.ws.customers.find(
            q, principal=caller.principal, limit=limit, redactor=redactor
        )
    return plain(rows)  # type: ignore[no-any-return]


@router.get("/customers/{customer_id}", summary="Customer 360: profile and full timeline")
def customer(customer_id: str, request: Request, caller: CustomerReader) -> dict[str, Any]:
    state = web_state(request)
    with state.use:
        redactor = viewer_redactor(state, caller.principal)
        view = state.ws.customers.view(customer_id, principal=caller.principal, redactor=redactor)
    return plain(view.to_dict())  # type: ignore[no-any-return]


@router.get("/users", summary="Users and their roles (admin)")
def users(request: Request, caller: Admin) -> list[dict[str, Any]]:
    state = web_state(request)
    with state.use:
        found = state.ws.access.users()
    return plain([asdict(user) for user in found])  # type: ignore[no-any-return]


@router.get("/tokens", summary="API tokens, never their secrets (admin)")
def tokens(request: Request, caller: Admin) -> list[dict[str, Any]]:
    state = web_state(request)
    with state.use:
        found = state.ws.access.tokens()
    return plain([asdict(token) for token in found])  # type: ignore[no-any-return]


@router.get("/audit", summary="The audit log, newest first (admin)")
def audit(
    request: Request, caller: Admin, limit: Annotated[int, Query(ge=1, le=1000)] = 200
) -> list[dict[str, Any]]:
    state = web_state(request)
    with state.use:
        found = state.ws.access.audit(limit=limit)
    return plain([asdict(entry) for entry in found])  # type: ignore[no-any-return]
