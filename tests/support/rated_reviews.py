"""Rated clothing reviews written for the theme rating-effect tests (CLI, API, export): four
about a small fit rated 1-2, three about the price rated 4-5, four others rated 4-5."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import advocacy

#: (review, stars).
REVIEWS = [
    ("The dress runs small, I had to send it back.", 1),
    ("Far too small in the shoulders, order a size up.", 2),
    ("It runs small and tight across the chest.", 2),
    ("Runs small, the large fits like a medium.", 1),
    ("The price is fair for the quality.", 4),
    ("Worth the price, I would pay it again.", 5),
    ("A good price for a sturdy coat.", 4),
    ("Beautiful colour and soft fabric, I love it.", 5),
    ("Arrived quickly and looks great on.", 5),
    ("Lovely stitching, I wear it every week.", 4),
    ("Gorgeous pattern, many compliments.", 5),
]


def analysed_reviews(folder: Path, taxonomy: str) -> str:
    """A DuckDB workspace in ``folder`` holding :data:`REVIEWS` as mentions, analysed with the
    taxonomy file text ``taxonomy``; its URL."""
    pd.DataFrame(
        {
            "mention_id": [f"m{i}" for i in range(len(REVIEWS))],
            "text": [text for text, _ in REVIEWS],
            "rating": [stars for _, stars in REVIEWS],
            "platform": "shop",
        }
    ).to_csv(folder / "reviews.csv", index=False)
    (folder / "taxonomy.yaml").write_text(taxonomy, encoding="utf-8")
    database = str(folder / "advocacy.duckdb")
    with advocacy.open(database) as ws:
        ws.import_file(folder / "reviews.csv", kind="mentions", cases=False)
        ws.text.analyze(taxonomy=folder / "taxonomy.yaml")
    return database
