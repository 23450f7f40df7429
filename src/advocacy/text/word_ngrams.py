"""Word 1-2-grams of many texts, as scikit-learn's vectorizers count them, at batch speed.

Three models read word n-grams: the shipped sentiment and emotion n-gram heads
(:mod:`advocacy.text.text_model`) and the TF-IDF model a calibration stacks
(:mod:`advocacy.text.calibration_tfidf`). scikit-learn's analyzer builds each word pair by
slicing and joining in a Python loop per position, and ``CountVectorizer.transform`` looks each
occurrence up in a dict: more than the heads themselves cost. :func:`analyzer` gives the very
lists of n-grams the vectorizer's analyzer gives (lower-cased, its token pattern, words then
pairs in text order), and :func:`count_matrix` the very count matrix ``transform`` builds, with
one hash look-up per distinct n-gram of a batch (``tests/text/test_word_ngrams.py`` compares
both with scikit-learn on real reviews and hostile strings). :class:`NgramColumns` builds the
same matrix from words alone, for a vocabulary whose word pairs are known by their words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, pairwise, repeat

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


def lookup(columns: Mapping[str, int], terms: Sequence[str]) -> NDArray[np.int64]:
    """Each term's column in a fitted vocabulary, -1 for a term outside it."""
    # map with a repeated default: about 30% faster than a generator of ``get`` calls
    return np.fromiter(map(columns.get, terms, repeat(-1)), dtype=np.int64, count=len(terms))


def count_matrix(
    texts: Sequence[str], columns: Mapping[str, int], analyze: Callable[[str], list[str]]
) -> sparse.csr_matrix:
    """``CountVectorizer.transform`` of ``texts`` with a fitted vocabulary (``columns``, the
    vectorizer's ``vocabulary_``): float64 counts of the known n-grams, one row per text,
    column indices sorted."""
    found = [analyze(text) for text in texts]
    sizes = np.fromiter((len(terms) for terms in found), dtype=np.int64, count=len(found))
    flat = np.fromiter(chain.from_iterable(found), dtype=object, count=int(sizes.sum()))
    codes, distinct = pd.factorize(flat)
    known_columns = lookup(columns, distinct.tolist())[codes]
    owner = np.repeat(np.arange(len(found)), sizes)
    known = known_columns >= 0
    matrix = sparse.csr_matrix(
        (np.ones(int(known.sum())), (owner[known], known_columns[known])),
        shape=(len(found), len(columns)),
        dtype=np.float64,
    )
    matrix.sum_duplicates()  # sorts each row's columns and adds repeated n-grams
    return matrix


@dataclass(frozen=True, eq=False)
class NgramColumns:
    """A fitted 1-2-gram vocabulary held by its words: :func:`count_matrix` without the pairs.

    :func:`count_matrix` spells out each word pair of a batch and looks it up in the
    vocabulary's dict: with the calibration's TF-IDF model on 11,400 labelled reviews
    (340,000 terms, nine in ten of them pairs) that look-up alone, missing the processor's
    caches, cost 0.5-0.7 CPU s for the sentences of 12,000 reviews. Here each distinct word
    of a batch is looked up once among the vocabulary's words, and each pair of neighbouring
    known words as one integer among the sorted pair keys; the count matrix is the same,
    entry for entry. Built by :meth:`advocacy.text.calibration_tfidf.TermCounts.ngram_columns`,
    which knows each pair's words without splitting strings.

    Attributes
    ----------
    words : dict of str to int
        Each single-word term's number among the words.
    word_columns : ndarray of int
        The column of each word, by its number.
    pair_keys : ndarray of int
        ``first * len(words) + second`` (the words' numbers) of each pair, sorted.
    pair_columns : ndarray of int
        The column of each pair, in the order of ``pair_keys``.
    size : int
        The vocabulary's number of columns.
    token_pattern : str
        The words' pattern (lower-cased texts), as :func:`analyzer`'s.
    """

    words: dict[str, int]
    word_columns: NDArray[np.int64]
    pair_keys: NDArray[np.int64]
    pair_columns: NDArray[np.int64]
    size: int
    token_pattern: str = DEFAULT_TOKEN_PATTERN

    def count_matrix(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """:func:`count_matrix` of ``texts`` with this vocabulary (the same matrix).

        Parameters
        ----------
        texts
            The texts to count.

        Returns
        -------
        scipy.sparse.csr_matrix
            Float64 counts of the known 1-2-grams, one row per text, column indices sorted.
        """
        findall = re.compile(self.token_pattern).findall
        found = [findall(text.lower()) for text in texts]
        sizes = np.fromiter(map(len, found), dtype=np.int64, count=len(found))
        flat = np.fromiter(chain.from_iterable(found), dtype=object, count=int(sizes.sum()))
        codes, distinct = pd.factorize(flat)
        word = lookup(self.words, distinct.tolist())[codes]
        owner = np.repeat(np.arange(len(found)), sizes)
        known = word >= 0
        # A pair is two neighbouring words of one text, both in the vocabulary (a fitted
        # vocabulary's pairs are of its own words).
        first, second = word[:-1], word[1:]
        paired = (owner[1:] == owner[:-1]) & (first >= 0) & (second >= 0)
        keys = first[paired] * len(self.words) + second[paired]
        at = np.minimum(np.searchsorted(self.pair_keys, keys), max(len(self.pair_keys) - 1, 0))
        hit = self.pair_keys[at] == keys if len(self.pair_keys) else np.zeros(len(keys), bool)
        rows = np.concatenate([owner[known], owner[:-1][paired][hit]])
        columns = np.concatenate([self.word_columns[word[known]], self.pair_columns[at[hit]]])
        matrix = sparse.csr_matrix(
            (np.ones(len(rows)), (rows, columns)), shape=(len(found), self.size), dtype=np.float64
        )
        matrix.sum_duplicates()  # sorts each row's columns and adds repeated n-grams
        return matrix
