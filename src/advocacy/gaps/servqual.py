"""SERVQUAL: the gap between what customers expect and what they perceive.

For every respondent and item the gap is ``perception - expectation`` (negative: we fall short).
Item gaps average over respondents; a respondent's dimension gap is the mean of their item gaps
in that dimension; the **unweighted overall** SERVQUAL score is the mean of the five dimension
gaps, so each dimension counts once whatever its number of items (Parasuraman, Zeithaml & Berry
1988). This differs from the plain mean of the 22 item gaps, which gives reliability and empathy
(five items) more say than the others; both are reported so nobody mistakes one for the other.
The **weighted** score weights each respondent's dimension gaps by the importance points they
gave (shares of 100); a respondent without importance points gets the sample's mean weights.
Every gap carries a Student-t interval over respondents.

References
----------
.. [1] Parasuraman, A., Zeithaml, V. A. & Berry, L. L. (1988). SERVQUAL: a multiple-item scale
   for measuring consumer perceptions of service quality. Journal of Retailing 64(1), 12-40.
.. [2] Parasuraman, A., Berry, L. L. & Zeithaml, V. A. (1991). Refinement and reassessment of
   the SERVQUAL scale. Journal of Retailing 67(4), 420-450 (importance-point weighting).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, get_args

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, StrictInt

from advocacy.config_files import read_packaged
from advocacy.errors import UsageError
from advocacy.metrics.intervals import t_interval

DIMENSIONS: tuple[str, ...] = ("tangibles", "reliability", "responsiveness", "assurance", "empathy")


Dimension = Literal["tangibles", "reliability", "responsiveness", "assurance", "empathy"]
assert get_args(Dimension) == DIMENSIONS  # one list of dimensions


class Scale(BaseModel):
    """The rating scale of an instrument and the words at its ends."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min: StrictInt
    max: StrictInt
    low: str
    high: str


class ServqualItem(BaseModel):
    """One statement, rated for expectation and perception."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    number: StrictInt
    dimension: Dimension
    item: str
    statement: str


class ServqualInstrument(BaseModel):
    """The SERVQUAL template (``templates/servqual.yaml``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    scale: Scale
    expectation_prompt: str
    perception_prompt: str
    importance_prompt: str
    dimensions: dict[str, str]
    items: list[ServqualItem]


def servqual_template() -> dict[str, Any]:
    """The shipped 22-item SERVQUAL instrument: scale, prompts, dimensions and items.

    Returns
    -------
    dict
        ``name``, ``scale``, the expectation, perception and importance prompts,
        ``dimensions`` and ``items`` (number, dimension, item, statement).

    Examples
    --------
    >>> template = servqual_template()
    >>> len(template["items"]), template["items"][0]["dimension"]
    (22, 'tangibles')
    """
    return read_packaged(
        ServqualInstrument, "advocacy.gaps", "templates/servqual.yaml"
    ).model_dump()


def servqual_items() -> pd.DataFrame:
    """The instrument's items as a frame: number, dimension, item, statement."""
    return pd.DataFrame(servqual_template()["items"])


@dataclass(frozen=True)
class ServqualResult:
    """Item, dimension and overall gaps (perception - expectation) with intervals.

    Attributes
    ----------
    items
        Per item: dimension, item, expectation, perception, gap, ci_low, ci_high, n.
    dimensions
        Per dimension, smallest gap first: dimension, items, expectation, perception, gap,
        ci_low, ci_high, n and weight (the mean share of importance points; NaN when none).
    overall
        One row per overall measure (unweighted, item mean and, with importance points,
        weighted) with gap, ci_low, ci_high and n.
    respondents
        How many responses gave an expectation-perception pair.
    confidence
        Confidence level of the intervals.

    Examples
    --------
    >>> import pandas as pd
    >>> pairs = pd.DataFrame({
    ...     "response_id": ["r1", "r1"], "item": ["Modern equipment"] * 2,
    ...     "dimension": ["tangibles"] * 2, "kind": ["expectation", "perception"], "value": [6, 4],
    ... })
    >>> servqual_gaps(pairs).items[["item", "gap", "n"]]
                   item  gap  n
    0  Modern equipment -2.0  1
    """

    items: pd.DataFrame
    dimensions: pd.DataFrame
    overall: pd.DataFrame
    respondents: int
    confidence: float

    def score(self, measure: str = "unweighted") -> float:
        """The overall gap called ``measure``: unweighted, item mean or weighted."""
        row = self.overall.loc[self.overall.measure == measure, "gap"]
        return float(row.iloc[0]) if len(row) else float("nan")


def _summarise(values: pd.Series, confidence: float) -> dict[str, float]:
    clean = values.dropna().to_numpy(dtype=np.float64)
    n = clean.size
    mean = float(clean.mean()) if n else float("nan")
    variance = float(clean.var(ddof=1)) if n > 1 else float("nan")
    interval = t_interval(mean, variance, n, confidence)
    return {
        "gap": mean,
        "ci_low": float(interval.low),
        "ci_high": float(interval.high),
        "n": int(n),
    }


def _check(frame: pd.DataFrame) -> None:
    needed = {"response_id", "item", "kind", "value"}
    if not needed <= set(frame.columns):
        raise UsageError(
            "SERVQUAL needs response_id, item, dimension, kind and value columns",
            value=sorted(frame.columns),
            parameter="data",
            fix="pass response_items rows",
        )


def servqual_gaps(data: Any, *, confidence: float = 0.95) -> ServqualResult:
    """Expectation-perception gaps per item, per dimension and overall.

    Parameters
    ----------
    data
        Rows of ``response_items`` (pandas, or an Ibis table): ``response_id``, ``item``,
        ``dimension``, ``kind`` (``expectation``, ``perception`` and optionally ``importance``
        with ``item`` or ``dimension`` naming the dimension) and ``value``.
    confidence
        Confidence level of the t intervals.

    Returns
    -------
    ServqualResult
        ``items`` (dimension, item, expectation, perception, gap, ci_low, ci_high, n),
        ``dimensions`` (dimension, items, expectation, perception, gap, interval, n, weight)
        and ``overall`` (measure: unweighted = mean of dimension gaps, item mean, weighted).

    Raises
    ------
    UsageError
        When the rows lack expectation or perception ratings.

    Examples
    --------
    >>> import pandas as pd
    >>> rows = [
    ...     {"response_id": f"r{n}", "item": "Modern equipment", "dimension": "tangibles",
    ...      "kind": kind, "value": value}
    ...     for n, pair in enumerate([(6, 4), (7, 5), (6, 5)])
    ...     for kind, value in zip(["expectation", "perception"], pair)
    ... ]
    >>> result = servqual_gaps(pd.DataFrame(rows))
    >>> round(result.score(), 2), result.respondents
    (-1.67, 3)
    """
    frame = data.to_pandas() if hasattr(data, "to_pandas") else pd.DataFrame(data)
    _check(frame)
    if "dimension" not in frame.columns:
        frame["dimension"] = None
    rated = frame[frame.kind.isin(["expectation", "perception"])]
    wide = rated.pivot_table(
        index=["response_id", "dimension", "item"], columns="kind", values="value", aggfunc="mean"
    ).reset_index()
    if not {"expectation", "perception"} <= set(wide.columns):
        raise UsageError(
            "SERVQUAL needs both expectation and perception ratings",
            value=sorted(set(rated.kind)),
            parameter="data",
            fix="import response-items with kind expectation and kind perception",
        )
    wide = wide.dropna(subset=["expectation", "perception"])
    wide["gap"] = wide.perception - wide.expectation
    item_rows = []
    for (dimension, item), group in wide.groupby(["dimension", "item"], sort=True):
        item_rows.append(
            {
                "dimension": dimension,
                "item": item,
                "expectation": float(group.expectation.mean()),
                "perception": float(group.perception.mean()),
                **_summarise(group.gap, confidence),
            }
        )
    items = pd.DataFrame(item_rows)
    per_dimension = (
        wide.groupby(["response_id", "dimension"])
        .agg(gap=("gap", "mean"), expectation=("expectation", "mean"))
        .reset_index()
    )
    gaps = per_dimension.pivot(index="response_id", columns="dimension", values="gap")
    weights = _importance_weights(frame, list(gaps.columns), gaps.index)
    dimension_rows = []
    for dimension in gaps.columns:
        subset = wide[wide.dimension == dimension]
        dimension_rows.append(
            {
                "dimension": dimension,
                "items": int(subset.item.nunique()),
                "expectation": float(subset.expectation.mean()),
                "perception": float(subset.perception.mean()),
                **_summarise(gaps[dimension], confidence),
                "weight": float(weights[dimension].mean()) if weights is not None else np.nan,
            }
        )
    dimensions = pd.DataFrame(dimension_rows).sort_values("gap").reset_index(drop=True)
    overall_rows = [
        {"measure": "unweighted", **_summarise(gaps.mean(axis=1, skipna=False), confidence)},
        {"measure": "item mean", **_summarise(wide.groupby("response_id").gap.mean(), confidence)},
    ]
    if weights is not None:
        weighted = (gaps * weights).sum(axis=1, min_count=len(gaps.columns))
        overall_rows.append({"measure": "weighted", **_summarise(weighted, confidence)})
    return ServqualResult(
        items=items.sort_values("gap").reset_index(drop=True),
        dimensions=dimensions,
        overall=pd.DataFrame(overall_rows),
        respondents=int(wide.response_id.nunique()),
        confidence=confidence,
    )


def _importance_weights(
    frame: pd.DataFrame, dimensions: list[str], respondents: pd.Index
) -> pd.DataFrame | None:
    """Each respondent's importance points as shares; the sample mean fills the unanswered."""
    points = frame[frame.kind == "importance"].copy()
    if points.empty:
        return None
    points["target"] = points.dimension.where(points.dimension.notna(), points["item"])
    points = points[points.target.isin(dimensions)]
    if points.empty:
        return None
    table = points.pivot_table(
        index="response_id", columns="target", values="value", aggfunc="sum"
    ).reindex(columns=dimensions)
    table = table.fillna(0.0)
    table = table.div(table.sum(axis=1), axis=0).dropna()
    mean_weights = table.mean(axis=0)
    full = table.reindex(respondents)
    return full.fillna(mean_weights)
