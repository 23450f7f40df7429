"""The real Olist reviews (../shared/data) as survey answers: a CSAT-only client (audit4)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import advocacy

REVIEWS = "real-exports/olist-subset/olist_order_reviews_dataset.csv"
MAPPING = (
    "columns: {csat: review_score, comment: review_comment_message, "
    "submitted_at: review_creation_date}\n"
)


def olist_workspace(url: str, folder: Path, shared_data: Path) -> advocacy.Workspace:
    """A workspace holding the Olist reviews as responses (CSAT 1-5, comment, date)."""
    (folder / "map.yaml").write_text(MAPPING, encoding="utf-8")
    ws = advocacy.open(url)
    ws.import_file(
        shared_data / REVIEWS, kind="responses", mapping=folder / "map.yaml", cases=False
    )
    return ws


def olist_reviews(shared_data: Path) -> pd.DataFrame:
    """The reviews as pandas reads them, with ``day`` the UTC day each was written."""
    frame = pd.read_csv(shared_data / REVIEWS)
    frame["day"] = pd.to_datetime(frame.review_creation_date).dt.date
    return frame
