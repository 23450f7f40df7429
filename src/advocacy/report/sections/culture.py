"""The report's culture section: current-vs-desired culture gaps, eNPS by unit (small units
suppressed), and the unit-level link between employee results and customer NPS."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from advocacy import display
from advocacy.errors import AdvocacyError
from advocacy.report.section import (
    ReportScope,
    Section,
    chart_svg,
    interval_bars,
    table_html,
)

if TYPE_CHECKING:
    from advocacy.gaps.culture import CultureResult, UnitLink
    from advocacy.workspace import Workspace

TITLE = "Culture and people"
HOW_TO_ADD = (
    "import the employee culture survey: advocacy import FILE --kind employee-responses "
    "(and --kind employee-response-items for current/desired ratings)"
)


def culture_chart(result: CultureResult) -> dict[str, Any]:
    """Gap bars: desired minus current for each culture attribute, with intervals."""
    values = [
        {
            "attribute": str(row["attribute"]),
            "gap": round(float(row["gap"]), 3),
            "low": round(float(row["ci_low"]), 3),
            "high": round(float(row["ci_high"]), 3),
        }
        for row in result.items.to_dict("records")
    ]
    return interval_bars(
        values,
        category="attribute",
        value="gap",
        title="desired − current",
        width=400,
        color="#c0504d",
    )


def link_chart(link: UnitLink) -> dict[str, Any]:
    """Scatter of units: eNPS (x) against customer NPS (y), with the fitted line."""
    values = [
        {
            "unit": str(row["unit"]),
            "x": round(float(row[link.predictor]), 2),
            "nps": round(float(row["customer_nps"]), 2),
        }
        for row in link.units.to_dict("records")
    ]
    axes = {
        "x": {"field": "x", "type": "quantitative", "title": link.predictor.replace("_", " ")},
        "y": {"field": "nps", "type": "quantitative", "title": "customer NPS"},
    }
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {"values": values},
        "width": 380,
        "height": 260,
        "layer": [
            {"mark": {"type": "point", "filled": True, "size": 80}, "encoding": axes},
            {"mark": {"type": "text", "dy": -10}, "encoding": {**axes, "text": {"field": "unit"}}},
            {
                "mark": {"type": "line", "strokeDash": [4, 4]},
                "transform": [{"regression": "nps", "on": "x"}],
                "encoding": axes,
            },
        ],
    }


def _link_part(ws: Workspace) -> Markup:
    try:
        link = ws.gaps.culture_link()
    except AdvocacyError:
        return Markup()
    if link.n_units < 3:
        return Markup("<p class='note'>{}</p>").format(" ".join(link.notes))
    return Markup(
        "<h3>Employees and customers, unit by unit</h3><p>Across {} units, eNPS and "
        "customer NPS correlate at r = {:.2f} (95% interval {:.2f} to {:.2f}); each "
        "eNPS point goes with {:.2f} customer NPS points ({:.2f} to {:.2f}). {}</p>"
    ).format(
        link.n_units,
        link.correlation,
        *link.correlation_ci,
        link.slope,
        *link.slope_ci,
        " ".join(link.notes),
    ) + chart_svg(link_chart(link), label="Employee and customer NPS by unit")


def build(ws: Workspace, scope: ReportScope) -> Section:
    del scope  # the culture survey is read whole: units are shown side by side
    try:
        result = ws.gaps.culture()
    except AdvocacyError:
        return Section.absent(TITLE, HOW_TO_ADD)
    if result.items.empty and result.enps.empty:
        return Section.absent(TITLE, HOW_TO_ADD)
    body = Markup()
    if not result.items.empty:
        widest = result.items.sort_values("gap", ascending=False).iloc[0]
        body += Markup(
            "<p>{:,} employees rated nine attributes of a customer-centred culture as they are "
            "and as they should be. The widest gap is <strong>{}</strong> ({:.1f} points).</p>"
        ).format(result.respondents, widest.attribute, widest.gap)
        body += chart_svg(culture_chart(result), label="Culture gaps")
    if not result.units.empty:
        wide = result.units.pivot(index="attribute", columns="unit", values="gap")
        wide = wide.map(lambda gap: display.number(gap, 1)).reset_index()
        columns = [("attribute", "Attribute")] + [(str(u), str(u)) for u in wide.columns[1:]]
        body += Markup("<h3>Culture gaps by unit</h3>") + table_html(
            wide.to_dict("records"), columns
        )
    enps = [
        {**row, "enps": display.estimate(row["enps"], row["ci_low"], row["ci_high"])}
        for row in result.enps.to_dict("records")
    ]
    body += Markup("<h3>eNPS by unit</h3>") + table_html(
        enps,
        [("unit", "Unit"), ("respondents", "Respondents"), ("enps", "eNPS [interval]")],
    )
    body += Markup(
        "<p class='note'>Units with fewer than {} respondents are not shown ({} suppressed).</p>"
    ).format(result.min_group, result.suppressed_units)
    body += _link_part(ws)
    return Section(title=TITLE, body=body)
