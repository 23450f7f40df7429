"""The text page of a survey with an NPS whose taxonomy has a theme no comment matches (a
taxonomy written from theme names easily has one): the page renders, the empty theme's card
says that no text mentions it, and no card of these undated answers is called "emerging"."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from fastapi.testclient import TestClient

import advocacy
from advocacy.access import create_token
from advocacy.present.web import create_app

COMMENTS = [
    (0, "Terrible, I waited three weeks for a refund and had to call five times."),
    (2, "The refund never came and nobody answered my emails."),
    (9, "Great service and a fast refund when I asked for one."),
    (3, "Support never answered my question about the app."),
    (10, "Support was friendly and solved my problem in minutes."),
    (8, "Nice app, easy to use every day."),
]


def test_an_empty_theme_renders_as_empty_and_nothing_undated_is_emerging(tmp_path: Path) -> None:
    pd.DataFrame(
        {
            "response_id": [f"r{i}" for i in range(len(COMMENTS))],
            "nps": [score for score, _ in COMMENTS],
            "comment": [text for _, text in COMMENTS],
        }
    ).to_csv(tmp_path / "answers.csv", index=False)
    taxonomy = tmp_path / "taxonomy.yaml"
    taxonomy.write_text(
        "themes:\n"
        "  - name: Refund\n    keywords: [refund]\n"
        "  - name: Delivery\n    keywords: [parcel, courier]\n"
        "  - name: Support\n    keywords: [support]\n",
        encoding="utf-8",
    )
    url = str(tmp_path / "advocacy.duckdb")
    with advocacy.open(url) as ws:
        ws.import_file(tmp_path / "answers.csv", kind="responses", cases=False)
        ws.text.analyze(taxonomy=taxonomy)
        sizes = dict(zip(ws.text.themes()["name"], ws.text.themes()["size"], strict=True))
        token = create_token(ws.db, role="analyst", name="ana").secret
    assert sizes["Delivery"] == 0 and sizes["Refund"] == 3 and sizes["Support"] == 2
    with TestClient(create_app(url), base_url="https://testserver") as client:
        page = client.get("/text", headers={"Authorization": f"Bearer {token}"})
    assert page.status_code == 200, page.text[:500]
    cards = re.findall(r'<li class="card".*?</li>', page.text, flags=re.S)
    assert len(cards) == 3
    empty = next(card for card in cards if "<h3>Delivery" in card)
    assert "0 comments" in empty
    assert "No text mentions it." in empty
    assert "none of its texts was read" not in empty
    assert "Read the answers" not in empty
    refund = next(card for card in cards if "<h3>Refund" in card)
    assert "3 comments" in refund
    # The answers carry no date: no theme has a trend, so none is "emerging".
    assert "emerging" not in " ".join(cards)
