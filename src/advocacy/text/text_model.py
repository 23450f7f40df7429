"""The configurable text model: which model reads a workspace's texts (setting ``text_model``).

``static`` (the default)
    The shipped models: a multilingual static embedding distilled from multilingual-e5-small
    (``tools/build_encoder.py``) and logistic heads for sentiment, emotion and complaint trained
    on real English text (``tools/build_heads.py``). A head reads a text's embedding with its
    negated words reversed (:mod:`advocacy.text.negation`) beside the negated words alone, so it
    reads "could not fault them" as praise; because the embedding places a word near its
    translations, heads trained on English read German, French, Spanish, Portuguese, Italian and
    Dutch too. NumPy only; thousands of texts per second.
``package.module:factory``
    A user's own embedder: ``factory()`` returns an object with the
    :class:`advocacy.text.embeddings.Embedder` shape. No head exists for an unknown embedding,
    so its sentiment is the workspace calibration (scored comments and taught labels) fitted on
    that embedding stacked with the static model's opinion, and a workspace without enough
    labels is refused; emotions stay with the static model. A larger transformer the user has
    installed plugs in with a few lines, for example with sentence-transformers::

        class MiniLM:
            name, dimension = "all-minilm-l6-v2", 384

            def __init__(self):
                from sentence_transformers import SentenceTransformer
                self.model = SentenceTransformer("/models/all-MiniLM-L6-v2", device="cpu")

            def embed(self, texts):
                return self.model.encode(list(texts), normalize_embeddings=True)

    and ``text_model = mypackage.embedders:MiniLM``.

Every label records the model that produced it (``text_features.model``), so switching models
re-analyses every text on the next ``advocacy text analyze``.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import chain
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import sparse

from advocacy.errors import UsageError
from advocacy.text.embeddings import (
    DEFAULT_EMBEDDER,
    Embedder,
    StaticEmbedder,
    default_embedder,
    model_path,
    unit_rows,
)
from advocacy.text.emotion import with_denied_praise
from advocacy.text.heads import FloatArray, softmax
from advocacy.text.model_names import EMOTION_MODEL, SENTIMENT_MODEL
from advocacy.text.negation import (
    complaint_with_negations,
    denial_decides,
    negation_shift,
    with_negations,
)
from advocacy.text.negation_scope import marked_texts, split_negated
from advocacy.text.neutral_faces import read_neutral_faces
from advocacy.text.sentiment import complaint_with_sentiment, with_complaint
from advocacy.text.word_ngrams import analyzer, lookup

STATIC = "static"


@dataclass(frozen=True)
class ModelNames:
    """The names a text model's readings carry (those of :class:`Reading`), known without
    reading a text (so without loading the model's files).

    Examples
    --------
    >>> text_model("static").names.needs_calibration
    False
    """

    embedder: str
    sentiment_model: str
    emotion_model: str
    needs_calibration: bool = False


@dataclass(frozen=True)
class Reading:
    """What a text model makes of a batch of texts.

    ``embeddings`` is the model's embedding (calibration fits on it), ``sentiment`` and
    ``emotions`` are class probabilities (columns as in ``SENTIMENTS`` and ``EMOTIONS``).

    Attributes
    ----------
    embeddings
        One unit-length row per text.
    sentiment
        Sentiment class probabilities, one row per text.
    emotions
        Emotion scores, one row per text.
    embedder, sentiment_model, emotion_model
        The names of the models that produced each part, recorded with every label.
    needs_calibration
        True when the sentiment is only a starting point and needs a workspace calibration.
    emotion_thresholds
        Per-emotion score cuts for the multi-label set (None: the module default).
    complaint
        Probability that each text is a complaint (None: the model has no complaint head): the
        complaint head and the sentiment combined (``sentiment.complaint_with_sentiment``); a
        text counts as a complaint from ``sentiment.COMPLAINT_CUTOFF`` (0.5).
    negation_embeddings
        The embedding with every negated word's vectors subtracted instead of added (the
        first block of what the shipped heads read, :func:`head_features`), which a
        calibration fits on; None: the model reads no negations (the same as ``embeddings``).

    Examples
    --------
    >>> reading = text_model("static").read(["the refund never came"])
    >>> reading.sentiment.shape, reading.needs_calibration
    ((1, 3), False)
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
    #: Probability that each text is a complaint (None: the model has no complaint head).
    complaint: FloatArray | None = None
    #: The embedding with negated words reversed (None: the model reads no negations).
    negation_embeddings: NDArray[np.float32] | None = None

    def __len__(self) -> int:
        return len(self.sentiment)

    @classmethod
    def concatenate(cls, parts: Sequence[Reading]) -> Reading:
        """One reading of the texts of ``parts``, in order (parts of one batch, one model)."""
        first = parts[0]
        complaints = [part.complaint for part in parts]
        negations = [part.negation_embeddings for part in parts]
        return replace(
            first,
            embeddings=np.concatenate([part.embeddings for part in parts]),
            sentiment=np.concatenate([part.sentiment for part in parts]),
            emotions=np.concatenate([part.emotions for part in parts]),
            complaint=None
            if any(c is None for c in complaints)
            else np.concatenate([c for c in complaints if c is not None]),
            negation_embeddings=None
            if any(n is None for n in negations)
            else np.concatenate([n for n in negations if n is not None]),
        )

    def take(self, rows: NDArray[np.int64]) -> Reading:
        """The reading of the texts at ``rows``, in that order."""
        return replace(
            self,
            embeddings=self.embeddings[rows],
            sentiment=self.sentiment[rows],
            emotions=self.emotions[rows],
            complaint=None if self.complaint is None else self.complaint[rows],
            negation_embeddings=None
            if self.negation_embeddings is None
            else self.negation_embeddings[rows],
        )

    def put(self, rows: NDArray[np.int64], other: Reading, size: int) -> Reading:
        """A reading of ``size`` texts: this one's at ``rows``, ``other``'s in the rest."""
        rest = np.setdiff1d(np.arange(size), rows)

        def merged(mine: NDArray[Any], theirs: NDArray[Any]) -> NDArray[Any]:
            out = np.empty((size, *mine.shape[1:]), dtype=np.result_type(mine, theirs))
            out[rows], out[rest] = mine, theirs
            return out

        complaint = None
        if self.complaint is not None and other.complaint is not None:
            complaint = merged(self.complaint, other.complaint)
        negations = None
        if self.negation_embeddings is not None and other.negation_embeddings is not None:
            negations = merged(self.negation_embeddings, other.negation_embeddings)
        return replace(
            self,
            embeddings=merged(self.embeddings, other.embeddings),
            sentiment=merged(self.sentiment, other.sentiment),
            emotions=merged(self.emotions, other.emotions),
            complaint=complaint,
            negation_embeddings=negations,
        )


class KnownReadings:
    """Readings already made in this run, by text, so that no text is read twice.

    The calibration reads every labelled text; ``text analyze`` then reads the documents, most
    of them the same texts. A model reads each text on its own (nothing in a text's reading
    depends on the others in its batch), so a kept row is the row a new read would give, up
    to the rounding of the last bit in a matrix product of another size.

    Parameters
    ----------
    texts : sequence of str
        The texts read.
    reading : Reading
        Their reading, one row per text.

    Examples
    --------
    >>> model = text_model("static")
    >>> known = KnownReadings(["great staff"], model.read(["great staff"]))
    >>> len(known.read(model, ["awful wait", "great staff"]))
    2
    """

    def __init__(self, texts: Sequence[str], reading: Reading) -> None:
        self.row = {text: i for i, text in enumerate(texts)}
        self.reading = reading

    def read(self, model: StaticTextModel | EmbedderTextModel, texts: Sequence[str]) -> Reading:
        """``model.read(texts)``, reading only the texts not read before."""
        rows = np.fromiter((self.row.get(t, -1) for t in texts), dtype=np.int64, count=len(texts))
        known = np.flatnonzero(rows >= 0)
        if len(known) == len(texts):
            return self.reading.take(rows)
        fresh = model.read([texts[int(i)] for i in np.flatnonzero(rows < 0)])
        if not len(known):
            return fresh
        return self.reading.take(rows[known]).put(known, fresh, len(texts))


def _features(
    texts: Sequence[str], embedder: StaticEmbedder | None = None
) -> tuple[NDArray[np.float32], NDArray[np.float32], list[str]]:
    """A text's embedding, the heads' features (see :func:`head_features`), the n-gram text.

    The features' first block (the embedding with negated words reversed) is
    ``Reading.negation_embeddings``: ``features[:, :d]``.
    """
    embedder = embedder or default_embedder()
    plain, negated = split_negated(texts)
    kept = embedder.sums(embedder.token_rows(plain))
    governed = embedder.sums(embedder.token_rows(negated))
    features = np.hstack([unit_rows(kept - governed), unit_rows(governed)])
    return unit_rows(kept + governed), features, ngram_texts(plain, negated)


def ngram_texts(plain: Sequence[str], negated: Sequence[str]) -> list[str]:
    """What the word n-gram head reads: the text, its negated words marked ``neg_``
    (:func:`~advocacy.text.negation_scope.marked_texts`)."""
    return marked_texts(plain, negated)


def head_features(texts: Sequence[str]) -> NDArray[np.float32]:
    """What the shipped heads read: the embedding with negated words reversed, and theirs alone.

    ``2 x d`` columns: the unit mean of the text's piece vectors with every negated word's
    vectors subtracted instead of added, then the unit mean of the negated words' vectors (a
    zero block when nothing is negated), so a head can learn both "not X reads as the opposite
    of X" and the exceptions.
    """
    return _features(texts)[1]


def sentiment_ngram_texts(texts: Sequence[str]) -> list[str]:
    """:func:`ngram_texts` of ``texts`` (the build trains the n-gram head on them)."""
    return ngram_texts(*split_negated(texts))


def sentiment_log_probabilities(
    features: NDArray[np.float32], coef: NDArray[np.float64], intercept: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Log-probabilities of a multinomial head (the complaint head reads them)."""
    return np.log(np.clip(softmax(features @ coef.T + intercept), 1e-6, 1.0))


@dataclass(frozen=True, eq=False)
class WordNgramHead:
    """A logistic head on TF-IDF word 1-2-grams (English training words; see build_heads).

    ``vocabulary`` maps each n-gram to its column, ``idf`` weighs the columns (scikit-learn's
    smooth idf, sublinear term frequency, unit rows), ``weight`` is the most the head counts.
    """

    vocabulary: dict[str, int]
    idf: NDArray[np.float64]
    coef: NDArray[np.float64]
    intercept: NDArray[np.float64]
    weight: float

    @classmethod
    def from_arrays(cls, data: Any, prefix: str = "ngram") -> WordNgramHead:
        terms = [str(t) for t in data[f"{prefix}_terms"]]
        return cls(
            {term: i for i, term in enumerate(terms)},
            data[f"{prefix}_idf"].astype(np.float64),
            data[f"{prefix}_coef"].astype(np.float64),
            data[f"{prefix}_intercept"].astype(np.float64),
            float(data[f"{prefix}_weight"]),
        )

    def blend(self, embedding: FloatArray, terms: TermBatch) -> FloatArray:
        """``embedding`` probabilities blended with this head's where it knows the words.

        The head's weight is ``weight * coverage ** 2``: a text whose words it never saw
        (another language, new jargon) is read by the embedding head alone.
        """
        ngram, coverage = self.predict_terms(terms)
        share = (self.weight * coverage**2)[:, None]
        return np.asarray((1.0 - share) * embedding + share * ngram, dtype=np.float64)

    def predict(self, texts: list[str]) -> tuple[FloatArray, NDArray[np.float64]]:
        """Class probabilities and, per text, the share of its words the head knows."""
        return self.predict_terms(ngram_terms(texts))

    def predict_terms(self, terms: TermBatch) -> tuple[FloatArray, NDArray[np.float64]]:
        """:meth:`predict` from :func:`ngram_terms` of the texts (one analysis, many heads).

        The same numbers as scikit-learn's ``TfidfVectorizer(sublinear_tf=True)`` with this
        vocabulary and ``idf_``: 1 + log(count) per known n-gram, times its idf, unit rows.
        """
        size = len(terms)
        columns = lookup(self.vocabulary, terms.distinct)[terms.ids]
        known = columns >= 0
        words = terms.is_word[terms.ids]
        word_count = np.bincount(terms.owner[words], minlength=size)
        known_count = np.bincount(terms.owner[words & known], minlength=size)
        coverage = np.divide(
            known_count, word_count, out=np.zeros(size), where=word_count > 0, dtype=np.float64
        )
        matrix = sparse.csr_matrix(
            (np.ones(int(known.sum())), (terms.owner[known], columns[known])),
            shape=(size, len(self.idf)),
            dtype=np.float64,
        )
        matrix.sum_duplicates()
        matrix.data = (1.0 + np.log(matrix.data)) * self.idf[matrix.indices]
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
        matrix = sparse.diags(1.0 / np.where(norms > 0, norms, 1.0)) @ matrix
        probabilities = softmax(np.asarray(matrix @ self.coef.T) + self.intercept)
        return probabilities, coverage


#: The word n-gram features (build and run time must agree).
NGRAM_OPTIONS: dict[str, Any] = {
    "ngram_range": (1, 2),
    "sublinear_tf": True,
    "token_pattern": r"(?u)\b\w[\w']*\b",
    "dtype": np.float64,
}


@dataclass(frozen=True, eq=False)
class TermBatch:
    """The word n-grams of a batch of texts, each distinct n-gram once.

    ``distinct`` lists the batch's n-grams; occurrence ``k`` is n-gram ``ids[k]`` of text
    ``owner[k]``; ``is_word[j]`` says whether ``distinct[j]`` is a single word. A head looks
    each distinct n-gram up once, however often the batch uses it.
    """

    distinct: list[str]
    ids: NDArray[np.int64]
    owner: NDArray[np.int64]
    is_word: NDArray[np.bool_]
    size: int

    def __len__(self) -> int:
        return self.size


def ngram_terms(texts: Sequence[str]) -> TermBatch:
    """Each text's lower-cased words and word pairs, as the n-gram heads count them."""
    analyze = analyzer(NGRAM_OPTIONS["token_pattern"])  # scikit-learn's, at batch speed
    found = [analyze(text) for text in texts]
    lengths = np.fromiter(map(len, found), dtype=np.int64, count=len(found))
    flat = np.fromiter(chain.from_iterable(found), dtype=object, count=int(lengths.sum()))
    ids, uniques = pd.factorize(flat)
    distinct = uniques.tolist() if isinstance(uniques, np.ndarray) else list(uniques)
    ids = np.asarray(ids, dtype=np.int64)
    # A text's n words come first, then its n - 1 pairs (2n - 1 terms): a term is a word
    # where it stands among the first n of its text (every occurrence of a term says the
    # same: a word holds no space, a pair one).
    first = np.cumsum(lengths) - lengths
    words = (lengths + 1) // 2
    owner = np.repeat(np.arange(len(found)), lengths)
    is_word = np.zeros(len(distinct), dtype=np.bool_)
    is_word[ids] = np.arange(len(ids)) - first[owner] < words[owner]
    return TermBatch(distinct, ids, owner, is_word, len(found))


@dataclass(frozen=True, eq=False)
class ShippedHeads:
    """The logistic heads in ``models/heads_e5.npz`` (built by ``tools/build_heads.py``)."""

    sentiment_coef: NDArray[np.float64]
    sentiment_intercept: NDArray[np.float64]
    emotion_coef: NDArray[np.float64]
    emotion_intercept: NDArray[np.float64]
    emotion_thresholds: tuple[float, ...]
    complaint_coef: NDArray[np.float64]
    complaint_intercept: NDArray[np.float64]
    ngrams: WordNgramHead
    emotion_ngrams: WordNgramHead

    @classmethod
    def load(cls) -> ShippedHeads:
        with np.load(model_path("heads_e5.npz"), allow_pickle=False) as data:
            arrays = {
                name: data[name].astype(np.float64) for name in data.files if "ngram_" not in name
            }
            ngrams = WordNgramHead.from_arrays(data)
            emotion_ngrams = WordNgramHead.from_arrays(data, "emotion_ngram")
        thresholds = tuple(float(t) for t in arrays.pop("emotion_thresholds"))
        return cls(
            emotion_thresholds=thresholds, ngrams=ngrams, emotion_ngrams=emotion_ngrams, **arrays
        )

    def embedding_sentiment(self, features: NDArray[np.float32]) -> FloatArray:
        """Sentiment from the embedding head alone (the complaint head reads it)."""
        return softmax(features @ self.sentiment_coef.T + self.sentiment_intercept)

    def sentiment(self, features: NDArray[np.float32], terms: TermBatch) -> FloatArray:
        """The embedding head's sentiment blended with the word n-gram head's (its ``blend``)."""
        return self.ngrams.blend(self.embedding_sentiment(features), terms)

    def emotions(self, features: NDArray[np.float32], terms: TermBatch) -> FloatArray:
        embedding = softmax(features @ self.emotion_coef.T + self.emotion_intercept)
        return self.emotion_ngrams.blend(embedding, terms)

    def complaint(self, features: NDArray[np.float32]) -> FloatArray:
        prior = sentiment_log_probabilities(features, self.sentiment_coef, self.sentiment_intercept)
        logit = np.hstack([features, prior]) @ self.complaint_coef[0] + self.complaint_intercept[0]
        return np.asarray(1.0 / (1.0 + np.exp(-logit)), dtype=np.float64)


@lru_cache(maxsize=1)
def shipped_heads() -> ShippedHeads:
    """The shipped heads (loaded once per process)."""
    return ShippedHeads.load()


class StaticTextModel:
    """The shipped models (setting ``text_model = static``).

    Examples
    --------
    >>> reading = StaticTextModel().read(["great staff", "the refund never came"])
    >>> reading.embeddings.shape[0], reading.complaint is not None
    (2, True)
    """

    name = STATIC

    def __repr__(self) -> str:
        return "StaticTextModel()"

    @property
    def names(self) -> ModelNames:
        """The names its readings carry."""
        return ModelNames(DEFAULT_EMBEDDER, SENTIMENT_MODEL, EMOTION_MODEL)

    def read(self, texts: Sequence[str], *, emotions: bool = True) -> Reading:
        """Sentiment, emotion and complaint probabilities from one tokenisation of ``texts``.

        ``emotions`` False reads the sentiment alone (the per-sentence pass): no emotion
        columns and no complaint column (the complaint head still moves the sentiment). The
        complaint column combines the head with the sentiment read before the head moved it.
        """
        embeddings, features, ngram_texts = _features(texts)
        terms = ngram_terms(ngram_texts)  # one analysis for both n-gram heads
        heads = shipped_heads()
        shift = negation_shift(texts)  # English negations read against a polarity lexicon
        decides = denial_decides(texts, shift)  # a short answer that only denies a fault
        head = complaint_with_negations(heads.complaint(features), shift, decides)
        tone = with_negations(heads.sentiment(features, terms), shift, decides)
        tone, head = read_neutral_faces(texts, tone, head)  # "😐" alone is "meh", not blame
        names = self.names
        return Reading(
            embeddings,
            with_complaint(tone, head),
            # "Hopeless" is no optimism, whatever its stem's pieces say
            with_denied_praise(texts, heads.emotions(features, terms), tone)
            if emotions
            else np.zeros((len(texts), 0)),
            names.embedder,
            names.sentiment_model,
            names.emotion_model,
            emotion_thresholds=heads.emotion_thresholds,
            complaint=complaint_with_sentiment(head, tone) if emotions else None,
            # A calibration reads "not happy" as the shipped heads do, not as "happy".
            negation_embeddings=np.ascontiguousarray(features[:, : embeddings.shape[1]]),
        )


class EmbedderTextModel:
    """A user's own embedder (``package.module:factory``), which has no heads of its own.

    Its sentiment is the workspace calibration (scored comments and taught labels) fitted on
    its embedding; until then the static model's reading stands in, marked as needing that
    calibration. Emotions stay with the static model.

    Parameters
    ----------
    embedder : Embedder
        Turns texts into unit-length vectors.
    name : str
        The setting value that chose it (``package.module:factory``).

    Examples
    --------
    >>> from advocacy.text import default_embedder
    >>> model = EmbedderTextModel(default_embedder(), name="my-embedder")
    >>> model.read(["great staff"]).needs_calibration
    True
    """

    def __init__(self, embedder: Embedder, *, name: str) -> None:
        self.embedder = embedder
        self.name = name

    def __repr__(self) -> str:
        return f"EmbedderTextModel(name={self.name!r}, embedder={self.embedder.name!r})"

    @property
    def names(self) -> ModelNames:
        """The names its readings carry: its embedder's, the static model's heads', and that
        its sentiment needs a workspace calibration."""
        static = StaticTextModel().names
        return ModelNames(
            self.embedder.name, static.sentiment_model, static.emotion_model, needs_calibration=True
        )

    def read(self, texts: Sequence[str], *, emotions: bool = True) -> Reading:
        """Embed ``texts``; sentiment and emotions from the static model until calibrated.

        ``emotions`` False leaves the emotion columns out (the per-sentence pass).
        """
        vectors = np.asarray(self.embedder.embed(list(texts)), dtype=np.float32)
        if vectors.shape != (len(texts), self.embedder.dimension):
            raise UsageError(
                f"embedder {self.embedder.name!r} returned an array of shape {vectors.shape} "
                f"for {len(texts)} texts",
                value=self.name,
                parameter="text_model",
                fix=f"embed must return one row of {self.embedder.dimension} numbers per text",
            )
        static = StaticTextModel().read(texts, emotions=emotions)
        names = self.names
        return Reading(
            vectors,
            static.sentiment,
            static.emotions,
            names.embedder,
            names.sentiment_model,
            names.emotion_model,
            needs_calibration=names.needs_calibration,
            emotion_thresholds=static.emotion_thresholds,
        )


def _imported(spec: str) -> Any:
    module_name, _, attribute = spec.partition(":")
    try:
        factory = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError) as error:
        raise UsageError(
            f"cannot import the text model {spec!r}: {error}",
            value=spec,
            parameter="text_model",
            fix="use static or package.module:factory naming an importable callable",
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
    if ":" in chosen and all(part.strip() for part in chosen.split(":", 1)):
        return EmbedderTextModel(_imported(chosen), name=chosen)
    raise UsageError(
        f"unknown text model {chosen!r}",
        value=chosen,
        parameter="text_model",
        fix="use static or package.module:factory",
    )
