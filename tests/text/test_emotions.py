"""Emotions are multi-label with a score each; the set and its Plutchik mapping are documented."""

from __future__ import annotations

import json

import numpy as np

from advocacy.text import PLUTCHIK, analyze_texts, emotions
from advocacy.text.emotion import EMOTIONS
from advocacy.text.text_model import shipped_heads

TEXTS = [
    "Angry and heartbroken, they lost my parcel with the wedding gift",
    "I'm furious. Third time the parcel is lost!!",
    "Heartbroken, the vase my grandmother gave me arrived in pieces",
    "Loved it, the best birthday present ever",
    "so happy and optimistic about the future",
]


def test_every_emotion_has_a_score_and_its_own_threshold() -> None:
    result = emotions(TEXTS)
    assert result.probabilities.shape == (len(TEXTS), 4)
    assert np.all((result.probabilities >= 0) & (result.probabilities <= 1))
    thresholds = shipped_heads().emotion_thresholds
    assert thresholds is not None and len(thresholds) == 4
    assert result.thresholds == thresholds and all(0 < t < 1 for t in thresholds)
    for row, top, present in zip(result.probabilities, result.top, result.present, strict=True):
        assert top == EMOTIONS[int(np.argmax(row))] and present[0] == top
        cut = dict(zip(EMOTIONS, thresholds, strict=True))
        assert set(present) - {top} == {
            name for name, p in zip(EMOTIONS, row, strict=True) if p >= cut[name] and name != top
        }
    assert sorted(result.present[0]) == ["anger", "sadness"]  # multi-label, not just top-1
    assert "anger" in result.present[1]  # furious
    assert result.top[2:4] == ["sadness", "joy"] and result.present[3] == ["joy"]
    # "so happy and optimistic": joy and optimism are its two strongest emotions.
    assert set(np.argsort(result.probabilities[4])[-2:]) == {1, 2}


def test_documented_set_maps_onto_plutchik() -> None:
    assert set(PLUTCHIK) == set(EMOTIONS) == {"anger", "joy", "optimism", "sadness"}
    assert "anticipation + joy" in PLUTCHIK["optimism"]


def test_analysed_texts_store_scores_and_labels() -> None:
    frame = analyze_texts(TEXTS)
    found = emotions(TEXTS)
    for index, (scores, labels) in enumerate(
        zip(frame["emotions"], frame["emotion_labels"], strict=True)
    ):
        assert json.loads(scores) == found.scores(index)
        assert labels.split(";") == found.present[index]
