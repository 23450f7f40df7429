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
