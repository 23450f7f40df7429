"""How each unit rates each driver: the unit x driver matrix behind a heat map.

A heat map shows where a unit falls short on a driver the company as a whole does well on. Each
cell is the mean rating the unit's respondents gave the driver (a respondent who rated several
items of a dimension counts once, with their mean), beside the company's mean of the same driver
and the difference. The grouping runs in the database through Ibis, so DuckDB, PostgreSQL and
Spark compute the same cells; only the small result comes back.

Examples
--------
>>> ws.gaps.unit_ratings().head()                                    # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from advocacy.drivers.respondents import PERFORMANCE_KINDS
from advocacy.errors import UsageError

#: The columns of :func:`unit_ratings`.
COLUMNS = ["unit", "driver", "mean", "n", "company_mean", "difference"]


def unit_ratings(
    responses: Any,
    items: Any,
    *,
    level: str = "item",
    kinds: Sequence[str] = PERFORMANCE_KINDS,
    min_n: int = 1,
) -> pd.DataFrame:
    """Each unit's mean rating of each driver, against the company's mean of that driver.

    Parameters
    ----------
    responses, items
        Ibis tables ``responses`` and ``response_items``.
    level
        ``"item"`` (one driver per rated item) or ``"dimension"`` (items averaged per
        dimension, per respondent).
    kinds
        Which item kinds count as ratings (default ratings and SERVQUAL perceptions).
    min_n
        Cells rated by fewer respondents keep their ``n`` but get no ``mean`` or
        ``difference`` (NaN), so a heat map leaves them blank rather than colour noise.

    Returns
    -------
    pandas.DataFrame
        ``unit``, ``driver``, ``mean``, ``n`` (respondents), ``company_mean`` (all units'
        respondents) and ``difference`` (``mean - company_mean``, in points of the item's
        scale); sorted by unit and driver. Empty when no answer with a unit rates any item.

    Raises
    ------
    UsageError
        For an unknown level.
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
    per_respondent = chosen.group_by([chosen.response_id, key.name("driver")]).aggregate(
        value=chosen.value.mean()
    )
    answers = responses.filter(responses.unit.notnull()).select("response_id", "unit")
    joined = per_respondent.join(answers, "response_id")
    cells = (
        joined.group_by(["unit", "driver"])
        .aggregate(total=joined.value.sum(), n=joined.value.count())
        .to_pandas()
    )
    if cells.empty:
        return pd.DataFrame(columns=COLUMNS)
    cells["unit"] = cells["unit"].astype(str)
    cells["driver"] = cells["driver"].astype(str)
    company = cells.groupby("driver")[["total", "n"]].sum()
    cells["company_mean"] = cells["driver"].map(company["total"] / company["n"])
    cells["mean"] = (cells["total"] / cells["n"]).where(cells["n"] >= min_n)
    cells["difference"] = cells["mean"] - cells["company_mean"]
    cells["n"] = cells["n"].astype(int)
    result: pd.DataFrame = cells[COLUMNS].sort_values(["unit", "driver"]).reset_index(drop=True)
    return result
