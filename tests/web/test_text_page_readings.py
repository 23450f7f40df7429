"""The text page and the API say which reading made a text's sentiment (the workspace's
calibration or the model alone), how many texts each made, and the calibration's known weakness.

``text analyze`` and the report said both; the web said neither (session 23's last note). Here
50 TweetEval tweets taught with their labels calibrate the workspace for mentions, with a known
weakness (the adjusted prior finds fewer negative tweets than the model alone, as
``tests/text/test_calibration_report.py`` shows), and survey comments in our own words (no score,
so no label: read by the model alone) carry markup and a formula.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from fastapi.testclient import TestClient

import advocacy
from advocacy.access import add_user, create_token
from advocacy.present.web import create_app
from support.live_server import serving
from support.page_text import page_words
from web.site import PASSWORD
from web.test_browser import Visit, chromium  # noqa: F401 - a fixture

TWEET_LABELS = {"0": "negative", "1": "neutral", "2": "positive"}
#: Survey comments in our own words; some carry markup, one a formula.
COMMENTS = [
    "The delivery was late and the package arrived broken <script>alert('x')</script>",
    "Great price, good value for money",
    "Shipping took three weeks, never again",
    "Quality is poor, it broke after two days",
    "Cheap and sturdy, lovely",
    '=HYPERLINK("http://evil.example") the delivery was fine',
    "The package arrived on time",
    "Too expensive for what it is",
    "Sturdy and durable, happy",
    "<b>Delivery</b> was awful, the worst shipping ever <img src=x onerror=alert(1)>",
]
TAXONOMY = """themes:
  - name: Price
    keywords: [price, expensive, cheap, value, money]
  - name: Quality
    keywords: [quality, broke, broken, sturdy, durable]
  - name: Delivery
    keywords: [delivery, shipping, arrived, package]
"""


@dataclass
class Calibrated:
    url: str
    tokens: dict[str, str]


@pytest.fixture(scope="module")
def calibrated(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Calibrated:
    folder = tmp_path_factory.mktemp("readings")
    sentiment = shared_data / "tweeteval" / "sentiment"
    texts = (sentiment / "test_text.txt").read_text(encoding="utf-8").splitlines()
    labels = (sentiment / "test_labels.txt").read_text(encoding="utf-8").splitlines()
    rows = [(texts[i].strip(), TWEET_LABELS[labels[i].strip()]) for i in range(1, len(texts), 2)]
    pd.DataFrame(rows[:50], columns=["text", "sentiment"]).to_csv(
        folder / "tweets.csv", index=False
    )
    comments = COMMENTS * 3
    pd.DataFrame(
        {
            "response_id": [f"R{i}" for i in range(len(comments))],
            "submitted_at": "2026-11-02",
            "unit": ["North" if i % 2 else "South" for i in range(len(comments))],
            "comment": comments,
        }
    ).to_csv(folder / "answers.csv", index=False)
    (folder / "taxonomy.yaml").write_text(TAXONOMY, encoding="utf-8")
    url = str(folder / "advocacy.duckdb")
    with advocacy.open(url, create=True) as ws:
        ws.import_file(folder / "tweets.csv", kind="mentions", cases=False)
        ws.import_file(folder / "answers.csv", kind="responses", cases=False)
        ws.text.teach(folder / "tweets.csv")
        ws.text.analyze(workers=1)
        ws.text.assign_themes(folder / "taxonomy.yaml")
        add_user(ws.db, "ana", role="analyst", password=PASSWORD)
        tokens = {
            role: create_token(ws.db, role=role, name=role, units=units).secret
            for role, units in (("analyst", None), ("viewer", None), ("case-handler", ("North",)))
        }
    return Calibrated(url, tokens)


@pytest.fixture(scope="module")
def client(calibrated: Calibrated) -> Iterator[TestClient]:
    with TestClient(create_app(calibrated.url), base_url="https://testserver") as test_client:
        yield test_client


def _get(client: TestClient, calibrated: Calibrated, path: str, role: str = "analyst") -> str:
    found = client.get(path, headers={"Authorization": f"Bearer {calibrated.tokens[role]}"})
    assert found.status_code == 200, found.text[:500]
    return found.text


def test_the_text_page_says_which_reading_made_how_many_texts_and_the_weakness(
    client: TestClient, calibrated: Calibrated
) -> None:
    page = _get(client, calibrated, "/text")
    said = page_words(page)
    assert (
        "How sentiment was read Sentiment of 80 stored texts: 50 read by the workspace's "
        "calibration (50 mention texts), 30 read by the model alone (30 response texts). The "
        "workspace's calibration reads only the kinds of text it has enough labels of; the "
        "others are read by the model alone."
    ) in said
    # The known weakness, as text analyze prints it, where the reader sees it.
    assert re.search(
        r'<p class="warning" role="note"><strong>Warning:</strong> In cross-validation the '
        r"calibration finds fewer of the negative texts than the model alone \(negative "
        r"0\.\d{3} against 0\.\d{3}\)",
        page,
    )
    # What the calibration is worth, field by field, beside the model alone's figures.
    assert "<summary>The calibration: prior adjusted" in page
    assert re.search(
        r"accuracy \(cross-validated\) 0\.\d{3} chosen \(prior adjusted\), "
        r"0\.\d{3} the model alone",
        said,
    )
    assert "50 mention texts read by it; 30 response texts read by the model alone" in said


def test_each_card_and_each_quote_says_which_reading_made_its_sentiment(
    client: TestClient, calibrated: Calibrated
) -> None:
    page = _get(client, calibrated, "/text")
    cards = re.findall(r'<li class="card".*?</li>', page, flags=re.S)
    by_name = {re.search(r"<h3>([^<]+)", card).group(1).strip(): card for card in cards}  # type: ignore[union-attr]
    # Price is named by three tweets (read by the calibration) and nine comments.
    assert "Sentiment read by the calibration for 3, by the model alone for 9 texts" in page_words(
        by_name["Price"]
    )
    assert "Sentiment read by the model alone for 15 texts" in page_words(by_name["Delivery"])
    captions = re.findall(r'<p class="hint quote-caption">([^<]+)</p>', page)
    assert captions and all(
        caption.endswith(("as the calibration reads it", "as the model alone reads it"))
        for caption in captions
    )
    assert "Most negative sentence, as the model alone reads it" in page_words(by_name["Delivery"])
    # The sentence table names the reading of each side's sentence.
    said = page_words(page)
    assert "negative reading" in said and "positive reading" in said
    assert re.search(r"Shipping took three weeks, never again −0\.\d\d model alone", said)


def test_a_quote_with_markup_is_shown_as_text_under_its_reading(
    client: TestClient, calibrated: Calibrated
) -> None:
    page = _get(client, calibrated, "/text")
    assert "<img src=x" not in page and "<script>alert" not in page
    # Shown without its markup (review27 finding 17c), every word of it kept.
    assert (
        '<p class="hint quote-caption">A sentence read as negative, as the model alone reads '
        'it</p><blockquote class="quote">Delivery was awful, the worst '
        "shipping ever</blockquote>"
    ) in page
    assert "&lt;b&gt;" not in page and "onerror" not in page


def test_the_api_gives_the_readings_and_the_themes_their_readings(
    client: TestClient, calibrated: Calibrated
) -> None:
    headers = {"Authorization": f"Bearer {calibrated.tokens['analyst']}"}
    found = client.get("/api/v1/text/sentiment-readings", headers=headers).json()
    assert found["counts"] == {"mention": {"calibration": 50}, "response": {"model alone": 30}}
    assert found["totals"] == {
        "calibration": 50,
        "model alone": 30,
        "older model": 0,
        "not read": 0,
    }
    assert found["summary"].startswith("Sentiment of 80 stored texts: 50 read by the workspace's")
    [warning] = found["warnings"]
    assert warning.startswith("In cross-validation the calibration finds fewer of the negative")
    assert found["calibration"]["warning"].startswith("in cross-validation")
    assert found["calibration_note"].startswith("The workspace's calibration reads only the kinds")
    themes = client.get("/api/v1/analyses/themes", headers=headers).json()
    assert {row["name"]: row["sentiment_readings"] for row in themes} == {
        "Delivery": {"model alone": 15},
        "Price": {"calibration": 3, "model alone": 9},
        "Quality": {"model alone": 12},
    }
    # A case handler reads one unit's answers; the readings cover every unit.
    handler = {"Authorization": f"Bearer {calibrated.tokens['case-handler']}"}
    assert client.get("/api/v1/text/sentiment-readings", headers=handler).status_code == 403


def test_under_a_filter_the_cards_count_its_texts_and_the_page_says_its_counts_do_not(
    client: TestClient, calibrated: Calibrated
) -> None:
    page = _get(client, calibrated, "/text?unit=North")
    said = page_words(page)
    assert (
        "Sentiment of 80 stored texts: 50 read by the workspace's calibration (50 mention "
        "texts), 30 read by the model alone (30 response texts). (Every stored text: the "
        "filters do not apply to these counts; each card counts its own.)"
    ) in said
    # A unit filter keeps survey answers only (15 of the 30 are North's): no tweet, so no
    # card says the calibration read any of its texts.
    readings = re.findall(r'<p class="mix reading">([^<]+)</p>', page)
    assert readings and all(
        re.fullmatch(r"Sentiment read by the model alone for \d+ texts?", line) for line in readings
    )
    # Price: 9 answers (3 read by the calibration were tweets); 6 of them North's.
    cards = re.findall(r'<li class="card".*?</li>', page, flags=re.S)
    [price] = [card for card in cards if "<h3>Price" in card]
    assert "Sentiment read by the model alone for 6 texts" in page_words(price)


def test_a_viewer_sees_the_readings_beside_redacted_quotes(
    client: TestClient, calibrated: Calibrated
) -> None:
    said = page_words(_get(client, calibrated, "/text", role="viewer"))
    assert "30 read by the model alone (30 response texts)" in said
    assert "as the model alone reads it" in said


def test_an_older_reading_is_counted_as_such_until_analyze_reads_it_again(
    tmp_path: Path, calibrated: Calibrated
) -> None:
    import shutil

    url = str(tmp_path / "older.duckdb")
    shutil.copy(calibrated.url, url)
    with advocacy.open(url) as ws:
        ws.db.execute(
            "UPDATE text_features SET model = 'real-sentiment-e5-v6; real-emotion-e5-v2' "
            "WHERE document_kind = 'response' AND document_id IN ('R0', 'R1')"
        )
        token = create_token(ws.db, role="analyst", name="older").secret
    with TestClient(create_app(url), base_url="https://testserver") as test_client:
        page = test_client.get("/text", headers={"Authorization": f"Bearer {token}"}).text
    said = page_words(page)
    assert (
        "Sentiment of 80 stored texts: 50 read by the workspace's calibration (50 mention "
        "texts), 28 read by the model alone (28 response texts), 2 read by an older model (2 "
        "response texts). The next advocacy text analyze reads those of an older model again."
    ) in said


def test_in_chromium_the_warning_shows_and_the_calibration_opens_on_a_phone(
    chromium: Any,  # noqa: F811
    calibrated: Calibrated,
) -> None:
    with serving(create_app(calibrated.url), name="localhost") as server:
        visit = Visit(chromium, server, width=390, height=844)
        try:
            visit.sign_in("ana")
            page = visit.page
            page.goto(server + "/text")
            section = page.locator("#sentiment-readings")
            assert section.get_by_role("heading", name="How sentiment was read").is_visible()
            warning = section.locator("p.warning")
            assert warning.is_visible()
            assert warning.inner_text().startswith(
                "Warning: In cross-validation the calibration finds fewer of the negative texts"
            )
            details = section.locator("details.calibration")
            assert not details.get_by_text("recall, model alone").is_visible()
            details.locator("summary").click()
            assert details.get_by_text("recall, model alone").is_visible()
            price = page.locator("li.card", has=page.get_by_role("heading", name="Price"))
            assert price.locator("p.reading").inner_text() == (
                "Sentiment read by the calibration for 3, by the model alone for 9 texts"
            )
            assert price.locator("p.quote-caption").first.is_visible()
            # Nothing the section adds makes the page wider than the phone.
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, width
            assert visit.errors == [] and visit.foreign == []
            visit.shot("text-readings-phone")
        finally:
            visit.close()


def test_a_case_opened_on_a_texts_sentiment_says_the_model_alone_read_it(tmp_path: Path) -> None:
    today = date.today().isoformat()  # cases open on recent evidence only
    mentions = tmp_path / "mentions.csv"
    mentions.write_text(
        "mention_id,platform,posted_at,text\n"
        f'm1,twitter,{today},"Worst service ever, you lost my parcel and nobody replies"\n',
        encoding="utf-8",
    )
    answers = tmp_path / "answers.csv"
    answers.write_text(
        f"response_id,customer_id,submitted_at,nps\nr1,C1,{today},1\n", encoding="utf-8"
    )
    url = str(tmp_path / "advocacy.duckdb")
    with advocacy.open(url, create=True) as ws:
        ws.import_file(mentions, kind="mentions")
        ws.import_file(answers, kind="responses")
        opened = {case.rule_id: case.case_id for case in ws.cases.list()}
        token = create_token(ws.db, role="analyst", name="ana").secret
    assert set(opened) == {"angry-mention", "detractor"}
    with TestClient(create_app(url), base_url="https://testserver") as test_client:
        headers = {"Authorization": f"Bearer {token}"}
        angry = test_client.get(f"/cases/{opened['angry-mention']}", headers=headers).text
        detractor = test_client.get(f"/cases/{opened['detractor']}", headers=headers).text
    assert "mention read as" in page_words(angry)
    assert (
        '<small class="hint" id="case-reading">Sentiment read by the shipped model alone as the '
        "evidence arrived: case rules do not read with the workspace&#39;s calibration, so the "
        "Text page may read this text otherwise.</small>"
    ) in angry
    # An NPS case gives no sentiment, so it says nothing of one.
    assert 'id="case-reading"' not in detractor


def test_the_page_says_which_platforms_the_calibration_read_and_which_the_model_alone(
    tmp_path: Path,
) -> None:
    # 30 rated shop reviews (our own words) calibrate the workspace; posts from a platform
    # whose name carries markup have no label, so the model alone reads them: the page says
    # which platform's texts each reading made, the name shown as text.
    reviews = [
        ("Parcel {} turned up late and support never wrote back.", 1),
        ("Order {} came early and works like a dream.", 5),
        ("Charged twice for order {} and still no refund.", 2),
    ]
    rows = "".join(
        f'v{i}{j},Shop,2026-03-02,{stars},"{text.format(i)}"\n'
        for i in range(10)
        for j, (text, stars) in enumerate(reviews)
    )
    platform = "<b>Chirp</b>"
    rows += "".join(
        f'p{i},{platform},2026-03-03,,"{text}"\n'
        for i, text in enumerate(["the toaster from them burnt every slice", "new kettle day!!"])
    )
    mentions = tmp_path / "mentions.csv"
    mentions.write_text("mention_id,platform,posted_at,rating,text\n" + rows, encoding="utf-8")
    url = str(tmp_path / "advocacy.duckdb")
    with advocacy.open(url, create=True) as ws:
        ws.import_file(mentions, kind="mentions", cases=False)
        ws.text.analyze(workers=1)
        token = create_token(ws.db, role="analyst", name="ana").secret
    with TestClient(create_app(url), base_url="https://testserver") as test_client:
        headers = {"Authorization": f"Bearer {token}"}
        page = test_client.get("/text", headers=headers).text
        found = test_client.get("/api/v1/text/sentiment-readings", headers=headers).json()
    assert found["sources"] == {
        "mention": {"calibration": {"shop": 30}, "model alone": {"<b>chirp</b>": 2}}
    }
    said = page_words(page)
    assert (
        "Sentiment of 32 stored texts: 30 read by the workspace's calibration (30 mention texts "
        "from platform 'shop'), 2 read by the model alone (2 mention texts from platform "
        "'<b>chirp</b>'). The workspace's calibration reads only the kinds of text, and within "
        "mentions the platforms, it has enough labels of; the others are read by the model alone."
    ) in said
    assert "<b>chirp</b>" not in page and "&lt;b&gt;chirp&lt;/b&gt;" in page
