"""The executive summary: the three things to do first, and why, in plain words.

Findings come from *finders*: functions ``(ws, scope) -> list[Finding]`` listed in
:data:`FINDERS`. The scores contribute significant drops, the weakest unit and a negative eNPS;
other analyses (the gap register, advocates, culture) add their finders to the list as they
land. Each finding carries a ``weight`` (points of score at stake, or the analysis' own priority
on the same scale) and the summary shows the three heaviest, so every recommendation traces to a
number in the report. When no finding survives its test, the summary says so instead of
inventing one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from advocacy.report.section import ReportScope, Section
from advocacy.report.sections.loop import plan_findings
from advocacy.report.sections.metrics import (
    LABELS,
    headline_scores,
    significant_changes,
)

if TYPE_CHECKING:
    from advocacy.workspace import Workspace

TITLE = "Executive summary"
#: How many recommendations the summary leads with.
FIRST_THINGS = 3


@dataclass(frozen=True)
class Finding:
    """One thing to do, why, and how much is at stake (larger ``weight`` comes first)."""

    action: str
    why: str
    weight: float
    source: str = "scores"


Finder = Callable[["Workspace", ReportScope], list[Finding]]


def _label(metric: str) -> str:
    return LABELS.get(metric, metric)


def score_findings(ws: Workspace, scope: ReportScope) -> list[Finding]:
    """Significant drops, units significantly below the rest, and a negative eNPS."""
    findings: list[Finding] = []
    changes = significant_changes(ws, scope)
    drops = changes[(changes["change"] < 0) & (changes["comparison"] == "previous quarter")]
    seen: set[str] = set()
    for row in drops.to_dict("records"):
        where = "the whole company" if row["slice"] == "all" else str(row["slice"])
        if where in seen or row["metric"] == "ces":
            continue
        seen.add(where)
        quarter = f"the quarter starting {row['period']}"
        findings.append(
            Finding(
                action=f"Find out what changed for {where} and fix it.",
                why=f"{_label(str(row['metric']))} went from {row['reference_score']:.1f} to "
                f"{row['score']:.1f} in {quarter}: {row['verdict']}.",
                weight=abs(float(row["change"])),
            )
        )
    below = changes[(changes["change"] < 0) & (changes["comparison"] == "rest of company")]
    below = below[below["metric"] == "nps"]
    if not below.empty and scope.unit is None:
        worst = below.sort_values("change").iloc[0]
        findings.append(
            Finding(
                action=f"Bring {worst['slice']} up to the rest of the company.",
                why=f"Its NPS is {worst['score']:.1f} against {worst['reference_score']:.1f} "
                f"elsewhere: {worst['verdict']}.",
                weight=abs(float(worst["change"])),
            )
        )
    headline = headline_scores(ws, scope)
    employees = headline[headline["metric"] == "enps"]
    if not employees.empty and float(employees["ci_high"].iloc[0]) < 0:
        employee = employees.iloc[0]
        findings.append(
            Finding(
                action="Listen to employees before asking them to delight customers.",
                why=f"eNPS is {employee['score']:.1f} (interval {employee['ci_low']:.1f} to "
                f"{employee['ci_high']:.1f}, {int(employee['n'])} answers): more staff would "
                "warn a friend off working here than recommend it.",
                weight=abs(float(employee["ci_high"])) / 2,
            )
        )
    return findings


#: Every finder the summary consults; analyses append theirs (keep each one cheap).
FINDERS: list[Finder] = [score_findings, plan_findings]


def collect_findings(ws: Workspace, scope: ReportScope) -> list[Finding]:
    """Every finder's findings, heaviest first."""
    findings = [finding for finder in FINDERS for finding in finder(ws, scope)]
    return sorted(findings, key=lambda finding: finding.weight, reverse=True)


def _standing(ws: Workspace, scope: ReportScope) -> Markup:
    headline = headline_scores(ws, scope)
    parts = []
    for row in headline.to_dict("records"):
        digits = 2 if row["metric"] == "ces" else 1
        parts.append(
            f"{_label(str(row['metric']))} {row['score']:.{digits}f} "
            f"({row['ci_low']:.{digits}f} to {row['ci_high']:.{digits}f})"
        )
    if not parts:
        return Markup("")
    where = f"{scope.unit} stands at" if scope.unit else "Where the company stands:"
    return Markup("<p class='standing'>{} {}.</p>").format(where, "; ".join(parts))


def build(ws: Workspace, scope: ReportScope) -> Section:
    findings = collect_findings(ws, scope)
    standing = _standing(ws, scope)
    if not findings and not standing:
        return Section.absent(
            TITLE, "import survey answers (advocacy import FILE --kind responses) to get one"
        )
    body = standing
    if findings:
        items = "".join(
            f"<li><strong>{escape(finding.action)}</strong> {escape(finding.why)}</li>"
            for finding in findings[:FIRST_THINGS]
        )
        body += Markup("<h3>Three things to do first</h3><ol class='first-things'>")
        body += Markup(items) + Markup("</ol>")
        if len(findings) < FIRST_THINGS:
            body += Markup(
                "<p class='note'>Only {} finding(s) passed their tests; the rest of the "
                "evidence shows no change larger than chance.</p>"
            ).format(len(findings))
    else:
        body += Markup(
            "<p>No score dropped significantly and no unit falls significantly below the rest: "
            "nothing in the evidence calls for urgent action. The sections below show where "
            "the margins are.</p>"
        )
    return Section(title=TITLE, body=body)
