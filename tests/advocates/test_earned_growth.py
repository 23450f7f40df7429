"""Earned growth worked out by hand, and the one call ``advocacy referrals`` makes."""

from __future__ import annotations

import ibis
import pandas as pd
import pytest

import advocacy
from advocacy.advocates.referrals import earned_growth, referral_report

#: customer -> purchases (date, amount)
PURCHASES = {
    "P": [("2023-12-01", 100.0), ("2024-02-01", 50.0)],  # bought before 2024: not new then
    "R1": [("2024-01-10", 40.0), ("2024-03-01", 20.0)],  # referred, clean
    "R2": [("2024-02-01", 90.0)],  # referred, but the referral is flagged
    "R3": [("2023-11-01", 30.0)],  # referred, clean, first bought before 2024
    "N": [("2024-01-20", 50.0)],  # new, not referred
}
#: (customer brought, converted, fraud signals)
REFERRALS = [
    ("R1", True, ""),
    ("R2", True, "self-referral"),
    ("R3", True, ""),
    (None, False, ""),  # sent, never converted
]


def _transactions() -> ibis.Table:
    rows = [
        {"customer_id": who, "occurred_at": pd.Timestamp(day, tz="UTC"), "amount": amount}
        for who, bought in PURCHASES.items()
        for day, amount in bought
    ]
    return ibis.memtable(pd.DataFrame(rows))


def _attributed() -> pd.DataFrame:
    return pd.DataFrame(REFERRALS, columns=["attributed_customer_id", "converted", "fraud_signals"])


def test_earned_growth_by_hand() -> None:
    # New since 2024: R1 (60), R2 (90), N (50) -> 200; earned: R1 only (R2 is flagged) -> 60.
    since_2024 = earned_growth(_attributed(), _transactions(), since="2024-01-01")
    assert since_2024 == {
        "new_customers": 3.0,
        "referred_customers": 1.0,
        "customer_share": pytest.approx(1 / 3),
        "new_revenue": 200.0,
        "referred_revenue": 60.0,
        "earned_growth": pytest.approx(0.3),
    }
    # Every buyer is new: 150 + 60 + 90 + 30 + 50 = 380; earned R1 and R3: 60 + 30 = 90.
    everyone = earned_growth(_attributed(), _transactions())
    assert (everyone["new_customers"], everyone["referred_customers"]) == (5.0, 2.0)
    assert (everyone["new_revenue"], everyone["referred_revenue"]) == (380.0, 90.0)
    assert everyone["earned_growth"] == pytest.approx(90 / 380)
    # Nobody new: no share to speak of, not a zero.
    nobody = earned_growth(_attributed(), _transactions(), since="2025-01-01")
    assert nobody["new_customers"] == 0.0 and nobody["earned_growth"] != nobody["earned_growth"]


def test_referral_report_is_what_the_command_shows(story: str) -> None:
    with advocacy.open(story) as ws:
        tables = (ws.table("referrals"), ws.table("customers"), ws.table("transactions"))
        overall = referral_report(*tables)
        per_referrer = referral_report(*tables, by="referrer")
        flagged = referral_report(*tables, flagged=True)
    # The story's hand-worked numbers (test_referrals.py): 140 of 440 new revenue was earned.
    assert overall.earned_growth["earned_growth"] == pytest.approx(140 / 440)
    assert (overall.table.iloc[0]["referrals"], overall.table.iloc[0]["converted"]) == (11, 4)
    assert per_referrer.table.set_index("referrer_id").loc["A", "referral_value"] == 80.0
    assert set(flagged.table["referral_id"]) == {f"F{n}" for n in range(4, 12)}
