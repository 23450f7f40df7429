"""Case routes of the REST API: cases, working them, the loop's results, and the case rules.

Case handlers see and work only the cases of their units (:mod:`advocacy.access.scope`);
viewers see cases with personal data masked and every free text redacted: the evidence, the
summary, events and their notes, root cause and action taken (:mod:`advocacy.access.masking`).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from advocacy.namespaces.access import Permission, Principal, mask_record, unit_limit
from advocacy.present.web.auth import Caller, requires, web_state
from advocacy.present.web.dashboards import viewer_redactor
from advocacy.present.web.state import WebState
from advocacy.records import plain

router = APIRouter(prefix="/api/v1", tags=["cases"])

Reader = Annotated[Caller, Depends(requires(Permission.read_customers))]
Worker = Annotated[Caller, Depends(requires(Permission.work_cases))]
LoopManager = Annotated[Caller, Depends(requires(Permission.manage_loop))]


def units_of(principal: Principal) -> list[str] | None:
    """The units a caller is limited to (None: every unit; :func:`access.scope.unit_limit`)."""
    units = unit_limit(principal)
    return None if units is None else list(units)


def shown(state: WebState, record: dict[str, Any], principal: Principal) -> dict[str, Any]:
    """A case with its evidence and timeline as ``principal`` may see it (callers hold the
    lock): viewers get personal data masked and free text redacted."""
    return mask_record(record, principal, redactor=viewer_redactor(state, principal))


class CaseAction(BaseModel):
    """One change to a case."""

    action: str
    text: str | None = None
    root_cause: str | None = None
    action_taken: str | None = None
    owner: str | None = None
    follow_up: bool = False


@router.get("/cases", summary="Cases, newest first (handlers: their units only)")
def cases(
    request: Request,
    caller: Reader,
    customer_id: str | None = None,
    status: str | None = None,
    owner: str | None = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> list[dict[str, Any]]:
    state = web_state(request)
    principal = caller.principal
    with state.use:
        found = state.ws.cases.list(
            customer_id=customer_id,
            status=status,
            owner=owner,
            units=units_of(principal),
            limit=limit,
        )
        return [shown(state, case.to_dict(), principal) for case in found]


@router.get("/cases/results", summary="Time to contact, closed in time, recovery vs. no case")
def results(
    request: Request,
    caller: Reader,
    window_days: Annotated[int, Query(ge=1, le=3650)] = 90,
) -> dict[str, Any]:
    state = web_state(request)
    with state.use:
        found = state.ws.cases.results(window_days=window_days, units=units_of(caller.principal))
    return plain(found.to_dict())  # type: ignore[no-any-return]


@router.get("/cases/workload", summary="Open cases by owner: open, overdue, due within 24 h")
def workload(request: Request, caller: Reader) -> list[dict[str, Any]]:
    state = web_state(request)
    with state.use:
        loads = state.ws.cases.workload(units=units_of(caller.principal))
    return [load.to_dict() for load in loads]


@router.get("/cases/owners", summary="Who a case (of ?unit=) may be assigned to")
def owners(request: Request, caller: Reader, unit: str | None = None) -> list[dict[str, Any]]:
    state = web_state(request)
    with state.use:
        found = state.ws.cases.owners(unit=unit)
    return [{"name": o.name, "role": o.role, "units": list(o.units)} for o in found]


@router.get("/cases/{case_id}", summary="One case with its evidence and timeline")
def case(case_id: str, request: Request, caller: Reader) -> dict[str, Any]:
    state = web_state(request)
    principal = caller.principal
    with state.use:
        detail = state.ws.cases.get(case_id, units=units_of(principal)).to_dict()
        return shown(state, detail, principal)


@router.post("/cases/{case_id}/events", summary="Work a case: contact, note, resolve, close...")
def case_event(case_id: str, body: CaseAction, request: Request, caller: Worker) -> dict[str, Any]:
    state = web_state(request)
    principal = caller.principal
    with state.use:
        changed = state.ws.cases.work(
            case_id,
            body.action,
            actor=principal.name,
            text=body.text,
            root_cause=body.root_cause,
            action_taken=body.action_taken,
            owner=body.owner,
            follow_up=body.follow_up,
            units=units_of(principal),
        )
        detail = state.ws.cases.get(changed.case_id).to_dict()
        return shown(state, detail, principal)


@router.get("/rules", summary="The case rules")
def rules(request: Request, caller: Reader) -> list[dict[str, Any]]:
    state = web_state(request)
    with state.use:
        found = state.ws.cases.rules()
    return [rule.as_dict() for rule in found]


@router.put(
    "/rules",
    summary="Replace the case rules (YAML or JSON body; refused whole if any rule is bad)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/yaml": {"schema": {"type": "string"}},
                "application/json": {"schema": {"type": "object"}},
            },
        }
    },
)
async def replace(request: Request, caller: LoopManager) -> list[dict[str, Any]]:
    text = (await request.body()).decode("utf-8", errors="replace")
    state = web_state(request)

    def run() -> list[dict[str, Any]]:
        with state.use:
            saved = state.ws.cases.save_rules_text(text, actor=caller.principal.name)
        return [rule.as_dict() for rule in saved]

    return await run_in_threadpool(run)
