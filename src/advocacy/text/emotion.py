"""Emotions in texts: anger, joy, optimism and sadness, multi-label with a score for each.

The set is the four emotions of TweetEval emotion (Barbieri et al. 2020), a subset of Plutchik's
(1980) eight wheel emotions (optimism being his blend of joy and anticipation) taken from
SemEval-2018 task 1 (Mohammad et al. 2018); we ship only emotions we can measure on labelled
data. The shipped model (``models/emotion.npz``, built by ``models/build_models.py`` on the
train and validation splits) gives a probability per emotion; every emotion whose probability
reaches :data:`EMOTION_THRESHOLD` is reported, so a text can carry several.

References
----------
Plutchik, R. (1980). Emotion: a psychoevolutionary synthesis. Harper & Row.
Mohammad, S. et al. (2018). SemEval-2018 task 1: affect in tweets.
Barbieri, F. et al. (2020). TweetEval. Findings of EMNLP 2020 (RoBERTa-base macro-F1 76.1).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from numpy.typing import NDArray

from advocacy.text.embeddings import default_embedder, model_path
from advocacy.text.heads import FloatArray, TokenClassifier

EMOTIONS = ("anger", "joy", "optimism", "sadness")
DEFAULT_EMOTION_MODEL = "tweeteval-emotion-static-v1"
#: An emotion is reported when its probability reaches this.
EMOTION_THRESHOLD = 0.35


@dataclass(frozen=True)
class EmotionResult:
    """Probabilities (n x 4, columns in :data:`EMOTIONS`), the top emotion, the reported set."""

    probabilities: FloatArray
    top: list[str]
    present: list[list[str]]
    model: str

    def scores(self, index: int) -> dict[str, float]:
        """Emotion -> probability for text ``index``, rounded to 3 places."""
        return {
            name: round(float(p), 3)
            for name, p in zip(EMOTIONS, self.probabilities[index], strict=True)
        }


@lru_cache(maxsize=1)
def default_emotion_model() -> TokenClassifier:
    """The shipped emotion model (loaded once per process)."""
    return TokenClassifier.load(model_path("emotion.npz"), name=DEFAULT_EMOTION_MODEL)


def emotions_from_ids(ids: list[list[int]], embeddings: NDArray[Any]) -> EmotionResult:
    """Emotions from the default embedder's token ids and embeddings (one tokenisation)."""
    model = default_emotion_model()
    probabilities = model.predict_proba_ids(ids, embeddings)
    top = [EMOTIONS[i] for i in probabilities.argmax(axis=1)]
    present = [
        [name for name, p in zip(EMOTIONS, row, strict=True) if p >= EMOTION_THRESHOLD] or [best]
        for row, best in zip(probabilities, top, strict=True)
    ]
    return EmotionResult(probabilities, top, present, model.name)


def emotions(texts: Sequence[str]) -> EmotionResult:
    """Emotions of each text with the shipped model.

    >>> emotions(["so angry, they lied to me"]).top
    ['anger']
    """
    embedder = default_embedder()
    ids = embedder.token_ids(texts)
    return emotions_from_ids(ids, embedder.embed_ids(ids))
