"""The gap register: every gap in one list, ranked by a priority anyone can recompute.

Gaps come from targets (current vs desired), SERVQUAL dimensions (perception vs expectation)
and culture attributes (current vs desired). Each gets

- ``gap_size``: the shortfall as a share of its scale's range (0-1), so gaps on 1-7 ratings,
  1-10 culture scores and -100..100 NPS are comparable;
- ``impact`` (0-1): for a customer-rated dimension its LMG share of NPS's R^2 relative to the
  strongest driver (1 = the strongest); 1 for a target on a customer outcome (NPS, CSAT, CES and
  the other metrics of customer answers);
  ``INDIRECT_IMPACT`` (0.5) for employee measures, which reach customers only through service;
- ``effort`` (1-5) and the ``resources`` it needs (expertise, experience, time, objectivity,
  money) from the rule table ``EFFORT_RULES`` below, which a user may override;

and ``priority = 100 x impact x gap_size / effort``. A gap with effort 1-2 is a **quick win**;
3-5 is a **larger challenge**. Each gap points at where it is made: ``root_cause_touchpoints``
lists the touchpoints in its scope whose customers are least likely to recommend,
``root_cause_themes`` the comment themes over-represented among its unhappy customers (with
share, lift and count; see :mod:`advocacy.gaps.root_causes`), and ``root_causes`` says both (and,
for rated dimensions, the weakest units) in words.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from advocacy.gaps.root_causes import (
    comment_evidence,
    describe_themes,
    root_cause_themes,
    touchpoint_causes,
    touchpoint_scores,
)
from advocacy.gaps.targets import parse_scope, scoped_rows, target_gaps, text_columns
from advocacy.ingest.target_values import metric_name
from advocacy.metrics.catalogue import METRICS

TableSource = Callable[[str], Any]
RESOURCES = ("expertise", "experience", "time", "objectivity", "money")
INDIRECT_IMPACT = 0.5
QUICK_WIN_EFFORT = 2

#: subject -> (effort 1-5, resources). Keys are SERVQUAL dimensions, culture attributes and
#: target metrics; ``default`` covers the rest. Written down so every priority can be checked.
EFFORT_RULES: dict[str, tuple[int, tuple[str, ...]]] = {
    "tangibles": (3, ("money", "time")),
    "reliability": (4, ("expertise", "time", "objectivity")),
    "responsiveness": (2, ("time", "experience")),
    "assurance": (3, ("expertise", "experience")),
    "empathy": (2, ("experience", "time")),
    "Clear vision and achievable mission": (2, ("objectivity", "time")),
    "Leaders who inspire": (4, ("experience", "objectivity", "time")),
    "Supervisors who coach rather than manage": (3, ("expertise", "experience", "time")),
    "Employees working from their strengths": (3, ("expertise", "time")),
    "Engaged workforce aligned to purpose": (4, ("experience", "time", "objectivity")),
    "Job-specific training": (2, ("expertise", "money", "time")),
    "Career paths": (4, ("expertise", "money", "time")),
    "Rewards and recognition": (2, ("money", "objectivity")),
    "Customers who become advocates": (3, ("expertise", "time")),
    "nps": (4, ("expertise", "objectivity", "time", "money")),
    "csat": (3, ("expertise", "time")),
    "ces": (3, ("expertise", "time", "money")),
    "enps": (4, ("experience", "objectivity", "time")),
    "default": (3, ("expertise", "time")),
}


def _rule(
    subject: str, rules: Mapping[str, tuple[int, tuple[str, ...]]]
) -> tuple[int, tuple[str, ...]]:
    key = subject.split(":", 1)[-1]
    return rules.get(key, rules.get(subject, rules["default"]))


def _worst_culture_units(culture: Any) -> dict[str, list[str]]:
    """attribute (and ``enps``) -> the shown unit with the widest gap (lowest eNPS)."""
    if culture is None or culture.units.empty:
        return {}
    links: dict[str, list[str]] = {}
    for attribute, group in culture.units.groupby("attribute"):
        worst = group.sort_values("gap", ascending=False).iloc[0]
        links[str(attribute)] = [f"unit {worst.unit} (gap {worst.gap:.1f})"]
    units = culture.enps[culture.enps.unit != "all"]
    if not units.empty:
        worst = units.sort_values("enps").iloc[0]
        links["enps"] = [f"unit {worst.unit} (eNPS {worst.enps:.0f})"]
    return links


def root_causes(responses: Any, scope: str | None, *, top: int = 2, min_n: int = 10) -> list[str]:
    """The ``top`` touchpoints in ``scope`` with the lowest NPS (at least ``min_n`` answers)."""
    return [
        f"{row['touchpoint']} (NPS {row['nps']:.0f}, n={row['n']})"
        for row in touchpoint_causes(responses, scope, top=top, min_n=min_n)
    ]


def rated_units(rated: pd.DataFrame, subject: str, *, top: int = 2) -> list[str]:
    """:func:`weakest_units` from ratings already fetched: ``rated`` holds ``item``,
    ``dimension``, ``kind``, ``value`` and the answer's ``unit`` (answers without a unit left
    out), as :class:`~advocacy.gaps.root_causes.CommentEvidence` ratings joined to units."""
    chosen = rated[(rated.dimension == subject) | (rated.item == subject)]
    chosen = chosen[chosen.kind.isin(["perception", "expectation", "rating"])]
    if chosen.empty:
        return []
    signed = np.where(chosen.kind == "expectation", -1.0, 1.0) * chosen.value.to_numpy()
    frame = chosen.assign(signed=signed).groupby(["unit", "kind"])["signed"].mean()
    per_unit = frame.groupby("unit").sum().sort_values()
    return [f"unit {unit} ({value:+.2f})" for unit, value in per_unit.head(top).items()]


def weakest_units(items: Any, responses: Any, subject: str, *, top: int = 2) -> list[str]:
    """Units whose customers rate a dimension or item lowest (perception minus expectation)."""
    chosen = items.filter((items.dimension == subject) | (items.item == subject))
    chosen = chosen.filter(chosen.kind.isin(["perception", "expectation", "rating"]))
    signed = chosen.kind.cases(("expectation", -1.0), else_=1.0) * chosen.value
    joined = chosen.mutate(signed=signed).join(
        responses.select("response_id", "unit").filter(responses.unit.notnull()), "response_id"
    )
    frame = joined.group_by(["unit", "kind"]).aggregate(mean=joined.signed.mean()).to_pandas()
    if frame.empty:
        return []
    per_unit = frame.groupby("unit")["mean"].sum().sort_values()
    return [f"unit {unit} ({value:+.2f})" for unit, value in per_unit.head(top).items()]


def gap_register(
    tables: TableSource,
    *,
    servqual: Any = None,
    culture: Any = None,
    driver_shares: Mapping[str, float] | None = None,
    rules: Mapping[str, tuple[int, tuple[str, ...]]] = EFFORT_RULES,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Every gap in one frame, highest priority first.

    Parameters
    ----------
    tables
        A function returning the Ibis table of a name (``Workspace.table``).
    servqual, culture
        Results of :func:`~advocacy.gaps.servqual.servqual_gaps` and
        :func:`~advocacy.gaps.culture.culture_gaps` (left out when None).
    driver_shares
        Share of NPS's R^2 per SERVQUAL dimension (from ``relative_importance``).
    rules
        Effort and resources per subject (see ``EFFORT_RULES``).
    confidence
        Confidence level of the target intervals.

    Returns
    -------
    pandas.DataFrame
        rank, source, target_id (a target's; None for other sources), subject, scope, current,
        desired, gap, gap_low, gap_high, gap_size, impact, impact_basis, effort, priority,
        class, resources, root_causes,
        root_cause_themes (list of {theme, n, share, rest_share, lift, excess}) and
        root_cause_touchpoints (list of {touchpoint, nps, n}).

    Examples
    --------
    >>> import advocacy
    >>> ws = advocacy.open("advocacy.duckdb")  # doctest: +SKIP
    >>> register = gap_register(ws.table)  # doctest: +SKIP
    """
    rows: list[dict[str, Any]] = []
    for target in target_gaps(tables, confidence=confidence).to_dict("records"):
        if pd.isna(target["gap"]) or target["gap"] <= 0:
            continue
        name = metric_name(str(target["metric"]))
        outcome = name in METRICS and METRICS[name].table == "responses"
        rows.append(
            {
                "source": "target",
                "target_id": target["target_id"],
                "subject": target["metric"],
                "scope": target["scope"],
                "current": target["current"],
                "desired": target["desired"],
                "gap": target["gap"],
                "gap_low": target["gap_low"],
                "gap_high": target["gap_high"],
                "gap_size": target["gap_size"],
                "impact": 1.0 if outcome else INDIRECT_IMPACT,
                "impact_basis": "customer outcome" if outcome else "indirect (assumed 0.5)",
            }
        )
    if servqual is not None:
        shares = dict(driver_shares or {})
        strongest = max(shares.values()) if shares else 0.0
        for dimension in servqual.dimensions.itertuples():
            if dimension.gap >= 0:
                continue
            share = shares.get(str(dimension.dimension))
            impact = share / strongest if share is not None and strongest > 0 else INDIRECT_IMPACT
            rows.append(
                {
                    "source": "servqual",
                    "target_id": None,
                    "subject": dimension.dimension,
                    "scope": "all",
                    "current": dimension.perception,
                    "desired": dimension.expectation,
                    "gap": -dimension.gap,
                    "gap_low": -dimension.ci_high,
                    "gap_high": -dimension.ci_low,
                    "gap_size": -dimension.gap / 6.0,
                    "impact": impact,
                    "impact_basis": "LMG share of NPS R^2 vs strongest driver"
                    if share is not None
                    else "indirect (assumed 0.5)",
                }
            )
    if culture is not None and not culture.items.empty:
        for item in culture.items.itertuples():
            if item.gap <= 0:
                continue
            rows.append(
                {
                    "source": "culture",
                    "target_id": None,
                    "subject": item.attribute,
                    "scope": "all",
                    "current": item.current,
                    "desired": item.desired,
                    "gap": item.gap,
                    "gap_low": item.ci_low,
                    "gap_high": item.ci_high,
                    "gap_size": item.gap / 9.0,
                    "impact": INDIRECT_IMPACT,
                    "impact_basis": "indirect (assumed 0.5)",
                }
            )
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    efforts = [_rule(str(subject), rules) for subject in frame.subject]
    frame["effort"] = [effort for effort, _ in efforts]
    frame["resources"] = [", ".join(resources) for _, resources in efforts]
    frame["priority"] = 100.0 * frame.impact * frame.gap_size / frame.effort
    frame["class"] = np.where(frame.effort <= QUICK_WIN_EFFORT, "quick win", "larger challenge")
    responses = tables("responses")
    worst_culture = _worst_culture_units(culture)
    evidence = comment_evidence(tables)
    # The answers every gap's root causes read, fetched once rather than once per gap.
    scopes = [parse_scope(str(scope)) for scope in frame.scope]
    keys = text_columns(responses, [key for scope in scopes for key in scope])
    answers = responses.select(*dict.fromkeys(["response_id", "unit", "touchpoint", "nps", *keys]))
    answers = answers.to_pandas()
    answers["response_id"] = answers["response_id"].astype(str)
    unit_ratings = evidence.ratings.merge(
        answers.loc[answers.unit.notna(), ["response_id", "unit"]], on="response_id"
    )

    # Gaps share subjects (a dimension and its item: target) and scopes ("all"): each cause
    # is worked out once, and every gap gets its own copy.
    @functools.cache
    def units_of(name: str) -> tuple[str, ...]:
        return tuple(rated_units(unit_ratings, name))

    @functools.cache
    def themes_of(scope: str, subject: str | None) -> tuple[dict[str, Any], ...]:
        return tuple(root_cause_themes(evidence, scope, subject=subject))

    @functools.cache
    def places_of(scope: str) -> tuple[dict[str, Any], ...]:
        scoped = scoped_rows(answers, parse_scope(scope), responses)
        if scoped is None:
            return tuple(touchpoint_causes(responses, scope))
        return tuple(touchpoint_scores(scoped))

    causes: list[str] = []
    themes: list[list[dict[str, Any]]] = []
    touchpoints: list[list[dict[str, Any]]] = []
    for row in frame.itertuples():
        subject = str(row.subject)
        name = subject.split(":", 1)[-1]
        if row.source == "culture" or subject.startswith("culture:") or subject == "enps":
            # Culture gaps are made inside units, not at customer touchpoints.
            causes.append("; ".join(worst_culture.get(name, [])))
            themes.append([])
            touchpoints.append([])
            continue
        rated = row.source == "servqual" or subject.startswith("item:")
        links = list(units_of(name)) if rated else []
        found = [dict(theme) for theme in themes_of(str(row.scope), name if rated else None)]
        places = [dict(place) for place in places_of(str(row.scope))]
        readable = [f"{p['touchpoint']} (NPS {p['nps']:.0f}, n={p['n']})" for p in places]
        causes.append(
            "; ".join(part for part in [*links, *readable, describe_themes(found)] if part)
        )
        themes.append(found)
        touchpoints.append(places)
    frame["root_causes"] = causes
    frame["root_cause_themes"] = pd.Series(themes, index=frame.index, dtype=object)
    frame["root_cause_touchpoints"] = pd.Series(touchpoints, index=frame.index, dtype=object)
    frame = frame.sort_values("priority", ascending=False, kind="stable").reset_index(drop=True)
    frame.insert(0, "rank", np.arange(1, len(frame) + 1))
    return frame
