"""A theme's sentiment mix names the texts that have no sentiment, never as ``None``."""

from __future__ import annotations

from pathlib import Path

import numpy as np

import advocacy
from advocacy.text.themes import NO_SENTIMENT, discover_themes

ENGLISH = [
    "The delivery was late again and the box was crushed.",
    "Delivery took two weeks, far too slow for a paid service.",
    "Lovely staff, they sorted my refund within a day.",
    "The courier never rang the bell and left the parcel outside.",
]
GERMAN = [
    "Die Lieferung kam zwei Wochen zu spät und der Karton war kaputt.",
    "Der Kundendienst war freundlich und hat alles schnell erledigt.",
]


def test_texts_without_sentiment_are_named_in_the_mix(duckdb_url: str, tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    texts = [*ENGLISH * 5, *GERMAN * 5]
    lines = ["mention_id,text", *(f'm{i},"{text}"' for i, text in enumerate(texts))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with advocacy.open(duckdb_url) as ws:
        ws.import_file(path, kind="mentions")
        summary = ws.text.analyze()
        assert summary.not_supported == {"de": 10}
        ws.text.discover_themes(n_themes=2)
        mixes = list(ws.text.themes(origin="discovered")["sentiment_mix"])
    merged: dict[str, float] = {}
    for mix in mixes:
        assert "None" not in mix
        for label, share in mix.items():
            merged[label] = merged.get(label, 0.0) + share
    assert merged.get(NO_SENTIMENT, 0.0) > 0
    assert set(merged) <= {"positive", "neutral", "negative", NO_SENTIMENT}


def test_a_share_that_rounds_to_nothing_is_left_out() -> None:
    # One unread text among 2,500 would print "no sentiment 0%" on the theme's card.
    texts = [f"the delivery was late again, order {n}" for n in range(2500)]
    vectors = np.tile([[1.0, 0.0]], (2500, 1)) + np.linspace(0, 0.01, 2500)[:, None]
    sentiments: list[str | None] = ["negative"] * 2499 + [None]
    [theme] = discover_themes(texts, vectors, n_themes=1, sentiments=sentiments)
    assert theme.sentiment_mix == {"negative": 1.0}
