"""The text page's theme cards show what the report's cards show: for reviews without an NPS,
each theme's effect on their rating with its interval, and quotes captioned by what they are
("Most negative sentence" only over a sentence read as negative). Real English reviews with
their stars (MARC, ``../shared/data``)."""

from __future__ import annotations

import csv
import html
import re
from pathlib import Path

import numpy as np
import pandas as pd
from fastapi.testclient import TestClient
from scipy import stats

import advocacy
from advocacy import display
from advocacy.access import create_token
from advocacy.present.web import create_app
from advocacy.report.section import ReportScope
from advocacy.report.sections.text import build


def _reviews(shared_data: Path, path: Path) -> dict[str, int]:
    source = shared_data / "text-corpora" / "marc-amazon-multi" / "en" / "test.csv"
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))[1::10][:400]  # every 10th: the file is sorted by stars
    frame = pd.DataFrame(
        {
            "mention_id": [f"r{i}" for i in range(len(rows))],
            "text": [row[1] for row in rows],
            "rating": [int(row[2]) for row in rows],
            "platform": "store",
        }
    )
    frame.to_csv(path, index=False)
    return dict(zip(frame["mention_id"], frame["rating"], strict=True))


def _welch(inside: list[int], outside: list[int]) -> tuple[float, float, float, float]:
    test = stats.ttest_ind(inside, outside, equal_var=False)
    interval = test.confidence_interval(0.95)
    return float(np.mean(inside) - np.mean(outside)), interval.low, interval.high, test.pvalue


def _holm(p_values: dict[str, float]) -> dict[str, float]:
    """Holm's step-down adjusted p-values (Holm 1979), written here as the reference."""
    adjusted, running = {}, 0.0
    ranked = sorted(p_values, key=p_values.__getitem__)
    for rank, key in enumerate(ranked):
        running = max(running, min(1.0, (len(ranked) - rank) * p_values[key]))
        adjusted[key] = running
    return adjusted


def test_cards_give_the_rating_effect_and_caption_each_quote(
    shared_data: Path, tmp_path: Path
) -> None:
    stars = _reviews(shared_data, tmp_path / "reviews.csv")
    url = str(tmp_path / "advocacy.duckdb")
    with advocacy.open(url) as ws:
        ws.import_file(tmp_path / "reviews.csv", kind="mentions", cases=False)
        ws.text.analyze()
        ws.text.discover_themes(n_themes=6)
        names = dict(zip(ws.text.themes()["theme_id"], ws.text.themes()["name"], strict=True))
        members = ws.text.theme_members()
        sentences = ws.text.theme_quotes(count=2)
        report = re.sub(r"\s+", " ", str(build(ws, ReportScope()).body))
        token = create_token(ws.db, role="analyst", name="ana").secret
    with TestClient(create_app(url), base_url="https://testserver") as client:
        page = client.get("/text", headers={"Authorization": f"Bearer {token}"})
    assert page.status_code == 200, page.text[:500]
    cards = re.findall(r'<li class="card".*?</li>', page.text, flags=re.S)
    assert len(cards) == len(names)
    # Against every other rated review with content, themed or not (review27 finding 13).
    with advocacy.open(url) as ws:
        features = ws.db.ibis.table("text_features").to_pandas()
    empty = set(features.loc[features["sentiment_reason"] == "no content", "document_id"])
    rated = set(stars) - {str(key) for key in empty}
    shown_effects = 0
    # "Beyond chance" as the report's summary says it: Holm over the themes with an effect.
    welch = {}
    for theme_id in names:
        inside = {doc for theme, _, doc in members if theme == theme_id}
        if len(inside) >= 2 and len(rated - inside) >= 2:
            welch[theme_id] = _welch(
                [stars[doc] for doc in inside], [stars[doc] for doc in rated - inside]
            )
    holm = _holm({theme_id: values[3] for theme_id, values in welch.items()})
    for theme_id, name in names.items():
        card = next(card for card in cards if f"<h3>{html.escape(name)}" in card)
        assert "NPS effect" not in card
        inside = {doc for theme, _, doc in members if theme == theme_id}
        if len(inside) >= 2 and len(rated - inside) >= 2:
            effect, low, high, _ = welch[theme_id]
            shown = f"Rating effect {display.estimate(effect, low, high)}"
            assert shown in card, (shown, card)
            assert f"{len(inside)} rated reviews" in card
            # The same number as the report's card of the theme.
            assert html.escape(shown) in report or shown in report
            word = "lowers the rating" if high < 0 else "raises the rating" if low > 0 else None
            over = f"after Holm over {len(welch)} themes"
            if word is None:
                assert "no detectable effect on the rating" in card
            elif holm[theme_id] < 0.05:
                assert f"{word}, beyond chance {over}" in card
            else:
                assert f"not beyond chance {over}; the interval is not corrected" in card
            shown_effects += 1
        # Every quote says what it is, and a "most negative" one is a sentence read so.
        captions = re.findall(
            r'<p class="hint quote-caption">(.*?)</p><blockquote class="quote">(.*?)</blockquote>',
            card,
            flags=re.S,
        )
        assert card.count('<blockquote class="quote">') == len(captions)
        read = sentences[sentences["theme_id"] == theme_id]
        for rank, (said_caption, quote) in enumerate(captions):
            # Each says which reading made the sentiment it is quoted for (webcal).
            caption, reading = said_caption.rsplit(", as ", 1)
            assert reading in ("the calibration reads it", "the model alone reads it")
            side = caption.split()[1] if rank == 0 else caption.removeprefix("A sentence read as ")
            # The first is the strongest of its side; the next one only read so.
            assert caption == (
                f"Most {side} sentence" if rank == 0 else f"A sentence read as {side}"
            )
            assert side in ("negative", "positive"), caption
            said = set(read.loc[read["sentiment"] == side, "sentence"])
            assert any(html.unescape(quote).rstrip("…")[:40] in text for text in said), quote
    assert shown_effects >= 3
