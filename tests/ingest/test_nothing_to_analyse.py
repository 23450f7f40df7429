"""A survey file with nothing any page analyses says so (audit3 F10), in the CLI and on the web.

SurveyMonkey's steak-risk poll (real, ``../shared/data/real-exports``) has yes/no and choice
questions only: it imports whole into ``attrs``, and every page would stay empty without a word.
"""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import advocacy
from advocacy.access import create_token
from advocacy.present.web import create_app
from support import require
from support.cli import advocacy_cli

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
STEAK = SHARED / "real-exports" / "surveymonkey-538" / "steak-risk-survey.csv"
SAID = "nothing to analyse: no column was recognised as a score (nps, csat, ces or a rated item)"


def _steak() -> Path:
    require(STEAK.exists(), f"{STEAK} is missing (../shared/data is not beside the repository)")
    return STEAK


@pytest.mark.shared_data
def test_the_cli_says_a_poll_without_scores_or_comments_will_show_nowhere(
    duckdb_url: str,
) -> None:
    printed = advocacy_cli("import", str(_steak()), "--kind", "responses", "--db", duckdb_url)
    assert printed.returncode == 0, printed.stderr
    said = " ".join(printed.stdout.split())
    assert SAID in said
    assert "so the 550 answers are kept in attrs only" in said
    assert "map it with --map" in said and "'comment: <column name>'" in said


@pytest.mark.shared_data
def test_the_web_import_result_says_so_too(duckdb_url: str) -> None:
    with advocacy.open(duckdb_url) as ws:
        token = create_token(ws.db, role="analyst", name="analyst-bot").secret
    with TestClient(create_app(duckdb_url), base_url="https://testserver") as client:
        page = client.post(
            "/import",
            files={"file": ("steak.csv", _steak().read_bytes(), "text/csv")},
            data={"kind": "responses"},
            headers={"Authorization": f"Bearer {token}"},
            follow_redirects=False,
        )
    assert page.status_code == 200, page.text
    assert SAID in html.unescape(page.text)


def test_a_file_with_a_score_or_a_comment_gets_no_such_note(tmp_path: Path) -> None:
    scored = tmp_path / "scored.csv"
    scored.write_text("How likely are you to recommend us?,Colour\n9,red\n3,blue\n")
    commented = tmp_path / "commented.csv"
    commented.write_text("comment,Colour\nThe staff were kind,red\nToo slow,blue\n")
    polled = tmp_path / "polled.csv"
    polled.write_text("Do you eat steak?,Colour\nYes,red\nNo,blue\n")
    with advocacy.open(f"duckdb:///{tmp_path / 'w.duckdb'}") as ws:
        notes = {
            path.stem: " ".join(ws.import_file(path, kind="responses").notes)
            for path in (scored, commented, polled)
        }
    assert "nothing to analyse" not in notes["scored"] + notes["commented"]
    assert "nothing to analyse" in notes["polled"] and "the 2 answers" in notes["polled"]
