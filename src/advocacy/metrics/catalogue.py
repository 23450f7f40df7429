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
    """One experience metric: how it is estimated, from which table, in which unit, and how people
    read it.

    ``label`` is the name shown to people, with the scale and the good direction where the name
    alone leaves them open (CES is rated so that *higher is easier*: a "mean effort" label made a
    falling CES read as good news). ``higher_is_better`` turns a change into "better" or "worse"
    (:func:`advocacy.display.change_word`) instead of "up" or "down".

    Examples
    --------
    >>> METRICS["ces"].label, METRICS["ces"].direction
    ('CES (ease, 1-7)', 'higher is easier')
    """

    name: str
    kind: MetricKind
    table: str
    help: str
    unit: str = "points"
    label: str = ""
    higher_is_better: bool = True
    #: The good direction in words ("higher is better", "higher is easier").
    direction: str = "higher is better"


METRICS: dict[str, MetricDefinition] = {
    metric.name: metric
    for metric in (
        MetricDefinition("nps", "nps", "responses", "Net Promoter Score, -100..100", label="NPS"),
        MetricDefinition(
            "csat",
            "share",
            "responses",
            "CSAT top-2-box share, % satisfied",
            label="CSAT (% satisfied)",
        ),
        MetricDefinition(
            "csat-mean",
            "mean",
            "responses",
            "mean CSAT rated on a 1-5 scale",
            unit="",
            label="CSAT (mean, 1-5)",
        ),
        MetricDefinition(
            "top-box",
            "share",
            "responses",
            "share 'very satisfied' (CSAT top box)",
            label="Top box (% very satisfied)",
        ),
        MetricDefinition(
            "ces",
            "mean",
            "responses",
            "mean CES on a 1-7 scale, higher is easier",
            unit="",
            label="CES (ease, 1-7)",
            direction="higher is easier",
        ),
        MetricDefinition(
            "ces-easy",
            "share",
            "responses",
            "CES share 'easy' (top third), higher is easier",
            label="CES (% easy)",
            direction="higher is easier",
        ),
        MetricDefinition(
            "enps", "nps", "employee_responses", "employee NPS, -100..100", label="eNPS"
        ),
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
