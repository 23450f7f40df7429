"""Vega-Lite specs of the web app's charts, rendered in the browser by vega-embed.

Each spec carries its data inline, so a page needs no second request and the same dict can be
handed to :func:`advocacy.report.section.chart_svg` to draw the chart in a report.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from advocacy.records import frame_records

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"


def trend_spec(frame: pd.DataFrame, *, metric: str, period: str) -> dict[str, Any]:
    """Score per period as a line inside its interval band."""
    data = frame_records(frame, ["period", "score", "ci_low", "ci_high", "n", "flag"])
    x = {"field": "period", "type": "temporal", "title": period.capitalize()}
    return {
        "$schema": SCHEMA,
        "description": f"{metric.upper()} by {period} with its interval band",
        "width": "container",
        "height": 220,
        "data": {"values": data},
        "layer": [
            {
                "mark": {"type": "area", "opacity": 0.25, "color": "#3b6ea8"},
                "encoding": {
                    "x": x,
                    "y": {"field": "ci_low", "type": "quantitative", "title": metric.upper()},
                    "y2": {"field": "ci_high"},
                },
            },
            {
                "mark": {"type": "line", "point": True, "color": "#1f4e79"},
                "encoding": {
                    "x": x,
                    "y": {"field": "score", "type": "quantitative"},
                    "tooltip": [
                        {"field": "period", "type": "temporal"},
                        {"field": "score", "type": "quantitative", "format": ".1f"},
                        {"field": "ci_low", "type": "quantitative", "format": ".1f"},
                        {"field": "ci_high", "type": "quantitative", "format": ".1f"},
                        {"field": "n", "type": "quantitative"},
                    ],
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
