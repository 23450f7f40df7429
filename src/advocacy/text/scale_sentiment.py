"""The sentiment a score on a rating scale implies: labels a calibration learns from.

Labels from scores are scale-aware (:func:`scale_label`): NPS 0-6 / 7-8 / 9-10; any other rating
(CSAT, CES with high = easy, a review's stars) is negative in its bottom two boxes, positive in
its top two, neutral between (1-5: 1-2 / 3 / 4-5; 1-7: 1-2 / 3-5 / 6-7). Scales of 9 to 11
points follow the NPS bands (top two positive, next two neutral, the rest negative: 1-10 is
1-6 / 7-8 / 9-10) and longer ones the same bands as fractions of the scale.

A response's scores label its comment for :class:`~advocacy.text.calibration.CalibratedSentiment`
(:mod:`advocacy.text.score_labels` reads them from a workspace).
"""

from __future__ import annotations

import math

__all__ = ["label_from_scores", "scale_label"]


def scale_label(value: float | None, low: float, high: float) -> str | None:
    """The sentiment a rating of ``value`` on the scale ``low``..``high`` implies (high = good).

    Bottom two boxes negative, top two positive, the rest neutral (1-5: 1-2 / 3 / 4-5; 1-7:
    1-2 / 3-5 / 6-7; 1-3: 1 / 2 / 3; 1-4: 1-2 / 3-4). Scales of 9 to 11 points use the NPS bands:
    top two positive, the next two neutral, the rest negative (0-10: 0-6 / 7-8 / 9-10; 1-10:
    1-6 / 7-8 / 9-10). Longer scales (0-100) use those bands as fractions: positive from 90%,
    neutral from 70% of the way up. A missing value, a value off the scale or a scale without
    two points gives None: no label rather than a guess.

    >>> [scale_label(v, 1, 5) for v in (1, 2, 3, 4, 5)]
    ['negative', 'negative', 'neutral', 'positive', 'positive']
    >>> [scale_label(v, 0, 10) for v in (6, 7, 8, 9)]
    ['negative', 'neutral', 'neutral', 'positive']
    """
    if value is None or not math.isfinite(value) or not high > low:
        return None
    if not low <= value <= high:
        return None
    span = high - low
    points = round(span) + 1
    if abs(span - round(span)) > 1e-9 or points > 11:
        position = (value - low) / span
        return "positive" if position >= 0.9 else ("neutral" if position >= 0.7 else "negative")
    if points >= 9:
        return "positive" if value >= high - 1 else ("neutral" if value >= high - 3 else "negative")
    if points >= 4:
        return "negative" if value <= low + 1 else ("positive" if value >= high - 1 else "neutral")
    if points == 3:
        return (
            "negative" if value < low + 0.5 else ("positive" if value > high - 0.5 else "neutral")
        )
    return "negative" if value < (low + high) / 2 else "positive"


def label_from_scores(
    nps: float | None = None,
    csat: float | None = None,
    *,
    csat_min: float = 1,
    csat_max: float = 5,
    rating: float | None = None,
    rating_min: float = 1,
    rating_max: float = 5,
    ces: float | None = None,
    ces_min: float = 1,
    ces_max: float = 7,
) -> str | None:
    """The sentiment a response's scores imply, first of NPS, CSAT, a rating, CES (high = easy).

    Each score is read on its own scale by :func:`scale_label` (NPS 0-6 / 7-8 / 9-10; CSAT 4 of
    1-5 is positive).

    >>> label_from_scores(csat=4, csat_min=1, csat_max=5)
    'positive'
    >>> label_from_scores(nps=7)
    'neutral'
    """
    for value, low, high in (
        (nps, 0, 10),
        (csat, csat_min, csat_max),
        (rating, rating_min, rating_max),
        (ces, ces_min, ces_max),
    ):
        if value is not None and value == value:
            return scale_label(float(value), float(low), float(high))
    return None


# -- the calibrated model -------------------------------------------------------------------------
