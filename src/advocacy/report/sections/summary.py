"""The executive summary, one page: KPI tiles for the latest complete quarter and the three to
five findings that matter, each with an owner, a due date, its expected effect and a link to the
evidence further on.

Findings come from *finders*: functions ``(ws, scope) -> list[Finding]`` listed by
:func:`finders`. The scores contribute significant drops in the latest complete quarter and units
below the rest of the company; the gap register its top gaps; the loop a plan that made things
worse and a recovery rate that differs from that of comparable customers without a case; the
culture survey a negative eNPS. Each finding carries a ``weight`` (points of score at stake, or
the analysis' own priority on a like scale) and a ``subject`` (what it is about): the summary
keeps the heaviest finding per subject, so no two recommendations are the same one, and shows
the heaviest :data:`MOST_FINDINGS`. When no finding survives its test, it says so instead of
inventing one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import pandas as pd
from markupsafe import Markup

from advocacy import display
from advocacy.metrics.scores import ScoreResult
from advocacy.report.section import ReportScope, Section, remembered, report_day
from advocacy.report.sections.metrics import (
    LABELS,
    SHORT,
    UNDATED,
    change_text,
    headline_scores,
    latest_quarter,
    latest_rows,
    partial_quarter,
    quarterly,
    score_text,
    significant_changes,
    undated,
)
from advocacy.report.sections.review_ratings import RatingChange, RatingStanding, rating_standing
from advocacy.report.sections.theme_findings import stored_themes

if TYPE_CHECKING:
    from advocacy.workspace import Workspace

TITLE = "Executive summary"
ANCHOR = "summary"
#: The most findings the summary lists (it lists every one when there are fewer).
MOST_FINDINGS = 5
#: Who owns a finding about the whole company.
COMPANY_OWNER = "Head of customer experience"
#: Days to act on a finding, by urgency.
URGENT_DAYS, SOON_DAYS, LATER_DAYS = 30, 60, 90


@dataclass(frozen=True)
class Finding:
    """One thing to do, why, who does it by when, what it should bring and where the evidence is.

    A larger ``weight`` comes first; ``subject`` names what the finding is about (a unit, a gap,
    the loop), and the summary keeps one finding per subject. ``tested`` is False for a finding
    that no statistical test stands behind (a count of complaints, a gap's priority): the
    summary's closing line speaks of tests only for the ones that had one.
    """

    action: str
    why: str
    weight: float
    owner: str = COMPANY_OWNER
    due: dt.date | None = None
    effect: str = ""
    evidence: str = ANCHOR
    subject: str = ""
    source: str = "scores"
    tested: bool = True


Finder = Callable[["Workspace", ReportScope], list[Finding]]


def p_text(p: Any) -> str:
    """A corrected p-value as a reader takes it: ``p = 0.012``, ``p < 0.001``."""
    shown = display.p_value(p)
    return f"p {shown}" if shown.startswith("<") else f"p = {shown}"


def due_in(ws: Workspace, scope: ReportScope, days: int) -> dt.date:
    """The day ``days`` after the report's day."""
    return report_day(ws, scope) + dt.timedelta(days=days)


def unit_owner(ws: Workspace, unit: str) -> str:
    """Who answers for ``unit``: its manager's role from the employees table (a role, never a
    person's name, so the summary carries no personal data), else the unit's lead."""

    def managers() -> dict[str, str]:
        try:
            staff = ws.table("employees").select("unit", "role").distinct().to_pandas()
        except Exception:
            return {}
        staff = staff.dropna()
        lead = staff[staff["role"].str.contains("manager|head", case=False, regex=True)]
        return {str(row["unit"]): str(row["role"]) for row in lead.to_dict("records")}

    role = remembered("unit-managers", managers).get(unit)
    return f"{unit} {role}" if role else f"{unit} unit lead"


def _unit_share(ws: Workspace, scope: ReportScope, unit: str, quarter: dt.date) -> float:
    """The unit's share of the company's NPS answers in ``quarter``."""
    from advocacy.report.sections.metrics import unit_quarterly

    units = latest_rows(unit_quarterly(ws, scope), quarter)
    units = units[units["metric"] == "nps"]
    total = float(units["n"].sum())
    mine = float(units.loc[units["unit"] == unit, "n"].sum())
    return mine / total if total else 0.0


def score_findings(ws: Workspace, scope: ReportScope) -> list[Finding]:
    """Drops a test calls real in the latest complete quarter, and units below the rest."""
    findings: list[Finding] = []
    quarter = latest_quarter(ws, scope)
    if quarter is None:
        return findings
    label = display.period_label(quarter, "quarter")
    changes = significant_changes(ws, scope)
    for row in changes[changes["change"] < 0].to_dict("records"):
        metric, where = str(row["metric"]), str(row["slice"])
        digits = 2 if metric == "ces" else 1
        before = display.number(row["reference_score"], digits)
        now = display.number(row["score"], digits)
        # CES moves on a 1-7 scale: weigh a point of it like ~15 points of a -100..100 score.
        weight = abs(float(row["change"])) * (15 if metric == "ces" else 1)
        if where == "all":
            subject, owner, evidence, who = "company", COMPANY_OWNER, "trend", "the company"
            effect = f"{SHORT[metric]} back to about {before} across the company."
        else:
            subject, owner, evidence, who = where, unit_owner(ws, where), "trend-by-unit", where
            share = _unit_share(ws, scope, where, quarter) if metric == "nps" else 0.0
            effect = f"{where}'s {SHORT[metric]} back to about {before}"
            if share:
                lift = display.number(share * abs(float(row["change"])), 1)
                effect += f", lifting the company's NPS by about {lift} points"
            effect += "."
        findings.append(
            Finding(
                action=f"Find out what changed for {who} and fix it.",
                why=f"{SHORT[metric]} fell from {before} to {now} in {label} "
                f"({display.number(int(row['n']))} answers; {p_text(row['p_adjusted'])}).",
                weight=weight,
                owner=owner,
                due=due_in(ws, scope, URGENT_DAYS),
                effect=effect,
                evidence=evidence,
                subject=subject,
            )
        )
    below = _below_rest(ws, scope, quarter)
    for row in below.to_dict("records"):
        unit = str(row["unit"])
        gap = abs(float(row["change"]))
        share = _unit_share(ws, scope, unit, quarter)
        findings.append(
            Finding(
                action=f"Bring {unit} up to the rest of the company.",
                why=f"In {label} its NPS was {display.number(row['score'], 1)} against "
                f"{display.number(row['reference_score'], 1)} elsewhere "
                f"({p_text(row['p_adjusted'])}).",
                weight=gap,
                owner=unit_owner(ws, unit),
                due=due_in(ws, scope, SOON_DAYS),
                effect=f"Closing half the gap lifts {unit}'s NPS by about "
                f"{display.number(gap / 2, 1)} and the company's by about "
                f"{display.number(share * gap / 2, 1)} points.",
                evidence="units",
                subject=unit,
            )
        )
    return findings


def _below_rest(ws: Workspace, scope: ReportScope, quarter: dt.date) -> pd.DataFrame:
    """Units whose NPS in ``quarter`` is significantly below the rest of the company."""
    if scope.unit is not None:
        return pd.DataFrame(columns=["unit", "change"])
    from advocacy.metrics.periods import period_end
    from advocacy.report.sections.metrics import is_real

    end = period_end(quarter, "quarter") - dt.timedelta(days=1)
    frame = ws.metrics.scores(["nps"], by="unit", compare="rest", since=quarter, until=end)
    alpha = 1.0 - ws.settings.confidence
    frame = frame[frame["n"] > 0]
    real = frame.apply(lambda row: is_real(row, alpha), axis=1).astype(bool)
    return frame[real & (frame["change"] < 0)]


def staff_findings(ws: Workspace, scope: ReportScope) -> list[Finding]:
    """A negative eNPS in the latest wave, beyond doubt."""
    frame = quarterly(ws, scope)
    staff = frame[frame["metric"] == "enps"]
    if staff.empty:
        return []
    wave = staff.sort_values("period").iloc[-1]
    if float(wave["ci_high"]) >= 0:
        return []
    return [
        Finding(
            action="Listen to employees before asking them to delight customers.",
            why=f"eNPS is {score_text('enps', wave['score'], wave['ci_low'], wave['ci_high'])} "
            f"({int(wave['n'])} answers, {display.period_label(wave['period'], 'quarter')}): "
            "more staff would warn a friend off working here than recommend it.",
            weight=abs(float(wave["ci_high"])) / 2,
            owner="People lead",
            due=due_in(ws, scope, LATER_DAYS),
            effect="eNPS above zero at the next wave.",
            evidence="culture-and-people",
            subject="employees",
            source="culture",
        )
    ]


def finders() -> list[Finder]:
    """Every finder the summary consults (the sections' own finders are imported here, as
    they import :class:`Finding` from this module)."""
    from advocacy.report.sections.gaps import gap_findings
    from advocacy.report.sections.loop import plan_findings, recovery_findings
    from advocacy.report.sections.theme_findings import theme_findings

    return [
        score_findings,
        rating_findings,
        gap_findings,
        theme_findings,
        recovery_findings,
        plan_findings,
        staff_findings,
    ]


def collect_findings(ws: Workspace, scope: ReportScope) -> list[Finding]:
    """The findings, heaviest first, one per subject."""
    found = [finding for finder in finders() for finding in finder(ws, scope)]
    kept: dict[str, Finding] = {}
    for finding in sorted(found, key=lambda finding: finding.weight, reverse=True):
        key = (finding.subject or finding.action).lower()
        if key in kept:  # the same subject: one finding, naming the lighter one's action too
            first = kept[key]
            if finding.action != first.action and finding.action not in first.why:
                kept[key] = replace(first, why=f"{first.why} Also: {finding.action}")
        else:
            kept[key] = finding
    return list(kept.values())


# -- layout ------------------------------------------------------------------------------------
def tile_markup(name: str, score: str, interval: str, change: str, count: str) -> Markup:
    """One tile: its name, score, interval, change (``better``/``worse`` colour it) and n."""
    mood = ""
    if change.startswith("better"):
        mood = " better"
    elif change.startswith("worse"):
        mood = " worse"
    return Markup(
        '<div class="tile{}"><div class="tile-name">{}</div><div class="tile-score">{}</div>'
        '<div class="tile-interval">{}</div><div class="tile-change">{}</div>'
        '<div class="tile-n">{}</div></div>'
    ).format(mood, name, score, interval, change, count)


def _tile(ws: Workspace, metric: str, row: Any, label: str) -> Markup:
    alpha = 1.0 - ws.settings.confidence
    digits = display.digits_for(row["ci_low"], row["ci_high"])
    score = display.number(row["score"], digits) + ("%" if metric in ("csat", "top-box") else "")
    interval = score_text(metric, row["score"], row["ci_low"], row["ci_high"])
    interval = interval[interval.find("[") :] if "[" in interval else ""
    return tile_markup(
        LABELS[metric],
        score,
        interval,
        change_text(metric, row, alpha),
        f"{display.number(int(row['n']))} answers · {label}",
    )


def _rating_tile(
    ws: Workspace,
    name: str,
    result: ScoreResult,
    change: RatingChange | None,
    when: str,
    *,
    percent: bool,
    quarantined: int = 0,
) -> Markup:
    """A tile of the reviews' rating: the score, its interval, its change and n (and the rated
    reviews without text, ``quarantined``, that it leaves out)."""
    digits = display.digits_for(result.ci_low, result.ci_high)
    suffix = "%" if percent else ""
    interval = display.estimate(result.score, result.ci_low, result.ci_high, suffix=suffix)
    interval = interval[interval.find("[") :] if "[" in interval else ""
    if change is None:
        moved = {
            "undated": "no dates: no trend",
            "all reviews": f"no quarter has {ws.settings.min_n}: no trend",
        }.get(when, "no earlier quarter to compare")
    else:
        # change_text reads a share's change in points (as CSAT's) and a mean's as CES's.
        row: dict[Any, Any] = {
            "change": change.change,
            "p_adjusted": change.p_adjusted,
            "verdict": "",
        }
        moved = change_text("csat" if percent else "ces", row, 1.0 - ws.settings.confidence)
    label = "all reviews, undated" if when == "undated" else when
    # Beside the number: rated reviews without text are in quarantine, not in it (review27 #1).
    with_text = (
        f" with text ({display.number(quarantined)} rated without, in quarantine)"
        if quarantined
        else ""
    )
    return tile_markup(
        name,
        display.number(result.score, digits) + suffix,
        interval,
        moved,
        f"{display.number(result.n)} reviews{with_text} · {label}",
    )


#: The name of the reviews' rating tile.
REVIEW_TILE = "Review rating"


def rating_tiles(ws: Workspace, scope: ReportScope, *, alone: bool = True) -> Markup:
    """The reviews' mean rating and top-two share, when reviews carry a rating: for their latest
    complete quarter, or over every review when no quarter holds ``min_n`` of them and the
    summary has no other tile (``alone``)."""
    standing = rating_standing(ws, scope)
    if standing is None or (standing.quarter is None and not alone):
        return Markup()
    low, top = display.number(standing.low, 0), display.number(standing.top, 0)
    when = "all reviews" if standing.dated else "undated"
    if standing.quarter is not None:
        when = display.period_label(standing.quarter, "quarter")
    top_two = f"{display.number(standing.top - 1, 0)}-{top}"
    return _rating_tile(
        ws,
        f"{REVIEW_TILE} ({low}-{top})",
        standing.mean,
        standing.mean_change,
        when,
        percent=False,
        quarantined=standing.quarantined,
    ) + _rating_tile(
        ws,
        f"Reviews rated {top_two}",
        standing.top_two,
        standing.top_two_change,
        when,
        percent=True,
        quarantined=standing.quarantined,
    )


def kpi_tiles(ws: Workspace, scope: ReportScope) -> Markup:
    """A tile per metric: the latest complete quarter's score, interval, change and n."""
    frame = quarterly(ws, scope)
    quarter = latest_quarter(ws, scope)
    tiles = Markup()
    customer = latest_rows(frame, quarter)
    for metric in ("nps", "csat", "ces"):
        rows = customer[customer["metric"] == metric]
        if not rows.empty:
            tiles += _tile(ws, metric, rows.iloc[0], display.period_label(quarter, "quarter"))
    staff = frame[frame["metric"] == "enps"]
    if quarter is not None:
        staff = staff[pd.to_datetime(staff["period"]).dt.date <= quarter]
    if not staff.empty:
        wave = staff.sort_values("period").iloc[-1]
        label = "wave of " + display.period_label(wave["period"], "quarter")
        tiles += _tile(ws, "enps", wave, label)
    tiles += rating_tiles(ws, scope, alone=not tiles)
    return Markup('<div class="tiles">{}</div>').format(tiles) if tiles else Markup()


#: The words of each evidence link, by the anchor it points to.
EVIDENCE = {
    "trend": "Scores over time",
    "trend-by-unit": "NPS by unit",
    "units": "Units this quarter",
    "gap-register": "Gap register",
    "cases": "Cases",
    "plans": "Action plans",
    "culture-and-people": "Culture",
    "themes": "Themes",
}


def _findings_table(findings: list[Finding]) -> Markup:
    rows = Markup()
    for number, finding in enumerate(findings, start=1):
        rows += Markup(
            "<tr><td class='num'>{}</td><td><strong>{}</strong> {}</td><td>{}</td>"
            "<td class='due'>{}</td><td>{} <a href='#{}'>See: {}</a></td></tr>"
        ).format(
            number,
            finding.action,
            finding.why,
            finding.owner,
            "" if finding.due is None else finding.due.isoformat(),
            finding.effect,
            finding.evidence,
            EVIDENCE.get(finding.evidence, "the evidence"),
        )
    return Markup(
        "<table class='findings'><colgroup><col style='width:4%'><col style='width:46%'>"
        "<col style='width:14%'><col style='width:11%'><col style='width:25%'></colgroup>"
        "<thead><tr><th>#</th><th>Finding</th><th>Owner</th><th>Due</th>"
        "<th>Expected effect and evidence</th></tr></thead><tbody>{}</tbody></table>"
    ).format(rows)


def _rating_standing_text(ws: Workspace, standing: RatingStanding) -> str:
    if standing.quarter is None and not standing.dated:
        text = "Every review (none carries a date, so there is no trend)"
    elif standing.quarter is None:
        text = (
            f"Every review (no complete quarter holds {ws.settings.min_n} of them, so there is "
            "no trend)"
        )
    else:
        text = (
            f"The reviews of the latest complete quarter, "
            f"{display.period_label(standing.quarter, 'quarter')}"
        )
    text += (
        f": their mean rating and the share rated in the top two points, each with its "
        f"{ws.settings.confidence:.0%} interval"
    )
    if standing.quarter is not None:
        text += ", and its change against the quarter before"
    if standing.other_scales:
        text += f" ({display.number(standing.other_scales)} reviews on another scale left out)"
    return text + "." + _quarantined_text(standing)


def _quarantined_text(standing: RatingStanding) -> str:
    """The rated reviews without text that the rating leaves out, and the way to count them
    (review27 #1: Olist's mean over its 562 commented reviews of a quarter was 3.6; over its
    1,297 rated ones, 4.1); empty when there are none."""
    if not standing.quarantined:
        return ""
    period = (
        "that quarter"
        if standing.quarter is not None
        else "the period"
        if standing.dated
        else "the workspace"
    )
    n = standing.quarantined
    rated = f"{display.number(n)} more rated review{'' if n == 1 else 's'}"
    verb = "has none and is" if n == 1 else "have none and are"
    return (
        f" The rating is over the {display.number(standing.mean.n)} reviews with a text: "
        f"{rated} of {period} {verb} in quarantine (a mention is what was written), so it "
        "leaves them out. To count them, import the file as responses with "
        "the rating as CSAT, as the import's note says (advocacy quarantine list shows them)."
    )


def rating_findings(ws: Workspace, scope: ReportScope) -> list[Finding]:
    """The reviews' top-two share fell in the latest complete quarter, beyond chance."""
    standing = rating_standing(ws, scope)
    if standing is None or standing.quarter is None or standing.top_two_change is None:
        return []
    change = standing.top_two_change
    if not (change.change < 0 and change.p_adjusted < 1.0 - ws.settings.confidence):
        return []
    top = display.number(standing.top, 0)
    rated = f"rated {display.number(standing.top - 1, 0)}-{top}"
    return [
        Finding(
            action="Find out why reviews got worse and fix it.",
            why=f"Reviews {rated} fell from {display.percent(change.before / 100, 0)} to "
            f"{display.percent(standing.top_two.score / 100, 0)} in "
            f"{display.period_label(standing.quarter, 'quarter')} "
            f"({display.number(standing.top_two.n)} reviews; {p_text(change.p_adjusted)}).",
            weight=abs(change.change),
            due=due_in(ws, scope, URGENT_DAYS),
            effect=f"Reviews {rated} back to about {display.percent(change.before / 100, 0)}.",
            evidence=ANCHOR,
            subject="reviews",
            source="reviews",
        )
    ]


#: The closing line's opening, by how many of the findings shown passed a test.
PASSED = {
    0: "No change passed its test",
    1: "Only one finding passed its test",
    2: "Only two findings passed their tests",
}


def _closing(shown: list[Finding], *, scored: bool) -> Markup:
    """The line under fewer than three findings: how many passed a test (review9: a texts-only
    summary said "Only one finding passed its test" of a count of complaints, with nothing
    tested), and which findings are counts rather than tests."""
    tested = sum(finding.tested for finding in shown)
    counted = len(shown) - tested
    if not scored and not tested:
        return Markup(
            "<p class='note'>With no score there was no change to test: {} counted from the "
            "evidence, not tested.</p>"
        ).format("the finding above is" if counted == 1 else "the findings above are")
    said = f"{PASSED[tested]}; the rest of the evidence shows no change larger than chance."
    if counted:
        said += (
            f" {'One finding above is' if counted == 1 else f'{counted} findings above are'}"
            " counted (texts read as negative, a gap against its target), not tested."
        )
    return Markup("<p class='note'>{}</p>").format(said)


def _either(names: list[str], word: str) -> str:
    """``NPS``, ``CSAT or CES``, ``NPS, CSAT or CES`` (``word`` joins the last two)."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {word} {names[-1]}"


def _themes_tested(ws: Workspace, scope: ReportScope) -> tuple[str, bool]:
    """What the closing sentence says of the themes: the outcomes they were tested against, and
    the scores they were not (audit4: "no theme lowers NPS or the rating" of a CSAT survey
    whose themes were tested against neither); and whether any score went untested."""
    from advocacy.report.sections.theme_findings import theme_tests

    if stored_themes(ws, scope).empty:
        return "", False
    tested, untested = theme_tests(ws, scope)
    said = (
        f" and no theme lowers {_either(tested, 'or')} beyond chance"
        if tested
        else " (the themes were tested against no score: too few scored answers mention them)"
    )
    if tested and untested:
        verb = "was" if len(untested) == 1 else "were"
        said += f" ({_either(untested, 'and')} {verb} not tested against the themes)"
    return said, bool(untested) or not tested


def build(ws: Workspace, scope: ReportScope) -> Section:
    from advocacy.report.sections.text_summary import read_enough, text_standing

    tiles = kpi_tiles(ws, scope)
    # No score at all (not merely none dated): what the texts say stands in for the tiles.
    no_score = not tiles and headline_scores(ws, scope).empty
    texts = text_standing(ws, scope) if no_score else Markup()
    findings = collect_findings(ws, scope)
    if not findings and not tiles and not texts:
        if undated(ws, scope):
            return Section.absent(TITLE, UNDATED)
        return Section.absent(
            TITLE, "import survey answers (advocacy import FILE --kind responses) to get one"
        )
    quarter = latest_quarter(ws, scope)
    body = Markup()
    if quarter is not None:
        where = f"{scope.unit} in" if scope.unit else "The latest complete quarter,"
        partial = partial_quarter(ws, scope)
        body += Markup(
            "<p class='standing'>{} {}{}: each score with its {:.0%} interval, and "
            "its change against the quarter before.</p>"
        ).format(
            where,
            display.period_label(quarter, "quarter"),
            f" ({partial})" if partial else "",
            ws.settings.confidence,
        )
    elif (standing := rating_standing(ws, scope)) is not None and REVIEW_TILE in tiles:
        body += Markup("<p class='standing'>{}</p>").format(_rating_standing_text(ws, standing))
    if quarter is not None and REVIEW_TILE in tiles:
        standing = rating_standing(ws, scope)
        if standing is not None and standing.quarantined:
            body += Markup("<p class='standing'>{}</p>").format(_quarantined_text(standing).strip())
    body += tiles + texts
    if findings:
        shown = findings[:MOST_FINDINGS]
        body += Markup("<h3>What to do</h3>") + _findings_table(shown)
        if len(shown) < 3:
            body += _closing(shown, scored=not no_score)
    elif texts and read_enough(ws, scope):
        body += Markup(
            "<p>Nothing in the texts calls for urgent action. Scores beside them (an NPS, a "
            "CSAT or a review's stars) would say which themes lower them.</p>"
        )
    elif texts:
        # Texts nobody read are no sign that all is well (review9: 300 one-star reviews).
        body += Markup(
            "<p>Too few of the texts were read to tell whether anything in them calls for "
            "urgent action. Scores beside them (an NPS, a CSAT or a review's stars) would say "
            "how their writers feel.</p>"
        )
    else:
        themes, untested = _themes_tested(ws, scope)
        body += Markup(
            "<p>No score or rating dropped significantly, no unit falls significantly below the "
            "rest{}: nothing in the evidence{} calls for urgent action. The sections below show "
            "where the margins are.</p>"
        ).format(themes, " tested" if untested else "")
    return Section(title=TITLE, body=body, anchor=ANCHOR)
