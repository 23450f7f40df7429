"""Who is slipping away, and what each customer is worth, from the purchase models' predictions.

:func:`~advocacy.retention.lifetime_value.predict_retention` gives each customer's probability
of being active (BG/NBD) and lifetime value. Two more columns say what is at stake:

- ``spend_so_far`` (from the predictions): what the customer spent up to the calibration end,
  from the transactions (purchases less refunds, never below 0);
- ``value_at_risk``: what the customer would spend over the horizon at their past pace
  (``spend_so_far / T`` per time unit) if still active, times the chance they have gone
  (``1 - probability_alive``): the value lost if they are gone. A one-time buyer has no repeat
  purchases to judge by, so BG/NBD gives them ``probability_alive`` 1 and no value at risk.

"Slipping away" (:func:`slipping_away`) are the repeat buyers more likely gone than active,
largest value at risk first; the CLI, the web ``/advocates`` page and the report all use it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from advocacy.errors import UsageError

__all__ = [
    "SLIPPING_BELOW",
    "SLIPPING_COLUMNS",
    "SORTS",
    "slipping_away",
    "slipping_table",
    "sort_customers",
    "usable_order",
    "with_value_at_risk",
]

#: A repeat buyer whose probability of being active is below this is "slipping away".
SLIPPING_BELOW = 0.5

#: The columns of a "slipping away" table, the ones a reader looks for first (with the
#: intervals of P(active) and of the value at risk when the predictions carry them).
SLIPPING_COLUMNS = (
    "customer_id", "probability_alive", "probability_alive_low", "probability_alive_high",
    "value_at_risk", "value_at_risk_low", "value_at_risk_high", "spend_so_far", "frequency",
    "recency", "T", "lifetime_value",
)  # fmt: skip

#: Orders of the predictions: name -> (column, ascending, what the order means).
SORTS: dict[str, tuple[str, bool, str]] = {
    "value": ("lifetime_value", False, "lifetime value, highest first"),
    "value-at-risk": (
        "value_at_risk",
        False,
        "value at risk (spend over the horizon at the past pace if active, times the chance "
        "they have gone), highest first",
    ),
    "p-active": ("probability_alive", True, "probability of being active, lowest first"),
    "spend": ("spend_so_far", False, "spend so far, highest first"),
}


def with_value_at_risk(predicted: pd.DataFrame, *, horizon: float) -> pd.DataFrame:
    """``predicted`` with ``value_at_risk`` added (see the module).

    Parameters
    ----------
    predicted
        Rows of :func:`~advocacy.retention.lifetime_value.predict_retention` (with
        ``spend_so_far``).
    horizon
        The time units ahead the predictions were made for.

    Returns
    -------
    pandas.DataFrame
        A copy with the column, in the same order (and ``value_at_risk_low``/``_high`` when
        ``predicted`` has P(active)'s interval).
    """
    spend = predicted["spend_so_far"].clip(lower=0.0)
    weeks = predicted["T"].where(predicted["T"] > 0, np.nan)
    pace = (spend / weeks).fillna(0.0)
    valued = predicted.assign(
        value_at_risk=pace * horizon * (1.0 - predicted["probability_alive"]),
    )
    if "probability_alive_low" in predicted.columns:
        # the pace is the customer's own record, so the interval is P(active)'s, turned over
        valued["value_at_risk_low"] = pace * horizon * (1.0 - predicted["probability_alive_high"])
        valued["value_at_risk_high"] = pace * horizon * (1.0 - predicted["probability_alive_low"])
    return valued


#: An order by value that has no value to sort by falls back to the next (the same risk
#: without the money, and P(active) last: BG/NBD gives it without any amount).
FALLBACK_ORDERS = {"value": "value-at-risk", "value-at-risk": "p-active", "spend": "p-active"}


def usable_order(frame: pd.DataFrame, by: str) -> tuple[str, str]:
    """The order of :data:`SORTS` to sort ``frame`` by when ``by`` is asked, and why not ``by``.

    An order by money (lifetime value, value at risk, spend so far) sorts nothing when no
    customer has a value above 0 (no spend model; every amount 0): it falls back along
    :data:`FALLBACK_ORDERS` to the first order that has one, or to P(active).

    Parameters
    ----------
    frame
        Rows of predictions (with ``value_at_risk`` for that order).
    by
        The order asked for, a key of :data:`SORTS`.

    Returns
    -------
    tuple of str
        The order used and, when it is not ``by``, one sentence saying why and what it is
        (empty otherwise).
    """
    used, reasons = by, []
    while used in FALLBACK_ORDERS:
        column = frame[SORTS[used][0]] if SORTS[used][0] in frame.columns else pd.Series()
        values = pd.to_numeric(column, errors="coerce")
        if (values > 0).any():
            break
        what = SORTS[used][2].split(" (")[0].split(",")[0]
        reasons.append(f"no customer has a {what}" if values.isna().all() else f"every {what} is 0")
        used = FALLBACK_ORDERS[used]
    if used == by:
        return by, ""
    return used, (
        f"cannot sort by {SORTS[by][2].split(' (')[0].split(',')[0]}: "
        + "; ".join(reasons)
        + f"; sorted by {SORTS[used][2]}"
    )


def sort_customers(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """``frame`` in the order :data:`SORTS` names ``by``, ties by customer id.

    Raises
    ------
    UsageError
        For an order :data:`SORTS` does not hold.
    """
    if by not in SORTS:
        raise UsageError(
            f"cannot sort customers by {by!r}",
            value=by,
            parameter="sort",
            fix="use one of: " + ", ".join(SORTS),
        )
    column, ascending, _ = SORTS[by]
    ordered = frame.sort_values(
        [column, "customer_id"], ascending=[ascending, True], kind="mergesort"
    )
    return ordered.reset_index(drop=True)


def slipping_away(predicted: pd.DataFrame, *, horizon: float) -> pd.DataFrame:
    """The repeat buyers more likely gone than active, largest value at risk first.

    When none of them has a value at risk above 0 (every amount 0), the order falls back as
    :func:`usable_order` says (lowest P(active) first) and ``attrs["order_fallback"]`` says
    so and why (empty when sorted by value at risk).

    Parameters
    ----------
    predicted
        Rows of :func:`~advocacy.retention.lifetime_value.predict_retention`.
    horizon
        The time units ahead the predictions were made for.

    Returns
    -------
    pandas.DataFrame
        The rows with ``frequency > 0`` and ``probability_alive`` below
        :data:`SLIPPING_BELOW`, with ``spend_so_far`` and ``value_at_risk``.
    """
    valued = with_value_at_risk(predicted, horizon=horizon)
    gone = valued[(valued["frequency"] > 0) & (valued["probability_alive"] < SLIPPING_BELOW)]
    # Nobody slipping away: an empty table, in no need of a reason for its order.
    used, fallback = usable_order(gone, "value-at-risk") if len(gone) else ("value-at-risk", "")
    ordered = sort_customers(gone, used)
    ordered.attrs = {**ordered.attrs, "order_fallback": fallback}
    return ordered


def slipping_table(predicted: pd.DataFrame, *, horizon: float) -> pd.DataFrame:
    """:func:`slipping_away` in the :data:`SLIPPING_COLUMNS` ``predicted`` has, with its
    ``attrs`` (what the intervals mean) and ``attrs["order_fallback"]``."""
    gone = slipping_away(predicted, horizon=horizon)
    table = gone[[name for name in SLIPPING_COLUMNS if name in gone.columns]]
    table.attrs = {**predicted.attrs, "order_fallback": gone.attrs["order_fallback"]}
    return table
