"""Churn risk for contractual and subscription customers, from interaction and feedback signals.

Where customers renew or pay regularly (a subscription, a contract, a membership), "churned"
is observable: an active customer (a payment in the ``active_days`` before the cut-off) who
makes no payment in the following horizon. Scores, comment sentiment, service contacts, tenure
and value before the cut-off predict it with the same standardised logistic regression as the
fans-to-be model, validated on held-out time (AUC, top-decile lift), with each customer's top
reasons. For non-contractual buying, use BG/NBD's probability alive instead.

References
----------
.. [1] Neslin, S. A., Gupta, S., Kamakura, W., Lu, J., & Mason, C. H. (2006). Defection
   detection: Measuring and understanding the predictive accuracy of customer churn models.
   Journal of Marketing Research, 43(2), 204-211 (top-decile lift as the yardstick).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from advocacy.advocates.evidence import as_of_end, latest_evidence
from advocacy.advocates.propensity import PropensityResult, customer_features, score_over_time


def _payments(transactions: Any) -> pd.DataFrame:
    frame: pd.DataFrame = transactions.select("customer_id", "occurred_at").to_pandas()
    frame["occurred_at"] = pd.to_datetime(frame["occurred_at"], utc=True)
    return frame


def _active_at(payments: pd.DataFrame, stamp: pd.Timestamp, active: dt.timedelta) -> set[str]:
    """Who paid in the ``active`` span up to and including ``stamp`` (nothing after it)."""
    when = payments["occurred_at"]
    paid = payments[(when > stamp - active) & (when <= stamp)]
    return set(paid["customer_id"].astype(str))


def _dataset(
    tables: dict[str, Any],
    payments: pd.DataFrame,
    cutoff: dt.datetime,
    horizon: dt.timedelta,
    active: dt.timedelta,
) -> tuple[pd.DataFrame, np.ndarray[Any, np.dtype[np.int64]]]:
    stamp = pd.Timestamp(cutoff)
    later = payments[
        (payments["occurred_at"] > stamp) & (payments["occurred_at"] <= stamp + horizon)
    ]
    features = customer_features(tables, cutoff)
    features = features[features.index.astype(str).isin(_active_at(payments, stamp, active))]
    stayed = set(later["customer_id"].astype(str))
    labels = (~features.index.astype(str).isin(stayed)).astype(np.int64)
    return features, np.asarray(labels, dtype=np.int64)


def churn_risk(
    tables: dict[str, Any],
    *,
    horizon_days: int = 90,
    active_days: int = 90,
    as_of: Any = None,
    timezone: str = "UTC",
) -> PropensityResult:
    """Score each active customer's risk of making no payment in the next ``horizon_days``.

    ``tables`` maps names to Ibis tables: ``responses``, ``transactions`` (payments or
    renewals) and optionally ``interactions`` and ``text_features``. Nothing after ``as_of``
    is read: whom to score (a payment in the ``active_days`` up to and including it) and every
    feature come from evidence up to that instant. ``as_of`` follows
    :func:`advocacy.advocates.evidence.as_of_end` (a date is the end of that day in
    ``timezone``); default the latest transaction.
    """
    end = as_of_end(as_of, timezone) or latest_evidence(tables["transactions"].occurred_at)
    horizon = dt.timedelta(days=horizon_days)
    active = dt.timedelta(days=active_days)
    payments = _payments(tables["transactions"])
    now = customer_features(tables, end)
    return score_over_time(
        _dataset(tables, payments, end - 2 * horizon, horizon, active),
        _dataset(tables, payments, end - horizon, horizon, active),
        now[now.index.astype(str).isin(_active_at(payments, pd.Timestamp(end), active))],
        score_name="churn_risk",
        nothing_happened="no held-out customer churned (or all did); cannot validate",
    )
