"""The text page's theme cards of a survey without NPS show each theme's effect on its CSAT,
named as such, with its interval (audit4 item 1: every card said "not enough answers to tell"
beside 3,039 CSAT answers)."""

from __future__ import annotations

import html
import re
from pathlib import Path

from fastapi.testclient import TestClient

import advocacy
from advocacy import display
from advocacy.access import create_token
from advocacy.metrics.intervals import newcombe_difference
from advocacy.present.web import create_app
from support.outcome_surveys import answers, survey


def test_cards_give_the_csat_effect(tmp_path: Path) -> None:
    database = survey(
        tmp_path,
        "csat",
        answers(
            {
                "price": [2, 5] * 10,  # 50% satisfied, as the others: no detectable effect
                "delivery": [1] * 16 + [4] * 4,  # 20% satisfied
                "praise": [5] * 40 + [2] * 10,
                "blank": [3] * 10,
            }
        ),
    )
    with advocacy.open(database) as ws:
        token = create_token(ws.db, role="analyst", name="ana").secret
    with TestClient(create_app(database), base_url="https://testserver") as client:
        page = client.get("/text", headers={"Authorization": f"Bearer {token}"})
    assert page.status_code == 200, page.text[:500]
    cards = {
        name: re.sub(r"\s+", " ", html.unescape(card))
        for card, name in re.findall(r'(<li class="card".*?<h3>(\w+).*?</li>)', page.text, re.S)
    }
    assert set(cards) == {"Price", "Delivery"}
    # Delivery: 4 of its 20 commenters satisfied against 50 of the other 70.
    effect, low, high = (100 * value for value in newcombe_difference(4, 20, 50, 70))
    shown = display.estimate(effect, low, high)
    assert (
        f"CSAT effect (share satisfied) {shown} points: lowers CSAT, beyond chance after Holm "
        "over 2 themes (20 answers with a CSAT)" in (cards["Delivery"])
    )
    effect, low, high = (100 * value for value in newcombe_difference(10, 20, 44, 70))
    shown = display.estimate(effect, low, high)
    assert f"{shown} points: no detectable effect on CSAT" in cards["Price"]
    for card in cards.values():
        assert "NPS" not in card and "not enough answers to tell" not in card
