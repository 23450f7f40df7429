"""A report of a survey with a comment or two (review6 item 1): theme discovery needs four texts
that say something, and its refusal ended the whole report; now the report stands without
themes and says why."""

from __future__ import annotations

from pathlib import Path

import advocacy
from advocacy.report.build import render_report


def test_a_survey_with_two_comments_gets_its_report_without_themes(tmp_path: Path) -> None:
    source = tmp_path / "responses.csv"
    rows = ["response_id,customer_id,submitted_at,nps,comment"]
    rows += [f"R{i},C{i},2026-{1 + i % 10:02d}-03,{i % 11}," for i in range(120)]
    rows[1] += "The refund never came and nobody called back."
    rows[2] += "Quick delivery, friendly driver."
    source.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with advocacy.open(tmp_path / "w.duckdb") as ws:
        ws.import_file(source, kind="responses", cases=False)
        ws.text.analyze()
        report = render_report(ws)
    assert "NPS" in report
    assert "No themes: theme discovery needs at least 4 texts that say something" in report
