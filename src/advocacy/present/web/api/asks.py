"""Ask-campaign routes of the REST API: campaigns, sending, results and rewards.

Reading campaigns and their results needs ``read``; the rewards (payment data: who, whose
contact, how much), adding, sending and exporting rewards ``manage-loop`` (analysts and admins).
Each route calls one method of ``ws.asks``; the library records adds, sends and reward exports
in the audit log under the caller's name.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Request
from fastapi.responses import Response

from advocacy.namespaces.access import Permission
from advocacy.namespaces.asks import Campaign
from advocacy.present.web.auth import Caller, requires, web_state
from advocacy.records import frame_records, plain

router = APIRouter(prefix="/api/v1", tags=["asks"])

Reader = Annotated[Caller, Depends(requires(Permission.read))]
Manager = Annotated[Caller, Depends(requires(Permission.manage_loop))]


def campaign_record(campaign: Campaign) -> dict[str, Any]:
    """A campaign as the API shows it: its definition, whether it is on, and when it was made."""
    return plain(  # type: ignore[no-any-return]
        {
            **campaign.definition(),
            "created_at": campaign.created_at,
            "created_by": campaign.created_by,
        }
    )


@router.get("/asks", summary="Ask campaigns: audience, action, channel, holdout, final analysis")
def list_asks(request: Request, caller: Reader) -> list[dict[str, Any]]:
    state = web_state(request)
    with state.use:
        return [campaign_record(campaign) for campaign in state.ws.asks.list()]


@router.post("/asks", status_code=201, summary="Add a campaign (the keys of a campaign file)")
def add_ask(
    request: Request,
    caller: Manager,
    body: Annotated[dict[str, Any], Body(description="id, audience, action, channel, ...")],
) -> dict[str, Any]:
    state = web_state(request)
    with state.use:
        return campaign_record(state.ws.asks.add(body, actor=caller.principal.name))


@router.get("/asks/{campaign_id}", summary="One campaign")
def get_ask(request: Request, caller: Reader, campaign_id: str) -> dict[str, Any]:
    state = web_state(request)
    with state.use:
        return campaign_record(state.ws.asks.get(campaign_id))


@router.post("/asks/{campaign_id}/send", summary="Ask the audience once (guards, then holdout)")
def send_ask(request: Request, caller: Manager, campaign_id: str) -> dict[str, Any]:
    state = web_state(request)
    with state.use:
        result = state.ws.asks.send(campaign_id, actor=caller.principal.name)
    return plain(  # type: ignore[no-any-return]
        {
            "campaign_id": result.campaign_id,
            "channel": result.channel,
            "asked": result.asked,
            "control": len(result.control),
            "skipped": result.skipped_by_reason,
            "messages": result.messages,
        }
    )


@router.get("/asks/{campaign_id}/results", summary="Outcomes per arm, lift with interval, verdict")
def ask_results(request: Request, caller: Reader, campaign_id: str) -> dict[str, Any]:
    state = web_state(request)
    with state.use:
        return state.ws.asks.results(campaign_id).to_dict()


@router.get("/asks/{campaign_id}/rewards", summary="Rewards: due, withheld (and why) or exported")
def ask_rewards(request: Request, caller: Manager, campaign_id: str) -> list[dict[str, Any]]:
    state = web_state(request)
    with state.use:
        return frame_records(state.ws.asks.rewards(campaign_id))


@router.post("/asks/{campaign_id}/rewards/export", summary="The due rewards as CSV, for payment")
def export_ask_rewards(request: Request, caller: Manager, campaign_id: str) -> Response:
    state = web_state(request)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "rewards.csv"
        with state.use:
            state.ws.asks.export_rewards(campaign_id, out, actor=caller.principal.name)
        content = out.read_bytes()
    return Response(
        content,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="rewards-{campaign_id}.csv"'},
    )
