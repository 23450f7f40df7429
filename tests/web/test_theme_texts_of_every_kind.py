"""A theme card's "Read the answers" on reviews and notes (review5 item 5): ``/answers?theme=``
listed survey answers only, so a theme of imported reviews showed "0 answers ... No answers
match" under a card of hundreds of texts. The page now lists the theme's reviews, mentions and
notes too, under the same dates and filters (on DuckDB and PostgreSQL)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from fastapi.testclient import TestClient

import advocacy
from advocacy.access import create_token
from advocacy.present.web import create_app
from support.page_text import page_words

TAXONOMY = """\
themes:
- name: Entrega
  keywords: [entrega, prazo]
"""
DELIVERY = re.compile(r"\b(?:entrega|prazo)s?\b", re.IGNORECASE)


def _page(url: str, token: str, **params: str) -> str:
    with TestClient(create_app(url), base_url="https://testserver") as client:
        page = client.get("/answers", params=params, headers={"Authorization": f"Bearer {token}"})
    assert page.status_code == 200, page.text[:500]
    return page_words(page.text)


def test_a_reviews_theme_lists_its_reviews_and_notes(
    shared_data: Path, tmp_path: Path, db_url: str
) -> None:
    reviews = pd.read_csv(
        shared_data / "real-exports" / "olist-subset" / "olist_order_reviews_dataset.csv"
    ).dropna(subset=["review_comment_message"])
    reviews = reviews.head(300)
    url = db_url
    with advocacy.open(url) as ws:
        ws.write_records(
            "mentions",
            [
                {
                    "mention_id": row.review_id,
                    "platform": "olist",
                    "posted_at": f"{str(row.review_creation_date)[:10]}T12:00:00Z",
                    "text": row.review_comment_message,
                    "rating": float(row.review_score),
                }
                for row in reviews.itertuples()
            ],
        )
        ws.write_records(
            "notes",
            [
                {"note_id": "N1", "taken_at": "2019-01-02T10:00:00Z",
                 "text": "Cliente reclamou do prazo de entrega na ligação: joao.silva@example.com"},
                {"note_id": "N2", "taken_at": "2019-01-02T11:00:00Z",
                 "text": "Cliente elogiou o atendimento."},
            ],
        )  # fmt: skip
        (tmp_path / "tax.yaml").write_text(TAXONOMY, encoding="utf-8")
        ws.text.assign_themes(tmp_path / "tax.yaml")
        linked = dict(
            ws.db.fetchall(
                "SELECT document_kind, count(DISTINCT document_id) FROM document_themes "
                "WHERE theme_id = 'curated:Entrega' GROUP BY document_kind"
            )
        )
        newest = [
            text
            for (text,) in ws.db.fetchall(
                "SELECT text FROM (SELECT text, posted_at AS moment, 'mention' AS kind, "
                "mention_id AS id FROM mentions m WHERE EXISTS (SELECT 1 FROM document_themes d "
                "WHERE d.theme_id = 'curated:Entrega' AND d.document_kind = 'mention' AND "
                "d.document_id = m.mention_id) UNION ALL SELECT text, taken_at, 'note', note_id "
                "FROM notes n WHERE EXISTS (SELECT 1 FROM document_themes d WHERE "
                "d.theme_id = 'curated:Entrega' AND d.document_kind = 'note' AND "
                "d.document_id = n.note_id)) AS t ORDER BY moment DESC, kind, id LIMIT 50"
            )
        ]
        token = create_token(ws.db, role="analyst", name="ana").secret
        viewer = create_token(ws.db, role="viewer", name="vic").secret
    saying = sum(1 for text in reviews["review_comment_message"] if DELIVERY.search(str(text)))
    assert linked["mention"] >= saying > 20 and linked["note"] >= 1

    shown = _page(url, token, theme="curated:Entrega", commented="1")
    total = linked["mention"] + linked["note"]
    assert "0 answers mentioning the theme “Entrega”" in shown  # no survey answers here
    assert "No answers match. Widen" not in shown
    assert f"{total} reviews, mentions or notes with the theme “Entrega”" in shown
    assert "Cliente reclamou do prazo de entrega na ligação: joao.silva@example.com" in shown
    for text in newest:  # the first page holds the theme's 50 newest texts
        assert " ".join(str(text).split())[:60] in shown
    assert f"Page 1 of {-(-total // 50)}" in shown

    later = _page(url, token, theme="curated:Entrega", commented="1", since="2030-01-01")
    assert "0 reviews, mentions or notes with the theme “Entrega”" in later
    noted = _page(url, token, theme="curated:Entrega", since="2019-01-01")
    notes = linked["note"]  # the only texts of 2019
    counted = "1 review, mention or note" if notes == 1 else f"{notes} reviews, mentions or notes"
    assert f"{counted} with the theme “Entrega”" in noted
    touched = _page(url, token, theme="curated:Entrega", touchpoint="web")
    assert "0 reviews, mentions or notes" in touched
    assert "leave out reviews and mentions (no touchpoint) and notes (no touchpoint)" in touched

    seen = _page(url, viewer, theme="curated:Entrega", since="2019-01-01")
    assert "Cliente reclamou do prazo de entrega" in seen
    assert "joao.silva@example.com" not in seen  # a viewer's texts are redacted
