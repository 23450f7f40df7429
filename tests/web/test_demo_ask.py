"""The demo's referral campaign: its built-in effect is found by the results, not written in.

The demo simulates asked promoters referring at ``ASKED_RATE`` and the held-out control group at
``CONTROL_RATE`` (plus the demo's own word-of-mouth referrals, alike in both groups); the final
analysis must call it an improvement with an interval that covers the true lift, and the report
must carry the "From promoters to advocates" section.
"""

from __future__ import annotations

from pathlib import Path

import advocacy
from advocacy.demo.asks import ASKED_RATE, CAMPAIGN_ID, CONTROL_RATE, FINAL_N


def test_the_demo_campaign_finds_its_built_in_lift(demo_directory: Path) -> None:
    with advocacy.open(str(demo_directory / "advocacy.duckdb")) as ws:
        results = ws.asks.results(CAMPAIGN_ID)
        members = ws.db.fetchall(
            "SELECT arm, count(*) FROM ask_members WHERE campaign_id = ? GROUP BY arm ORDER BY arm",
            [CAMPAIGN_ID],
        )
    assert results.look == "final" and results.analysed == FINAL_N
    assert [arm for arm, _ in members] == ["ask", "control"]
    referral = results.outcomes.set_index("outcome").loc["referral"]
    assert results.verdict == "improved"
    assert referral["low"] <= ASKED_RATE - CONTROL_RATE <= referral["high"]
    report = (demo_directory / "report.html").read_text(encoding="utf-8")
    assert "From promoters to advocates" in report and "Refer a friend: silent promoters" in report
