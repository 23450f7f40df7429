"""Which periods of a trend are complete, and which is "the latest period" a summary may report.

A period still under way (today falls inside it) or one the evidence stops inside (the data end
two months into a quarter: an export taken then, or a survey that stopped; its last week may
be missing, :data:`GRACE_DAYS`), or one with fewer
than ``min_n`` answers, must not speak for the business: one response dated today would otherwise
make "the latest quarter" an n=1 quarter, and July and August would be headlined as "2018 Q3,
the latest complete quarter". The latest period is therefore the latest *complete* one: ended by
today, with evidence up to its last day, and at least ``min_n`` answers; the others are kept in a
trend but marked so that a chart can hatch them or leave them out, and :func:`partial_note`
says which period the data end inside, or which days at its end a complete period lacks.

One rule, used by the overview, the report and ``advocacy metrics scores``: pass ``data_end``,
the day of the latest evidence (:func:`data_end_day` of ``Workspace.status()``'s table).

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
>>> end = dt.date(2025, 8, 31)  # the evidence stops two months into Q3
>>> latest_complete(frame.iloc[:2], "quarter", today=dt.date(2026, 1, 5), min_n=30, data_end=end)
datetime.date(2025, 4, 1)
>>> partial_note(frame.iloc[:2], "quarter", today=dt.date(2026, 1, 5), data_end=end)
'data end 2025-08-31: 2025 Q3 partial'
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from advocacy.display import period_label

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


def data_end_day(last: Any) -> dt.date | None:
    """The UTC day of the latest evidence ``last`` (a timestamp, as ``Workspace.status()`` gives
    a table's ``last``; periods are cut in UTC days), or None without evidence."""
    if last is None or (isinstance(last, float) and last != last):
        return None
    if isinstance(last, dt.datetime):
        moment: dt.datetime = last.astimezone(dt.UTC) if last.tzinfo is not None else last
        return moment.date()
    return _as_date(last)


#: Days at the end of a period the evidence may stop short of and the period still be complete
#: (at most a quarter of a short period): answers do not arrive every day (weekends, a small
#: business), and a quarter whose answers end on the 29th of June speaks for it; one missing its
#: last month (Olist's 2018 Q3) does not.
GRACE_DAYS = 7


def _grace(start: dt.date, period: str) -> dt.timedelta:
    length = (period_end(start, period) - start).days
    return dt.timedelta(days=min(GRACE_DAYS, length // 4))


def _covered(start: Any, period: str, today: dt.date, data_end: dt.date | None) -> bool:
    """Whether the period starting ``start`` has ended by ``today`` and the evidence runs to
    its end (``data_end`` in its last :data:`GRACE_DAYS` or later; None: not known, today alone
    decides)."""
    first = _as_date(start)
    end = period_end(first, period)
    if end > today:
        return False
    return data_end is None or end <= data_end + dt.timedelta(days=1) + _grace(first, period)


def partial_note(
    frame: pd.DataFrame,
    period: str,
    *,
    today: dt.date,
    data_end: dt.date | None,
    start_column: str = "period",
) -> str:
    """What the data end leaves out of a period of ``frame`` that has ended by ``today``, or ``""``.

    ``"data end 2018-08-31: 2018 Q3 partial"`` when the evidence stops inside the period (so it is
    not called complete); ``"data end 2018-08-24: the last 7 days of Aug 2018 have no answers"``
    when it stops within the period's grace (:data:`GRACE_DAYS`; the period is called complete,
    and the reader is told what it lacks).
    """
    if data_end is None or frame.empty:
        return ""
    for start in sorted({_as_date(value) for value in frame[start_column]}, reverse=True):
        end = period_end(start, period)
        if not (start <= data_end < end and end <= today):
            continue
        label = period_label(start, period)
        if not _covered(start, period, today, data_end):
            return f"data end {data_end.isoformat()}: {label} partial"
        missing = (end - data_end).days - 1
        if missing > 0:
            days = "the last day" if missing == 1 else f"the last {missing} days"
            verb = "has" if missing == 1 else "have"
            return f"data end {data_end.isoformat()}: {days} of {label} {verb} no answers"
    return ""


def period_status(
    frame: pd.DataFrame,
    period: str,
    *,
    today: dt.date,
    min_n: int,
    start_column: str = "period",
    n_column: str = "n",
    data_end: dt.date | None = None,
) -> pd.Series:
    """Per row of ``frame``: ``complete``, ``incomplete`` (``today`` is inside it or before its
    end, or the evidence stops before its end) or ``too few`` (complete, with fewer than
    ``min_n`` answers).

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
    data_end
        The day of the latest evidence (:func:`data_end_day`); a period ending after it is
        incomplete. None when it is not known (then ``today`` alone decides).

    Returns
    -------
    pandas.Series
        One label per row, on ``frame``'s index.
    """
    import pandas as pd

    labels = []
    for start, n in zip(frame[start_column], frame[n_column], strict=True):
        if not _covered(start, period, today, data_end):
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
    data_end: dt.date | None = None,
) -> dt.date | None:
    """The first day of the latest period that has ended by ``today``, with evidence up to its
    end (``data_end``), and holds at least ``min_n`` answers (summed over the rows of that
    period, when ``frame`` is sliced), or None.

    Parameters
    ----------
    frame, period, today, min_n, start_column, n_column, data_end
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
        if _covered(start, period, today, data_end) and int(n) >= min_n
    ]
    return max(good) if good else None
