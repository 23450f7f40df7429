"""Did it work? A plan's metric measured over a window, and the movement between two windows.

An action plan targets one metric (NPS, CSAT, CES, top-box, eNPS, or the share of comments that
mention a theme) in one scope (a unit, a touchpoint, a theme's commenters). :func:`measure` scores
that metric over a date window from sufficient statistics the database aggregates, with the same
estimators and intervals as ``advocacy metrics scores``; :func:`movement` compares two windows:

- NPS and eNPS: difference of two independent NPS, its standard error from Rocks' trinomial
  variance (``sqrt(se1^2 + se2^2)``), the Wald interval and the z test of
  :func:`advocacy.metrics.comparisons.nps_z_test`;
- means (CSAT mean, CES): Welch's unequal-variance t interval and test;
- shares (CSAT top-2-box, top-box, CES easy, theme share): Newcombe's hybrid score interval built
  from the two Wilson intervals, and the two-proportion z test.

The verdict reads the interval in the metric's better direction: every experience metric is better
higher (CES is scored 1-7 with 7 = easy), a theme's share of comments is better lower (plans aim
to make a complaint rarer).

References
----------
.. [1] Rocks, B. (2016). Interval Estimation for the "Net Promoter Score". The American
   Statistician, 70(4), 365-372.
.. [2] Newcombe, R. G. (1998). Interval estimation for the difference between independent
   proportions: comparison of eleven methods. Statistics in Medicine, 17(8), 873-890 (method 10).
.. [3] Welch, B. L. (1947). The generalization of "Student's" problem when several different
   population variances are involved. Biometrika, 34(1-2), 28-35.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

from advocacy.ingest.target_values import METRIC_RANGES
from advocacy.loop.plans.fields import THEME_SHARE
from advocacy.metrics.catalogue import METRICS, MetricDefinition
from advocacy.metrics.comparisons import (
    nps_z_test,
    two_proportion_z_test,
    welch_freedom,
    welch_t_test,
)
from advocacy.metrics.intervals import newcombe_difference, t_critical, z_critical
from advocacy.metrics.rows import StatisticsOptions, estimate
from advocacy.metrics.scores import share_from_sums
from advocacy.metrics.slicing import aggregate_statistics

TableSource = Callable[[str], Any]
#: Scope keys a plan's metric may be filtered by (``theme``: answers whose comment mentions it).
FILTER_KEYS: tuple[str, ...] = ("unit", "touchpoint", "channel", "journey_stage", "survey", "theme")
VERDICTS = ("improved", "worsened", "no clear change", "too early", "no baseline")


@dataclass(frozen=True)
class Measurement:
    """A metric over one date window: value, standard error, interval and responses behind it."""

    value: float | None
    se: float | None
    ci_low: float | None
    ci_high: float | None
    n: int
    since: dt.date
    until: dt.date

    def to_dict(self) -> dict[str, Any]:
        record = asdict(self)
        record["since"], record["until"] = self.since.isoformat(), self.until.isoformat()
        return record

    @classmethod
    def from_dict(cls, record: Mapping[str, Any]) -> Measurement:
        def number(key: str) -> float | None:
            value = record.get(key)
            return None if value is None else float(value)

        return cls(
            value=number("value"),
            se=number("se"),
            ci_low=number("ci_low"),
            ci_high=number("ci_high"),
            n=int(record.get("n") or 0),
            since=dt.date.fromisoformat(str(record["since"])),
            until=dt.date.fromisoformat(str(record["until"])),
        )


@dataclass(frozen=True)
class Movement:
    """Current minus baseline, its interval and two-sided p-value, and the verdict."""

    change: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    verdict: str


def better_direction(metric: str) -> str:
    """``"higher"`` when a larger value of ``metric`` is better, else ``"lower"``."""
    return "lower" if metric == THEME_SHARE else "higher"


def metric_kind(metric: str) -> str:
    """``nps``, ``share`` or ``mean``: which estimator (and which difference interval) applies."""
    return "share" if metric == THEME_SHARE else METRICS[metric].kind


def metric_range(metric: str) -> tuple[float, float]:
    """The values ``metric`` can take (targets outside it are refused): those of a target on it
    (:data:`advocacy.ingest.target_values.METRIC_RANGES`), 0-100 for a theme's share."""
    return (0.0, 100.0) if metric == THEME_SHARE else METRIC_RANGES[metric]


def _number(value: Any) -> float | None:
    number = float(value)
    return None if math.isnan(number) else number


def _scoped(tables: TableSource, where: Mapping[str, str]) -> TableSource:
    """``tables`` with the answers limited to the plan's scope (unit, touchpoint, theme...)."""

    def source(name: str) -> Any:
        table = tables(name)
        if name not in ("responses", "employee_responses"):
            return table
        for key, value in where.items():
            if key == "theme":
                table = table.filter(table.response_id.isin(_theme_documents(tables, value)))
            elif key in table.columns:
                table = table.filter(table[key] == value)
        return table

    return source


def _theme_documents(tables: TableSource, theme_id: str) -> Any:
    documents = tables("document_themes")
    chosen = documents.filter(
        (documents.document_kind == "response") & (documents.theme_id == theme_id)
    )
    return chosen.document_id


def _day(t: Any) -> Any:
    return t.submitted_at.date()


def _theme_share(
    tables: TableSource,
    theme_id: str,
    where: Mapping[str, str],
    since: dt.date,
    until: dt.date,
    confidence: float,
) -> Measurement:
    answers = _scoped(tables, {k: v for k, v in where.items() if k != "theme"})("responses")
    answers = answers.filter(answers.comment.notnull() & (answers.comment.strip().length() > 0))
    answers = answers.filter((_day(answers) >= since) & (_day(answers) <= until))
    mentions = answers.response_id.isin(_theme_documents(tables, theme_id))
    counts = answers.aggregate(n=answers.count(), hits=mentions.ifelse(1, 0).sum()).to_pandas()
    n = int(counts.n.iloc[0] or 0)
    hits = int(0 if pd.isna(counts.hits.iloc[0]) else counts.hits.iloc[0])
    if n == 0:
        return Measurement(None, None, None, None, 0, since, until)
    result = share_from_sums(n, n, hits, confidence=confidence)
    return Measurement(
        _number(result.estimate[()]),
        _number(result.se[()]),
        _number(result.low[()]),
        _number(result.high[()]),
        n,
        since,
        until,
    )


def measure(
    tables: TableSource,
    metric: str,
    where: Mapping[str, str],
    *,
    since: dt.date,
    until: dt.date,
    confidence: float = 0.95,
    interval: str = "adjusted-wald",
    theme: str | None = None,
) -> Measurement:
    """``metric`` over the answers in scope ``where`` dated ``since``..``until`` (inclusive, UTC).

    Parameters
    ----------
    tables
        Returns the Ibis table of a name (e.g. ``Database.ibis.table``).
    metric
        One of :data:`PLAN_METRICS`.
    where
        Scope: ``unit``, ``touchpoint``, ``channel``, ``journey_stage``, ``survey`` equal to a
        value, or ``theme``: answers whose comment mentions the theme.
    since, until
        The window's first and last day.
    confidence, interval
        Confidence level and NPS interval (``adjusted-wald`` or ``wald``).
    theme
        The theme whose share of comments ``theme-share`` measures.

    Returns
    -------
    Measurement
        Value (NPS -100..100, shares in percent, means on the rating scale), standard error,
        interval and responses; value None when the window holds no answers.
    """
    if metric == THEME_SHARE:
        return _theme_share(tables, str(theme), where, since, until, confidence)
    definition: MetricDefinition = METRICS[metric]
    frame = aggregate_statistics(
        _scoped(tables, where), definition.table, [definition], since=since, until=until
    )
    n = int(frame[f"{metric}__n"].iloc[0]) if not frame.empty else 0
    if n == 0:
        return Measurement(None, None, None, None, 0, since, until)
    options = StatisticsOptions(confidence=confidence, interval=interval)
    result = estimate(frame, definition, options)
    return Measurement(
        _number(result.estimate[0]),
        _number(result.se[0]),
        _number(result.low[0]),
        _number(result.high[0]),
        n,
        since,
        until,
    )


def _difference(
    metric: str, baseline: Measurement, current: Measurement, confidence: float
) -> tuple[float, float, float, float]:
    """(change, low, high, p) of current minus baseline; both must have values."""
    b, c = float(baseline.value or 0.0), float(current.value or 0.0)
    b_se, c_se = float(baseline.se or 0.0), float(current.se or 0.0)
    change = c - b
    kind = metric_kind(metric)
    if kind == "nps":
        # Rocks [1]: independent samples, so the variances of the two NPS add.
        _, p = nps_z_test(c, c_se, b, b_se)
        half = z_critical(confidence) * math.hypot(b_se, c_se)
        return change, change - half, change + half, float(p)
    if kind == "share":
        # Newcombe's method 10 [2] from the counts behind the shares (unweighted).
        hits, before = round(c * current.n / 100.0), round(b * baseline.n / 100.0)
        _, low, high = newcombe_difference(
            hits, current.n, before, baseline.n, confidence=confidence
        )
        _, p = two_proportion_z_test(c / 100.0, current.n, b / 100.0, baseline.n)
        return change, 100.0 * low, 100.0 * high, float(p)
    # Welch [3]: unequal variances, Welch-Satterthwaite degrees of freedom.
    if b_se == 0.0 and c_se == 0.0:
        # Every answer alike in each window: the change is exact, not a division by zero.
        return change, change, change, 0.0 if change else 1.0
    _, p = welch_t_test(c, c_se, current.n, b, b_se, baseline.n)
    freedom = welch_freedom(c_se, current.n, b_se, baseline.n)
    half = float(t_critical(confidence, freedom)) * math.hypot(b_se, c_se)
    return change, change - half, change + half, float(p)


def movement(
    metric: str,
    baseline: Measurement,
    current: Measurement,
    *,
    confidence: float = 0.95,
    min_n: int = 30,
) -> Movement:
    """Current minus baseline with its interval, and the verdict.

    The verdict is ``"no baseline"`` when the baseline window held no answers, ``"too early"``
    when the current window holds fewer than ``min_n``, ``"improved"`` or ``"worsened"`` when
    the interval excludes 0 (read in :func:`better_direction`), else ``"no clear change"``.
    """
    if baseline.value is None or baseline.n < 2:
        return Movement(None, None, None, None, "no baseline")
    if current.value is None or current.n < 2:
        return Movement(None, None, None, None, "too early")
    change, low, high, p = _difference(metric, baseline, current, confidence)
    clean = [None if math.isnan(x) else x for x in (low, high, p)]
    if current.n < min_n:
        return Movement(change, clean[0], clean[1], clean[2], "too early")
    if clean[0] is None or clean[1] is None:
        return Movement(change, None, None, clean[2], "no clear change")
    sign = 1.0 if better_direction(metric) == "higher" else -1.0
    if low <= 0 <= high:
        word = "no clear change"
    elif (low > 0) == (sign > 0):
        word = "improved"
    else:
        word = "worsened"
    return Movement(change, low, high, p, word)
