"""The reviews' rating is that of the latest quarter the reviews run to the end of (gapfix2 3).

The real Olist reviews, imported as rated mentions (those with a text), end on 2018-08-31:
2018 Q3 holds July and August only, so the report's rating standing is 2018 Q2's (by the one
rule of :mod:`advocacy.metrics.periods`), recomputed here from the file.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

import advocacy
from advocacy.report.section import ReportScope
from advocacy.report.sections.review_ratings import rating_standing

pytestmark = pytest.mark.slow

REVIEWS = "real-exports/olist-subset/olist_order_reviews_dataset.csv"


def test_the_quarter_the_reviews_end_in_is_not_their_latest(
    tmp_path: Path, shared_data: Path
) -> None:
    reviews = pd.read_csv(shared_data / REVIEWS)
    reviews = reviews[reviews.review_comment_message.fillna("").str.strip() != ""]  # mentions
    day = pd.to_datetime(reviews.review_creation_date).dt.date
    assert day.max() == dt.date(2018, 8, 31)
    q2 = reviews[(day >= dt.date(2018, 4, 1)) & (day < dt.date(2018, 7, 1))]
    q1 = reviews[(day >= dt.date(2018, 1, 1)) & (day < dt.date(2018, 4, 1))]
    (tmp_path / "map.yaml").write_text(
        "columns: {rating: review_score, text: review_comment_message, "
        "posted_at: review_creation_date, mention_id: review_id}\n",
        encoding="utf-8",
    )
    with advocacy.open(str(tmp_path / "olist.duckdb")) as ws:
        ws.import_file(
            shared_data / REVIEWS, kind="mentions", mapping=tmp_path / "map.yaml", cases=False
        )
        standing = rating_standing(ws, ReportScope())
    assert standing is not None
    assert standing.quarter == dt.date(2018, 4, 1)
    assert standing.mean.n == len(q2)
    assert standing.mean.score == pytest.approx(q2.review_score.mean())
    assert standing.mean_change is not None
    assert standing.mean_change.before == pytest.approx(q1.review_score.mean())
