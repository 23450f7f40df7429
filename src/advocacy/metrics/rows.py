"""Finish per-slice sufficient statistics into metric rows: scores, intervals, flags and tests.

The statistics are sums, so a rolling window is a rolling sum, the previous period is the same
slice shifted by one period, and the rest of the company is the total minus the slice. All of it
runs on the small aggregated frame (one row per slice and period), never on raw responses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from advocacy.metrics.catalogue import MetricDefinition
from advocacy.metrics.comparisons import (
    adjust_p_values,
    nps_z_test,
    two_proportion_z_test,
    verdict,
    welch_t_test,
)
from advocacy.metrics.intervals import Interval, effective_sample_size
from advocacy.metrics.scores import mean_from_sums, nps_from_sums, share_from_sums

TOO_FEW = "too few responses"
_STEP = {
    "day": pd.DateOffset(days=1),
    "week": pd.DateOffset(weeks=1),
    "month": pd.DateOffset(months=1),
    "quarter": pd.DateOffset(months=3),
    "year": pd.DateOffset(years=1),
}
_FREQUENCY = {"day": "D", "week": "W-MON", "month": "MS", "quarter": "QS", "year": "YS"}


@dataclass(frozen=True)
class StatisticsOptions:
    """How scores are estimated and tested (see the settings of the same names)."""

    confidence: float = 0.95
    min_n: int = 30
    interval: str = "adjusted-wald"
    correction: str = "holm"
    weighted: bool = False


def statistic_columns(frame: pd.DataFrame) -> list[str]:
    return [column for column in frame.columns if "__" in column]


def _sum(stats: pd.DataFrame, metric: str, name: str) -> pd.Series:
    """A weighted sum of ``metric``, or its unweighted equivalent when weights were not summed."""
    weighted = f"{metric}__w{name}"
    if weighted in stats:
        return stats[weighted].astype("float64")
    plain = {"": "n", "2": "n"}.get(name, name)
    return stats[f"{metric}__{plain}"].astype("float64")


def estimate(stats: pd.DataFrame, metric: MetricDefinition, options: StatisticsOptions) -> Interval:
    """Scores, standard errors and intervals of ``metric`` for every row of ``stats``."""
    name = metric.name
    weight, squares = _sum(stats, name, ""), _sum(stats, name, "2")
    if metric.kind == "nps":
        return nps_from_sums(
            weight,
            squares,
            _sum(stats, name, "det"),
            _sum(stats, name, "pro"),
            confidence=options.confidence,
            method=options.interval,
        )
    if metric.kind == "share":
        return share_from_sums(
            weight, squares, _sum(stats, name, "hits"), confidence=options.confidence
        )
    return mean_from_sums(
        weight,
        squares,
        _sum(stats, name, "sum"),
        _sum(stats, name, "sum2"),
        confidence=options.confidence,
    )


def rolling_sums(stats: pd.DataFrame, by: Sequence[str], period: str, window: int) -> pd.DataFrame:
    """Replace each period's sums by the sums over the ``window`` periods ending with it.

    Periods without answers count as zero; periods whose whole window is empty are dropped.
    """
    columns = statistic_columns(stats)
    pieces = []
    groups = stats.groupby(list(by), sort=False, dropna=False) if by else [((), stats)]
    for key, group in groups:
        starts = pd.to_datetime(group["period"])
        grid = pd.date_range(starts.min(), starts.max(), freq=_FREQUENCY[period])
        summed = (
            group.assign(period=starts)
            .set_index("period")[columns]
            .reindex(grid, fill_value=0)
            .rolling(window, min_periods=1)
            .sum()
        )
        summed.index.name = "period"
        summed = summed.reset_index()
        summed["period"] = summed["period"].dt.date
        values: tuple[Any, ...] = key if isinstance(key, tuple) else (key,)
        for dimension, value in zip(by, values, strict=True):
            summed[dimension] = value
        pieces.append(summed)
    result = pd.concat(pieces, ignore_index=True)
    counts = [column for column in columns if column.endswith("__n")]
    result = result[result[counts].sum(axis=1) > 0]
    return result[[*by, "period", *columns]].reset_index(drop=True)


def previous_reference(
    stats: pd.DataFrame, by: Sequence[str], period: str, lag: int
) -> pd.DataFrame:
    """For each row, the sums of the same slice ``lag`` periods earlier (zero when absent).

    Both sides are matched as timestamps: a frame with no dated answers holds an empty
    ``datetime64`` column where a dated one holds ``datetime.date`` objects, and pandas refuses
    to merge the two kinds. The rows keep the ``period`` values of ``stats``.
    """
    keys = [*by, "period"]
    mine = stats[keys].copy()
    mine["period"] = pd.to_datetime(mine["period"])
    shifted = stats.copy()
    shifted["period"] = pd.to_datetime(shifted["period"]) + _STEP[period] * lag
    merged = mine.merge(shifted, on=keys, how="left")
    merged["period"] = stats["period"].to_numpy()
    columns = statistic_columns(stats)
    merged[columns] = merged[columns].fillna(0)
    return merged


def rest_reference(stats: pd.DataFrame, period: str | None) -> pd.DataFrame:
    """For each row, the sums of every other slice in the same period (total minus slice)."""
    columns = statistic_columns(stats)
    if period is None:
        totals: Any = stats[columns].sum().to_numpy()
    else:
        totals = stats.groupby("period")[columns].transform("sum").to_numpy()
    rest = stats.copy()
    rest[columns] = totals - stats[columns].to_numpy()
    return rest


def _test(
    metric: MetricDefinition,
    mine: Interval,
    theirs: Interval,
    n_mine: np.ndarray,
    n_theirs: np.ndarray,
) -> np.ndarray:
    if metric.kind == "nps":
        return nps_z_test(mine.estimate, mine.se, theirs.estimate, theirs.se)[1]
    if metric.kind == "share":
        return two_proportion_z_test(
            mine.estimate / 100.0, n_mine, theirs.estimate / 100.0, n_theirs
        )[1]
    return welch_t_test(mine.estimate, mine.se, n_mine, theirs.estimate, theirs.se, n_theirs)[1]


def metric_rows(
    stats: pd.DataFrame,
    metric: MetricDefinition,
    by: Sequence[str],
    *,
    period: bool,
    options: StatisticsOptions,
    reference: pd.DataFrame | None = None,
    compare: str | None = None,
) -> pd.DataFrame:
    """The finished rows of one metric: keys, ``n``, score, se, interval, flag (and tests)."""
    name = metric.name
    result = estimate(stats, metric, options)
    n = stats[f"{name}__n"].to_numpy(dtype="int64")
    rows = pd.DataFrame({"metric": name}, index=stats.index)
    for dimension in by:
        rows[dimension] = stats[dimension]
    if period:
        rows["period"] = stats["period"]
    rows["n"] = n
    rows["score"] = result.estimate
    rows["se"] = result.se
    rows["ci_low"] = result.low
    rows["ci_high"] = result.high
    rows["flag"] = [TOO_FEW if count < options.min_n else None for count in n]
    if metric.kind == "nps":
        det = stats[f"{name}__det"].to_numpy(dtype="int64")
        pro = stats[f"{name}__pro"].to_numpy(dtype="int64")
        rows["promoters"], rows["passives"], rows["detractors"] = pro, n - det - pro, det
    n_effective = effective_sample_size(_sum(stats, name, ""), _sum(stats, name, "2"))
    if options.weighted:
        rows["n_effective"] = n_effective
    if reference is None or compare is None:
        return rows
    theirs = estimate(reference, metric, options)
    n_theirs = effective_sample_size(_sum(reference, name, ""), _sum(reference, name, "2"))
    p_values = _test(metric, result, theirs, n_effective, n_theirs)
    p_values = np.where(np.isnan(theirs.estimate) | np.isnan(result.estimate), np.nan, p_values)
    adjusted = adjust_p_values(p_values, options.correction)
    enough = (n >= options.min_n) & (reference[f"{name}__n"].to_numpy() >= options.min_n)
    change = result.estimate - theirs.estimate
    # Better or worse, not up or down: which way is good is the metric's (higher CES is easier).
    words = ("better", "worse") if metric.higher_is_better else ("worse", "better")
    directions = words
    if compare != "previous":
        directions = (f"{words[0]} than the rest", f"{words[1]} than the rest")
    rows["reference_score"] = theirs.estimate
    rows["change"] = change
    rows["p_value"] = p_values
    rows["p_adjusted"] = adjusted
    rows["verdict"] = [
        verdict(
            float(c),
            float(p),
            alpha=1.0 - options.confidence,
            unit=metric.unit,
            directions=directions,
            enough=bool(e),
        )
        for c, p, e in zip(change, adjusted, enough, strict=True)
    ]
    return rows
