"""``ws.retention``: repeat-purchase models, lifetime value and churn risk.

>>> import advocacy
>>> with advocacy.open("advocacy.duckdb") as ws:                        # doctest: +SKIP
...     ws.retention.fit(model="bg-nbd").summary()
...     ws.retention.predict(horizon=52).head()
...     ws.retention.churn(horizon_days=90).scores.head(20)

Each method is one function of :mod:`advocacy.retention` applied to the workspace's
``transactions`` (and, for churn, the other evidence of each customer).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from advocacy.lazy_names import lazy_names as _lazy_names
from advocacy.namespaces.tables import WorkspaceTables

if TYPE_CHECKING:
    import pandas as pd

    from advocacy.advocates.propensity import PropensityResult
    from advocacy.retention.estimation import RepeatPurchaseModel
    from advocacy.retention.parquet_scoring import parquet_retention_scores
    from advocacy.retention.slipping import (
        SORTS,
        sort_customers,
        usable_order,
        with_value_at_risk,
    )
    from advocacy.settings import Settings
    from advocacy.store.connection import Database


#: Helpers the presentation names, imported on first use (PEP 562).
_LAZY = {
    "parquet_retention_scores": "advocacy.retention.parquet_scoring",
    "SORTS": "advocacy.retention.slipping",
    "sort_customers": "advocacy.retention.slipping",
    "usable_order": "advocacy.retention.slipping",
    "with_value_at_risk": "advocacy.retention.slipping",
}


class RetentionNamespace:
    """Which customers stay, buy again and are worth most (``ws.retention``)."""

    def __init__(self, db: Database, settings: Settings | None = None) -> None:
        from advocacy.settings import current_settings

        self._tables = WorkspaceTables(db)
        self._settings = settings if settings is not None else current_settings()

    def fit(
        self,
        *,
        model: str = "bg-nbd",
        calibration_end: str | date | None = None,
        time_unit: str = "week",
    ) -> RepeatPurchaseModel:
        """Fit BG/NBD (purchases) or Gamma-Gamma (spend) on the transactions.

        Parameters
        ----------
        model
            ``bg-nbd`` or ``gamma-gamma``.
        calibration_end
            The last day of transactions the fit sees (default: the last purchase day;
            refunds are counted to the last day of any transaction). Days, purchase days
            too, are days of the workspace's ``timezone`` setting.
        time_unit
            ``day``, ``week`` or ``month``: the unit of recency and of predictions.

        Returns
        -------
        RepeatPurchaseModel
            The fitted model (:class:`advocacy.BetaGeo` or :class:`advocacy.GammaGamma`).

        Raises
        ------
        UsageError
            For an unknown model or time unit.
        """
        from advocacy.retention.lifetime_value import fit_retention

        return fit_retention(
            self._tables("transactions"),
            model=model,
            calibration_end=calibration_end,
            time_unit=time_unit,
            timezone=self._settings.timezone,
        )

    def predict(
        self,
        *,
        horizon: float,
        calibration_end: str | date | None = None,
        time_unit: str = "week",
        discount_rate: float = 0.0,
        margin: float = 1.0,
    ) -> pd.DataFrame:
        """Each customer's probability of being alive, expected purchases, spend and value.

        Parameters
        ----------
        horizon
            How many ``time_unit`` ahead to predict.
        calibration_end, time_unit
            As for :meth:`fit`.
        discount_rate
            Discount rate per time unit of the lifetime value.
        margin
            The share of spend that is profit.

        Returns
        -------
        pandas.DataFrame
            One row per customer, most valuable first (see
            :func:`advocacy.retention.lifetime_value.predict_retention`).

        Raises
        ------
        UsageError
            For an unknown time unit.
        """
        from advocacy.retention.lifetime_value import predict_retention

        return predict_retention(
            self._tables("transactions"),
            horizon=horizon,
            calibration_end=calibration_end,
            time_unit=time_unit,
            discount_rate=discount_rate,
            margin=margin,
            timezone=self._settings.timezone,
        )

    def buyers(self) -> tuple[int, int]:
        """How many customers bought, and how many on more than one day.

        Returns
        -------
        tuple of int
            Buyers and repeat buyers; days are days of the workspace's ``timezone`` setting,
            as the purchase models count them (:mod:`advocacy.retention.purchase_days`).
        """
        from advocacy.retention.purchase_days import buyer_counts

        return buyer_counts(self._tables("transactions"), self._settings.timezone)

    def slipping_away(
        self,
        *,
        horizon: float = 52,
        time_unit: str = "week",
        predicted: pd.DataFrame | None = None,
    ) -> pd.DataFrame:
        """The repeat buyers more likely gone than active, the most value at risk first.

        Parameters
        ----------
        horizon
            How many ``time_unit`` ahead the values cover (default a year of weeks).
        time_unit
            ``day``, ``week`` or ``month``.
        predicted
            Rows of :meth:`predict` for this ``horizon`` and ``time_unit`` already computed
            (the web pages share one frame); default: predicted now.

        Returns
        -------
        pandas.DataFrame
            Rows of :meth:`predict` with ``spend_so_far`` and ``value_at_risk`` (see
            :mod:`advocacy.retention.slipping`), for the repeat buyers whose probability of
            being active is below one half; ``attrs["interval"]`` says what the ``*_low`` and
            ``*_high`` columns mean, and ``attrs["order_fallback"]`` why they are not in order
            of value at risk when none has one (lowest P(active) first then; else empty).

        Raises
        ------
        InputError
            When there are no transactions.
        InsufficientDataError
            When no customer bought twice.
        """
        from advocacy.retention.slipping import slipping_table

        if predicted is None:
            predicted = self.predict(horizon=horizon, time_unit=time_unit)
        return slipping_table(predicted, horizon=horizon)

    def churn(
        self,
        *,
        horizon_days: int = 90,
        active_days: int = 90,
        as_of: str | date | None = None,
    ) -> PropensityResult:
        """Active customers scored by their risk of making no payment in the next
        ``horizon_days``.

        Parameters
        ----------
        horizon_days
            The horizon of the risk, in days.
        active_days
            A customer who paid within this many days of ``as_of`` is active.
        as_of
            The moment scored (a date, a datetime or an ISO string; default the latest
            transaction). A date means the end of that day in the workspace's time zone (the
            ``timezone`` setting); nothing after the moment is read.

        Returns
        -------
        PropensityResult
            The scores (``.scores``, riskiest first, with reasons) and how well the model
            ranked held-out time.

        Raises
        ------
        InsufficientDataError
            When there is too little history to fit the model.
        """
        from advocacy.retention.churn import churn_risk

        names = ("responses", "transactions", "interactions")
        return churn_risk(
            self._tables.evidence(names),
            horizon_days=horizon_days,
            active_days=active_days,
            as_of=as_of,
            timezone=self._settings.timezone,
        )


__all__ = [
    "SORTS",
    "RetentionNamespace",
    "parquet_retention_scores",
    "sort_customers",
    "usable_order",
    "with_value_at_risk",
]

__getattr__, __dir__ = _lazy_names(__name__, _LAZY, __all__)
