"""A theme's sentiment mix names the texts that have no sentiment, never as ``None``."""

from __future__ import annotations

from pathlib import Path

import advocacy
from advocacy.text.themes import NO_SENTIMENT

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
