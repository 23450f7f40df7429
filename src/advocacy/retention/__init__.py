"""Retention models: who is still buying, what they will spend, and lifetime value."""

from advocacy.retention.bg_nbd import BetaGeo
from advocacy.retention.gamma_gamma import GammaGamma
from advocacy.retention.lifetime_value import (
    customer_lifetime_value,
    fit_retention,
    predict_retention,
)
from advocacy.retention.rfm import summarize_transactions

__all__ = [
    "BetaGeo",
    "GammaGamma",
    "customer_lifetime_value",
    "fit_retention",
    "predict_retention",
    "summarize_transactions",
]
