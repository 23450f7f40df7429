"""Sentiment of texts: negative/neutral/positive with a score in -1..1, per text and per sentence.

The shipped model (``models/sentiment.npz``, built by ``models/build_models.py`` on TweetEval
sentiment, Rosenthal et al. 2017; Barbieri et al. 2020) reads tone. Customer feedback often
states a bad outcome in a neutral tone ("flight delayed 3 hours, missed my connection"), so a
workspace *calibrates*: :class:`CalibratedSentiment` fits a head on the workspace's own comments
whose NPS or CSAT says how the customer felt, plus any labels the user taught, over the generic
embedding and the generic model's log-probabilities. Each label records the model that made it.

References
----------
Rosenthal, S., Farra, N. & Nakov, P. (2017). SemEval-2017 task 4: sentiment analysis in Twitter.
Barbieri, F. et al. (2020). TweetEval: unified benchmark for tweet classification. Findings of
EMNLP 2020 (RoBERTa-base macro-recall 71.3 on the sentiment test split).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

from advocacy.errors import UsageError
from advocacy.text.embeddings import default_embedder, model_path
from advocacy.text.heads import FloatArray, LinearHead, TokenClassifier

SENTIMENTS = ("negative", "neutral", "positive")
DEFAULT_SENTIMENT_MODEL = "tweeteval-sentiment-static-v1"
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=\S)|\n+")


@dataclass(frozen=True)
class SentimentResult:
    """Labels, scores (P(positive) - P(negative), in -1..1) and class probabilities."""

    labels: list[str]
    scores: FloatArray
    probabilities: FloatArray
    model: str


def _result(probabilities: FloatArray, model: str) -> SentimentResult:
    labels = [SENTIMENTS[i] for i in probabilities.argmax(axis=1)]
    return SentimentResult(labels, probabilities[:, 2] - probabilities[:, 0], probabilities, model)


@lru_cache(maxsize=1)
def default_sentiment_model() -> TokenClassifier:
    """The shipped sentiment model (loaded once per process)."""
    return TokenClassifier.load(model_path("sentiment.npz"), name=DEFAULT_SENTIMENT_MODEL)


def sentiment(texts: Sequence[str]) -> SentimentResult:
    """Sentiment of each text with the shipped model.

    >>> sentiment(["I love it", "worst service ever"]).labels
    ['positive', 'negative']
    """
    embedder = default_embedder()
    ids = embedder.token_ids(texts)
    return sentiment_from_ids(ids, embedder.embed_ids(ids))


def sentiment_from_ids(ids: list[list[int]], embeddings: NDArray[Any]) -> SentimentResult:
    """Sentiment from the default embedder's token ids and embeddings of the same texts."""
    model = default_sentiment_model()
    return _result(model.predict_proba_ids(ids, embeddings), model.name)


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text`` (split after . ! ? and at line breaks)."""
    return [part.strip() for part in _SENTENCE.split(text or "") if part and part.strip()]


def sentence_sentiment(text: str) -> list[tuple[str, str, float]]:
    """(sentence, label, score) for each sentence of ``text``."""
    sentences = split_sentences(text)
    if not sentences:
        return []
    result = sentiment(sentences)
    return [
        (s, label, float(v))
        for s, label, v in zip(sentences, result.labels, result.scores, strict=True)
    ]


def label_from_scores(
    nps: float | None = None,
    csat: float | None = None,
    *,
    csat_min: float = 1,
    csat_max: float = 5,
) -> str | None:
    """The sentiment a score implies: NPS 0-6/7-8/9-10, CSAT bottom/middle/top of its scale."""
    if nps is not None and nps == nps:
        return "negative" if nps <= 6 else ("neutral" if nps <= 8 else "positive")
    if csat is not None and csat == csat:
        position = (csat - csat_min) / max(csat_max - csat_min, 1e-9)
        return "negative" if position < 0.5 else ("positive" if position >= 0.99 else "neutral")
    return None


class CalibratedSentiment:
    """A per-workspace sentiment head over the generic embedding and the generic model's opinion.

    Parameters
    ----------
    l2 : float
        Penalty of the logistic head (more labels allow a smaller one).
    taught_weight : float
        How much one user-taught label counts relative to one score-derived label.

    References
    ----------
    Wolpert, D. (1992). Stacked generalization. Neural Networks 5(2), 241-259.
    """

    def __init__(self, *, l2: float = 1e-4, taught_weight: float = 3.0) -> None:
        self.l2 = l2
        self.taught_weight = taught_weight

    def __repr__(self) -> str:
        fitted = f", fitted on {self.n_labels_} labels" if hasattr(self, "head_") else ""
        return f"CalibratedSentiment(l2={self.l2}, taught_weight={self.taught_weight}{fitted})"

    @staticmethod
    def features(texts: Sequence[str]) -> NDArray[np.float64]:
        """Generic embedding plus the generic model's log-probabilities."""
        embedder = default_embedder()
        ids = embedder.token_ids(texts)
        embeddings = embedder.embed_ids(ids)
        return CalibratedSentiment.features_from(ids, embeddings)

    @staticmethod
    def features_from(ids: list[list[int]], embeddings: NDArray[Any]) -> NDArray[np.float64]:
        """:meth:`features` from token ids and embeddings already computed."""
        generic = default_sentiment_model().predict_proba_ids(ids, embeddings)
        return np.hstack([embeddings, np.log(np.clip(generic, 1e-6, 1))])

    def fit(
        self, texts: Sequence[str], labels: Sequence[str], *, taught: Sequence[bool] | None = None
    ) -> CalibratedSentiment:
        """Fit on texts and their labels; ``taught`` marks user-taught labels (weighted up)."""
        if len(texts) != len(labels) or len(texts) < 10:
            raise UsageError(
                f"calibration needs at least 10 labelled texts, one label each (got {len(texts)})",
                fix="teach more labels (advocacy text teach FILE) or import scored comments",
            )
        marks = np.zeros(len(texts), bool) if taught is None else np.asarray(taught, bool)
        weight = np.where(marks, self.taught_weight, 1.0)
        self.head_ = LinearHead(SENTIMENTS, l2=self.l2).fit(
            self.features(texts), np.asarray(labels), sample_weight=weight
        )
        self.n_labels_ = len(texts)
        self.n_taught_ = int(marks.sum())
        digest = hashlib.sha256(self.head_.coef_.tobytes()).hexdigest()[:8]
        self.name_ = f"{DEFAULT_SENTIMENT_MODEL}+workspace-{digest}"
        return self

    def predict(self, texts: Sequence[str]) -> SentimentResult:
        """Sentiment from the calibrated head."""
        if not hasattr(self, "head_"):
            raise UsageError("CalibratedSentiment is not fitted", fix="call fit(texts, labels)")
        return _result(self.head_.predict_proba(self.features(texts)), self.name_)

    def predict_features(self, features: NDArray[Any]) -> SentimentResult:
        """Sentiment from :meth:`features_from` output."""
        if not hasattr(self, "head_"):
            raise UsageError("CalibratedSentiment is not fitted", fix="call fit(texts, labels)")
        return _result(self.head_.predict_proba(features), self.name_)

    def summary(self) -> dict[str, Any]:
        """Labels used and the model name the calibrated labels record."""
        if not hasattr(self, "head_"):
            raise UsageError("CalibratedSentiment is not fitted", fix="call fit(texts, labels)")
        return {"model": self.name_, "labels": self.n_labels_, "taught": self.n_taught_}
