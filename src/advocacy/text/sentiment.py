"""Sentiment of texts: negative/neutral/positive with a score in -1..1, per text and per sentence.

The shipped model (a logistic head on the multilingual static embedding, see
:mod:`advocacy.text.text_model`; trained by ``models/build_heads.py`` on real tweets, Reddit
comments, reviews and the project's own customer comments) reads tone in English, German,
French, Spanish, Portuguese, Italian and Dutch. A document's sentences are labelled by the same
model (:func:`sentence_spans`, :func:`sentence_sentiment`).

Customer feedback often states a bad outcome in a neutral tone ("flight delayed 3 hours, missed
my connection"), so a workspace *calibrates*: :class:`CalibratedSentiment` fits a head on the
workspace's own comments whose NPS or CSAT says how the customer felt, plus any labels the user
taught, over the text model's embedding and its generic log-probabilities. Each label records
the model that made it.

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
from typing import Any

import numpy as np
from numpy.typing import NDArray

from advocacy.errors import UsageError
from advocacy.text.heads import FloatArray, LinearHead

SENTIMENTS = ("negative", "neutral", "positive")
# A sentence ends after . ! ? (and any closing quotes or brackets) before white space, or at a
# line break.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+|\s*\n\s*")


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


def sentiment(texts: Sequence[str]) -> SentimentResult:
    """Sentiment of each text with the shipped model.

    >>> sentiment(["I love it", "worst service ever"]).labels
    ['positive', 'negative']
    """
    from advocacy.text.text_model import text_model

    reading = text_model("static").read(texts)
    return _result(reading.sentiment, reading.sentiment_model)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) character offsets of each sentence of ``text``, white space trimmed.

    A sentence ends after ``.``, ``!`` or ``?`` followed by white space, or at a line break.

    >>> text = "Great staff. But the refund took weeks!"
    >>> [text[start:end] for start, end in sentence_spans(text)]
    ['Great staff.', 'But the refund took weeks!']
    """
    spans, start = [], 0
    source = text or ""
    for boundary in [*_SENTENCE_END.finditer(source), None]:
        end = len(source) if boundary is None else boundary.start()
        if boundary is not None and source[end : boundary.end()].strip():
            end += len(source[end : boundary.end()].rstrip())  # keep closing quotes/brackets
        piece = source[start:end]
        stripped = piece.strip()
        if stripped:
            first = start + len(piece) - len(piece.lstrip())
            spans.append((first, first + len(stripped)))
        if boundary is not None:
            start = boundary.end()
    return spans


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text`` (see :func:`sentence_spans`)."""
    return [text[start:end] for start, end in sentence_spans(text)]


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
    """A per-workspace sentiment head over a text model's embedding and its generic opinion.

    Parameters
    ----------
    l2 : float
        Penalty of the logistic head (more labels allow a smaller one).
    taught_weight : float
        How much one user-taught label counts relative to one score-derived label.
    text_model : str
        The ``text_model`` setting value whose reading is calibrated (default ``static``).

    References
    ----------
    Wolpert, D. (1992). Stacked generalization. Neural Networks 5(2), 241-259.
    """

    def __init__(
        self, *, l2: float = 1e-4, taught_weight: float = 3.0, text_model: str = "static"
    ) -> None:
        self.l2 = l2
        self.taught_weight = taught_weight
        self.text_model = text_model

    def __repr__(self) -> str:
        fitted = f", fitted on {self.n_labels_} labels" if hasattr(self, "head_") else ""
        return (
            f"CalibratedSentiment(l2={self.l2}, taught_weight={self.taught_weight}, "
            f"text_model={self.text_model!r}{fitted})"
        )

    def read(self, texts: Sequence[str]) -> Any:
        """The configured text model's :class:`~advocacy.text.text_model.Reading` of texts."""
        from advocacy.text.text_model import text_model

        return text_model(self.text_model).read(texts)

    @staticmethod
    def features_from(reading: Any) -> NDArray[np.float64]:
        """The model's embedding plus its generic sentiment log-probabilities."""
        return np.hstack([reading.embeddings, np.log(np.clip(reading.sentiment, 1e-6, 1))])

    def features(self, texts: Sequence[str]) -> NDArray[np.float64]:
        """:meth:`features_from` the configured model's reading of ``texts``."""
        return self.features_from(self.read(texts))

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
        reading = self.read(texts)
        self.head_ = LinearHead(SENTIMENTS, l2=self.l2).fit(
            self.features_from(reading), np.asarray(labels), sample_weight=weight
        )
        self.n_labels_ = len(texts)
        self.n_taught_ = int(marks.sum())
        digest = hashlib.sha256(self.head_.coef_.tobytes()).hexdigest()[:8]
        base = reading.sentiment_model
        if reading.needs_calibration:
            base = f"{base}+{reading.embedder}"
        self.name_ = f"{base}+workspace-{digest}"
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "head_"):
            raise UsageError("CalibratedSentiment is not fitted", fix="call fit(texts, labels)")

    def predict(self, texts: Sequence[str]) -> SentimentResult:
        """Sentiment from the calibrated head."""
        self._check_fitted()
        return self.predict_reading(self.read(texts))

    def predict_reading(self, reading: Any) -> SentimentResult:
        """Sentiment from a reading of the configured text model (see :meth:`read`)."""
        self._check_fitted()
        return _result(self.head_.predict_proba(self.features_from(reading)), self.name_)

    def summary(self) -> dict[str, Any]:
        """Labels used and the model name the calibrated labels record."""
        self._check_fitted()
        return {"model": self.name_, "labels": self.n_labels_, "taught": self.n_taught_}


def reading_sentiment(reading: Any, calibrated: CalibratedSentiment | None) -> SentimentResult:
    """Sentiment from a text model's reading, through the workspace calibration if given.

    A model without a sentiment head of its own (a user's embedder) needs the calibration.
    """
    if calibrated is not None:
        return calibrated.predict_reading(reading)
    if reading.needs_calibration:
        raise UsageError(
            f"the text model {reading.embedder!r} has no sentiment head of its own and this "
            "workspace has no calibration",
            value=reading.embedder,
            parameter="text_model",
            fix="import at least 10 scored comments or teach labels (advocacy text teach "
            "FILE), or set text_model to static",
        )
    labels = [SENTIMENTS[i] for i in reading.sentiment.argmax(axis=1)]
    scores = reading.sentiment[:, 2] - reading.sentiment[:, 0]
    return SentimentResult(labels, scores, reading.sentiment, reading.sentiment_model)
