"""Reviews with a rating and no text (audit finding 12): the import says how to keep them, and
doing what it says keeps every row with its rating. On the real Olist and clothing files. A
review with a title and no text is no such row: it loads with its title as its text (review27
finding 17a)."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

import advocacy


@pytest.mark.shared_data
@pytest.mark.parametrize(
    ("relative", "text", "title", "rating", "quarantined", "dated"),
    [
        (
            "real-exports/olist-subset/olist_order_reviews_dataset.csv",
            "review_comment_message",
            "review_comment_title",
            "review_score",
            3_445,  # 3,561 without a message, less the 116 with a title
            "review_creation_date",
        ),
        (
            "clothing-reviews/womens-clothing-reviews-first-1000.csv",
            "Review Text",
            "Title",
            "Rating",
            42,
            None,
        ),
    ],
)
def test_rated_rows_without_text_are_told_how_to_be_kept(
    shared_data: Path,
    tmp_path: Path,
    relative: str,
    text: str,
    title: str,
    rating: str,
    quarantined: int,
    dated: str | None,
) -> None:
    path = shared_data / relative
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    blank = [row for row in rows if not row[text].strip() and not row[title].strip()]
    assert len(blank) == quarantined
    with advocacy.open(tmp_path / "advocacy.duckdb") as ws:
        result = ws.import_file(path, kind="mentions", dry_run=True)
        assert result.rows_quarantined == quarantined
        [note] = [note for note in result.notes if "quarantined because their text" in note]
        assert note.startswith(f"{quarantined:,} row(s) were quarantined because their text")
        assert f"{quarantined:,} of them hold a rating ('{rating}')" in note
        assert "hold a title" not in note  # the title is recognised: no such row is quarantined
        assert f"{text}, title: {title}" in note  # and the responses keep it too
        # Do what the note says: the mapping it names keeps every row, with its rating.
        found = re.search(
            r"--kind (\w+) --map FILE, the mapping file holding the line ([^;]*)", note
        )
        assert found is not None, note
        mapping = tmp_path / "ratings.yaml"
        mapping.write_text(found.group(2).replace(" and the line ", "\n") + "\n", "utf-8")
        kept = ws.import_file(path, kind=found.group(1), mapping=mapping)
        assert kept.rows_loaded == len(rows) and kept.rows_quarantined == 0
        stored = ws.db.fetchall("SELECT csat FROM responses WHERE comment IS NULL")
        # The date the import recognised goes with them (else periods and trends are lost).
        assert (f"submitted_at: {dated}" in note) == (dated is not None)
        days = ws.db.fetchall("SELECT CAST(submitted_at AS DATE) FROM responses")
    assert sorted(value for (value,) in stored) == sorted(float(row[rating]) for row in blank)
    if dated is not None:
        assert sorted(str(day) for (day,) in days) == sorted(row[dated][:10] for row in rows)


def test_rows_without_text_or_rating_get_no_advice(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text("text,platform\nGreat shop,web\n,web\n", encoding="utf-8")
    with advocacy.open(tmp_path / "advocacy.duckdb") as ws:
        result = ws.import_file(path, kind="mentions", dry_run=True)
    assert result.rows_quarantined == 1
    assert not [note for note in result.notes if "quarantined because their text" in note]


def test_a_rating_on_another_scale_is_declared_in_the_advice(tmp_path: Path) -> None:
    path = tmp_path / "reviews.csv"
    path.write_text("text,rating\nGreat shop,9\n,0\n,10\n", encoding="utf-8")
    with advocacy.open(tmp_path / "advocacy.duckdb") as ws:
        result = ws.import_file(path, kind="mentions", dry_run=True)
        [note] = [note for note in result.notes if "quarantined because their text" in note]
        found = re.search(
            r"--kind (\w+) --map FILE, the mapping file holding the line ([^;]*)", note
        )
        assert found is not None, note
        assert "constants: {csat_scale_min: 0, csat_scale_max: 10}" in found.group(2)
        mapping = tmp_path / "ratings.yaml"
        mapping.write_text(found.group(2).replace(" and the line ", "\n") + "\n", "utf-8")
        kept = ws.import_file(path, kind=found.group(1), mapping=mapping)
        assert kept.rows_loaded == 3 and kept.rows_quarantined == 0


@pytest.mark.shared_data
def test_olist_reviews_with_a_title_alone_load_with_their_title_as_their_text(
    shared_data: Path, tmp_path: Path
) -> None:
    path = shared_data / "real-exports/olist-subset/olist_order_reviews_dataset.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    only_title = Counter(
        row["review_comment_title"]
        for row in rows
        if not row["review_comment_message"].strip() and row["review_comment_title"].strip()
    )
    assert sum(only_title.values()) == 116
    with advocacy.open(tmp_path / "advocacy.duckdb") as ws:
        result = ws.import_file(path, kind="mentions")
        assert result.rows_loaded == 2_562 + 116
        assert (
            "116 row(s) hold a title ('review_comment_title') and no text "
            "('review_comment_message'): their title is read as their text"
        ) in result.notes
        stored = ws.db.fetchall("SELECT text FROM mentions WHERE text = title")
        same = Counter(
            row["review_comment_title"]
            for row in rows
            if row["review_comment_message"].strip()
            and row["review_comment_message"] == row["review_comment_title"]
        )
        assert Counter(text for (text,) in stored) == only_title + same
        # Titles of reviews with a message are kept beside it, not in attrs.
        [(titled,)] = ws.db.fetchall(
            "SELECT COUNT(*) FROM mentions WHERE title IS NOT NULL AND text <> title"
        )
        assert titled == sum(
            1
            for row in rows
            if row["review_comment_message"].strip()
            and row["review_comment_title"].strip()
            and row["review_comment_title"] != row["review_comment_message"]
        )
        assert not ws.db.fetchall(
            "SELECT 1 FROM mentions WHERE json_extract_string(attrs, '$.review_comment_title') "
            "IS NOT NULL"
        )
        again = ws.import_file(path, kind="mentions")
    assert again.rows_loaded == 0 and again.rows_unchanged == 2_562 + 116


def test_a_title_left_in_attrs_is_told_how_to_keep_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "reviews.csv"
    path.write_text(
        "body,Headline,stars\nThe zip broke on day two,Broken zip,1\n,Love it,5\n,,4\n",
        encoding="utf-8",
    )
    mapping = tmp_path / "body.yaml"
    mapping.write_text("columns: {text: body, rating: stars}\n", encoding="utf-8")
    with advocacy.open(tmp_path / "advocacy.duckdb") as ws:
        result = ws.import_file(path, kind="mentions", mapping=mapping, dry_run=True)
        assert result.rows_quarantined == 2
        [note] = [note for note in result.notes if "quarantined because their text" in note]
        assert "1 of them hold a title ('Headline')" in note
        found = re.search(r"the mapping file holding the line (columns: \{text: [^}]*\})$", note)
        assert found is not None, note
        mapping.write_text(found.group(1).replace("}", ", rating: stars}") + "\n", "utf-8")
        kept = ws.import_file(path, kind="mentions", mapping=mapping)
        assert kept.rows_loaded == 2 and kept.rows_quarantined == 1
        assert sorted(ws.db.fetchall("SELECT text, title FROM mentions")) == [
            ("Love it", "Love it"),
            ("The zip broke on day two", "Broken zip"),
        ]
