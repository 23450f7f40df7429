"""The report's "From promoters to advocates" section: the say-do gap, the asks, the measured lift.

Shown when the workspace has ask campaigns. The say-do gap says how many promoters act without
being asked; each campaign then shows its outcomes in the ask and control groups with intervals,
the lift and the verdict (an interim look says so and gives none). :func:`ask_lift_spec` is the
chart the web's Advocates > Asks page draws too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from advocacy import display
from advocacy.errors import AdvocacyError
from advocacy.report.section import ReportScope, Section, chart_svg, table_html

if TYPE_CHECKING:
    from advocacy.workspace import Workspace

TITLE = "From promoters to advocates"
ARM_COLORS = {"asked": "#1f77b4", "control": "#aaaaaa"}


def ask_lift_spec(results: dict[str, Any], *, width: int | str = 420) -> dict[str, Any]:
    """Vega-Lite: each outcome's rate in the asked and control groups, with Wilson intervals.

    ``results`` is :meth:`advocacy.namespaces.asks.AskResults.to_dict`.
    """
    values = []
    for row in results["outcomes"]:
        for arm, key in (("asked", "ask"), ("control", "control")):
            if row[f"{key}_rate"] is None:
                continue
            values.append(
                {
                    "outcome": row["outcome"],
                    "group": arm,
                    "rate": row[f"{key}_rate"],
                    "low": row[f"{key}_low"],
                    "high": row[f"{key}_high"],
                    "n": row[f"{key}_n"],
                }
            )
    y = {"field": "group", "type": "nominal", "title": None}
    x = {
        "field": "rate",
        "type": "quantitative",
        "title": "Share of members",
        "axis": {"format": "%"},
    }
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {"values": values},
        "facet": {
            "row": {
                "field": "outcome",
                "type": "nominal",
                "title": None,
                "sort": None,
                "header": {"labelAngle": 0, "labelAlign": "left", "labelOrient": "top"},
            }
        },
        "spec": {
            "width": width,
            "height": {"step": 18},
            "layer": [
                {
                    "mark": "bar",
                    "encoding": {
                        "y": y,
                        "x": x,
                        "color": {
                            "field": "group",
                            "type": "nominal",
                            "scale": {
                                "domain": list(ARM_COLORS),
                                "range": list(ARM_COLORS.values()),
                            },
                            "title": "Group",
                            "legend": {"orient": "top"},
                        },
                        "tooltip": [
                            {"field": "outcome"},
                            {"field": "group"},
                            {"field": "rate", "format": ".1%"},
                            {"field": "n"},
                        ],
                    },
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
        },
    }


def _percent(value: Any) -> str:
    return "" if value is None else f"{100 * value:.1f}%"


def _points(value: Any) -> str:
    return "" if value is None else display.points(100 * value, 1)


def campaign_rows(results: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per outcome: rates per group, the lift with its interval, the verdict."""
    return [
        {
            "outcome": row["outcome"],
            "asked": f"{_percent(row['ask_rate'])} of {row['ask_n']}",
            "control": f"{_percent(row['control_rate'])} of {row['control_n']}",
            "lift": _points(row["lift"]),
            "interval": ""
            if row["low"] is None
            else f"{_points(row['low'])} to {_points(row['high'])}",
            "verdict": row["verdict"],
        }
        for row in results["outcomes"]
    ]


def _say_do(ws: Workspace) -> Markup:
    from advocacy.report.sections.advocates import say_do_overall

    try:
        gap = say_do_overall(ws)
    except AdvocacyError as error:
        return Markup("<p>{}</p>").format(f"The say-do gap could not be measured: {error.message}")
    if gap.empty:
        return Markup()
    row = gap.iloc[0]
    promoters, share = int(row["promoters"]), float(row["say_do"])
    if not promoters:
        return Markup()
    return Markup("<p>{}</p>").format(
        f"Unasked, {share:.0%} of {promoters:,} promoters referred or reviewed afterwards "
        "(the say-do gap). The campaigns below asked them, and kept a random control group "
        "unasked to measure what asking changed."
    )


def build(ws: Workspace, scope: ReportScope) -> Section:
    """The section; absent (with how to add campaigns) when the workspace has none."""
    lacking = ws.unavailable("ask_campaigns", "ask_members", "ask_events")
    if lacking is not None:  # a Parquet source holds the evidence, not the campaigns
        return Section.absent(TITLE, lacking)
    campaigns = ws.asks.list()
    if not campaigns:
        return Section.absent(
            TITLE, "Ask promoters to act, with a control group: advocacy asks add CAMPAIGN.yaml"
        )
    body = _say_do(ws)
    for campaign in campaigns:
        results = ws.asks.results(campaign.campaign_id).to_dict()
        look = (
            f"final analysis of {results['analysed']:,} members"
            if results["look"] == "final"
            else f"interim look at {results['analysed']:,} members; the verdict waits for the "
            f"final analysis at {campaign.final_n:,}"
        )
        body += Markup("<h3>{}</h3><p>{}</p>").format(
            campaign.name,
            f"Asked to {campaign.action} by {campaign.channel}; {campaign.holdout:.0%} held out "
            f"at random (seed {campaign.seed}); {look}. Verdict on {results['primary']}: "
            f"{results['verdict']}.",
        )
        body += chart_svg(
            ask_lift_spec(results), label=f"{campaign.name}: outcomes, asked against control"
        )
        body += table_html(
            campaign_rows(results),
            [
                ("outcome", "Outcome"),
                ("asked", "Asked"),
                ("control", "Control"),
                ("lift", "Lift"),
                ("interval", f"{ws.settings.confidence:.0%} interval"),
                ("verdict", "Verdict"),
            ],
        )
    notes = [
        "Lift is the asked group's rate minus the control group's, with Newcombe's interval; "
        "the verdict is given only at the final analysis size stated when the campaign was made.",
        "Campaigns are reported whole: the report's unit and date filters do not apply to them.",
    ]
    return Section(title=TITLE, body=Markup(body), notes=notes)


__all__ = ["TITLE", "ask_lift_spec", "build", "campaign_rows"]
