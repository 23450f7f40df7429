"""The report's scores: NPS, CSAT, top-box, CES and eNPS with intervals, by unit, over time, and
the changes a test calls real.

Every number comes from ``ws.metrics.scores``; this module only chooses
the slices, keeps the rows a reader needs and lays them out. The frame functions
(:func:`headline_scores`, :func:`unit_scores`, :func:`score_trend`, :func:`significant_changes`)
are shared with the executive summary and the exports.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from typing import TYPE_CHECKING, Any

import altair as alt
import pandas as pd
from markupsafe import Markup

from advocacy.report.section import ReportScope, Section, chart_svg, table_html

if TYPE_CHECKING:
    from advocacy.workspace import Workspace

TITLE = "Scores and significant changes"

#: The metrics the report shows, in reading order, with the words a reader knows them by.
LABELS: dict[str, str] = {
    "nps": "NPS",
    "csat": "CSAT (% satisfied)",
    "top-box": "Top-box (% very satisfied)",
    "ces": "CES (mean, 1-7)",
    "enps": "eNPS",
}
CUSTOMER_METRICS = ("nps", "csat", "top-box", "ces")
#: A trend longer than this many months is shown by quarter.
MAX_MONTHS = 24


def _window(scope: ReportScope) -> dict[str, Any]:
    return {"since": scope.since, "until": scope.until}


def _only_unit(frame: pd.DataFrame, scope: ReportScope) -> pd.DataFrame:
    """Rows of the scope's unit (all rows when the report covers the whole company)."""
    if scope.unit is None or "unit" not in frame:
        return frame
    return frame[frame["unit"] == scope.unit].reset_index(drop=True)


def _answered(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows with at least one response (metrics without data come back with n = 0)."""
    return frame[frame["n"] > 0].reset_index(drop=True)


def headline_scores(ws: Workspace, scope: ReportScope) -> pd.DataFrame:
    """One row per metric with data: score, standard error, interval, n and flag."""
    if scope.unit is None:
        frame = ws.metrics.scores(list(LABELS), **_window(scope))
    else:
        frame = _only_unit(ws.metrics.scores(list(LABELS), by="unit", **_window(scope)), scope)
        frame = frame.drop(columns=["unit"])
    return _answered(frame)


def unit_scores(ws: Workspace, scope: ReportScope) -> pd.DataFrame:
    """Each unit's customer scores, tested against the rest of the company (Holm-corrected)."""
    frame = ws.metrics.scores(["nps", "csat"], by="unit", compare="rest", **_window(scope))
    return _only_unit(_answered(frame), scope)


def trend_period(ws: Workspace, scope: ReportScope) -> str:
    """``month``, or ``quarter`` when the evidence spans more than :data:`MAX_MONTHS` months."""
    frame = ws.metrics.scores(["nps"], period="month", **_window(scope))
    return "month" if len(_answered(frame)) <= MAX_MONTHS else "quarter"


def score_trend(ws: Workspace, scope: ReportScope, period: str | None = None) -> pd.DataFrame:
    """NPS and eNPS per period with intervals (the scope's unit only, when it has one)."""
    period = period or trend_period(ws, scope)
    if scope.unit is None:
        frame = ws.metrics.scores(["nps", "enps"], period=period, **_window(scope))
    else:
        frame = ws.metrics.scores(["nps", "enps"], by="unit", period=period, **_window(scope))
        frame = _only_unit(frame, scope).drop(columns=["unit"])
    return _answered(frame)


def significant_changes(ws: Workspace, scope: ReportScope) -> pd.DataFrame:
    """Changes a test calls real: the latest quarter against the one before, and units vs the rest.

    Returns
    -------
    pandas.DataFrame
        ``metric``, ``slice`` (a unit or ``all``), ``comparison`` (``previous quarter`` or
        ``rest of company``), ``period``, ``score``, ``reference_score``, ``change``, ``n``,
        ``p_adjusted`` and ``verdict``; largest drops first. Empty when nothing is significant.
    """
    alpha = 1.0 - ws.settings.confidence
    pieces = []
    for by in ((), ("unit",)):
        frame = ws.metrics.scores(
            list(CUSTOMER_METRICS),
            by=list(by),
            period="quarter",
            compare="previous",
            **_window(scope),
        )
        frame = _answered(frame)
        if frame.empty:
            continue
        latest = frame[frame["period"] == frame["period"].max()]
        latest = latest.assign(slice=latest["unit"] if by else "all", comparison="previous quarter")
        pieces.append(latest)
    rest = unit_scores(ws, scope)
    if not rest.empty:
        pieces.append(rest.assign(slice=rest["unit"], comparison="rest of company", period=None))
    columns = [
        "metric",
        "slice",
        "comparison",
        "period",
        "score",
        "reference_score",
        "change",
        "n",
        "p_adjusted",
        "verdict",
    ]
    if not pieces:
        return pd.DataFrame(columns=columns)
    changes = pd.concat([piece.reindex(columns=columns) for piece in pieces], ignore_index=True)
    changes = _only_unit_slice(changes, scope)
    real = changes["p_adjusted"].astype(float) < alpha
    real &= ~changes["verdict"].astype(str).str.startswith(("too few", "nothing", "no detectable"))
    return changes[real].sort_values("change").reset_index(drop=True)


def _only_unit_slice(frame: pd.DataFrame, scope: ReportScope) -> pd.DataFrame:
    if scope.unit is None:
        return frame
    return frame[frame["slice"].isin([scope.unit])].reset_index(drop=True)


# -- layout ------------------------------------------------------------------------------------
def _number(value: Any, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
        return ""
    return f"{float(value):,.{digits}f}"


def _digits(metric: str) -> int:
    return 2 if metric == "ces" else 1


def _interval(row: Mapping[Hashable, Any]) -> str:
    digits = _digits(str(row["metric"]))
    low, high = _number(row["ci_low"], digits), _number(row["ci_high"], digits)
    return f"{low} to {high}" if low and high else ""


def _headline_table(frame: pd.DataFrame, confidence: float) -> Markup:
    rows = [
        {
            "metric": LABELS.get(str(row["metric"]), str(row["metric"])),
            "score": _number(row["score"], _digits(str(row["metric"]))),
            "interval": _interval(row),
            "n": int(row["n"]),
            "flag": row["flag"] or "",
        }
        for row in frame.to_dict("records")
    ]
    heading = f"{confidence:.0%} interval"
    return table_html(
        rows,
        [
            ("metric", "Metric"),
            ("score", "Score"),
            ("interval", heading),
            ("n", "Responses"),
            ("flag", "Note"),
        ],
    )


def _unit_table(frame: pd.DataFrame) -> Markup:
    rows = [
        {
            "unit": row["unit"],
            "metric": LABELS.get(str(row["metric"]), str(row["metric"])),
            "score": _number(row["score"]),
            "interval": _interval(row),
            "n": int(row["n"]),
            "verdict": row["verdict"],
        }
        for row in frame.sort_values(["metric", "score"]).to_dict("records")
    ]
    return table_html(
        rows,
        [
            ("unit", "Unit"),
            ("metric", "Metric"),
            ("score", "Score"),
            ("interval", "Interval"),
            ("n", "Responses"),
            ("verdict", "Against the rest of the company"),
        ],
    )


def _changes_table(frame: pd.DataFrame) -> Markup:
    rows = [
        {
            "what": f"{LABELS.get(str(row['metric']), row['metric'])}, {row['slice']}",
            "against": row["comparison"],
            "score": _number(row["score"]),
            "reference": _number(row["reference_score"]),
            "verdict": row["verdict"],
        }
        for row in frame.to_dict("records")
    ]
    return table_html(
        rows,
        [
            ("what", "Score"),
            ("against", "Compared with"),
            ("score", "Now"),
            ("reference", "Then / rest"),
            ("verdict", "Verdict"),
        ],
    )


def trend_chart(frame: pd.DataFrame, period: str) -> Markup:
    """NPS (and eNPS) per period: a line with its interval as a band."""
    data = frame.assign(
        period=pd.to_datetime(frame["period"]).dt.strftime("%Y-%m-%d"),
        metric=frame["metric"].map(lambda name: LABELS.get(name, name)),
    )[["metric", "period", "score", "ci_low", "ci_high", "n"]]
    base = alt.Chart(data).encode(
        x=alt.X("period:T", title=period.capitalize()),
        color=alt.Color("metric:N", title=None, legend=alt.Legend(orient="top")),
    )
    band = base.mark_area(opacity=0.18).encode(
        y=alt.Y("ci_low:Q", title="Score (-100 to 100)"), y2="ci_high:Q"
    )
    line = base.mark_line(point=True).encode(y="score:Q")
    chart = (band + line).properties(width=620, height=240)
    return chart_svg(chart, label=f"NPS by {period} with its interval band")


def unit_chart(frame: pd.DataFrame) -> Markup:
    """Each unit's NPS with its interval, highest first."""
    data = frame[frame["metric"] == "nps"][["unit", "score", "ci_low", "ci_high"]]
    base = alt.Chart(data).encode(y=alt.Y("unit:N", sort="-x", title=None))
    bars = base.mark_rule(strokeWidth=2).encode(
        x=alt.X("ci_low:Q", title="NPS (-100 to 100)", axis=alt.Axis(tickCount=8)),
        x2="ci_high:Q",
    )
    points = base.mark_point(filled=True, size=60).encode(x="score:Q")
    chart = (bars + points).properties(width=620, height=max(60, 28 * len(data)))
    return chart_svg(chart, label="NPS by unit with intervals")


def build(ws: Workspace, scope: ReportScope) -> Section:
    headline = headline_scores(ws, scope)
    if headline.empty:
        return Section.absent(
            TITLE,
            "import survey answers with nps, csat or ces columns: "
            "advocacy import FILE --kind responses (eNPS: --kind employee-responses)",
        )
    confidence = ws.settings.confidence
    body = Markup(
        "<p>Each score comes with its {:.0%} interval: the range the true score most likely "
        "lies in, given how many customers answered. Scores on fewer than {} answers are "
        "flagged rather than trusted.</p>"
    ).format(confidence, ws.settings.min_n)
    body += _headline_table(headline, confidence)
    units = unit_scores(ws, scope)
    if not units.empty:
        body += Markup("<h3>By unit</h3>")
        if (units["metric"] == "nps").any():
            body += unit_chart(units)
        body += _unit_table(units)
    period = trend_period(ws, scope)
    trend = score_trend(ws, scope, period)
    if len(trend["period"].unique()) > 1:
        body += Markup("<h3>Over time</h3>") + trend_chart(trend, period)
    changes = significant_changes(ws, scope)
    body += Markup("<h3>Significant changes</h3>")
    if changes.empty:
        body += Markup(
            "<p>No change between the last two quarters, and no unit against the rest, is "
            "larger than chance would explain.</p>"
        )
    else:
        body += _changes_table(changes)
    notes = [
        "Changes are two-sample tests (NPS: Rocks' z on the trinomial variance; shares: "
        "two-proportion z; means: Welch's t) with the "
        f"{ws.settings.correction} correction across slices; see the methods appendix."
    ]
    return Section(title=TITLE, body=body, notes=notes)
