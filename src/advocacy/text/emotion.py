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
probability; the four sum to 1). The scores always sum to 1, even for a text that expresses no
emotion at all ("Right size for my yard"), so the highest one is not by itself an emotion.

A text has a *clear* emotion when its top emotion's score (rounded to 3 places, as stored)
reaches :data:`CLEAR_EMOTION` and the text's sentiment is the one that emotion expresses
(:data:`EMOTION_SENTIMENT`: anger and sadness negative, joy and optimism positive); otherwise
it has none: ``top`` is None and ``present`` is empty, while its scores are kept. The cut was
chosen on GoEmotions ``dev`` (comments the head never read), separating the 1,592 comments its
raters called only ``neutral`` from the 1,791 that carry one of these four emotions, as the
cut of 0.25..0.75 (step 0.01) with the highest balanced accuracy (0.707; 0.500 when every text
has an emotion); on GoEmotions ``test`` (held out) 64.0% of the emotional comments keep an
emotion and 74.1% of the neutral ones get none (docs/benchmarks.md, "emotion"). A text with a
clear emotion also carries every other emotion whose score reaches *its own* threshold
(:attr:`EmotionResult.thresholds`, one per emotion, chosen at build time to maximise that
emotion's one-vs-rest F1 on development rows carved from the training data), so a text can
carry several. Benchmarks of the four-way choice (TweetEval, where every text has an emotion)
score the highest score, :meth:`EmotionResult.strongest`.

References
----------
Plutchik, R. (1980). Emotion: a psychoevolutionary synthesis. Harper & Row.
Mohammad, S. et al. (2018). SemEval-2018 task 1: affect in tweets.
Barbieri, F. et al. (2020). TweetEval. Findings of EMNLP 2020 (RoBERTa-base macro-F1 76.1).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from advocacy.text.denied_praise import denies_praise
from advocacy.text.heads import FloatArray
from advocacy.text.polarity_lexicon import polarity_lexicon

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
#: The least score of a text's top emotion for the text to have a clear emotion (see above).
CLEAR_EMOTION = 0.48
#: The sentiment each emotion expresses: a text read otherwise has no clear emotion.
EMOTION_SENTIMENT = {
    "anger": "negative",
    "joy": "positive",
    "optimism": "positive",
    "sadness": "negative",
}


@dataclass(frozen=True)
class EmotionResult:
    """Scores (n x 4, columns in :data:`EMOTIONS`), the clear emotion, the reported set.

    Attributes
    ----------
    probabilities
        One row per text, one column per emotion of :data:`EMOTIONS`, each in 0..1.
    top
        The clear emotion of each text: its highest-scoring one, or None when it has no clear
        emotion (see the module's notes).
    present
        The emotions reported for each text: the top emotion first, then the others that
        reach their threshold; empty when it has no clear emotion.
    model
        The model that produced the scores.
    thresholds
        The score at which each emotion counts as present.

    Examples
    --------
    >>> result = emotions(
    ...     ["so angry, they lied to me", "thank you, that made my day", "Right size for my yard"]
    ... )
    >>> result.top, result.probabilities.shape
    (['anger', 'joy', None], (3, 4))
    """

    probabilities: FloatArray
    top: list[str | None]
    present: list[list[str]]
    model: str
    thresholds: tuple[float, ...] = (EMOTION_THRESHOLD,) * len(EMOTIONS)

    def scores(self, index: int) -> dict[str, float]:
        """Emotion -> score for text ``index``, rounded to 3 places."""
        return {
            name: round(float(p), 3)
            for name, p in zip(EMOTIONS, self.probabilities[index], strict=True)
        }

    def strongest(self) -> list[str]:
        """The highest-scoring emotion of each text, clear or not (a forced choice of four)."""
        return [EMOTIONS[i] for i in np.asarray(self.probabilities).argmax(axis=1)]


def clear_emotion(scores: Mapping[str, float], sentiment: str | None) -> str | None:
    """A text's clear emotion from its emotion scores and its sentiment, or None.

    Parameters
    ----------
    scores
        Emotion -> score (as :meth:`EmotionResult.scores` gives and ``text_features`` stores).
    sentiment
        The text's sentiment label (negative, neutral, positive; None: not read).

    Returns
    -------
    str or None
        The top emotion when its score reaches :data:`CLEAR_EMOTION` and ``sentiment`` is the
        one it expresses (:data:`EMOTION_SENTIMENT`); None otherwise.

    Examples
    --------
    >>> clear_emotion({"anger": 0.38, "joy": 0.2, "optimism": 0.22, "sadness": 0.2}, "positive")
    >>> clear_emotion({"anger": 0.7, "joy": 0.1, "optimism": 0.1, "sadness": 0.1}, "negative")
    'anger'
    """
    known = {name: float(scores[name]) for name in EMOTIONS if name in scores}
    if not known:
        return None
    best = max(known, key=lambda name: known[name])
    if round(known[best], 3) < CLEAR_EMOTION or sentiment != EMOTION_SENTIMENT[best]:
        return None
    return best


def emotion_result(
    probabilities: FloatArray,
    model: str,
    thresholds: Sequence[float] | None = None,
    *,
    sentiments: Sequence[str | None],
) -> EmotionResult:
    """Clear and reported emotions from scores, with per-emotion ``thresholds`` and each
    text's sentiment label (``sentiments``; see :func:`clear_emotion`)."""
    cuts = tuple(float(t) for t in thresholds) if thresholds is not None else None
    cuts = cuts or (EMOTION_THRESHOLD,) * len(EMOTIONS)
    rows = np.asarray(probabilities)
    top = [
        clear_emotion(dict(zip(EMOTIONS, row, strict=True)), sentiment)
        for row, sentiment in zip(rows, sentiments, strict=True)
    ]
    present: list[list[str]] = []
    for row, best in zip(rows, top, strict=True):
        if best is None:
            present.append([])
            continue
        # The top emotion leads the reported set; the others reach their own threshold.
        others = [
            name
            for name, p, cut in zip(EMOTIONS, row, cuts, strict=True)
            if p >= cut and name != best
        ]
        present.append([best, *others])
    return EmotionResult(rows, top, present, model, cuts)


# Lower-case words, as the negation reading splits them.
_WORD = re.compile(r"[a-z]+")
_POSITIVE = [EMOTIONS.index(name) for name in EMOTIONS if EMOTION_SENTIMENT[name] == "positive"]
_NEGATIVE = [EMOTIONS.index(name) for name in EMOTIONS if EMOTION_SENTIMENT[name] == "negative"]
# A small share of the moved score for sadness, so that a text whose head gave anger and
# sadness nothing ("Hopeless": 0.00 and 0.03) still has somewhere to put it: loss, the opposite
# of joy on Plutchik's wheel.
_SADNESS_PRIOR = np.array([0.0, 0.01])


@lru_cache(maxsize=8192)
def _denies_praise(word: str) -> bool:
    """:func:`~advocacy.text.denied_praise.denies_praise` of one word (six letters at least:
    "unkind", "joyless"), remembered: a batch repeats its words."""
    return len(word) >= 6 and denies_praise(word, polarity_lexicon())


def with_denied_praise(
    texts: Sequence[str], probabilities: FloatArray, sentiment: FloatArray
) -> FloatArray:
    """Emotion scores with praise that a word denies read as its loss, not as the praise.

    The head reads a word that denies praise by a prefix or by "-less" through the stem it
    denies: "Hopeless" scored optimism 0.97 (the pieces ``▁hope`` + ``less``), "Unhygienic"
    joy 0.75. Where a text read negative (``sentiment``: columns negative, neutral, positive)
    has a positive emotion (joy, optimism) on top and holds such a word
    (:func:`~advocacy.text.denied_praise.denies_praise`), the positive emotions' score
    moves to anger and sadness in the proportion the head gave them. Other rows are unchanged.

    >>> rows = with_denied_praise(
    ...     ["Hopeless", "I hope it works"],
    ...     np.array([[0.0, 0.0, 0.97, 0.03], [0.0, 0.0, 1.0, 0.0]]),
    ...     np.array([[0.9, 0.05, 0.05], [0.1, 0.1, 0.8]]),
    ... )
    >>> [EMOTIONS[i] for i in rows.argmax(axis=1)]
    ['sadness', 'optimism']
    """
    rows = np.asarray(probabilities)
    candidates = np.flatnonzero(
        (np.asarray(sentiment).argmax(axis=1) == 0) & np.isin(rows.argmax(axis=1), _POSITIVE)
    )
    if not len(candidates):
        return probabilities
    out = np.array(rows, dtype=np.float64)
    for i in candidates:
        text = texts[int(i)] or ""
        if any(_denies_praise(word) for word in _WORD.findall(text.lower()[:10_000])):
            moved = out[i, _POSITIVE].sum()
            weights = out[i, _NEGATIVE] + _SADNESS_PRIOR
            out[i, _NEGATIVE] += moved * weights / weights.sum()
            out[i, _POSITIVE] = 0.0
    return out


def emotions(texts: Sequence[str]) -> EmotionResult:
    """Emotions of each text with the shipped model.

    Parameters
    ----------
    texts
        The texts to read.

    Returns
    -------
    EmotionResult
        Per text the score of each emotion, its clear emotion (None: none) and the emotions
        present, read beside the shipped sentiment (:func:`clear_emotion`).

    Examples
    --------
    >>> emotions(["so angry, they lied to me"]).top
    ['anger']
    """
    from advocacy.text.sentiment import SENTIMENTS
    from advocacy.text.text_model import text_model

    reading = text_model("static").read(texts)
    labels = [SENTIMENTS[i] for i in np.asarray(reading.sentiment).argmax(axis=1)]
    return emotion_result(
        reading.emotions, reading.emotion_model, reading.emotion_thresholds, sentiments=labels
    )
