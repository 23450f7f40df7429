"""Emotions in texts: anger, joy, optimism and sadness, multi-label with a score for each.

The documented set is the four emotions of TweetEval emotion (Barbieri et al. 2020), taken from
SemEval-2018 task 1 (Mohammad et al. 2018). Mapped onto Plutchik's (1980) wheel of eight:

=========  ==============================================================================
ours       Plutchik
=========  ==============================================================================
anger      anger (primary)
joy        joy (primary)
optimism   optimism, his primary dyad of anticipation + joy
sadness    sadness (primary)
=========  ==============================================================================

Plutchik's fear, trust, surprise, disgust and anticipation are not reported: we ship only
emotions we can measure on labelled data, and we have none for those.

Scores and labels. The shipped model (a logistic head in ``models/heads_e5.npz``, built by
``tools/build_heads.py`` on the TweetEval emotion train and validation splits and GoEmotions
comments grouped into these four) gives each emotion a score in 0..1 (the head's class
probability; the four sum to 1). Every emotion whose score reaches *its own* threshold
(:attr:`EmotionResult.thresholds`, one per emotion, chosen at build time to maximise that
emotion's one-vs-rest F1 on development rows carved from the training data) is reported, so a
text can carry several, or none beyond its top emotion, which is always reported. ``top`` is
the single most likely emotion; benchmarks score it.

References
----------
Plutchik, R. (1980). Emotion: a psychoevolutionary synthesis. Harper & Row.
Mohammad, S. et al. (2018). SemEval-2018 task 1: affect in tweets.
Barbieri, F. et al. (2020). TweetEval. Findings of EMNLP 2020 (RoBERTa-base macro-F1 76.1).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from advocacy.text.heads import FloatArray

EMOTIONS = ("anger", "joy", "optimism", "sadness")
#: Plutchik's (1980) name for each of our emotions (optimism is his anticipation + joy dyad).
PLUTCHIK = {
    "anger": "anger",
    "joy": "joy",
    "optimism": "optimism (anticipation + joy)",
    "sadness": "sadness",
}
#: Threshold for readings that carry no per-emotion thresholds of their own.
EMOTION_THRESHOLD = 0.35


@dataclass(frozen=True)
class EmotionResult:
    """Scores (n x 4, columns in :data:`EMOTIONS`), the top emotion, the reported set.

    Attributes
    ----------
    probabilities
        One row per text, one column per emotion of :data:`EMOTIONS`, each in 0..1.
    top
        The highest-scoring emotion of each text.
    present
        The emotions reported for each text: the top emotion first, then the others that
        reach their threshold.
    model
        The model that produced the scores.
    thresholds
        The score at which each emotion counts as present.

    Examples
    --------
    >>> result = emotions(["so angry, they lied to me", "thank you, that made my day"])
    >>> result.top, result.probabilities.shape
    (['anger', 'joy'], (2, 4))
    """

    probabilities: FloatArray
    top: list[str]
    present: list[list[str]]
    model: str
    thresholds: tuple[float, ...] = (EMOTION_THRESHOLD,) * len(EMOTIONS)

    def scores(self, index: int) -> dict[str, float]:
        """Emotion -> score for text ``index``, rounded to 3 places."""
        return {
            name: round(float(p), 3)
            for name, p in zip(EMOTIONS, self.probabilities[index], strict=True)
        }


def emotion_result(
    probabilities: FloatArray, model: str, thresholds: Sequence[float] | None = None
) -> EmotionResult:
    """Top and reported emotions from scores, with per-emotion ``thresholds``."""
    cuts = tuple(float(t) for t in thresholds) if thresholds is not None else None
    cuts = cuts or (EMOTION_THRESHOLD,) * len(EMOTIONS)
    top = [EMOTIONS[i] for i in np.asarray(probabilities).argmax(axis=1)]
    present = [
        [name for name, p, cut in zip(EMOTIONS, row, cuts, strict=True) if p >= cut] or [best]
        for row, best in zip(probabilities, top, strict=True)
    ]
    for labels, best in zip(present, top, strict=True):
        # The top emotion always leads the reported set.
        if best in labels:
            labels.remove(best)
        labels.insert(0, best)
    return EmotionResult(probabilities, top, present, model, cuts)


def emotions(texts: Sequence[str]) -> EmotionResult:
    """Emotions of each text with the shipped model.

    Parameters
    ----------
    texts
        The texts to read.

    Returns
    -------
    EmotionResult
        Per text the score of each emotion, the top emotion and the emotions present.

    Examples
    --------
    >>> emotions(["so angry, they lied to me"]).top
    ['anger']
    """
    from advocacy.text.text_model import text_model

    reading = text_model("static").read(texts)
    return emotion_result(reading.emotions, reading.emotion_model, reading.emotion_thresholds)
