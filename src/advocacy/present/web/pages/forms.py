"""How every page form carries out its change: one function instead of a copy per form.

A form's change runs in a worker thread (the database calls block) as one use of the workspace
(:attr:`advocacy.present.web.state.WebState.use`); a refused input (the error class the form
expects) is answered by the form's own page, shown again with the message beside the fields, and
a change that worked is answered with ``done`` (usually a redirect: post/redirect/get). Any other
error propagates to the app's error handlers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from fastapi import Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from advocacy.errors import AdvocacyError
from advocacy.present.web.auth import web_state
from advocacy.present.web.state import WebState

Result = TypeVar("Result")
Refusal = TypeVar("Refusal", bound=AdvocacyError)


async def submit_form(
    request: Request,
    change: Callable[[WebState], Result],
    *,
    done: Callable[[Result], Response],
    refused: Callable[[Refusal], Response] | None = None,
    refusal: type[Refusal] | None = None,
) -> Response:
    """Carry out ``change(state)`` and answer with ``done(result)``, or ``refused(error)``.

    Parameters
    ----------
    request
        The form's request; its app holds the workspace.
    change
        The one library call the form stands for, given the server's state.
    done
        The answer once the change worked, from its result.
    refused
        The answer to a ``refusal`` error: the form's page again, with the error.
    refusal
        The error class that means "the input was refused" (``UsageError`` for most forms).

    Returns
    -------
    Response
        ``done``'s or ``refused``'s response.
    """
    state = web_state(request)

    def run() -> Response:
        try:
            with state.use:
                result = change(state)
        except AdvocacyError as error:
            if refused is None or refusal is None or not isinstance(error, refusal):
                raise
            return refused(error)
        return done(result)

    return await run_in_threadpool(run)


__all__ = ["submit_form"]
