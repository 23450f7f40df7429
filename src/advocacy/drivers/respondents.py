"""The per-respondent driver matrix: one row per answer, one column per rated item.

Ratings live in ``response_items`` (long: response, item, kind, value); the outcome lives in
``responses``. The join, the filter on item kinds and the per-item averaging run in the database
through Ibis (DuckDB, PostgreSQL or Spark alike); only the small aggregated matrix is pivoted
wide in pandas for the linear algebra.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

import pandas as pd

from advocacy.errors import UsageError
from advocacy.metrics.intervals import t_interval

#: Item kinds that describe how a respondent rated the experience (not what they expected).
PERFORMANCE_KINDS: tuple[str, ...] = ("rating", "perception")
OUTCOMES: tuple[str, ...] = ("nps", "csat", "ces")


def driver_data(
    responses: Any,
    items: Any,
    *,
    outcome: str = "nps",
    kinds: Sequence[str] = PERFORMANCE_KINDS,
    level: str = "item",
    unit: str | None = None,
) -> pd.DataFrame:
    """One row per response: ``response_id``, ``unit``, ``touchpoint``, the outcome, the items.

    Parameters
    ----------
    responses, items
        Ibis tables ``responses`` and ``response_items``.
    outcome
        ``nps``, ``csat`` or ``ces``: the column of ``responses`` to explain.
    kinds
        Which item kinds count as drivers (default ratings and SERVQUAL perceptions).
    level
        ``"item"`` (one driver per item) or ``"dimension"`` (items averaged per dimension).
    unit
        Keep only this unit's responses.

    Returns
    -------
    pandas.DataFrame
        The wide matrix; ``frame.attrs["drivers"]`` lists the driver columns.
    """
    long = driver_answers(
        responses, items, outcome=outcome, kinds=kinds, level=level, unit=unit
    ).to_pandas()
    if long.empty:
        frame = pd.DataFrame(columns=["response_id", "unit", "touchpoint", outcome])
        frame.attrs["drivers"] = []
        return frame
    wide = long.pivot_table(
        index=["response_id", "unit", "touchpoint", outcome],
        columns="driver",
        values="value",
        aggfunc="mean",
        dropna=False,
    )
    drivers = sorted(str(name) for name in wide.columns)
    frame = wide.reset_index()
    frame.columns = pd.Index([str(name) for name in frame.columns])
    frame[outcome] = frame[outcome].astype(float)
    frame.attrs["drivers"] = drivers
    return cast(pd.DataFrame, frame)


def driver_answers(
    responses: Any,
    items: Any,
    *,
    outcome: str = "nps",
    kinds: Sequence[str] = PERFORMANCE_KINDS,
    level: str = "item",
    unit: str | None = None,
) -> Any:
    """The long driver data as an Ibis expression (run by the tables' engine).

    One row per answer and driver: ``response_id``, ``driver``, ``value`` (the mean of the
    answer's ratings of that item or dimension), ``unit``, ``touchpoint`` and the outcome.
    Parameters as for :func:`driver_data`.

    Returns
    -------
    ibis.Table
        The expression, not yet run.
    """
    if outcome not in OUTCOMES:
        raise UsageError(
            f"unknown outcome {outcome!r}",
            value=outcome,
            parameter="outcome",
            fix="use one of: " + ", ".join(OUTCOMES),
        )
    per_item = answer_driver_values(items, kinds=kinds, level=level)
    answers = responses.filter(responses[outcome].notnull())
    if unit is not None:
        answers = answers.filter(answers.unit == unit)
    answers = answers.select("response_id", "unit", "touchpoint", outcome)
    return per_item.join(answers, "response_id")


def answer_driver_values(
    items: Any, *, kinds: Sequence[str] = PERFORMANCE_KINDS, level: str = "item"
) -> Any:
    """Each answer's value per driver, as Ibis: ``response_id``, ``driver``, ``value``.

    Parameters
    ----------
    items
        The Ibis table ``response_items``.
    kinds
        Which item kinds count as drivers.
    level
        ``"item"`` (one driver per item) or ``"dimension"`` (an answer's items averaged per
        dimension; an item without one stands alone).

    Returns
    -------
    ibis.Table
        One row per answer and driver.
    """
    if level not in ("item", "dimension"):
        raise UsageError(
            f"unknown driver level {level!r}",
            value=level,
            parameter="level",
            fix="use 'item' or 'dimension'",
        )
    chosen = items.filter(items.kind.isin(list(kinds)) & items.value.notnull())
    key = chosen.item if level == "item" else chosen.dimension.fill_null(chosen.item)
    return chosen.group_by([chosen.response_id, key.name("driver")]).aggregate(
        value=chosen.value.cast("float64").mean()
    )


def stated_importance(items: Any, *, level: str = "item", confidence: float = 0.95) -> pd.DataFrame:
    """Mean stated importance (items of kind ``importance``) per item or dimension, with its t
    interval (``importance_low``, ``importance_high``) and ``n``."""
    chosen = items.filter((items.kind == "importance") & items.value.notnull())
    key = chosen.item if level == "item" else chosen.dimension.fill_null(chosen.item)
    frame = (
        chosen.group_by(key.name("driver"))
        .aggregate(
            importance=chosen.value.mean(),
            variance=chosen.value.var(how="sample"),
            n=chosen.count(),
        )
        .to_pandas()
    )
    interval = t_interval(
        frame["importance"], frame["variance"].fillna(0.0), frame["n"], confidence
    )
    frame["importance_low"], frame["importance_high"] = interval.low, interval.high
    frame = frame.drop(columns="variance")
    return pd.DataFrame(frame.sort_values("driver").reset_index(drop=True))
