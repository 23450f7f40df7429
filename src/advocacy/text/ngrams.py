"""Hashed word and character n-grams with TF-IDF weights: the surface-form half of a text model.

Static embeddings average sub-word vectors and so blur negation, emphasis and the odd spelling
("sooo", "!!!", "not happy"); a linear model on n-grams sees them. Each text becomes two hashed
count vectors (:class:`NgramCounter`): word 1-2-grams (punctuation ``!`` and ``?`` kept as words)
and character 2-5-grams within word boundaries, each of 2**20 columns. Counts are damped
(1 + log count), weighted by inverse document frequency learnt on the training texts, and each
block is scaled to unit length, as scikit-learn's ``TfidfTransformer(sublinear_tf=True)`` does
(Salton & Buckley 1988). :class:`NgramHead` holds the IDF weights and a multinomial logistic head
as sparse arrays, so the shipped file stays small and prediction needs NumPy and SciPy only;
hashing uses scikit-learn's stateless ``HashingVectorizer`` (MurmurHash3, no fitted vocabulary).

References
----------
Salton, G. & Buckley, C. (1988). Term-weighting approaches in automatic text retrieval.
Information Processing & Management 24(5), 513-523.
Weinberger, K. et al. (2009). Feature hashing for large scale multitask learning. ICML 2009.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from advocacy.errors import UsageError
from advocacy.text.heads import FloatArray, softmax

#: Columns of each hashed block (word n-grams, character n-grams).
HASH_COLUMNS = 2**20
WORD_PATTERN = r"(?u)\b\w+\b|[!?]"


@lru_cache(maxsize=1)
def _vectorisers() -> tuple[Any, Any]:
    from sklearn.feature_extraction.text import HashingVectorizer

    common: dict[str, Any] = {
        "n_features": HASH_COLUMNS,
        "alternate_sign": False,
        "norm": None,
        "lowercase": True,
        "dtype": np.float32,
    }
    words = HashingVectorizer(ngram_range=(1, 2), token_pattern=WORD_PATTERN, **common)
    characters = HashingVectorizer(analyzer="char_wb", ngram_range=(2, 5), **common)
    return words, characters


def ngram_counts(texts: Sequence[str]) -> sparse.csr_matrix:
    """Hashed counts, word block then character block (n x 2**21, sparse)."""
    words, characters = _vectorisers()
    cleaned = [text or "" for text in texts]
    return sparse.hstack([words.transform(cleaned), characters.transform(cleaned)], format="csr")


def _unit_blocks(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    """Scale the word block and the character block of each row to unit length."""
    out = matrix.tocsr(copy=True)
    block = (out.indices >= HASH_COLUMNS).astype(np.int64)
    rows = np.repeat(np.arange(out.shape[0]), np.diff(out.indptr))
    squares = np.zeros((out.shape[0], 2))
    np.add.at(squares, (rows, block), out.data.astype(np.float64) ** 2)
    norms = np.sqrt(squares)[rows, block]
    out.data = (out.data / np.where(norms > 0, norms, 1.0)).astype(np.float32)
    return out


def tfidf(counts: sparse.csr_matrix, idf: NDArray[Any]) -> sparse.csr_matrix:
    """Damped counts times ``idf`` (dense, one weight per column), unit length per block."""
    weighted = counts.tocsr(copy=True).astype(np.float32)
    weighted.data = (1.0 + np.log(weighted.data)) * idf[weighted.indices]
    return _unit_blocks(weighted)


def fit_idf(counts: sparse.csr_matrix) -> NDArray[np.float32]:
    """Smoothed inverse document frequency, ``1 + ln((1 + n) / (1 + df))``, per column."""
    n = counts.shape[0]
    frequency = np.bincount(counts.tocsr().indices, minlength=counts.shape[1])
    idf: NDArray[np.float32] = (1.0 + np.log((1.0 + n) / (1.0 + frequency))).astype(np.float32)
    return idf


class NgramHead:
    """A logistic head over TF-IDF-weighted hashed n-grams, stored sparsely.

    Parameters
    ----------
    classes : sequence of str
        Class names, in the column order of :meth:`predict_proba`.
    """

    def __init__(self, classes: Sequence[str]) -> None:
        self.classes = tuple(classes)

    def __repr__(self) -> str:
        fitted = f", {len(self.columns_):,} weighted n-grams" if hasattr(self, "columns_") else ""
        return f"NgramHead(classes={list(self.classes)}{fitted})"

    def set_weights(
        self, idf: NDArray[Any], coef: NDArray[Any], intercept: NDArray[Any]
    ) -> NgramHead:
        """Keep the columns with a non-zero weight: ``idf`` (m), ``coef`` (m x k), ``intercept``."""
        used = np.flatnonzero(np.abs(np.asarray(coef)).sum(axis=1) > 0)
        # A column no training text had carries the largest IDF; one number stands for them all.
        self.unseen_idf_ = float(np.max(idf))
        self.columns_ = used.astype(np.int32)
        self.idf_ = np.asarray(idf, dtype=np.float32)[used]
        self.coef_ = np.asarray(coef, dtype=np.float32)[used]
        self.intercept_ = np.asarray(intercept, dtype=np.float64)
        self._dense_idf: NDArray[np.float32] | None = None
        self._dense_coef: NDArray[np.float32] | None = None
        return self

    def to_arrays(self, prefix: str) -> dict[str, NDArray[Any]]:
        """The fitted weights as arrays for an ``.npz`` file, names starting with ``prefix``."""
        self._check_fitted()
        return {
            f"{prefix}columns": self.columns_,
            f"{prefix}idf": self.idf_.astype(np.float16),
            f"{prefix}coef": self.coef_.astype(np.float16),
            f"{prefix}intercept": self.intercept_.astype(np.float32),
            f"{prefix}unseen_idf": np.asarray(self.unseen_idf_, dtype=np.float32),
        }

    @classmethod
    def from_arrays(cls, data: Any, prefix: str, classes: Sequence[str]) -> NgramHead:
        """Read what :meth:`to_arrays` wrote."""
        head = cls(classes)
        head.columns_ = np.asarray(data[f"{prefix}columns"], dtype=np.int32)
        head.idf_ = np.asarray(data[f"{prefix}idf"], dtype=np.float32)
        head.coef_ = np.asarray(data[f"{prefix}coef"], dtype=np.float32)
        head.intercept_ = np.asarray(data[f"{prefix}intercept"], dtype=np.float64)
        head.unseen_idf_ = float(data[f"{prefix}unseen_idf"])
        head._dense_idf = None
        head._dense_coef = None
        return head

    def _check_fitted(self) -> None:
        if not hasattr(self, "columns_"):
            raise UsageError(
                "this NgramHead has no weights yet", fix="call set_weights or from_arrays first"
            )

    def predict_proba(self, counts: sparse.csr_matrix) -> FloatArray:
        """Class probabilities from :func:`ngram_counts` output."""
        self._check_fitted()
        if self._dense_idf is None or self._dense_coef is None:
            # Columns without a weight still count towards each block's length, as in training.
            dense = np.full(2 * HASH_COLUMNS, self.unseen_idf_, dtype=np.float32)
            dense[self.columns_] = self.idf_
            self._dense_idf = dense
            # A dense weight matrix (2**21 x k, ~25 MB) makes prediction one sparse product.
            coef = np.zeros((2 * HASH_COLUMNS, self.coef_.shape[1]), dtype=np.float32)
            coef[self.columns_] = self.coef_
            self._dense_coef = coef
        logits = tfidf(counts, self._dense_idf) @ self._dense_coef
        return softmax(np.asarray(logits, dtype=np.float64) + self.intercept_)
