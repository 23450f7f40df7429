"""The demo's referral campaign finds its built-in effect: the verdict is computed, not written.

``add_demo_ask`` runs on a workspace of silent promoters (what the demo's campaign asks): asked
promoters refer at ``ASKED_RATE``, the held-out control group at ``CONTROL_RATE``. The final
analysis must call it an improvement with an interval covering the true lift, for several seeds.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import advocacy
from advocacy.demo.asks import ASKED_RATE, CAMPAIGN_ID, CONTROL_RATE, FINAL_N, add_demo_ask
from advocacy.demo.company import END


@pytest.mark.parametrize("seed", [7, 8])
def test_the_demo_campaign_finds_its_built_in_lift(tmp_path: Path, seed: int) -> None:
    with advocacy.open(str(tmp_path / "demo.duckdb")) as ws:
        answered = END - dt.timedelta(days=200)  # beyond the contact guard of the send
        ws.write_records(
            "responses",
            [
                {"response_id": f"R{i}", "customer_id": f"C{i:04d}", "nps": 9 + i % 2,
                 "submitted_at": (answered + dt.timedelta(minutes=i)).isoformat()}
                for i in range(650)
            ],
        )  # fmt: skip
        sent = add_demo_ask(ws, seed=seed)
        assert len(sent.asked) + len(sent.control) == 650 and sent.skipped == []
        results = ws.asks.results(CAMPAIGN_ID)
    assert results.look == "final" and results.analysed == FINAL_N
    referral = results.outcomes.set_index("outcome").loc["referral"]
    assert results.verdict == "improved"
    assert referral["low"] <= ASKED_RATE - CONTROL_RATE <= referral["high"]
