"""What the dashboards show, computed once per request from the workspace's own analyses.

Every function here calls library functions (``ws.metrics.scores``, the registered analyses,
``ws.cases.employee_feedback`` and ``ws.cases.coaching``) as the caller may read them: a case
handler's scores are computed from their units' evidence only (:mod:`advocacy.access.scope`)
and always broken down by unit; a viewer's free text is redacted
(:mod:`advocacy.access.masking`). None of them runs a query of its own.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from advocacy.errors import AdvocacyError
from advocacy.namespaces.access import (
    Principal,
    Role,
    TextRedactor,
    mask_record,
    unit_limit,
)
from advocacy.namespaces.cases import CoachingSummary
from advocacy.namespaces.metrics import MetricsRequest, NpsResult
from advocacy.present.web.derived import derived
from advocacy.present.web.state import WARM_UP_THREAD, FiguresAge, WebState, figures_age

#: Metrics on the overview, in the order shown.
OVERVIEW_METRICS = ("nps", "csat", "top-box", "ces", "enps")
#: Dimensions offered by the explorer.
DIMENSIONS = (
    "unit",
    "channel",
    "touchpoint",
    "journey_stage",
    "survey",
    "segment",
    "region",
    "value_tier",
)


def viewer_redactor(state: WebState, principal: Principal) -> TextRedactor | None:
    """The redactor masking uses for ``principal`` (``ws.access.text_redactor``,
    built once per data generation; None for roles that see personal data)."""
    if not principal.masks_personal_data:
        return None
    redactor: TextRedactor | None = state.cached(
        ("viewer-redactor",), lambda: state.ws.access.text_redactor(principal)
    )
    return redactor


def scoped_metrics(state: WebState, principal: Principal, **options: Any) -> pd.DataFrame:
    """``ws.metrics.scores(**options)`` as ``principal`` may see it (cached per data generation).

    A case handler's scores are computed from their units' evidence only (comparisons with
    "the rest" included) and broken down by unit (``unit`` is added to ``by``).
    """
    by = options.get("by") or []
    by = [by] if isinstance(by, str) else list(by)
    if principal.limited_to_units and "unit" not in by:
        by = ["unit", *by]
    options["by"] = by
    metrics = options.pop("metrics", ("nps",))
    metrics = (metrics,) if isinstance(metrics, str) else tuple(metrics)
    units = unit_limit(principal)
    key = ("metrics", units, metrics, tuple(sorted((k, repr(v)) for k, v in options.items())))
    frame: pd.DataFrame = state.cached(
        key, lambda: state.ws.metrics.scores(list(metrics), principal=principal, **options)
    )
    return frame


def table_counts(state: WebState) -> dict[str, int]:
    """Rows per evidence table (cached per data generation)."""
    status = state.cached(("status",), state.ws.status)
    return {item.table: item.rows for item in status.tables}


def scoped_metrics_batch(
    state: WebState,
    principal: Principal,
    requests: list[MetricsRequest],
    *,
    where: dict[str, list[str]] | None = None,
) -> list[pd.DataFrame]:
    """``ws.metrics.scores_batch`` as ``principal`` may see it (see :func:`scoped_metrics`),
    keeping only the answers ``where`` allows (the global filters).

    One aggregation per table answers every request, cached per data generation.
    """
    if principal.limited_to_units:
        requests = [
            replace(request, by=("unit", *request.by)) if "unit" not in request.by else request
            for request in requests
        ]
    filters = tuple(sorted((name, tuple(values)) for name, values in (where or {}).items()))
    key = ("metrics-batch", unit_limit(principal), tuple(requests), filters)
    frames: list[pd.DataFrame] = state.cached(
        key, lambda: state.ws.metrics.scores_batch(requests, principal=principal, where=where)
    )
    return frames


@dataclass
class Coaching:
    employee: dict[str, Any]
    score: NpsResult | None
    responses: list[dict[str, Any]]
    interactions: list[dict[str, Any]]
    outcomes: dict[str, int]
    summary: CoachingSummary | None = None  # themes against the unit's, and cases


def coaching(state: WebState, principal: Principal, employee_id: str) -> Coaching:
    """The feedback, its themes, interactions and cases tied to one employee.

    For the employee themselves, their supervisor, and roles that see their unit: the evidence
    comes from ``ws.cases.employee_feedback`` (which refuses everyone else), themes and cases
    from ``ws.cases.coaching``. A case handler's page holds only their units' evidence; a
    viewer's has personal data masked (names, quotes, theme names and root causes redacted).
    """
    redactor = viewer_redactor(state, principal)
    feedback = state.ws.cases.employee_feedback(employee_id, principal=principal, redactor=redactor)
    summary = state.ws.cases.coaching(
        employee_id,
        unit=feedback.employee["unit"],
        confidence=state.ws.settings.confidence,
        units=unit_limit(principal),
    )
    return Coaching(
        feedback.employee,
        feedback.score,
        feedback.responses,
        feedback.interactions,
        feedback.outcomes,
        mask_record(summary, principal, redactor=redactor),
    )


def topic_key(method: str, options: Mapping[str, Any]) -> tuple[Any, ...]:
    """The cache key of ``ws.<method>(**options)`` on a topic page (the overview peeks at it)."""
    return ("topic", method, tuple(sorted((name, repr(value)) for name, value in options.items())))


#: Cache key of the per-customer ladder, shared with the Advocates page.
LADDER_KEY = topic_key("advocates.ladder", {})


def ladder_summary(
    state: WebState,
    principal: Principal,
    *,
    compute: bool,
    where: Mapping[str, list[str]] | None = None,
) -> Any:
    """Customers per rung of the advocacy ladder, or None when not (yet) available.

    The ladder places every customer, about a second per million responses, so the overview
    only shows it once computed (``compute=False`` never computes): at server start, after an
    API write, or when someone opens the Advocates page (under the same ``where`` filters,
    the ladder of the customers with an answer they keep). Unit-limited roles get None: the
    ladder spans every unit.
    """
    if principal.limited_to_units:
        return None
    from advocacy.namespaces.advocates import ladder_counts

    key = topic_key("advocates.ladder", {"where": where}) if where else LADDER_KEY
    if compute:
        try:
            ladder = state.cached(key, lambda: state.ws.advocates.ladder(where=where or None))
        except AdvocacyError:
            return None
    else:
        ladder = state.peek(key)
    if ladder is None:
        return None
    return derived(("ladder-counts", key), (ladder,), lambda: ladder_counts(ladder))


def warm_up(state: WebState) -> None:
    """Compute the overview's aggregates and the ladder ahead of visitors (run in a thread),
    again if new evidence arrived meanwhile (:func:`start_warm_up` asked for it).

    Errors are left for the first real request to report: warming is only an optimisation.
    """
    again = True
    while again:
        with _warming:
            state.warm_again = False
        _warm(state)
        with _warming:
            again = state.warm_again and not state.closed
            if not again:
                state.warming = False


def _warm(state: WebState) -> None:
    warmer = Principal("warm-up", Role.analyst)
    # As a page would: stale results are served and refreshed in the background.
    token = figures_age.set(FiguresAge(stale_allowed=True))
    try:
        with state.use:
            if not state.closed:
                from advocacy.present.web.filters import Filters
                from advocacy.present.web.overview import dashboard

                dashboard(state, warmer, Filters())
        with state.use:
            if not state.closed:
                ladder_summary(state, warmer, compute=True)
    except Exception:
        return
    finally:
        figures_age.reset(token)


#: Guards starting a warm-up against one ending (a request for another must not be lost).
_warming = threading.Lock()


def start_warm_up(state: WebState) -> None:
    """Warm up in a background thread; when one is already running, once more after it (the
    evidence it read may predate the write that asked)."""
    with _warming:
        if state.closed:
            return
        if state.warming:
            state.warm_again = True
            return
        state.warming = True
    threading.Thread(target=warm_up, args=(state,), name=WARM_UP_THREAD, daemon=True).start()
