"""Public pages of ask campaigns: the tracked redirect, the share page and the referral landing.

No sign-in: the signed member link is the key (:mod:`advocacy.loop.asks.links`).

- ``GET /a/{token}/{target}`` counts a click and redirects (303) to the URL the campaign names for
  ``target``; a target it does not name gets a "link leads nowhere" page (404), never a redirect.
- ``GET /r/{token}/share`` shows the advocate the landing link to pass on to friends.
- ``GET /r/{token}`` is the landing a friend opens; ``POST`` records them as a referral (name and
  e-mail optional, kept only with consent) and shows their referral code. The form carries a
  signed nonce (these pages have no session) and posts are rate-limited per client address, like
  a survey's anonymous answers.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from advocacy.errors import AdvocacyError, NotFoundError, RateLimitedError, ValidationError
from advocacy.namespaces.access import client_key
from advocacy.namespaces.asks import CONSENT_TEXT, AskLink, LandedReferral
from advocacy.namespaces.surveys import LinkError
from advocacy.present.web.auth import web_state
from advocacy.present.web.pages.rendering import render

router = APIRouter(include_in_schema=False)


def _problem(request: Request, error: AdvocacyError) -> HTMLResponse:
    status = getattr(error, "status", 404 if isinstance(error, NotFoundError) else 403)
    heading = "This link has expired" if status == 410 else "This link does not work"
    context = {"heading": heading, "message": error.message, "fix": error.fix, "problem": True}
    return render(request, "survey_thanks.html.j2", context, status_code=status)


@router.get("/a/{token}/{target}")
async def follow_link(request: Request, token: str, target: str) -> Response:
    state = web_state(request)

    def follow() -> str:
        with state.use:
            return state.ws.asks.follow(token, target)

    try:
        url = await run_in_threadpool(follow)
    except (LinkError, NotFoundError) as error:
        return _problem(request, error)
    return RedirectResponse(url, status_code=303, headers={"Referrer-Policy": "no-referrer"})


async def _link(request: Request, token: str) -> AskLink:
    state = web_state(request)

    def load() -> AskLink:
        with state.use:
            return state.ws.asks.link(token)

    return await run_in_threadpool(load)


@router.get("/r/{token}/share", response_class=HTMLResponse)
async def share_page(request: Request, token: str) -> Response:
    try:
        link = await _link(request, token)
    except LinkError as error:
        return _problem(request, error)
    url = web_state(request).ws.asks.landing_url(token)
    return render(request, "ask_share.html.j2", {"campaign": link.campaign, "url": url})


def _landing(
    request: Request,
    token: str,
    link: AskLink,
    *,
    error: AdvocacyError | None = None,
    form: dict[str, str] | None = None,
) -> HTMLResponse:
    context = {
        "campaign": link.campaign,
        "action": f"/r/{token}",
        "nonce": web_state(request).ws.asks.landing_nonce(token),
        "consent_text": CONSENT_TEXT,
        "error": error,
        "form": form or {},
    }
    return render(request, "ask_landing.html.j2", context, status_code=422 if error else 200)


@router.get("/r/{token}", response_class=HTMLResponse)
async def landing_page(request: Request, token: str) -> Response:
    try:
        link = await _link(request, token)
    except LinkError as error:
        return _problem(request, error)
    return _landing(request, token, link)


@router.post("/r/{token}", response_class=HTMLResponse)
async def land(request: Request, token: str) -> Response:
    state = web_state(request)
    client = client_key(request.client.host if request.client else None)
    try:
        state.rate_limits.admit(survey_client=client, survey=f"landing|{token[:64]}")
    except RateLimitedError as error:
        page = _problem(request, error)
        page.status_code = 429
        page.headers["Retry-After"] = str(error.retry_after)
        return page
    posted = await request.form()
    form = {name: str(posted.get(name) or "") for name in ("name", "email", "consent", "nonce")}

    def record() -> LandedReferral:
        with state.use:
            return state.ws.asks.land(
                token,
                name=form["name"],
                email=form["email"],
                consent=form["consent"] == "yes",
                nonce=form["nonce"],
            )

    try:
        landed = await run_in_threadpool(record)
    except ValidationError as error:
        return _landing(request, token, await _link(request, token), error=error, form=form)
    except LinkError as error:
        return _problem(request, error)
    state.wrote()  # a new referral: cached analyses are stale
    return render(request, "ask_landed.html.j2", {"landed": landed})
