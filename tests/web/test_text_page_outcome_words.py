"""The text page describes what it shows: each theme's effect on NPS, else on the survey's CSAT
or CES, else on the reviews' rating, and no emotion shares it does not show (it said "sentiment,
emotion and each theme's impact on NPS" above CSAT cards)."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

import advocacy
from advocacy.access import create_token
from advocacy.present.web import create_app
from support.outcome_surveys import answers, survey
from support.page_text import page_words


def test_the_text_page_names_the_outcomes_its_cards_show(tmp_path: Path) -> None:
    database = survey(
        tmp_path,
        "csat",
        answers({"price": [2, 5] * 10, "delivery": [1] * 16 + [4] * 4, "praise": [5] * 50}),
    )
    with advocacy.open(database) as ws:
        token = create_token(ws.db, role="analyst", name="ana").secret
    with TestClient(create_app(database), base_url="https://testserver") as client:
        page = client.get("/text", headers={"Authorization": f"Bearer {token}"})
    assert page.status_code == 200, page.text[:500]
    text = page_words(page.text)
    top = text[: text.index("Themes, largest first")]
    assert "each theme's effect on NPS, else on the survey's CSAT or CES" in top
    assert "impact on NPS" not in top and "emotion and" not in top
    intro = text[text.index("Each card:") :][:900]
    assert "for a survey without an NPS, its effect on the survey's CSAT, else its CES" in intro
    assert "CSAT effect (share satisfied)" in text  # the cards it describes
