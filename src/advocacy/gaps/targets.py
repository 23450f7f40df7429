"""Targets: how far each metric, item, culture attribute or unit is from the value desired.

A target (``targets`` table) names a ``metric`` and a ``scope``:

- an experience metric of ``advocacy metrics scores``, measured as it measures it: ``nps``,
  ``csat`` (% satisfied, top-2 box), ``csat-mean`` (mean on 1-5), ``top-box`` (% very satisfied),
  ``ces`` (mean on 1-7), ``ces-easy`` (% easy) from the customer answers in ``responses``, and
  ``enps`` from the employee answers; a share's target is a percentage, and one written as a
  fraction reads as one (0.85 is 85%: :mod:`advocacy.ingest.target_values`);
- ``item:NAME`` (mean perception or rating of an item or of a whole dimension such as
  ``item:reliability``) and ``culture:ATTRIBUTE`` (mean current rating of a culture attribute);
- scope ``all`` or ``column=value`` (``unit=North``, ``touchpoint=billing``; several joined by
  ``;``).

The gap is ``desired - current`` (positive: still short), with the current value's interval
carried over. The trend compares the later half of the evidence (by date) with the earlier half:
*toward* the target when it moved in the direction of the gap, *away* when against it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from advocacy.ingest.target_values import desired_value, metric_name
from advocacy.metrics.catalogue import METRICS
from advocacy.metrics.intervals import t_interval
from advocacy.metrics.scores import nps, share_from_sums
from advocacy.metrics.slicing import _metric_parts

TableSource = Callable[[str], Any]
SCOPE_COLUMNS = ("unit", "touchpoint", "channel", "journey_stage", "survey")
#: The metrics of customer answers a target may name: those ``metrics scores`` estimates.
_OUTCOMES = tuple(name for name, metric in METRICS.items() if metric.table == "responses")
#: The scale of each kind of estimate (a mean's is its metric's: 1-5 for CSAT, 1-7 for CES).
_SCALES = {"nps": (0.0, 10.0), "share": (0.0, 100.0), "csat-mean": (1.0, 5.0), "ces": (1.0, 7.0)}


@dataclass(frozen=True)
class Evidence:
    """The observations behind one metric in one scope, oldest first, and its scale."""

    values: np.ndarray[Any, np.dtype[np.float64]]
    kind: str  # "nps" (0-10 answers scored -100..100), "share" (0 or 100 per answer) or "mean"
    scale: tuple[float, float]


def _outcome_values(table: Any, name: str) -> Any:
    """Per answer of ``table``, what metric ``name`` counts (as ``metrics scores`` does): the
    0-10 answer for NPS, 100 or 0 for a share's hit or miss, the rescaled rating for a mean;
    NULL where the answer does not count."""
    metric = METRICS[name]
    if metric.kind == "nps":
        return table[name].cast("float64").name(name)
    valid, parts = _metric_parts(table, metric)
    value = parts["hits"].ifelse(100.0, 0.0) if "hits" in parts else parts["value"]
    return valid.ifelse(value.cast("float64"), None).name(name)


def _outcome_evidence(values: Any, name: str) -> Evidence:
    metric = METRICS[name]
    scale = _SCALES.get(name, _SCALES.get(metric.kind, (0.0, 10.0)))
    return Evidence(np.asarray(values, dtype=np.float64), metric.kind, scale)


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


def text_columns(table: Any, keys: Collection[str]) -> list[str]:
    """Of the scope ``keys``, the text columns of the Ibis ``table``, in order: those a fetched
    copy of the table can be filtered on in pandas exactly as the database would."""
    schema = table.schema()
    return [key for key in dict.fromkeys(keys) if key in schema and schema[key].is_string()]


def scoped_rows(frame: pd.DataFrame, scope: dict[str, str], table: Any) -> pd.DataFrame | None:
    """The rows of ``frame`` (fetched from the Ibis ``table``) in ``scope``, as
    :func:`_filtered` would select them; None when the scope names a column of the table
    that the frame lacks (then the caller queries the table instead)."""
    for key, value in scope.items():
        if key not in table.columns:
            continue  # a scope on a column the table does not have does not limit it
        if key not in frame.columns:
            return None
        frame = frame[frame[key] == value]
    return frame


class EvidenceReader:
    """The evidence of many targets, reading each answers table once.

    Targets on ``nps``, ``csat``, ``ces`` and ``enps`` (most of a register's) filter one copy of
    ``responses`` or ``employee_responses``, fetched in date order with the text columns their
    scopes name, instead of querying the database once each; the others query as
    :func:`metric_evidence` does.

    Parameters
    ----------
    tables
        A function returning the Ibis table of a name (``Workspace.table``).
    keys
        The scope columns the targets name (:func:`parse_scope`).
    """

    def __init__(self, tables: TableSource, keys: Collection[str]) -> None:
        self._tables = tables
        self._keys = list(keys)
        self._fetched: dict[str, tuple[Any, pd.DataFrame]] = {}

    def _answers(self, name: str, values: Sequence[str]) -> tuple[Any, pd.DataFrame]:
        if name not in self._fetched:
            table = self._tables(name)
            keys = text_columns(table, self._keys)
            columns = {value: _outcome_values(table, value) for value in values}
            ordered = table.order_by("submitted_at")
            frame = ordered.select(*keys, **columns).to_pandas()
            self._fetched[name] = (table, frame)
        return self._fetched[name]

    def evidence(self, metric: str, scope: str | None) -> Evidence | None:
        """What :func:`metric_evidence` returns for ``metric`` in ``scope``."""
        name = metric_name(metric)
        if name in _OUTCOMES:
            table, frame = self._answers("responses", _OUTCOMES)
        elif name == "enps":
            table, frame = self._answers("employee_responses", ["enps"])
        else:
            return metric_evidence(self._tables, metric, scope)
        rows = scoped_rows(frame, parse_scope(scope), table)
        if rows is None:
            return metric_evidence(self._tables, metric, scope)
        return _outcome_evidence(rows[name].dropna(), name)


def _scale(frame: pd.DataFrame, low: float, high: float) -> tuple[float, float]:
    if "scale_min" in frame and frame.scale_min.notna().any():
        low = float(frame.scale_min.min())
    if "scale_max" in frame and frame.scale_max.notna().any():
        high = float(frame.scale_max.max())
    return low, high


def metric_evidence(tables: TableSource, metric: str, scope: str | None) -> Evidence | None:
    """The ordered observations of ``metric`` in ``scope``; None for a metric we cannot measure."""
    where = parse_scope(scope)
    name = metric_name(metric)
    if name in METRICS:
        answers = _filtered(tables(METRICS[name].table), where).order_by("submitted_at")
        values = answers.select(_outcome_values(answers, name)).to_pandas()[name]
        return _outcome_evidence(values.dropna(), name)
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
    if kind == "share":  # Wilson, as ``metrics scores`` gives it
        share = share_from_sums(values.size, values.size, (values > 0).sum(), confidence=confidence)
        return float(share.estimate), float(share.low), float(share.high)
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
    reader = EvidenceReader(tables, [key for s in targets.scope for key in parse_scope(s)])
    rows: list[dict[str, Any]] = []
    for target in targets.itertuples():
        row: dict[str, Any] = {
            "target_id": target.target_id,
            "metric": target.metric,
            "scope": target.scope or "all",
            "desired": desired_value(str(target.metric), float(target.desired_value)),
            "due": target.due,
        }
        evidence = reader.evidence(str(target.metric), target.scope)
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
