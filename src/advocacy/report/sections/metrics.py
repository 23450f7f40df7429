"""The report's scores: NPS, CSAT, top-box, CES and eNPS with intervals, by unit, over time, and
the changes a test calls real.

Every number comes from ``ws.metrics.scores``; this module chooses the slices, keeps the rows a
reader needs and lays them out. "The latest quarter" is always the latest *complete* quarter
with at least ``min_n`` answers (:func:`advocacy.metrics.periods.latest_complete`): a quarter
still under way, or one with a handful of answers, is left out of the charts and never speaks
for the business. The frame functions are shared with the executive summary (which reads them
through :func:`advocacy.report.section.remembered`, so each is computed once per report).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd
from markupsafe import Markup

from advocacy import display
from advocacy.metrics.periods import (
    COMPLETE,
    data_end_day,
    latest_complete,
    partial_note,
    period_status,
)
from advocacy.report.section import (
    ReportScope,
    Section,
    chart_svg,
    remembered,
    report_day,
    table_html,
)

if TYPE_CHECKING:
    from advocacy.workspace import Workspace

TITLE = "Scores and significant changes"
ANCHOR = "scores"

#: The metrics the report shows, in reading order, with the words a reader knows them by.
LABELS: dict[str, str] = {
    "nps": "NPS",
    "csat": "CSAT (% satisfied)",
    "top-box": "Top-box (% very satisfied)",
    "ces": "CES (1-7, higher is easier)",
    "enps": "eNPS",
}
#: Short names for the KPI tiles.
SHORT: dict[str, str] = {
    "nps": "NPS",
    "csat": "CSAT",
    "top-box": "Top-box",
    "ces": "CES",
    "enps": "eNPS",
}
CUSTOMER_METRICS = ("nps", "csat", "top-box", "ces")
#: A company trend longer than this many months is shown by quarter.
MAX_MONTHS = 24
#: Metrics written as a share (their scores are percentages already).
PERCENT_METRICS = ("csat", "top-box")


def _window(scope: ReportScope) -> dict[str, Any]:
    return {"since": scope.since, "until": scope.until}


def _answered(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows with at least one response (metrics without data come back with n = 0)."""
    return frame[frame["n"] > 0].reset_index(drop=True)


def _scores(ws: Workspace, scope: ReportScope, metrics: tuple[str, ...], **options: Any) -> Any:
    """``ws.metrics.scores`` for the scope (its unit's rows only, when it has one)."""
    by = list(options.pop("by", ()))
    if scope.unit is not None and "unit" not in by:
        frame = ws.metrics.scores(list(metrics), by=["unit", *by], **_window(scope), **options)
        frame = frame[frame["unit"] == scope.unit].drop(columns=["unit"])
    else:
        frame = ws.metrics.scores(list(metrics), by=by, **_window(scope), **options)
        if scope.unit is not None:
            frame = frame[frame["unit"] == scope.unit]
    return _answered(frame.reset_index(drop=True))


def headline_scores(ws: Workspace, scope: ReportScope) -> pd.DataFrame:
    """One row per metric with data over the whole window: score, interval, n and flag."""
    return remembered(("headline", scope), lambda: _scores(ws, scope, tuple(LABELS)))  # type: ignore[no-any-return]


def quarterly(ws: Workspace, scope: ReportScope) -> pd.DataFrame:
    """Every metric by quarter, each quarter tested against the one before."""
    return remembered(  # type: ignore[no-any-return]
        ("quarterly", scope),
        lambda: _scores(ws, scope, tuple(LABELS), period="quarter", compare="previous"),
    )


def unit_quarterly(ws: Workspace, scope: ReportScope) -> pd.DataFrame:
    """Customer scores by unit and quarter, each quarter tested against the unit's previous."""
    return remembered(  # type: ignore[no-any-return]
        ("unit-quarterly", scope),
        lambda: _scores(
            ws, scope, ("nps", "csat", "ces"), by=["unit"], period="quarter", compare="previous"
        ),
    )


#: What the report says where a trend or a latest quarter would be, when no answer has a date.
UNDATED = (
    "No answer carries a date, so there is no trend, no latest quarter and no change over time: "
    "import the answers with a date column (mapped to submitted_at) to see them."
)


def undated(ws: Workspace, scope: ReportScope) -> bool:
    """Whether the scope has scored answers but none of them has a date (so no quarter)."""
    return not headline_scores(ws, scope).empty and quarterly(ws, scope).empty


def undated_answers(ws: Workspace, scope: ReportScope) -> tuple[str, int, int]:
    """The metric with the most scored answers that carry no date (so are in no quarter), how
    many of them, and its answers in all; ``("", 0, 0)`` when every answer is dated."""
    headline = headline_scores(ws, scope)
    quarters = quarterly(ws, scope)
    dated = quarters.groupby("metric")["n"].sum() if not quarters.empty else pd.Series()
    worst = ("", 0, 0)
    for metric, total in zip(headline["metric"], headline["n"], strict=True):
        missing = int(total) - int(dated.get(metric, 0))
        if missing > worst[1]:
            worst = (str(metric), missing, int(total))
    return worst


def data_end(ws: Workspace) -> dt.date | None:
    """The day of the latest customer answer: a quarter the data end inside is not complete
    (:mod:`advocacy.metrics.periods`)."""

    def compute() -> dt.date | None:
        lasts = [item.last for item in ws.status().tables if item.table == "responses"]
        return data_end_day(lasts[0]) if lasts else None

    return remembered(("data-end",), compute)


def _customer_quarters(ws: Workspace, scope: ReportScope) -> pd.DataFrame:
    frame = quarterly(ws, scope)
    customers: pd.DataFrame = frame[frame["metric"] == "nps"]
    if customers.empty:
        answered = frame[frame["metric"].isin(CUSTOMER_METRICS)]
        customers = answered.groupby("period", as_index=False).agg(n=("n", "max"))
    return customers


def latest_quarter(ws: Workspace, scope: ReportScope) -> dt.date | None:
    """The first day of the latest complete quarter (ended, with answers up to its end) with at
    least ``min_n`` customer answers."""
    return latest_complete(
        _customer_quarters(ws, scope),
        "quarter",
        today=report_day(ws, scope),
        min_n=ws.settings.min_n,
        data_end=data_end(ws),
    )


def partial_quarter(ws: Workspace, scope: ReportScope) -> str:
    """``"data end 2018-08-31: 2018 Q3 partial"`` when the answers stop inside a quarter that
    has otherwise ended, else ``""``."""
    quarters = _customer_quarters(ws, scope)
    return partial_note(quarters, "quarter", today=report_day(ws, scope), data_end=data_end(ws))


def latest_rows(frame: pd.DataFrame, quarter: dt.date | None) -> pd.DataFrame:
    """The rows of ``frame`` in ``quarter``."""
    if quarter is None or frame.empty:
        return frame.iloc[0:0]
    days = pd.to_datetime(frame["period"]).dt.date
    return frame[days == quarter].reset_index(drop=True)


def is_real(row: Mapping[Hashable, Any], alpha: float) -> bool:
    """Whether a tested change is real: significant after correction, on enough answers."""
    p = row.get("p_adjusted")
    verdict = str(row.get("verdict") or "")
    if p is None or display.missing(p):
        return False
    if verdict.startswith(("too few", "nothing", "no detectable")):
        return False
    return float(p) < alpha


def score_text(metric: str, score: Any, low: Any = None, high: Any = None) -> str:
    """A score with its interval, as people read it (shares as %, CES to its precision)."""
    suffix = "%" if metric in PERCENT_METRICS else ""
    return display.estimate(score, low, high, suffix=suffix)


def change_text(metric: str, row: Mapping[Hashable, Any], alpha: float) -> str:
    """``better by 5.7 points, likely real`` / ``no clear change (+1.1 points)`` for a tested
    change: a share's or an NPS's change in points (:func:`advocacy.display.points`), a mean's
    (CES) on its own scale.

    >>> change_text("csat", {"change": 1.06, "p_adjusted": 0.4}, 0.05)
    'no clear change (+1.1 points)'
    >>> change_text("ces", {"change": -0.061, "p_adjusted": 0.01}, 0.05)
    'worse by 0.06, likely real'
    """
    change = row.get("change")
    if change is None or display.missing(change):
        return "no earlier period to compare"
    if metric == "ces":
        amount, moved = display.number(abs(float(change)), 2), display.signed(change, 2)
    else:
        amount = display.number(abs(float(change)), 1) + " points"  # the word gives the sign
        moved = display.points(change, 1)
    if not is_real(row, alpha):
        return f"no clear change ({moved})"
    return f"{display.change_word(change)} by {amount}, likely real"


def significant_changes(ws: Workspace, scope: ReportScope) -> pd.DataFrame:
    """Changes a test calls real in the latest complete quarter, against the quarter before,
    for the whole company and each unit; largest drops first.

    Returns
    -------
    pandas.DataFrame
        The rows of ``ws.metrics.scores`` (``metric``, ``period``, ``score``,
        ``reference_score``, ``change``, ``n``, ``p_adjusted``, ``verdict``...) with ``slice``
        (a unit or ``all``). Empty when nothing is significant.
    """
    alpha = 1.0 - ws.settings.confidence
    quarter = latest_quarter(ws, scope)
    company = latest_rows(quarterly(ws, scope), quarter)
    company = company[company["metric"].isin(CUSTOMER_METRICS)].assign(slice="all")
    units = latest_rows(unit_quarterly(ws, scope), quarter)
    units = units.assign(slice=units["unit"]) if not units.empty else units.assign(slice=None)
    frame = pd.concat([company, units], ignore_index=True)
    if frame.empty:
        return frame.assign(slice=pd.Series(dtype=object))
    real = frame.apply(lambda row: is_real(row, alpha), axis=1).astype(bool)
    return frame[real].sort_values("change").reset_index(drop=True)


# -- layout ------------------------------------------------------------------------------------
def _headline_table(frame: pd.DataFrame, confidence: float) -> Markup:
    rows = [
        {
            "metric": LABELS.get(str(row["metric"]), str(row["metric"])),
            "score": score_text(str(row["metric"]), row["score"], row["ci_low"], row["ci_high"]),
            "n": int(row["n"]),
            "flag": row["flag"] or "",
        }
        for row in frame.to_dict("records")
    ]
    return table_html(
        rows,
        [
            ("metric", "Metric"),
            ("score", f"Score [{confidence:.0%} interval]"),
            ("n", "Responses"),
            ("flag", "Note"),
        ],
    )


def _unit_table(ws: Workspace, scope: ReportScope, quarter: dt.date) -> Markup:
    alpha = 1.0 - ws.settings.confidence
    frame = latest_rows(unit_quarterly(ws, scope), quarter)
    rows = []
    for unit, group in frame.groupby("unit", sort=True):
        by_metric = {str(row["metric"]): row for row in group.to_dict("records")}
        row: dict[str, Any] = {"unit": unit}
        for metric in ("nps", "csat", "ces"):
            found = by_metric.get(metric)
            if found is None:
                continue
            row[metric] = score_text(metric, found["score"], found["ci_low"], found["ci_high"])
            if metric == "nps":
                row["n"] = int(found["n"])
                row["change"] = change_text("nps", found, alpha)
        rows.append(row)
    return table_html(
        rows,
        [
            ("unit", "Unit"),
            ("nps", "NPS"),
            ("change", "NPS against the quarter before"),
            ("csat", "CSAT"),
            ("ces", "CES"),
            ("n", "Answers"),
        ],
    )


def complete_only(
    frame: pd.DataFrame,
    period: str,
    *,
    today: dt.date,
    min_n: int,
    end: dt.date | None = None,
) -> tuple[pd.DataFrame, list[str]]:
    """The complete periods of a trend (``end``: the day of the latest answer), and the labels
    of those left out (and why)."""
    if frame.empty:
        return frame, []
    status = period_status(frame, period, today=today, min_n=min_n, data_end=end)
    left = frame[status != COMPLETE].assign(status=status[status != COMPLETE])
    dropped = sorted(
        {
            f"{display.period_label(row['period'], period)} ({row['status']})"
            for row in left.to_dict("records")
        }
    )
    return frame[status == COMPLETE].reset_index(drop=True), dropped


def _trend_values(frame: pd.DataFrame, period: str) -> list[dict[str, Any]]:
    return [
        {
            "metric": LABELS.get(str(row["metric"]), str(row["metric"])),
            "period": pd.Timestamp(row["period"]).strftime("%Y-%m-%d"),
            "label": display.period_label(row["period"], period),
            "score": round(float(row["score"]), 2),
            "low": round(float(row["ci_low"]), 2),
            "high": round(float(row["ci_high"]), 2),
            "n": int(row["n"]),
            **({"unit": str(row["unit"])} if "unit" in row else {}),
        }
        for row in frame.to_dict("records")
    ]


def trend_spec(frame: pd.DataFrame, period: str) -> dict[str, Any]:
    """NPS per period as a line inside its interval band; eNPS, asked in separate waves, as
    points with interval bars and no line (one wave is one point, never a flat line)."""
    values = _trend_values(frame, period)
    x = {
        "field": "period",
        "type": "temporal",
        "title": period.capitalize(),
        "axis": {"format": "%b %Y", "labelAngle": -40, "labelAlign": "right"},
    }
    if period == "quarter":
        x["axis"] = {
            "labelExpr": "year(datum.value) + ' Q' + quarter(datum.value)",
            "labelAngle": -40,
            "labelAlign": "right",
            "tickCount": {"interval": "month", "step": 3},
        }
    y = {"field": "low", "type": "quantitative", "title": "Score (-100 to 100)"}
    color = {"field": "metric", "type": "nominal", "title": None, "legend": {"orient": "top"}}
    customer = {"filter": "datum.metric != 'eNPS'"}
    staff = {"filter": "datum.metric == 'eNPS'"}
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {"values": values},
        "width": 560,
        # 170 high, the company's trend fits under the units' small multiples and their table
        # on the scores' first page (at 200 it left a third of that page empty).
        "height": 170,
        "encoding": {"x": x, "color": color},
        "layer": [
            {
                "transform": [customer],
                "mark": {"type": "area", "opacity": 0.18},
                "encoding": {"y": y, "y2": {"field": "high"}},
            },
            {
                "transform": [customer],
                "mark": {"type": "line", "point": True},
                "encoding": {"y": {"field": "score", "type": "quantitative"}},
            },
            {
                "transform": [staff],
                "mark": {"type": "rule", "strokeWidth": 2},
                "encoding": {"y": y, "y2": {"field": "high"}},
            },
            {
                "transform": [staff],
                "mark": {"type": "point", "filled": True, "size": 70, "shape": "diamond"},
                "encoding": {"y": {"field": "score", "type": "quantitative"}},
            },
        ],
    }


def unit_trend_spec(frame: pd.DataFrame) -> dict[str, Any]:
    """NPS by quarter for each unit (and the whole company first), small multiples with bands."""
    values = _trend_values(frame, "quarter")
    order = ["All units", *sorted({v["unit"] for v in values} - {"All units"})]
    x = {
        "field": "period",
        "type": "temporal",
        "title": None,
        "axis": {
            "labelExpr": "year(datum.value) + ' Q' + quarter(datum.value)",
            "labelAngle": -40,
            "labelAlign": "right",
            "tickCount": {"interval": "month", "step": 3},
        },
    }
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {"values": values},
        "facet": {"field": "unit", "type": "nominal", "title": None, "sort": order},
        "columns": 3,
        "spec": {
            "width": 150,
            "height": 100,
            "encoding": {"x": x},
            "layer": [
                {
                    "mark": {"type": "area", "opacity": 0.2, "color": "#1f6f8b"},
                    "encoding": {
                        "y": {"field": "low", "type": "quantitative", "title": "NPS"},
                        "y2": {"field": "high"},
                    },
                },
                {
                    "mark": {"type": "line", "point": True, "color": "#1f6f8b"},
                    "encoding": {"y": {"field": "score", "type": "quantitative"}},
                },
            ],
        },
    }


def _trend_part(ws: Workspace, scope: ReportScope) -> Markup:
    today, min_n = report_day(ws, scope), ws.settings.min_n
    months = _scores(ws, scope, ("nps",), period="month")
    period = "month" if len(months) <= MAX_MONTHS else "quarter"
    customer = months if period == "month" else quarterly(ws, scope)
    customer = customer[customer["metric"] == "nps"]
    customer, dropped = complete_only(customer, period, today=today, min_n=min_n, end=data_end(ws))
    staff = quarterly(ws, scope)
    staff, _ = complete_only(staff[staff["metric"] == "enps"], "quarter", today=today, min_n=1)
    if customer.empty:
        return Markup()
    frame = pd.concat([customer, staff], ignore_index=True)
    body = Markup("<h3 id='trend'>Over time</h3>") + chart_svg(
        trend_spec(frame, period), label=f"NPS by {period} with its interval band"
    )
    notes = []
    if not staff.empty:
        notes.append(
            "eNPS is asked in waves: each diamond is one wave with its interval, not a trend."
        )
    if dropped:
        notes.append("Left out: " + ", ".join(dropped) + f"; a {period} needs {min_n} answers.")
    for note in notes:
        body += Markup("<p class='note'>{}</p>").format(note)
    return body


def _unit_trend_part(ws: Workspace, scope: ReportScope) -> Markup:
    if scope.unit is not None:
        return Markup()
    today, min_n = report_day(ws, scope), ws.settings.min_n
    units = unit_quarterly(ws, scope)
    units = units[units["metric"] == "nps"]
    company = quarterly(ws, scope)
    company = company[company["metric"] == "nps"].assign(unit="All units")
    frame, dropped = complete_only(
        pd.concat([company, units], ignore_index=True),
        "quarter",
        today=today,
        min_n=min_n,
        end=data_end(ws),
    )
    if frame.empty or frame["unit"].nunique() < 2:
        return Markup()
    body = Markup("<h3 id='trend-by-unit'>NPS by unit, quarter by quarter</h3>") + chart_svg(
        unit_trend_spec(frame), label="NPS by unit and quarter with interval bands"
    )
    if dropped:
        body += Markup("<p class='note'>Quarters left out: {}.</p>").format(", ".join(dropped))
    return body


def build(ws: Workspace, scope: ReportScope) -> Section:
    headline = headline_scores(ws, scope)
    if headline.empty:
        return Section.absent(
            TITLE,
            "import survey answers with nps, csat or ces columns: "
            "advocacy import FILE --kind responses (eNPS: --kind employee-responses)",
        )
    confidence = ws.settings.confidence
    body = _unit_trend_part(ws, scope)
    quarter = latest_quarter(ws, scope)
    if quarter is not None and scope.unit is None:
        body += Markup("<h3 id='units'>Units in {}, the latest complete quarter</h3>").format(
            display.period_label(quarter, "quarter")
        )
        body += _unit_table(ws, scope, quarter)
    body += _trend_part(ws, scope)
    if undated(ws, scope):
        body += Markup("<p class='note'>{}</p>").format(UNDATED)
    else:
        metric, missing, total = undated_answers(ws, scope)
        if missing:
            body += Markup("<p class='note'>{}</p>").format(
                f"{missing:,} of {total:,} {SHORT[metric]} answers carry no date: they count "
                "in the scores over the whole period below, but in no month or quarter, so the "
                "trend and the latest quarter leave them out."
            )
    body += Markup("<h3>Over the whole period</h3>")
    body += _headline_table(headline, confidence)
    notes = [
        f"Each score carries its {confidence:.0%} interval; scores on fewer than "
        f"{ws.settings.min_n} answers are flagged. Changes are two-sample tests (NPS: Rocks' z "
        "on the trinomial variance; shares: two-proportion z; means: Welch's t) with the "
        f"{ws.settings.correction} correction across slices; see the methods appendix."
    ]
    return Section(title=TITLE, body=body, notes=notes, anchor=ANCHOR)
