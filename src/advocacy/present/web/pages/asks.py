"""The Advocates > Asks page: every campaign with its results chart, lift and verdict.

Anyone signed in reads the campaigns and their results; analysts and admins (``manage-loop``) add
a campaign (its YAML, checked line by line) and send one: a link campaign's send downloads the
links as CSV for their own mailing tool. Each form posts the session's CSRF token and calls one
method of ``ws.asks``; adding redirects back (post/redirect/get).
"""

from __future__ import annotations

import io
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from advocacy.errors import AdvocacyError
from advocacy.namespaces.access import Permission
from advocacy.namespaces.asks import SendResult
from advocacy.present.web.auth import Caller, requires, web_state
from advocacy.present.web.pages.forms import submit_form
from advocacy.present.web.pages.rendering import render
from advocacy.report import ask_lift_spec

router = APIRouter(include_in_schema=False)

Reader = Annotated[Caller, Depends(requires(Permission.read))]
Manager = Annotated[Caller, Depends(requires(Permission.manage_loop))]
EXAMPLE = """id: refer-spring
name: Spring referral ask
audience: {kind: silent-promoters}
action: refer
channel: links
holdout: 0.2
final_n: 400
window_days: 30
"""


def _page(
    request: Request,
    caller: Caller,
    *,
    error: AdvocacyError | None = None,
    text: str = "",
    sent: dict[str, Any] | None = None,
) -> Response:
    state = web_state(request)
    with state.use:
        campaigns = [
            (campaign, state.ws.asks.results(campaign.campaign_id).to_dict())
            for campaign in state.ws.asks.list()
        ]
    for _, results in campaigns:
        results["chart"] = ask_lift_spec(results, width=260)  # fits a 390 px phone
    context = {
        "campaigns": campaigns,
        "error": error,
        "text": text or EXAMPLE,
        "sent": sent,
        "can_manage": caller.principal.can(Permission.manage_loop),
        "confidence": state.ws.settings.confidence,
    }
    return render(
        request, "asks.html.j2", context, caller=caller, status_code=400 if error else 200
    )


@router.get("/advocates/asks", response_class=HTMLResponse)
def asks_page(request: Request, caller: Reader) -> Response:
    return _page(request, caller)


@router.post("/advocates/asks", response_class=HTMLResponse)
async def add_ask_form(
    request: Request, caller: Manager, definition: Annotated[str, Form()] = ""
) -> Response:
    return await submit_form(
        request,
        lambda state: state.ws.asks.add_text(definition, actor=caller.principal.name),
        done=lambda _: RedirectResponse("/advocates/asks", status_code=303),
        refused=lambda error: _page(request, caller, error=error, text=definition),
        refusal=AdvocacyError,
    )


def links_csv(result: SendResult) -> Response:
    """The links of a send as a CSV download for the company's own mailing tool."""
    out = io.StringIO()
    result.write_links(out)
    name = "".join(ch for ch in result.campaign_id if ch.isalnum() or ch in "-_")
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="ask-links-{name}.csv"'},
    )


@router.post("/advocates/asks/{campaign_id}/send", response_class=HTMLResponse)
async def send_ask_form(request: Request, caller: Manager, campaign_id: str) -> Response:
    def done(result: SendResult) -> Response:
        if result.channel == "links" and result.asked:
            return links_csv(result)
        sent = {
            "campaign_id": result.campaign_id,
            "asked": len(result.asked),
            "control": len(result.control),
            "skipped": result.skipped_by_reason,
        }
        return _page(request, caller, sent=sent)

    return await submit_form(
        request,
        lambda state: state.ws.asks.send(campaign_id, actor=caller.principal.name),
        done=done,
        refused=lambda error: _page(request, caller, error=error),
        refusal=AdvocacyError,
    )
