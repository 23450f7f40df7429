"""A workspace whose texts were read but never taught: the text page and its API say there is
no calibration and how to get one, and a small theme all of whose texts were read says it is
small, not that its texts were not read (review24 items 4 and 8).

The page said "The workspace's calibration reads only the kinds of text it has enough labels
of" where there was none, and the API documented its empty ``calibration`` as "no text analyze
yet"; a theme of 9 comments, all read, was "Only 9 of its 9 texts read" and quoted by its
central texts because "most of its texts were not read for sentiment".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from fastapi.testclient import TestClient

import advocacy
from advocacy.access import create_token
from advocacy.present.web import create_app
from advocacy.text.calibration_report import kept_calibration_note, kept_calibration_report
from support.page_text import page_words

#: Survey comments with no score (so no label) in our own words; Delivery is named by 9 of the
#: 30 (three times three), so its card has fewer texts than shares need; one carries markup.
COMMENTS = [
    "Delivery was late <script>alert('x')</script>",
    "The order arrived on time, thank you",
    "My order never came and nobody answered",
    "Great value for the price",
    "Too expensive for what it is",
    "Good value, I would buy again",
    "The price went up again",
    "Cheap and cheerful, good value",
    "Expensive, but worth the price",
    "Fair price",
]
TAXONOMY = """themes:
  - name: Price
    keywords: [price, expensive, cheap, value]
  - name: Delivery
    keywords: [delivery, order]
"""


@dataclass
class Uncalibrated:
    url: str
    token: str


@pytest.fixture(scope="module")
def uncalibrated(tmp_path_factory: pytest.TempPathFactory) -> Uncalibrated:
    folder = tmp_path_factory.mktemp("uncalibrated")
    comments = COMMENTS * 3
    pd.DataFrame(
        {
            "response_id": [f"R{i}" for i in range(len(comments))],
            "submitted_at": "2026-11-02",
            "comment": comments,
        }
    ).to_csv(folder / "answers.csv", index=False)
    (folder / "taxonomy.yaml").write_text(TAXONOMY, encoding="utf-8")
    url = str(folder / "advocacy.duckdb")
    with advocacy.open(url, create=True) as ws:
        ws.import_file(folder / "answers.csv", kind="responses", cases=False)
        ws.text.analyze(workers=1)
        ws.text.assign_themes(folder / "taxonomy.yaml")
        token = create_token(ws.db, role="analyst", name="ana").secret
    return Uncalibrated(url, token)


@pytest.fixture(scope="module")
def client(uncalibrated: Uncalibrated) -> Iterator[TestClient]:
    with TestClient(create_app(uncalibrated.url), base_url="https://testserver") as test_client:
        yield test_client


def _get(client: TestClient, uncalibrated: Uncalibrated, path: str) -> Any:
    found = client.get(path, headers={"Authorization": f"Bearer {uncalibrated.token}"})
    assert found.status_code == 200, found.text[:500]
    return found


HOW_TO_CALIBRATE = (
    "so sentiment is read by the model alone. The next advocacy text analyze fits one from "
    "labelled texts in a language the model reads: labels taught with advocacy text teach FILE, "
    "or comments imported with a score (an NPS, CSAT, CES or a rating)."
)
NO_CALIBRATION = (
    f"No calibration: none has been fitted (it needs labelled texts), {HOW_TO_CALIBRATE}"
)


def test_the_page_says_there_is_no_calibration_and_how_to_get_one(
    client: TestClient, uncalibrated: Uncalibrated
) -> None:
    page = _get(client, uncalibrated, "/text").text
    said = page_words(page)
    assert (
        "How sentiment was read Sentiment of 30 stored texts: 30 read by the model alone (30 "
        f"response texts). {NO_CALIBRATION}"
    ) in said
    assert "The workspace's calibration reads only" not in said
    assert 'class="calibration"' not in page  # no details of a calibration there is not


def test_the_api_says_the_same(client: TestClient, uncalibrated: Uncalibrated) -> None:
    found = _get(client, uncalibrated, "/api/v1/text/sentiment-readings").json()
    assert found["calibration"] == {}
    assert found["calibration_note"] == NO_CALIBRATION
    assert found["totals"]["model alone"] == 30


def test_a_small_theme_all_read_says_it_is_small_not_unread(
    client: TestClient, uncalibrated: Uncalibrated
) -> None:
    page = _get(client, uncalibrated, "/text").text
    cards = re.findall(r'<li class="card".*?</li>', page, flags=re.S)
    [delivery] = [card for card in cards if "<h3>Delivery" in card]
    said = page_words(delivery)
    assert "9 comments" in said
    assert re.search(
        r"Only 9 texts, too few for shares: \d negative · \d neutral · \d positive "
        r"Sentiment read by the model alone for 9 texts",
        said,
    )
    assert "Central texts of the theme (too few texts to quote by sentiment):" in said
    assert "of its 9 texts read" not in said and "not read for sentiment" not in said
    # The central comment is quoted without its pasted markup (review27 finding 17c), and no
    # script reaches the page either way.
    assert "Delivery was late" in delivery
    assert "<script>" not in delivery and "&lt;script&gt;" not in delivery


def test_labels_the_model_cannot_read_are_the_reason_given(tmp_path: Path) -> None:
    """Scored comments in German label texts the model does not read: the stored verdict of no
    calibration is the reason the page, the report and the CLI give, once (they said "none:
    none: ...")."""
    comments = [
        ("Die Lieferung kam viel zu spät und niemand hat geantwortet", 2),
        ("Sehr freundlicher Kundendienst, vielen Dank", 10),
        ("Das Produkt ist leider kaputt angekommen", 1),
        ("Alles bestens, gerne wieder", 9),
        ("Der Preis ist viel zu hoch für diese Qualität", 3),
    ]
    source = tmp_path / "answers.csv"
    pd.DataFrame(
        {
            "response_id": [f"R{i}" for i in range(len(comments) + 1)],
            "submitted_at": "2026-11-02",
            "comment": [text for text, _ in comments] + ["The delivery was <b>late</b>"],
            "nps": [score for _, score in comments] + [None],
        }
    ).to_csv(source, index=False)
    url = str(tmp_path / "advocacy.duckdb")
    with advocacy.open(url, create=True) as ws:
        ws.import_file(source, kind="responses", cases=False)
        ws.text.analyze(workers=1)
        token = create_token(ws.db, role="analyst", name="ana").secret
        # The report's and the CLI's stored reason, said once (it read "none: none: ...").
        kept = kept_calibration_report(ws.db, ws.settings.text_model)
        sentence = kept_calibration_note(ws.db, ws.settings.text_model)
    assert kept == {
        "calibration": "none: 5 labelled texts in languages the model does not read (de 5)"
    }
    assert sentence.startswith("Sentiment is not calibrated: 5 labelled texts in languages")
    headers = {"Authorization": f"Bearer {token}"}
    with TestClient(create_app(url), base_url="https://testserver") as test_client:
        page = test_client.get("/text", headers=headers).text
        found = test_client.get("/api/v1/text/sentiment-readings", headers=headers).json()
    note = (
        "No calibration: 5 labelled texts in languages the model does not read (de 5), "
        f"{HOW_TO_CALIBRATE}"
    )
    assert found["calibration_note"] == note
    said = page_words(page)
    assert (
        "Sentiment of 6 stored texts: 1 read by the model alone (1 response text); 5 not read "
        f"(a language the model does not read, or no content). {note}"
    ) in said
    assert 'class="calibration"' not in page and "The workspace's calibration" not in said
