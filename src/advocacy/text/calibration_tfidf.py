"""The calibration's TF-IDF models, fitted on many subsets of the labels from one analysis.

A calibration with enough labels stacks a word 1-2-gram TF-IDF logistic regression of the
labelled texts (:mod:`advocacy.text.calibration`): five out-of-fold fits to compare candidates,
five more on every label when the comparison used a sample, and a last fit on all. Each fit
used to split every text of its subset into n-grams again, in Python: three quarters of a
first ``text analyze`` on 3,000 scored reviews. :class:`TermCounts` splits each text once and
builds the count matrix scikit-learn's ``CountVectorizer`` would build for any subset, entry for
entry and in the same order, so the TF-IDF weights (scikit-learn's own ``TfidfTransformer``) and
the logistic fits on them are the pipeline's numbers (``tests/text/test_calibration_tfidf.py``
checks them against it on real reviews). Each logistic fit then solves for one weight per set
of equal columns (:func:`fit_on_distinct_columns`: a quarter of the unknowns, the same weights
to rounding), and a fitted pipeline predicts through the batch n-gram counts of
:mod:`advocacy.text.word_ngrams` (:func:`pipeline_probabilities`, the same numbers).

A text is split into its words; each word pair is numbered by its two words' numbers and
spelt out once, when first met (the vocabulary needs its string), and the vocabulary's
alphabetical order follows from the words' order alone, since every word character sorts after
the space that joins a pair. The same pair numbers let a fit of this run count new texts by
their words (:meth:`TermCounts.ngram_columns`) rather than by looking every pair up among
hundreds of thousands of strings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain, repeat
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from advocacy.errors import UsageError
from advocacy.text.negation_scope import marked_texts, split_negated
from advocacy.text.word_ngrams import DEFAULT_TOKEN_PATTERN, NgramColumns, analyzer, count_matrix

#: Inverse L2 penalty of the stacked TF-IDF logistic regression.
TFIDF_PENALTY = 10.0
#: The solver of the TF-IDF model fitted on every label once the candidates are chosen:
#: Newton-CG rather than scikit-learn's L-BFGS, which the folds' fits keep. The same penalised
#: likelihood, to the same ``tol``: on 2,849 labelled reviews (27,119 distinct columns, three
#: classes) L-BFGS took 61 iterations and 0.49 CPU s, most of it its own bookkeeping of 81,000
#: unknowns, and stopped 0.010 from the optimum's probabilities; Newton-CG 5 iterations, 0.05 s,
#: 0.004 from it (docs/benchmarks.md). Cross-validation, and so the choice and the out-of-fold
#: probabilities the head is fitted on, never see this fit: it reads texts nobody labelled.
FINAL_TFIDF_SOLVER = "newton-cg"


def tfidf_model(penalty: float = TFIDF_PENALTY, *, solver: str = "lbfgs") -> Any:
    """The stacked model as a scikit-learn pipeline of raw texts (unfitted; ``solver`` is the
    logistic regression's)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    return make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1),
        LogisticRegression(C=penalty, max_iter=2000, solver=solver),
    )


def fit_on_distinct_columns(classifier: Any, matrix: Any, labels: NDArray[np.int64]) -> Any:
    """Fit an L2-penalised linear ``classifier`` with each set of equal columns fitted as one.

    Most word pairs occur in one labelled text only, and all of a text's once-used n-grams
    that occur in it as often have equal TF-IDF columns (same row, same weight): three
    columns in four on 3,000 reviews. Under an L2 penalty the optimum gives equal columns
    equal weights, so ``k`` equal columns are fitted as one column scaled by ``sqrt(k)``
    whose weight, divided by ``sqrt(k)``, is each column's. The problem is the same one
    rotated (L-BFGS from zero takes the same steps in exact arithmetic), with a quarter of the
    unknowns: the weights agree with a fit on every column to rounding (about 1e-12 on
    real reviews, ``tests/text/test_calibration_tfidf.py``). The one difference: the
    solver's stopping test (the largest gradient component) sees a merged column's gradient
    ``sqrt(k)`` times larger, so a fit may take an iteration more, never fewer. With Newton-CG
    (:data:`FINAL_TFIDF_SOLVER`) the two fits take other steps and stop at other points near
    the same optimum (2e-5 to 5e-3 apart in probability on real reviews, each within the
    solver's tolerance of it).
    """
    from scipy import sparse  # here: a kept calibration fits nothing (~0.08 CPU s to import)

    columns = sparse.csc_matrix(matrix)
    columns.sort_indices()
    used = np.diff(columns.indptr)
    once = np.flatnonzero(used == 1)
    many = np.flatnonzero(used != 1)
    row, value = columns.indices[columns.indptr[once]], columns.data[columns.indptr[once]]
    order = np.lexsort((value, row))
    starts = np.ones(len(order), dtype=bool)
    starts[1:] = (np.diff(row[order]) != 0) | (np.diff(value[order]) != 0)
    merged = np.empty(len(order), dtype=np.int64)
    merged[order] = np.cumsum(starts) - 1
    group = np.empty(columns.shape[1], dtype=np.int64)
    group[many] = np.arange(len(many))
    group[once] = len(many) + merged
    scale = np.sqrt(np.bincount(group, minlength=len(many) + int(starts.sum())).astype(float))
    kept = np.concatenate([many, once[order][starts]]).astype(np.int64)
    classifier.fit(sparse.csr_matrix(columns[:, kept] @ sparse.diags(scale)), labels)
    classifier.coef_ = classifier.coef_[:, group] / scale[group]
    classifier.n_features_in_ = columns.shape[1]
    return classifier


#: Characters of a text the TF-IDF model reads (hostile input: giant strings).
TFIDF_MAX_CHARS = 5000


def clipped(texts: Sequence[str]) -> list[str]:
    """What the TF-IDF model reads of each text: its first :data:`TFIDF_MAX_CHARS`, its
    negated words marked ``neg_`` as the shipped n-gram head reads them
    (:func:`~advocacy.text.negation_scope.marked_texts`: "wasn't disappointed" is not
    "disappointed"); a text without a negation is read as it is."""
    return marked_texts(*split_negated([str(text)[:TFIDF_MAX_CHARS] for text in texts]))


def labelled_counts(texts: Sequence[str]) -> TermCounts:
    """Every labelled text split into the n-grams the stacked TF-IDF model counts.

    Parameters
    ----------
    texts
        The labelled texts, in the order
        :meth:`~advocacy.text.calibration.CalibratedSentiment.fit` gets them.

    Returns
    -------
    TermCounts
        For ``fit(counts=)`` (``text analyze`` splits them while its workers read the texts,
        rather than between the fit's steps).
    """
    counts = TermCounts(clipped(texts))
    counts.split(np.arange(len(counts.texts)))
    return counts


class TermCounts:
    """Each text's n-gram counts, split once, as ``CountVectorizer`` counts any subset.

    Parameters
    ----------
    texts : sequence of str
        The labelled texts (already clipped to the characters the model reads); each is
        split the first time a subset asks for it.

    Examples
    --------
    >>> counts = TermCounts(["good value", "bad value", "good"])
    >>> counts.fit_predict(np.array([0, 1]), np.array([1, 0]), np.array([2]))[0].shape
    (1, 2)
    """

    def __init__(self, texts: Sequence[str]) -> None:
        self.texts = list(texts)
        self._analyze = analyzer()  # the pipeline's analyzer (defaults), at batch speed
        self.terms: list[str] = []
        # Row i's entries are columns[start[i]:start[i] + length[i]] (start -1: not split yet).
        self.start = np.full(len(self.texts), -1, dtype=np.int64)
        self.length = np.zeros(len(self.texts), dtype=np.int64)
        self.columns = np.zeros(0, dtype=np.int64)
        self.values = np.zeros(0, dtype=np.float64)
        self.alphabetical = np.zeros(0, dtype=np.int64)
        # A pair term's two word terms (-1: a word): its place in the vocabulary's order, and
        # ngram_columns.
        self.pair_words = np.zeros((0, 2), dtype=np.int64)
        self._word_terms: dict[str, int] = {}  # each word's term number
        # Each known pair's key (its words, first << 32 | second), sorted, and its term.
        self._pair_keys = np.zeros(0, dtype=np.int64)
        self._pair_key_terms = np.zeros(0, dtype=np.int64)

    def split(self, rows: NDArray[np.int64]) -> None:
        """Split the texts at ``rows`` not split yet (each text once, whatever the subsets).

        Subsets split their texts when first asked; splitting before forking workers (see
        :mod:`advocacy.text.workers`) splits each text once for all of them.
        """
        new = np.unique(rows[self.start[rows] < 0])
        if not len(new):
            return
        # The analyzer's words, then each text's terms in its order (words, then pairs) as
        # numbers: the word pairs are never spelt out but once per distinct pair.
        findall = re.compile(DEFAULT_TOKEN_PATTERN).findall
        found = [findall(self.texts[i].lower()) for i in new]
        words_in = np.fromiter(map(len, found), dtype=np.int64, count=len(found))
        flat = np.fromiter(chain.from_iterable(found), dtype=object, count=int(words_in.sum()))
        local, distinct = pd.factorize(flat)
        before = len(self.terms)
        words = self._word_numbers(distinct.tolist())[local]
        word_owner = np.repeat(np.arange(len(new)), words_in)
        paired = word_owner[1:] == word_owner[:-1]
        keys = (words[:-1][paired] << 32) | words[1:][paired]
        pair_local, pair_distinct = pd.factorize(keys)
        pairs = self._pair_numbers(np.asarray(pair_distinct, dtype=np.int64))[pair_local]
        pairs_in = np.maximum(words_in - 1, 0)
        sizes = words_in + pairs_in
        starts = np.cumsum(sizes) - sizes
        terms = np.empty(int(sizes.sum()), dtype=np.int64)
        terms[_places(starts, words_in)] = words
        terms[_places(starts + words_in, pairs_in)] = pairs
        owner = np.repeat(np.arange(len(new)), sizes)
        added = len(self.terms) > before
        # One entry per (text, term), in order of first use in the text, as CountVectorizer.
        _, first, counts = np.unique(
            owner * max(len(self.terms), 1) + terms, return_index=True, return_counts=True
        )
        order = np.argsort(first, kind="stable")
        first, counts = first[order], counts[order]
        lengths = np.bincount(owner[first], minlength=len(new))
        self.start[new] = len(self.columns) + np.cumsum(lengths) - lengths
        self.length[new] = lengths
        self.columns = np.concatenate([self.columns, terms[first]])
        self.values = np.concatenate([self.values, counts.astype(np.float64)])
        if added:
            # Each term's place in alphabetical order (the vectorizer's column order), from
            # the words' order alone: every word character follows the space, so a pair sorts
            # right after its first word and before any longer word it begins, and pairs of
            # one first word by their second ("good", "good value", "goods").
            is_word = self.pair_words[:, 0] < 0
            word_terms = np.flatnonzero(is_word)
            rank = np.zeros(len(self.terms), dtype=np.int64)
            rank[sorted(word_terms.tolist(), key=self.terms.__getitem__)] = np.arange(
                len(word_terms)
            )
            major = np.where(is_word, rank, rank[self.pair_words[:, 0]])
            minor = np.where(is_word, -1, rank[self.pair_words[:, 1]])
            self.alphabetical = np.empty(len(self.terms), dtype=np.int64)
            self.alphabetical[np.lexsort((minor, major))] = np.arange(len(self.terms))

    def _word_numbers(self, words: list[str]) -> NDArray[np.int64]:
        """The term number of each distinct word, numbering the new ones as met."""
        found = self._word_terms.get
        numbers = np.fromiter(map(found, words, repeat(-1)), dtype=np.int64, count=len(words))
        fresh = np.flatnonzero(numbers < 0)
        if len(fresh):
            spelt = [words[i] for i in fresh]
            numbers[fresh] = self._add_terms(spelt, np.full((len(fresh), 2), -1, dtype=np.int64))
            self._word_terms.update(zip(spelt, numbers[fresh].tolist(), strict=True))
        return numbers

    def _pair_numbers(self, keys: NDArray[np.int64]) -> NDArray[np.int64]:
        """The term number of each distinct word pair (its word terms ``first << 32 |
        second``), numbering the new ones as met. The known keys are a sorted array, not a
        dict: the 307,000 pairs of 11,400 reviews held 35 MB as Python integers, 5 MB here."""
        at = np.minimum(np.searchsorted(self._pair_keys, keys), len(self._pair_keys) - 1)
        known = (self._pair_keys[at] == keys) if len(self._pair_keys) else np.zeros(len(keys), bool)
        numbers = np.where(known, self._pair_key_terms[at] if len(self._pair_keys) else -1, -1)
        fresh = np.flatnonzero(~known)
        if len(fresh):
            first, second = keys[fresh] >> 32, keys[fresh] & 0xFFFFFFFF
            spelt = [
                f"{self.terms[a]} {self.terms[b]}"
                for a, b in zip(first.tolist(), second.tolist(), strict=True)
            ]
            numbers[fresh] = self._add_terms(spelt, np.column_stack([first, second]))
            merged = np.concatenate([self._pair_keys, keys[fresh]])
            order = np.argsort(merged, kind="stable")
            self._pair_keys = merged[order]
            self._pair_key_terms = np.concatenate([self._pair_key_terms, numbers[fresh]])[order]
        return numbers.astype(np.int64, copy=False)

    def _add_terms(self, spelt: list[str], pair_words: NDArray[np.int64]) -> NDArray[np.int64]:
        """Number new terms (their strings, and their words for pairs; -1 for words)."""
        numbers = len(self.terms) + np.arange(len(spelt))
        self.terms.extend(spelt)
        self.pair_words = np.concatenate([self.pair_words, pair_words])
        return numbers

    def ngram_columns(self, vocabulary: NDArray[np.int64]) -> NgramColumns:
        """A fitted ``vocabulary`` (term numbers in column order, as :meth:`fit_model` gives
        it) held by its words, to count new texts with (see
        :class:`~advocacy.text.word_ngrams.NgramColumns`).

        Parameters
        ----------
        vocabulary
            Terms of these counts, one per column.

        Returns
        -------
        NgramColumns
            Counts what ``CountVectorizer.transform`` with that vocabulary counts.
        """
        column = np.arange(len(vocabulary))
        pair_words = self.pair_words[vocabulary]
        is_word = pair_words[:, 0] < 0
        word_terms = vocabulary[is_word]
        number = np.full(len(self.terms), -1, dtype=np.int64)
        number[word_terms] = np.arange(len(word_terms))
        first, second = number[pair_words[~is_word, 0]], number[pair_words[~is_word, 1]]
        if (first < 0).any() or (second < 0).any():
            raise UsageError(
                "a word pair of this vocabulary is not made of its own words",
                fix="count with the vocabulary of a fit on these counts",
            )
        keys = first * len(word_terms) + second
        order = np.argsort(keys, kind="stable")
        terms = np.asarray(self.terms, dtype=object)[word_terms].tolist()
        return NgramColumns(
            words=dict(zip(terms, range(len(terms)), strict=True)),
            word_columns=column[is_word],
            pair_keys=keys[order],
            pair_columns=column[~is_word][order],
            size=len(vocabulary),
        )

    def take(self, rows: NDArray[np.int64]) -> TermCounts:
        """The counts of the texts at ``rows``, in that order, sharing what is split already
        (a subset's count matrices do not depend on the order texts were split in).

        Parameters
        ----------
        rows
            Positions of texts in these counts.

        Returns
        -------
        TermCounts
            Counts of those texts; splitting more in them leaves these unchanged.
        """
        taken = TermCounts.__new__(TermCounts)
        taken.texts = [self.texts[int(i)] for i in rows]
        taken._analyze = self._analyze
        taken.terms = list(self.terms)  # its own: splitting more must not touch these
        taken.start, taken.length = self.start[rows], self.length[rows]
        taken.columns, taken.values = self.columns, self.values
        taken.alphabetical = self.alphabetical
        taken.pair_words = self.pair_words
        taken._word_terms = dict(self._word_terms)
        taken._pair_keys, taken._pair_key_terms = self._pair_keys, self._pair_key_terms
        return taken

    def _entries(self, rows: NDArray[np.int64]) -> tuple[NDArray[Any], NDArray[Any], NDArray[Any]]:
        """Global term ids, counts and the owning row (0..len(rows)) of ``rows``' entries."""
        self.split(rows)
        lengths = self.length[rows]
        starts = np.repeat(self.start[rows] - np.cumsum(lengths) + lengths, lengths)
        at = starts + np.arange(int(lengths.sum()))
        owner = np.repeat(np.arange(len(rows)), lengths)
        return self.columns[at], self.values[at], owner

    def fitted_counts(self, rows: NDArray[np.int64]) -> tuple[Any, NDArray[np.int64]]:
        """``CountVectorizer().fit_transform`` of ``rows``' texts, and its vocabulary's terms.

        The vectorizer numbers terms as the subset first uses them, sorts each row's entries
        by that number, then renumbers the columns alphabetically without sorting again: the
        entries here come in that order so that every sum over a row is the same sum.
        """
        terms, counts, owner = self._entries(rows)
        present, first = np.unique(terms, return_index=True)
        first_use = np.empty(len(self.terms), dtype=np.int64)
        first_use[present] = first
        order = np.lexsort((first_use[terms], owner))
        vocabulary = self._in_column_order(present)
        column = np.empty(len(self.terms), dtype=np.int64)
        column[vocabulary] = np.arange(len(vocabulary))
        matrix = self._matrix(column[terms[order]], counts[order], owner, len(rows), vocabulary)
        return matrix, vocabulary

    def vocabulary(self, rows: NDArray[np.int64]) -> NDArray[np.int64]:
        """The vocabulary :meth:`fitted_counts` of ``rows`` gives (and so a :meth:`fit_model`
        on them: every term, ``min_df=1``), without counting: known before the fit, so that a
        caller may spell it out (:meth:`spell`) while the fit runs."""
        terms, _, _ = self._entries(rows)
        present = np.zeros(len(self.terms), dtype=bool)
        present[terms] = True  # np.unique's sort of every entry took 0.25 s at 12,000 texts
        return self._in_column_order(np.flatnonzero(present))

    def _in_column_order(self, present: NDArray[np.int64]) -> NDArray[np.int64]:
        """Terms in the vectorizer's column order (alphabetical)."""
        return present[np.argsort(self.alphabetical[present], kind="stable")]

    def spell(self, vocabulary: NDArray[np.int64]) -> SpeltVocabulary:
        """What :meth:`pipeline_of` and :meth:`ngram_columns` make of a fitted ``vocabulary``
        (a dict of every term and the words' columns: 0.2 CPU s at 12,000 labelled reviews),
        for a caller to make before the fit ends and give to :meth:`pipeline_of`.

        Parameters
        ----------
        vocabulary
            Terms of these counts, one per column (:meth:`vocabulary`).

        Returns
        -------
        SpeltVocabulary
            ``vocabulary`` with its terms' columns by their strings and its n-gram columns.
        """
        spelt = np.asarray(self.terms, dtype=object)[vocabulary].tolist()
        # One C-level pass over ~100,000 terms (a dict comprehension took 0.08 CPU s).
        words = dict(zip(spelt, range(len(vocabulary)), strict=True))
        return SpeltVocabulary(vocabulary, words, self.ngram_columns(vocabulary))

    def counts(self, rows: NDArray[np.int64], vocabulary: NDArray[np.int64]) -> Any:
        """``CountVectorizer.transform`` of ``rows``' texts with a fitted ``vocabulary``."""
        terms, counts, owner = self._entries(rows)
        column = np.full(len(self.terms), -1, dtype=np.int64)
        column[vocabulary] = np.arange(len(vocabulary))
        known = column[terms] >= 0
        matrix = self._matrix(
            column[terms][known], counts[known], owner[known], len(rows), vocabulary
        )
        matrix.sort_indices()
        return matrix

    @staticmethod
    def _matrix(
        columns: NDArray[Any],
        counts: NDArray[Any],
        owner: NDArray[Any],
        size: int,
        vocabulary: NDArray[Any],
    ) -> Any:
        from scipy import sparse

        offsets = np.concatenate([[0], np.cumsum(np.bincount(owner, minlength=size))])
        return sparse.csr_matrix(
            (counts, columns.astype(np.int32), offsets.astype(np.int32)),
            shape=(size, len(vocabulary)),
        )

    def fit_predict(
        self, train: NDArray[np.int64], labels: NDArray[np.int64], test: NDArray[np.int64]
    ) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
        """:func:`tfidf_model` fitted on ``train``: ``test``'s probabilities and the classes."""
        probabilities, classes, _ = self.fit_predict_model(train, labels, test)
        return probabilities, classes

    def fit_predict_model(
        self, train: NDArray[np.int64], labels: NDArray[np.int64], test: NDArray[np.int64]
    ) -> tuple[NDArray[np.float64], NDArray[np.int64], Any]:
        """:meth:`fit_predict` and the fitted model, for :meth:`predict` on other rows."""
        model = self._fit(train, labels)
        probabilities, classes = self.predict(model, test)
        return probabilities, classes, model

    def predict(
        self, model: tuple[Any, Any], rows: NDArray[np.int64]
    ) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
        """Probabilities and classes of a model from :meth:`fit_predict_model` for ``rows``."""
        (transformer, classifier), vocabulary = model
        matrix = transformer.transform(self.counts(rows, vocabulary))
        return classifier.predict_proba(matrix), classifier.classes_

    def _fit(
        self, train: NDArray[np.int64], labels: NDArray[np.int64], solver: str = "lbfgs"
    ) -> tuple[Any, Any]:
        from sklearn.feature_extraction.text import TfidfTransformer

        template = tfidf_model(solver=solver)
        vectorizer, classifier = (step for _, step in template.steps)
        counts, vocabulary = self.fitted_counts(train)
        transformer = TfidfTransformer(
            norm=vectorizer.norm,
            use_idf=vectorizer.use_idf,
            smooth_idf=vectorizer.smooth_idf,
            sublinear_tf=vectorizer.sublinear_tf,
        )
        fit_on_distinct_columns(classifier, transformer.fit_transform(counts), labels)
        return (transformer, classifier), vocabulary

    def pipeline(
        self, train: NDArray[np.int64], labels: NDArray[np.int64], *, solver: str = "lbfgs"
    ) -> Any:
        """``tfidf_model(solver=solver)`` fitted on ``train``, as the pipeline of raw texts it
        equals (the calibration's fit on every label passes :data:`FINAL_TFIDF_SOLVER`)."""
        return self.pipeline_of(self.fit_model(train, labels, solver=solver))

    def fit_model(
        self, train: NDArray[np.int64], labels: NDArray[np.int64], *, solver: str = "lbfgs"
    ) -> tuple[tuple[Any, Any], NDArray[np.int64]]:
        """:meth:`pipeline`'s fit, before its vocabulary is spelt out: the fitted weighting and
        classifier, and the vocabulary as term numbers of these counts.

        A worker process returns this to its caller (pickled) rather than the pipeline: its
        vocabulary is a dict of every term, on 11,400 labelled reviews 340,000 strings that
        took 0.3 CPU s to pickle and 0.25 s to unpickle; the caller, whose counts hold the
        same terms (split before the fork), spells it out once with :meth:`pipeline_of`.

        Parameters
        ----------
        train, labels
            As for :meth:`pipeline`.
        solver
            The logistic regression's solver.

        Returns
        -------
        tuple
            For :meth:`pipeline_of` of counts holding the same terms.
        """
        return self._fit(train, labels, solver)

    def pipeline_of(
        self,
        model: tuple[tuple[Any, Any], NDArray[np.int64]],
        *,
        spelt: SpeltVocabulary | None = None,
    ) -> Any:
        """The pipeline of raw texts a :meth:`fit_model` result equals.

        Parameters
        ----------
        model
            What :meth:`fit_model` returned, of these counts or of counts they were forked or
            taken from with the same terms split (the numbers name terms of ``terms``).
        spelt
            :meth:`spell` of the model's vocabulary, made already (None, or another
            vocabulary's: spelt here).

        Returns
        -------
        sklearn.pipeline.Pipeline
            As :meth:`pipeline` returns it.
        """
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.pipeline import make_pipeline

        (transformer, classifier), vocabulary = model
        if spelt is None or not spelt.of(vocabulary):
            spelt = self.spell(vocabulary)
        template = tfidf_model().steps[0][1]
        vectorizer = TfidfVectorizer(**{**template.get_params(), "vocabulary": spelt.words})
        vectorizer.idf_ = transformer.idf_
        return make_pipeline(vectorizer, classifier)


@dataclass(frozen=True)
class SpeltVocabulary:
    """A fitted vocabulary spelt out (:meth:`TermCounts.spell`).

    Attributes
    ----------
    terms : ndarray of int64
        The vocabulary: term numbers of its counts, one per column.
    words : dict of str to int
        Each term's column by its string (the vectorizer's ``vocabulary``).
    columns : NgramColumns
        The vocabulary held by its words, to count new texts with.
    """

    terms: NDArray[np.int64]
    words: dict[str, int]
    columns: NgramColumns

    def of(self, vocabulary: NDArray[np.int64]) -> bool:
        """Whether this is the spelling of ``vocabulary``."""
        return bool(np.array_equal(self.terms, vocabulary))


def _places(starts: NDArray[np.int64], sizes: NDArray[np.int64]) -> NDArray[np.int64]:
    """``starts[i] + k`` for ``k`` below ``sizes[i]``, for every ``i`` in order."""
    total = int(sizes.sum())
    return np.repeat(starts - (np.cumsum(sizes) - sizes), sizes) + np.arange(total)


def pipeline_probabilities(
    pipeline: Any, texts: Sequence[str], *, columns: NgramColumns | None = None
) -> NDArray[np.float64]:
    """``pipeline.predict_proba(texts)`` of a fitted :func:`tfidf_model` pipeline.

    The counts come from :func:`advocacy.text.word_ngrams.count_matrix` (the matrix the
    vectorizer's ``transform`` counts, entry for entry), or from ``columns``, the pipeline's
    vocabulary held by its words (:meth:`TermCounts.ngram_columns`, the same matrix, at a
    third of the cost), and are weighted by a ``TfidfTransformer`` with the vectorizer's
    settings and ``idf_``, as the vectorizer weighs them, so the probabilities are the same
    numbers.
    """
    from sklearn.feature_extraction.text import TfidfTransformer

    vectorizer, classifier = (step for _, step in pipeline.steps)
    vocabulary = getattr(vectorizer, "vocabulary_", None) or vectorizer.vocabulary
    weigh = TfidfTransformer(
        norm=vectorizer.norm,
        use_idf=vectorizer.use_idf,
        smooth_idf=vectorizer.smooth_idf,
        sublinear_tf=vectorizer.sublinear_tf,
    )
    weigh.idf_ = vectorizer.idf_
    if columns is None:
        counts = count_matrix(texts, vocabulary, analyzer())
    elif columns.size != len(vocabulary):
        raise UsageError(
            f"the columns hold {columns.size} terms, the pipeline's vocabulary {len(vocabulary)}",
            fix="pass the ngram_columns of the fit that made this pipeline, or none",
        )
    else:
        counts = columns.count_matrix(texts)
    return np.asarray(classifier.predict_proba(weigh.transform(counts, copy=False)))
