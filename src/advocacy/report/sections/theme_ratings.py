"""Each theme's effect on the reviews' rating, for themes whose writers gave no NPS.

A workspace of reviews has no NPS to set a theme against, but its reviews carry stars. A
theme's rating effect is the mean rating of the rated reviews that mention it minus that of
every other rated review with content, in a theme or in none (as a theme's NPS effect compares
the other commenters: a review saying "n/a" is no comment), in points of the rating, with
Welch's interval and two-sided test (unequal variances; Welch 1947). The themes' effects overlap
and are associations, not causes.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from advocacy.errors import ParquetSourceError
from advocacy.metrics.comparisons import welch_t_test
from advocacy.metrics.intervals import t_critical
from advocacy.report.section import ReportScope, remembered
from advocacy.report.sections.review_ratings import review_ratings
from advocacy.store.steady import steady_table
from advocacy.text.theme_listing import commented

if TYPE_CHECKING:
    from advocacy.workspace import Workspace

__all__ = ["RATING_COLUMNS", "theme_rating_effects"]

#: The columns of :func:`theme_rating_effects`, besides ``theme_id``.
RATING_COLUMNS = [
    "rating_mentioning",
    "rating_not",
    "rating_n_mentioning",
    "rating_n_not",
    "rating_effect",
    "rating_effect_low",
    "rating_effect_high",
    "rating_p_value",
]


def _side(values: np.ndarray) -> tuple[float, float, int]:
    """Mean, standard error of the mean and size of one side."""
    size = len(values)
    return float(values.mean()), float(values.std(ddof=1) / np.sqrt(size)), size


def _with_content(ws: Workspace, rated: dict[str, float]) -> set[str]:
    """The ids of the ``rated`` reviews whose text says something (not "n/a" or "nothing"),
    judged as the NPS effect judges a commenter (:func:`~advocacy.text.theme_listing.commented`)."""
    try:
        mentions = steady_table(ws.db, "mentions")
        frame = mentions.select(
            document_id=mentions.mention_id.cast("string"), comment=mentions.text
        ).to_pandas()
    except ParquetSourceError:
        return set()
    frame = frame[frame["document_id"].isin(rated)].reset_index(drop=True)
    said = commented(functools.partial(steady_table, ws.db), frame, "mention")
    return set(frame["document_id"][said])


def theme_rating_effects(ws: Workspace, scope: ReportScope) -> pd.DataFrame:
    """Per theme with at least two rated reviews on each side, its effect on the rating.

    Returns
    -------
    pandas.DataFrame
        ``theme_id`` and :data:`RATING_COLUMNS`; empty when no review in a theme is rated.
    """

    def compute() -> pd.DataFrame:
        ratings = review_ratings(ws, scope)
        if ratings.empty:
            return pd.DataFrame(columns=["theme_id", *RATING_COLUMNS])
        by_id = dict(zip(ratings["mention_id"], ratings["rating"], strict=True))
        members: dict[str, set[str]] = {}
        for theme_id, kind, document_id in ws.text.theme_members():
            if kind == "mention" and str(document_id) in by_id:
                members.setdefault(str(theme_id), set()).add(str(document_id))
        rated = _with_content(ws, by_id) | (set().union(*members.values()) if members else set())
        rows = []
        confidence = ws.settings.confidence
        for theme_id, inside in members.items():
            outside = rated - inside
            if len(inside) < 2 or len(outside) < 2:
                continue
            mean_in, se_in, n_in = _side(np.array([by_id[key] for key in inside]))
            mean_out, se_out, n_out = _side(np.array([by_id[key] for key in outside]))
            _, p_value = welch_t_test(mean_in, se_in, n_in, mean_out, se_out, n_out)
            variance_in, variance_out = se_in**2, se_out**2
            spread = np.sqrt(variance_in + variance_out)
            freedom = (
                (variance_in + variance_out) ** 2
                / (variance_in**2 / (n_in - 1) + variance_out**2 / (n_out - 1))
                if spread > 0
                else np.nan
            )
            half = float(t_critical(confidence, freedom)) * spread
            effect = mean_in - mean_out
            rows.append(
                {
                    "theme_id": theme_id,
                    "rating_mentioning": mean_in,
                    "rating_not": mean_out,
                    "rating_n_mentioning": n_in,
                    "rating_n_not": n_out,
                    "rating_effect": effect,
                    "rating_effect_low": effect - half,
                    "rating_effect_high": effect + half,
                    "rating_p_value": float(p_value),
                }
            )
        return pd.DataFrame(rows, columns=["theme_id", *RATING_COLUMNS])

    return remembered(("theme-rating-effects", scope), compute)  # type: ignore[no-any-return]
