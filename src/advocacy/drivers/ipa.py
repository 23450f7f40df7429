"""Importance-performance analysis (Martilla & James 1977): where to concentrate.

Each attribute is placed by its importance (stated, or derived from a key-driver analysis) and
its performance (mean rating). Crosshairs split the plane into four quadrants:

========================  =====================  =====================
                          low performance        high performance
========================  =====================  =====================
high importance           concentrate here       keep up the good work
low importance            low priority           possible overkill
========================  =====================  =====================

Crosshairs sit at the data means (default), the medians, or fixed values (the scale midpoint
for performance; for derived importance, ``1 / number of attributes``, the share every
attribute would have if all mattered equally). **Tie rule**: a point exactly on a crosshair
counts as *high* on that axis (``>=``), so an attribute at the average importance is treated as
important; the rule is written into the result so a reader can check it.

**Only differences beyond their interval**: when the data carry an interval of each importance
(``importance_low`` and ``importance_high``: a bootstrap interval of a derived share, a t
interval of a stated mean), an attribute whose interval includes the importance crosshair is
``"importance unclear"`` rather than high or low: a 0.02 difference in share of R^2 is noise, and
calling it "concentrate here" or "low priority" would send effort by chance. The crosshair itself
is taken as known.

References
----------
.. [1] Martilla, J. A. & James, J. C. (1977). Importance-performance analysis. Journal of
   Marketing 41(1), 77-79.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from advocacy.errors import UsageError

Crosshair = Literal["mean", "median", "midpoint"]
CROSSHAIRS: tuple[str, ...] = ("mean", "median", "midpoint")
QUADRANTS: dict[tuple[bool, bool], str] = {
    (True, False): "concentrate here",
    (True, True): "keep up the good work",
    (False, False): "low priority",
    (False, True): "possible overkill",
}
#: The quadrant of an attribute whose importance cannot be told from the crosshair's.
UNCLEAR = "importance unclear"
TIE_RULE = "a point on a crosshair counts as high (>=) on that axis"
UNCLEAR_RULE = (
    "an attribute whose importance interval includes the importance crosshair is "
    f"'{UNCLEAR}', not placed in a quadrant"
)


@dataclass(frozen=True)
class ImportancePerformance:
    """Quadrants of an importance-performance analysis and where the crosshairs were drawn.

    Attributes
    ----------
    frame
        The input rows with ``quadrant``, ``importance_gap`` and ``performance_gap``,
        "concentrate here" first.
    importance_crosshair, performance_crosshair
        Where the crosshairs were drawn on each axis.
    crosshair
        How they were placed: ``"mean"``, ``"median"`` or ``"midpoint"``.
    importance_source
        ``"stated"`` or ``"derived"`` importance.
    tie_rule
        How a point on a crosshair is placed, and (with importance intervals) when an
        attribute's importance is too uncertain for a quadrant.

    Examples
    --------
    >>> import pandas as pd
    >>> ratings = pd.DataFrame(
    ...     {"item": ["price", "staff"], "importance": [4.5, 3.5], "performance": [2.5, 4.5]}
    ... )
    >>> result = importance_performance(ratings, crosshair="median")
    >>> result.importance_crosshair, list(result.frame.quadrant)
    (4.0, ['concentrate here', 'possible overkill'])
    """

    frame: pd.DataFrame
    importance_crosshair: float
    performance_crosshair: float
    crosshair: str
    importance_source: str
    tie_rule: str = TIE_RULE

    def quadrant(self, name: str) -> list[str]:
        """The attributes in quadrant ``name`` (e.g. ``"concentrate here"``)."""
        return [str(item) for item in self.frame.loc[self.frame.quadrant == name, "item"]]


def _crosshair(
    values: pd.Series, how: str, fixed: float | None, parameter: str, fallback: float | None
) -> float:
    if fixed is not None:
        return float(fixed)
    if how == "mean":
        return float(values.mean())
    if how == "median":
        return float(values.median())
    if fallback is None:
        raise UsageError(
            "the midpoint crosshair needs the scale",
            parameter=parameter,
            fix="pass scale=(min, max) or a fixed crosshair value",
        )
    return fallback


def importance_performance(
    data: Any,
    *,
    crosshair: Crosshair = "mean",
    scale: tuple[float, float] | None = None,
    importance_at: float | None = None,
    performance_at: float | None = None,
    importance_source: str = "stated",
) -> ImportancePerformance:
    """Place attributes in the four IPA quadrants.

    Parameters
    ----------
    data
        A frame with columns ``item``, ``importance`` and ``performance`` (extra columns kept),
        and optionally ``importance_low`` and ``importance_high``: the interval of each
        importance, which keeps an attribute out of the quadrants while its interval includes
        the importance crosshair.
    crosshair
        ``"mean"``, ``"median"`` or ``"midpoint"`` (performance: the middle of ``scale``;
        derived importance: the equal share ``1 / number of items``).
    scale
        (lowest, highest) possible performance rating; needed for ``"midpoint"``.
    importance_at, performance_at
        Fixed crosshair values that override ``crosshair`` on that axis.
    importance_source
        ``"stated"`` or ``"derived"``: recorded with the result for the reader.

    Returns
    -------
    ImportancePerformance
        ``frame`` gains ``quadrant`` (one of the four, or ``"importance unclear"``),
        ``importance_gap`` and ``performance_gap`` (distance to each crosshair) and is sorted
        with "concentrate here" first and "importance unclear" last.

    Raises
    ------
    UsageError
        On an unknown ``crosshair``, a missing column, or no item with both ratings.

    Examples
    --------
    >>> import pandas as pd
    >>> ratings = pd.DataFrame({
    ...     "item": ["price", "speed", "staff", "app"],
    ...     "importance": [4.5, 3.0, 4.0, 2.5],
    ...     "performance": [2.5, 4.0, 4.5, 3.0],
    ... })
    >>> result = importance_performance(ratings)
    >>> result.importance_crosshair, result.performance_crosshair
    (3.5, 3.5)
    >>> result.quadrant("concentrate here")
    ['price']
    """
    if crosshair not in CROSSHAIRS:
        raise UsageError(
            f"unknown crosshair {crosshair!r}",
            value=crosshair,
            parameter="crosshair",
            fix="use mean, median or midpoint",
        )
    frame = pd.DataFrame(data).copy()
    for column in ("item", "importance", "performance"):
        if column not in frame.columns:
            raise UsageError(
                f"importance-performance data needs a column {column!r}",
                value=list(frame.columns),
                parameter="data",
                fix="provide item, importance and performance columns",
            )
    frame = frame.dropna(subset=["importance", "performance"])
    if frame.empty:
        raise UsageError("no attribute has both importance and performance", parameter="data")
    midpoint_importance = 1.0 / len(frame) if importance_source == "derived" else None
    if scale is not None and importance_source == "stated":
        midpoint_importance = (scale[0] + scale[1]) / 2.0
    midpoint_performance = (scale[0] + scale[1]) / 2.0 if scale is not None else None
    at_importance = _crosshair(
        frame.importance, crosshair, importance_at, "crosshair", midpoint_importance
    )
    at_performance = _crosshair(
        frame.performance, crosshair, performance_at, "crosshair", midpoint_performance
    )
    high_importance = frame.importance.to_numpy() >= at_importance
    high_performance = frame.performance.to_numpy() >= at_performance
    unclear = np.zeros(len(frame), dtype=bool)
    if {"importance_low", "importance_high"} <= set(frame.columns):
        low = frame.importance_low.to_numpy(dtype=float)
        high = frame.importance_high.to_numpy(dtype=float)
        unclear = (
            ~np.isnan(low) & ~np.isnan(high) & (low <= at_importance) & (at_importance <= high)
        )
    frame["quadrant"] = [
        UNCLEAR if u else QUADRANTS[(bool(i), bool(p))]
        for i, p, u in zip(high_importance, high_performance, unclear, strict=True)
    ]
    frame["importance_gap"] = frame.importance - at_importance
    frame["performance_gap"] = frame.performance - at_performance
    order = {name: index for index, name in enumerate([*QUADRANTS.values(), UNCLEAR])}
    frame["_order"] = frame.quadrant.map(order)
    frame = frame.sort_values(["_order", "importance"], ascending=[True, False], kind="stable")
    frame = frame.drop(columns="_order").reset_index(drop=True)
    return ImportancePerformance(
        frame=frame,
        importance_crosshair=at_importance,
        performance_crosshair=at_performance,
        crosshair="fixed" if importance_at is not None or performance_at is not None else crosshair,
        importance_source=importance_source,
        tie_rule=TIE_RULE + ("; " + UNCLEAR_RULE if "importance_low" in frame.columns else ""),
    )


def quadrant_chart(result: ImportancePerformance, *, title: str = "") -> dict[str, Any]:
    """A Vega-Lite quadrant scatter: points labelled by item, crosshairs as rules."""
    points = result.frame[["item", "importance", "performance", "quadrant"]].to_dict("records")
    for point in points:
        point["importance"] = float(np.round(point["importance"], 4))
        point["performance"] = float(np.round(point["performance"], 3))
    axes = {
        "x": {"field": "performance", "type": "quantitative", "scale": {"zero": False}},
        "y": {"field": "importance", "type": "quantitative", "scale": {"zero": False}},
    }
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": title,
        "width": 420,
        "height": 320,
        "layer": [
            {
                "data": {"values": points},
                "mark": {"type": "point", "filled": True, "size": 70},
                "encoding": {**axes, "color": {"field": "quadrant", "type": "nominal"}},
            },
            {
                "data": {"values": points},
                "mark": {"type": "text", "dy": -9, "fontSize": 9},
                "encoding": {**axes, "text": {"field": "item"}},
            },
            # The crosshairs use the axes' own field names: a field of another name would be
            # merged into the axis title ("performance, at").
            {
                "data": {"values": [{"performance": result.performance_crosshair}]},
                "mark": {"type": "rule", "strokeDash": [4, 4]},
                "encoding": {"x": {"field": "performance", "type": "quantitative"}},
            },
            {
                "data": {"values": [{"importance": result.importance_crosshair}]},
                "mark": {"type": "rule", "strokeDash": [4, 4]},
                "encoding": {"y": {"field": "importance", "type": "quantitative"}},
            },
        ],
    }
