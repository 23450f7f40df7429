"""Sentiment per sentence: stored with the documents, replaced only when a document changes.

Runs on a real DuckDB file and a real PostgreSQL server (``db_url``).
"""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import pytest

import advocacy
from advocacy.text.enrich import analyze_workspace, sentence_rows
from advocacy.text.sentiment import sentence_spans

FIRST = [
    ("R1", 9, "Friendly staff in the store. The sofa arrived a week early!"),
    ("R2", 2, "Great prices.\nBut the refund took five weeks and nobody called me back."),
    ("R3", 7, "It was fine."),
]


def _import(ws: advocacy.Workspace, path: Path, rows: list[tuple[str, int, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["response_id", "submitted_at", "nps", "comment"])
        for response_id, nps, comment in rows:
            writer.writerow([response_id, "2024-03-01T10:00:00Z", nps, comment])
    ws.import_file(path, kind="responses")


def _sentences(ws: advocacy.Workspace) -> list[tuple[str, int, int, int, str, str]]:
    return [
        (str(d), int(i), int(s), int(e), str(label), str(stamp))
        for d, i, s, e, label, stamp in ws.db.fetchall(
            "SELECT document_id, sentence_index, start_offset, end_offset, sentiment, "
            "CAST(analysed_at AS TEXT) FROM text_sentences ORDER BY document_id, sentence_index"
        )
    ]


def test_sentence_offsets_split_after_end_marks_and_line_breaks() -> None:
    text = 'He said "never again." Then he left!\n\n  Fine  '
    spans = sentence_spans(text)
    assert [text[start:end] for start, end in spans] == [
        'He said "never again."',
        "Then he left!",
        "Fine",
    ]
    assert sentence_spans("   ") == []


def test_sentences_are_stored_and_replaced_incrementally(db_url: str, tmp_path: Path) -> None:
    ws = advocacy.open(db_url)
    _import(ws, tmp_path / "first.csv", FIRST)
    analyze_workspace(ws.db, calibrate=False)
    first = _sentences(ws)
    assert [(d, i, s, e) for d, i, s, e, _, _ in first] == [
        ("R1", 0, 0, 28),
        ("R1", 1, 29, 59),
        ("R2", 0, 0, 13),
        ("R2", 1, 14, 71),
        ("R3", 0, 0, 12),
    ]
    labels = {(d, i): label for d, i, _, _, label, _ in first}
    assert labels[("R2", 0)] == "positive" and labels[("R2", 1)] == "negative"

    # A re-run with nothing changed leaves every sentence row as it was.
    again = analyze_workspace(ws.db, calibrate=False)
    assert again.analyzed == 0
    assert _sentences(ws) == first

    # R2 now has one sentence: its two old rows go, the other documents' rows stay untouched.
    changed = [FIRST[0], ("R2", 2, "Refund took five weeks."), FIRST[2]]
    _import(ws, tmp_path / "changed.csv", changed)
    third = analyze_workspace(ws.db, calibrate=False, now=_later())
    assert (third.analyzed, third.unchanged) == (1, 2)
    after = _sentences(ws)
    assert [(d, i, s, e) for d, i, s, e, _, _ in after] == [
        ("R1", 0, 0, 28),
        ("R1", 1, 29, 59),
        ("R2", 0, 0, 23),
        ("R3", 0, 0, 12),
    ]
    untouched = [row for row in after if row[0] != "R2"]
    assert untouched == [row for row in first if row[0] != "R2"]
    assert next(row for row in after if row[0] == "R2")[5] != first[2][5]

    shown = sentence_rows(ws.db, "response", "R1")
    assert [row["sentence"] for row in shown] == [
        "Friendly staff in the store.",
        "The sofa arrived a week early!",
    ]
    assert all(-1 <= row["sentiment_score"] <= 1 for row in shown)
    ws.close()


def test_sentence_text_is_redacted_when_shown(duckdb_url: str, tmp_path: Path) -> None:
    ws = advocacy.open(duckdb_url)
    _import(ws, tmp_path / "pii.csv", [("R9", 1, "Awful. Call me on +44 20 7946 0958 today.")])
    analyze_workspace(ws.db, calibrate=False)
    shown = [row["sentence"] for row in ws.text.sentences("response", "R9")]
    assert shown == ["Awful.", "Call me on [phone] today."]
    assert sentence_rows(ws.db, "response", "nope") == []
    with pytest.raises(advocacy.UsageError, match="unknown document kind"):
        sentence_rows(ws.db, "tweet", "R9")
    ws.close()


def _later() -> datetime:
    return datetime(2030, 1, 1, tzinfo=UTC)


def test_one_sentence_texts_need_their_documents_reading() -> None:
    # A one-sentence text takes its document's sentiment: without the documents there is
    # none to take, and a silent "None" would be stored as the sentence's sentiment.
    import numpy as np

    from advocacy.errors import UsageError
    from advocacy.text.enrich import analyze_texts
    from advocacy.text.sentences import complete_sentences, read_sentences

    texts = ["It was fine.", "Great prices. But the refund took five weeks."]
    found = read_sentences(texts, np.zeros(2, dtype=bool))
    with pytest.raises(UsageError, match="documents"):
        complete_sentences(found, None, None)
    rows = complete_sentences(found, None, analyze_texts(texts))
    assert "None" not in rows["sentiment"].tolist() and len(rows) == 3
    # Read without knowing one-sentence texts, every sentence is read: no documents needed.
    alone = complete_sentences(
        read_sentences(texts, np.zeros(2, dtype=bool), one_sentence_known=False), None, None
    )
    assert alone["sentiment"].tolist() == rows["sentiment"].tolist()


def test_a_review_title_is_read_before_its_text(duckdb_url: str, tmp_path: Path) -> None:
    # The body alone reads as mildly positive; its title says what went wrong, read first.
    path = tmp_path / "reviews.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["review_id", "Title", "Review Text", "Rating"])
        writer.writerow(
            ["rev-000000001", "Terrible quality, returned it", "I ordered my usual size.", "1"]
        )
        writer.writerow(["rev-000000002", "  ", "It was fine.", "3"])
        writer.writerow(["rev-000000003", "Love it", "", "5"])
    with advocacy.open(duckdb_url) as ws:
        ws.import_file(path, kind="mentions")
        analyze_workspace(ws.db, calibrate=False)
        read = {
            str(document): (str(label), str(text))
            for document, label, text in ws.db.fetchall(
                "SELECT f.document_id, f.sentiment, m.text FROM text_features f "
                "JOIN mentions m ON m.mention_id = f.document_id"
            )
        }
        shown = {
            document: [row["sentence"] for row in sentence_rows(ws.db, "mention", document)]
            for document in read
        }
    assert shown == {
        "rev-000000001": ["Terrible quality, returned it", "I ordered my usual size."],
        "rev-000000002": ["It was fine."],  # a blank title is no title
        "rev-000000003": ["Love it"],  # a title alone is the text, read once
    }
    assert read["rev-000000001"] == ("negative", "I ordered my usual size.")
    assert read["rev-000000003"] == ("positive", "Love it")
