"""Recency-frequency-monetary summaries: the sufficient statistics of the purchase models.

BG/NBD needs, per customer, the number of repeat purchases ``frequency`` (x), the time of the
last purchase since the first ``recency`` (t_x) and the time observed ``T``; Gamma-Gamma adds the
average value of the repeat purchases ``monetary_value``. Purchases on the same day count as one
purchase (their amounts are added), as in Fader, Hardie & Lee (2005), so the first-day basket of
a new customer is not mistaken for a repeat purchase.

A purchase's day is the day it falls on in the workspace's time zone (``timezone``; see
:mod:`advocacy.retention.purchase_days`), the zone every calibration end is read in: in a
Tokyo workspace a purchase at 08:00 local time on the 5th is a purchase of the 5th.

A negative amount is a refund, not a purchase: it makes no purchase day and no part of the
purchase values the models learn from (a refund comes days after the purchase it returns, so
netting it against its own day would only turn that day into a negative "purchase"). The
summaries count each customer's refunds (``refunds``) and take them off what the customer spent
(``spend_so_far``: purchases less refunds up to the calibration end, never below 0).

References
----------
.. [1] Fader, P. S., Hardie, B. G. S., & Lee, K. L. (2005). "Counting your customers" the easy
   way: An alternative to the Pareto/NBD model. Marketing Science, 24(2), 275-284.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ibis
import numpy as np
import pandas as pd

from advocacy.advocates.evidence import as_of_day
from advocacy.errors import InputError, UsageError
from advocacy.retention.purchase_days import purchase_day, purchase_days

#: What the calibration end is when none is given: the last purchase day, the end of the time
#: the models watch (``T``). Refunds are counted to the data's last day, a refund's own: one
#: dated after the last purchase is in ``spend_so_far`` and ``refunds`` (it was left out
#: without a word), yet it does not stretch every customer's ``T`` (one late refund would
#: otherwise lower every P(active) and halve the expected purchases).
DEFAULT_END = "the last purchase day (refunds counted to the last day of any transaction)"

#: Days in one time unit of the summaries.
TIME_UNITS: dict[str, float] = {"day": 1.0, "week": 7.0, "month": 365.25 / 12.0}

SUMMARY_COLUMNS = (
    "frequency", "recency", "T", "monetary_value", "first_purchase", "spend_so_far", "refunds",
)  # fmt: skip


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


def _date_column(columns: Any, customer_column: str, date_column: str | None, what: str) -> str:
    """The purchase-date column (default ``date``, else the workspace's ``occurred_at``), once
    it and the customer column are known to be there."""
    if date_column is None:
        date_column = next((c for c in ("date", "occurred_at") if c in columns), "date")
    for column in (customer_column, date_column):
        if column not in columns:
            raise InputError(
                f"transactions have no column {column!r}",
                column=column,
                fix=f"pass a {what} with columns {customer_column}, date and amount "
                "(or name yours with customer_column=, date_column=, amount_column=)",
            )
    return date_column


def transactions_frame(
    data: Any,
    *,
    customer_column: str = "customer_id",
    date_column: str | None = None,
    amount_column: str = "amount",
    timezone: str = "UTC",
) -> pd.DataFrame:
    """Customer, day and amount of each purchase from a DataFrame or an Ibis table.

    ``date_column`` defaults to ``date`` or, for the workspace's ``transactions`` table,
    ``occurred_at``; a missing amount column means every purchase is worth nothing (frequency
    models still work). The day is the purchase's day in ``timezone``
    (:func:`advocacy.retention.purchase_days.purchase_days`).
    """
    frame = data if isinstance(data, pd.DataFrame) else data.to_pandas()
    date_column = _date_column(frame.columns, customer_column, date_column, "frame")
    dates = purchase_days(frame[date_column], timezone)
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
            "day": dates.to_numpy(),
            "amount": amounts.to_numpy(dtype=float),
        }
    )


def _as_timestamp(value: Any, name: str, timezone: str = "UTC") -> pd.Timestamp | None:
    """The day a calibration or observation end names, at midnight (None stays None).

    Read by the one as-of parser (:func:`advocacy.advocates.evidence.as_of_day`) in
    ``timezone``, the zone the summaries cut purchase days in (a time with a zone is the day of
    that instant there).
    """
    day = as_of_day(value, timezone, name)
    return None if day is None else pd.Timestamp(day)


def summarize_transactions(
    data: Any,
    *,
    calibration_end: Any = None,
    observation_end: Any = None,
    time_unit: str = "week",
    customer_column: str = "customer_id",
    date_column: str | None = None,
    amount_column: str = "amount",
    timezone: str = "UTC",
) -> pd.DataFrame:
    """Per-customer frequency, recency, T and monetary value (one row per customer).

    An Ibis table is summarised by its engine (DuckDB, PostgreSQL, Spark): only one row per
    customer reaches pandas, so a fit needs the customers in memory, never the transactions.

    Parameters
    ----------
    data
        Transactions as a pandas DataFrame or Ibis table with customer id, date and amount.
    calibration_end
        Last day of the calibration period (inclusive); defaults to the last purchase day,
        refunds counted to the last day of any transaction (:data:`DEFAULT_END`). Customers
        whose first purchase comes later are left out.
    observation_end
        End of a hold-out period after ``calibration_end``; when given, the result also has
        ``holdout_frequency`` (purchases in the hold-out), ``holdout_monetary_value`` and
        ``holdout_duration``.
    time_unit
        ``day``, ``week`` or ``month``: the unit of recency and T.
    customer_column, date_column, amount_column
        The columns of ``data`` holding the customer, the purchase date (None: ``date``, or
        ``occurred_at`` when there is no ``date``) and the amount.
    timezone
        The IANA name of the zone whose days are purchase days and whose days the ends name
        (the workspace's ``timezone`` setting; see :mod:`advocacy.retention.purchase_days`).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``customer_id`` with ``frequency`` (repeat purchase days), ``recency``,
        ``T``, ``monetary_value`` (mean value of repeat purchases, 0 without any),
        ``first_purchase``, ``spend_so_far`` (purchases less refunds, not below 0) and
        ``refunds`` (negative amounts, set apart: not purchases); ``attrs["refunds"]`` counts
        every refund up to the calibration end, a customer with no purchase's too.

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
    if not isinstance(data, pd.DataFrame):
        return _summarize_table(
            data,
            calibration_end=calibration_end,
            observation_end=observation_end,
            time_unit=time_unit,
            columns=(customer_column, date_column, amount_column),
            timezone=timezone,
        )
    unit = days_per_unit(time_unit)
    purchases = transactions_frame(
        data,
        customer_column=customer_column,
        date_column=date_column,
        amount_column=amount_column,
        timezone=timezone,
    )
    latest = purchases["day"].max()  # the data's last day, a refund's too (see DEFAULT_END)
    returned = purchases[purchases["amount"] < 0]
    purchases = purchases[purchases["amount"] >= 0]
    if purchases.empty:
        raise InputError("no transactions to summarise", fix="import transactions first")
    daily = purchases.groupby(["customer_id", "day"], as_index=False, sort=True)["amount"].sum()
    given = _as_timestamp(calibration_end, "calibration_end", timezone)
    end = given or daily["day"].max()
    refund_end = given or latest
    holdout_end = _as_timestamp(observation_end, "observation_end", timezone)
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
    refunds = returned[returned["day"] <= refund_end].groupby("customer_id")["amount"]
    refunded = -refunds.sum().reindex(summary.index).fillna(0.0)
    summary["spend_so_far"] = (total - refunded).clip(lower=0.0)
    summary["refunds"] = refunds.count().reindex(summary.index).fillna(0).astype(np.int64)
    summary.attrs["refunds"] = int((returned["day"] <= refund_end).sum())
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


def customer_summary(per_customer: pd.DataFrame, end: pd.Timestamp, unit: float) -> pd.DataFrame:
    """The summary columns from rows of :attr:`PurchaseTable.customers`.

    Parameters
    ----------
    per_customer
        ``customer_id``, ``first_day``, ``last_day``, ``days``, ``total``, ``first_amount``
        and, when refunds were set apart, ``refunds`` and ``refunded`` (their sum, positive).
    end
        The calibration end.
    unit
        Days per time unit.

    Returns
    -------
    pandas.DataFrame
        As :func:`summarize_transactions` gives, indexed and sorted by ``customer_id``.
    """
    # Days as the pandas path has them (microsecond timestamps at midnight), whatever the engine.
    first = pd.to_datetime(per_customer["first_day"]).astype("datetime64[us]")
    last = pd.to_datetime(per_customer["last_day"]).astype("datetime64[us]")
    repeat = per_customer["days"].astype(float) - 1.0
    spent = per_customer["total"].astype(float) - per_customer["first_amount"].astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        monetary = np.where(repeat > 0, spent / repeat.clip(lower=1.0), 0.0)
    refunds = per_customer.get("refunds", pd.Series(0, index=per_customer.index))
    refunded = per_customer.get("refunded", pd.Series(0.0, index=per_customer.index))
    net = per_customer["total"].astype(float) - refunded.astype(float).fillna(0.0)
    summary = pd.DataFrame(
        {
            "frequency": repeat.to_numpy(),
            "recency": ((last - first).dt.days / unit).to_numpy(),
            "T": ((end - first).dt.days / unit).to_numpy(),
            "monetary_value": monetary,
            "first_purchase": first.to_numpy(),
            "spend_so_far": net.clip(lower=0.0).to_numpy(),
            "refunds": refunds.fillna(0).astype(np.int64).to_numpy(),
        },
        index=pd.Index(per_customer["customer_id"].astype(str), name="customer_id"),
    )
    return summary.sort_index()


@dataclass(frozen=True)
class PurchaseTable:
    """Each customer's purchase days and spend as an engine expression, not yet run.

    ``customers`` is an Ibis table of ``customer_id``, ``first_day``, ``last_day``, ``days``
    (purchase days), ``total`` and ``first_amount`` (the first day's spend), ``refunds`` (how
    many negative amounts were set apart) and ``refunded`` (their sum, positive) up to ``end``
    (given) or the data's last day (:data:`DEFAULT_END`);
    ``daily`` has one row per customer and purchase day. :meth:`summary` turns rows of
    ``customers`` into the summary columns, so the rows can come from the engine in batches
    (Spark's ``mapInPandas``) as well as all at once.
    """

    customers: Any
    daily: Any
    end: pd.Timestamp
    unit: float
    #: The refunds (negative amounts) up to ``end``, one row each, set apart from the purchases.
    returned: Any = None

    def summary(self, rows: pd.DataFrame) -> pd.DataFrame:
        """Frequency, recency, T, monetary value and first purchase of ``rows`` of customers."""
        return customer_summary(rows, self.end, self.unit)


def purchase_table(
    table: Any,
    *,
    calibration_end: Any = None,
    time_unit: str = "week",
    customer_column: str = "customer_id",
    date_column: str | None = None,
    amount_column: str = "amount",
    timezone: str = "UTC",
) -> PurchaseTable:
    """The per-customer aggregation of :func:`summarize_transactions` on an Ibis table's engine.

    Parameters
    ----------
    table
        Transactions as an Ibis table (DuckDB, PostgreSQL or Spark).
    calibration_end, time_unit, customer_column, date_column, amount_column, timezone
        As for :func:`summarize_transactions`.

    Returns
    -------
    PurchaseTable
        The expressions and the calibration end (when not given, :data:`DEFAULT_END`).

    Raises
    ------
    InputError
        When a column is missing, the dates are not timestamps or there are no transactions.
    """
    unit = days_per_unit(time_unit)
    date_column = _date_column(table.columns, customer_column, date_column, "table")
    if not table[date_column].type().is_temporal():
        raise InputError(
            f"transaction dates in column {date_column!r} are {table[date_column].type()}, "
            "not dates",
            column=date_column,
            fix="store the dates as timestamps (the workspace and its Parquet exports do)",
        )
    amount = (
        table[amount_column].cast("float64").fill_null(0.0)
        if amount_column in table.columns
        else ibis.literal(0.0)
    )
    # Purchases on one day (of the zone) are one purchase: the engine adds their amounts.
    purchases = table.select(
        customer_id=table[customer_column].cast("string"),
        day=purchase_day(table, date_column, timezone),
        amount=amount,
    )
    purchases = purchases.filter(purchases.day.notnull())
    given = _as_timestamp(calibration_end, "calibration_end", timezone)
    if given is not None:
        end = refund_end = given
    else:  # the last purchase day; refunds to the data's last day (see DEFAULT_END)
        last = purchases.aggregate(
            latest=purchases.day.max(), bought=purchases.day.max(where=purchases.amount >= 0)
        ).to_pandas()
        if last.empty or pd.isna(last["bought"].iloc[0]):
            raise InputError("no transactions to summarise", fix="import transactions first")
        end = pd.Timestamp(last["bought"].iloc[0]).normalize()
        refund_end = pd.Timestamp(last["latest"].iloc[0]).normalize()
    returned = purchases.filter(purchases.amount < 0)
    purchases = purchases.filter(purchases.amount >= 0)
    daily = purchases.group_by(["customer_id", "day"]).aggregate(amount=purchases.amount.sum())
    calibration = daily.filter(daily.day <= end.date())
    customers = calibration.group_by("customer_id").aggregate(
        first_day=calibration.day.min(),
        last_day=calibration.day.max(),
        days=calibration.count(),
        total=calibration.amount.sum(),
        first_amount=calibration.amount.argmin(calibration.day),
    )
    returned = returned.filter(returned.day <= refund_end.date())
    refunds = returned.group_by("customer_id").aggregate(
        refunds=returned.count(), refunded=-returned.amount.sum()
    )
    joined = customers.left_join(refunds, customers.customer_id == refunds.customer_id)
    customers = joined.select(
        *(customers[name] for name in customers.columns),
        refunds=refunds.refunds.fill_null(0),
        refunded=refunds.refunded.fill_null(0.0),
    )
    return PurchaseTable(customers, daily, end, unit, returned)


def _summarize_table(
    table: Any,
    *,
    calibration_end: Any,
    observation_end: Any,
    time_unit: str,
    columns: tuple[str, str | None, str],
    timezone: str,
) -> pd.DataFrame:
    """:func:`summarize_transactions` of an Ibis table, aggregated by the table's engine."""
    customer_column, date_column, amount_column = columns
    purchases = purchase_table(
        table,
        calibration_end=calibration_end,
        time_unit=time_unit,
        customer_column=customer_column,
        date_column=date_column,
        amount_column=amount_column,
        timezone=timezone,
    )
    end, unit = purchases.end, purchases.unit
    holdout_end = _as_timestamp(observation_end, "observation_end", timezone)
    if holdout_end is not None and holdout_end <= end:
        raise UsageError(
            "observation_end must come after calibration_end",
            value=str(holdout_end.date()),
            parameter="observation_end",
        )
    per_customer = purchases.customers.to_pandas()
    if per_customer.empty:
        raise InputError(
            f"no transactions on or before {end.date()}",
            value=str(end.date()),
            fix="choose a later calibration end",
        )
    summary = purchases.summary(per_customer)
    summary.attrs["refunds"] = int(purchases.returned.count().to_pyarrow().as_py())
    if holdout_end is not None:
        daily = purchases.daily
        later = daily.filter((daily.day > end.date()) & (daily.day <= holdout_end.date()))
        holdout = (
            later.group_by("customer_id")
            .aggregate(purchases=later.count(), spend=later.amount.mean())
            .to_pandas()
            .set_index("customer_id")
        )
        holdout.index = holdout.index.astype(str)
        summary["holdout_frequency"] = (
            holdout["purchases"].astype(float).reindex(summary.index).fillna(0.0)
        )
        summary["holdout_monetary_value"] = (
            holdout["spend"].astype(float).reindex(summary.index).fillna(0.0)
        )
        summary["holdout_duration"] = (holdout_end - end).days / unit
    return summary
