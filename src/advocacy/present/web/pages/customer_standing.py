"""A buyer's standing on the customer page: the purchase model's probability that they are still
active and what they are expected to be worth, with what those mean.

The predictions are ``ws.retention.predict`` over every customer (BG/NBD and Gamma-Gamma fitted
on all purchases, :data:`HORIZON_WEEKS` ahead), computed once and cached as the pages cache
their aggregates; on CDNOW's 23,570 buyers that takes about 2 CPU s the first time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from advocacy.errors import AdvocacyError
from advocacy.present.web.state import WebState

__all__ = ["HORIZON_WEEKS", "Standing", "customer_standing"]

#: The horizon of the expected purchases and value shown, in weeks.
HORIZON_WEEKS = 52


@dataclass(frozen=True)
class Standing:
    """One buyer's predictions (None fields: the model could not be fitted, see ``problem``;
    only ``lifetime_value`` None: Gamma-Gamma could not be fitted, ``no_value`` says why)."""

    probability_alive: float | None = None
    expected_purchases: float | None = None
    lifetime_value: float | None = None
    value_at_risk: float | None = None
    repeat_purchases: int | None = None
    problem: str | None = None
    no_value: str | None = None


def _predictions(state: WebState) -> Any:
    from advocacy.namespaces.retention import with_value_at_risk

    frame = state.ws.retention.predict(horizon=HORIZON_WEEKS)
    return with_value_at_risk(frame, horizon=HORIZON_WEEKS).set_index("customer_id")


def customer_standing(state: WebState, customer_id: str) -> Standing | None:
    """The purchase model's view of ``customer_id`` (callers use the workspace); None when the
    customer made no purchase the model saw."""
    try:
        frame = state.cached(("customer-standing", HORIZON_WEEKS), lambda: _predictions(state))
    except AdvocacyError as error:
        return Standing(problem=error.message)
    if customer_id not in frame.index:
        return None
    row = frame.loc[customer_id]
    value = float(row["lifetime_value"])
    return Standing(
        probability_alive=float(row["probability_alive"]),
        expected_purchases=float(row["expected_purchases"]),
        lifetime_value=None if math.isnan(value) else value,
        no_value=str(frame.attrs.get("no_value", "")) or None,
        value_at_risk=float(row["value_at_risk"]),
        repeat_purchases=int(row["frequency"]),
    )
