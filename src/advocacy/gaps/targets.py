"""Targets: how far each metric, item, culture attribute or unit is from the value desired.

A target (``targets`` table) names a ``metric`` and a ``scope``:

- ``nps``, ``csat``, ``ces`` (customer answers in ``responses``), ``enps`` (employee answers);
- ``item:NAME`` (mean perception or rating of an item or of a whole dimension such as
  ``item:reliability``) and ``culture:ATTRIBUTE`` (mean current rating of a culture attribute);
- scope ``all`` or ``column=value`` (``unit=North``, ``touchpoint=billing``; several joined by
  ``;``).

The gap is ``desired - current`` (positive: still short), with the current value's interval
carried over. The trend compares the later half of the evidence (by date) with the earlier half:
*toward* the target when it moved in the direction of the gap, *away* when against it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from advocacy.metrics.intervals import t_interval
from advocacy.metrics.scores import nps

TableSource = Callable[[str], Any]
SCOPE_COLUMNS = ("unit", "touchpoint", "channel", "journey_stage", "survey")


@dataclass(frozen=True)
class Evidence:
    """The observations behind one metric in one scope, oldest first, and its scale."""

    values: np.ndarray[Any, np.dtype[np.float64]]
    kind: str  # "nps" (0-10 answers scored -100..100) or "mean"
    scale: tuple[float, float]


def parse_scope(scope: str | None) -> dict[str, str]:
    """``"unit=North; touchpoint=billing"`` -> {"unit": "North", "touchpoint": "billing"}."""
    if scope is None or scope.strip().lower() in ("", "all"):
        return {}
    parts: dict[str, str] = {}
    for part in scope.split(";"):
        if "=" in part:
            key, value = part.split("=", 1)
            parts[key.strip().lower()] = value.strip()
    return parts


def _filtered(table: Any, scope: dict[str, str]) -> Any:
    for key, value in scope.items():
        if key in table.columns:
            table = table.filter(table[key] == value)
    return table


def _scale(frame: pd.DataFrame, low: float, high: float) -> tuple[float, float]:
    if "scale_min" in frame and frame.scale_min.notna().any():
        low = float(frame.scale_min.min())
    if "scale_max" in frame and frame.scale_max.notna().any():
        high = float(frame.scale_max.max())
    return low, high


def metric_evidence(tables: TableSource, metric: str, scope: str | None) -> Evidence | None:
    """The ordered observations of ``metric`` in ``scope``; None for a metric we cannot measure."""
    where = parse_scope(scope)
    name = metric.strip()
    if name in ("nps", "csat", "ces"):
        responses = _filtered(tables("responses"), where)
        responses = responses.filter(responses[name].notnull()).order_by("submitted_at")
        values = responses.select(name).to_pandas()[name].to_numpy(dtype=np.float64)
        scales = {"nps": (0.0, 10.0), "csat": (1.0, 5.0), "ces": (1.0, 7.0)}
        return Evidence(values, "nps" if name == "nps" else "mean", scales[name])
    if name == "enps":
        answers = _filtered(tables("employee_responses"), where)
        answers = answers.filter(answers.enps.notnull()).order_by("submitted_at")
        return Evidence(answers.enps.to_pandas().to_numpy(dtype=np.float64), "nps", (0.0, 10.0))
    if name.startswith("item:"):
        item = name.split(":", 1)[1].strip()
        items = tables("response_items")
        items = items.filter(
            items.kind.isin(["perception", "rating"])
            & ((items.item == item) | (items.dimension == item))
        )
        responses = _filtered(tables("responses"), where).select("response_id", "submitted_at")
        per_answer = (
            items.join(responses, "response_id")
            .group_by(["response_id", "submitted_at"])
            .aggregate(
                value=items.value.mean(),
                scale_min=items.scale_min.min(),
                scale_max=items.scale_max.max(),
            )
            .order_by("submitted_at")
            .to_pandas()
        )
        return Evidence(
            per_answer.value.to_numpy(dtype=np.float64), "mean", _scale(per_answer, 1.0, 7.0)
        )
    if name.startswith("culture:"):
        attribute = name.split(":", 1)[1].strip()
        items = tables("employee_response_items")
        items = items.filter((items.kind == "current") & (items.item == attribute))
        answers = _filtered(tables("employee_responses"), where)
        joined = items.join(
            answers.select("employee_response_id", "submitted_at"), "employee_response_id"
        )
        frame = joined.order_by("submitted_at").to_pandas()
        return Evidence(frame.value.to_numpy(dtype=np.float64), "mean", _scale(frame, 1.0, 10.0))
    return None


def _estimate(
    values: np.ndarray[Any, np.dtype[np.float64]], kind: str, confidence: float
) -> tuple[float, float, float]:
    if kind == "nps":
        result = nps(values, confidence=confidence)
        return result.score, result.ci_low, result.ci_high
    variance = float(values.var(ddof=1)) if values.size > 1 else np.nan
    interval = t_interval(float(values.mean()), variance, values.size, confidence)
    return float(values.mean()), float(interval.low), float(interval.high)


def target_gaps(tables: TableSource, *, confidence: float = 0.95, min_n: int = 10) -> pd.DataFrame:
    """Every target with its current value, gap, interval, gap size and trend.

    Parameters
    ----------
    tables
        A function returning the Ibis table of a name (``Workspace.table``).
    confidence
        Confidence level of the current value's interval.
    min_n
        Fewer observations than this give no current value (status ``too few answers``).

    Returns
    -------
    pandas.DataFrame
        target_id, metric, scope, desired, due, current, ci_low, ci_high, n, gap
        (desired - current), gap_low, gap_high, gap_size (shortfall as a share of the scale's
        range, 0-1), earlier, later, trend (toward, away, flat) and status.

    Examples
    --------
    >>> import advocacy
    >>> ws = advocacy.open("advocacy.duckdb")  # doctest: +SKIP
    >>> gaps = target_gaps(ws.table)  # doctest: +SKIP
    """
    targets = tables("targets").to_pandas().sort_values("target_id", kind="stable")
    rows: list[dict[str, Any]] = []
    for target in targets.itertuples():
        row: dict[str, Any] = {
            "target_id": target.target_id,
            "metric": target.metric,
            "scope": target.scope or "all",
            "desired": float(target.desired_value),
            "due": target.due,
        }
        evidence = metric_evidence(tables, str(target.metric), target.scope)
        if evidence is None:
            rows.append({**row, "status": "not measurable from survey evidence"})
            continue
        values = evidence.values[~np.isnan(evidence.values)]
        row["n"] = int(values.size)
        if values.size < min_n:
            rows.append({**row, "status": "too few answers"})
            continue
        current, low, high = _estimate(values, evidence.kind, confidence)
        half = values.size // 2
        earlier = _estimate(values[:half], evidence.kind, confidence)[0]
        later = _estimate(values[half:], evidence.kind, confidence)[0]
        gap = row["desired"] - current
        span = 200.0 if evidence.kind == "nps" else evidence.scale[1] - evidence.scale[0]
        change = later - earlier
        threshold = 0.01 * span
        trend = "flat" if abs(change) < threshold else ("toward" if change * gap > 0 else "away")
        if gap <= 0:
            trend = "met" if abs(change) < threshold or change > 0 else "slipping"
        rows.append(
            {
                **row,
                "current": current,
                "ci_low": low,
                "ci_high": high,
                "gap": gap,
                "gap_low": row["desired"] - high,
                "gap_high": row["desired"] - low,
                "gap_size": max(gap, 0.0) / span if span > 0 else np.nan,
                "earlier": earlier,
                "later": later,
                "trend": trend,
                "status": "met"
                if gap <= 0
                else ("short" if row["desired"] > high else "within interval"),
            }
        )
    columns = [
        "target_id",
        "metric",
        "scope",
        "desired",
        "due",
        "current",
        "ci_low",
        "ci_high",
        "n",
        "gap",
        "gap_low",
        "gap_high",
        "gap_size",
        "earlier",
        "later",
        "trend",
        "status",
    ]
    return pd.DataFrame(rows).reindex(columns=columns)
