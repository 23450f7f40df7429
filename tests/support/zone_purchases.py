"""Purchases just before and after midnight, UTC and local, and their days counted by hand.

Shared by the purchase-day tests of every engine (``tests/retention/test_purchase_days.py``,
``tests/spark/test_purchase_days_on_spark.py``).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

ZONES = ("Asia/Tokyo", "Europe/Berlin", "America/Los_Angeles")

#: Instants (UTC) around midnights: UTC's, Tokyo's (15:00 UTC), Los Angeles' (07:00 or 08:00
#: UTC) and Berlin's on either side of its clock changes of 31 March and 27 October 2024.
EDGES = (
    "2024-01-04T23:00", "2024-01-05T01:00", "2024-01-05T14:59", "2024-01-05T15:00",
    "2024-03-30T22:59", "2024-03-30T23:00", "2024-03-31T21:59", "2024-03-31T22:00",
    "2024-06-01T06:59", "2024-06-01T07:00", "2024-10-26T21:59", "2024-10-26T22:00",
    "2024-10-27T22:59", "2024-10-27T23:00", "2024-11-03T07:59", "2024-11-03T08:00",
    "2024-12-31T23:59", "2025-01-01T00:00",
)  # fmt: skip


def edge_purchases() -> pd.DataFrame:
    """120 customers, each buying at some of the edges and at random instants until they leave
    (some early, some never: BG/NBD has customers leaving to learn from)."""
    rng = np.random.default_rng(3)
    edges = pd.to_datetime(list(EDGES), utc=True)
    start = pd.Timestamp("2024-01-01", tz="UTC")
    rows = []
    for number in range(120):
        stays = int(rng.integers(20_000, 525_600))  # minutes until the customer leaves
        picked = list(rng.choice(edges, size=rng.integers(0, 4), replace=False))
        count = int(rng.integers(1, 8))
        picked += [start + pd.Timedelta(minutes=int(m)) for m in rng.integers(0, stays, count)]
        for moment in picked:
            rows.append((f"C{number:03d}", moment, float(rng.integers(1, 90))))
    frame = pd.DataFrame(rows, columns=["customer_id", "occurred_at", "amount"])
    return frame.assign(transaction_id=[f"T{i}" for i in range(len(frame))])


def days_by_hand(purchases: pd.DataFrame, zone: str) -> pd.DataFrame:
    """Frequency, recency, T (in days) and monetary value from each instant's date in ``zone``."""
    tz = ZoneInfo(zone)
    days = [moment.to_pydatetime().astimezone(tz).date() for moment in purchases["occurred_at"]]
    daily = purchases.assign(day=days).groupby(["customer_id", "day"])["amount"].sum().reset_index()
    end = max(days)
    rows = {}
    for customer, group in daily.groupby("customer_id"):
        group = group.sort_values("day")
        first, last = group["day"].iloc[0], group["day"].iloc[-1]
        repeat = len(group) - 1
        rows[customer] = {
            "frequency": float(repeat),
            "recency": float((last - first).days),
            "T": float((end - first).days),
            "monetary_value": group["amount"].iloc[1:].mean() if repeat else 0.0,
        }
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.index.name = "customer_id"
    return frame


COLUMNS = ["frequency", "recency", "T", "monetary_value"]
