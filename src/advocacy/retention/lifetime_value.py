"""Customer lifetime value from a purchase model and a spend model, and the one-call workflows.

Lifetime value over a horizon is the expected spend per purchase (Gamma-Gamma) times the
expected purchases in each period (BG/NBD), discounted period by period:
``CLV = margin * E[spend] * sum_k (E[Y(k)] - E[Y(k - 1)]) / (1 + d)^k``. Independence of spend
and purchase frequency is the Gamma-Gamma model's own assumption.

References
----------
.. [1] Fader, P. S., Hardie, B. G. S., & Lee, K. L. (2005). RFM and CLV: Using iso-value curves
   for customer base analysis. Journal of Marketing Research, 42(4), 415-430.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from advocacy.errors import InputError, UsageError
from advocacy.retention.bg_nbd import BetaGeo
from advocacy.retention.estimation import RepeatPurchaseModel
from advocacy.retention.gamma_gamma import GammaGamma
from advocacy.retention.prediction_intervals import interval_note, prediction_intervals
from advocacy.retention.rfm import summarize_transactions

#: Models ``fit_retention`` knows, by their CLI names.
MODELS: dict[str, type[RepeatPurchaseModel]] = {"bg-nbd": BetaGeo, "gamma-gamma": GammaGamma}


def customer_lifetime_value(
    purchases: BetaGeo,
    spend: GammaGamma,
    summary: pd.DataFrame,
    *,
    horizon: float,
    discount_rate: float = 0.0,
    margin: float = 1.0,
) -> pd.Series:
    """Discounted value of each customer's purchases over ``horizon`` time units [1]_.

    ``discount_rate`` is per time unit of the models (weekly for weekly summaries).
    """
    if horizon <= 0:
        raise UsageError("horizon must be positive", value=horizon, parameter="horizon")
    if discount_rate < 0:
        raise UsageError(
            "discount rate must be >= 0", value=discount_rate, parameter="discount_rate"
        )
    columns = [summary[name].to_numpy(float) for name in BetaGeo.summary_columns]
    value_per_purchase = expected_spend(spend, summary)
    if discount_rate == 0:  # the periods' increments add up to the purchases over the horizon
        total_purchases = purchases.expected_purchases(horizon, *columns)
        return pd.Series(
            margin * value_per_purchase * total_purchases,
            index=summary.index,
            name="lifetime_value",
        )
    steps = np.arange(1, math.ceil(horizon) + 1, dtype=float)
    steps[-1] = float(horizon)
    previous = np.zeros(len(summary))
    total = np.zeros(len(summary))
    for step_number, step in enumerate(steps, start=1):
        cumulative = purchases.expected_purchases(step, *columns)
        total += (cumulative - previous) / (1.0 + discount_rate) ** step_number
        previous = cumulative
    return pd.Series(
        margin * value_per_purchase * total, index=summary.index, name="lifetime_value"
    )


def expected_spend(spend: GammaGamma, summary: pd.DataFrame) -> np.ndarray[Any, np.dtype[Any]]:
    """Gamma-Gamma spend for repeat buyers; the population mean for one-time buyers."""
    frequency = summary["frequency"].to_numpy(float)
    monetary = summary["monetary_value"].to_numpy(float)
    conditional = spend.expected_spend(frequency, monetary)
    return np.where(frequency > 0, conditional, spend.population_mean_spend())


def spend_fit_rows(summary: pd.DataFrame) -> pd.DataFrame:
    """Summaries Gamma-Gamma can learn from: repeat buyers whose purchases averaged above 0.

    Zero-value repeat purchases (free items, fully refunded orders) carry no spend to model;
    those customers still get a prediction, from the population's spend distribution.
    """
    keep = (summary["frequency"] == 0) | (summary["monetary_value"] > 0)
    return summary[keep]


def fit_retention(
    transactions: Any,
    *,
    model: str = "bg-nbd",
    calibration_end: Any = None,
    time_unit: str = "week",
    penalizer: float = 0.0,
    timezone: str = "UTC",
) -> RepeatPurchaseModel:
    """Fit ``model`` (``bg-nbd`` or ``gamma-gamma``) on transactions (Ibis table or DataFrame),
    purchase days being days of ``timezone`` (:mod:`advocacy.retention.purchase_days`)."""
    if model not in MODELS:
        raise UsageError(
            f"unknown retention model {model!r}",
            value=model,
            parameter="model",
            fix="use one of: " + ", ".join(MODELS),
        )
    summary = summarize_transactions(
        transactions, calibration_end=calibration_end, time_unit=time_unit, timezone=timezone
    )
    estimator = MODELS[model](penalizer=penalizer, time_unit=time_unit)
    fitted: RepeatPurchaseModel = estimator.fit_summary(
        spend_fit_rows(summary) if model == "gamma-gamma" else summary
    )
    return fitted


def predict_retention(
    transactions: Any,
    *,
    horizon: float,
    calibration_end: Any = None,
    time_unit: str = "week",
    discount_rate: float = 0.0,
    margin: float = 1.0,
    penalizer: float = 0.0,
    intervals: bool = True,
    timezone: str = "UTC",
) -> pd.DataFrame:
    """Per-customer probability alive, expected purchases, expected spend and lifetime value.

    Fits BG/NBD and Gamma-Gamma on the transactions up to ``calibration_end`` (default: the
    last purchase day; refunds are counted to the last day of any transaction) and predicts
    ``horizon`` time units ahead; purchase days and ``calibration_end`` are days of
    ``timezone`` (the workspace's setting; :mod:`advocacy.retention.purchase_days`). Returns a
    DataFrame with ``customer_id``, ``frequency``, ``recency``, ``T``, ``monetary_value``,
    ``probability_alive``, ``expected_purchases``, ``expected_spend``, ``lifetime_value``,
    ``spend_so_far`` (what the customer spent: purchases less refunds) and ``refunds`` (how
    many negative amounts were set apart, not counted as purchases), most valuable customers
    first; ``attrs["refunds"]`` counts every refund set apart (a customer with no purchase's
    too). When Gamma-Gamma cannot be fitted (fewer than two repeat buyers: one purchase each,
    a single day, zero amounts), ``expected_spend`` and ``lifetime_value`` are NaN, BG/NBD's
    columns stand, and ``attrs["no_value"]`` says why, with the fix (otherwise it is empty).

    ``probability_alive``, ``expected_purchases`` and ``lifetime_value`` carry ``*_low`` and
    ``*_high``: the 95% interval of the estimate from the fitted parameters' uncertainty
    (:mod:`advocacy.retention.prediction_intervals`), and ``attrs["interval"]`` says what it
    means (or why there is none). ``intervals=False`` leaves them out.

    Raises
    ------
    InsufficientDataError
        When no customer bought twice (BG/NBD cannot be fitted), or so few did that its fit
        gives no usable prediction.
    """
    summary = summarize_transactions(
        transactions, calibration_end=calibration_end, time_unit=time_unit, timezone=timezone
    )
    purchases = BetaGeo(penalizer=penalizer, time_unit=time_unit).fit_summary(summary)
    # BG/NBD's P(active) and expected purchases stand without a spend model.
    spend: GammaGamma | None = None
    no_value = _no_spend(summary)
    if no_value:
        no_value = f"no expected spend or lifetime value: {no_value}"
    else:
        try:
            spend = GammaGamma(penalizer=penalizer, time_unit=time_unit)
            spend.fit_summary(spend_fit_rows(summary))
        except InputError as error:
            spend = None
            no_value = f"no expected spend or lifetime value: {error.message}"
            no_value += f"; fix: {error.fix}" if error.fix else ""
    if spend is not None and not np.isfinite(spend.population_mean_spend()):
        no_value = (
            "no expected spend or lifetime value: Gamma-Gamma's fit has q = "
            f"{spend.params_['q']:.3g} (at most 1), so a new customer's average spend is "
            "unbounded; fix: import more purchase history (or drop extreme amounts)"
        )
        spend = None
    result = score_customers(
        purchases, spend, summary, horizon=horizon, discount_rate=discount_rate, margin=margin
    )
    no_interval = ""
    if intervals:
        bounds, no_interval = prediction_intervals(
            purchases, spend, result, horizon=horizon, discount_rate=discount_rate
        )
        result = result.join(bounds)
    result = result.join(summary[["spend_so_far", "refunds"]])
    ordered = result.sort_values("lifetime_value", ascending=False).reset_index()
    ordered.attrs["refunds"] = summary.attrs.get("refunds", int(summary["refunds"].sum()))
    ordered.attrs["no_value"] = no_value
    if intervals:
        ordered.attrs["interval"] = no_interval or interval_note()
    return ordered


def _no_spend(summary: pd.DataFrame) -> str:
    """Why the amounts leave Gamma-Gamma nothing to learn, with the fix; "" when they do not.

    Said before the fit, because the fit's own reason ("at least two repeat buyers") names the
    wrong cause when customers did buy again, for nothing.
    """
    repeat = summary["frequency"] > 0
    if repeat.sum() < 2 or (summary.loc[repeat, "monetary_value"] > 0).sum() >= 2:
        return ""  # too few repeat buyers (the fit says so), or enough amounts to learn from
    refunds = summary.attrs.get("refunds", int(summary["refunds"].sum()))
    if not refunds and (summary["spend_so_far"] == 0).all():
        return (
            "every amount is 0: no spend to model; fix: import the transactions with their "
            "amounts (map the file's amount column to amount)"
        )
    valued = int((summary.loc[repeat, "monetary_value"] > 0).sum())
    return (
        f"only {valued} of the {int(repeat.sum()):,} repeat buyers bought again for more "
        "than 0, and Gamma-Gamma needs two; fix: import the amounts of the purchases"
    )


def fit_models(
    summary: pd.DataFrame, *, penalizer: float = 0.0, time_unit: str = "week"
) -> tuple[BetaGeo, GammaGamma]:
    """BG/NBD and Gamma-Gamma fitted on one summary (see :func:`predict_retention`)."""
    purchases = BetaGeo(penalizer=penalizer, time_unit=time_unit).fit_summary(summary)
    spend = GammaGamma(penalizer=penalizer, time_unit=time_unit)
    spend.fit_summary(spend_fit_rows(summary))
    return purchases, spend


def score_customers(
    purchases: BetaGeo,
    spend: GammaGamma | None,
    summary: pd.DataFrame,
    *,
    horizon: float,
    discount_rate: float = 0.0,
    margin: float = 1.0,
) -> pd.DataFrame:
    """The prediction columns of :func:`predict_retention` for rows of a summary, in its order.

    Each row is scored on its own, so a summary may be scored in batches (as Spark does).
    Without a spend model (``spend`` None) the spend and value columns are NaN.
    """
    result = summary[["frequency", "recency", "T", "monetary_value"]].copy()
    result = result.join(purchases.predict(summary, horizon))
    if spend is None:
        return result.assign(expected_spend=np.nan, lifetime_value=np.nan)
    result["expected_spend"] = expected_spend(spend, summary)
    result["lifetime_value"] = customer_lifetime_value(
        purchases, spend, summary, horizon=horizon, discount_rate=discount_rate, margin=margin
    )
    return result
