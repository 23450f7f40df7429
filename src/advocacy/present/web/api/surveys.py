"""Survey routes of the REST API: list and define hosted surveys, create signed links for mailing.

``GET /api/v1/surveys`` lists the surveys with their anonymous links; ``POST /api/v1/surveys``
creates or replaces one (JSON body with the fields of
:data:`advocacy.loop.surveys.definitions.SURVEY_FIELDS`); ``POST
/api/v1/surveys/{survey_id}/links`` takes ``{"segment": ..., "unit": ..., "customer_ids": [...]}``
and returns one signed link per customer, skipping those the contact-frequency guard protects.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool

from advocacy.errors import ValidationError
from advocacy.namespaces.access import Permission
from advocacy.present.web.auth import Caller, requires, web_state
from advocacy.present.web.limits import json_body

router = APIRouter(prefix="/api/v1", tags=["surveys"])

Reader = Annotated[Caller, Depends(requires(Permission.read))]
Manager = Annotated[Caller, Depends(requires(Permission.manage_loop))]


async def _object(request: Request) -> dict[str, Any]:
    # Bounded before it gets here: body size, nesting and text length (web/limits.py).
    body = await json_body(request, web_state(request).limits, empty={})
    if not isinstance(body, dict):
        raise ValidationError("the body must be a JSON object", fix='send {"field": "value"}')
    return body


@router.get("/surveys", summary="Hosted surveys and their definitions")
def surveys(request: Request, caller: Reader) -> list[dict[str, Any]]:
    state = web_state(request)
    with state.use:
        found = state.ws.surveys.list()
    return [survey.to_dict() for survey in found]


@router.post("/surveys", summary="Create a hosted survey, or replace its definition")
async def define_survey(request: Request, caller: Manager) -> dict[str, Any]:
    body = await _object(request)
    state = web_state(request)

    def run() -> dict[str, Any]:
        with state.use:
            return state.ws.surveys.save(body, actor=caller.principal.name).to_dict()

    return await run_in_threadpool(run)


@router.post(
    "/surveys/{survey_id}/links",
    summary="Signed links for mailing (customers contacted recently are skipped)",
)
async def survey_links(request: Request, survey_id: str, caller: Manager) -> dict[str, Any]:
    body = await _object(request)
    unknown = sorted(set(body) - {"segment", "unit", "customer_ids"})
    if unknown:
        raise ValidationError(
            f"unknown field(s) {unknown}", fix="send segment, unit and/or customer_ids"
        )
    customer_ids = body.get("customer_ids")
    if customer_ids is not None and not (
        isinstance(customer_ids, list) and all(isinstance(item, str) for item in customer_ids)
    ):
        raise ValidationError(
            "customer_ids must be a list of strings", value=customer_ids, fix='["C00001"]'
        )
    state = web_state(request)

    def run() -> dict[str, Any]:
        with state.use:
            result = state.ws.surveys.links(
                survey_id,
                segment=body.get("segment"),
                unit=body.get("unit"),
                customers=customer_ids,
                actor=caller.principal.name,
            )
        return {
            "survey_id": result.survey_id,
            "created": len(result.links),
            "skipped": len(result.skipped),
            "skipped_by_reason": result.skipped_by_reason,
            "guard_days": result.guard_days,
            "links": [
                {key: link[key] for key in ("customer_id", "name", "email", "url", "expires_at")}
                for link in result.links
            ],
        }

    return await run_in_threadpool(run)
