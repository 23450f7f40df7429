"""The report's methods section states the settings its numbers were computed with."""

from __future__ import annotations

from pathlib import Path

import pytest

import advocacy
from advocacy.report.section import ReportScope
from advocacy.report.sections import methods
from advocacy.settings import Settings


def test_methods_state_the_workspaces_own_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The environment says 95%; the workspace was opened with 90%, which its analyses use.
    monkeypatch.setenv("ADVOCACY_CONFIDENCE", "0.95")
    chosen = Settings.load(directory=tmp_path, confidence=0.9, min_n=50)
    answers = tmp_path / "responses.csv"
    answers.write_text("response_id,submitted_at,nps\nA,2024-03-01,9\nB,2024-03-02,3\n")
    with advocacy.open(str(tmp_path / "w.duckdb"), settings=chosen) as ws:
        ws.import_file(answers, kind="responses")
        body = str(methods.build(ws, ReportScope()).body)
    assert "Intervals are 90% intervals" in body
    assert "fewer than 50 responses" in body
    assert "below 0.10" in body
