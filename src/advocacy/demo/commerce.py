"""What the demo's customers do, as opposed to what they say: referrals and purchases.

The behaviour follows the effects a consultant looks for: promoters refer far more often than
passives and detractors, yet about half of them never refer (the say-do gap); roughly one
referral in five converts into a new customer; detractors buy less often and churn sooner (their
active window, set in :mod:`advocacy.demo.company`, ends earlier).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from advocacy.demo.company import SPAN_DAYS, UNIT_BY_NAME, days_to_timestamps

#: Mean likelihood to recommend before loyalty and unit effects; see ``expected_score``.
BASE_SCORE = 8.2
LOYALTY_WEIGHT = 1.3

#: Chance that a customer of each band refers at least once in the 18 months.
REFERRAL_CHANCE = {"promoter": 0.56, "passive": 0.12, "detractor": 0.02}
#: Chance that a referral converts, by the referrer's band.
CONVERSION_CHANCE = {"promoter": 0.25, "passive": 0.17, "detractor": 0.1}


def expected_score(customers: pd.DataFrame) -> np.ndarray:
    """Each customer's expected 0-10 likelihood to recommend (before touchpoint and noise)."""
    shift = customers["unit"].map(lambda name: UNIT_BY_NAME[name].score_shift).to_numpy(float)
    return np.asarray(BASE_SCORE + LOYALTY_WEIGHT * customers["loyalty"].to_numpy() + shift)


def band_of(scores: np.ndarray) -> np.ndarray:
    """NPS band of 0-10 scores (rounded, as the survey would record them)."""
    rounded = np.clip(np.round(scores), 0, 10)
    return np.where(rounded >= 9, "promoter", np.where(rounded >= 7, "passive", "detractor"))


def make_referrals(rng: np.random.Generator, customers: pd.DataFrame) -> pd.DataFrame:
    """Referrals, with converted ones linked to customers who joined during the window.

    Converting a referral moves the referred customer's ``start_day`` to the conversion date
    (``customers`` is updated in place), so evidence generated afterwards starts there.
    """
    bands = band_of(expected_score(customers))
    chance = np.vectorize(REFERRAL_CHANCE.__getitem__)(bands)
    refers = rng.random(len(customers)) < chance
    referrers = np.flatnonzero(refers)
    counts = 1 + rng.poisson(0.45, len(referrers))
    rows: list[dict[str, object]] = []
    # Customers who joined in the window, in random order, are the pool referrals convert into.
    # Referrers are left out of the pool so nobody refers before they became a customer.
    joined = (customers["start_day"].to_numpy() > 30) & ~refers
    newcomers = list(rng.permutation(np.flatnonzero(joined)))
    start = customers["start_day"].to_numpy(dtype=float, copy=True)
    end = customers["end_day"].to_numpy(dtype=float, copy=True)
    for referrer, count in zip(referrers, counts, strict=True):
        band = str(bands[referrer])
        low, high = max(start[referrer], 0.0) + 3, end[referrer]
        if high - low < 10:
            continue
        for _ in range(int(count)):
            referred_at = float(rng.uniform(low, high))
            channel = str(rng.choice(["link", "code", "email", "in person", "social"]))
            row: dict[str, object] = {
                "referrer_id": customers.at[referrer, "customer_id"],
                "referred_day": referred_at,
                "channel": channel,
                "converted_day": np.nan,
                "referred_index": -1,
            }
            converts = rng.random() < CONVERSION_CHANCE[band]
            # Referrals of the last weeks have not had time to convert yet.
            if converts and newcomers and referred_at < SPAN_DAYS - 30:
                target = int(newcomers.pop())
                converted = referred_at + float(rng.uniform(1, 25))
                row["converted_day"] = converted
                row["referred_index"] = target
                start[target] = converted
                end[target] = max(end[target], converted + 5)
            rows.append(row)
    customers["start_day"] = start
    customers["end_day"] = end
    columns = ["referrer_id", "referred_day", "channel", "converted_day", "referred_index"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values("referred_day", kind="stable").reset_index(drop=True)


def make_transactions(rng: np.random.Generator, customers: pd.DataFrame) -> pd.DataFrame:
    """Purchases: an opening order for customers who joined in the window, then repeat orders.

    The monthly purchase rate rises with loyalty (detractors buy less) and with the value tier;
    purchases fall inside each customer's active window, so churned customers stop buying.
    """
    loyalty = customers["loyalty"].to_numpy()
    tier = customers["value_tier"].to_numpy()
    tier_rate = np.select([tier == "gold", tier == "silver"], [1.6, 1.0], 0.6)
    tier_amount = np.select([tier == "gold", tier == "silver"], [160.0, 85.0], 45.0)
    start = np.maximum(customers["start_day"].to_numpy(), 0.0)
    end = customers["end_day"].to_numpy()
    months = np.maximum(end - start, 0.0) / 30.4
    rate = 0.28 * np.exp(0.45 * loyalty) * tier_rate
    counts = rng.poisson(rate * months)
    owner = np.repeat(np.arange(len(customers)), counts)
    day = start[owner] + rng.random(len(owner)) * (end[owner] - start[owner])
    opening = np.flatnonzero(customers["start_day"].to_numpy() >= 0)
    owner = np.concatenate([opening, owner])
    day = np.concatenate([customers["start_day"].to_numpy()[opening] + 0.01, day])
    amount = (
        tier_amount[owner] * rng.lognormal(0.0, 0.55, len(owner)) * np.exp(0.08 * loyalty[owner])
    )
    quantity = 1 + rng.poisson(0.6, len(owner))
    frame = pd.DataFrame(
        {
            "customer_id": customers["customer_id"].to_numpy()[owner],
            "occurred_day": day,
            "amount": np.round(amount, 2),
            "currency": "EUR",
            "quantity": quantity.astype(float),
        }
    )
    frame = frame.sort_values(["occurred_day", "customer_id"], kind="stable")
    frame = frame.reset_index(drop=True)
    frame.insert(0, "transaction_id", [f"T{index:07d}" for index in range(1, len(frame) + 1)])
    frame.insert(3, "occurred_at", days_to_timestamps(frame["occurred_day"].to_numpy()))
    return frame


def referrals_table(
    referrals: pd.DataFrame, customers: pd.DataFrame, transactions: pd.DataFrame
) -> pd.DataFrame:
    """The referrals file; a converted referral's first order value is the opening order."""
    ids = customers["customer_id"].to_numpy()
    index = referrals["referred_index"].to_numpy(int)
    converted = index >= 0
    referred = np.where(converted, ids[np.maximum(index, 0)], None)
    opening = transactions.groupby("customer_id", sort=False)["amount"].first()
    first_orders: dict[str, float] = {str(k): float(v) for k, v in opening.items()}
    numbers = np.arange(1, len(referrals) + 1)
    return pd.DataFrame(
        {
            "referral_id": [f"F{number:06d}" for number in numbers],
            "referrer_id": referrals["referrer_id"].to_numpy(),
            "referred_customer_id": referred,
            "referred_contact": [
                None if done else f"friend{number}@mail.example"
                for number, done in zip(numbers, converted, strict=True)
            ],
            "referred_at": days_to_timestamps(referrals["referred_day"].to_numpy()),
            "code": [f"LO-{number:05d}" for number in numbers],
            "channel": referrals["channel"].to_numpy(),
            "converted_at": days_to_timestamps(referrals["converted_day"].to_numpy()).where(
                converted
            ),
            "first_order_value": [
                first_orders.get(str(customer)) if customer is not None else None
                for customer in referred
            ],
        }
    )
