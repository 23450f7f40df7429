"""A day's few short answers take the languages the workspace's texts were read in.

Alone, "Terrible" read Catalan and "Fantastic" Italian (refused as unsupported, no
sentiment); one word is too short for its letters to tell, and its words tell instead
(:mod:`advocacy.text.english_words`: "Terrible" English, "Sehr gut" German). A call with at
least ``BATCH_MIN_TEXTS`` texts sure of their language leans on those; a call of a few texts
(a daily import, one response) leans on the languages ``text analyze`` stored before.
"""

from __future__ import annotations

import csv
from pathlib import Path

import advocacy
from advocacy.text.language import BATCH_MIN_TEXTS, detect_languages
from support.corpora import blitzer_reviews

ENGLISH_SHORT = {"Terrible": "negative", "Fantastic": "positive", "Horrible": "negative"}
GERMAN_SHORT = ["Sehr gut", "Toll", "Schlecht"]


def _marc(shared_data: Path, code: str, count: int) -> list[str]:
    path = shared_data / "text-corpora" / "marc-amazon-multi" / code / "test.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        return [row[1] for _, row in zip(range(count), csv.reader(handle), strict=False)]


def _olist(shared_data: Path, count: int) -> list[str]:
    path = shared_data / "real-exports" / "olist-subset" / "olist_order_reviews_dataset.csv"
    with path.open(newline="", encoding="utf-8-sig") as handle:
        texts = [row["review_comment_message"].strip() for row in csv.DictReader(handle)]
    return [text for text in dict.fromkeys(texts) if len(text.split()) >= 8][:count]


def test_alone_short_english_answers_read_as_other_languages_and_the_prior_mends_them() -> None:
    alone = detect_languages(list(ENGLISH_SHORT))
    # One word is too short for the letters to tell (before: Catalan and Italian, refused as
    # unsupported: what a small import met); the words tell: English (english_words).
    assert alone == ["en"] * len(ENGLISH_SHORT)
    # Alone too, German words are German ("Toll" is an English word as well: a toll road).
    assert detect_languages(["Sehr gut", "Schlecht"]) == ["de", "de"]
    assert detect_languages(list(ENGLISH_SHORT), prior={"en": 400, "fr": 12}) == ["en"] * 3
    assert detect_languages(GERMAN_SHORT, prior={"de": 300, "en": 40}) == ["de"] * 3


def test_a_larger_workspace_leans_no_harder_than_a_batch() -> None:
    """review17 item 1: 3,000 stored English texts read "Alles super" as English where a batch
    of 20 English reviews leaves it German; the prior counts by its shares. "Excelente" is
    no English word, so it is detected alone and stays Portuguese (refused as unsupported,
    not read neutral by the English model: negfix3 undid lexread's reading it English)."""
    texts = ["Alles super", "Excelente", *ENGLISH_SHORT]
    small = detect_languages(texts, prior={"en": BATCH_MIN_TEXTS})
    assert small[:2] == ["de", "pt"]
    for size in (3_000, 50_000):
        assert detect_languages(texts, prior={"en": size}) == small


def test_a_prior_of_too_few_texts_changes_nothing() -> None:
    texts = [*ENGLISH_SHORT, *GERMAN_SHORT]
    too_few = {"en": BATCH_MIN_TEXTS - 1}
    assert detect_languages(texts, prior=too_few) == detect_languages(texts)


def test_a_confident_text_keeps_its_language_whatever_the_prior() -> None:
    texts = [
        "Der Kundendienst war sehr freundlich und hat schnell geholfen",
        "La livraison est arrivée en retard et le colis était abîmé",
    ]
    assert detect_languages(texts, prior={"en": 100_000}) == ["de", "fr"]


def test_the_batch_decides_before_the_workspace(shared_data: Path) -> None:
    """Among 300 Portuguese reviews "Ok." is Portuguese even in an English workspace."""
    reviews = _olist(shared_data, 300)
    found = detect_languages([*reviews, "Ok.", "Top"], prior={"en": 50_000})
    assert found[-2:] == ["pt", "pt"]


def test_text_analyze_reads_a_few_new_short_answers_in_the_workspace_language(
    db_url: str, shared_data: Path
) -> None:
    english = blitzer_reviews(shared_data, 30, seed=0, words=40)[0]
    ws = advocacy.open(db_url, create=True)
    try:
        ws.write_records(
            "responses", [{"response_id": f"en{i}", "comment": t} for i, t in enumerate(english)]
        )
        ws.text.analyze(workers=1)
        ws.write_records(
            "responses",
            [{"response_id": f"new{i}", "comment": t} for i, t in enumerate(ENGLISH_SHORT)],
        )
        result = ws.text.analyze(workers=1)
        assert result.analyzed == 3
        assert result.not_supported == {}
        rows = ws.db.fetchall(
            "SELECT f.document_id, f.language, f.sentiment FROM text_features f "
            "WHERE f.document_id LIKE 'new%' ORDER BY f.document_id"
        )
        assert [(language, sentiment) for _, language, sentiment in rows] == [
            ("en", label) for label in ENGLISH_SHORT.values()
        ]
    finally:
        ws.close()


def test_a_german_workspace_refuses_its_short_answers_rather_than_reading_them_as_english(
    tmp_path: Path, shared_data: Path
) -> None:
    ws = advocacy.open(f"duckdb:///{tmp_path / 'de.duckdb'}", create=True)
    try:
        german = _marc(shared_data, "de", 30)
        ws.write_records(
            "mentions",
            [{"mention_id": f"de{i}", "text": t, "source": "shop"} for i, t in enumerate(german)],
        )
        ws.text.analyze(workers=1)
        short = [
            {"mention_id": f"k{i}", "text": t, "source": "shop"} for i, t in enumerate(GERMAN_SHORT)
        ]
        ws.write_records("mentions", short)
        result = ws.text.analyze(workers=1)
        rows = ws.db.fetchall(
            "SELECT language, sentiment, sentiment_reason FROM text_features "
            "WHERE document_id LIKE 'k%' ORDER BY document_id"
        )
        assert rows == [("de", None, "language not supported")] * 3
        assert result.not_supported == {"de": 3}
    finally:
        ws.close()


def test_an_angry_one_word_mention_opens_a_case_in_an_english_workspace(
    tmp_path: Path, shared_data: Path
) -> None:
    """The case rules read a new mention's language as ``text analyze`` would: "Terrible" alone
    read Catalan, which the sentiment does not read, so no rule could fire on it."""
    ws = advocacy.open(f"duckdb:///{tmp_path / 'en.duckdb'}", create=True)
    try:
        english = blitzer_reviews(shared_data, 30, seed=1, words=40)[0]
        ws.write_records(
            "responses", [{"response_id": f"r{i}", "comment": t} for i, t in enumerate(english)]
        )
        ws.text.analyze(workers=1)
        ws.write_records("mentions", [{"mention_id": "m1", "text": "Terrible", "source": "x"}])
        opened = ws.cases.open_for("mentions", ["m1"])
        assert [case.rule_id for case in opened] == ["angry-mention"]
    finally:
        ws.close()
