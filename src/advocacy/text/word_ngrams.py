"""Word 1-2-grams of many texts, as scikit-learn's vectorizers count them, at batch speed.

Three models read word n-grams: the shipped sentiment and emotion n-gram heads
(:mod:`advocacy.text.text_model`) and the TF-IDF model a calibration stacks
(:mod:`advocacy.text.calibration_tfidf`). scikit-learn's analyzer builds each word pair by
slicing and joining in a Python loop per position, and ``CountVectorizer.transform`` looks each
occurrence up in a dict: more than the heads themselves cost. :func:`analyzer` gives the very
lists of n-grams the vectorizer's analyzer gives (lower-cased, its token pattern, words then
pairs in text order), and :func:`count_matrix` the very count matrix ``transform`` builds, with
one hash look-up per distinct n-gram of a batch (``tests/text/test_word_ngrams.py`` compares
both with scikit-learn on real reviews and hostile strings).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from itertools import chain, pairwise

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import sparse

#: scikit-learn's default token pattern (words of two or more characters).
DEFAULT_TOKEN_PATTERN = r"(?u)\b\w\w+\b"


@lru_cache(maxsize=8)
def analyzer(token_pattern: str = DEFAULT_TOKEN_PATTERN) -> Callable[[str], list[str]]:
    """A text's words and word pairs, as ``TfidfVectorizer(ngram_range=(1, 2),
    token_pattern=token_pattern).build_analyzer()`` gives them (lower-cased, no stop words).

    >>> analyzer()("Great staff, GREAT food")
    ['great', 'staff', 'great', 'food', 'great staff', 'staff great', 'great food']
    """
    findall = re.compile(token_pattern).findall

    def analyze(text: str) -> list[str]:
        words: list[str] = findall(text.lower())
        return words + [f"{first} {second}" for first, second in pairwise(words)]

    return analyze


class Vocabulary:
    """A fitted vectorizer's vocabulary (n-gram to column) with a hash index of its n-grams.

    Parameters
    ----------
    columns : mapping of str to int
        Each n-gram's column (a vectorizer's ``vocabulary_``).
    """

    def __init__(self, columns: Mapping[str, int]) -> None:
        terms = list(columns)
        self.index = pd.Index(np.array(terms, dtype=object))
        self.columns = np.fromiter(columns.values(), dtype=np.int64, count=len(terms))
        self.size = int(self.columns.max()) + 1 if len(terms) else 0

    def __len__(self) -> int:
        return len(self.columns)

    def lookup(self, terms: Sequence[str] | NDArray[np.object_]) -> NDArray[np.int64]:
        """Each term's column, -1 for a term outside the vocabulary."""
        if not len(terms) or not len(self.columns):
            return np.full(len(terms), -1, dtype=np.int64)
        found = self.index.get_indexer(pd.Index(np.asarray(terms, dtype=object)))
        return np.where(found >= 0, self.columns[found], -1).astype(np.int64)


def count_matrix(
    texts: Sequence[str], vocabulary: Vocabulary, analyze: Callable[[str], list[str]]
) -> sparse.csr_matrix:
    """``CountVectorizer.transform`` of ``texts`` with a fitted ``vocabulary``: float64
    counts of the known n-grams, one row per text, column indices sorted."""
    found = [analyze(text) for text in texts]
    sizes = np.fromiter((len(terms) for terms in found), dtype=np.int64, count=len(found))
    flat = np.fromiter(chain.from_iterable(found), dtype=object, count=int(sizes.sum()))
    codes, distinct = pd.factorize(flat)
    columns = vocabulary.lookup(np.asarray(distinct, dtype=object))[codes]
    owner = np.repeat(np.arange(len(found)), sizes)
    known = columns >= 0
    matrix = sparse.csr_matrix(
        (np.ones(int(known.sum())), (owner[known], columns[known])),
        shape=(len(found), vocabulary.size),
        dtype=np.float64,
    )
    matrix.sum_duplicates()  # sorts each row's columns and adds repeated n-grams
    return matrix
