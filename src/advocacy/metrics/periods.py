"""Which periods of a trend are complete, and which is "the latest period" a summary may report.

A period still under way (today falls inside it, or it ends after the latest evidence) or one
with fewer than ``min_n`` answers must not speak for the business: one response dated today
would otherwise make "the latest quarter" an n=1 quarter, and its score a headline. The latest
period is therefore the latest *complete* one with at least ``min_n`` answers; the others are
kept in a trend but marked so that a chart can hatch them or leave them out.

Examples
--------
>>> import datetime as dt, pandas as pd
>>> frame = pd.DataFrame({
...     "period": [dt.date(2025, 4, 1), dt.date(2025, 7, 1), dt.date(2025, 10, 1)],
...     "n": [240, 236, 1]})
>>> period_status(frame, "quarter", today=dt.date(2025, 10, 2), min_n=30).tolist()
['complete', 'complete', 'incomplete']
>>> latest_complete(frame, "quarter", today=dt.date(2025, 10, 2), min_n=30)
datetime.date(2025, 7, 1)
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

#: What :func:`period_status` calls each period.
COMPLETE, INCOMPLETE, TOO_FEW = "complete", "incomplete", "too few"


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def period_end(start: Any, period: str) -> dt.date:
    """The first day after the ``period`` that starts on ``start``.

    >>> period_end("2025-10-01", "quarter"), period_end("2025-12-01", "month")
    (datetime.date(2026, 1, 1), datetime.date(2026, 1, 1))
    """
    day = _as_date(start)
    if period == "day":
        return day + dt.timedelta(days=1)
    if period == "week":
        return day + dt.timedelta(days=7)
    months = {"month": 1, "quarter": 3, "year": 12}.get(period)
    if months is None:
        raise ValueError(f"unknown period {period!r}: use day, week, month, quarter or year")
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def period_status(
    frame: pd.DataFrame,
    period: str,
    *,
    today: dt.date,
    min_n: int,
    start_column: str = "period",
    n_column: str = "n",
) -> pd.Series:
    """Per row of ``frame``: ``complete``, ``incomplete`` (``today`` is inside it or before its
    end) or ``too few`` (complete, with fewer than ``min_n`` answers).

    Parameters
    ----------
    frame
        A trend: one row per period (and slice), with the period's first day and its count.
    period
        The grain: day, week, month, quarter or year.
    today
        The day the reader stands on (in the workspace's time zone).
    min_n
        The fewest answers a period may report (``Settings.min_n``).
    start_column, n_column
        The columns holding each period's first day and its number of answers.

    Returns
    -------
    pandas.Series
        One label per row, on ``frame``'s index.
    """
    import pandas as pd

    labels = []
    for start, n in zip(frame[start_column], frame[n_column], strict=True):
        if period_end(start, period) > today:
            labels.append(INCOMPLETE)
        elif pd.isna(n) or int(n) < min_n:
            labels.append(TOO_FEW)
        else:
            labels.append(COMPLETE)
    return pd.Series(labels, index=frame.index, dtype=object)


def latest_complete(
    frame: pd.DataFrame,
    period: str,
    *,
    today: dt.date,
    min_n: int,
    start_column: str = "period",
    n_column: str = "n",
) -> dt.date | None:
    """The first day of the latest period that has ended by ``today`` and holds at least
    ``min_n`` answers (summed over the rows of that period, when ``frame`` is sliced), or None.

    Parameters
    ----------
    frame, period, today, min_n, start_column, n_column
        As for :func:`period_status`.

    Returns
    -------
    datetime.date or None
        The period's first day.
    """
    if frame.empty:
        return None
    starts = frame[start_column].map(_as_date)
    totals = frame[n_column].fillna(0).groupby(starts.to_numpy()).sum()
    good: list[dt.date] = [
        _as_date(start)
        for start, n in totals.items()
        if period_end(start, period) <= today and int(n) >= min_n
    ]
    return max(good) if good else None
