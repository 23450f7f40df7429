"""What "Did it work?" compares, on the real Olist reviews (audit4 H8).

A plan's verdict is a before/after comparison without a control group: the page and the CLI say
so, the window since the start ends where the evidence does (2018-08-31, not today), the web
prints a tiny p-value as "< 0.001" as the CLI does, and the chart's change axis has a few ticks.
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from advocacy.access import create_token
from advocacy.present.web import create_app
from advocacy.present.web.pages.plans import TICKS, movement_specs
from advocacy.report.section import ReportScope
from advocacy.report.sections import loop
from gaps.olist import olist_reviews, olist_workspace


def test_a_plan_on_olist_says_what_its_verdict_compares(tmp_path: Path, shared_data: Path) -> None:
    reviews = olist_reviews(shared_data)
    before = reviews[(reviews.day >= dt.date(2018, 1, 1)) & (reviews.day < dt.date(2018, 4, 1))]
    after = reviews[reviews.day >= dt.date(2018, 4, 1)]
    (tmp_path / "targets.csv").write_text(
        "metric,scope,desired_value\ncsat-mean,all,4.3\n", encoding="utf-8"
    )
    url = str(tmp_path / "workspace.duckdb")
    with olist_workspace(url, tmp_path, shared_data) as ws:
        ws.import_file(tmp_path / "targets.csv", kind="targets")
        plan = ws.plans.add(
            "gap:target-csat-mean", title="Fix late deliveries", starts_on="2018-04-01"
        )
        progress = ws.plans.progress(plan.plan_id)
        summary = ws.plans.summary(progress)
        token = create_token(ws.db, role="analyst", name="ana").secret
        report = html.unescape(str(loop.build(ws, ReportScope()).body))
    assert (plan.metric, plan.target_value) == ("csat-mean", 4.3)
    assert progress.baseline.value == pytest.approx(before.review_score.mean())  # 3.991
    assert progress.baseline.n == len(before) == 1263
    assert progress.current.value == pytest.approx(after.review_score.mean())  # 4.170
    assert progress.current.n == len(after) == 2235
    # The window ends on the last day with answers, not today.
    assert (progress.current.since, progress.current.until) == (
        dt.date(2018, 4, 1),
        dt.date(2018, 8, 31),
    )
    assert progress.verdict == "improved" and progress.movement.p_value < 0.001
    said = progress.comparison
    assert said.startswith("Before and after, with no control group")
    assert "2018-04-01 to 2018-08-31" in said and "not proof that the plan caused it" in said
    assert summary["comparison"] == said
    # The report says it too, for each plan, under its table.
    assert "What each verdict compares:" in report
    assert f"<li>Fix late deliveries: {said}</li>" in report

    with TestClient(create_app(url), base_url="https://testserver") as client:
        page = client.get(f"/plans/{plan.plan_id}", headers={"Authorization": f"Bearer {token}"})
    assert page.status_code == 200, page.text[:300]
    text = html.unescape(page.text)
    assert "p < 0.001" in text and "p = 0.000" not in text
    assert said in text and "2018-04-01 to 2018-08-31" in text
    axis = movement_specs([summary])[0]["layer"][0]["encoding"]["x"]["axis"]
    assert axis["tickCount"] == TICKS and axis["labelOverlap"] == "greedy"
