"""The web's theme cards call an effect "beyond chance" only when the report's summary does:
Holm over the themes tested (review22 item 7: on the audit's CSAT survey the cards said "Price
−5 [−10, −1] points: lowers CSAT" from the uncorrected interval, while the report, Holm over 9
themes, named only Service and Delivery)."""

from __future__ import annotations

import html
import re
from pathlib import Path

from fastapi.testclient import TestClient

import advocacy
from advocacy.access import create_token
from advocacy.present.web import create_app
from advocacy.report.section import ReportScope, report_run
from advocacy.report.sections import summary
from support.outcome_surveys import answers, survey


def _page(database: str, confidence: float = 0.95) -> str:
    with advocacy.open(database) as ws:
        token = create_token(ws.db, role="analyst", name="ana").secret
        ws.settings = ws.settings.updated(confidence=confidence)
        with TestClient(create_app(workspace=ws), base_url="https://testserver") as client:
            page = client.get("/text", headers={"Authorization": f"Bearer {token}"})
    assert page.status_code == 200, page.text[:500]
    return page.text


def _cards(database: str, confidence: float = 0.95) -> dict[str, str]:
    page = _page(database, confidence)
    return {
        name: re.sub(r"\s+", " ", html.unescape(card))
        for card, name in re.findall(r'(<li class="card".*?<h3>(\w+).*?</li>)', page, re.S)
    }


#: Price and Delivery: 9 of 21 commenters satisfied each, against 40 of 50 praising ones.
BY_CHANCE_AFTER_HOLM = answers(
    {"price": [5] * 9 + [1] * 12, "delivery": [5] * 9 + [1] * 12, "praise": [5] * 40 + [1] * 10}
)


def _named(database: str) -> set[str]:
    with advocacy.open(database) as ws, report_run():
        return {finding.subject for finding in summary.collect_findings(ws, ReportScope())}


def test_two_themes_below_the_others_each_by_chance_after_holm(tmp_path: Path) -> None:
    # Each theme's interval alone excludes zero (p = 0.029), but over two themes Holm's smallest
    # corrected p is 0.058: the report names neither, so no card may say "lowers CSAT".
    database = survey(tmp_path, "csat", BY_CHANCE_AFTER_HOLM)
    assert not {"theme Price", "theme Delivery"} & _named(database)
    cards = _cards(database)
    assert set(cards) == {"Price", "Delivery"}
    for card in cards.values():
        assert "−26 [−47, −3] points: not beyond chance after Holm over 2 themes" in card
        assert "the interval is not corrected" in card
        assert "lowers CSAT" not in card


def test_a_theme_the_report_names_is_beyond_chance_on_its_card(tmp_path: Path) -> None:
    database = survey(
        tmp_path,
        "csat",
        answers(
            {
                "price": [2, 5] * 10,  # half satisfied, as the others
                "delivery": [1] * 16 + [4] * 4,  # 20% satisfied
                "praise": [5] * 40 + [2] * 10,
            }
        ),
    )
    assert "theme Delivery" in _named(database)
    assert "theme Price" not in _named(database)
    cards = _cards(database)
    assert "lowers CSAT, beyond chance after Holm over 2 themes" in cards["Delivery"]
    assert "no detectable effect on CSAT" in cards["Price"]


def test_the_cards_name_the_workspace_s_confidence(tmp_path: Path) -> None:
    # At 0.90 the same two themes are beyond chance: Holm's smallest corrected p is 0.058.
    database = survey(tmp_path, "csat", BY_CHANCE_AFTER_HOLM)
    page = re.sub(r"\s+", " ", html.unescape(_page(database, 0.9)))
    assert "in points with its 90% interval" in page and "95%" not in page
    assert page.count("lowers CSAT, beyond chance after Holm over 2 themes") == 2
