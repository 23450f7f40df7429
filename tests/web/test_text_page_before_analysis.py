"""The text page of comments imported but not yet read (audit3 F5): it said "0 rows" under an
empty table and nothing of how themes are made; it now says what to run."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from fastapi.testclient import TestClient

import advocacy
from advocacy.access import create_token
from advocacy.present.web import create_app
from support.page_text import page_words


def _text_page(url: str, token: str) -> str:
    with TestClient(create_app(url), base_url="https://testserver") as client:
        page = client.get("/text", headers={"Authorization": f"Bearer {token}"})
    assert page.status_code == 200, page.text[:500]
    return page_words(page.text)


def test_comments_not_yet_read_get_the_commands_that_make_themes(tmp_path: Path) -> None:
    source = tmp_path / "responses.csv"
    source.write_text(
        "response_id,customer_id,submitted_at,nps,comment\n"
        "R1,C1,2026-11-01,3,The refund never came\n"
        "R2,C2,2026-11-02,9,Quick and friendly\n",
        encoding="utf-8",
    )
    url = str(tmp_path / "advocacy.duckdb")
    with advocacy.open(url) as ws:
        token = create_token(ws.db, role="analyst", name="ana").secret
    empty = _text_page(url, token)
    assert "No themes yet" not in empty  # nothing to read: the missing evidence says what to add
    with advocacy.open(url) as ws:
        ws.import_file(source, kind="responses", cases=False)
    shown = _text_page(url, token)
    assert "2 survey comments" in shown
    assert "No themes yet." in shown
    assert "run 'advocacy text analyze' and then 'advocacy text discover-themes'" in shown


def test_answers_without_comments_get_no_call_to_analyse_them(tmp_path: Path) -> None:
    # review4 item 4b: NPS-only answers were told "No themes yet ... run analyze".
    source = tmp_path / "responses.csv"
    source.write_text(
        "response_id,customer_id,submitted_at,nps\nR1,C1,2026-11-01,3\nR2,C2,2026-11-02,9\n",
        encoding="utf-8",
    )
    url = str(tmp_path / "advocacy.duckdb")
    with advocacy.open(url) as ws:
        ws.import_file(source, kind="responses", cases=False)
        token = create_token(ws.db, role="analyst", name="ana").secret
    assert "No themes yet" not in _text_page(url, token)


def test_filters_that_keep_no_themed_text_say_so_not_run_analyze(
    shared_data: Path, tmp_path: Path
) -> None:
    # review4 item 4a: a filter keeping no answer said "No themes yet ... run analyze" on a
    # workspace with themes.
    reviews = pd.read_csv(
        shared_data / "clothing-reviews" / "womens-clothing-reviews-first-1000.csv"
    )["Review Text"].dropna()
    source = tmp_path / "responses.csv"
    pd.DataFrame(
        {
            "response_id": [f"R{i}" for i in range(150)],
            "customer_id": [f"C{i}" for i in range(150)],
            "submitted_at": "2026-11-02",
            "nps": [i % 11 for i in range(150)],
            "comment": list(reviews.head(150)),
        }
    ).to_csv(source, index=False)
    url = str(tmp_path / "advocacy.duckdb")
    with advocacy.open(url) as ws:
        ws.import_file(source, kind="responses", cases=False)
        ws.text.analyze()
        ws.text.discover_themes()
        token = create_token(ws.db, role="analyst", name="ana").secret
    with TestClient(create_app(url), base_url="https://testserver") as client:
        headers = {"Authorization": f"Bearer {token}"}
        filtered = client.get("/text?since=2030-01-01", headers=headers).text
        whole = client.get("/text", headers=headers).text
    filtered = page_words(filtered)
    assert "No themes yet" not in filtered
    assert "No theme has a text among the answers these filters keep" in filtered
    assert '<li class="card"' in whole and "No theme has a text" not in whole


def test_the_evidence_counts_the_answers_with_a_comment(tmp_path: Path) -> None:
    # review27 finding 21: "6,123 survey comments" where 2,562 answers had one.
    source = tmp_path / "responses.csv"
    source.write_text(
        "response_id,customer_id,submitted_at,nps,comment\n"
        "R1,C1,2026-11-01,3,The refund never came\n"
        "R2,C2,2026-11-02,9,\n"
        "R3,C3,2026-11-03,10,\n"
        "R4,C4,2026-11-04,6,Support was slow\n"
        "R5,C5,2026-11-05,8,\n",
        encoding="utf-8",
    )
    url = str(tmp_path / "advocacy.duckdb")
    with advocacy.open(url) as ws:
        ws.import_file(source, kind="responses", cases=False)
        token = create_token(ws.db, role="analyst", name="ana").secret
    shown = _text_page(url, token)
    assert "2 survey comments" in shown
    assert "5 survey comments" not in shown
