"""Hosted survey pages: public, no sign-in; the signed link (or the anonymous link) is the key.

``GET /s/{token}`` shows the survey behind a signed link and ``POST /s/{token}`` takes the
answer; ``/s/open/{survey_id}`` does the same for a survey's anonymous link. Each form carries a
signed nonce (these pages have no session, so it stands in for the CSRF token). Answers go to
one :class:`~advocacy.loop.surveys.submissions.SubmissionWriter` per server, which commits them in
batches and runs the case rules on them; the thank-you page is sent once the answer is stored,
with a campaign's referral prompt when a promoter answered a signed link (``ws.asks.prompt``).
These pages, and only these, may be framed by other sites (see ``EMBEDDABLE_HEADERS`` in
:mod:`advocacy.present.web.app`), so a company can embed its survey.

Answers to an anonymous link are rate-limited per client address and per survey
(:mod:`advocacy.access.rate_limits`; settings ``survey_answers_per_client``,
``survey_answers_per_survey``): beyond, the page says to wait (429, ``Retry-After``) and nothing
is stored. A signed link answers once, for one customer, and links are only created for
customers the contact guard lets through, so signed links are not rate-limited.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from advocacy.errors import AdvocacyError, NotFoundError, RateLimitedError, ValidationError
from advocacy.namespaces.access import client_key
from advocacy.namespaces.asks import Prompt
from advocacy.namespaces.surveys import LinkError, SubmissionWriter, Survey, SurveyForm
from advocacy.present.web.auth import web_state
from advocacy.present.web.pages.rendering import render

router = APIRouter(include_in_schema=False)

CSAT_LABELS = (
    (1, "Very dissatisfied"),
    (2, "Dissatisfied"),
    (3, "Neither"),
    (4, "Satisfied"),
    (5, "Very satisfied"),
)
CES_LABELS = (
    (1, "Very difficult"),
    (2, "Difficult"),
    (3, "Somewhat difficult"),
    (4, "Neither"),
    (5, "Somewhat easy"),
    (6, "Easy"),
    (7, "Very easy"),
)
ANSWER_FIELDS = ("nps", "csat", "ces", "comment")
_writer_lock = threading.Lock()


def survey_writer(request: Request) -> SubmissionWriter:
    """The server's one survey writer, started on first use."""
    state = web_state(request)
    with _writer_lock:
        writer: SubmissionWriter | None = getattr(request.app.state, "survey_writer", None)
        if writer is None or writer.db is not state.ws.db:
            writer = state.ws.surveys.writer(
                state.use,
                after_commit=state.wrote,
                is_open=lambda: not state.closed,
            )
            request.app.state.survey_writer = writer
        return writer


def _message(
    request: Request,
    heading: str,
    message: str,
    *,
    fix: str | None = None,
    company: str | None = None,
    problem: bool = False,
    status_code: int = 200,
    prompt: Prompt | None = None,
) -> HTMLResponse:
    context = {
        "heading": heading,
        "message": message,
        "fix": fix,
        "company": company,
        "problem": problem,
        "prompt": prompt,
    }
    return render(request, "survey_thanks.html.j2", context, status_code=status_code)


#: Headings of the survey pages' own error page, by status (the staff error page would show a
#: customer the app's navigation).
PROBLEM_HEADINGS = {
    413: "Your answer is too long",
    422: "Your answer could not be read",
    429: "Please wait a moment",
    503: "We cannot take answers right now",
}


def survey_problem(request: Request, error: AdvocacyError, status_code: int) -> HTMLResponse:
    """A refusal on a survey page (too large, too many, out of service) as customers see it."""
    heading = PROBLEM_HEADINGS.get(status_code, "Something went wrong")
    return _message(
        request, heading, error.message, fix=error.fix, problem=True, status_code=status_code
    )


def _problem(request: Request, error: AdvocacyError) -> HTMLResponse:
    """A friendly page for a link that does not work: 410 expired, 404 unknown, else 403."""
    status = getattr(error, "status", 404 if isinstance(error, NotFoundError) else 403)
    heading = "This link has expired" if status == 410 else "This link does not work"
    if isinstance(error, NotFoundError):
        heading = "There is no such survey"
    return _message(
        request, heading, error.message, fix=error.fix, problem=True, status_code=status
    )


def _form_page(
    request: Request,
    form: SurveyForm,
    action: str,
    *,
    answers: dict[str, Any] | None = None,
    error: AdvocacyError | None = None,
) -> HTMLResponse:
    if form.already_answered:
        return _already(request, form.survey)
    context = {
        "survey": form.survey,
        "nonce": form.nonce,
        "action": action,
        "answers": answers or {},
        "error": error,
        "csat_labels": CSAT_LABELS,
        "ces_labels": CES_LABELS,
    }
    return render(request, "survey.html.j2", context, status_code=422 if error else 200)


def _already(request: Request, survey: Survey) -> HTMLResponse:
    return _message(
        request,
        "Thank you",
        "Thank you, we already have your answer.",
        company=survey.company,
    )


async def _show(request: Request, key: str, *, anonymous: bool, action: str) -> Response:
    state = web_state(request)

    def load() -> SurveyForm:
        with state.use:
            return state.ws.surveys.form(token_or_survey=key, anonymous=anonymous)

    try:
        form = await run_in_threadpool(load)
    except (LinkError, NotFoundError) as error:
        return _problem(request, error)
    return _form_page(request, form, action)


def _throttled(request: Request, error: RateLimitedError) -> HTMLResponse:
    page = _message(
        request,
        "Please wait a moment",
        "We have received many answers from your connection in a short time, so this one was "
        "not stored.",
        fix=f"Send the form again in {error.retry_after} seconds.",
        problem=True,
        status_code=429,
    )
    page.headers["Retry-After"] = str(error.retry_after)
    return page


async def _answer(request: Request, key: str, *, anonymous: bool, action: str) -> Response:
    if anonymous:  # before anything is read or checked: a flood costs as little as possible
        client = client_key(request.client.host if request.client else None)
        try:
            web_state(request).rate_limits.admit(survey_client=client, survey=key)
        except RateLimitedError as error:
            return _throttled(request, error)
    posted = await request.form()
    answers = {name: str(posted.get(name) or "") for name in ANSWER_FIELDS}
    nonce = posted.get("nonce")
    writer = survey_writer(request)
    try:
        submission = await run_in_threadpool(
            lambda: writer.prepare(
                token_or_survey=key,
                answers=answers,
                anonymous=anonymous,
                nonce=nonce if isinstance(nonce, str) else "",
            )
        )
        result = await asyncio.wrap_future(writer.put(submission))
    except (LinkError, NotFoundError) as error:
        return _problem(request, error)
    except ValidationError as error:
        state = web_state(request)

        def reload() -> SurveyForm:
            with state.use:
                return state.ws.surveys.form(token_or_survey=key, anonymous=anonymous)

        return _form_page(
            request, await run_in_threadpool(reload), action, answers=answers, error=error
        )
    if result.already_answered and not anonymous:
        return _already(request, submission.survey)
    prompt = None if anonymous else await run_in_threadpool(ask_prompt, request, submission)
    return _message(
        request,
        "Thank you",
        submission.survey.thanks or "Thank you, your answer has reached us.",
        company=submission.survey.company,
        prompt=prompt,
    )


def ask_prompt(request: Request, submission: Any) -> Prompt | None:
    """The referral prompt a promoter's thank-you page shows, when a campaign asks them."""
    state = web_state(request)
    nps = submission.record.get("nps")
    try:
        with state.use:
            return state.ws.asks.prompt(submission.customer_id, None if nps is None else int(nps))
    except AdvocacyError:  # the answer is stored: a prompt that cannot be made is left out
        return None


@router.get("/s/open/{survey_id}", response_class=HTMLResponse)
async def anonymous_survey(request: Request, survey_id: str) -> Response:
    return await _show(request, survey_id, anonymous=True, action=f"/s/open/{survey_id}")


@router.post("/s/open/{survey_id}", response_class=HTMLResponse)
async def answer_anonymous_survey(request: Request, survey_id: str) -> Response:
    return await _answer(request, survey_id, anonymous=True, action=f"/s/open/{survey_id}")


@router.get("/s/{token}", response_class=HTMLResponse)
async def signed_survey(request: Request, token: str) -> Response:
    return await _show(request, token, anonymous=False, action=f"/s/{token}")


@router.post("/s/{token}", response_class=HTMLResponse)
async def answer_signed_survey(request: Request, token: str) -> Response:
    return await _answer(request, token, anonymous=False, action=f"/s/{token}")
