"""The text page's theme cards say what was read (audit finding 3, on the web): a theme of
Portuguese reviews, which the model does not read, showed "0% negative · 0% neutral · 0%
positive"; it now says no text was read. Real reviews from ``../shared/data`` (Olist)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd
from fastapi.testclient import TestClient

import advocacy
from advocacy.access import create_token
from advocacy.present.web import create_app
from support.corpora import olist_reviews_with_stars


def test_cards_of_unread_reviews_say_no_sentiment(shared_data: Path, tmp_path: Path) -> None:
    source = shared_data / "real-exports" / "olist-subset" / "olist_order_reviews_dataset.csv"
    reviews = pd.read_csv(source, dtype=str)
    reviews = reviews[reviews["review_comment_message"].fillna("").str.split().str.len() >= 6]
    path = tmp_path / "reviews.csv"
    pd.DataFrame({"text": reviews["review_comment_message"].head(200), "platform": "store"}).to_csv(
        path, index=False
    )
    url = str(tmp_path / "advocacy.duckdb")
    with advocacy.open(url) as ws:
        ws.import_file(path, kind="mentions")
        ws.text.analyze()
        ws.text.discover_themes()
        token = create_token(ws.db, role="analyst", name="ana").secret
    with TestClient(create_app(url), base_url="https://testserver") as client:
        page = client.get("/text", headers={"Authorization": f"Bearer {token}"})
    assert page.status_code == 200, page.text[:500]
    cards = re.findall(r'<li class="card".*?</li>', page.text, flags=re.S)
    assert cards
    for card in cards:
        assert "No sentiment: none of its texts was read" in card
        assert "0% negative" not in card and "sentiment-bar" not in card


def test_cards_of_unread_reviews_say_what_their_stars_imply(
    shared_data: Path, tmp_path: Path
) -> None:
    # Audit 2, N7 on the web: the report's cards said what the writers' stars imply, the web's
    # only "No sentiment". Real Portuguese reviews (Olist) with their stars.
    path = tmp_path / "reviews.csv"
    stars = olist_reviews_with_stars(shared_data, path, 200)
    # As a quote shows a text: its spacing folded to single spaces.
    written = {" ".join(str(text).split())[:40] for text in pd.read_csv(path)["text"]}
    url = str(tmp_path / "advocacy.duckdb")
    with advocacy.open(url) as ws:
        ws.import_file(path, kind="mentions")
        ws.text.analyze()
        ws.text.discover_themes()
        names = dict(zip(ws.text.themes()["theme_id"], ws.text.themes()["name"], strict=True))
        members = ws.text.theme_members()
        token = create_token(ws.db, role="analyst", name="ana").secret
    headers = {"Authorization": f"Bearer {token}"}
    with TestClient(create_app(url), base_url="https://testserver") as client:
        page = client.get("/text", headers=headers)
    assert page.status_code == 200, page.text[:500]
    cards = re.findall(r'<li class="card".*?</li>', page.text, flags=re.S)
    assert len(cards) == len(names)
    for theme_id, name in names.items():
        card = next(card for card in cards if f"<h3>{html.escape(name)}" in card)
        given = [stars[doc] for theme, _, doc in members if theme == theme_id]
        shares = [
            round(100 * sum(low <= star <= high for star in given) / len(given))
            for low, high in ((1, 2), (3, 3), (4, 5))
        ]
        assert (
            f"By their scores: {shares[0]}% negative, {shares[1]}% neutral, {shares[2]}% "
            f"positive, of the {len(given)} texts with a score" in card
        )
        assert "No sentiment: none of its texts was read" in card
        # No sentence was read, so the card quotes the theme's central reviews as such (audit 3,
        # F2), never "No positive sentence analysed yet".
        assert "Central texts of the theme (most of its texts were not read" in card
        quoted = re.findall(r'<blockquote class="quote">(.*?)</blockquote>', card, flags=re.S)
        assert quoted and all(html.unescape(text)[:40] in written for text in quoted)
        assert "sentence analysed yet" not in card
