"""Vega-Lite specs of the web app's charts, rendered in the browser by vega-embed.

Each spec carries its data inline, so a page needs no second request and the same dict can be
handed to :func:`advocacy.report.section.chart_svg` to draw the chart in a report.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from advocacy import display
from advocacy.records import frame_records

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
#: Vega writes an ARIA label on every mark and axis, cutting long values mid-way (a planted
#: name would be shown altered); the figure's own label describes the chart instead.
NO_MARK_LABELS = {"aria": False}
#: Names of the metrics on chart axes.
TITLE_OF = {"nps": "NPS", "csat": "CSAT %", "top-box": "Top box %", "ces": "CES", "enps": "eNPS"}


def trend_spec(
    frame: pd.DataFrame,
    *,
    metric: str,
    period: str,
    links: list[str] | None = None,
) -> dict[str, Any]:
    """Score per period (one line per slice) inside its interval band.

    ``frame`` is a trend from :func:`advocacy.present.web.overview.trend_frame`: ``label``,
    ``period``, ``slice``, ``score``, ``ci_low``, ``ci_high``, ``n`` and ``status``. Only
    complete periods are joined by the line and the band; a period still under way or with
    too few answers is drawn as a hollow point outside them, so it cannot pass for a trend. A
    slice with a single complete period is a point, not a line. ``links`` (one per row) make
    each point open the answers behind it.
    """
    rows = []
    for index, row in enumerate(frame.to_dict("records")):
        rows.append(
            {
                "label": row["label"],
                "slice": str(row["slice"]),
                "score": None if display.missing(row["score"]) else float(row["score"]),
                "ci_low": None if display.missing(row["ci_low"]) else float(row["ci_low"]),
                "ci_high": None if display.missing(row["ci_high"]) else float(row["ci_high"]),
                "status": str(row["status"]),
                "complete": row["status"] == "complete",
                "estimate": display.estimate(row["score"], row["ci_low"], row["ci_high"]),
                "n": display.number(int(row["n"])),
                **({"href": links[index]} if links else {}),
            }
        )
    order = [
        label
        for _, label in sorted(
            {(str(row["period"]), row["label"]) for row in frame.to_dict("records")}
        )
    ]
    slices = list(dict.fromkeys(str(value) for value in frame["slice"])) if len(frame) else []
    x = {"field": "label", "type": "ordinal", "title": period.capitalize(), "sort": order}
    colour: dict[str, Any] = (
        {"field": "slice", "type": "nominal", "title": None, "sort": slices}
        if len(slices) > 1
        else {"value": "#1f4e79"}
    )
    complete = {"filter": "datum.complete"}
    tooltip = [
        {"field": "slice", "title": "slice"},
        {"field": "label", "title": period},
        {"field": "estimate", "title": TITLE_OF.get(metric, metric.upper())},
        {"field": "n", "title": "answers"},
        {"field": "status", "title": "period"},
    ]
    points: dict[str, Any] = {
        "mark": {"type": "point", "size": 60, "strokeWidth": 2},
        "encoding": {
            "x": x,
            "y": {"field": "score", "type": "quantitative"},
            "color": colour,
            "fill": {
                "condition": {"test": "datum.complete", **colour},
                "value": "#ffffff",
            }
            if "field" in colour
            else {"condition": {"test": "datum.complete", "value": "#1f4e79"}, "value": "#fff"},
            "strokeDash": {
                "condition": {"test": "datum.complete", "value": [1, 0]},
                "value": [2, 2],
            },
            "tooltip": tooltip,
            **({"href": {"field": "href"}} if links else {}),
        },
    }
    return {
        "$schema": SCHEMA,
        "config": NO_MARK_LABELS,
        "description": f"{TITLE_OF.get(metric, metric.upper())} by {period} with interval bands",
        "width": "container",
        "height": 240,
        "data": {"values": rows},
        "layer": [
            {
                "transform": [complete],
                "mark": {"type": "area", "opacity": 0.18},
                "encoding": {
                    "x": x,
                    "y": {
                        "field": "ci_low",
                        "type": "quantitative",
                        "title": TITLE_OF.get(metric, metric.upper()),
                        "scale": {"zero": False},
                    },
                    "y2": {"field": "ci_high"},
                    # One legend, the lines': a band's paler swatch would list each slice twice.
                    "color": {**colour, "legend": None} if "field" in colour else colour,
                    **({"detail": {"field": "slice"}} if len(slices) > 1 else {}),
                },
            },
            {
                "transform": [complete],
                "mark": {"type": "line", "strokeWidth": 2},
                "encoding": {
                    "x": x,
                    "y": {"field": "score", "type": "quantitative"},
                    "color": colour,
                    **({"detail": {"field": "slice"}} if len(slices) > 1 else {}),
                },
            },
            points,
        ],
    }


def waves_spec(
    frame: pd.DataFrame, *, metric: str = "enps", slices: bool = False
) -> dict[str, Any]:
    """A score per survey wave as a point with its interval bar, no line between waves: a
    survey asked in March and September says nothing about the months between.

    ``frame`` is ``ws.metrics.waves``': ``label`` (the wave's dates), ``start``, ``score``,
    ``ci_low``, ``ci_high``, ``n`` and ``verdict``; with ``slices``, also ``slice`` (a unit),
    whose points sit side by side in each wave, one colour per slice.
    """
    rows = [
        {
            "slice": str(row.get("slice", "")),
            "label": str(row["label"]),
            "score": None if display.missing(row["score"]) else float(row["score"]),
            "ci_low": None if display.missing(row["ci_low"]) else float(row["ci_low"]),
            "ci_high": None if display.missing(row["ci_high"]) else float(row["ci_high"]),
            "estimate": display.estimate(row["score"], row["ci_low"], row["ci_high"]),
            "n": display.number(int(row["n"])),
            "verdict": "" if display.missing(row["verdict"]) else str(row["verdict"]),
        }
        for row in frame.sort_values("start").to_dict("records")
    ]
    title = TITLE_OF.get(metric, metric.upper())
    x = {
        "field": "label",
        "type": "ordinal",
        "title": "Survey wave",
        "sort": None,
        "axis": {"labelAngle": 0, "labelLimit": 140},
    }
    by_slice: dict[str, Any] = {}
    if slices:
        by_slice = {
            "xOffset": {"field": "slice", "type": "nominal"},
            "color": {"field": "slice", "type": "nominal", "title": None},
        }
    return {
        "$schema": SCHEMA,
        "config": NO_MARK_LABELS,
        "description": f"{title} per survey wave with its interval",
        "width": "container",
        "height": 200,
        "data": {"values": rows},
        "layer": [
            {
                "mark": {"type": "rule", "color": "#7a8ca3", "strokeWidth": 2},
                "encoding": {
                    "x": x,
                    **({"xOffset": by_slice["xOffset"]} if slices else {}),
                    "y": {
                        "field": "ci_low",
                        "type": "quantitative",
                        "title": title,
                        "scale": {"zero": False},
                    },
                    "y2": {"field": "ci_high"},
                },
            },
            {
                "mark": {"type": "point", "filled": True, "size": 90, "shape": "diamond"},
                "encoding": {
                    "x": x,
                    "y": {"field": "score", "type": "quantitative"},
                    "color": {"value": "#1f4e79"},
                    **by_slice,
                    "tooltip": [
                        *([{"field": "slice", "title": "unit"}] if slices else []),
                        {"field": "label", "title": "wave"},
                        {"field": "estimate", "title": title},
                        {"field": "n", "title": "answers"},
                        {"field": "verdict", "title": "against the wave before"},
                    ],
                },
            },
        ],
    }


def heatmap_spec(cells: list[dict[str, Any]]) -> dict[str, Any]:
    """Units down, drivers across; each cell the unit's mean rating, coloured by how far it is
    from the other units' (white where the difference is not significant)."""
    largest = max((abs(float(cell["difference"])) for cell in cells), default=0.0) or 1.0
    return {
        "$schema": SCHEMA,
        "config": NO_MARK_LABELS,
        "description": "Mean rating of each driver by unit against the other units",
        "width": "container",
        "height": {"step": 34},
        "data": {"values": cells},
        "encoding": {
            "x": {
                "field": "driver",
                "type": "nominal",
                "title": None,
                "axis": {"labelAngle": -35, "labelLimit": 160},
            },
            "y": {"field": "unit", "type": "nominal", "title": None},
        },
        "layer": [
            {
                "mark": {"type": "rect", "stroke": "#ffffff", "cursor": "pointer"},
                "encoding": {
                    "color": {
                        "field": "difference",
                        "type": "quantitative",
                        "title": "vs other units",
                        "legend": {"orient": "bottom"},  # the cells keep the width on a phone
                        "scale": {
                            "scheme": "redblue",
                            "domain": [-largest, largest],
                        },
                    },
                    "tooltip": [
                        {"field": "unit"},
                        {"field": "driver"},
                        {"field": "shown", "title": "mean rating"},
                        {"field": "against", "title": "vs other units"},
                        {"field": "n", "title": "answers"},
                    ],
                    "href": {"field": "href"},
                },
            },
            {
                "mark": {"type": "text", "fontSize": 9},
                "encoding": {
                    "text": {"field": "mean", "type": "quantitative", "format": ".1f"},
                    # White on the darkest cells, ink elsewhere, so every number stays legible.
                    "color": {
                        "condition": {
                            "test": f"abs(datum.difference) > {0.55 * largest!r}",
                            "value": "#ffffff",
                        },
                        "value": "#1d2733",
                    },
                },
            },
        ],
    }


def slices_spec(frame: pd.DataFrame, *, metric: str, dimension: str) -> dict[str, Any]:
    """Score per slice as a point with its interval, one row per slice."""
    data = frame_records(frame, [dimension, "score", "ci_low", "ci_high", "n", "verdict", "flag"])
    for row in data:
        row[dimension] = "(not set)" if row.get(dimension) is None else str(row[dimension])
    y = {"field": dimension, "type": "nominal", "title": dimension.replace("_", " "), "sort": None}
    return {
        "$schema": SCHEMA,
        "config": NO_MARK_LABELS,
        "description": f"{metric.upper()} by {dimension} with intervals",
        "width": "container",
        "height": {"step": 26},
        "data": {"values": data},
        "layer": [
            {
                "mark": {"type": "rule", "color": "#7a8ca3", "strokeWidth": 2},
                "encoding": {
                    "y": y,
                    "x": {"field": "ci_low", "type": "quantitative", "title": metric.upper()},
                    "x2": {"field": "ci_high"},
                },
            },
            {
                "mark": {"type": "point", "filled": True, "size": 70, "color": "#1f4e79"},
                "encoding": {
                    "y": y,
                    "x": {"field": "score", "type": "quantitative"},
                    "tooltip": [
                        {"field": dimension, "type": "nominal"},
                        {"field": "score", "type": "quantitative", "format": ".1f"},
                        {"field": "n", "type": "quantitative"},
                    ],
                },
            },
        ],
    }


def ladder_spec(counts: pd.DataFrame) -> dict[str, Any]:
    """Customers per rung of the advocacy ladder, highest rung first, at-risk share marked."""
    data = frame_records(counts, ["rung", "customers", "share", "at_risk"])
    return {
        "$schema": SCHEMA,
        "config": NO_MARK_LABELS,
        "description": "Customers per rung of the advocacy ladder",
        "width": "container",
        "height": {"step": 28},
        "data": {"values": data},
        "mark": {"type": "bar", "color": "#3b6ea8"},
        "encoding": {
            "y": {"field": "rung", "type": "nominal", "sort": None, "title": None},
            "x": {"field": "customers", "type": "quantitative", "title": "customers"},
            "tooltip": [
                {"field": "rung", "type": "nominal"},
                {"field": "customers", "type": "quantitative"},
                {"field": "share", "type": "quantitative", "format": ".1%"},
                {"field": "at_risk", "type": "quantitative", "title": "at risk"},
            ],
        },
    }
