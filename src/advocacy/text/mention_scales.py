"""The scale of a mention's rating: mentions store a rating without it, so each import's
(``source``) is told by the ratings it holds (stars 1-5 are 1-5).

A module of its own, so listing themes with their rating effects
(:mod:`advocacy.text.theme_ratings`) imports no text model.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

__all__ = ["MENTION_SCALE_TOPS", "mention_scales", "scales_of"]

#: Possible tops of a mention's rating scale; the smallest that holds a source's ratings is it.
MENTION_SCALE_TOPS = (5, 7, 10, 100)


def mention_scales(mentions: Any) -> dict[str, tuple[float, float]]:
    """Per import (``source``), the scale its mentions' ratings come from.

    Mentions store a rating without its scale: the bottom is 0 when a 0 occurs, else 1; the top
    is the smallest of :data:`MENTION_SCALE_TOPS` that holds the largest rating (stars 1-5 are
    1-5). A source with ratings above 100 or below 0 is not read.
    """
    rated = mentions.filter(mentions.rating.notnull())
    ranges = (
        rated.group_by("source").aggregate(low=rated.rating.min(), high=rated.rating.max())
    ).to_pandas()
    return scales_of(ranges.itertuples(index=False))


def scales_of(ranges: Iterable[Sequence[Any]]) -> dict[str, tuple[float, float]]:
    """The scales of :func:`mention_scales`, from each source's ``(source, lowest, highest
    rating)``."""
    scales = {}
    for source, low, high in ranges:
        top = next((t for t in MENTION_SCALE_TOPS if high <= t), None)
        if top is not None and low >= 0:
            scales[str(source)] = (0.0 if low < 1 else 1.0, float(top))
    return scales
