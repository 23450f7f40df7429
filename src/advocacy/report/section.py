"""What a report section is, and how charts are embedded (inline SVG: no network, no JS).

Each analysis contributes one section module under ``sections/`` exposing
``build(ws: Workspace, scope: ReportScope) -> Section``. A section whose data is absent returns
``Section.missing(title, how_to_add)`` so the report says in one line how to add that data.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape

from advocacy import display

if TYPE_CHECKING:
    from advocacy.report.chart_process import ChartProcess
    from advocacy.workspace import Workspace

T = TypeVar("T")
#: The one font of every chart (shipped by Debian's fonts-dejavu-core, used by the PDF's text).
FONT = "DejaVu Sans"
#: The helper process drawing this run's charts (None: draw each chart on the spot).
_CHARTS: ContextVar[ChartProcess | None] = ContextVar("report_charts", default=None)
#: Where a chart drawn by the helper goes in the document until its SVG is put in place.
_PLACEHOLDER = "<!--advocacy-chart-{}-->"
_PLACEHOLDERS = re.compile(r"<!--advocacy-chart-(\d+)-->")


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


def report_day(ws: Workspace, scope: ReportScope) -> dt.date:
    """The day the report stands on: today in the workspace's time zone, or the day after
    ``scope.until`` when the report ends earlier (so a period is complete only once it ended)."""
    today = dt.datetime.now(ZoneInfo(ws.settings.timezone)).date()
    if scope.until is not None:
        return min(today, scope.until + dt.timedelta(days=1))
    return today


@contextmanager
def report_run() -> Iterator[None]:
    """Share what sections read (:func:`remembered`), and each table's columns, for the length
    of one report (the report changes no table)."""
    from advocacy.store.steady import steady_tables

    with steady_tables():
        yield


@contextmanager
def charts_aside() -> Iterator[None]:
    """Draw the charts of this block in a helper process once they are all made (see
    :mod:`advocacy.report.chart_process`); :func:`chart_svg` then returns a placeholder that
    :func:`place_charts` replaces with the SVG. Without a helper (no interpreter to start it
    with), charts are drawn on the spot. Inside another such block this one shares its
    helper."""
    from advocacy.report.chart_process import ChartProcess

    if _CHARTS.get() is not None:
        yield
        return
    try:
        process: ChartProcess | None = ChartProcess()
    except OSError:
        process = None
    token = _CHARTS.set(process)
    try:
        yield
    except BaseException:
        # The run failed (or was interrupted): stop the helper now rather than wait for it to
        # draw charts nobody will read.
        _CHARTS.reset(token)
        if process is not None:
            process.close(abandon=True)
        raise
    _CHARTS.reset(token)
    if process is not None:
        process.close()


def place_charts(html: str) -> str:
    """``html`` with each chart placeholder of this block replaced by its SVG.

    A chart the converter rejected becomes a note in its place: by now the section that asked
    for it (and could have caught the ``ValueError``) has returned, and one bad chart should not
    cost the whole report.
    """
    process = _CHARTS.get()
    if process is None:
        return html

    def placed(match: re.Match[str]) -> str:
        try:
            return process.svg(int(match.group(1)))
        except ValueError as error:
            reason = " ".join(str(error).splitlines()[:2])
            return str(
                Markup("<p class='note'>This chart could not be drawn: {}</p>").format(reason)
            )

    placed_html = _PLACEHOLDERS.sub(placed, html)
    # Every chart is in place: the helper exits now, before the rest of the run (redaction,
    # the PDF) takes its memory.
    process.close()
    return placed_html


def remembered(key: Any, compute: Callable[[], T]) -> T:
    """``compute()``, once per report run and ``key`` (every call outside a run computes): the
    run's :func:`~advocacy.store.steady.steady_result`, under a key of the report's own, so
    sections sharing a frame (the summary and the scores) ask the workspace once."""
    from advocacy.store.steady import steady_result

    return steady_result(None, ("report", key), compute)


def chart_svg(spec: dict[str, Any] | Any, *, label: str) -> Markup:
    """Render a Vega-Lite spec (dict or Altair chart) to inline SVG inside a figure.

    The same spec drives the web app's interactive charts; reports embed the static SVG so they
    open without network and print to PDF. Inside :func:`charts_aside` the chart is drawn by
    the helper process and this returns a placeholder for :func:`place_charts`.
    """
    if hasattr(spec, "to_dict"):
        spec = spec.to_dict()
    # Labels are measured in the font they are drawn in: a generic "sans-serif" is measured by
    # the converter in one face and drawn by the browser or the PDF in another, wider one, and
    # long labels then run out of the chart's box.
    config = spec.get("config", {})
    spec = {**spec, "config": {**config, "font": FONT}}
    process = _CHARTS.get()
    if process is None:
        import vl_convert

        svg = vl_convert.vegalite_to_svg(spec)
    else:
        svg = _PLACEHOLDER.format(process.submit(spec))
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
        "axis": {"labelLimit": 0},
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


def table_html(
    rows: Sequence[Mapping[Any, Any]],
    columns: list[tuple[str, str]],
    *,
    css_class: str = "",
) -> Markup:
    """A plain HTML table; ``columns`` are (key, heading) pairs; every value is written by
    :func:`advocacy.display.cell` (numbers, flags, moments, mappings) and escaped; numeric
    cells are right-aligned."""
    head = "".join(f"<th>{escape(heading)}</th>" for _, heading in columns)
    body = []
    for row in rows:
        cells = []
        for key, _ in columns:
            value = row.get(key)
            numeric = isinstance(value, int | float) and not isinstance(value, bool)
            tag = "<td class='num'>" if numeric else "<td>"
            cells.append(f"{tag}{escape(display.cell(value))}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    attribute = f" class='{escape(css_class)}'" if css_class else ""
    return Markup(
        f"<table{attribute}><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )
