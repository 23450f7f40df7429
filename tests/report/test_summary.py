"""The executive summary names what the evidence shows, and nothing it does not."""

from __future__ import annotations

import re
from pathlib import Path

import advocacy
from advocacy.report.section import ReportScope
from advocacy.report.sections import summary
from advocacy.report.sections.metrics import significant_changes


def test_summary_leads_with_the_drop_the_fixture_planted(report_workspace: str) -> None:
    with advocacy.open(report_workspace) as ws:
        findings = summary.collect_findings(ws, ReportScope())
        section = summary.build(ws, ReportScope())
        changes = significant_changes(ws, ReportScope())
    # South's answers collapse in the last quarter: the first thing to do is about South.
    assert findings[0].action == "Find out what changed for South and fix it."
    assert "Bring South up to the rest of the company." in [f.action for f in findings]
    items = re.findall(r"<li><strong>(.*?)</strong>", str(section.body))
    assert len(items) == 3
    drop = changes[(changes["slice"] == "South") & (changes["metric"] == "nps")]
    assert drop.iloc[0]["change"] < -20


def test_summary_without_significant_changes_says_so(tmp_path: Path) -> None:
    data = tmp_path / "responses.csv"
    rows = [f"R{i},2025-0{1 + i % 6}-10T10:00:00Z,{i % 11},North" for i in range(300)]
    data.write_text("response_id,submitted_at,nps,unit\n" + "\n".join(rows), encoding="utf-8")
    with advocacy.open(str(tmp_path / "ws.duckdb")) as ws:
        ws.import_file(data, kind="responses")
        section = summary.build(ws, ReportScope())
    assert "nothing in the evidence calls for urgent action" in str(section.body)
