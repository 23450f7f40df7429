"""What the theme listing (``ws.text.themes``: the text page, ``advocacy text themes``) reads.

It reads what ``text analyze`` stored rather than deciding again: which comments are
non-answers (their sentiment reason), the documents' dates without their texts; and listing
themes in a fresh process does not import the text model. Real product reviews (MARC English
test rows) stand as survey comments beside placeholder answers.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import advocacy
from advocacy.text.documents import load_documents
from advocacy.text.model_names import read_by_current_model
from advocacy.text.non_answers import NO_CONTENT as STORED_REASON
from advocacy.text.theme_listing import NO_CONTENT, _dated

PLACEHOLDERS = ["n/a", "nothing", "No comment", "-"]


@pytest.fixture(scope="module")
def workspace(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A DuckDB workspace of 160 reviews as survey comments and 40 placeholders, analysed,
    with 4 discovered themes (built once; tests copy it)."""
    folder = tmp_path_factory.mktemp("listing")
    source = shared_data / "text-corpora" / "marc-amazon-multi" / "en" / "test.csv"
    with source.open(encoding="utf-8", newline="") as handle:
        reviews = [(row[1], int(row[2])) for row in list(csv.reader(handle))[::30][:160]]
    comments = [text for text, _ in reviews] + [PLACEHOLDERS[i % 4] for i in range(40)]
    scores = [min(10, 2 * stars) for _, stars in reviews] + [8] * 40
    pd.DataFrame(
        {
            "response_id": [f"R{i:03d}" for i in range(len(comments))],
            # Two complete quarters (the last answers within a week of Q2's end).
            "submitted_at": ["2025-01-15"] * 100 + ["2025-06-28"] * (len(comments) - 100),
            "nps": scores,
            "comment": comments,
        }
    ).to_csv(folder / "survey.csv", index=False)
    db = folder / "w.duckdb"
    with advocacy.open(db) as ws:
        ws.import_file(folder / "survey.csv", kind="responses")
        ws.text.analyze()
        ws.text.discover_themes(n_themes=4)
    return db


def _copy(workspace: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "w.duckdb"
    copy.write_bytes(workspace.read_bytes())
    return copy


def _commenters(ws: advocacy.Workspace) -> set[int]:
    """Per theme, how many commenters with content its NPS effect compares."""
    themes = ws.text.themes()
    return set((themes["n_mentioning"] + themes["n_not"]).astype(int))


def test_the_constant_is_the_reason_text_analyze_stores() -> None:
    assert NO_CONTENT == STORED_REASON


def test_the_listing_counts_the_non_answers_text_analyze_stored(
    workspace: Path, tmp_path: Path
) -> None:
    """A comment analysed as a non-answer is no comment in the effects, whatever the rules say
    of it now (the page's sentiment mix reads the same stored verdict)."""
    with advocacy.open(_copy(workspace, tmp_path)) as ws:
        stored = ws.db.fetchall(
            "SELECT count(*) FILTER (WHERE sentiment_reason = ?), count(*) FROM text_features",
            [NO_CONTENT],
        )[0]
        assert stored == (40, 200)
        assert _commenters(ws) == {160}
        ws.db.execute(
            "UPDATE text_features SET sentiment = NULL, sentiment_reason = ? "
            "WHERE document_id IN ('R000', 'R001')",
            [NO_CONTENT],
        )
        assert _commenters(ws) == {158}


def test_a_verdict_of_an_older_model_is_judged_by_the_rules(
    workspace: Path, tmp_path: Path
) -> None:
    """A verdict stored by an older model (whose non-answer rules may have differed) is not
    trusted until the next ``text analyze``: the rules of now judge that comment (review14)."""
    older = "real-sentiment-e5-v4; real-emotion-e5-v1"
    assert not read_by_current_model(older)
    with advocacy.open(_copy(workspace, tmp_path)) as ws:
        stored = ws.db.fetchall("SELECT DISTINCT model FROM text_features")
        assert [read_by_current_model(model) for (model,) in stored] == [True]
        # The older model called the 40 placeholders content, and two reviews no content.
        ws.db.execute(
            "UPDATE text_features SET sentiment_reason = NULL, model = ? "
            "WHERE document_id >= 'R160'",
            [older],
        )
        ws.db.execute(
            "UPDATE text_features SET sentiment = NULL, sentiment_reason = ?, model = ? "
            "WHERE document_id IN ('R000', 'R001')",
            [NO_CONTENT, older],
        )
        assert _commenters(ws) == {160}


def test_a_comment_changed_or_never_analysed_is_judged_by_the_rules(
    workspace: Path, tmp_path: Path
) -> None:
    """The stored verdict holds only for the text that was analysed: a comment edited since,
    or an answer imported after the analysis, is judged by the non-answer rules."""
    later = tmp_path / "later.csv"
    later.write_text(
        "response_id,submitted_at,nps,comment\n"
        "L1,2025-04-20,3,nothing\n"
        "L2,2025-04-20,9,The replacement arrived quickly and works perfectly.\n",
        encoding="utf-8",
    )
    with advocacy.open(_copy(workspace, tmp_path)) as ws:
        ws.db.execute("UPDATE responses SET comment = 'n/a' WHERE response_id = 'R005'")
        ws.db.execute("UPDATE responses SET comment = 'Works fine now.' WHERE response_id = 'R170'")
        ws.import_file(later, kind="responses")
        # R005 and L1 say nothing; R170 (a placeholder when analysed) and L2 say something.
        assert _commenters(ws) == {160 - 1 + 1 + 1}


def test_the_dates_are_read_as_the_documents_are_listed(workspace: Path) -> None:
    with advocacy.open(workspace) as ws:
        documents = load_documents(ws.db)[["document_kind", "document_id", "at"]]
        pd.testing.assert_frame_equal(_dated(ws.db), documents)
        emerging = ws.text.themes()[["change_points", "emerging"]]
    assert emerging["change_points"].notna().all()  # two complete quarters: every theme compared


_FRESH = """
import json, sys
import advocacy
with advocacy.open(sys.argv[1]) as ws:
    listed = ws.text.themes()
loaded = [name for name in ("advocacy.text.text_model", "advocacy.text.enrich",
                           "advocacy.text.calibration", "advocacy.text.taxonomy")
          if name in sys.modules]
import advocacy.text.sentiment, advocacy.text.effort
from advocacy.text import effort, sentiment, text_model
print(json.dumps({"themes": len(listed), "loaded": loaded,
                  "functions": [callable(f) and not hasattr(f, "__path__") and f.__name__
                                for f in (sentiment, effort, text_model)]}))
"""


def test_listing_themes_does_not_import_the_text_model(workspace: Path, tmp_path: Path) -> None:
    """``advocacy text themes`` and the page's listing in a fresh process load no model; the
    package's ``sentiment``, ``effort`` and ``text_model`` stay the functions even when their
    submodules are imported first."""
    fresh = subprocess.run(
        [sys.executable, "-c", _FRESH, str(_copy(workspace, tmp_path))],
        capture_output=True,
        text=True,
        check=True,
    )
    said = json.loads(fresh.stdout)
    assert said["themes"] == 4
    assert said["loaded"] == []
    assert said["functions"] == ["sentiment", "effort", "text_model"]
