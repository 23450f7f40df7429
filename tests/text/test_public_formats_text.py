"""Labelled sets in their published layouts: every row gets a result, and their labels teach.

The files of ``tests/fixtures/public_formats`` (layouts of public labelled sets, text written
for these tests; see ``tests/ingest/test_public_formats.py``) go through what a user runs:
``import``, ``text teach FILE`` with the file's own label column, ``text analyze`` and the
export. What is checked is what a user joining the export to their own labels needs: the
original id, and for every row a sentiment or the reason there is none.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import advocacy
from advocacy.errors import InputError
from advocacy.text.export import export_table
from advocacy.workspace import Workspace

FIXTURES = Path(__file__).parents[1] / "fixtures" / "public_formats"


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    with advocacy.open(str(tmp_path / "workspace.duckdb")) as workspace:
        yield workspace


def _rows(name: str, **options: Any) -> list[list[str]]:
    with (FIXTURES / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle, **options))


def _taught(ws: Workspace) -> dict[str, str]:
    rows = ws.db.fetchall("SELECT document_id, sentiment FROM text_labels")
    return {str(document_id): str(label) for document_id, label in rows}


def _exported(ws: Workspace, table: str, key: str) -> dict[str, dict[str, Any]]:
    return {str(row[key]): row for row in export_table(ws, table).to_pylist()}


def test_airline_tweets_teach_from_their_label_column_and_export_per_tweet(
    ws: Workspace,
) -> None:
    header, *rows = _rows("airline_tweets.csv")
    ids, labels = header.index("tweet_id"), header.index("airline_sentiment")
    ws.import_file(FIXTURES / "airline_tweets.csv", kind="mentions")
    taught = ws.text.teach(FIXTURES / "airline_tweets.csv")
    assert taught.sentiment_labels == len(rows) == 30
    assert _taught(ws) == {row[ids]: row[labels] for row in rows}
    ws.text.analyze()
    exported = _exported(ws, "mentions", "mention_id")
    assert set(exported) == {row[ids] for row in rows}  # joinable on the tweet's own id
    for row in exported.values():
        assert row["sentiment"] in {"negative", "neutral", "positive"}
        assert row["sentiment_reason"] is None and row["analysed_language"] == "en"
        assert 0.0 <= row["complaint"] <= 1.0


def test_smsa_lines_without_ids_teach_by_their_text_and_are_marked_unsupported(
    ws: Workspace,
) -> None:
    lines = _rows("smsa.tsv", delimiter="\t", quoting=csv.QUOTE_NONE)
    ws.import_file(FIXTURES / "smsa.tsv", kind="mentions")
    assert ws.text.teach(FIXTURES / "smsa.tsv").sentiment_labels == len(lines) == 29
    texts = dict(ws.db.fetchall("SELECT mention_id, text FROM mentions"))
    assert {(texts[key], label) for key, label in _taught(ws).items()} == {
        (text, label) for text, label in lines
    }
    ws.text.analyze()
    exported = _exported(ws, "mentions", "mention_id").values()
    # Indonesian, never Malay or Italian; no guessed neutral.
    assert {row["analysed_language"] for row in exported} == {"id"}
    assert {(row["sentiment"], row["sentiment_reason"]) for row in exported} == {
        (None, "language not supported")
    }


def test_german_reviews_say_their_language_is_not_supported(ws: Workspace) -> None:
    ws.import_file(FIXTURES / "reviews_de_marc.csv", kind="mentions")
    ws.text.analyze()
    exported = _exported(ws, "mentions", "mention_id")
    assert set(exported) == {f"de_01000{n:02d}" for n in range(1, 21)}
    assert {
        (row["analysed_language"], row["sentiment"], row["sentiment_reason"])
        for row in exported.values()
    } == {("de", None, "language not supported")}


def test_patient_comments_non_answers_and_blanks_each_say_why(ws: Workspace) -> None:
    ws.import_file(FIXTURES / "patient_survey_fft.csv", kind="responses")
    exported = _exported(ws, "responses", "response_id")
    assert {row["sentiment_reason"] for row in exported.values()} == {"not analysed", "no text"}
    result = ws.text.analyze()
    assert result.calibration_labels > 0  # the 5-point likelihood labels its comments
    exported = _exported(ws, "responses", "response_id")
    reasons = {key: row["sentiment_reason"] for key, row in exported.items()}
    placeholders = {"FFT-000104", "FFT-000105", "FFT-000108", "FFT-000111", "FFT-000115"}
    assert {key for key, reason in reasons.items() if reason == "no content"} >= placeholders
    assert reasons["FFT-000112"] == "no text"  # an empty comment
    for key, row in exported.items():
        assert (row["sentiment"] is None) != (reasons[key] is None), key


def test_a_file_without_sentiment_labels_or_not_imported_is_refused_by_row(
    ws: Workspace,
) -> None:
    ws.import_file(FIXTURES / "complaint_tweets.csv", kind="mentions")
    with pytest.raises(InputError, match="no column holds sentiment labels") as refused:
        ws.text.teach(FIXTURES / "complaint_tweets.csv")  # 0/1 complaint labels
    assert "'label'" in str(refused.value)
    with pytest.raises(InputError, match="find no mention") as missing:
        ws.text.teach(FIXTURES / "airline_tweets.csv")  # not imported into this workspace
    assert (missing.value.row, missing.value.column, missing.value.value) == (
        2,
        "tweet_id",
        "581020034455513090",
    )
    assert "advocacy import airline_tweets.csv --kind mentions" in str(missing.value)


def test_a_teach_file_written_with_tabs_teaches_like_one_with_commas(
    ws: Workspace, tmp_path: Path
) -> None:
    ws.import_file(FIXTURES / "airline_tweets.csv", kind="mentions")
    labels = tmp_path / "labels.tsv"
    tweet = "581020034455513090"
    labels.write_text(f"document_id\tkind\tsentiment\n{tweet}\tmention\tpositive\n", "utf-8")
    assert ws.text.teach(labels).sentiment_labels == 1
    assert _taught(ws) == {tweet: "positive"}


def test_a_labelled_file_without_texts_is_refused_not_taught_nothing(
    ws: Workspace, tmp_path: Path
) -> None:
    ws.import_file(FIXTURES / "airline_tweets.csv", kind="mentions")
    labels = tmp_path / "labels.csv"  # labels beside an id the workspace never saw, no text
    labels.write_text("ref,sentiment\nX1,positive\nX2,negative\n", "utf-8")
    with pytest.raises(InputError, match="no row of the file has both a text and a label"):
        ws.text.teach(labels)


def test_a_sparse_gold_column_beside_the_labels_teaches_the_full_one(
    ws: Workspace, tmp_path: Path
) -> None:
    header, *rows = _rows("airline_tweets.csv")
    ids, labels = header.index("tweet_id"), header.index("airline_sentiment")
    gold = header.index("airline_sentiment_gold")
    for row in rows[:3]:  # as in the published set: a few tweets carry a gold label too
        row[gold] = row[labels]
    path = tmp_path / "Tweets.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([header, *rows])
    ws.import_file(path, kind="mentions")
    taught = ws.text.teach(path)
    assert taught.sentiment_labels == 30
    assert _taught(ws) == {row[ids]: row[labels] for row in rows}
    # The output says which column taught and which was left aside.
    notes = taught.notes
    assert any(
        "'airline_sentiment'" in note and "'airline_sentiment_gold'" in note for note in notes
    )


def test_rows_the_import_quarantined_are_skipped_and_counted_when_teaching(
    ws: Workspace, tmp_path: Path
) -> None:
    labels = ["negative", "neutral", "positive"]
    lines = ["review_id,review_body,stars,sentiment"]
    for n in range(12):
        stars = "drei" if n == 3 else str(1 + n % 5)
        lines.append(f"rev-{n:06d},review body number {n} and it was fine,{stars},{labels[n % 3]}")
    path = tmp_path / "reviews.csv"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    imported = ws.import_file(path, kind="mentions")
    assert (imported.rows_loaded, imported.rows_quarantined) == (11, 1)
    taught = ws.text.teach(path)
    # The other eleven teach; the quarantined row (row 5 of the file) is named, not a refusal.
    assert taught.sentiment_labels == 11
    assert set(_taught(ws)) == {f"rev-{n:06d}" for n in range(12) if n != 3}
    notes = taught.notes
    assert any(
        "1 labelled row" in note and "row 5" in note and "quarantine" in note for note in notes
    )
