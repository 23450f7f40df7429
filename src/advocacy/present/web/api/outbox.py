"""``GET /api/v1/outbox``: the notification outbox for admins (no secrets are ever stored in it)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request

from advocacy.namespaces.access import Permission
from advocacy.present.web.auth import Caller, requires, web_state

router = APIRouter(prefix="/api/v1", tags=["notifications"])

Admin = Annotated[Caller, Depends(requires(Permission.manage_access))]


@router.get("/outbox", summary="Notification messages, newest first (admin)")
def outbox(
    request: Request,
    caller: Admin,
    state: Annotated[
        Literal["pending", "failed", "delivered", "undelivered"],
        Query(description="pending, failed (given up), delivered, or undelivered (both first)"),
    ] = "undelivered",
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[dict[str, Any]]:
    web = web_state(request)
    with web.use:
        found = web.ws.outbox.messages(state=state, limit=limit)
    return [message.to_dict() for message in found]
