"""The report's gap sections: key drivers (rated items, and comment themes as drivers),
importance-performance quadrants, SERVQUAL and the gap register with priority, effort, resources
and the themes and touchpoints behind each gap."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd
from markupsafe import Markup

from advocacy.drivers.ipa import quadrant_chart
from advocacy.errors import AdvocacyError
from advocacy.report.section import (
    ReportScope,
    Section,
    chart_svg,
    interval_bars,
    table_html,
)

if TYPE_CHECKING:
    from advocacy.workspace import Workspace

TITLE = "Which gaps matter"
HOW_TO_ADD = (
    "import attribute ratings or SERVQUAL pairs (advocacy import FILE --kind response-items), "
    "targets (--kind targets) or a culture survey (--kind employee-responses)"
)


def drivers_chart(frame: pd.DataFrame) -> dict[str, Any]:
    """Horizontal bars of each driver's share of R^2 with its bootstrap interval."""
    values = [
        {
            "driver": str(row["driver"]),
            "share": round(float(row["share"]), 4),
            "low": round(float(row["share_low"]), 4) if pd.notna(row["share_low"]) else None,
            "high": round(float(row["share_high"]), 4) if pd.notna(row["share_high"]) else None,
        }
        for row in frame.to_dict("records")
    ]
    return interval_bars(
        values, category="driver", value="share", title="share of R²", percent=True
    )


def register_chart(frame: pd.DataFrame) -> dict[str, Any]:
    """Gap bars: priority of each gap, coloured quick win / larger challenge."""
    values = [
        {
            "gap": f"{rank}. {subject}" + ("" if where == "all" else f" ({where})"),
            "priority": round(float(priority), 2),
            "class": str(kind),
        }
        for rank, subject, where, priority, kind in zip(
            frame["rank"],
            frame["subject"],
            frame["scope"],
            frame["priority"],
            frame["class"],
            strict=True,
        )
    ]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {"values": values},
        "width": 420,
        "mark": "bar",
        "encoding": {
            "y": {
                "field": "gap",
                "type": "nominal",
                "sort": None,
                "title": None,
                "axis": {"labelLimit": 260},
            },
            "x": {
                "field": "priority",
                "type": "quantitative",
                "title": "priority = 100 × impact × gap size / effort",
            },
            "color": {"field": "class", "type": "nominal", "title": None},
        },
    }


def _drivers_part(ws: Workspace, scope: ReportScope) -> Markup:
    try:
        frame = ws.gaps.drivers(unit=scope.unit, n_bootstrap=100)
    except AdvocacyError:
        return Markup()
    top = frame.iloc[0]
    return Markup(
        "<h3>Key drivers of NPS</h3><p>Each rated item's share of the {:.0%} of NPS "
        "variation the ratings explain (LMG, n = {:,}; bars show 95% bootstrap "
        "intervals). The strongest driver is <strong>{}</strong> ({:.0%}).</p>"
    ).format(frame.attrs["r_squared"], frame.attrs["n"], top.driver, top.share) + chart_svg(
        drivers_chart(frame), label="Key drivers of NPS"
    )


def _theme_drivers_part(ws: Workspace, scope: ReportScope) -> Markup:
    try:
        frame = ws.gaps.drivers(level="theme", unit=scope.unit, n_bootstrap=100)
    except AdvocacyError:
        return Markup()
    top = frame.iloc[0]
    return Markup(
        "<h3>Comment themes as drivers of NPS</h3><p>Whether a respondent's comment mentions "
        "each theme, taken as a driver: each theme's share of the {:.0%} of NPS variation the "
        "mentions explain (LMG over the {} most mentioned themes, n = {:,} respondents with a "
        "comment; {:,} without one left out). The strongest is <strong>{}</strong> ({:.0%}, "
        "mentioned by {:,}).</p>"
    ).format(
        frame.attrs["r_squared"],
        len(frame),
        frame.attrs["n"],
        frame.attrs["without_comment"],
        top.driver,
        top.share,
        int(top.mentions),
    ) + chart_svg(drivers_chart(frame), label="Comment themes as drivers of NPS")


def _themes_behind(found: Any) -> str:
    """``billing (lift 3.9, n=40); ...`` from a gap's ``root_cause_themes``."""
    parts = []
    for row in found if isinstance(found, list) else []:
        lift = "only unhappy" if row["lift"] is None else f"lift {row['lift']:.1f}"
        parts.append(f"{row['theme']} ({lift}, n={row['n']})")
    return "; ".join(parts)


def _ipa_part(ws: Workspace) -> Markup:
    try:
        result = ws.gaps.ipa()
    except AdvocacyError:
        return Markup()
    focus = result.quadrant("concentrate here")
    text = ", ".join(focus) if focus else "none"
    return Markup(
        "<h3>Importance and performance</h3><p>Concentrate here (important, below "
        "average performance): <strong>{}</strong>. Importance is {}; crosshairs at the "
        "{} ({}).</p>"
    ).format(text, result.importance_source, result.crosshair, result.tie_rule) + chart_svg(
        quadrant_chart(result), label="Importance-performance quadrants"
    )


def _servqual_part(ws: Workspace) -> Markup:
    try:
        result = ws.gaps.servqual()
    except AdvocacyError:
        return Markup()
    overall = result.overall.set_index("measure")
    rows = result.dimensions.to_dict("records")
    return Markup(
        "<h3>Expectations versus perceptions (SERVQUAL)</h3><p>Overall gap {:.2f} "
        "[{:.2f}, {:.2f}] (mean of dimension gaps, {:,} respondents; negative means "
        "below expectations).</p>"
    ).format(
        overall.loc["unweighted", "gap"],
        overall.loc["unweighted", "ci_low"],
        overall.loc["unweighted", "ci_high"],
        result.respondents,
    ) + table_html(
        rows,
        [
            ("dimension", "Dimension"),
            ("expectation", "Expected"),
            ("perception", "Perceived"),
            ("gap", "Gap"),
            ("ci_low", "Low"),
            ("ci_high", "High"),
        ],
    )


def _register_part(ws: Workspace) -> Markup:
    try:
        frame = ws.gaps.register(top=10)
    except AdvocacyError:
        return Markup()
    if frame.empty:
        return Markup()
    rows = frame.to_dict("records")
    for row in rows:
        row["themes_behind"] = _themes_behind(row.get("root_cause_themes"))
        # The themes have their own column; the places stay in "Where it arises".
        row["places"] = str(row.get("root_causes") or "").split("themes: ")[0].rstrip("; ")
    return (
        Markup(
            "<h3>The gap register: top gaps</h3><p>Priority = 100 × impact × gap size "
            "(share of the scale) / effort (1-5); effort 1-2 is a quick win. Themes behind a "
            "gap are those over-represented among its unhappy customers' comments (lift = "
            "their share there / their share among the other comments in its scope).</p>"
        )
        + chart_svg(register_chart(frame), label="Gap priorities")
        + table_html(
            rows,
            [
                ("rank", "#"),
                ("subject", "Gap"),
                ("scope", "Scope"),
                ("current", "Now"),
                ("desired", "Wanted"),
                ("priority", "Priority"),
                ("effort", "Effort"),
                ("class", "Class"),
                ("resources", "Resources"),
                ("themes_behind", "Themes behind it"),
                ("places", "Where it arises"),
            ],
        )
    )


def build(ws: Workspace, scope: ReportScope) -> Section:
    body = (
        _register_part(ws)
        + _drivers_part(ws, scope)
        + _theme_drivers_part(ws, scope)
        + _ipa_part(ws)
        + _servqual_part(ws)
    )
    if not body:
        return Section.absent(TITLE, HOW_TO_ADD)
    return Section(title=TITLE, body=body)
