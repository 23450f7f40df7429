"""The theme cards' score mixes are read only when a theme needs them."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

import advocacy
from advocacy.report.sections.theme_scores import unread_score_mixes


def test_no_unread_theme_reads_nothing_and_one_reads_the_scores(tmp_path: Path) -> None:
    ws = advocacy.open(str(tmp_path / "w.duckdb"), create=True)
    ws.write_records(
        "responses",
        [
            {"response_id": "a", "comment": "Die Lieferung kam zu spät.", "nps": 2},
            {"response_id": "b", "comment": "Sehr freundlich, danke!", "nps": 10},
        ],
    )
    members = [("t1", "response", "a"), ("t1", "response", "b"), ("t2", "response", "b")]
    assert unread_score_mixes(ws, ["t1"], members=members) == {
        "t1": ({"negative": 0.5, "neutral": 0.0, "positive": 0.5}, 2)
    }
    ws.close()
    # Closed, the workspace can answer nothing: with no unread theme nothing is asked of it.
    assert unread_score_mixes(ws, [], members=members) == {}
    with pytest.raises(duckdb.ConnectionException):
        unread_score_mixes(ws, ["t1"], members=members)
