"""Lifetime value on Spark: the purchase summary by the engine, the fit in the driver, the
scoring by the executors, written back as Parquet.

Three steps, each where it belongs at scale:

1. Spark turns the transactions into one row per customer (:func:`~advocacy.retention.rfm.
   purchase_table`: purchase days, first and last day, spend), the only pass over them;
2. the driver collects those rows and fits BG/NBD and Gamma-Gamma on them, as
   ``ws.retention.predict`` does (the fit needs the customers, never the transactions);
3. the executors score the customers' rows in Arrow batches (``mapInPandas``) with the fitted
   models and write ``OUT/retention_scores.parquet``.

The scores are those of :func:`advocacy.retention.lifetime_value.predict_retention` on the same
transactions, with ``spend_so_far`` and ``refunds``; without its intervals (``*_low``/``*_high``,
which need every customer's history in one place per draw).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from advocacy.errors import InputError
from advocacy.metrics.engines import spark_dataframe, spark_session, spark_tables
from advocacy.retention.bg_nbd import BetaGeo
from advocacy.retention.gamma_gamma import GammaGamma
from advocacy.retention.lifetime_value import fit_models, score_customers
from advocacy.retention.rfm import customer_summary, purchase_table

#: The columns of ``retention_scores.parquet``, one row per customer.
SCORE_SCHEMA = (
    "customer_id string, frequency double, recency double, T double, monetary_value double, "
    "probability_alive double, expected_purchases double, expected_spend double, "
    "lifetime_value double, spend_so_far double, refunds bigint"
)
SCORES_FILE = "retention_scores.parquet"


@dataclass(frozen=True)
class ParquetScoring:
    """What :func:`parquet_retention_scores` wrote: where, for how many customers, which fit."""

    path: Path
    customers: int
    purchases: BetaGeo
    spend: GammaGamma

    def summary(self) -> dict[str, Any]:
        """The run in a few plain values (for the CLI and logs)."""
        return {
            "scores": str(self.path),
            "customers": self.customers,
            "bg-nbd": {name: round(value, 6) for name, value in self.purchases.params_.items()},
            "gamma-gamma": {name: round(value, 6) for name, value in self.spend.params_.items()},
        }


def parquet_retention_scores(
    directory: str | Path,
    out: str | Path,
    *,
    horizon: float,
    calibration_end: Any = None,
    time_unit: str = "week",
    discount_rate: float = 0.0,
    margin: float = 1.0,
    penalizer: float = 0.0,
    master: str | None = None,
    session: Any = None,
    timezone: str = "UTC",
) -> ParquetScoring:
    """Score every customer's lifetime value on Spark from ``DIR/transactions.parquet``.

    Parameters
    ----------
    directory
        Folder holding ``transactions.parquet`` (see :func:`advocacy.metrics.engines.
        spark_tables`).
    out
        Folder to write ``retention_scores.parquet`` into (replaced when it exists).
    horizon, calibration_end, time_unit, discount_rate, margin, penalizer
        As for :func:`advocacy.retention.lifetime_value.predict_retention`.
    master, session
        A Spark master URL for a new session, or the session to use.
    timezone
        The zone whose days are purchase days (the workspace's ``timezone`` setting; see
        :mod:`advocacy.retention.purchase_days`).

    Returns
    -------
    ParquetScoring
        The file written, the number of customers scored and the fitted models.

    Raises
    ------
    InputError
        When there are no transactions (on or before ``calibration_end``).
    """
    session = session if session is not None else spark_session(master)
    transactions = spark_tables(directory, session=session)("transactions")
    purchases = purchase_table(
        transactions, calibration_end=calibration_end, time_unit=time_unit, timezone=timezone
    )
    # The fit runs in the driver on one row per customer, as on the workspace.
    summary = purchases.summary(purchases.customers.to_pandas())
    if summary.empty:
        raise InputError(
            f"no transactions on or before {purchases.end.date()}",
            value=str(purchases.end.date()),
            fix="choose a later calibration end",
        )
    frequency_model, spend_model = fit_models(summary, penalizer=penalizer, time_unit=time_unit)
    # A fit at an edge of its parameters gives no usable prediction: said here, by the driver,
    # as on the workspace, rather than as an executor's traceback (BetaGeo.predict refuses it).
    frequency_model.predict(summary, horizon)
    # The executors get plain values and the fitted models, never the session's expressions.
    end, unit = purchases.end, purchases.unit

    def score(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        for rows in batches:
            if rows.empty:
                continue
            summary = customer_summary(rows, end, unit)
            scored = score_customers(
                frequency_model,
                spend_model,
                summary,
                horizon=horizon,
                discount_rate=discount_rate,
                margin=margin,
            )
            # what the customer spent (net of refunds) and the refunds set apart, as the
            # workspace's predictions carry them
            yield scored.join(summary[["spend_so_far", "refunds"]]).reset_index()

    path = Path(out).expanduser() / SCORES_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    frame = spark_dataframe(purchases.customers).mapInPandas(score, SCORE_SCHEMA)
    frame.write.mode("overwrite").parquet(str(path))
    return ParquetScoring(path, len(summary), frequency_model, spend_model)
