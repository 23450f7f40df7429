"""The reviews' star ratings as the executive summary reads them: the mean rating and the share
of the top two points, each with its interval, in the latest complete quarter of reviews and
against the quarter before (or over every review when none carries a date).

A workspace of reviews only has no NPS, CSAT or CES, but its reviews' ratings say how customers
are doing; the summary shows them instead of asking for survey answers. A rating is read on
the scale of its import (:func:`advocacy.text.mention_scales.mention_scales`: stars 1-5 are 1-5);
when imports use different scales the one most reviews use is shown, and the rest are counted
apart. The mean has Student's t interval, the top-two share Wilson's; a change is Welch's t test
(mean) or the two-proportion z test (share), Holm-corrected across the two, as the scores are.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from advocacy.errors import ParquetSourceError
from advocacy.metrics.comparisons import adjust_p_values, two_proportion_z_test, welch_t_test
from advocacy.metrics.periods import data_end_day, latest_complete
from advocacy.metrics.scores import ScoreResult, mean_score, share
from advocacy.report.section import ReportScope, remembered, report_day
from advocacy.text.theme_ratings import rated_reviews

if TYPE_CHECKING:
    from advocacy.workspace import Workspace

__all__ = [
    "RatingChange",
    "RatingStanding",
    "quarantined_ratings",
    "rating_standing",
]


@dataclass(frozen=True)
class RatingChange:
    """A score's change against the quarter before: ``change`` (now minus then), the earlier
    score, and the Holm-corrected p-value."""

    change: float
    before: float
    p_adjusted: float


@dataclass(frozen=True)
class RatingStanding:
    """The reviews' mean rating and top-two share in a quarter (or over all reviews).

    Attributes
    ----------
    mean, top_two
        The mean rating (t interval) and the share in percent rated in the scale's top two
        points (Wilson interval).
    low, top
        The rating scale (1-5 for stars).
    quarter
        The first day of the quarter shown, or None when no review carries a date (all shown).
    mean_change, top_two_change
        Against the quarter before, when it has reviews; None otherwise.
    other_scales
        Reviews rated on another scale, left out.
    dated
        Whether reviews carry dates (with ``quarter`` None: no complete quarter holds
        ``min_n`` of them).
    quarantined
        Rated reviews of the period shown (``quarter``, else every one in the scope) that
        were quarantined for having no text (:func:`quarantined_ratings`): not in ``mean``.
    """

    mean: ScoreResult
    top_two: ScoreResult
    low: float
    top: float
    quarter: dt.date | None
    mean_change: RatingChange | None = None
    top_two_change: RatingChange | None = None
    other_scales: int = 0
    dated: bool = True
    quarantined: int = 0


def _quarter_start(at: pd.Series) -> pd.Series:
    naive = at.dt.tz_convert(None)
    starts: pd.Series = naive.dt.to_period("Q").dt.start_time.dt.date
    return starts


def _top_two(ratings: pd.DataFrame) -> np.ndarray[Any, np.dtype[np.bool_]]:
    return (ratings["rating"] >= ratings["top"] - 1).to_numpy()


def rating_standing(ws: Workspace, scope: ReportScope) -> RatingStanding | None:
    """The reviews' rating in the latest complete quarter with ``min_n`` rated reviews, and its
    change against the quarter before; over every rated review when none carries a date or no
    complete quarter holds ``min_n`` of them; None when no review carries a rating."""

    def compute() -> RatingStanding | None:
        ratings = rated_reviews(ws.db, since=scope.since, until=scope.until, unit=scope.unit)
        if ratings.empty:
            return None
        confidence = ws.settings.confidence
        low, top = float(ratings["low"].iloc[0]), float(ratings["top"].iloc[0])
        other = int(ratings.attrs.get("other_scales", 0))
        dated = ratings[ratings["at"].notna()]
        quarter = None
        if not dated.empty:
            starts = _quarter_start(dated["at"])
            counts = starts.value_counts().rename_axis("period").reset_index(name="n")
            # A quarter the reviews stop inside is not complete (one rule, metrics/periods.py).
            quarter = latest_complete(
                counts,
                "quarter",
                today=report_day(ws, scope),
                min_n=ws.settings.min_n,
                data_end=data_end_day(dated["at"].max()),
            )
        if quarter is None:
            return RatingStanding(
                quarantined=quarantined_ratings(ws, scope, None),
                mean=mean_score(ratings["rating"], confidence=confidence),
                top_two=share(_top_two(ratings), confidence=confidence),
                low=low,
                top=top,
                quarter=None,
                other_scales=other,
                dated=not dated.empty,
            )
        now = dated[(starts == quarter).to_numpy()]
        previous = (pd.Timestamp(quarter) - pd.DateOffset(months=3)).date()
        before = dated[(starts == previous).to_numpy()]
        mean = mean_score(now["rating"], confidence=confidence)
        top_two = share(_top_two(now), confidence=confidence)
        mean_change = top_two_change = None
        if len(before) >= 2:
            mean_then = mean_score(before["rating"], confidence=confidence)
            share_then = share(_top_two(before), confidence=confidence)
            _, p_mean = welch_t_test(
                mean.score, mean.se, mean.n, mean_then.score, mean_then.se, mean_then.n
            )
            _, p_share = two_proportion_z_test(
                top_two.score / 100, top_two.n, share_then.score / 100, share_then.n
            )
            adjusted = adjust_p_values([float(p_mean), float(p_share)], "holm")
            mean_change = RatingChange(
                mean.score - mean_then.score, mean_then.score, float(adjusted[0])
            )
            top_two_change = RatingChange(
                top_two.score - share_then.score, share_then.score, float(adjusted[1])
            )
        return RatingStanding(
            mean=mean,
            top_two=top_two,
            low=low,
            top=top,
            quarter=quarter,
            mean_change=mean_change,
            top_two_change=top_two_change,
            other_scales=other,
            quarantined=quarantined_ratings(ws, scope, quarter),
        )

    return remembered(("review-ratings", scope), compute)  # type: ignore[no-any-return]


def quarantined_ratings(ws: Workspace, scope: ReportScope, quarter: dt.date | None) -> int:
    """The rated reviews quarantined for having no text, in ``quarter`` (None: in the scope).

    A mention is what was written, so an import quarantines a review with a rating and no
    text ("required: the cell is empty"; its note says how to keep them, as responses). They
    are reviews the mean rating leaves out: 3,561 of Olist's 6,123, whose ratings are higher
    than those of the reviews with a comment (review27 #1). Counted from the unresolved
    quarantine entries of mention imports whose text cell was empty and whose rating cell
    was not, once per distinct row as the file held it (an import run twice quarantines it
    twice), dated by the cell the import read as the review's date. With a unit chosen, or
    from a source without the import ledger, none is counted.
    """
    from advocacy.ingest.missing_text import EMPTY_REASON, RATING_FIELD, TEXT_FIELD
    from advocacy.ingest.reason_fixes import split_fix

    if scope.unit is not None:
        return 0
    try:
        imports = ws.db.fetchall("SELECT import_id, detected FROM imports WHERE kind = 'mentions'")
    except ParquetSourceError:  # Parquet on Spark: no import ledger to read
        return 0
    columns: dict[str, dict[str, str]] = {}
    for import_id, detected in imports:
        found = json.loads(detected) if isinstance(detected, str) else (detected or [])
        fields = {
            str(item.get("field")): str(item.get("column"))
            for item in found
            if isinstance(item, dict)
        }
        if TEXT_FIELD in fields and RATING_FIELD in fields:
            columns[str(import_id)] = fields
    if not columns:
        return 0
    marks = ", ".join("?" for _ in columns)
    rows = ws.db.fetchall(
        "SELECT import_id, column_name, record FROM quarantine WHERE resolved_at IS NULL "
        f"AND reason = ? AND import_id IN ({marks})",
        [split_fix(EMPTY_REASON)[0], *columns],
    )
    dates: dict[str, str | None] = {}
    for import_id, column, record in rows:
        fields = columns[str(import_id)]
        if column != fields[TEXT_FIELD]:
            continue
        values = json.loads(record) if isinstance(record, str) else (record or {})
        rating = values.get(fields[RATING_FIELD]) if isinstance(values, dict) else None
        if rating is None or not str(rating).strip():
            continue
        when = values.get(fields["posted_at"]) if "posted_at" in fields else None
        dates[json.dumps(values, sort_keys=True)] = None if when is None else str(when)
    if not dates:
        return 0
    at = pd.to_datetime(
        pd.Series(list(dates.values()), dtype=object), utc=True, errors="coerce", format="mixed"
    )
    keep = pd.Series(True, index=at.index)
    if scope.since is not None:
        keep &= at.dt.date >= scope.since
    if scope.until is not None:
        keep &= at.dt.date <= scope.until
    if quarter is not None:
        keep &= at.notna()
        keep &= _quarter_start(at.where(at.notna(), pd.Timestamp(0, tz="UTC"))) == quarter
    return int(keep.sum())
