"""Simulated campaigns with a known true lift: the intervals cover it at the stated rate.

Each campaign assigns customers with the real seeded holdout (:func:`arm_of`), draws every
member's referral from the true rate of their arm, and reads the lift with the real estimator
(:func:`lift_rows`, Newcombe's interval). Over many seeds, the 95% intervals must cover the true
lift 95% of the time within Monte-Carlo error (three standard errors), for a true lift of zero, a
small and a large one; with no true lift, a verdict other than "no clear change" is the false
positive rate, and it must stay near 5%.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from advocacy.loop.asks.audience import arm_of
from advocacy.loop.asks.campaigns import campaign_from_mapping
from advocacy.loop.asks.results import lift_rows

BASE_RATE = 0.06
MEMBERS = 1500
SEEDS = 300
CONFIDENCE = 0.95


def simulate(true_lift: float, seed: int) -> pd.Series:
    campaign = campaign_from_mapping(
        {"id": f"sim{seed}", "audience": {"kind": "everyone"}, "action": "refer",
         "channel": "links", "seed": seed, "holdout": 0.2}
    )  # fmt: skip
    arms = np.array([arm_of(campaign, f"C{i}") for i in range(MEMBERS)])
    rng = np.random.default_rng(seed)
    rate = np.where(arms == "ask", BASE_RATE + true_lift, BASE_RATE)
    members = pd.DataFrame({"arm": arms, "referred": rng.random(MEMBERS) < rate})
    return lift_rows(members, confidence=CONFIDENCE).set_index("outcome").loc["referral"]


@pytest.mark.parametrize("true_lift", [0.0, 0.02, 0.10], ids=["none", "small", "large"])
def test_intervals_cover_the_true_lift_at_the_stated_rate(true_lift: float) -> None:
    rows = [simulate(true_lift, seed) for seed in range(SEEDS)]
    covered = np.mean([row["low"] <= true_lift <= row["high"] for row in rows])
    error = 3 * math.sqrt(CONFIDENCE * (1 - CONFIDENCE) / SEEDS)
    assert abs(covered - CONFIDENCE) <= error, (true_lift, covered)
    verdicts = pd.Series([row["verdict"] for row in rows]).value_counts(normalize=True)
    if true_lift == 0.0:
        false_positive = 1.0 - verdicts.get("no clear change", 0.0)
        assert false_positive <= 0.05 + error
    if true_lift == 0.10:
        assert verdicts.get("improved", 0.0) > 0.95  # a large lift is found
    # The estimate is unbiased: its mean over the seeds is near the true lift.
    lifts = np.array([row["lift"] for row in rows])
    assert abs(lifts.mean() - true_lift) < 3 * lifts.std(ddof=1) / math.sqrt(SEEDS)
