"""Themes learnt from the labels users taught: one logistic regression per theme, on embeddings.

``advocacy text teach`` stores one theme per document. Those documents keep their taught theme
(origin ``taught``); beyond them, a theme taught often enough gets a classifier that tags every
other document too (origin ``learned``). For each theme:

- positives are the documents taught that theme, negatives the documents taught another theme
  (a document the user did not label says nothing either way, so it is never a negative);
- it needs at least :data:`MIN_EXAMPLES` positives and as many negatives;
- the classifier is a class-balanced logistic regression on the text model's embedding
  (scikit-learn, one-vs-rest), and it is kept only when its cross-validated F1 on the taught
  documents (stratified folds, at most 5) beats the F1 of the taxonomy's keywords and meaning on
  the same documents. Otherwise the theme is assigned by keywords and meaning alone.

The reason for every theme kept or left out is in :attr:`ThemeClassifier.report_`.

Without taught labels, :func:`keyword_self_training` learns from the user's own texts instead
(transductive self-training, Yarowsky 1995): the sentences whose keywords name exactly one theme
are its examples, a multinomial logistic regression on their embeddings learns what else those
themes sound like, and it reads the sentences no keyword marks. No label of any evaluation set
is used; the examples are the keyword matches of the texts being assigned. Real comments say
much that no theme covers, and a regression that knows only the themes gives every sentence
to one of them: sentences the caller judges to be about none of them (*reliable negatives*, the
first step of learning from positive and unlabelled examples, Liu et al. 2003) are a class of
their own, "none", whose probability is left out of the result.

References
----------
Yarowsky, D. (1995). Unsupervised word sense disambiguation rivaling supervised methods. ACL 1995.
Liu, B., Dai, Y., Li, X., Lee, W. S. & Yu, P. S. (2003). Building text classifiers using positive
and unlabeled examples. ICDM 2003.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from advocacy.errors import UsageError

#: Positives (and negatives) a theme needs before a classifier is tried for it.
MIN_EXAMPLES = 5
#: Probability at which a learned theme is assigned.
DECISION_THRESHOLD = 0.5
#: Keyword-marked sentences a theme needs before self-training learns it.
MIN_SEEDS = 3
#: Keyword-marked sentences self-training learns from (a seeded sample of more).
MAX_SEEDS = 500


@dataclass(frozen=True)
class ThemeFit:
    """Why a theme was or was not learned."""

    theme: str
    positives: int
    negatives: int
    learned: bool
    cross_validated_f1: float | None
    baseline_f1: float | None
    reason: str


def _f1(predicted: NDArray[np.bool_], truth: NDArray[np.bool_]) -> float:
    hits = float(np.sum(predicted & truth))
    denominator = float(np.sum(predicted) + np.sum(truth))
    return 2 * hits / denominator if denominator else 0.0


class ThemeClassifier:
    """One-vs-rest logistic regressions for the themes taught often enough to beat keywords.

    Parameters
    ----------
    min_examples : int
        Positives and negatives a theme needs before a classifier is tried.
    folds : int
        Most cross-validation folds (fewer when a theme has fewer examples).
    regularisation : float
        Inverse regularisation strength ``C`` of each logistic regression.
    random_state : int
        Seeds the fold shuffle.
    """

    def __init__(
        self,
        *,
        min_examples: int = MIN_EXAMPLES,
        folds: int = 5,
        regularisation: float = 1.0,
        random_state: int = 0,
    ) -> None:
        self.min_examples = min_examples
        self.folds = folds
        self.regularisation = regularisation
        self.random_state = random_state

    def __repr__(self) -> str:
        if not hasattr(self, "themes_"):
            return f"ThemeClassifier(min_examples={self.min_examples}, unfitted)"
        return f"ThemeClassifier(learned={self.themes_}, taught={len(self.report_)} themes)"

    def _model(self) -> Any:
        from sklearn.linear_model import LogisticRegression

        return LogisticRegression(
            C=self.regularisation, class_weight="balanced", max_iter=1000, random_state=0
        )

    def fit(
        self,
        embeddings: NDArray[Any],
        labels: Sequence[str],
        *,
        baseline: Mapping[str, NDArray[np.bool_]] | None = None,
    ) -> ThemeClassifier:
        """Fit a classifier for each theme that has enough examples and beats ``baseline``.

        Parameters
        ----------
        embeddings : array (n x d)
            The taught documents' embeddings.
        labels : sequence of str
            The theme taught for each document.
        baseline : mapping of theme to bool array (n), optional
            Whether keywords and meaning assign each taught document to the theme; a theme's
            classifier must beat that F1 (a theme missing here is compared with 0).
        """
        from sklearn.model_selection import StratifiedKFold, cross_val_predict

        x = np.asarray(embeddings, dtype=np.float64)
        taught = np.asarray([str(label) for label in labels], dtype=object)
        if x.ndim != 2 or len(x) != len(taught):
            raise UsageError(
                f"need one embedding row per taught label (got {x.shape} for {len(taught)})",
                fix="pass the embeddings of the taught documents, in the labels' order",
            )
        self.themes_: list[str] = []
        self.models_: list[Any] = []
        self.report_: list[ThemeFit] = []
        for theme in sorted(set(taught)):
            truth = taught == theme
            positives, negatives = int(truth.sum()), int((~truth).sum())
            if min(positives, negatives) < self.min_examples:
                self.report_.append(
                    ThemeFit(
                        theme,
                        positives,
                        negatives,
                        False,
                        None,
                        None,
                        f"needs {self.min_examples} taught documents with the theme and "
                        f"{self.min_examples} with another theme",
                    )
                )
                continue
            folds = StratifiedKFold(
                n_splits=min(self.folds, positives, negatives),
                shuffle=True,
                random_state=self.random_state,
            )
            predicted = cross_val_predict(self._model(), x, truth, cv=folds) == 1
            score = _f1(predicted, truth)
            reference = (baseline or {}).get(theme)
            floor = 0.0 if reference is None else _f1(np.asarray(reference, bool), truth)
            learned = score > floor
            if learned:
                self.themes_.append(theme)
                self.models_.append(self._model().fit(x, truth))
            self.report_.append(
                ThemeFit(
                    theme,
                    positives,
                    negatives,
                    learned,
                    round(score, 3),
                    round(floor, 3),
                    "cross-validated F1 beats keywords and meaning"
                    if learned
                    else "keywords and meaning do as well on the taught documents",
                )
            )
        return self

    def predict_proba(self, embeddings: NDArray[Any]) -> NDArray[np.float64]:
        """Probability of each learned theme (n x len(themes_), columns as :attr:`themes_`)."""
        if not hasattr(self, "themes_"):
            raise UsageError("the theme classifier is not fitted", fix="call fit first")
        x = np.asarray(embeddings, dtype=np.float64)
        if not self.models_:
            return np.zeros((len(x), 0))
        return np.column_stack([model.predict_proba(x)[:, 1] for model in self.models_])

    def predict(self, embeddings: NDArray[Any]) -> NDArray[np.bool_]:
        """Whether each learned theme applies (probability >= :data:`DECISION_THRESHOLD`)."""
        return self.predict_proba(embeddings) >= DECISION_THRESHOLD


def prepare_self_training() -> None:
    """Import what :func:`keyword_self_training` needs (scikit-learn: about 0.65 s in a new
    process), for a caller to do while its workers read the sentences."""
    importlib.import_module("sklearn.linear_model")


def keyword_self_training(
    seeds: NDArray[Any],
    seed_themes: NDArray[np.int64],
    vectors: NDArray[Any],
    *,
    n_themes: int,
    random_state: int = 0,
    background: NDArray[Any] | None = None,
) -> NDArray[np.float64]:
    """Theme probabilities of ``vectors`` learnt from sentences whose keywords name one theme.

    A multinomial logistic regression (scikit-learn, default regularisation) is fitted on the
    ``seeds`` embeddings labelled with ``seed_themes``; a theme with fewer than
    :data:`MIN_SEEDS` seeds is left out (its column stays 0). At most :data:`MAX_SEEDS` seeds
    are used, a seeded sample when there are more.

    Parameters
    ----------
    seeds : array (m x d)
        Embeddings of the sentences that keywords of exactly one theme mark.
    seed_themes : int array (m)
        That theme's column for each seed.
    vectors : array (n x d)
        Embeddings of the sentences to read.
    n_themes : int
        The taxonomy's number of themes (the width of the result).
    random_state : int
        Seeds the sample of seeds (and of ``background``).
    background : array (b x d), optional
        Embeddings of sentences about none of the themes: a class of their own (when there are
        :data:`MIN_SEEDS` or more; at most :data:`MAX_SEEDS`, a seeded sample of more), so that
        a sentence like them gets low probabilities of every theme.

    Returns
    -------
    numpy.ndarray
        n x ``n_themes`` probabilities (with ``background``, what the none class leaves); all 0
        when fewer than two themes have enough seeds.

    Examples
    --------
    >>> import numpy as np
    >>> seeds = np.array([[1, 0], [0.9, 0.1], [1, 0.2], [0, 1], [0.1, 0.9], [0.2, 1]])
    >>> probabilities = keyword_self_training(
    ...     seeds, np.array([0, 0, 0, 2, 2, 2]), np.array([[0.8, 0.1]]), n_themes=3
    ... )
    >>> int(probabilities.argmax()), probabilities.shape
    (0, (1, 3))
    """
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    x = np.asarray(seeds, dtype=np.float64)
    y = np.asarray(seed_themes, dtype=np.int64)
    out = np.zeros((len(vectors), n_themes))
    if len(y) > MAX_SEEDS:
        chosen = np.random.default_rng(random_state).choice(len(y), MAX_SEEDS, replace=False)
        x, y = x[chosen], y[chosen]
    enough = np.flatnonzero(np.bincount(y, minlength=n_themes) >= MIN_SEEDS)
    keep = np.isin(y, enough)
    if len(enough) < 2 or len(vectors) == 0:
        return out
    x, y = x[keep], y[keep]
    if background is not None and len(background) >= MIN_SEEDS:
        none = np.asarray(background, dtype=np.float64)
        if len(none) > MAX_SEEDS:
            rng = np.random.default_rng(random_state)
            none = none[rng.choice(len(none), MAX_SEEDS, replace=False)]
        x, y = np.vstack([x, none]), np.concatenate([y, np.full(len(none), n_themes)])
    # One BLAS thread: a small fit runs several times slower when threads contend for the cores.
    with threadpool_limits(limits=1, user_api="blas"):
        model = LogisticRegression(max_iter=200).fit(x, y)
        probabilities = model.predict_proba(np.asarray(vectors, dtype=np.float64))
    themes = model.classes_ < n_themes
    out[:, model.classes_[themes]] = probabilities[:, themes]
    return out
