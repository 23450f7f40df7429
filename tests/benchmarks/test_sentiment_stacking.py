"""The lexicon features of ``benchmarks/sentiment_stacking.py`` read a text as VADER does.

The stacking experiment (docs/benchmarks.md, Text, 2026-12-05) compares a second level that
reads these features with one that reads VADER's own scores; the comparison means something
only if, on text without VADER's extra rules (capitals, boosters, punctuation, emoticons), the
features are VADER's compound and word shares.
"""

from __future__ import annotations

from types import ModuleType

import pytest

from support import require_module
from support.benchmark_modules import load_benchmark

#: Plain customer sentences: lexicon words, negations, a contrast, none of VADER's other rules.
PLAIN = [
    "The staff were great",
    "not helpful at all",
    "It is blue",
    "The room was nice but the staff were rude",
    "I do not like the food and the service was slow",
    "Terrible wait, awful food",
    "The nurse was kind and the doctor was helpful",
    "I could not fault them",
]


@pytest.fixture(scope="module")
def stacking() -> ModuleType:
    return load_benchmark("sentiment_stacking")


def test_lexicon_features_are_vaders_scores_on_plain_sentences(stacking: ModuleType) -> None:
    vader = require_module("vaderSentiment.vaderSentiment", "pip install -e '.[dev]'")
    analyser = vader.SentimentIntensityAnalyzer()
    features = stacking.polarity_features(PLAIN)
    for text, row in zip(PLAIN, features, strict=True):
        expected = analyser.polarity_scores(text)
        assert row[0] == pytest.approx(expected["compound"], abs=1e-4), text
        assert row[1:4] == pytest.approx(
            [expected["pos"], expected["neg"], expected["neu"]], abs=2e-3
        ), text


def test_a_text_without_lexicon_words_is_all_neutral(stacking: ModuleType) -> None:
    features = stacking.polarity_features(["", "The invoice number is 4411", "Sehr gut gemacht"])
    assert features[:, 0].tolist() == [0.0, 0.0, 0.0]
    assert features[:, 3].tolist() == [1.0, 1.0, 1.0]
