"""Root causes of a gap: the comment themes and the touchpoints behind it.

For each gap of the register we look inside its scope (``unit=North``, ``touchpoint=billing``, or
everything) at the survey answers that came with a comment, and split them in two:

- the **unhappy** answers: for a gap on a rated dimension or item (SERVQUAL, ``item:`` targets),
  those whose perception of it falls short of their own expectation, or, with ratings only, whose
  rating lies below the middle of the scale; for every other gap, NPS detractors (0-6) and
  comments whose sentiment is negative;
- **the rest** of the commented answers in the same scope.

A theme is behind the gap when it is over-represented among the unhappy comments:
``share`` = unhappy comments mentioning it / unhappy comments, ``rest_share`` the same among the
rest, and ``lift = share / rest_share`` (None when no other comment mentions it: it is only ever
raised by unhappy customers). Themes mentioned by fewer than ``min_n`` unhappy comments, or with a
lift of 1 or less, are left out. The rest are ranked by ``excess = n - rest_share x unhappy``:
how many more unhappy comments raise the theme than would if they raised it as often as the
others do, so a large theme somewhat over-represented outranks a handful of comments that only
unhappy customers wrote.

Worked example: 20 unhappy comments of which 8 mention "billing", 80 other comments of which 8 do:
share 0.4, rest share 0.1, lift 4.0, n 8, excess 8 - 0.1 x 20 = 6.

Touchpoints are the ones in scope whose customers are least likely to recommend (lowest NPS).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from advocacy.gaps.targets import parse_scope
from advocacy.metrics.scores import nps

TableSource = Callable[[str], Any]
#: Columns of ``responses`` a gap's scope may name.
SCOPE_COLUMNS = ("unit", "touchpoint", "channel", "journey_stage", "survey", "employee_id")
#: Fewest unhappy comments that must mention a theme for it to count as a cause.
MIN_MENTIONS = 5
DETRACTOR_MAX = 6


@dataclass(frozen=True)
class CommentEvidence:
    """Everything the root-cause view reads, fetched once per register.

    ``comments``: one row per commented survey answer (``response_id``, the scope columns,
    ``nps``, ``negative`` sentiment flag); ``mentions``: (``response_id``, ``theme``) pairs;
    ``ratings``: the rated items of those answers (long, as in ``response_items``).
    """

    comments: pd.DataFrame
    mentions: pd.DataFrame
    ratings: pd.DataFrame


def comment_evidence(tables: TableSource) -> CommentEvidence:
    """Fetch the commented answers, their themes, sentiment and ratings from the workspace.

    Response ids are kept as Python strings (object columns): each gap's root causes test
    thousands of ids for membership, which a hash table answers at once and pandas' Arrow
    strings answer one value at a time (a gap took ~25 ms instead of ~4).
    """
    responses = tables("responses")
    columns = ["response_id", "nps", *[c for c in SCOPE_COLUMNS if c in responses.columns]]
    commented = responses.filter(responses.comment.notnull() & (responses.comment.strip() != ""))
    comments = commented.select(*columns).to_pandas()
    comments["response_id"] = _ids(comments["response_id"])
    features = tables("text_features")
    features = features.filter(features.document_kind == "response")
    negative = features.filter(features.sentiment == "negative").select("document_id").to_pandas()
    comments["negative"] = comments.response_id.isin(set(negative.document_id.astype(str)))
    links = tables("document_themes")
    links = links.filter(links.document_kind == "response")
    themes = tables("themes").select("theme_id", "name")
    named = links.join(themes, "theme_id").select(response_id=links.document_id, theme=themes.name)
    mentions = named.distinct().to_pandas().astype(str).astype(object)
    items = tables("response_items")
    items = items.filter(
        items.kind.isin(["rating", "perception", "expectation"]) & items.value.notnull()
    )
    ratings = items.select(
        "response_id", "item", "dimension", "kind", "value", "scale_min", "scale_max"
    ).to_pandas()
    ratings["response_id"] = _ids(ratings["response_id"])
    return CommentEvidence(comments=comments, mentions=mentions, ratings=ratings)


def _ids(column: pd.Series) -> pd.Series:
    return column.astype(str).astype(object)


def theme_lift(
    mentions: pd.DataFrame, unhappy: set[str], rest: set[str], *, min_n: int = MIN_MENTIONS
) -> list[dict[str, Any]]:
    """Themes over-represented among the ``unhappy`` comments against the ``rest``.

    Parameters
    ----------
    mentions
        (``response_id``, ``theme``) pairs.
    unhappy, rest
        Response ids of the two groups (disjoint).
    min_n
        Fewest unhappy comments mentioning a theme.

    Returns
    -------
    list of dict
        ``theme``, ``n`` (unhappy comments mentioning it), ``share`` (n / unhappy comments),
        ``rest_share``, ``lift`` (share / rest share; None when the rest never mention it) and
        ``excess`` (n - rest share x unhappy comments), largest excess first.

    Examples
    --------
    >>> import pandas as pd
    >>> mentions = pd.DataFrame({
    ...     "response_id": ["r1", "r2", "r3", "r4", "r5", "r6"],
    ...     "theme": ["price", "price", "price", "staff", "price", "staff"],
    ... })
    >>> theme_lift(mentions, {"r1", "r2", "r3"}, {"r4", "r5", "r6"}, min_n=2)
    [{'theme': 'price', 'n': 3, 'share': 1.0, 'rest_share': 0.333, 'lift': 3.0, 'excess': 2.0}]
    """
    if not unhappy:
        return []
    found: list[dict[str, Any]] = []
    for theme, group in mentions.groupby("theme"):
        ids = set(group.response_id)
        n = len(ids & unhappy)
        if n < min_n:
            continue
        share = n / len(unhappy)
        rest_share = len(ids & rest) / len(rest) if rest else 0.0
        lift = share / rest_share if rest_share > 0 else None
        if lift is not None and lift <= 1.0:
            continue
        found.append(
            {
                "theme": str(theme),
                "n": n,
                "share": round(share, 3),
                "rest_share": round(rest_share, 3),
                "lift": None if lift is None else round(lift, 3),
                "excess": round(n - rest_share * len(unhappy), 2),
            }
        )
    found.sort(key=lambda row: (-row["excess"], row["theme"]))
    return found


def _in_scope(comments: pd.DataFrame, scope: str | None) -> pd.DataFrame:
    for key, value in parse_scope(scope).items():
        if key in comments.columns:
            comments = comments[comments[key].astype(str) == value]
    return comments


def _falls_short(ratings: pd.DataFrame, subject: str) -> pd.Series:
    """Response id -> True when the answer rates ``subject`` below expectation (or mid-scale)."""
    chosen = ratings[(ratings.dimension == subject) | (ratings.item == subject)]
    if chosen.empty:
        return pd.Series(dtype=bool)
    means = chosen.groupby(["response_id", "kind"])["value"].mean().unstack("kind")
    felt = means.get("perception", pd.Series(np.nan, index=means.index))
    if "rating" in means:
        felt = felt.fillna(means["rating"])
    bar = means.get("expectation", pd.Series(np.nan, index=means.index))
    # Without an expectation, the middle of the scale is the bar (unknown scale: no bar).
    bar = bar.fillna(float((chosen.scale_min.min() + chosen.scale_max.max()) / 2))
    known = felt.notna() & bar.notna()
    return (felt[known] < bar[known]).astype(bool)


def root_cause_themes(
    evidence: CommentEvidence,
    scope: str | None,
    *,
    subject: str | None = None,
    top: int = 3,
    min_n: int = MIN_MENTIONS,
) -> list[dict[str, Any]]:
    """The ``top`` themes over-represented among the unhappy comments in a gap's scope.

    ``subject`` names the rated dimension or item of the gap (None for outcome gaps: then the
    unhappy answers are NPS detractors and negative comments). See the module for the lift.
    """
    comments = _in_scope(evidence.comments, scope)
    if subject is not None:
        short = _falls_short(evidence.ratings, subject)
        comments = comments[comments.response_id.isin(set(short.index))]
        unhappy_mask = comments.response_id.map(short).astype(bool)
    else:
        unhappy_mask = (comments.nps <= DETRACTOR_MAX) | comments.negative.astype(bool)
    unhappy = set(comments.response_id[unhappy_mask])
    rest = set(comments.response_id[~unhappy_mask])
    mentions = evidence.mentions[evidence.mentions.response_id.isin(unhappy | rest)]
    return theme_lift(mentions, unhappy, rest, min_n=min_n)[:top]


def touchpoint_causes(
    responses: Any, scope: str | None, *, top: int = 2, min_n: int = 10
) -> list[dict[str, Any]]:
    """The ``top`` touchpoints in ``scope`` with the lowest NPS (at least ``min_n`` answers).

    Returns a list of ``{"touchpoint", "nps", "n"}``, lowest NPS first.
    """
    table = responses.filter(responses.nps.notnull() & responses.touchpoint.notnull())
    for key, value in parse_scope(scope).items():
        if key in table.columns:
            table = table.filter(table[key] == value)
    return touchpoint_scores(table.select("touchpoint", "nps").to_pandas(), top=top, min_n=min_n)


def touchpoint_scores(
    frame: pd.DataFrame, *, top: int = 2, min_n: int = 10
) -> list[dict[str, Any]]:
    """:func:`touchpoint_causes` of answers already fetched and scoped (``touchpoint`` and
    ``nps`` columns; rows missing either are left out)."""
    frame = frame[frame.nps.notna() & frame.touchpoint.notna()]
    scored = []
    for touchpoint, group in frame.groupby("touchpoint"):
        if len(group) >= min_n:
            score = nps(group.nps.to_numpy(dtype=np.float64)).score
            scored.append({"touchpoint": str(touchpoint), "nps": round(score, 1), "n": len(group)})
    scored.sort(key=lambda row: (row["nps"], row["touchpoint"]))
    return scored[:top]


def describe_themes(themes: list[dict[str, Any]]) -> str:
    """``themes: billing (lift 4.0, n=8); ...`` for the readable ``root_causes`` text."""
    if not themes:
        return ""
    parts = []
    for row in themes:
        lift = "only in unhappy comments" if row["lift"] is None else f"lift {row['lift']:.1f}"
        parts.append(f"{row['theme']} ({lift}, n={row['n']})")
    return "themes: " + "; ".join(parts)
