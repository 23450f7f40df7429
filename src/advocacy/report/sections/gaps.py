"""The report's gap sections: key drivers (rated items, and comment themes as drivers),
importance-performance quadrants, SERVQUAL and the gap register with priority, effort, resources
and the themes and touchpoints behind each gap."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd
from markupsafe import Markup

from advocacy import display
from advocacy.drivers.ipa import quadrant_chart
from advocacy.errors import AdvocacyError
from advocacy.report.section import (
    ReportScope,
    Section,
    chart_svg,
    interval_bars,
    remembered,
    table_html,
)

if TYPE_CHECKING:
    from advocacy.report.sections.summary import Finding
    from advocacy.workspace import Workspace

TITLE = "Which gaps matter"
ANCHOR = "gaps"
#: How many of the register's gaps the report lists, and how many may become findings.
REGISTER_ROWS, GAP_FINDINGS = 10, 2
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
                "axis": {"labelLimit": 0},
            },
            "x": {
                "field": "priority",
                "type": "quantitative",
                "title": "priority = 100 × impact × gap size / effort",
            },
            "color": {"field": "class", "type": "nominal", "title": None},
        },
    }


def _outcome_name(frame: pd.DataFrame) -> str:
    """The outcome the drivers explain, as the report names metrics (``NPS``, ``CSAT``)."""
    return str(frame.attrs.get("outcome", "nps")).upper()


def _drivers_part(ws: Workspace, scope: ReportScope) -> Markup:
    # The workspace's own outcome (NPS, else CSAT, else CES), as the CLI and the web choose it.
    try:
        frame = ws.gaps.drivers(outcome=None, unit=scope.unit, n_bootstrap=100)
    except AdvocacyError:
        return Markup()
    top, outcome = frame.iloc[0], _outcome_name(frame)
    return Markup(
        "<h3>Key drivers of {}</h3><p>Each rated item's share of the {:.0%} of {} "
        "variation the ratings explain (LMG, n = {:,}; bars show 95% bootstrap "
        "intervals). The strongest driver is <strong>{}</strong> ({:.0%}).</p>"
    ).format(
        outcome, frame.attrs["r_squared"], outcome, frame.attrs["n"], top.driver, top.share
    ) + chart_svg(drivers_chart(frame), label=f"Key drivers of {outcome}")


def _theme_drivers_part(ws: Workspace, scope: ReportScope) -> Markup:
    try:
        frame = ws.gaps.drivers(outcome=None, level="theme", unit=scope.unit, n_bootstrap=100)
    except AdvocacyError:
        return Markup()
    top, outcome = frame.iloc[0], _outcome_name(frame)
    return Markup(
        "<h3>Comment themes as drivers of {}</h3><p>Whether a respondent's comment mentions "
        "each theme, taken as a driver: each theme's share of the {:.0%} of {} variation the "
        "mentions explain (LMG over the {} most mentioned themes, n = {:,} respondents with a "
        "comment; {:,} without one, or with a non-answer such as n/a, left out). The strongest "
        "is <strong>{}</strong> ({:.0%}, "
        "mentioned by {:,}).</p>"
    ).format(
        outcome,
        frame.attrs["r_squared"],
        outcome,
        len(frame),
        frame.attrs["n"],
        frame.attrs["without_comment"],
        top.driver,
        top.share,
        int(top.mentions),
    ) + chart_svg(drivers_chart(frame), label=f"Comment themes as drivers of {outcome}")


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
    rows = [
        {
            "dimension": row["dimension"],
            "expectation": display.number(row["expectation"], 2),
            "perception": display.number(row["perception"], 2),
            "gap": display.estimate(row["gap"], row["ci_low"], row["ci_high"]),
        }
        for row in result.dimensions.to_dict("records")
    ]
    return Markup(
        "<h3>Expectations versus perceptions (SERVQUAL)</h3><p>Overall gap {} (mean of "
        "dimension gaps, {:,} respondents; negative means below expectations).</p>"
    ).format(
        display.estimate(
            overall.loc["unweighted", "gap"],
            overall.loc["unweighted", "ci_low"],
            overall.loc["unweighted", "ci_high"],
        ),
        result.respondents,
    ) + table_html(
        rows,
        [
            ("dimension", "Dimension"),
            ("expectation", "Expected"),
            ("perception", "Perceived"),
            ("gap", "Gap [interval]"),
        ],
    )


def register(ws: Workspace) -> pd.DataFrame:
    """The register's top gaps (empty when the workspace has no gaps to rank)."""

    def read() -> pd.DataFrame:
        try:
            return ws.gaps.register(top=REGISTER_ROWS)
        except AdvocacyError:
            return pd.DataFrame()

    return remembered("register", read)


def subject_words(subject: Any) -> str:
    """A gap's subject as people call it (``ces`` is CES)."""
    from advocacy.report.sections.metrics import SHORT

    return SHORT.get(str(subject), str(subject))


def _scope_words(scope: Any) -> str:
    text = str(scope)
    return "company" if text == "all" else text.split("=", 1)[-1]


def _register_part(ws: Workspace) -> Markup:
    frame = register(ws)
    if frame.empty:
        return Markup()
    rows = [
        {
            "rank": row["rank"],
            "subject": subject_words(row["subject"]),
            "scope": _scope_words(row["scope"]),
            "now": f"{display.number(row['current'], 2)} → {display.number(row['desired'], 2)}",
            "priority": display.number(row["priority"], 1),
            "effort": f"{int(row['effort'])} ({row['class']})",
            "resources": row["resources"],
            "themes_behind": _themes_behind(row.get("root_cause_themes")),
            # The themes have their own column; the places stay in "Where it arises".
            "places": str(row.get("root_causes") or "").split("themes: ")[0].rstrip("; "),
        }
        for row in frame.to_dict("records")
    ]
    intro = Markup(
        "<h3 id='gap-register'>The gap register: top gaps</h3><p>Priority = 100 × impact × gap "
        "size (share of the scale) / effort (1-5); effort 1-2 is a quick win. Themes behind a "
        "gap are those over-represented among its unhappy customers' comments (lift = their "
        "share there / their share among the other comments in its scope).</p>"
    )
    table = table_html(
        rows,
        [
            ("rank", "#"),
            ("subject", "Gap"),
            ("scope", "Scope"),
            ("now", "Now → wanted"),
            ("priority", "Priority"),
            ("effort", "Effort"),
            ("resources", "Resources"),
            ("themes_behind", "Themes behind it"),
            ("places", "Where it arises"),
        ],
        css_class="register",
    )
    # The table is wide: it gets a landscape page of its own in print.
    return (
        intro
        + chart_svg(register_chart(frame), label="Gap priorities")
        + Markup("<div class='landscape'><h4>The top gaps in detail</h4>{}</div>").format(table)
    )


def heat_map_spec(frame: pd.DataFrame) -> dict[str, Any]:
    """Units (columns) by drivers (rows): each cell the unit's mean rating, coloured by its
    difference from the company's mean of that driver (blue above, red below)."""
    values = [
        {
            "unit": str(row["unit"]),
            "driver": str(row["driver"]),
            "mean": round(float(row["mean"]), 2),
            "label": display.number(row["mean"], 1),
            # Only a difference beyond chance is coloured (see unit_driver_ratings).
            "difference": round(float(row["difference"]), 2) if row["significant"] else 0.0,
            "n": int(row["n"]),
        }
        for row in frame.dropna(subset=["mean"]).to_dict("records")
    ]
    spread = (
        max(
            (
                abs(float(row["difference"]))
                for row in frame.dropna(subset=["mean"]).to_dict("records")
            ),
            default=1.0,
        )
        or 1.0
    )
    axes = {
        "x": {"field": "unit", "type": "nominal", "title": None, "axis": {"orient": "top"}},
        "y": {"field": "driver", "type": "nominal", "title": None, "axis": {"labelLimit": 0}},
    }
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {"values": values},
        "width": {"step": 64},
        "height": {"step": 22},
        "encoding": axes,
        "layer": [
            {
                "mark": "rect",
                "encoding": {
                    "color": {
                        "field": "difference",
                        "type": "quantitative",
                        "title": "against the other units",
                        "scale": {"scheme": "redblue", "domain": [-spread, spread]},
                        "legend": {"orient": "bottom", "direction": "horizontal"},
                    }
                },
            },
            {"mark": {"type": "text", "fontSize": 10}, "encoding": {"text": {"field": "label"}}},
        ],
    }


def _heat_map_part(ws: Workspace, scope: ReportScope) -> Markup:
    if scope.unit is not None:
        return Markup()
    try:
        frame = ws.gaps.unit_ratings(level="item")
    except AdvocacyError:
        return Markup()
    if frame.empty or frame["unit"].nunique() < 2 or frame["mean"].notna().sum() == 0:
        return Markup()
    intro = Markup(
        "<h3 id='heat-map'>Units by driver</h3><p>Each unit's mean rating of each driver; a "
        "cell is red where the unit rates the driver below the other units beyond chance, blue "
        "where above (Welch's test, corrected for the many cells), uncoloured otherwise. "
    )
    below = frame[frame["significant"].fillna(False).astype(bool) & (frame["difference"] < 0)]
    if below.empty:
        said = Markup("No unit falls short of the others on any driver beyond chance.</p>")
    else:
        worst = below.sort_values("difference").iloc[0]
        said = Markup(
            "The widest shortfall: <strong>{}</strong> on <strong>{}</strong> ({} against {} "
            "in the other units).</p>"
        ).format(
            worst["unit"],
            worst["driver"],
            display.estimate(worst["mean"], worst["ci_low"], worst["ci_high"]),
            display.number(worst["rest_mean"], 2),
        )
    chart = chart_svg(heat_map_spec(frame), label="Mean rating of each driver by unit")
    return intro + said + chart


def gap_findings(ws: Workspace, scope: ReportScope) -> list[Finding]:
    """The register's top gaps as findings, weighted by their priority."""
    from advocacy.report.sections.summary import (
        COMPANY_OWNER,
        LATER_DAYS,
        URGENT_DAYS,
        Finding,
        due_in,
        unit_owner,
    )

    if scope.unit is not None:
        return []
    findings = []
    for row in register(ws).head(GAP_FINDINGS).to_dict("records"):
        where = _scope_words(row["scope"])
        quick = str(row["class"]) == "quick win"
        owner = COMPANY_OWNER if where == "company" else unit_owner(ws, where)
        if str(row.get("source")) == "culture":
            owner = "People lead"
        themes = _themes_behind(row.get("root_cause_themes"))
        findings.append(
            Finding(
                action=f"Close the gap on {subject_words(row['subject'])}"
                + ("" if where == "company" else f" in {where}")
                + ".",
                why=f"Now {display.number(row['current'], 2)}, wanted "
                f"{display.number(row['desired'], 2)}: priority "
                f"{display.number(row['priority'], 1)}, the register's #{int(row['rank'])} "
                f"({row['class']}, effort {int(row['effort'])} of 5)."
                + (f" Behind it: {themes}." if themes else ""),
                weight=float(row["priority"]),
                owner=owner,
                due=due_in(ws, scope, URGENT_DAYS if quick else LATER_DAYS),
                effect=f"{subject_words(row['subject'])} from "
                f"{display.number(row['current'], 2)} to {display.number(row['desired'], 2)}.",
                evidence="gap-register",
                subject=f"gap:{row['subject']}:{where}",
                source="gaps",
                tested=False,  # the register's priority, not a test
            )
        )
    return findings


def build(ws: Workspace, scope: ReportScope) -> Section:
    body = (
        _heat_map_part(ws, scope)
        + _drivers_part(ws, scope)
        + _theme_drivers_part(ws, scope)
        + _ipa_part(ws)
        + _servqual_part(ws)
        + _register_part(ws)
    )
    if not body:
        return Section.absent(TITLE, HOW_TO_ADD)
    return Section(title=TITLE, body=body, anchor=ANCHOR)
