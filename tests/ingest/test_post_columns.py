"""Reviews and notes import without a mapping: their text, star rating and date are recognised.

Real review exports name their columns "Review Text", "review_comment_message", "review_score":
before, such a file imported as mentions had every row quarantined for an empty ``text``. A
file in which nothing can hold a required field is now refused whole, naming the field, the
columns and the fix, with nothing written.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa
import pytest

import advocacy
from advocacy.errors import InputError
from advocacy.ingest.post_columns import post_columns
from advocacy.model import kind_for

CLOTHING = "clothing-reviews/womens-clothing-reviews-first-1000.csv"
OLIST = "real-exports/olist-subset/olist_order_reviews_dataset.csv"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_real_reviews_go_in_as_mentions_with_their_text_and_stars(
    shared_data: Path, duckdb_url: str
) -> None:
    source = _rows(shared_data / CLOTHING)
    with advocacy.open(duckdb_url) as ws:
        result = ws.import_file(shared_data / CLOTHING, kind="mentions")
        fields = {d["field"]: d["column"] for d in result.detected}
        assert fields["text"] == "Review Text"
        assert fields["rating"] == "Rating"
        # Every row is stored or quarantined, and only rows without a review are quarantined.
        blank = [row for row in source if not row["Review Text"].strip()]
        assert result.rows_loaded == len(source) - len(blank) == 958
        assert result.rows_quarantined == len(blank)
        assert {entry.column for entry in result.quarantine} == {"Review Text"}
        stored = ws.table("mentions").select("text", "rating").execute()
        written = [row for row in source if row not in blank]
        expected = {(row["Review Text"], float(row["Rating"])) for row in written}
        assert set(zip(stored["text"], stored["rating"], strict=True)) == expected


def test_a_review_export_gets_its_date_stars_and_message(
    shared_data: Path, duckdb_url: str
) -> None:
    source = _rows(shared_data / OLIST)
    with advocacy.open(duckdb_url) as ws:
        result = ws.import_file(shared_data / OLIST, kind="mentions")
        fields = {d["field"]: d["column"] for d in result.detected}
        assert fields == {
            "posted_at": "review_creation_date",
            "rating": "review_score",
            "text": "review_comment_message",
            "title": "review_comment_title",
        }
        # A review with a title and no message is kept, its title as its text.
        written = [
            row
            for row in source
            if row["review_comment_message"].strip() or row["review_comment_title"].strip()
        ]
        assert result.rows_loaded == len(written)
        assert result.rows_loaded + result.rows_quarantined == len(source)
        stored = ws.table("mentions").select("text", "posted_at").execute()
        assert stored["posted_at"].notna().all()
        assert set(stored["text"]) == {
            row["review_comment_message"]
            if row["review_comment_message"].strip()
            else row["review_comment_title"]
            for row in written
        }


def test_codes_flags_and_loose_dates_are_not_taken() -> None:
    rows = pa.table(
        {
            "Comment ID": ["C-0001", "C-0002", "C-0003", "C-0004"],
            "Stars": ["0", "1", "1", "0"],  # a yes/no flag, not stars
            "Date": ["2024-01-05", "2024-01-06", "soon", "2024-01-07"],
            "Body": [
                "The courier left it in the rain.",
                "Great support, fixed in a day.",
                '=HYPERLINK("http://x") <script>alert(1)</script> click here now',
                "Nothing to add really, it works.",
            ],
        }
    )
    found = post_columns(rows, rows.column_names, kind_for("mentions"), {})
    # The comment's own id is never the text or a rating; numbered C-0001, C-0002, ... it
    # may be another export's numbering too, so it keys nothing (it stays in attrs).
    assert found.fields == {"text": "Body"}
    assert any("'Comment ID'" in n and "row numbers" in n for n in found.notes)
    assert any("'Date' is named like a date but 25% of its values" in n for n in found.notes)
    notes = post_columns(rows, rows.column_names, kind_for("notes"), {})
    assert notes.fields == {"text": "Body"}  # notes have no rating


def test_a_reply_or_a_title_is_never_the_text_and_scores_are_not_stars() -> None:
    # A Google Play Console review export: the developer's replies are longer than the reviews.
    reviews = ["Crashes on start", "Love it", "Too many ads", "Works fine now", "Meh"] * 2
    replies = [
        "Hi, thanks for your feedback. Please write to support@example.com so we can help.",
        "",
    ] * 5
    rows = pa.table(
        {
            "Review Title": ["Bad", "Great", "Ads", "Fixed", "Ok"] * 2,
            "Review Text": reviews,
            "Developer Reply Text": replies,
            "Star Rating": ["1", "5", "2", "4", "3"] * 2,
            "Sentiment Score": ["0.1", "0.95", "0.3", "0.7", "0.5"] * 2,
            "Response rate": ["0.5"] * 10,
            "Last Updated": ["2024-02-01 10:00 UTC"] * 10,
            "Review Submit Date and Time": [f"2024-01-0{i % 9 + 1}T10:00:00Z" for i in range(10)],
        }
    )
    found = post_columns(rows, rows.column_names, kind_for("mentions"), {})
    assert found.fields == {
        "posted_at": "Review Submit Date and Time",
        "text": "Review Text",
        "title": "Review Title",
        "rating": "Star Rating",
    }
    assert "Developer Reply Text" not in found.fields.values()


def test_short_reviews_under_a_review_heading_are_the_text() -> None:
    rows = pa.table(
        {
            "Review": ["Love it", "Never again", "Ok", "Love it", "Superb", "Meh"],
            "Tweeted": ["Wed Oct 10 20:19:24 +0000 2018"] * 6,  # named like a post, all dates
            "Posted": ["Wed, 10 Oct 2018 20:19:24 +0000"] * 6,
        }
    )
    found = post_columns(rows, rows.column_names, kind_for("mentions"), {})
    assert found.fields == {"posted_at": "Posted", "text": "Review"}


def test_a_mapped_or_named_field_is_never_replaced() -> None:
    rows = pa.table(
        {
            "Review": ["Lovely staff and quick.", "Slow and rude at the desk."],
            "Stars": ["5", "1"],
        }
    )
    found = post_columns(rows, ["Stars"], kind_for("mentions"), {"text": "Review"})
    assert found.fields == {"rating": "Stars"}


def test_a_file_without_rows_imports_nothing_and_is_not_refused(
    duckdb_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "today.csv"
    path.write_text("id,likes\n", encoding="utf-8")
    with advocacy.open(duckdb_url) as ws:
        result = ws.import_file(path, kind="mentions")
        assert result.rows_read == result.rows_loaded == result.rows_quarantined == 0


def test_a_file_with_nothing_for_a_required_field_is_refused_whole(
    db_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "posts.csv"
    path.write_text("id,when,likes\n1,2024-01-05,3\n2,2024-01-06,4\n", encoding="utf-8")
    with advocacy.open(db_url) as ws:
        with pytest.raises(InputError) as caught:
            ws.import_file(path, kind="mentions")
        message = str(caught.value)
        assert str(path) in message
        assert "required field 'text' of mentions" in message
        assert "'id', 'when', 'likes'" in message
        assert "--map" in message and "text: <column name>" in message
        assert ws.table("mentions").count().execute() == 0
        assert ws.table("imports").count().execute() == 0
        assert ws.quarantine() == []
