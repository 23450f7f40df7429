"""Key drivers from the engine's correlation matrix: respondents never leave the engine.

LMG and Johnson's weights of a linear model depend on the data only through the correlations
of the drivers with one another and with the outcome. The engine (DuckDB, PostgreSQL or Spark,
through Ibis) pivots each answer's ratings into one row, keeps the complete rows (as the
row-wise fit drops incomplete ones) and sums the values and their pairwise products; the
driver turns those ``(p + 1)(p + 2) / 2`` sums into the correlation matrix and fits
:meth:`~advocacy.drivers.relative_importance.RelativeImportance.fit_correlations`. The weights
equal those of the fit on the rows (:func:`~advocacy.drivers.respondents.driver_data`); the
bootstrap intervals need the rows, so there are none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from advocacy.drivers.relative_importance import (
    EXACT_LIMIT,
    N_PERMUTATIONS,
    Method,
    RelativeImportance,
)
from advocacy.drivers.respondents import PERFORMANCE_KINDS, driver_answers
from advocacy.errors import UsageError
from advocacy.metrics.engines import spark_session, spark_tables

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class DriverMoments:
    """Count, means and covariance of the drivers and the outcome over complete answers.

    ``covariance`` is (p + 1) x (p + 1), drivers in ``names`` order, the outcome last.
    """

    names: list[str]
    n: int
    means: FloatArray
    covariance: FloatArray

    def correlations(self) -> tuple[FloatArray, FloatArray]:
        """The drivers' correlation matrix and their correlations with the outcome."""
        spread = np.sqrt(np.diag(self.covariance))
        for name, value in zip(self.names, spread[:-1], strict=True):
            if not value > 0:
                raise UsageError(
                    f"driver {name!r} does not vary, so its importance is undefined",
                    value=name,
                    parameter="drivers",
                    fix="leave constant drivers out",
                )
        matrix = self.covariance / np.outer(spread, spread)
        return matrix[:-1, :-1], matrix[:-1, -1]


def driver_moments(
    responses: Any,
    items: Any,
    *,
    outcome: str = "nps",
    kinds: Sequence[str] = PERFORMANCE_KINDS,
    level: str = "item",
    unit: str | None = None,
) -> DriverMoments:
    """The moments of the driver matrix, summed by the tables' engine.

    Parameters
    ----------
    responses, items
        Ibis tables ``responses`` and ``response_items`` (any engine).
    outcome, kinds, level, unit
        As for :func:`advocacy.drivers.respondents.driver_data`.

    Returns
    -------
    DriverMoments
        Over the answers with the outcome and every driver.
    """
    long = driver_answers(responses, items, outcome=outcome, kinds=kinds, level=level, unit=unit)
    names = sorted(str(name) for name in long.select("driver").distinct().to_pandas()["driver"])
    # Columns get positional names: item names are user text, not identifiers.
    columns = {
        f"d{index}": long.value.cast("float64").max(where=long.driver == name)
        for index, name in enumerate(names)
    }
    wide = long.group_by("response_id").aggregate(y=long[outcome].cast("float64").max(), **columns)
    keys = [*columns, "y"]
    complete = wide.filter(*[wide[key].notnull() for key in keys])
    sums: dict[str, Any] = {"n": complete.count()}
    for i, first in enumerate(keys):
        sums[f"s{i}"] = complete[first].sum()
        for j in range(i, len(keys)):
            sums[f"p{i}_{j}"] = (complete[first] * complete[keys[j]]).sum()
    row = complete.aggregate(**sums).to_pandas().iloc[0]
    n = int(row["n"])
    size = len(keys)
    totals = np.array([_number(row[f"s{i}"]) for i in range(size)])
    products = np.zeros((size, size))
    for i in range(size):
        for j in range(i, size):
            products[i, j] = products[j, i] = _number(row[f"p{i}_{j}"])
    means = totals / max(n, 1)
    covariance = (products - n * np.outer(means, means)) / max(n - 1, 1)
    return DriverMoments(names, n, means, covariance)


def _number(value: Any) -> float:
    return 0.0 if value is None or pd.isna(value) else float(value)


def importance_from_moments(
    moments: DriverMoments,
    *,
    method: Method = "lmg",
    exact_limit: int = EXACT_LIMIT,
    n_permutations: int = N_PERMUTATIONS,
    random_state: int | np.random.Generator | None = None,
) -> pd.DataFrame:
    """Relative importance of the drivers from their moments (linear model, no intervals).

    Parameters
    ----------
    moments
        From :func:`driver_moments`.
    method, exact_limit, n_permutations, random_state
        See :class:`~advocacy.drivers.relative_importance.RelativeImportance`.

    Returns
    -------
    pandas.DataFrame
        As :func:`~advocacy.drivers.relative_importance.relative_importance` gives, with
        ``ci_low`` and ``ci_high`` missing.

    Examples
    --------
    >>> moments = driver_moments(tables("responses"), tables("response_items"))  # doctest: +SKIP
    >>> importance_from_moments(moments, method="johnson")           # doctest: +SKIP
    """
    rxx, rxy = moments.correlations()
    estimator = RelativeImportance(
        method,
        family="linear",
        n_bootstrap=0,
        exact_limit=exact_limit,
        n_permutations=n_permutations,
        random_state=random_state,
    )
    return estimator.fit_correlations(rxx, rxy, n=moments.n, names=moments.names).importance_


def parquet_drivers(
    directory: str | Path,
    *,
    outcome: str = "nps",
    level: str = "item",
    method: Method = "lmg",
    unit: str | None = None,
    master: str | None = None,
    session: Any = None,
) -> pd.DataFrame:
    """Key drivers on Spark over ``DIR/responses.parquet`` and ``DIR/response_items.parquet``.

    Parameters
    ----------
    directory
        Folder of Parquet exports (see :func:`advocacy.metrics.engines.spark_tables`).
    outcome, level, method, unit
        As for ``ws.gaps.drivers``; ``level`` is ``item`` or ``dimension``.
    master, session
        A Spark master URL for a new session, or the session to use.

    Returns
    -------
    pandas.DataFrame
        The weights ``ws.gaps.drivers`` gives without intervals (:func:`importance_from_moments`).

    Raises
    ------
    UsageError
        For a theme level (themes need the workspace's derived tables) or too few drivers.
    """
    if level not in ("item", "dimension"):
        raise UsageError(
            f"level {level!r} is not available on Spark",
            value=level,
            parameter="--level",
            fix="use item or dimension with --engine spark",
        )
    table = spark_tables(
        directory, session=session if session is not None else spark_session(master)
    )
    moments = driver_moments(
        table("responses"), table("response_items"), outcome=outcome, level=level, unit=unit
    )
    return importance_from_moments(moments, method=method, random_state=0)
