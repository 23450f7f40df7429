"""The report's gap and culture sections: what a reader sees, and what empty workspaces say."""

from __future__ import annotations

from pathlib import Path

import advocacy
from advocacy.report.section import ReportScope
from advocacy.report.sections import culture, gaps


def test_sections_name_top_gaps_drivers_quadrants_and_the_link(tmp_path: Path) -> None:
    from gaps.data import workspace_with_gaps

    with workspace_with_gaps(str(tmp_path / "w.duckdb"), tmp_path) as ws:
        gap_section = gaps.build(ws, ReportScope())
        culture_section = culture.build(ws, ReportScope())
        top = ws.gaps.register(top=1).iloc[0]
    body = str(gap_section.body)
    assert gap_section.missing is None
    for heading in (
        "The gap register: top gaps",
        "Key drivers of NPS",
        "Importance and performance",
        "Expectations versus perceptions",
    ):
        assert heading in body
    # unit x driver heat map, drivers chart, quadrant scatter, gap bars
    assert body.count("<svg") == 4
    assert f"<td>{gaps.subject_words(top.subject)}</td>" in body
    assert "quick win" in body or "larger challenge" in body
    assert "strongest driver is <strong>speed</strong>" in body
    text = str(culture_section.body)
    assert "Culture gaps by unit" in text and "(1 suppressed)" in text
    assert "East" not in text
    assert "Career paths" in text


def test_empty_workspace_says_how_to_add_data(tmp_path: Path) -> None:
    with advocacy.open(str(tmp_path / "empty.duckdb")) as ws:
        gap_section = gaps.build(ws, ReportScope())
        culture_section = culture.build(ws, ReportScope())
    assert gap_section.missing is not None and "response-items" in gap_section.missing
    assert culture_section.missing is not None and "employee-responses" in culture_section.missing
