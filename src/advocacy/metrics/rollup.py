"""Answer several ``experience_metrics`` requests from one database aggregation per table.

A dashboard asks for the same answers sliced several ways: headline scores, NPS by month, the
latest quarter against the one before, NPS by unit. Each separate call compiles an Ibis
expression (tens of milliseconds) and scans the responses again. The sufficient statistics are
sums, so one aggregation at the finest grain every request needs (the union of their
dimensions, by month, or by day when a request needs weeks or dates that do not fall on month
boundaries) can be rolled up in pandas to each request's slices and periods, then finished by
:func:`advocacy.metrics.experience.metrics_from_statistics`, exactly as a single call would be:
the same rows, scores, intervals and tests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from advocacy.metrics.catalogue import metric_definitions
from advocacy.metrics.experience import _check_options, metrics_from_statistics
from advocacy.metrics.rows import StatisticsOptions, statistic_columns
from advocacy.metrics.slicing import TableSource, aggregate_statistics, as_date, check_period

#: Periods a monthly aggregation can be rolled up to.
_MONTHLY = frozenset({"month", "quarter", "year"})


@dataclass(frozen=True)
class MetricsRequest:
    """One ``experience_metrics`` call's slicing: the same meaning as its parameters.

    Attributes
    ----------
    metrics
        The metrics to compute (``nps``, ``csat``, ``ces``, ``top-box``, ``enps``, ...).
    by
        The dimensions to slice by (``unit``, ``channel``, ``attrs.KEY``, ...).
    period
        ``day``, ``week``, ``month``, ``quarter`` or ``year``; None for one row per slice.
    since, until
        First and last day (inclusive) of answers to include.
    compare
        ``"previous"`` or ``"rest"``: what each row is tested against; None for no test.
    rolling
        Score each period over this many periods ending with it; None for single periods.

    Examples
    --------
    >>> MetricsRequest(("nps",), by=("unit",), compare="rest").period is None
    True
    """

    metrics: tuple[str, ...] = ("nps",)
    by: tuple[str, ...] = field(default=())
    period: str | None = None
    since: str | dt.date | None = None
    until: str | dt.date | None = None
    compare: str | None = None
    rolling: int | None = None


def _start(day: dt.date, period: str) -> dt.date:
    if period == "week":
        return day - dt.timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    if period == "quarter":
        return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    if period == "year":
        return dt.date(day.year, 1, 1)
    return day


def period_start(days: pd.Series, period: str) -> pd.Series:
    """The first day of the ``period`` (week from Monday) holding each date of ``days``."""
    # A grain has few distinct dates (24 months, 730 days): work out each once.
    starts = {day: _start(day, period) for day in days.unique()}
    return pd.Series([starts[day] for day in days], index=days.index, dtype=object)


def _month_aligned(first: dt.date | None, last: dt.date | None) -> bool:
    starts = first is None or first.day == 1
    ends = last is None or (last + dt.timedelta(days=1)).day == 1
    return starts and ends


def _grain(requests: Sequence[tuple[MetricsRequest, dt.date | None, dt.date | None]]) -> str | None:
    """The coarsest period every request can be rolled up from (None: no period needed)."""
    if all(r.period is None and first is None and last is None for r, first, last in requests):
        return None
    monthly = all(
        (r.period is None or r.period in _MONTHLY) and _month_aligned(first, last)
        for r, first, last in requests
    )
    return "month" if monthly else "day"


def _rolled_up(
    fine: pd.DataFrame,
    *,
    by: Sequence[str],
    period: str | None,
    first: dt.date | None,
    last: dt.date | None,
) -> pd.DataFrame:
    """``fine`` (statistics by more dimensions, per grain) summed to ``by`` and ``period``."""
    rows = fine
    if first is not None:
        rows = rows[rows["period"] >= first]
    if last is not None:
        rows = rows[rows["period"] <= last]
    columns = statistic_columns(fine)
    keys = list(by)
    if period is not None:
        # An answer without a date belongs to no period (it still counts where none is asked).
        rows = rows[rows["period"].notna()]
        rows = rows.assign(period=period_start(rows["period"], period))
        keys.append("period")
    if not keys:
        # One row over everything, zeros when there is nothing (as the database would answer).
        return pd.DataFrame({column: [rows[column].sum()] for column in columns})
    summed = rows.groupby(keys, sort=True, dropna=False)[columns].sum().reset_index()
    return summed.sort_values(keys, kind="stable").reset_index(drop=True)


def experience_metrics_batch(
    tables: TableSource,
    requests: Sequence[MetricsRequest],
    *,
    weighted: bool = False,
    confidence: float = 0.95,
    min_n: int = 30,
    interval: str = "adjusted-wald",
    correction: str = "holm",
    where: Mapping[str, Sequence[str]] | None = None,
) -> list[pd.DataFrame]:
    """The result of :func:`advocacy.metrics.experience.experience_metrics` for each request.

    Parameters
    ----------
    tables
        Returns the Ibis table of a given name; the aggregation runs on that table's engine.
    requests
        The slicings wanted (metrics, dimensions, period, dates, comparison, rolling window).
    weighted, confidence, min_n, interval, correction, where
        As for ``experience_metrics``, shared by every request.

    Returns
    -------
    list of pandas.DataFrame
        One frame per request, in order, equal to what ``experience_metrics`` returns for it.
    """
    options = StatisticsOptions(
        confidence=confidence,
        min_n=int(min_n),
        interval=interval,
        correction=correction,
        weighted=weighted,
    )
    checked = []
    for request in requests:
        period = check_period(request.period)
        by = list(dict.fromkeys(request.by))
        _check_options(
            period=period, by=by, compare=request.compare, rolling=request.rolling, options=options
        )
        first, last = as_date(request.since, "--since"), as_date(request.until, "--until")
        definitions = metric_definitions(request.metrics)
        checked.append((request, period, by, first, last, definitions))
    grain = _grain([(request, first, last) for request, _, _, first, last, _ in checked])
    # Per table: every metric read from it and every dimension a request slices it by.
    wanted: dict[str, tuple[dict[str, None], dict[str, None]]] = {}
    for _, _, by, _, _, definitions in checked:
        for definition in definitions:
            metrics, dimensions = wanted.setdefault(definition.table, ({}, {}))
            metrics[definition.name] = None
            dimensions.update(dict.fromkeys(by))
    fine = {
        table: aggregate_statistics(
            tables,
            table,
            metric_definitions(list(metrics)),
            by=list(dimensions),
            period=grain,
            weighted=weighted,
            where=where,
        )
        for table, (metrics, dimensions) in wanted.items()
    }
    results = []
    for request, period, by, first, last, definitions in checked:
        statistics = {
            table: _rolled_up(fine[table], by=by, period=period, first=first, last=last)
            for table in dict.fromkeys(definition.table for definition in definitions)
        }
        results.append(
            metrics_from_statistics(
                statistics,
                definitions,
                by=by,
                period=period,
                compare=request.compare,
                rolling=request.rolling,
                options=options,
            )
        )
    return results
