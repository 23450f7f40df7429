"""How each unit rates each driver, against the other units: the unit x driver heat map.

A key driver (an item or a dimension customers rate) matters everywhere; where it falls short
differs by unit. For every unit and driver this gives the mean rating with its Student-t
interval and the difference from the same driver's mean in the other units, tested with
Welch's t test and adjusted for the many cells at once (Holm by default), so a heat map can
colour only the differences the data supports. The sums run in the database; the finishing
touches run on the small aggregated frame.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from advocacy.drivers.respondents import PERFORMANCE_KINDS, answer_driver_values
from advocacy.metrics.comparisons import adjust_p_values, welch_t_test
from advocacy.metrics.intervals import t_interval

#: Columns of :func:`unit_driver_ratings`, in order.
COLUMNS = (
    "unit",
    "driver",
    "n",
    "mean",
    "ci_low",
    "ci_high",
    "rest_mean",
    "difference",
    "p_adjusted",
    "significant",
    "flag",
)


def unit_driver_ratings(
    responses: Any,
    items: Any,
    *,
    level: str = "item",
    kinds: Sequence[str] = PERFORMANCE_KINDS,
    confidence: float = 0.95,
    min_n: int = 30,
    correction: str = "holm",
) -> pd.DataFrame:
    """The mean rating of each driver in each unit, with its interval and its difference from
    the other units.

    Parameters
    ----------
    responses, items
        Ibis tables ``responses`` (already filtered as wanted) and ``response_items``.
    level
        ``item`` (one driver per rated item) or ``dimension`` (a respondent's items averaged per
        dimension).
    kinds
        Item kinds that are ratings of the experience (ratings and SERVQUAL perceptions).
    confidence
        Level of the intervals; ``1 - confidence`` is the significance level of the tests.
    min_n
        Cells with fewer respondents are flagged and never called significant.
    correction
        ``holm``, ``bh`` or ``none``, over every tested cell.

    Returns
    -------
    pandas.DataFrame
        :data:`COLUMNS`, one row per unit and driver, sorted by driver then unit. ``difference``
        is the unit's mean minus the other units' mean for that driver.

    References
    ----------
    Welch, B. L. (1947). The generalization of "Student's" problem when several different
    population variances are involved. Biometrika 34, 28-35. Holm, S. (1979). A simple
    sequentially rejective multiple test procedure. Scand. J. Statist. 6, 65-70.
    """
    per_answer = answer_driver_values(items, kinds=kinds, level=level)
    answers = responses.filter(responses.unit.notnull()).select("response_id", "unit")
    joined = per_answer.join(answers, "response_id")
    sums = (
        joined.group_by(["unit", "driver"])
        .aggregate(
            n=joined.count(),
            total=joined.value.sum(),
            squares=(joined.value * joined.value).sum(),
        )
        .to_pandas()
    )
    if sums.empty:
        return pd.DataFrame(columns=list(COLUMNS))
    sums = sums.astype({"n": "int64", "total": "float64", "squares": "float64"})
    everyone = sums.groupby("driver")[["n", "total", "squares"]].transform("sum")
    frame = sums.assign(
        rest_n=everyone["n"] - sums["n"],
        rest_total=everyone["total"] - sums["total"],
        rest_squares=everyone["squares"] - sums["squares"],
    )

    def moments(n: pd.Series, total: pd.Series, squares: pd.Series) -> tuple[Any, Any]:
        size = n.to_numpy(dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            mean = total.to_numpy() / size
            variance = (squares.to_numpy() - size * mean * mean) / (size - 1.0)
        return mean, np.where(size > 1, np.maximum(variance, 0.0), np.nan)

    mean, variance = moments(frame["n"], frame["total"], frame["squares"])
    rest_mean, rest_variance = moments(frame["rest_n"], frame["rest_total"], frame["rest_squares"])
    own = t_interval(mean, variance, frame["n"].to_numpy(dtype=float), confidence)
    rest = t_interval(rest_mean, rest_variance, frame["rest_n"].to_numpy(dtype=float), confidence)
    _, p_values = welch_t_test(
        mean, own.se, frame["n"], rest_mean, rest.se, frame["rest_n"].to_numpy(dtype=float)
    )
    enough = (frame["n"] >= min_n) & (frame["rest_n"] >= min_n)
    p_values = np.where(enough & np.isfinite(p_values), p_values, np.nan)
    adjusted = adjust_p_values(p_values, correction)
    result = pd.DataFrame(
        {
            "unit": frame["unit"].astype(str),
            "driver": frame["driver"].astype(str),
            "n": frame["n"],
            "mean": mean,
            "ci_low": own.low,
            "ci_high": own.high,
            "rest_mean": rest_mean,
            "difference": mean - rest_mean,
            "p_adjusted": adjusted,
            "significant": np.nan_to_num(adjusted, nan=1.0) < 1.0 - confidence,
            "flag": [None if n >= min_n else "too few responses" for n in frame["n"]],
        }
    )
    return result.sort_values(["driver", "unit"]).reset_index(drop=True)
