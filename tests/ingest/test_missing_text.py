"""Reviews with a rating and no text (audit finding 12): the import says how to keep them, and
doing what it says keeps every row with its rating. On the real Olist and clothing files."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

import advocacy


@pytest.mark.shared_data
@pytest.mark.parametrize(
    ("relative", "text", "rating", "quarantined", "titled", "dated"),
    [
        (
            "real-exports/olist-subset/olist_order_reviews_dataset.csv",
            "review_comment_message",
            "review_score",
            3_561,
            116,
            "review_creation_date",
        ),
        (
            "clothing-reviews/womens-clothing-reviews-first-1000.csv",
            "Review Text",
            "Rating",
            42,
            0,
            None,
        ),
    ],
)
def test_rated_rows_without_text_are_told_how_to_be_kept(
    shared_data: Path,
    tmp_path: Path,
    relative: str,
    text: str,
    rating: str,
    quarantined: int,
    titled: int,
    dated: str | None,
) -> None:
    path = shared_data / relative
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    blank = [row for row in rows if not row[text].strip()]
    assert len(blank) == quarantined
    with advocacy.open(tmp_path / "advocacy.duckdb") as ws:
        result = ws.import_file(path, kind="mentions", dry_run=True)
        assert result.rows_quarantined == quarantined
        [note] = [note for note in result.notes if "quarantined because their text" in note]
        assert note.startswith(f"{quarantined:,} row(s) were quarantined because their text")
        assert f"{quarantined:,} of them hold a rating ('{rating}')" in note
        assert ("hold a title" in note) == bool(titled)
        if titled:
            assert f"{titled:,} of them hold a title" in note and "quarantine export" in note
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
def test_titles_imported_as_the_note_says_are_not_called_duplicates(
    shared_data: Path, tmp_path: Path
) -> None:
    # Olist's review_id repeats, so its reviews are keyed by their content; the quarantined
    # rows' titles, put in as their text, key by review_id. Different reviews share short
    # titles ("recomendo"): only the same review (same id in attrs, same text) is stored twice.
    path = shared_data / "real-exports/olist-subset/olist_order_reviews_dataset.csv"
    with advocacy.open(tmp_path / "advocacy.duckdb") as ws:
        ws.import_file(path, kind="mentions")
        ws.export_quarantine(tmp_path / "quarantine.csv")
        with (tmp_path / "quarantine.csv").open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        titled = [dict(row, review_comment_message=row["review_comment_title"]) for row in rows]
        titled = [row for row in titled if row["review_comment_message"].strip()]
        assert len(titled) == 116
        again = tmp_path / "titles.csv"
        with again.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(titled[0]))
            writer.writeheader()
            writer.writerows(titled)
        kept = ws.import_file(again, kind="mentions")
        assert kept.rows_loaded == 116
        assert not [note for note in kept.notes if "stored twice" in note]
        # The same reviews again, keyed by their id now: those are stored twice, and said.
        with path.open(encoding="utf-8", newline="") as handle:
            original = list(csv.DictReader(handle))
        ids = Counter(row["review_id"] for row in original)
        once = [
            row for row in original if ids[row["review_id"]] == 1 and row["review_comment_message"]
        ]
        same = tmp_path / "same.csv"
        with same.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(once[0]))
            writer.writeheader()
            writer.writerows(once)
        repeated = ws.import_file(same, kind="mentions")
    [note] = [note for note in repeated.notes if "stored twice" in note]
    assert note.startswith(f"{len(once):,} of these mentions have the text")
