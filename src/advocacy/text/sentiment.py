"""Sentiment of texts: negative/neutral/positive with a score in -1..1, per text and per sentence.

The shipped model (a logistic head on the multilingual static embedding, see
:mod:`advocacy.text.text_model`; trained by ``tools/build_heads.py`` on real English tweets,
Reddit comments, reviews and the project's own customer comments) reads tone in the languages of
:data:`advocacy.text.language.SENTIMENT_LANGUAGES` (English only, for now: on other languages it
was measured too close to a guess, docs/benchmarks.md); a text in any other language gets no
sentiment, with the reason "language not supported". A document's sentences are labelled by the
same model (:func:`sentence_spans`, :func:`sentence_sentiment`). English negations are read on
top (:mod:`advocacy.text.negation`): "could not fault them" and "never had a problem" are
praise, "would not recommend" and "the refund never came" are blame; and the complaint head's
reading counts towards a negative (:func:`with_complaint`).

Customer feedback often states a bad outcome in a neutral tone ("flight delayed 3 hours, missed
my connection"), so a workspace *calibrates*: :mod:`advocacy.text.calibration` corrects the
model with the workspace's own comments whose scores say how the customer felt, plus any labels
the user taught. Each label records the model that made it.

References
----------
Rosenthal, S., Farra, N. & Nakov, P. (2017). SemEval-2017 task 4: sentiment analysis in Twitter.
Barbieri, F. et al. (2020). TweetEval: unified benchmark for tweet classification. Findings of
EMNLP 2020 (RoBERTa-base macro-recall 71.3 on the sentiment test split).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from advocacy.errors import UsageError
from advocacy.text.heads import FloatArray, softmax

if TYPE_CHECKING:
    from advocacy.text.calibration import CalibratedSentiment

SENTIMENTS = ("negative", "neutral", "positive")
#: How much the complaint head's log-odds count towards a negative (logits per logit). Chosen
#: among 0.25, 0.5 and 1 on review sentences and reviews no benchmark scores (SemEval-2014
#: train, the Blitzer halves that only teach; ``benchmarks/sentiment_adaptation.py``).
COMPLAINT_WEIGHT = 0.25
#: How much the sentiment's negative log-odds count in the complaint probability (logits per
#: logit), and the logits added so that a complaint probability of 0.5 is the cutoff with the
#: best F1 out of domain. Both chosen leave-one-domain-out on rows no benchmark scores
#: (Banking77 train, SemEval-2014 train, the Blitzer halves that only teach;
#: ``benchmarks/complaint_eval.py``).
NEGATIVE_WEIGHT = 1.5
COMPLAINT_OFFSET = 2.2
#: The complaint probability from which a text counts as a complaint (the benchmarks score the
#: complaint signal at it; the angry-mention case rule asks for its own, stricter level).
COMPLAINT_CUTOFF = 0.5
# A sentence ends after . ! ? (and any closing quotes or brackets) before white space, or at a
# line break.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+|\s*\n\s*")


@dataclass(frozen=True)
class SentimentResult:
    """Labels, scores (P(positive) - P(negative), in -1..1) and class probabilities.

    Attributes
    ----------
    labels
        ``negative``, ``neutral`` or ``positive`` per text.
    scores
        P(positive) - P(negative) per text, in -1..1.
    probabilities
        One row per text, columns in the order of ``SENTIMENTS``.
    model
        The model that produced them.

    Examples
    --------
    >>> result = sentiment(["I love it", "worst service ever"])
    >>> [bool(score > 0) for score in result.scores], result.probabilities.shape
    ([True, False], (2, 3))
    """

    labels: list[str]
    scores: FloatArray
    probabilities: FloatArray
    model: str


def sentiment_result(probabilities: FloatArray, model: str) -> SentimentResult:
    """Labels and scores from class probabilities (columns as in ``SENTIMENTS``)."""
    labels = [SENTIMENTS[i] for i in probabilities.argmax(axis=1)]
    return SentimentResult(labels, probabilities[:, 2] - probabilities[:, 0], probabilities, model)


def with_complaint(probabilities: FloatArray, complaint: FloatArray) -> FloatArray:
    """Sentiment probabilities (columns as in ``SENTIMENTS``) with the complaint head's reading.

    Customer feedback often reports a bad outcome in a neutral tone ("my card has not arrived
    yet", "flight delayed 3 hours"): the complaint head, trained on such reports, says so. The
    negative log-probability gains :data:`COMPLAINT_WEIGHT` times the complaint log-odds (a
    text at complaint probability 0.5 is unchanged; 0.95 adds 0.74 logits, 0.05 takes 0.74).

    >>> p = np.array([[0.30, 0.45, 0.25]])
    >>> with_complaint(p, np.array([0.97])).argmax(axis=1).tolist()
    [0]
    """
    odds = np.clip(np.asarray(complaint, dtype=np.float64), 1e-6, 1 - 1e-6)
    logits = np.log(np.clip(probabilities, 1e-12, 1.0))
    logits[:, 0] += COMPLAINT_WEIGHT * np.log(odds / (1 - odds))
    return softmax(logits)


def complaint_with_sentiment(complaint: FloatArray, probabilities: FloatArray) -> FloatArray:
    """The complaint probability: the complaint head's reading and the sentiment's, combined.

    The complaint head (trained on customers' problem reports against their requests) knows
    that "my card has not arrived" is a complaint and "how do I top up" is not; the sentiment
    knows dissatisfaction in any kind of text ("the dessert was far too sweet"). The complaint
    log-odds are the head's plus :data:`NEGATIVE_WEIGHT` times the sentiment's negative
    log-odds (negative against the other two classes) plus :data:`COMPLAINT_OFFSET`, so
    that :data:`COMPLAINT_CUTOFF` (0.5) is where a text counts as a complaint. Pass the
    sentiment before :func:`with_complaint` (which already reads the head).

    >>> head = np.array([0.5, 0.5])
    >>> moved = complaint_with_sentiment(head, np.array([[0.8, 0.15, 0.05], [0.05, 0.9, 0.05]]))
    >>> (moved >= COMPLAINT_CUTOFF).tolist()
    [True, False]
    """
    head = np.clip(np.asarray(complaint, dtype=np.float64), 1e-6, 1 - 1e-6)
    negative = np.clip(np.asarray(probabilities, dtype=np.float64)[:, 0], 1e-6, 1 - 1e-6)
    logit = (
        np.log(head / (1 - head))
        + NEGATIVE_WEIGHT * np.log(negative / (1 - negative))
        + COMPLAINT_OFFSET
    )
    return np.asarray(1.0 / (1.0 + np.exp(-logit)), dtype=np.float64)


def sentiment(texts: Sequence[str]) -> SentimentResult:
    """Sentiment of each text with the shipped model.

    Parameters
    ----------
    texts
        The texts to read.

    Returns
    -------
    SentimentResult
        Per text a label (negative, neutral, positive), a score in -1..1 and the class
        probabilities, with the name of the model that produced them.

    Examples
    --------
    >>> sentiment(["I love it", "worst service ever"]).labels
    ['positive', 'negative']
    """
    from advocacy.text.text_model import text_model

    reading = text_model("static").read(texts)
    return sentiment_result(reading.sentiment, reading.sentiment_model)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) character offsets of each sentence of ``text``, white space trimmed.

    A sentence ends after ``.``, ``!`` or ``?`` followed by white space, or at a line break.

    Parameters
    ----------
    text
        One comment.

    Returns
    -------
    list of tuple of int
        (start, end) per sentence, in text order.

    Examples
    --------
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
    """(sentence, label, score) for each sentence of ``text``.

    Parameters
    ----------
    text
        One comment.

    Returns
    -------
    list of tuple
        (sentence, ``negative``/``neutral``/``positive``, score in -1..1) in text order;
        empty for text without sentences.

    Examples
    --------
    >>> [label for _, label, _ in sentence_sentiment("Great staff. But the refund took weeks!")]
    ['positive', 'negative']
    """
    sentences = split_sentences(text)
    if not sentences:
        return []
    result = sentiment(sentences)
    return [
        (s, label, float(v))
        for s, label, v in zip(sentences, result.labels, result.scores, strict=True)
    ]


def check_sentiment_head(embedder: str, *, needs_calibration: bool) -> None:
    """Refuse to read sentiment without a calibration with a model that has no sentiment head
    of its own (``needs_calibration``: a user's ``embedder``).

    Raises
    ------
    UsageError
        When ``needs_calibration``.
    """
    if needs_calibration:
        raise UsageError(
            f"the text model {embedder!r} has no sentiment head of its own and this "
            "workspace has no calibration",
            value=embedder,
            parameter="text_model",
            fix="import scored comments or teach labels (advocacy text teach "
            "FILE), or set text_model to static",
        )


def reading_sentiment(
    reading: Any, calibrated: CalibratedSentiment | None, *, texts: Sequence[str] | None = None
) -> SentimentResult:
    """Sentiment from a text model's reading, through the workspace calibration if given.

    A model without a sentiment head of its own (a user's embedder) needs the calibration;
    ``texts`` (the texts read) are needed by a calibration that stacks a TF-IDF model.
    """
    if calibrated is not None:
        return calibrated.predict_reading(reading, texts=texts)
    check_sentiment_head(reading.embedder, needs_calibration=reading.needs_calibration)
    labels = [SENTIMENTS[i] for i in reading.sentiment.argmax(axis=1)]
    scores = reading.sentiment[:, 2] - reading.sentiment[:, 0]
    return SentimentResult(labels, scores, reading.sentiment, reading.sentiment_model)
