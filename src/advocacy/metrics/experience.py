"""The one library call behind ``ws.metrics.scores`` and ``advocacy metrics scores``.

:func:`experience_metrics` validates the request, has the database aggregate sufficient
statistics per slice (:mod:`advocacy.metrics.slicing`), then finishes scores, intervals, flags,
rolling windows and comparisons on the small aggregated frame (:mod:`advocacy.metrics.rows`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import pandas as pd

from advocacy.errors import UsageError
from advocacy.metrics.catalogue import MetricDefinition, metric_definitions
from advocacy.metrics.comparisons import CORRECTIONS
from advocacy.metrics.intervals import NPS_INTERVALS, check_confidence
from advocacy.metrics.rows import (
    StatisticsOptions,
    metric_rows,
    previous_reference,
    rest_reference,
    rolling_sums,
)
from advocacy.metrics.slicing import TableSource, aggregate_statistics, as_date, check_period

COMPARISONS = ("previous", "rest")
NPS_COLUMNS = ("promoters", "passives", "detractors")
COMPARISON_COLUMNS = ("reference_score", "change", "p_value", "p_adjusted", "verdict")


def _check_options(
    *,
    period: str | None,
    by: Sequence[str],
    compare: str | None,
    rolling: int | None,
    options: StatisticsOptions,
) -> None:
    check_confidence(options.confidence)
    if options.interval not in NPS_INTERVALS:
        raise UsageError(
            f"unknown NPS interval {options.interval!r}",
            value=options.interval,
            parameter="--interval",
            fix="use adjusted-wald or wald",
        )
    if options.correction not in CORRECTIONS:
        raise UsageError(
            f"unknown correction {options.correction!r}",
            value=options.correction,
            parameter="--correction",
            fix="use holm, bh or none",
        )
    if options.min_n < 0:
        raise UsageError(
            "the minimum n cannot be negative", value=options.min_n, parameter="--min-n"
        )
    if compare is not None and compare not in COMPARISONS:
        raise UsageError(
            f"unknown comparison {compare!r}",
            value=compare,
            parameter="--compare",
            fix="use previous (period over period) or rest (slice vs rest of company)",
        )
    if compare == "previous" and period is None:
        raise UsageError(
            "comparing with the previous period needs a period",
            parameter="--compare",
            fix="add --period month (or day, week, quarter, year)",
        )
    if compare == "rest" and not by:
        raise UsageError(
            "comparing with the rest of the company needs slices",
            parameter="--compare",
            fix="add --by unit (or another dimension)",
        )
    if rolling is not None and (period is None or rolling < 1):
        raise UsageError(
            "a rolling window needs a period and a length of at least 1",
            value=rolling,
            parameter="--rolling",
            fix="e.g. --period month --rolling 3",
        )


def experience_metrics(
    tables: TableSource,
    metrics: Sequence[str] = ("nps",),
    *,
    by: Sequence[str] = (),
    period: str | None = None,
    since: str | dt.date | None = None,
    until: str | dt.date | None = None,
    compare: str | None = None,
    rolling: int | None = None,
    weighted: bool = False,
    confidence: float = 0.95,
    min_n: int = 30,
    interval: str = "adjusted-wald",
    correction: str = "holm",
    where: Mapping[str, Sequence[str]] | None = None,
) -> pd.DataFrame:
    """Experience scores with standard errors, intervals and tests, on any slice and period.

    Parameters
    ----------
    tables
        Returns the Ibis table of a given name; the work runs on that table's engine.
    metrics
        Any of ``nps``, ``csat`` (top-2-box %), ``csat-mean``, ``top-box`` (% very satisfied),
        ``ces`` (mean, 1-7), ``ces-easy`` (% easy) and ``enps``.
    by
        Dimensions: ``unit``, ``channel``, ``touchpoint``, ``journey_stage``, ``survey``,
        ``segment``, ``region``, ``value_tier`` or ``attrs.KEY`` (a customer attribute).
    period
        ``day``, ``week``, ``month``, ``quarter`` or ``year``; None for one row per slice.
    since, until
        First and last day (inclusive, UTC) of answers to include.
    compare
        ``"previous"`` (each period against the one before, per slice) or ``"rest"`` (each slice
        against all other slices of the same period); adds ``reference_score``, ``change``,
        ``p_value``, ``p_adjusted`` and ``verdict``.
    rolling
        Score each period over the ``rolling`` periods ending with it (periods without answers
        count as empty). With ``compare="previous"`` each window is tested against the window
        ending ``rolling`` periods earlier, so the two never share answers.
    weighted
        Use the response weights (intervals then use Kish's effective sample size).
    confidence, min_n, interval, correction
        Confidence level; the minimum responses below which a row is flagged "too few
        responses"; the NPS interval (``adjusted-wald`` or ``wald``); the multiple-comparison
        correction (``holm``, ``bh`` or ``none``, applied per metric).
    where
        Keep only answers whose dimension holds one of the values (any dimension ``by`` takes),
        ``{"unit": ["North"], "segment": ["household"]}``.

    Returns
    -------
    pandas.DataFrame
        One row per metric, slice and period: ``metric``, the ``by`` columns, ``period`` (when
        asked, the date the period starts), ``n``, ``score``, ``se``, ``ci_low``, ``ci_high``,
        ``flag``; ``promoters``/``passives``/``detractors`` (NPS metrics), ``n_effective`` (when
        weighted) and the comparison columns (when comparing).

    References
    ----------
    Rocks (2016) for the NPS variance, adjusted-Wald interval and two-sample z; Wilson (1927)
    for shares; Holm (1979) and Benjamini & Hochberg (1995) for the corrections; Kish (1965) for
    the effective sample size. See the modules of :mod:`advocacy.metrics`.
    """
    definitions = metric_definitions(metrics)
    chosen_period = check_period(period)
    options = StatisticsOptions(
        confidence=confidence,
        min_n=int(min_n),
        interval=interval,
        correction=correction,
        weighted=weighted,
    )
    _check_options(period=chosen_period, by=by, compare=compare, rolling=rolling, options=options)
    first, last = as_date(since, "--since"), as_date(until, "--until")
    by = list(dict.fromkeys(by))
    statistics = {
        table: aggregate_statistics(
            tables,
            table,
            [definition for definition in definitions if definition.table == table],
            by=by,
            period=chosen_period,
            since=first,
            until=last,
            weighted=weighted,
            where=where,
        )
        for table in dict.fromkeys(definition.table for definition in definitions)
    }
    if chosen_period is not None:
        # An answer without a date belongs to no period (as in the batch, metrics.rollup).
        statistics = {
            table: stats[stats["period"].notna()].reset_index(drop=True)
            for table, stats in statistics.items()
        }
    return metrics_from_statistics(
        statistics,
        definitions,
        by=by,
        period=chosen_period,
        compare=compare,
        rolling=rolling,
        options=options,
    )


def metrics_from_statistics(
    statistics: Mapping[str, pd.DataFrame],
    definitions: Sequence[MetricDefinition],
    *,
    by: Sequence[str],
    period: str | None,
    compare: str | None,
    rolling: int | None,
    options: StatisticsOptions,
) -> pd.DataFrame:
    """Finish per-slice sufficient statistics into the frame :func:`experience_metrics` returns.

    Parameters
    ----------
    statistics
        Per table (``responses``, ``employee_responses``), the statistics of
        :func:`advocacy.metrics.slicing.aggregate_statistics` for exactly ``by`` and ``period``.
    definitions
        The metrics, in the order of the result.
    by, period, compare, rolling
        As for :func:`experience_metrics` (already validated).
    options
        Confidence, minimum n, NPS interval, correction and weighting.

    Returns
    -------
    pandas.DataFrame
        The same columns as :func:`experience_metrics`.
    """
    chosen_period, weighted = period, options.weighted
    by = list(by)
    finished: dict[str, pd.DataFrame] = {}
    for table, stats in statistics.items():
        chosen = [definition for definition in definitions if definition.table == table]
        if rolling is not None and chosen_period is not None and not stats.empty:
            stats = rolling_sums(stats, by, chosen_period, rolling)
        reference = None
        if compare == "previous" and chosen_period is not None:
            reference = previous_reference(stats, by, chosen_period, rolling or 1)
        elif compare == "rest":
            reference = rest_reference(stats, chosen_period)
        for definition in chosen:
            finished[definition.name] = metric_rows(
                stats,
                definition,
                by,
                period=chosen_period is not None,
                options=options,
                reference=reference,
                compare=compare,
            )
    frames = [finished[definition.name] for definition in definitions]
    result = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    columns = ["metric", *by, *(["period"] if chosen_period else [])]
    columns += ["n", "score", "se", "ci_low", "ci_high", "flag"]
    if any(definition.kind == "nps" for definition in definitions):
        columns += NPS_COLUMNS
        for column in NPS_COLUMNS:
            result[column] = result[column].astype("Int64")
    if weighted:
        columns.append("n_effective")
    if compare is not None:
        columns += COMPARISON_COLUMNS
    result = result.reindex(columns=columns)
    flags = result["flag"].astype(object)
    result["flag"] = flags.where(flags.notna(), None)
    return result
