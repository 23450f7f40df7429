"""The executive summary's findings from the stored themes: what customers complain about.

Two kinds, each from ``ws.text.themes`` (the themes ``advocacy text discover-themes`` or a
taxonomy stored, with each theme's effect on NPS):

- a theme whose effect on NPS is negative beyond chance: the p-values of every theme with an
  effect are Holm-corrected together (one family: the themes tested), and a theme is named
  when its corrected p is below ``1 - confidence`` and its effect is below zero. Its weight is
  the NPS points at stake, the share of commenters who mention it times its effect: what the
  company's NPS would gain if they scored like the other commenters (an association; the
  themes' effects overlap and are not causes);
- the theme with the most texts read as negative, when it holds at least ``min_n`` of them and
  most of its read texts are negative: the largest complaint by volume, NPS or not. Its weight
  is a tenth of its negative texts' share of the texts read in all themes, in percent (a theme
  holding 30% of them weighs like a 3-point NPS drop), so a real drop in a score comes first.

Without any NPS effect (a workspace of reviews), a theme whose rated reviews rate lower than
every other rated review with content beyond chance (:mod:`advocacy.text.theme_ratings`,
Holm over the themes tested) is named instead, weighed by the rating points at stake on the
0-100 scale of a score.

Without an NPS but with a CSAT (else a CES) on the survey's answers, a theme whose commenters
are satisfied (or find it easy) less often than the other commenters beyond chance is named
(``ws.text.themes``' ``outcome`` columns: the share in the top two boxes of CSAT, else in the
easy third of CES, Newcombe's interval, Holm over the themes tested), weighed by the points of
that share at stake. :func:`theme_tests` says which outcomes the themes were tested against,
and which scores the answers carry that they were not, so the summary never calls "nothing
urgent" an outcome it did not test.

A theme named by two gets one finding that says both.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import pandas as pd

from advocacy import display
from advocacy.metrics.comparisons import adjust_p_values
from advocacy.report.section import ReportScope, remembered
from advocacy.report.sections.text_coverage import read_mix
from advocacy.text.theme_ratings import theme_rating_effects

if TYPE_CHECKING:
    from advocacy.report.sections.summary import Finding
    from advocacy.workspace import Workspace

__all__ = [
    "HolmTest",
    "calibration_caveat",
    "holm_tests",
    "largest_complaint",
    "stored_themes",
    "theme_findings",
    "theme_tests",
]

#: The anchor of the report's themes (the text section's cards).
THEMES_ANCHOR = "themes"
#: No rating effects (:func:`holm_tests` without ``ratings``).
NO_RATINGS = pd.DataFrame(columns=["theme_id", "rating_p_value"])


def stored_themes(ws: Workspace, scope: ReportScope) -> pd.DataFrame:
    """The workspace's stored themes for the scope (empty when none are stored, or the source
    has none); a window counts every text of its days, a unit the survey answers' comments
    only, as ``ws.text.themes`` does."""

    def compute() -> pd.DataFrame:
        if ws.unavailable("themes", "document_themes") is not None:
            return pd.DataFrame()
        if scope.unit is None and scope.since is None and scope.until is None:
            return ws.text.themes()
        where = None if scope.unit is None else {"unit": [scope.unit]}
        return ws.text.themes(since=scope.since, until=scope.until, where=where)

    return remembered(("summary-themes", scope), compute)  # type: ignore[no-any-return]


def _mix(value: Any) -> Mapping[str, float]:
    return value if isinstance(value, Mapping) else {}


def _negatives(record: Mapping[Any, Any]) -> int:
    """How many of a theme's texts were read as negative."""
    return round(
        float(_mix(record.get("sentiment_mix")).get("negative", 0.0) or 0.0) * int(record["size"])
    )


def _read(record: Mapping[Any, Any]) -> int:
    """How many of a theme's texts were read at all."""
    return round(read_mix(_mix(record.get("sentiment_mix")))[1] * int(record["size"]))


def _nps_why(record: Mapping[Any, Any], p_adjusted: str, tested: int) -> str:
    estimate = display.estimate(record["effect"], record["effect_low"], record["effect_high"])
    return (
        f"Respondents whose comment mentions it ({display.number(int(record['n_mentioning']))}) "
        f"give an NPS of {display.number(record['nps_mentioning'], 0)} against "
        f"{display.number(record['nps_not'], 0)} from the other commenters: {estimate} points "
        f"({p_adjusted}, Holm-corrected over the {tested} themes tested)."
    )


def calibration_caveat(ws: Workspace) -> str:
    """What a finding read from the texts' sentiment must add when the workspace's calibration
    finds fewer of some class than the model alone (its warning), else ``""``: the largest
    complaint may be one the calibration made (from a Parquet source, the one its tables give,
    as ``text analyze --engine spark`` reads with)."""
    from advocacy.errors import ParquetSourceError
    from advocacy.text.calibration_report import recall_warning

    try:
        calibrated, _ = ws.text.calibration_status()
    except ParquetSourceError:  # the calibration text analyze --engine spark reads with
        calibrated = _folder_calibration(ws)
    if calibrated is None or recall_warning(calibrated) is None:
        return ""
    return (
        " The texts were read with a calibration that, in cross-validation, finds fewer of some "
        "sentiments than the model alone (the methods appendix says which): check the reading "
        "on a labelled sample before acting."
    )


def _folder_calibration(ws: Workspace) -> Any:
    """The calibration a Parquet source's tables give (once per report run)."""
    from functools import partial

    from advocacy.store.steady import steady_table
    from advocacy.text.parquet_enrich import folder_calibration

    def compute() -> Any:
        return folder_calibration(
            ws.db.directory,  # type: ignore[attr-defined]
            partial(steady_table, ws.db),
            model=ws.settings.text_model,
        )

    return remembered(("folder-calibration",), compute)


def _volume_why(record: Mapping[Any, Any], caveat: str = "") -> str:
    why = (
        f"{display.number(_negatives(record))} of its {display.number(int(record['size']))} "
        "texts read as negative, the most of any theme among the texts read."
    )
    if not display.missing(record.get("effect")):
        estimate = display.estimate(record["effect"], record["effect_low"], record["effect_high"])
        why += f" Its effect on NPS: {estimate} points."
    return why + caveat


def _lowering(
    ws: Workspace, scope: ReportScope, name: str, *, why: str, weight: float, effect: str
) -> Finding:
    """The finding that theme ``name`` lowers a score beyond chance (``why``): find out what
    lies behind it, soon."""
    from advocacy.report.sections.summary import SOON_DAYS, Finding, due_in

    return Finding(
        action=f"Find out what lies behind “{name}” and act on it.",
        why=why,
        weight=weight,
        due=due_in(ws, scope, SOON_DAYS),
        effect=effect,
        evidence=THEMES_ANCHOR,
        subject=f"theme {name}",
        source="themes",
    )


def _rating_findings(ws: Workspace, scope: ReportScope, themes: pd.DataFrame) -> dict[str, Finding]:
    """Themes whose reviews rate lower than the other reviews beyond chance (Holm over the
    themes tested), for themes without an NPS: the rating is the workspace's main score."""
    from advocacy.report.sections.review_ratings import rating_standing
    from advocacy.report.sections.summary import p_text

    effects = theme_rating_effects(
        ws.db, ws.settings.confidence, since=scope.since, until=scope.until, unit=scope.unit
    )
    standing = rating_standing(ws, scope)
    if effects.empty or standing is None:
        return {}
    names = dict(zip(themes["theme_id"].astype(str), themes["name"].astype(str), strict=True))
    tests = holm_tests(themes, effects)
    # A point of a 1-5 rating weighs like 25 points of a -100..100 score.
    points = 100.0 / max(standing.top - standing.low, 1.0)
    found: dict[str, Finding] = {}
    for record in _rating_tested(themes, effects):
        test = tests[("rating", str(record["theme_id"]))]
        p = test.p_adjusted
        if not (p < 1.0 - ws.settings.confidence and record["rating_effect_high"] < 0):
            continue
        name = names[str(record["theme_id"])]
        mentioning, others = int(record["rating_n_mentioning"]), int(record["rating_n_not"])
        at_stake = abs(float(record["rating_effect"])) * mentioning / (mentioning + others)
        estimate = display.estimate(
            record["rating_effect"], record["rating_effect_low"], record["rating_effect_high"]
        )
        found[name] = _lowering(
            ws,
            scope,
            name,
            why=f"The {display.number(mentioning)} rated reviews that mention it average "
            f"{display.number(record['rating_mentioning'], 1)} against "
            f"{display.number(record['rating_not'], 1)} for the other "
            f"{display.number(others)} rated reviews with a text: {estimate} "
            f"({p_text(p)}, Holm-corrected over the {test.tested} themes tested).",
            weight=at_stake * points,
            effect=f"If they rated like the others, the mean rating of the "
            f"{display.number(mentioning + others)} rated reviews with a text would be about "
            f"{display.number(at_stake, 2)} higher (an association, not a proven cause).",
        )
    return found


#: What the report calls each outcome of ``ws.text.themes``' ``outcome`` column: its name, and
#: what a commenter who reached it is.
OUTCOME_NAMES = {
    "csat": ("CSAT", "were satisfied (CSAT in its top two boxes)"),
    "ces-easy": ("CES", "found it easy (CES in the easy third of its scale)"),
}


def _outcome_tested(themes: pd.DataFrame) -> list[dict[Any, Any]]:
    """The themes with an effect on the survey's own outcome (no NPS), as records."""
    if "outcome_effect" not in themes:
        return []
    return [
        record
        for record in themes.to_dict("records")
        if str(record.get("outcome")) in OUTCOME_NAMES
        and not display.missing(record.get("outcome_effect"))
        and not display.missing(record.get("outcome_p_value"))
    ]


def _nps_tested(themes: pd.DataFrame) -> list[dict[Any, Any]]:
    """The themes with an effect on NPS and its p-value, as records."""
    if "p_value" not in themes or "effect" not in themes:
        return []
    return [
        record
        for record in themes.to_dict("records")
        if not display.missing(record.get("p_value")) and not display.missing(record.get("effect"))
    ]


def _rating_tested(themes: pd.DataFrame, ratings: pd.DataFrame) -> list[dict[Any, Any]]:
    """The rating effects (:func:`theme_rating_effects`) of the themes in ``themes``."""
    if ratings.empty or "theme_id" not in themes:
        return []
    shown = set(themes["theme_id"].astype(str))
    return [record for record in ratings.to_dict("records") if str(record["theme_id"]) in shown]


@dataclass(frozen=True)
class HolmTest:
    """A theme's effect tested with the other themes' (one family per score).

    Attributes
    ----------
    p_adjusted : float
        Its p-value after Holm's correction over the family.
    tested : int
        How many themes the family holds.
    """

    p_adjusted: float
    tested: int


def holm_tests(
    themes: pd.DataFrame, ratings: pd.DataFrame | None = None
) -> dict[tuple[str, str], HolmTest]:
    """Each theme's effect Holm-corrected over the themes tested on the same score, as the
    report's findings name a theme that lowers a score "beyond chance".

    Three families, each the themes of ``themes`` that have that effect and its p-value: the
    effect on NPS (``nps``), on the survey's own outcome (``outcome``: CSAT, else CES) and, from
    ``ratings`` (:func:`theme_rating_effects`), on the reviews' rating (``rating``). The web's
    theme cards read the same tests, so a card and the report never disagree on a theme.

    Parameters
    ----------
    themes : pandas.DataFrame
        ``ws.text.themes`` (``theme_id``, ``effect``, ``p_value``, ``outcome*`` columns).
    ratings : pandas.DataFrame, optional
        The themes' rating effects (``theme_id``, ``rating_p_value``), when tested.

    Returns
    -------
    dict
        ``(family, theme_id)`` to its :class:`HolmTest`.
    """
    families = {
        "nps": [(record, "p_value") for record in _nps_tested(themes)],
        "outcome": [(record, "outcome_p_value") for record in _outcome_tested(themes)],
        "rating": [
            (record, "rating_p_value")
            for record in _rating_tested(themes, ratings if ratings is not None else NO_RATINGS)
        ],
    }
    tests: dict[tuple[str, str], HolmTest] = {}
    for family, members in families.items():
        if not members:
            continue
        adjusted = adjust_p_values([float(record[column]) for record, column in members], "holm")
        for (record, _), p in zip(members, adjusted, strict=True):
            tests[(family, str(record["theme_id"]))] = HolmTest(float(p), len(members))
    return tests


def _outcome_findings(
    ws: Workspace, scope: ReportScope, themes: pd.DataFrame
) -> dict[str, Finding]:
    """Themes whose commenters reach the survey's own outcome (CSAT satisfied, CES easy) less
    often than the other commenters beyond chance (Holm over the themes tested)."""
    from advocacy.report.sections.summary import p_text

    tests = holm_tests(themes)
    found: dict[str, Finding] = {}
    for record in _outcome_tested(themes):
        test = tests[("outcome", str(record["theme_id"]))]
        p = test.p_adjusted
        if not (p < 1.0 - ws.settings.confidence and record["outcome_effect_high"] < 0):
            continue
        metric, reached = OUTCOME_NAMES[str(record["outcome"])]
        name = str(record["name"])
        mentioning, others = int(record["outcome_n_mentioning"]), int(record["outcome_n_not"])
        at_stake = abs(float(record["outcome_effect"])) * mentioning / max(mentioning + others, 1)
        estimate = display.estimate(
            record["outcome_effect"], record["outcome_effect_low"], record["outcome_effect_high"]
        )
        found[name] = _lowering(
            ws,
            scope,
            name,
            why=f"Of the {display.number(mentioning)} respondents whose comment mentions it, "
            f"{display.percent(float(record['outcome_mentioning']) / 100, 0)} {reached} "
            f"against {display.percent(float(record['outcome_not']) / 100, 0)} of "
            f"the other commenters: {estimate} points ({p_text(p)}, Holm-corrected over "
            f"the {test.tested} themes tested).",
            weight=at_stake,
            effect=f"If they scored like the other commenters, {metric} would be about "
            f"{display.number(at_stake, 1)} points higher (an association, not a proven cause).",
        )
    return found


def theme_tests(ws: Workspace, scope: ReportScope) -> tuple[list[str], list[str]]:
    """The outcomes the stored themes were tested against (``NPS``, ``CSAT``, ``CES``, ``the
    reviews' rating``) and the customer scores the answers carry that they were not tested
    against (the themes use NPS when the answers carry one, else CSAT, else CES).

    Returns
    -------
    tuple of list of str
        (tested, not tested); both empty when no theme is stored.
    """
    from advocacy.report.sections.metrics import headline_scores

    themes = stored_themes(ws, scope)
    if themes.empty:
        return [], []
    tested: list[str] = []
    nps = "effect" in themes and bool(themes["effect"].notna().any())
    if nps:
        tested.append("NPS")
    else:
        tested += sorted(
            {OUTCOME_NAMES[str(record["outcome"])][0] for record in _outcome_tested(themes)}
        )
    effects = theme_rating_effects(
        ws.db, ws.settings.confidence, since=scope.since, until=scope.until, unit=scope.unit
    )
    rated = not effects.empty and bool(effects["theme_id"].isin(themes["theme_id"]).any())
    scores = headline_scores(ws, scope)
    carried = set(scores.loc[scores["n"] > 0, "metric"]) if not scores.empty else set()
    untested = [
        name
        for metric, name in (("nps", "NPS"), ("csat", "CSAT"), ("ces", "CES"))
        if metric in carried and name not in tested
    ]
    # The reviews' rating is tested only without an NPS (:func:`theme_findings`).
    (untested if nps else tested).extend(["the reviews' rating"] if rated else [])
    return tested, untested


def largest_complaint(ws: Workspace, themes: pd.DataFrame) -> dict[Any, Any] | None:
    """The theme (a ``themes`` record) with the most texts read as negative, when it holds at
    least ``min_n`` of them and most of its read texts are negative; else None."""
    records = themes.to_dict("records")
    if not records:
        return None
    loudest = max(records, key=_negatives)
    shares, _ = read_mix(_mix(loudest.get("sentiment_mix")))
    if _negatives(loudest) >= ws.settings.min_n and shares.get("negative", 0.0) > 0.5:
        return loudest
    return None


def theme_findings(ws: Workspace, scope: ReportScope) -> list[Finding]:
    """Themes that lower NPS (or, without an NPS, the survey's CSAT or CES, and the reviews'
    rating) beyond chance, and the theme with the most negative texts."""
    from advocacy.report.sections.summary import SOON_DAYS, Finding, due_in, p_text

    themes = stored_themes(ws, scope)
    if themes.empty:
        return []
    records = themes.to_dict("records")
    alpha = 1.0 - ws.settings.confidence
    findings: dict[str, Finding] = {}
    tests = holm_tests(themes)
    for record in _nps_tested(themes):
        test = tests[("nps", str(record["theme_id"]))]
        p = test.p_adjusted
        if not (p < alpha and float(record["effect_high"]) < 0):
            continue
        mentioning, others = int(record["n_mentioning"]), int(record["n_not"])
        at_stake = abs(float(record["effect"])) * mentioning / max(mentioning + others, 1)
        name = str(record["name"])
        findings[name] = _lowering(
            ws,
            scope,
            name,
            why=_nps_why(record, p_text(p), test.tested),
            weight=at_stake,
            effect=f"If they scored like the other commenters, NPS would be about "
            f"{display.number(at_stake, 1)} points higher (an association, not a proven "
            "cause).",
        )
    tested_nps = "effect" in themes and bool(themes["effect"].notna().any())
    if not tested_nps:
        # The survey's own outcome, and the reviews' rating: a theme named by both gets one
        # finding that says both, weighed by the larger of the two.
        findings.update(_outcome_findings(ws, scope, themes))
        for name, rated in _rating_findings(ws, scope, themes).items():
            first = findings.get(name)
            findings[name] = (
                rated
                if first is None
                else replace(
                    first,
                    why=f"{first.why} Its reviews say the same: {rated.why}",
                    weight=max(first.weight, rated.weight),
                )
            )
    read_texts = sum((_read(record) for record in records), 0)
    loudest = largest_complaint(ws, themes)
    if loudest is not None and read_texts:
        negatives = _negatives(loudest)
        name = str(loudest["name"])
        caveat = calibration_caveat(ws)
        why = _volume_why(loudest, caveat)
        weight = 10 * negatives / read_texts
        if name in findings:
            first = findings[name]
            findings[name] = replace(
                first,
                why=f"{first.why} It is also the largest complaint: "
                + _volume_why({**loudest, "effect": None}, caveat),
                weight=first.weight + weight,
            )
        else:
            findings[name] = Finding(
                action=f"Look into “{name}”, the largest complaint.",
                why=why,
                weight=weight,
                due=due_in(ws, scope, SOON_DAYS),
                effect=f"Fewer of the {display.number(negatives)} complaints about it.",
                evidence=THEMES_ANCHOR,
                subject=f"theme {name}",
                source="themes",
                tested=False,  # a count of texts read as negative, not a test
            )
    return list(findings.values())
