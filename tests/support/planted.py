"""A workspace with a planted signal: promoters refer and keep paying, detractors do neither.

Fans-to-be and churn risk must find the signal on held-out time (``tests/advocates/test_fans.py``),
and the as-of tests add evidence at the edge of a day to it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

import advocacy

START = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
DAYS = 720


def planted_workspace(url: str, folder: Path) -> None:
    """500 customers: promoters refer often and keep paying monthly; detractors do neither."""
    rng = np.random.default_rng(11)
    responses, referrals, payments = [], [], []
    for number in range(500):
        customer = f"C{number:03d}"
        loyalty = rng.uniform(0, 1)
        stop = DAYS + 1 if rng.uniform() < 0.4 + 0.6 * loyalty else rng.uniform(200, DAYS)
        for day in range(int(rng.uniform(0, 60)), DAYS, 60):
            score = int(np.clip(round(10 * loyalty + rng.normal(0, 1)), 0, 10))
            when = START + dt.timedelta(days=day)
            responses.append((f"R{number}-{day}", customer, when.isoformat(), score))
        for day in range(int(rng.uniform(0, 30)), DAYS, 30):
            if day < stop:
                when = START + dt.timedelta(days=day)
                payments.append((f"T{number}-{day}", customer, when.isoformat(), 20.0))
        for day in range(0, DAYS, 90):
            if rng.uniform() < (0.25 if loyalty > 0.7 else 0.01):
                when = START + dt.timedelta(days=day + float(rng.uniform(0, 90)))
                referrals.append((f"F{number}-{day}", customer, when.isoformat()))
    tables = {
        "responses": pd.DataFrame(
            responses, columns=["response_id", "customer_id", "submitted_at", "nps"]
        ),
        "transactions": pd.DataFrame(
            payments, columns=["transaction_id", "customer_id", "occurred_at", "amount"]
        ),
        "referrals": pd.DataFrame(referrals, columns=["referral_id", "referrer_id", "referred_at"]),
    }
    with advocacy.open(url) as ws:
        for kind, frame in tables.items():
            path = folder / f"{kind}.csv"
            frame.to_csv(path, index=False)
            ws.import_file(path, kind=kind)
