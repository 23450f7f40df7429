"""Recency-frequency-monetary summaries: the sufficient statistics of the purchase models.

BG/NBD needs, per customer, the number of repeat purchases ``frequency`` (x), the time of the
last purchase since the first ``recency`` (t_x) and the time observed ``T``; Gamma-Gamma adds the
average value of the repeat purchases ``monetary_value``. Purchases on the same day count as one
purchase (their amounts are added), as in Fader, Hardie & Lee (2005), so the first-day basket of
a new customer is not mistaken for a repeat purchase.

References
----------
.. [1] Fader, P. S., Hardie, B. G. S., & Lee, K. L. (2005). "Counting your customers" the easy
   way: An alternative to the Pareto/NBD model. Marketing Science, 24(2), 275-284.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from advocacy.errors import InputError, UsageError

#: Days in one time unit of the summaries.
TIME_UNITS: dict[str, float] = {"day": 1.0, "week": 7.0, "month": 365.25 / 12.0}

SUMMARY_COLUMNS = ("frequency", "recency", "T", "monetary_value", "first_purchase")


def days_per_unit(time_unit: str) -> float:
    """Days in ``time_unit`` (day, week or month = 365.25 / 12 days)."""
    if time_unit not in TIME_UNITS:
        raise UsageError(
            f"unknown time unit {time_unit!r}",
            value=time_unit,
            parameter="time_unit",
            fix="use one of: " + ", ".join(TIME_UNITS),
        )
    return TIME_UNITS[time_unit]


def transactions_frame(
    data: Any,
    *,
    customer_column: str = "customer_id",
    date_column: str | None = None,
    amount_column: str = "amount",
) -> pd.DataFrame:
    """Customer, day and amount of each purchase from a DataFrame or an Ibis table.

    ``date_column`` defaults to ``date`` or, for the workspace's ``transactions`` table,
    ``occurred_at``; a missing amount column means every purchase is worth nothing (frequency
    models still work).
    """
    frame = data if isinstance(data, pd.DataFrame) else data.to_pandas()
    if date_column is None:
        date_column = next((c for c in ("date", "occurred_at") if c in frame.columns), "date")
    for column in (customer_column, date_column):
        if column not in frame.columns:
            raise InputError(
                f"transactions have no column {column!r}",
                column=column,
                fix=f"pass a frame with columns {customer_column}, date and amount "
                "(or name yours with customer_column=, date_column=, amount_column=)",
            )
    dates = pd.to_datetime(frame[date_column], utc=True, errors="coerce")
    if dates.isna().any():
        row = int(np.flatnonzero(dates.isna().to_numpy())[0])
        raise InputError(
            "transaction without a readable date",
            row=row,
            column=date_column,
            value=frame[date_column].iloc[row],
            fix="give every transaction a date such as 1997-01-31",
        )
    amounts = (
        pd.to_numeric(frame[amount_column], errors="coerce").fillna(0.0)
        if amount_column in frame.columns
        else pd.Series(0.0, index=frame.index)
    )
    return pd.DataFrame(
        {
            "customer_id": frame[customer_column].astype(str).to_numpy(),
            "day": dates.dt.tz_localize(None).dt.normalize().to_numpy(),
            "amount": amounts.to_numpy(dtype=float),
        }
    )


def _as_timestamp(value: Any, name: str) -> pd.Timestamp | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    try:
        return pd.Timestamp(value).normalize()
    except (TypeError, ValueError) as error:
        raise UsageError(
            f"{name} is not a date: {value!r}", value=value, parameter=name, fix="use YYYY-MM-DD"
        ) from error


def summarize_transactions(
    data: Any,
    *,
    calibration_end: Any = None,
    observation_end: Any = None,
    time_unit: str = "week",
    customer_column: str = "customer_id",
    date_column: str | None = None,
    amount_column: str = "amount",
) -> pd.DataFrame:
    """Per-customer frequency, recency, T and monetary value (one row per customer).

    Parameters
    ----------
    data
        Transactions as a pandas DataFrame or Ibis table with customer id, date and amount.
    calibration_end
        Last day of the calibration period (inclusive); defaults to the last purchase day.
        Customers whose first purchase comes later are left out.
    observation_end
        End of a hold-out period after ``calibration_end``; when given, the result also has
        ``holdout_frequency`` (purchases in the hold-out), ``holdout_monetary_value`` and
        ``holdout_duration``.
    time_unit
        ``day``, ``week`` or ``month``: the unit of recency and T.
    customer_column, date_column, amount_column
        The columns of ``data`` holding the customer, the purchase date (None: ``date``, or
        ``occurred_at`` when there is no ``date``) and the amount.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``customer_id`` with ``frequency`` (repeat purchase days), ``recency``,
        ``T``, ``monetary_value`` (mean value of repeat purchases, 0 without any) and
        ``first_purchase``.

    Raises
    ------
    InputError
        When a column is missing, a transaction has no readable date, or there are no
        transactions (on or before ``calibration_end``).
    UsageError
        On an unknown ``time_unit``, an end that is not a date, or an ``observation_end``
        that does not come after ``calibration_end``.

    Examples
    --------
    >>> import pandas as pd
    >>> purchases = pd.DataFrame({
    ...     "customer_id": ["a", "a", "a", "b"],
    ...     "date": ["2024-01-01", "2024-01-15", "2024-02-12", "2024-01-08"],
    ...     "amount": [20.0, 30.0, 40.0, 15.0],
    ... })
    >>> summarize_transactions(purchases)[["frequency", "recency", "T", "monetary_value"]]
                 frequency  recency    T  monetary_value
    customer_id
    a                  2.0      6.0  6.0            35.0
    b                  0.0      0.0  5.0             0.0
    """
    unit = days_per_unit(time_unit)
    purchases = transactions_frame(
        data, customer_column=customer_column, date_column=date_column, amount_column=amount_column
    )
    if purchases.empty:
        raise InputError("no transactions to summarise", fix="import transactions first")
    daily = purchases.groupby(["customer_id", "day"], as_index=False, sort=True)["amount"].sum()
    end = _as_timestamp(calibration_end, "calibration_end") or daily["day"].max()
    holdout_end = _as_timestamp(observation_end, "observation_end")
    if holdout_end is not None and holdout_end <= end:
        raise UsageError(
            "observation_end must come after calibration_end",
            value=str(holdout_end.date()),
            parameter="observation_end",
        )
    calibration = daily[daily["day"] <= end]
    if calibration.empty:
        raise InputError(
            f"no transactions on or before {end.date()}",
            value=str(end.date()),
            fix="choose a later calibration end",
        )
    grouped = calibration.groupby("customer_id", sort=True)
    first = grouped["day"].min()
    last = grouped["day"].max()
    count = grouped["day"].count()
    total = grouped["amount"].sum()
    first_amount = calibration.groupby("customer_id", sort=True)["amount"].first()
    repeat = count - 1
    with np.errstate(invalid="ignore", divide="ignore"):
        monetary = np.where(repeat > 0, (total - first_amount) / repeat.clip(lower=1), 0.0)
    summary = pd.DataFrame(
        {
            "frequency": repeat.astype(float),
            "recency": (last - first).dt.days / unit,
            "T": (end - first).dt.days / unit,
            "monetary_value": monetary,
            "first_purchase": first,
        }
    )
    summary.index.name = "customer_id"
    if holdout_end is not None:
        holdout = daily[(daily["day"] > end) & (daily["day"] <= holdout_end)]
        holdout = holdout[holdout["customer_id"].isin(summary.index)]
        per_customer = holdout.groupby("customer_id")
        summary["holdout_frequency"] = per_customer["day"].count().reindex(summary.index)
        summary["holdout_frequency"] = summary["holdout_frequency"].fillna(0.0)
        spend = per_customer["amount"].mean().reindex(summary.index)
        summary["holdout_monetary_value"] = spend.fillna(0.0)
        summary["holdout_duration"] = (holdout_end - end).days / unit
    return summary
