"""The experience metrics the product estimates, and the periods it slices them by.

A table of names and definitions, kept apart from :mod:`advocacy.metrics.slicing` (which builds
Ibis expressions from it) so that the CLI's help and the web's forms can list them without
importing Ibis.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from advocacy.errors import UsageError

MetricKind = Literal["nps", "share", "mean"]
PERIODS: dict[str, str] = {"day": "D", "week": "W", "month": "M", "quarter": "Q", "year": "Y"}


@dataclass(frozen=True)
class MetricDefinition:
    """One experience metric: how it is estimated, from which table, in which unit."""

    name: str
    kind: MetricKind
    table: str
    help: str
    unit: str = "points"


METRICS: dict[str, MetricDefinition] = {
    metric.name: metric
    for metric in (
        MetricDefinition("nps", "nps", "responses", "Net Promoter Score, -100..100"),
        MetricDefinition("csat", "share", "responses", "CSAT top-2-box share, % satisfied"),
        MetricDefinition(
            "csat-mean", "mean", "responses", "mean CSAT rated on a 1-5 scale", unit=""
        ),
        MetricDefinition("top-box", "share", "responses", "share 'very satisfied' (CSAT top box)"),
        MetricDefinition("ces", "mean", "responses", "mean CES on a 1-7 scale (high = easy)", ""),
        MetricDefinition("ces-easy", "share", "responses", "CES share 'easy' (top third)"),
        MetricDefinition("enps", "nps", "employee_responses", "employee NPS, -100..100"),
    )
}


def metric_definitions(names: Sequence[str]) -> list[MetricDefinition]:
    """The definitions of the metrics called ``names`` (in order, without repeats)."""
    chosen: list[MetricDefinition] = []
    for raw in names:
        name = raw.strip().lower().replace("_", "-")
        if name not in METRICS:
            raise UsageError(
                f"unknown metric {raw!r}",
                value=raw,
                parameter="--metric",
                fix="use one of: " + ", ".join(METRICS),
            )
        if METRICS[name] not in chosen:
            chosen.append(METRICS[name])
    if not chosen:
        raise UsageError("no metric asked for", parameter="--metric", fix="e.g. --metric nps")
    return chosen


__all__ = ["METRICS", "PERIODS", "MetricDefinition", "MetricKind", "metric_definitions"]
