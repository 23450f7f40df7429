"""Action-plan pages: every plan with baseline -> current and its verdict, one plan, new plans.

Anyone signed in reads the plans; analysts and admins (``manage-loop``) create them, most often
straight from a gap of the register (the form's select lists the top gaps, the first chosen), and
change their status. Each form posts the session's CSRF token and calls one function of
:mod:`advocacy.loop.plans.changes`; a change redirects to the plan's page (post/redirect/get).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from advocacy.errors import AdvocacyError
from advocacy.namespaces.access import Permission, TextRedactor, mask_record, mask_records
from advocacy.namespaces.plans import (
    EFFORTS,
    PLAN_METRICS,
    RESOURCES,
    STATUSES,
    Plan,
    PlanProgress,
)
from advocacy.present.web.api.plans import units_of
from advocacy.present.web.auth import Caller, requires, web_state
from advocacy.present.web.dashboards import viewer_redactor
from advocacy.present.web.derived import derived
from advocacy.present.web.pages.forms import submit_form
from advocacy.present.web.pages.rendering import render
from advocacy.present.web.state import WebState
from advocacy.report import plan_movement_specs

router = APIRouter(include_in_schema=False)

Reader = Annotated[Caller, Depends(requires(Permission.read))]
Planner = Annotated[Caller, Depends(requires(Permission.manage_loop))]
#: Gaps of the register offered in the new-plan form.
TOP_GAPS = 10
FormText = Annotated[str, Form()]


#: Pixels of a plan's title beside its bar (the rest in its tooltip), so a phone keeps
#: room for the bars.
TITLE_WIDTH = 130
#: Ticks on a movement chart's change axis, about (Vega-Lite picks round values near it).
TICKS = 5


def movement_specs(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The report's movement charts, fitted to the page's width on a desktop and a phone: the
    axis title on two lines, plan titles cut to :data:`TITLE_WIDTH` pixels, the legend in two
    columns (nothing clipped at 390 pixels)."""
    specs = plan_movement_specs(rows)
    for spec in specs:
        spec["width"] = "container"
        spec["height"] = {"step": 36}  # room for the bar, its interval and the legend
        spec["description"] = spec["description"].replace(" - ", " − ")
        for layer in spec["layer"]:
            encoding = layer["encoding"]
            encoding["y"]["axis"] = {"labelLimit": TITLE_WIDTH}
            # A few ticks whose labels never touch: a change of +0.18 drew 29 ticks a
            # hundredth apart, their labels run together ("0.000.01").
            axis = encoding["x"].get("axis") or {}
            encoding["x"]["axis"] = {**axis, "tickCount": TICKS, "labelOverlap": "greedy"}
            title = encoding["x"].get("title")
            if isinstance(title, str) and " (" in title:
                first, rest = title.split(" (", 1)
                encoding["x"]["title"] = [first, "(" + rest.replace(" - ", " − ")]
            legend = encoding.get("color", {}).get("legend")
            if legend is not None:
                legend.update(columns=2, labelLimit=160)
            if "tooltip" not in encoding and layer["mark"]["type"] == "bar":
                encoding["tooltip"] = [
                    {"field": "plan", "title": "plan"},
                    {"field": "change", "title": "change", "format": ".2~f"},
                    {"field": "verdict", "title": "verdict"},
                ]
    return specs


def _register(request: Request) -> list[dict[str, Any]]:
    """The gap register's rows, cached until new evidence arrives (callers use the workspace)."""
    state = web_state(request)
    rows: list[dict[str, Any]] = state.cached(
        ("plan-gaps",), lambda: state.ws.plans.gap_suggestions()
    )
    return rows


def _progress(state: WebState, caller: Caller, plan_id: str | None = None) -> list[PlanProgress]:
    """Each plan's progress the caller may see (only ``plan_id``'s when given), cached like the
    other aggregates: per plan as defined now (a changed plan is measured again), per day
    (progress runs to today) and per data generation (new evidence), pages allowing the same
    staleness as the dashboards."""
    today = dt.datetime.now(dt.UTC).date()
    return [
        state.cached(("plan-progress", plan.plan_id, repr(plan), today), _measure(state, plan))
        for plan in state.ws.plans.definitions(units=units_of(caller))
        if plan_id is None or plan.plan_id == plan_id
    ]


def _measure(state: WebState, plan: Plan) -> Callable[[], PlanProgress]:
    return lambda: state.ws.plans.progress(plan)


def _rows_and_charts(
    state: WebState,
    found: list[PlanProgress],
    caller: Caller,
    redactor: TextRedactor | None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The plans' rows as the caller may read them, and their movement charts."""
    rows = mask_records(
        [state.ws.plans.summary(progress) for progress in found],
        caller.principal,
        redactor=redactor,
    )
    return rows, movement_specs(rows)


def _plans_page(
    request: Request,
    caller: Caller,
    *,
    error: AdvocacyError | None = None,
    form: dict[str, str] | None = None,
    gap: str = "",
) -> Response:
    state = web_state(request)
    with state.use:
        found = _progress(state, caller)
        redactor = viewer_redactor(state, caller.principal)
        can_plan = caller.principal.can(Permission.manage_loop)
        gaps = _register(request)[:TOP_GAPS] if can_plan else []
    rows, specs = derived(
        ("plans-page", units_of(caller), caller.principal.masks_personal_data),
        (*found, redactor),
        lambda: _rows_and_charts(state, found, caller, redactor),
    )
    context = {
        "plans": rows,
        "chart_specs": specs,
        "gaps": gaps,
        "chosen_gap": (form or {}).get("link") or (f"gap:{gap}" if gap else ""),
        "metrics": PLAN_METRICS,
        "efforts": EFFORTS,
        "resources": RESOURCES,
        "error": error,
        "form": form or {},
        "can_plan": caller.principal.can(Permission.manage_loop),
    }
    status = 400 if error else 200
    return render(request, "plans.html.j2", context, caller=caller, status_code=status)


@router.get("/plans", response_class=HTMLResponse)
def plans_page(request: Request, caller: Reader, gap: str = "") -> Response:
    return _plans_page(request, caller, gap=gap)


@router.post("/plans", response_class=HTMLResponse)
async def add_plan_form(
    request: Request,
    caller: Planner,
    link: FormText = "",
    other_link: FormText = "",
    title: FormText = "",
    metric: FormText = "",
    unit: FormText = "",
    owner: FormText = "",
    resources: Annotated[list[str] | None, Form()] = None,
    effort: FormText = "",
    starts_on: FormText = "",
    due_on: FormText = "",
    target_value: FormText = "",
) -> Response:
    form = {
        "link": link,
        "other_link": other_link,
        "title": title,
        "metric": metric,
        "unit": unit,
        "owner": owner,
        "effort": effort,
        "starts_on": starts_on,
        "due_on": due_on,
        "target_value": target_value,
    }

    try:
        target = float(target_value) if target_value.strip() else None
    except ValueError:
        target = float("nan")
    return await submit_form(
        request,
        lambda state: state.ws.plans.add(
            link=other_link.strip() or link,
            metric=metric or None,
            title=title.strip() or None,
            metric_filter={"unit": unit.strip()} if unit.strip() else None,
            owner=owner or None,
            resources=resources or None,
            effort=effort or None,
            starts_on=starts_on or None,
            due_on=due_on or None,
            target_value=target,
            actor=caller.principal.name,
            gaps=_register(request),
        ),
        done=lambda plan: RedirectResponse(f"/plans/{plan.plan_id}", status_code=303),
        refused=lambda error: _plans_page(request, caller, error=error, form=form),
        refusal=AdvocacyError,
    )


def _plan_page(
    request: Request, caller: Caller, plan_id: str, *, error: AdvocacyError | None = None
) -> Response:
    state = web_state(request)
    with state.use:
        found = _progress(state, caller, plan_id)
        # No such plan in reach: the library says which (not found, or outside the units).
        progress = found[0] if found else state.ws.plans.progress(plan_id, units=units_of(caller))
        redactor = viewer_redactor(state, caller.principal)
    summary = mask_record(state.ws.plans.summary(progress), caller.principal, redactor=redactor)
    context = {
        "progress": progress,
        "plan": mask_record(progress.plan, caller.principal, redactor=redactor),
        "summary": summary,
        "chart_specs": movement_specs([summary]),
        "statuses": STATUSES,
        "error": error,
        "can_plan": caller.principal.can(Permission.manage_loop),
    }
    status = 400 if error else 200
    return render(request, "plan.html.j2", context, caller=caller, status_code=status)


@router.get("/plans/{plan_id}", response_class=HTMLResponse)
def plan_page(request: Request, caller: Reader, plan_id: str) -> Response:
    return _plan_page(request, caller, plan_id)


@router.post("/plans/{plan_id}", response_class=HTMLResponse)
async def change_plan_form(
    request: Request,
    caller: Planner,
    plan_id: str,
    status: FormText = "",
    owner: FormText = "",
    due_on: FormText = "",
) -> Response:
    return await submit_form(
        request,
        lambda state: state.ws.plans.update(
            plan_id,
            status=status or None,
            owner=owner or None,
            due_on=due_on or None,
            actor=caller.principal.name,
        ),
        done=lambda _: RedirectResponse(f"/plans/{plan_id}", status_code=303),
        refused=lambda error: _plan_page(request, caller, plan_id, error=error),
        refusal=AdvocacyError,
    )
