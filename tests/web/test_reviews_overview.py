"""The overview of a workspace of reviews only (review27 #16f): it showed "No survey answers
yet" and asked for the reviews it held. It now gives the reviews' rating as the report's
summary does, the rated reviews without text that quarantine holds, and why reviews place no
one on the advocacy ladder."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient
from scipy import stats

import advocacy
from advocacy.access.tokens import create_token
from advocacy.present.web import create_app

#: Reviews written for this test: praise rated 4-5, complaints rated 1-2.
PRAISE = ["Lovely fabric and it fits well.", "Arrived fast, great value.", "Works as described."]
BLAME = ["Broke after a week.", "Runs small and the seams split.", "Never arrived, no reply."]


@pytest.fixture(scope="module")
def reviews(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, pd.DataFrame]:
    """120 rated reviews over 2025 Q3-Q4 (better in Q4), 24 of them rated without text, and
    three in January 2026."""
    folder = tmp_path_factory.mktemp("reviews")
    rng = np.random.default_rng(11)
    rows = []
    for index in range(120):
        late = index % 2 == 1
        stars = int(
            rng.choice([1, 2, 4, 5], p=[0.1, 0.1, 0.3, 0.5] if late else [0.3] * 2 + [0.2] * 2)
        )
        texts = PRAISE if stars >= 4 else BLAME
        day = pd.Timestamp("2025-10-01" if late else "2025-07-01") + pd.Timedelta(days=index % 80)
        rows.append(
            {
                "mention_id": f"r{index}",
                "text": "" if index % 5 == 0 else texts[index % 3],
                "rating": stars,
                "posted_at": day.strftime("%Y-%m-%d"),
                "platform": "shop",
            }
        )
    # A few in January, so the data do not stop inside Q4 (a quarter they stop in is not over).
    rows += [
        {"mention_id": f"j{i}", "text": PRAISE[i], "rating": 5, "posted_at": "2026-01-05"}
        for i in range(3)
    ]
    frame = pd.DataFrame(rows)
    frame.to_csv(folder / "reviews.csv", index=False)
    url = str(folder / "advocacy.duckdb")
    with advocacy.open(url) as ws:
        ws.import_file(folder / "reviews.csv", kind="mentions", cases=False)
    return url, frame


@pytest.fixture(scope="module")
def page(reviews: tuple[str, pd.DataFrame]) -> Iterator[str]:
    url, _ = reviews
    with advocacy.open(url) as ws:
        secret = create_token(ws.db, role="analyst", name="reader").secret
    with TestClient(create_app(url), base_url="https://testserver") as client:
        response = client.get("/", headers={"Authorization": f"Bearer {secret}"})
        assert response.status_code == 200, response.text[:500]
        text = re.sub(r"<[^>]+>", " ", response.text.split('id="main"')[1])
        yield re.sub(r"\s+", " ", html.unescape(text))


def test_a_reviews_only_overview_gives_the_latest_quarters_rating(
    reviews: tuple[str, pd.DataFrame], page: str
) -> None:
    _, frame = reviews
    written = frame[frame["text"].fillna("") != ""]
    at = pd.to_datetime(written["posted_at"])
    quarter = written[(at >= "2025-10-01") & (at < "2026-01-01")]["rating"]
    before = written[at < "2025-10-01"]["rating"]
    mean = quarter.mean()
    low, high = stats.t.interval(0.95, len(quarter) - 1, loc=mean, scale=stats.sem(quarter))
    tile = re.search(
        r"Review rating 1-5 (\S+) 95% interval (\S+) to (\S+) (.*?) 2025 Q4 · (\d+)", page
    )
    assert tile is not None, page
    assert [float(v) for v in tile.group(1, 2, 3)] == pytest.approx([mean, low, high], abs=0.051)
    assert int(tile.group(5)) == len(quarter)
    # Q4 is clearly better than Q3 (4.1 against 2.8 or so): Welch's test says so, and the page.
    assert stats.ttest_ind(quarter, before, equal_var=False).pvalue < 0.01
    assert tile.group(4).startswith("Against 2025 Q3: better by")
    assert tile.group(4).endswith("likely real")
    top = round(100 * (quarter >= 4).mean())
    assert re.search(rf"Reviews rated 4-5 % of rated reviews {top}% 95% interval", page), page


def test_the_rated_reviews_without_text_are_counted_apart(
    reviews: tuple[str, pd.DataFrame], page: str
) -> None:
    _, frame = reviews
    at = pd.to_datetime(frame["posted_at"])
    in_q4 = (at >= "2025-10-01") & (at < "2026-01-01")
    silent = int(((frame["text"].fillna("") == "") & in_q4).sum())
    assert silent > 0
    assert f"{silent} more rated reviews of that period have no text and are in quarantine" in page
    assert "reviews with text" in page


def test_the_ladder_says_why_reviews_place_no_one(page: str) -> None:
    assert "No survey answers yet" in page
    assert "only when it carries a customer id" in page
    assert "and reviews to see who advocates" not in page
