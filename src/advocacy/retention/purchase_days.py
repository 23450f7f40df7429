"""Purchase days: the calendar days of the workspace's time zone that the purchase models count.

RFM, BG/NBD and Gamma-Gamma count purchase *days* (two purchases on one day are one purchase,
see :mod:`advocacy.retention.rfm`), and every ``--as-of`` and calibration end is a day of the
workspace's ``timezone`` setting (:func:`advocacy.advocates.evidence.as_of_day`). So a
purchase's day is the day its instant falls on in that zone, on every engine:

- a time with a zone (DuckDB's and PostgreSQL's ``TIMESTAMPTZ``, the workspace's
  ``occurred_at``; Spark's ``TIMESTAMP``, which is an instant; a pandas time with a zone or
  an ISO string with an offset) is converted to the zone, then cut to its date: at 08:00 in
  Tokyo on the 5th (23:00 UTC on the 4th) a Tokyo workspace counts the 5th;
- a time without a zone (``TIMESTAMP``, Spark's ``TIMESTAMP_NTZ``, a naive pandas time or a
  string such as ``1997-01-31``) is already a wall-clock time of the zone, as import reads such
  times: its own date;
- a date is that day.

In UTC the days are the UTC dates, computed exactly as before this module (no conversion).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import ibis
import numpy as np
import pandas as pd

from advocacy.advocates.evidence import time_zone


@ibis.udf.scalar.builtin(name="timezone")  # type: ignore[untyped-decorator]
def _wall_clock(zone: str, moment: dt.datetime) -> dt.datetime:  # type: ignore[empty-body]
    """DuckDB's and PostgreSQL's wall-clock time in ``zone`` of an instant (a TIMESTAMPTZ)."""


@ibis.udf.scalar.builtin(name="from_utc_timestamp")  # type: ignore[untyped-decorator]
def _spark_wall_clock(moment: dt.datetime, zone: str) -> dt.datetime:  # type: ignore[empty-body]
    """Spark's wall-clock time in ``zone`` of an instant (its session runs in UTC)."""


def is_utc(timezone: str) -> bool:
    """Whether ``timezone`` is UTC itself (its days are the UTC dates, no conversion needed);
    a name that is no time zone is refused with the fix."""
    return time_zone(timezone).key == "UTC"


def _spark_instant(table: Any, column: str) -> bool:
    """Whether Spark holds ``column`` as an instant (``TIMESTAMP``), not a wall-clock
    ``TIMESTAMP_NTZ``: Ibis gives both the same type, the session's schema tells them apart."""
    from pyspark.sql.types import TimestampType

    from advocacy.metrics.engines import spark_dataframe

    field = spark_dataframe(table.select(column)).schema[column]
    return isinstance(field.dataType, TimestampType)


def purchase_day(table: Any, column: str, timezone: str = "UTC") -> Any:
    """The Ibis expression of each row's purchase day (a date) in ``timezone``.

    Parameters
    ----------
    table
        An Ibis table on DuckDB, PostgreSQL or Spark.
    column
        Its date or timestamp column.
    timezone
        The IANA name of the zone whose days count (the workspace's ``timezone`` setting).

    Returns
    -------
    ibis.expr.types.DateColumn
        The day, by the rules of this module.
    """
    values = table[column]
    kind = values.type()
    if kind.is_date():
        return values
    if is_utc(timezone):
        return values.date()
    if ibis.get_backend(table).name == "pyspark":
        if not _spark_instant(table, column):
            return values.date()
        return _spark_wall_clock(values, timezone).date()
    if kind.timezone is None:  # a wall-clock time already
        return values.date()
    return _wall_clock(timezone, values).date()


def purchase_days(values: pd.Series, timezone: str = "UTC") -> pd.Series:
    """Each value's purchase day in ``timezone``, as a midnight without a zone (NaT where a
    value is no date).

    Parameters
    ----------
    values
        Dates, times (with a zone or without) or their ISO strings.
    timezone
        The IANA name of the zone whose days count.

    Returns
    -------
    pandas.Series
        ``datetime64`` midnights, on ``values``' index.
    """
    zone = time_zone(timezone)
    if is_utc(timezone):  # a naive time read as UTC: its own date, as in every zone
        dates = pd.to_datetime(values, utc=True, errors="coerce")
        if not (dates.isna() & values.notna()).any():
            return dates.dt.tz_localize(None).dt.normalize()
        # pandas reads every text in the first one's format: a column mixing forms (with and
        # without an offset, a date alone) is read value by value below, as in other zones
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        local: pd.Series = values.dt.tz_convert(zone).dt.tz_localize(None).dt.normalize()
        return local
    if pd.api.types.is_datetime64_dtype(values.dtype):
        wall_clock: pd.Series = values.dt.normalize()
        return wall_clock
    # each distinct value read once (dates and times of day repeat)
    codes, distinct = pd.factorize(values, use_na_sentinel=True)
    days = pd.to_datetime([_day(value, zone) for value in distinct]).to_numpy("datetime64[ns]")
    found = np.append(days, np.datetime64("NaT", "ns"))[codes]  # code -1 (a missing value): NaT
    return pd.Series(found, index=values.index, dtype="datetime64[ns]")


def _day(value: Any, zone: Any) -> Any:
    """One value's day in ``zone`` (NaT when it is no date)."""
    try:
        moment = pd.Timestamp(value)
    except (ValueError, TypeError, OverflowError):
        return pd.NaT
    if pd.isna(moment):
        return pd.NaT
    if moment.tzinfo is not None:
        moment = moment.tz_convert(zone).tz_localize(None)
    return moment.normalize()


def buyer_counts(transactions: Any, timezone: str = "UTC") -> tuple[int, int]:
    """How many customers have a transaction, and how many of them on more than one day.

    Parameters
    ----------
    transactions
        The workspace's ``transactions`` as an Ibis table (``customer_id``, ``occurred_at``).
    timezone
        The IANA name of the zone whose days count (the workspace's ``timezone`` setting).

    Returns
    -------
    tuple of int
        Buyers and repeat buyers (transactions on more than one day of the zone).
    """
    rows = transactions.filter(transactions.customer_id.notnull())
    day = purchase_day(rows, "occurred_at", timezone)
    days = rows.group_by("customer_id").aggregate(days=day.nunique())
    frame = days.aggregate(buyers=days.customer_id.count(), repeat=(days.days > 1).sum())
    counted = frame.to_pandas()
    return int(counted["buyers"].iloc[0] or 0), int(counted["repeat"].iloc[0] or 0)
