"""Referral attribution (link, code, contact), value, fraud signals and earned growth."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import advocacy
from advocacy.advocates.referrals import (
    earned_growth,
    referral_summary,
    referral_value_by_referrer,
)
from support.cli import advocacy_cli


def test_referrals_are_attributed_valued_and_flagged(story: str) -> None:
    with advocacy.open(story) as ws:
        attributed = ws.advocates.referrals().set_index("referral_id")
        growth = earned_growth(attributed.reset_index(), ws.table("transactions"))
    how = attributed[["attributed_customer_id", "attribution"]].dropna()
    assert how.to_dict("index") == {
        "F1": {"attributed_customer_id": "R1", "attribution": "link"},
        "F2": {"attributed_customer_id": "N", "attribution": "contact"},
        "F3": {"attributed_customer_id": "N2", "attribution": "code"},
        "F4": {"attributed_customer_id": "D", "attribution": "contact"},
    }
    # R1's first order was 50 and they bought 30 more afterwards
    assert attributed.loc[
        "F1", ["first_order_value", "subsequent_value", "referral_value"]
    ].tolist() == [
        50.0,
        30.0,
        80.0,
    ]
    flags = attributed["fraud_signals"].to_dict()
    assert flags["F4"] == "self-referral"  # D's own e-mail, in other capitals and spacing
    assert flags["F5"] == flags["F6"] == "shared-contact"  # A and B sent the same contact
    assert {flags[f"F{n}"] for n in range(7, 12)} == {"burst"}  # five within two hours
    assert {flags[f] for f in ("F1", "F2", "F3")} == {""}
    # new customers R1, N, N2 (referred, clean) and A: 140 of 440 revenue was earned
    assert growth["new_customers"] == 4 and growth["referred_customers"] == 3
    assert growth["earned_growth"] == pytest.approx(140 / 440)


def test_referral_value_per_referrer_and_by_channel(story: str) -> None:
    with advocacy.open(story) as ws:
        attributed = ws.advocates.referrals()
    per_referrer = referral_value_by_referrer(attributed).set_index("referrer_id")
    assert per_referrer.loc["A", ["referrals", "converted", "referral_value"]].tolist() == [
        2,
        1,
        80.0,
    ]
    assert per_referrer.loc["H", "flagged"] == 5
    overall = referral_summary(attributed).iloc[0]
    assert (overall["referrals"], overall["converted"]) == (11, 4)
    assert overall["conversion_rate"] == pytest.approx(4 / 11)
    assert overall["low"] < 4 / 11 < overall["high"]


def test_referrals_command_reports_earned_growth(story: str, tmp_path: Path) -> None:
    done = advocacy_cli("advocates", "referrals", "--format", "json", "--db", story, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["rows"][0]["referrals"] == 11
    assert result["earned_growth"]["earned_growth"] == pytest.approx(140 / 440, abs=1e-4)
