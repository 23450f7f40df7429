"""What a report section is, and how charts are embedded (inline SVG: no network, no JS).

Each analysis contributes one section module under ``sections/`` exposing
``build(ws: Workspace, scope: ReportScope) -> Section``. A section whose data is absent returns
``Section.missing(title, how_to_add)`` so the report says in one line how to add that data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from markupsafe import Markup, escape


@dataclass(frozen=True)
class ReportScope:
    """Filters and options every section honours."""

    since: date | None = None
    until: date | None = None
    unit: str | None = None
    redact: bool = False


@dataclass
class Section:
    """A titled part of the report: an HTML body, or a line on how to add the missing data."""

    title: str
    body: Markup = field(default_factory=Markup)
    missing: str | None = None
    anchor: str = ""
    notes: list[str] = field(default_factory=list)

    @classmethod
    def absent(cls, title: str, how_to_add: str) -> Section:
        return cls(title=title, missing=how_to_add)

    def __post_init__(self) -> None:
        if not self.anchor:
            self.anchor = "".join(c if c.isalnum() else "-" for c in self.title.lower()).strip("-")


def chart_svg(spec: dict[str, Any] | Any, *, label: str) -> Markup:
    """Render a Vega-Lite spec (dict or Altair chart) to inline SVG inside a figure.

    The same spec drives the web app's interactive charts; reports embed the static SVG so they
    open without network and print to PDF.
    """
    import vl_convert

    if hasattr(spec, "to_dict"):
        spec = spec.to_dict()
    svg = vl_convert.vegalite_to_svg(spec)
    return Markup('<figure class="chart" role="img" aria-label="{}">{}</figure>').format(
        label, Markup(svg)
    )


def interval_bars(
    values: list[dict[str, Any]],
    *,
    category: str,
    value: str,
    title: str,
    width: int = 420,
    color: str | None = None,
    percent: bool = False,
) -> dict[str, Any]:
    """Vega-Lite spec: horizontal bars of ``value`` per ``category``, with ``low``-``high``
    interval rules, sorted by value; the shape every "estimate with uncertainty" chart shares."""
    y = {
        "field": category,
        "type": "nominal",
        "sort": "-x",
        "title": None,
        "axis": {"labelLimit": 260},
    }
    x: dict[str, Any] = {"field": value, "type": "quantitative", "title": title}
    if percent:
        x["axis"] = {"format": "%"}
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {"values": values},
        "width": width,
        "layer": [
            {
                "mark": {"type": "bar", **({"color": color} if color else {})},
                "encoding": {"y": y, "x": x},
            },
            {
                "mark": {"type": "rule", "color": "black"},
                "encoding": {
                    "y": y,
                    "x": {"field": "low", "type": "quantitative"},
                    "x2": {"field": "high"},
                },
            },
        ],
    }


def table_html(rows: Sequence[Mapping[Any, Any]], columns: list[tuple[str, str]]) -> Markup:
    """A plain HTML table; ``columns`` are (key, heading) pairs; values are escaped."""
    head = "".join(f"<th>{escape(heading)}</th>" for _, heading in columns)
    body = []
    for row in rows:
        cells = "".join(f"<td>{escape(_format(row.get(key)))}</td>" for key, _ in columns)
        body.append(f"<tr>{cells}</tr>")
    return Markup(f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")


def _format(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        return f"{value:,.1f}" if abs(value) >= 10 else f"{value:,.3g}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)
