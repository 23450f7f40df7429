"""Each theme's effect on the reviews' rating, for themes whose writers gave no NPS.

A workspace of reviews has no NPS to set a theme against, but its reviews carry stars. A
theme's rating effect is the mean rating of the rated reviews that mention it minus that of
every other rated review with content, in a theme or in none (as a theme's NPS effect compares
the other commenters: a review saying "n/a" is no comment), in points of the rating, with
Welch's interval and two-sided test (unequal variances; Welch 1947), its p-value
Holm-corrected over the themes listed. The themes' effects overlap and are associations, not
causes. ``ws.text.themes`` carries them (so the CLI, the API and ``export analyses`` do), and
the report and the web's theme cards read the same numbers.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable

import numpy as np
import pandas as pd

from advocacy.errors import ParquetSourceError
from advocacy.metrics.comparisons import adjust_p_values, welch_freedom, welch_t_test
from advocacy.metrics.intervals import t_critical
from advocacy.store.connection import Database
from advocacy.store.steady import steady_result, steady_table
from advocacy.text.catalogue import theme_members
from advocacy.text.mention_scales import mention_scales
from advocacy.text.theme_listing import commented

__all__ = ["RATING_COLUMNS", "rated_reviews", "theme_rating_effects", "with_rating_effects"]

#: The rating columns of a theme listing (``ws.text.themes``), besides ``theme_id``: the
#: effect's two sides, their sizes, the effect with its interval, its p-value and that
#: p-value Holm-corrected over the themes listed (``rating_p_adjusted``).
RATING_COLUMNS = [
    "rating_mentioning",
    "rating_not",
    "rating_n_mentioning",
    "rating_n_not",
    "rating_effect",
    "rating_effect_low",
    "rating_effect_high",
    "rating_p_value",
    "rating_p_adjusted",
]

#: The effects' columns outside :data:`RATING_COLUMNS` (``rating_p_adjusted``) depend on
#: which themes are listed together; :func:`theme_rating_effects` gives the others.
_TESTED = RATING_COLUMNS[:-1]


def rated_reviews(
    db: Database,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    unit: str | None = None,
) -> pd.DataFrame:
    """The rated reviews of a window (days inclusive, by ``posted_at``) and ``unit``:
    ``mention_id``, ``rating``, ``low``/``top`` (its import's scale) and ``at``.

    Only the reviews on the scale most of them use are kept; ``attrs["other_scales"]`` counts
    the rest. Empty (with the same columns) when no review carries a rating, or from a source
    whose tables cannot be queried here (Parquet on Spark).
    """
    columns = ["mention_id", "rating", "low", "top", "at"]
    try:
        mentions = steady_table(db, "mentions")
        scales = mention_scales(mentions)
        rated = mentions.filter(mentions.rating.notnull())
        if unit is not None:
            rated = rated.filter(rated.unit == unit)
        frame = rated.select("mention_id", "rating", "source", "posted_at").to_pandas()
    except ParquetSourceError:
        return pd.DataFrame(columns=columns)
    frame = frame[frame["source"].astype(str).isin(scales)]
    at = pd.to_datetime(frame["posted_at"], utc=True, errors="coerce")
    keep = pd.Series(True, index=frame.index)
    if since is not None:
        keep &= at.dt.date >= since
    if until is not None:
        keep &= at.dt.date <= until
    frame, at = frame[keep], at[keep]
    scale = frame["source"].astype(str).map(scales)
    result = pd.DataFrame(
        {
            "mention_id": frame["mention_id"].astype(str),
            "rating": frame["rating"].astype(float),
            "low": scale.map(lambda pair: pair[0]),
            "top": scale.map(lambda pair: pair[1]),
            "at": at,
        }
    ).reset_index(drop=True)
    if result.empty:
        return pd.DataFrame(columns=columns)
    counts = result.groupby(["low", "top"]).size()
    common: tuple[float, float] = counts.idxmax()  # type: ignore[assignment]
    same = (result["low"] == common[0]) & (result["top"] == common[1])
    kept: pd.DataFrame = result[same].reset_index(drop=True)
    kept.attrs["other_scales"] = int((~same).sum())
    return kept


def _side(values: np.ndarray) -> tuple[float, float, int]:
    """Mean, standard error of the mean and size of one side."""
    size = len(values)
    return float(values.mean()), float(values.std(ddof=1) / np.sqrt(size)), size


def _with_content(db: Database, rated: dict[str, float]) -> set[str]:
    """The ids of the ``rated`` reviews whose text says something (not "n/a" or "nothing"),
    judged as the NPS effect judges a commenter (:func:`~advocacy.text.theme_listing.commented`)."""
    try:
        mentions = steady_table(db, "mentions")
        rated_only = mentions.filter(mentions.rating.notnull())
        frame = rated_only.select(
            document_id=rated_only.mention_id.cast("string"), comment=rated_only.text
        ).to_pandas()
    except ParquetSourceError:
        return set()
    frame = frame[frame["document_id"].isin(rated)].reset_index(drop=True)
    said = commented(functools.partial(steady_table, db), frame, "mention")
    return set(frame["document_id"][said])


def theme_rating_effects(
    db: Database,
    confidence: float,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    unit: str | None = None,
) -> pd.DataFrame:
    """Per theme with at least two rated reviews on each side, its effect on the rating.

    Parameters
    ----------
    db
        The workspace's database.
    confidence
        The level of the effect's interval (the ``confidence`` setting).
    since, until, unit
        The reviews counted: posted on these days (inclusive), of this unit.

    Returns
    -------
    pandas.DataFrame
        ``theme_id`` and :data:`RATING_COLUMNS` but ``rating_p_adjusted``
        (:func:`with_rating_effects` adds it over the themes listed); empty when no review in
        a theme is rated.
    """

    def compute() -> pd.DataFrame:
        ratings = rated_reviews(db, since=since, until=until, unit=unit)
        if ratings.empty:
            return pd.DataFrame(columns=["theme_id", *_TESTED])
        by_id = dict(zip(ratings["mention_id"], ratings["rating"], strict=True))
        members: dict[str, set[str]] = {}
        for theme_id, kind, document_id in theme_members(db):
            if kind == "mention" and str(document_id) in by_id:
                members.setdefault(str(theme_id), set()).add(str(document_id))
        rated = _with_content(db, by_id) | (set().union(*members.values()) if members else set())
        rows = []
        for theme_id, inside in members.items():
            outside = rated - inside
            if len(inside) < 2 or len(outside) < 2:
                continue
            mean_in, se_in, n_in = _side(np.array([by_id[key] for key in inside]))
            mean_out, se_out, n_out = _side(np.array([by_id[key] for key in outside]))
            _, p_value = welch_t_test(mean_in, se_in, n_in, mean_out, se_out, n_out)
            spread = np.sqrt(se_in**2 + se_out**2)
            freedom = welch_freedom(se_in, n_in, se_out, n_out) if spread > 0 else np.nan
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
        return pd.DataFrame(rows, columns=["theme_id", *_TESTED])

    key = ("theme-rating-effects", confidence, since, until, unit)
    return steady_result(db, key, compute)  # type: ignore[no-any-return]


def with_rating_effects(
    themes: pd.DataFrame, effects: Callable[[], pd.DataFrame] | None
) -> pd.DataFrame:
    """``themes`` (a theme listing) with :data:`RATING_COLUMNS` from ``effects()``
    (:func:`theme_rating_effects`, computed only when needed; None: no review counted),
    ``rating_p_adjusted`` Holm-corrected over the listed themes that have an effect (the
    family the report and the web's cards test); empty cells for a theme without one. Themes
    with an effect on NPS or on the survey's CSAT or CES (``effect``, ``outcome_effect``) get
    empty rating columns: that effect is theirs."""
    frame = themes.drop(columns=[c for c in RATING_COLUMNS if c in themes])
    scores = [column for column in ("effect", "outcome_effect") if column in frame]
    by_score = any(frame[column].notna().any() for column in scores)
    if frame.empty or by_score or effects is None or "theme_id" not in frame:
        return frame.assign(**{column: np.nan for column in RATING_COLUMNS})
    tested = effects()
    if tested.empty:
        return frame.assign(**{column: np.nan for column in RATING_COLUMNS})
    shown = tested[tested["theme_id"].astype(str).isin(set(frame["theme_id"].astype(str)))]
    shown = shown.assign(
        rating_p_adjusted=adjust_p_values(shown["rating_p_value"].astype(float).tolist(), "holm")
        if len(shown)
        else []
    )
    merged = frame.merge(shown, on="theme_id", how="left")
    merged.index = frame.index
    return merged
