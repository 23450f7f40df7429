"""The demo workspace carries its referral campaign, and the report shows it honestly.

The web tests' demo is small (300 customers), so its campaign has fewer members than the final
analysis size it stated: the results are an interim look without a verdict, and say so.
"""

from __future__ import annotations

from pathlib import Path

import advocacy
from advocacy.demo.asks import CAMPAIGN_ID


def test_the_demo_has_its_campaign_and_the_report_its_section(demo_directory: Path) -> None:
    with advocacy.open(str(demo_directory / "advocacy.duckdb")) as ws:
        results = ws.asks.results(CAMPAIGN_ID)
    assert results.members_ask > results.members_control > 0
    assert results.look == "interim" and results.verdict == "too early"
    report = (demo_directory / "report.html").read_text(encoding="utf-8")
    assert "From promoters to advocates" in report and "Refer a friend: silent promoters" in report
    assert "the verdict waits for the final analysis" in report
