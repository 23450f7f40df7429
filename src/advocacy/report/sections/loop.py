"""The report's "Closing the loop" section: how cases are worked, and whether action plans work.

Two parts, each from one library call: the cases' results (opened, closed, time to first contact,
share closed within due time, recovery rate by unit against comparable customers without a case,
:func:`advocacy.loop.cases.recovery.loop_results`) and the action plans with their frozen baseline,
movement, interval and verdict (:func:`advocacy.loop.plans.progress.plans_progress`). A
workspace with neither gets one line on how to start.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import pandas as pd
from markupsafe import Markup

from advocacy import display
from advocacy.advocates.evidence import as_of_end
from advocacy.loop.cases.recovery import loop_results
from advocacy.loop.plans.progress import plan_summary, plans_progress
from advocacy.metrics.catalogue import METRICS
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

TITLE = "Closing the loop"
#: What the report says to start the plans, when there are neither cases nor plans.
START_PLANS = (
    "start a plan on a top gap with advocacy plans add --link gap:ID "
    "(advocacy plans gap-suggestions lists the ids)"
)
HOW_TO_ADD = (
    "no cases or action plans yet: turn on case rules (advocacy cases rules) so unhappy customers "
    f"get a call back, and {START_PLANS}"
)


#: Bar colour of each verdict, the same in the report and on the plans page.
VERDICT_COLORS = {
    "improved": "#2e7d32",
    "worsened": "#c62828",
    "no clear change": "#9e9e9e",
    "too early": "#bdbdbd",
}


def plan_movement_specs(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per metric, each plan's change since its start as a bar inside its interval.

    ``rows`` are :func:`advocacy.loop.plans.progress.plan_summary` rows; plans without a measured
    change yet are left out, and a metric with none gets no chart.
    """
    specs = []
    for metric in dict.fromkeys(row["metric"] for row in rows):
        values = [
            {
                "plan": row["title"],
                "change": row["change"],
                "low": row["change_low"],
                "high": row["change_high"],
                "verdict": row["verdict"],
            }
            for row in rows
            if row["metric"] == metric
            and row["change"] is not None
            and row["change_low"] is not None
        ]
        if not values:
            continue
        title = f"Change in {metric} since the start (current - baseline)"
        spec = interval_bars(values, category="plan", value="change", title=title)
        spec["description"] = f"{title}, each plan with its interval"
        spec["layer"][0]["encoding"]["color"] = {
            "field": "verdict",
            "type": "nominal",
            "legend": {"orient": "bottom", "title": None},
            "scale": {"domain": list(VERDICT_COLORS), "range": list(VERDICT_COLORS.values())},
        }
        specs.append(spec)
    return specs


def _as_of(ws: Workspace, scope: ReportScope) -> dt.datetime | None:
    """The end of the report's last day in the workspace's time zone (the one as-of rule)."""
    return as_of_end(scope.until, ws.settings.timezone, "until")


def _units(scope: ReportScope) -> list[str] | None:
    """A report limited to one unit shows only the plans measured in that unit."""
    return [scope.unit] if scope.unit else None


def _percent(value: Any) -> str:
    return "–" if value is None else f"{100 * float(value):.0f}%"


def _interval(low: Any, high: Any, *, percent: bool = False) -> str:
    if low is None or high is None:
        return ""
    if percent:
        return f"[{_percent(low)}, {_percent(high)}]"
    return f"[{float(low):.1f}, {float(high):.1f}]"


def _hours(value: Any) -> str:
    return "–" if value is None else f"{float(value):.1f} h"


def _case_rows(groups: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    return [
        {
            key: group.get(key, "all cases"),
            "cases": group["cases"],
            "closed": group["cases"] - group["open"],
            "overdue": group["overdue"],
            "contact": _hours(group["hours_to_contact_median"]),
            "in_time": _percent(group["closed_in_time_share"])
            + " "
            + _interval(group["closed_in_time_low"], group["closed_in_time_high"], percent=True),
            "recovery": _percent(group["recovery_rate"])
            + " "
            + _interval(group["recovery_low"], group["recovery_high"], percent=True)
            + f" (n={group['recovery_eligible']})",
        }
        for group in groups
    ]


#: The work tables each part of the section reads (a Parquet source holds none of them).
CASE_TABLES, PLAN_TABLES = ("cases", "case_events"), ("initiatives",)


def _results(ws: Workspace, scope: ReportScope) -> Any:
    """The loop's results for the scope (read once per report); None without cases."""
    if ws.unavailable(*CASE_TABLES) is not None:
        return None
    return remembered(
        ("loop-results", scope),
        lambda: loop_results(
            ws.db, now=_as_of(ws, scope), confidence=ws.settings.confidence, units=_units(scope)
        ),
    )


def _progress(ws: Workspace, scope: ReportScope) -> list[Any]:
    """Every plan's progress for the scope (read once per report); none without plans."""
    if ws.unavailable(*PLAN_TABLES) is not None:
        return []
    return remembered(  # type: ignore[no-any-return]
        ("plans-progress", scope),
        lambda: plans_progress(
            ws.db, settings=ws.settings, now=_as_of(ws, scope), units=_units(scope)
        ),
    )


def _cases(ws: Workspace, scope: ReportScope) -> Markup | None:
    results = _results(ws, scope)
    if results is None or not results.overall["cases"]:
        return None
    columns = [
        ("cases", "Cases opened"),
        ("closed", "Resolved or closed"),
        ("overdue", "Open past due"),
        ("contact", "Median time to first contact"),
        ("in_time", "Closed within due time"),
        ("recovery", "Recovered"),
    ]
    overall = table_html(_case_rows([{"group": "all", **results.overall}], "group"), columns)
    by_unit = table_html(_case_rows(results.by_unit, "unit"), [("unit", "Unit"), *columns])
    comparison = results.comparison
    words = Markup("<p>{}</p>").format(
        f"Detractors with a case recovered {_percent(comparison['case_rate'])} of the time "
        f"(n={comparison['cases_eligible']}); comparable detractors without a case "
        f"{_percent(comparison['comparison_rate'])} (n={comparison['comparison_eligible']}). "
        "Difference "
        + (
            f"{display.points(100 * comparison['difference'], 0)} "
            + _interval(100 * comparison["difference_low"], 100 * comparison["difference_high"])
            if comparison["difference"] is not None
            else "not yet measurable"
        )
        + f", within {results.window_days} days of the case opening."
    )
    return (
        Markup("<h3 id='cases'>Cases</h3>") + overall + Markup("<h4>By unit</h4>") + by_unit + words
    )


def _plans(ws: Workspace, scope: ReportScope) -> Markup | None:
    rows = [plan_summary(progress) for progress in _progress(ws, scope)]
    if not rows:
        return None
    shown = [
        {
            **row,
            "metric": f"{row['metric']} ({row['scope']})",
            "baseline": _value(row["baseline"], row["baseline_n"]),
            "current": _value(row["current"], row["current_n"]),
            "change": "–" if row["change"] is None else _change(str(row["metric"]), row["change"]),
            "interval": _interval(row["change_low"], row["change_high"]),
        }
        for row in rows
    ]
    table = table_html(
        shown,
        [
            ("title", "Plan"),
            ("status", "Status"),
            ("owner", "Owner"),
            ("metric", "Metric"),
            ("starts_on", "Started"),
            ("baseline", "Baseline"),
            ("current", "Since the start"),
            ("change", "Change"),
            ("interval", "Interval"),
            ("verdict", "Verdict"),
        ],
    )
    # As the plan's web page says: before/after, no control group, not proof of cause. Under
    # the table, not a column of it: a paragraph per row made it too wide for a printed page.
    compared = [row for row in shown if row.get("comparison")]
    if compared:
        table += Markup("<p>What each verdict compares:</p><ul class='note'>{}</ul>").format(
            Markup("").join(
                Markup("<li>{}: {}</li>").format(row["title"], row["comparison"])
                for row in compared
            )
        )
    chart = Markup()
    for spec in plan_movement_specs(rows):
        chart += chart_svg(spec, label=spec["description"])
    improved = sum(1 for row in rows if row["verdict"] == "improved")
    intro = Markup("<p>{}</p>").format(
        f"{len(rows)} action plan{'s' if len(rows) != 1 else ''}; {improved} improved its "
        'metric beyond doubt. Each baseline was frozen when the plan was made; "too early" '
        "means fewer answers since the start than the minimum."
    )
    return Markup("<h3 id='plans'>Action plans</h3>") + intro + chart + table


def _change(metric: str, change: Any) -> str:
    """A plan's movement: in points for NPS, eNPS and shares (a theme's too), a mean's (CSAT
    mean, CES) on its own scale.

    >>> _change("csat", 1.06), _change("ces", -0.213), _change("theme-share", -4.0)
    ('+1.1 points', '−0.21', '−4.0 points')
    """
    definition = METRICS.get(metric)
    if definition is not None and definition.unit != "points":
        return display.signed(change, 2)
    return display.points(change, 1)


def _value(value: Any, n: Any) -> str:
    return "–" if value is None else f"{float(value):.1f} (n={int(n)})"


def build(ws: Workspace, scope: ReportScope) -> Section:
    """The section: cases (when the workspace has any) and action plans (when it has any)."""
    lacking = ws.unavailable(*CASE_TABLES, *PLAN_TABLES)
    if lacking is not None:  # a Parquet source: the loop's work tables are not there
        return Section.absent(TITLE, lacking)
    parts = [part for part in (_cases(ws, scope), _plans(ws, scope)) if part is not None]
    if not parts:
        return Section.absent(TITLE, no_cases_reason(ws))
    return Section(title=TITLE, body=Markup("").join(parts))


def _latest_evidence(ws: Workspace, tables: set[str]) -> tuple[dt.datetime | None, int]:
    """The latest date of the records in ``tables`` the case rules read, and how many carry
    one."""
    from advocacy.loop.cases.triggers import EVIDENCE_COLUMNS
    from advocacy.store.steady import steady_table

    latest: dt.datetime | None = None
    dated = 0
    for table in sorted(tables):
        _, column, _ = EVIDENCE_COLUMNS[table]
        rows = steady_table(ws.db, table)
        found = rows.aggregate(last=rows[column].max(), n=rows[column].count()).to_pandas()
        last = pd.to_datetime(found["last"].iloc[0], utc=True)
        dated += int(found["n"].iloc[0])
        if not pd.isna(last) and (latest is None or last.to_pydatetime() > latest):
            latest = last.to_pydatetime()
    return latest, dated


def no_cases_reason(ws: Workspace, now: dt.datetime | None = None) -> str:
    """Why a workspace has no case, and what to do, in one line for "Not covered yet".

    Without an enabled rule reading responses or mentions, it says to turn the rules on. With
    rules on and every record they read dated more than the import's case window before
    ``now`` (an import of history: an import opens cases only on evidence of its last
    :data:`~advocacy.loop.cases.backfill.IMPORT_WINDOW_DAYS` days), it says so and how to open
    cases on the older evidence. Otherwise the rules met no record.
    """
    from advocacy.loop.cases.backfill import IMPORT_WINDOW_DAYS
    from advocacy.loop.cases.rules import TRIGGER_KINDS

    if ws.unavailable("case_rules", "responses", "mentions") is not None:
        return HOW_TO_ADD  # a Parquet source: its rules are not there to read
    rules = [rule for rule in ws.cases.rules() if rule.enabled]
    tables = {table for rule in rules for table in TRIGGER_KINDS.get(rule.trigger, ())}
    if not tables:
        return HOW_TO_ADD
    names = ", ".join(
        rule.rule_id for rule in rules if set(TRIGGER_KINDS.get(rule.trigger, ())) & tables
    )
    latest, dated = _latest_evidence(ws, tables)
    now = now or dt.datetime.now(dt.UTC)
    if latest is not None and latest < now - dt.timedelta(days=IMPORT_WINDOW_DAYS):
        start = (latest - dt.timedelta(days=IMPORT_WINDOW_DAYS)).date().isoformat()
        cases = (
            f"no cases: the case rules are on ({names}), but all {display.number(dated)} dated "
            f"records they read are older than {IMPORT_WINDOW_DAYS} days (the latest is of "
            f"{latest.date().isoformat()}), and an import opens cases only on evidence of its "
            f"last {IMPORT_WINDOW_DAYS} days; to open cases on the older evidence: advocacy "
            f"cases open --since DATE (e.g. --since {start})"
        )
    else:
        cases = (
            f"no cases: the case rules are on ({names}) and no record met them "
            "(advocacy cases rules shows what each rule asks for)"
        )
    return f"{cases}. No action plans yet: {START_PLANS}"


def recovery_findings(ws: Workspace, scope: ReportScope) -> list[Finding]:
    """Detractors with a case recover more or less often than comparable ones without one,
    beyond doubt (the difference's interval excludes zero): either way the loop needs a look."""
    from advocacy.report.sections.summary import COMPANY_OWNER, SOON_DAYS, Finding, due_in

    results = _results(ws, scope)
    if results is None:
        return []
    comparison = results.comparison
    low, high = comparison.get("difference_low"), comparison.get("difference_high")
    if comparison.get("difference") is None or low is None or high is None or low <= 0 <= high:
        return []
    difference = 100 * float(comparison["difference"])
    why = (
        f"Detractors with a case recovered {_percent(comparison['case_rate'])} of the time "
        f"(n={comparison['cases_eligible']}), comparable ones without a case "
        f"{_percent(comparison['comparison_rate'])} (n={comparison['comparison_eligible']}): "
        f"{display.points(difference, 0)} {_interval(100 * low, 100 * high)}."
    )
    if difference < 0:
        action = "Fix how cases are worked: a call back leaves detractors worse off."
        effect = (
            f"At least the {_percent(comparison['comparison_rate'])} recovery of customers "
            "without a case, for every detractor the loop reaches."
        )
    else:
        action = "Open a case for every detractor: the call back works."
        effect = (
            f"About {difference:.0f} more of every 100 detractors reached recover, on the "
            f"evidence of the last {results.window_days} days."
        )
    return [
        Finding(
            action=action,
            why=why,
            weight=abs(difference),
            owner=COMPANY_OWNER,
            due=due_in(ws, scope, SOON_DAYS),
            effect=effect,
            evidence="cases",
            subject="recovery",
            source="cases",
        )
    ]


def plan_findings(ws: Workspace, scope: ReportScope) -> list[Finding]:
    """A plan whose metric worsened beyond doubt since it started is worth a second look."""
    from advocacy.report.sections.metrics import SHORT
    from advocacy.report.sections.summary import URGENT_DAYS, Finding, due_in

    findings = []
    for progress in _progress(ws, scope):
        row = plan_summary(progress)
        if row["verdict"] != "worsened" or row["status"] == "dropped":
            continue
        scope_text = str(row["scope"])
        unit = scope_text.split("=", 1)[1] if scope_text.startswith("unit=") else None
        metric = SHORT.get(str(row["metric"]), str(row["metric"]))
        findings.append(
            Finding(
                action=f'Rethink the plan "{row["title"]}".',
                why=f"Since it started on {row['starts_on']}, {metric}"
                + (f" in {unit}" if unit else "")
                + f" went from {display.number(row['baseline'], 1)} to "
                f"{display.number(row['current'], 1)}: "
                + display.estimate(row["change"], row["change_low"], row["change_high"])
                + ".",
                weight=abs(float(row["change_high"])),
                owner=str(row.get("owner") or "the plan's owner"),
                due=due_in(ws, scope, URGENT_DAYS),
                effect=f"{metric} back to its baseline of {display.number(row['baseline'], 1)}.",
                evidence="plans",
                # A plan on a unit is about that unit: one finding with its drop, not two.
                subject=unit or "company",
                source="plans",
            )
        )
    return findings
