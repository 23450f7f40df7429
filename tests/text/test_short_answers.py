"""Short negated, denying and emoji answers are read, model alone and calibrated (audit4 item 7).

The answers are :data:`short_answer_cases.SHORT_ANSWERS` (written for these tests). The
calibration is fitted on real Amazon reviews and their stars (MARC en, ``../shared/data``), as a
workspace of scored review comments calibrates: before the calibration read the embedding with
negated words reversed and the TF-IDF model read them marked, it took "wasn't disappointed"
and "never had a problem" for complaints.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from advocacy.text.calibration import CalibratedSentiment, scale_label
from advocacy.text.document_reading import analyze_texts
from advocacy.text.negation import negation_evidence

from .short_answer_cases import SHORT_ANSWERS

TEXTS = [text for text, _ in SHORT_ANSWERS]
EXPECTED = [label for _, label in SHORT_ANSWERS]
# Praise by denial, which a calibration fitted on reviews read as complaints.
DENIALS = ["not disappointed at all", "never had a problem", "wasn't any trouble"]


def _accuracy(labels: list[object]) -> float:
    return sum(got == want for got, want in zip(labels, EXPECTED, strict=True)) / len(EXPECTED)


def test_the_model_alone_reads_short_negations_and_emoji() -> None:
    frame = analyze_texts(TEXTS)
    # Emoji answers are content with a sentiment, not "no content" (was 0.63: nine emoji unread).
    assert frame["sentiment_reason"].isna().all()
    assert _accuracy(frame["sentiment"].tolist()) >= 0.85


@pytest.mark.parametrize(
    ("answer", "expected"),
    [("😡😡😡", "negative"), ("👎", "negative"), ("👍", "positive"), (":(", "negative")],
)
def test_an_emoji_answer_is_read_not_dropped(answer: str, expected: str) -> None:
    row = analyze_texts([answer]).iloc[0]
    assert (row["sentiment"], row["sentiment_reason"]) == (expected, None)


def test_punctuation_alone_is_still_no_content() -> None:
    frame = analyze_texts(["-", "?", "...", "©"])
    assert frame["sentiment_reason"].tolist() == ["no content"] * 4


def test_a_denied_superlative_is_an_understatement_and_a_modal_comparative_a_shortfall() -> None:
    evidence = negation_evidence(
        ["It wasn't the best meal", "not the worst stay", "the app could be better",
         "couldn't be better", "nothing could be better", "I could be there by five"]
    )  # fmt: skip
    assert evidence[0] < 0 < evidence[1]  # were +3.2 and -3.1: read as intensifiers
    assert evidence[2] < 0  # was 0: no negation word
    assert evidence[3] > 0 and evidence[4] > 0 and evidence[5] == 0
    labels = analyze_texts(["It wasn't the best meal", "could be better"])["sentiment"]
    assert labels.tolist() == ["negative", "negative"]


@pytest.fixture(scope="module")
def calibrated(shared_data: Path) -> CalibratedSentiment:
    path = shared_data / "text-corpora" / "marc-amazon-multi" / "en" / "train-256-42.csv"
    reviews = pd.read_csv(path, header=None, names=["id", "text", "stars"])
    labels = [scale_label(float(stars), 1, 5) for stars in reviews["stars"]]
    return CalibratedSentiment().fit(reviews["text"].astype(str).tolist(), labels)


def test_a_calibration_on_real_reviews_keeps_the_negations_the_model_reads(
    calibrated: CalibratedSentiment,
) -> None:
    assert calibrated.predict(DENIALS).labels == ["positive"] * 3  # were all negative
    assert calibrated.predict(["Not happy", "not great"]).labels == ["negative"] * 2
    frame = analyze_texts(TEXTS, calibrated)
    assert frame["sentiment_reason"].isna().all()
    # Was 0.69 (nine emoji unread, praise by denial read negative).
    assert _accuracy(frame["sentiment"].tolist()) >= 0.8


def test_the_stacked_tfidf_model_reads_a_negated_word_apart_from_the_word() -> None:
    from advocacy.text.calibration_tfidf import TermCounts, clipped

    texts = ["wasn't disappointed", "disappointed", "great staff"]
    counts = TermCounts(clipped(texts))
    counts.split(np.arange(3))
    vocabulary = counts.spell(counts.vocabulary(np.arange(3)))
    words = set(vocabulary.words)
    assert "neg_disappointed" in words  # "wasn't disappointed" no longer counts "disappointed"
    assert "great staff" in words  # a text without a negation is counted as it was
