"""Action-plan routes of the REST API: list, read with progress, create and change plans.

Reading needs the ``read`` permission; creating and changing plans ``manage-loop`` (analysts and
admins). Each route calls one function of :mod:`advocacy.loop.plans.changes`.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from advocacy.namespaces.access import Permission, mask_record, unit_limit
from advocacy.namespaces.plans import PlanProgress
from advocacy.present.web.auth import Caller, requires, web_state
from advocacy.present.web.dashboards import viewer_redactor
from advocacy.present.web.state import WebState
from advocacy.records import plain

router = APIRouter(prefix="/api/v1", tags=["plans"])

Reader = Annotated[Caller, Depends(requires(Permission.read))]
Planner = Annotated[Caller, Depends(requires(Permission.manage_loop))]


class NewPlan(BaseModel):
    """A plan to create; a ``gap:ID`` link fills metric, scope, effort and target."""

    link: str = Field(description="gap:ID, driver:NAME, theme:ID or culture:ATTRIBUTE")
    title: str | None = None
    metric: str | None = Field(None, description="nps, csat, csat-mean, top-box, ces, ...")
    metric_filter: dict[str, str] | None = Field(None, description='e.g. {"unit": "North"}')
    owner: str | None = None
    resources: list[str] | None = Field(None, description="expertise, experience, time, ...")
    effort: str | None = Field(None, description="low, medium or high")
    starts_on: str | None = Field(None, description="YYYY-MM-DD (default today)")
    due_on: str | None = None
    target_value: float | None = None
    baseline_days: int | None = Field(None, ge=1)
    description: str | None = None
    status: str | None = Field(None, description="planned (default), active, done, dropped")


class PlanChange(BaseModel):
    """Fields of a plan to change; the others stay as they are."""

    status: str | None = Field(None, description="planned, active, done or dropped")
    title: str | None = None
    description: str | None = None
    owner: str | None = None
    resources: list[str] | None = None
    effort: str | None = None
    starts_on: str | None = Field(None, description="planned plans only")
    due_on: str | None = None
    target_value: float | None = None


def units_of(caller: Caller) -> tuple[str, ...] | None:
    """The units a caller's figures are limited to (a case handler's), else None."""
    return unit_limit(caller.principal)


def _detail(state: WebState, progress: PlanProgress) -> dict[str, Any]:
    return plain({**progress.to_dict(), "summary": state.ws.plans.summary(progress)})  # type: ignore[no-any-return]


@router.get("/plans", summary="Action plans with baseline, current value, movement and verdict")
def list_plans(
    request: Request,
    caller: Reader,
    status: Annotated[str | None, Query(description="planned, active, done or dropped")] = None,
) -> list[dict[str, Any]]:
    state = web_state(request)
    with state.use:
        found = state.ws.plans.list(status=status, units=units_of(caller))
        redactor = viewer_redactor(state, caller.principal)
    return [
        plain(mask_record(state.ws.plans.summary(progress), caller.principal, redactor=redactor))
        for progress in found
    ]


@router.get("/plans/{plan_id}", summary="One plan with its frozen baseline and progress")
def get_plan(request: Request, caller: Reader, plan_id: str) -> dict[str, Any]:
    state = web_state(request)
    with state.use:
        progress = state.ws.plans.progress(plan_id, units=units_of(caller))
        redactor = viewer_redactor(state, caller.principal)
    return mask_record(_detail(state, progress), caller.principal, redactor=redactor)


@router.post("/plans", status_code=201, summary="Create a plan; its baseline is frozen now")
def create_plan(request: Request, caller: Planner, body: NewPlan) -> dict[str, Any]:
    state = web_state(request)
    options = body.model_dump(exclude={"link", "metric"}, exclude_none=True)
    with state.use:
        plan = state.ws.plans.add(
            link=body.link,
            metric=body.metric,
            actor=caller.principal.name,
            **options,
        )
        return _detail(state, state.ws.plans.progress(plan))


@router.patch("/plans/{plan_id}", summary="Change a plan's status, owner, dates or target")
def change_plan(
    request: Request, caller: Planner, plan_id: str, body: PlanChange
) -> dict[str, Any]:
    state = web_state(request)
    changes = body.model_dump(exclude_none=True)
    with state.use:
        plan = state.ws.plans.update(plan_id, actor=caller.principal.name, **changes)
        return _detail(state, state.ws.plans.progress(plan))
