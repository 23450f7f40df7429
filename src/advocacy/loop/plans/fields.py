"""The values a plan's fields may take: statuses, efforts and the metrics it may target.

Kept apart from :mod:`advocacy.loop.plans.store` and :mod:`advocacy.loop.plans.impact` (which import
SciPy and Ibis) so that the CLI's help and the web's forms can list them cheaply.
"""

from __future__ import annotations

from advocacy.metrics.catalogue import METRICS

STATUSES = ("planned", "active", "done", "dropped")
EFFORTS = ("low", "medium", "high")
#: A theme's share of comments, the one plan metric that is not an experience metric.
THEME_SHARE = "theme-share"
#: Every metric a plan may target: the experience metrics plus a theme's share of comments.
PLAN_METRICS: tuple[str, ...] = (*METRICS, THEME_SHARE)

__all__ = ["EFFORTS", "PLAN_METRICS", "STATUSES", "THEME_SHARE"]
