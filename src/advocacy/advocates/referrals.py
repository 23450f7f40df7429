"""Referrals: who brought whom, what they are worth, what looks like fraud, and earned growth.

Attribution links a referral to the customer it brought, by the first rule that applies: an
explicit ``referred_customer_id`` ("link"), a customer whose ``referral_code`` attribute equals
the referral's code ("code"), or a customer whose e-mail or phone matches the referred contact
("contact"); a code also links to the buyer of a transaction whose ``referral_code`` attribute
is that code (a code given at checkout). A referral converted when it is linked to a customer
(or has ``converted_at``).
Value is the referred customer's first order and everything they bought after it; customer
referral value (CRV) is the sum over a referrer's converted referrals. Earned growth is the
share of new customers' revenue that came through referrals.

References
----------
.. [1] Kumar, V., Petersen, J. A., & Leone, R. P. (2010). Driving profitability by encouraging
   customer referrals: who, when, and how. Journal of Marketing, 74(5), 1-17 (CRV).
.. [2] Reichheld, F., Darnell, D., & Burns, M. (2021). Winning on Purpose. Harvard Business
   Review Press (earned growth rate).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from advocacy.metrics.intervals import wilson_interval

REFERRAL_COLUMNS = (
    "referral_id", "referrer_id", "referred_customer_id", "referred_contact", "referred_at",
    "code", "channel", "converted_at", "first_order_value",
)  # fmt: skip


@dataclass(frozen=True)
class FraudRules:
    """Thresholds of the fraud signals: ``burst_size`` referrals within ``burst_hours``."""

    burst_size: int = 5
    burst_hours: float = 24.0


def _normal(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return None
    text = str(value).strip().lower()
    digits = "".join(ch for ch in text if ch.isdigit())
    return digits if "@" not in text and len(digits) >= 7 else text or None


def _code_of(attrs: Any) -> str | None:
    if attrs is None or (isinstance(attrs, float) and np.isnan(attrs)):
        return None
    data = attrs if isinstance(attrs, dict) else json.loads(str(attrs) or "{}")
    code = data.get("referral_code") if isinstance(data, dict) else None
    return None if code in (None, "") else str(code).strip().lower()


def attribute_referrals(referrals: Any, customers: Any, transactions: Any) -> pd.DataFrame:
    """Every referral with the customer it brought, how it was attributed, value and fraud flags.

    Returns a DataFrame with the referral columns plus ``attributed_customer_id``,
    ``attribution`` (link, code, contact or none), ``converted``, ``first_order_value``,
    ``subsequent_value``, ``referral_value`` and ``fraud_signals`` (comma-separated:
    self-referral, shared-contact, burst; empty when clean).
    """
    frame = referrals.select(*REFERRAL_COLUMNS).to_pandas()
    people = customers.select("customer_id", "email", "phone", "attrs").to_pandas()
    frame["attributed_customer_id"] = frame["referred_customer_id"]
    frame["attribution"] = np.where(frame["referred_customer_id"].notna(), "link", "none")
    codes = {
        c: i for i, c in zip(people["customer_id"], people["attrs"].map(_code_of), strict=True) if c
    }
    # A code given at checkout: the transaction's referral_code attribute names its buyer.
    bought = transactions.select("customer_id", "attrs").to_pandas()
    for customer, code in zip(bought["customer_id"], bought["attrs"].map(_code_of), strict=True):
        if code and customer is not None:
            codes.setdefault(code, customer)
    contacts: dict[str, str] = {}
    for column in ("email", "phone"):
        for customer, value in zip(people["customer_id"], people[column].map(_normal), strict=True):
            if value:
                contacts.setdefault(value, customer)
    for index in frame.index[frame["attribution"] == "none"]:
        code = _normal(frame.at[index, "code"])
        contact = _normal(frame.at[index, "referred_contact"])
        if code and code in codes:
            frame.at[index, "attributed_customer_id"] = codes[code]
            frame.at[index, "attribution"] = "code"
        elif contact and contact in contacts:
            frame.at[index, "attributed_customer_id"] = contacts[contact]
            frame.at[index, "attribution"] = "contact"
    frame["converted"] = frame["attributed_customer_id"].notna() | frame["converted_at"].notna()
    frame = _add_value(frame, transactions)
    frame["fraud_signals"] = _fraud_signals(frame, people, FraudRules())
    return frame


def _add_value(frame: pd.DataFrame, transactions: Any) -> pd.DataFrame:
    purchases = transactions.select("customer_id", "occurred_at", "amount").to_pandas()
    purchases = purchases.sort_values("occurred_at", kind="stable")
    first = purchases.groupby("customer_id")["amount"].first()
    total = purchases.groupby("customer_id")["amount"].sum()
    who = frame["attributed_customer_id"]
    opening = frame["first_order_value"].astype(float).fillna(who.map(first).astype(float))
    frame["first_order_value"] = np.where(frame["converted"], opening.fillna(0.0), np.nan)
    later = (who.map(total).astype(float) - who.map(first).astype(float)).fillna(0.0)
    frame["subsequent_value"] = np.where(frame["converted"], later, np.nan)
    frame["referral_value"] = frame["first_order_value"] + frame["subsequent_value"]
    return frame


def _fraud_signals(frame: pd.DataFrame, people: pd.DataFrame, rules: FraudRules) -> list[str]:
    own: dict[str, set[str]] = {}
    for column in ("email", "phone"):
        for customer, value in zip(people["customer_id"], people[column].map(_normal), strict=True):
            if value:
                own.setdefault(customer, set()).add(value)
    contact = frame["referred_contact"].map(_normal)
    referred_contacts = [own.get(c, set()) for c in frame["attributed_customer_id"]]
    referrer_contacts = [own.get(c, set()) for c in frame["referrer_id"]]
    same_contact = np.array(
        [
            bool(c and c in mine) or bool(theirs & mine)
            for c, mine, theirs in zip(contact, referrer_contacts, referred_contacts, strict=True)
        ],
        dtype=bool,
    )
    self_referral = (frame["attributed_customer_id"] == frame["referrer_id"]).to_numpy() | (
        same_contact
    )
    referrers_per_contact = frame.assign(contact=contact).groupby("contact")["referrer_id"]
    shared = contact.map(referrers_per_contact.nunique()).fillna(0) > 1
    times = pd.to_datetime(frame["referred_at"], utc=True)
    burst = pd.Series(False, index=frame.index)
    window = pd.Timedelta(hours=rules.burst_hours)
    for _, group in times.groupby(frame["referrer_id"]):
        if len(group) < rules.burst_size:
            continue
        ordered = group.sort_values()
        values = ordered.to_numpy()
        for position in range(len(values) - rules.burst_size + 1):
            last = position + rules.burst_size - 1
            if values[last] - values[position] <= window.to_timedelta64():
                burst[ordered.index[position : last + 1]] = True
    signals = []
    for flags in zip(self_referral, shared, burst, strict=True):
        names = ("self-referral", "shared-contact", "burst")
        signals.append(",".join(name for name, on in zip(names, flags, strict=True) if on))
    return signals


def referral_value_by_referrer(attributed: pd.DataFrame, confidence: float = 0.95) -> pd.DataFrame:
    """Customer referral value per referrer: referrals, conversions (with interval) and value."""
    clean = attributed.assign(flagged=attributed["fraud_signals"] != "")
    grouped = clean.groupby("referrer_id").agg(
        referrals=("referral_id", "size"),
        converted=("converted", "sum"),
        first_order_value=("first_order_value", "sum"),
        subsequent_value=("subsequent_value", "sum"),
        flagged=("flagged", "sum"),
    )
    return _with_rates(grouped, confidence).sort_values("referral_value", ascending=False)


def referral_summary(
    attributed: pd.DataFrame, *, by: str | None = None, confidence: float = 0.95
) -> pd.DataFrame:
    """Referrals, conversion rate (Wilson interval) and value, overall or by a referral column."""
    key = attributed[by].fillna("(none)") if by else pd.Series("all", index=attributed.index)
    grouped = (
        attributed.assign(flagged=attributed["fraud_signals"] != "")
        .groupby(key.rename(by or "slice"))
        .agg(
            referrals=("referral_id", "size"),
            converted=("converted", "sum"),
            first_order_value=("first_order_value", "sum"),
            subsequent_value=("subsequent_value", "sum"),
            flagged=("flagged", "sum"),
        )
    )
    return _with_rates(grouped, confidence)


def _with_rates(grouped: pd.DataFrame, confidence: float) -> pd.DataFrame:
    n = grouped["referrals"].to_numpy(float)
    rate = grouped["converted"].to_numpy(float) / np.maximum(n, 1.0)
    interval = wilson_interval(rate, n, confidence)
    grouped["conversion_rate"] = rate
    grouped["low"], grouped["high"] = interval.low, interval.high
    grouped["referral_value"] = grouped["first_order_value"] + grouped["subsequent_value"]
    converted = grouped["converted"].to_numpy(float)
    grouped["value_per_conversion"] = np.where(
        converted > 0, grouped["referral_value"] / np.maximum(converted, 1.0), np.nan
    )
    return grouped.reset_index()


def earned_growth(
    attributed: pd.DataFrame, transactions: Any, *, since: Any = None
) -> dict[str, float]:
    """Share of new customers, and of their revenue, that came through referrals.

    New customers are those whose first purchase falls on or after ``since`` (default: every
    customer with a purchase). Flagged referrals do not count as earned.
    """
    purchases = transactions.select("customer_id", "occurred_at", "amount").to_pandas()
    first = pd.to_datetime(purchases.groupby("customer_id")["occurred_at"].min(), utc=True)
    revenue = purchases.groupby("customer_id")["amount"].sum()
    new = first.index if since is None else first.index[first >= pd.Timestamp(since, tz="UTC")]
    clean = attributed[attributed["converted"] & (attributed["fraud_signals"] == "")]
    referred = set(clean["attributed_customer_id"].dropna()) & set(new)
    new_revenue = float(revenue.reindex(new).sum())
    earned_revenue = float(revenue.reindex(list(referred)).sum())
    return {
        "new_customers": float(len(new)),
        "referred_customers": float(len(referred)),
        "customer_share": len(referred) / len(new) if len(new) else float("nan"),
        "new_revenue": new_revenue,
        "referred_revenue": earned_revenue,
        "earned_growth": earned_revenue / new_revenue if new_revenue else float("nan"),
    }


@dataclass(frozen=True)
class ReferralReport:
    """What ``advocacy advocates referrals`` shows: referrals attributed, a table, earned growth.

    ``table`` is the flagged referrals, the value per referrer, or the conversion summary
    (overall or by a referral column), as asked; ``earned_growth`` is :func:`earned_growth`.
    """

    attributed: pd.DataFrame
    table: pd.DataFrame
    earned_growth: dict[str, float]


def referral_report(
    referrals: Any,
    customers: Any,
    transactions: Any,
    *,
    by: str | None = None,
    flagged: bool = False,
    since: Any = None,
    confidence: float = 0.95,
) -> ReferralReport:
    """Referrals attributed and valued, summarised, and the earned growth they brought.

    Parameters
    ----------
    referrals, customers, transactions
        The workspace's tables (Ibis).
    by
        ``referrer`` (or ``referrer_id``) for the value per referrer; another referral column
        (``channel``, ``code``, ...) for the conversion summary by it; None for overall.
    flagged
        Make ``table`` the referrals with fraud signals instead.
    since
        Customers whose first purchase is on or after this are new (earned growth); None for
        every customer with a purchase.
    confidence
        Level of the conversion rates' Wilson intervals.

    Returns
    -------
    ReferralReport
    """
    attributed = attribute_referrals(referrals, customers, transactions)
    if flagged:
        table = attributed[attributed["fraud_signals"] != ""].reset_index(drop=True)
    elif by in ("referrer", "referrer_id"):
        table = referral_value_by_referrer(attributed, confidence)
    else:
        table = referral_summary(attributed, by=by, confidence=confidence)
    growth = earned_growth(attributed, transactions, since=since)
    return ReferralReport(attributed, table, growth)
