"""A buyer's standing on the customer page, and the one prediction frame the pages share.

:func:`purchase_predictions` is ``ws.retention.predict`` over every customer (BG/NBD and
Gamma-Gamma fitted on all purchases, :data:`HORIZON_WEEKS` ahead, with the intervals of the
estimates and the value at risk), computed once per data generation and cached as the pages
cache their aggregates: the customer page, the Advocates page's slipping-away table and the
Overview's purchases line all read it, so the models are fitted once for the three.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from advocacy.errors import AdvocacyError
from advocacy.present.web.state import WebState

__all__ = [
    "HORIZON_WEEKS",
    "PREDICTIONS_KEY",
    "Standing",
    "customer_standing",
    "purchase_predictions",
]

#: The horizon of the expected purchases and value shown, in weeks.
HORIZON_WEEKS = 52

#: The cache key of :func:`purchase_predictions`.
PREDICTIONS_KEY = ("purchase-predictions", HORIZON_WEEKS)


@dataclass(frozen=True)
class Standing:
    """One buyer's predictions (None fields: the model could not be fitted, see ``problem``;
    only ``lifetime_value`` None: Gamma-Gamma could not be fitted, ``no_value`` says why).
    The ``*_interval`` fields are (low, high) of the estimate (see ``interval``), or None."""

    probability_alive: float | None = None
    expected_purchases: float | None = None
    lifetime_value: float | None = None
    value_at_risk: float | None = None
    repeat_purchases: int | None = None
    problem: str | None = None
    no_value: str | None = None
    probability_alive_interval: tuple[float, float] | None = None
    expected_purchases_interval: tuple[float, float] | None = None
    lifetime_value_interval: tuple[float, float] | None = None
    value_at_risk_interval: tuple[float, float] | None = None
    interval: str | None = None  # what the intervals mean, or why there are none


def purchase_predictions(state: WebState) -> Any:
    """Every customer's predictions with their value at risk, indexed by customer id (cached
    per data generation; raises the library's error when the models cannot be fitted)."""

    def predicted() -> Any:
        from advocacy.namespaces.retention import with_value_at_risk

        frame = state.ws.retention.predict(horizon=HORIZON_WEEKS)
        return with_value_at_risk(frame, horizon=HORIZON_WEEKS)

    return state.cached(PREDICTIONS_KEY, predicted)


def _interval(row: Any, name: str) -> tuple[float, float] | None:
    low, high = row.get(f"{name}_low"), row.get(f"{name}_high")
    if low is None or high is None or not (math.isfinite(low) and math.isfinite(high)):
        return None
    if low == high:  # no uncertainty (a one-time buyer's P(active) is 1): nothing to bracket
        return None
    return float(low), float(high)


def customer_standing(state: WebState, customer_id: str) -> Standing | None:
    """The purchase model's view of ``customer_id`` (callers use the workspace); None when the
    customer made no purchase the model saw."""
    try:
        frame = purchase_predictions(state)
    except AdvocacyError as error:
        return Standing(problem=error.message + (f"; {error.fix}" if error.fix else ""))
    found = frame.index[frame["customer_id"] == customer_id]
    if len(found) == 0:
        return None
    row = frame.loc[found[0]]
    value = float(row["lifetime_value"])
    return Standing(
        probability_alive=float(row["probability_alive"]),
        expected_purchases=float(row["expected_purchases"]),
        lifetime_value=None if math.isnan(value) else value,
        no_value=str(frame.attrs.get("no_value", "")) or None,
        value_at_risk=float(row["value_at_risk"]),
        repeat_purchases=int(row["frequency"]),
        probability_alive_interval=_interval(row, "probability_alive"),
        expected_purchases_interval=_interval(row, "expected_purchases"),
        lifetime_value_interval=_interval(row, "lifetime_value"),
        value_at_risk_interval=_interval(row, "value_at_risk"),
        interval=str(frame.attrs.get("interval", "")) or None,
    )
