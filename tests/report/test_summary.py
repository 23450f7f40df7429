"""The executive summary names what the evidence shows, and nothing it does not: each finding
with an owner, a due date, an expected effect and a link to its evidence; one finding per
subject; "the latest quarter" is the latest complete one."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd

import advocacy
from advocacy.report.build import render_report
from advocacy.report.section import ReportScope, report_run
from advocacy.report.sections import summary
from advocacy.report.sections.metrics import significant_changes
from conftest import build_workspace


def findings_and_body(url: str) -> tuple[list[summary.Finding], str]:
    with advocacy.open(url) as ws, report_run():
        findings = summary.collect_findings(ws, ReportScope())
        body = str(summary.build(ws, ReportScope()).body)
    return findings, body


def test_summary_leads_with_the_drop_the_fixture_planted(report_workspace: str) -> None:
    findings, body = findings_and_body(report_workspace)
    with advocacy.open(report_workspace) as ws:
        changes = significant_changes(ws, ReportScope())
    # South's answers collapse in 2025 Q4: the first thing to do is about South, and its
    # being below the rest is the same finding, not a second one.
    assert findings[0].action == "Find out what changed for South and fix it."
    assert "fell from" in findings[0].why and "2025 Q4" in findings[0].why
    assert "Also: Bring South up to the rest of the company." in findings[0].why
    assert [f.subject for f in findings].count("South") == 1
    drop = changes[(changes["slice"] == "South") & (changes["metric"] == "nps")]
    assert drop.iloc[0]["change"] < -20
    shown = re.findall(r"<tr><td class='num'>(\d)</td><td><strong>(.*?)</strong>", body)
    assert 1 <= len(shown) <= summary.MOST_FINDINGS
    assert shown[0][1] == "Find out what changed for South and fix it."


def test_every_finding_has_an_owner_a_due_date_an_effect_and_evidence_that_exists(
    report_workspace: str,
) -> None:
    with advocacy.open(report_workspace) as ws:
        today = dt.datetime.now(ZoneInfo(ws.settings.timezone)).date()
        html = render_report(ws)
    rows = re.findall(
        r"<tr><td class='num'>\d</td><td><strong>(.*?)</strong>(.*?)</td><td>(.*?)</td>"
        r"<td class='due'>(.*?)</td><td>(.*?) <a href='#([\w-]+)'>See: (.*?)</a></td></tr>",
        html,
    )
    assert rows, "no findings in the summary"
    actions = [row[0] for row in rows]
    assert len(set(actions)) == len(actions), actions
    ids = set(re.findall(r'id=["\']([\w-]+)["\']', html))
    for action, why, owner, due, effect, anchor, words in rows:
        assert why.strip() and owner.strip() and effect.strip() and words.strip(), action
        assert today < dt.date.fromisoformat(due) <= today + dt.timedelta(days=90)
        assert anchor in ids, f"{action}: its evidence #{anchor} is not in the report"
    # South's owner is a role from the employees table or the unit's lead, never a blank.
    assert rows[0][2] == "South unit lead"


def test_one_answer_dated_today_does_not_rewrite_the_summary(tmp_path: Path) -> None:
    url = str(tmp_path / "workspace.duckdb")
    build_workspace(url, tmp_path / "data")
    before, body_before = findings_and_body(url)
    now = dt.datetime.now(dt.UTC)
    late = tmp_path / "late.csv"
    pd.DataFrame(
        {
            "response_id": ["LATE-1"],
            "submitted_at": [now.strftime("%Y-%m-%dT%H:%M:%SZ")],
            "unit": ["North"],
            "nps": [0],
            "csat": [1],
            "ces": [1],
        }
    ).to_csv(late, index=False)
    with advocacy.open(url) as ws:
        ws.import_file(late, kind="responses")
    after, body_after = findings_and_body(url)
    assert [f.action for f in after] == [f.action for f in before]
    tiles = re.findall(r'<div class="tile-n">(.*?)</div>', body_after)
    assert tiles == re.findall(r'<div class="tile-n">(.*?)</div>', body_before)
    assert "2025 Q4" in body_after


def test_summary_without_significant_changes_says_so(tmp_path: Path) -> None:
    data = tmp_path / "responses.csv"
    rows = [f"R{i},2025-0{1 + i % 6}-10T10:00:00Z,{i % 11},North" for i in range(300)]
    data.write_text("response_id,submitted_at,nps,unit\n" + "\n".join(rows), encoding="utf-8")
    with advocacy.open(str(tmp_path / "ws.duckdb")) as ws:
        ws.import_file(data, kind="responses")
        section = summary.build(ws, ReportScope())
    assert "nothing in the evidence calls for urgent action" in str(section.body)
    # The tile names the latest complete quarter with enough answers.
    assert "2025 Q2" in str(section.body)
