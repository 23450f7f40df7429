"""The fits a sentiment calibration is made of (:mod:`advocacy.text.calibration`).

The head is a multinomial logistic regression (scikit-learn) on the text model's embedding and
its generic log-odds, with a TF-IDF model's probabilities stacked as more log-odds when it
helps (Wolpert 1992). Cross-validation fits it along a path of penalties, fold by fold, with
L-BFGS; the head on every label is solved by Newton-Cholesky from :data:`EXACT_HEAD_LABELS`
labels when the penalty is weak enough to make L-BFGS slow (the same optimum, reached in
fewer passes over the labels). Each fit and each final fit here is one task that a worker can
run (:mod:`advocacy.text.workers`); :func:`quietly` runs each as the calibration does. The
prior adjustment (a temperature and a bias per class, penalised towards no change) is written
here by hand: scikit-learn has no logistic regression with an offset and a prior centred on
something other than zero.

References
----------
Wolpert, D. (1992). Stacked generalization. Neural Networks 5(2), 241-259.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from advocacy.text.calibration_tfidf import TermCounts
from advocacy.text.heads import FloatArray, softmax
from advocacy.text.sentiment import SENTIMENTS

__all__ = [
    "EXACT_HEAD_LABELS",
    "EXACT_HEAD_WEIGHT",
    "PRIOR_SCALE",
    "PriorAdjustment",
    "class_probabilities",
    "fit_adjustment",
    "fit_head",
    "fit_stacked_head",
    "fold_splits",
    "head_features",
    "head_model",
    "log_odds",
    "log_probabilities",
    "penalty_path",
    "quietly",
    "with_tfidf",
]

#: The generic log-probabilities are multiplied by this before the head sees them (see
#: :mod:`advocacy.text.calibration`).
PRIOR_SCALE = 3.0
#: From this many labels the head fitted on every label (once the candidates are chosen) may be
#: solved by scikit-learn's Newton-Cholesky rather than its L-BFGS, which cross-validation's
#: fits keep: when its inverse penalty times the labels' weight reaches
#: :data:`EXACT_HEAD_WEIGHT`. The same penalised likelihood: L-BFGS (1e-4 on the gradient)
#: stops 0.007-0.02 from its optimum's probabilities after 70-470 steps, each two passes over a
#: matrix that no longer fits in cache (some 9 ms at 11,400 labels); Newton-Cholesky takes 3-4
#: steps whatever the penalty, each some 0.3 s at 11,400 labels, and stops within 1e-5 of it.
#: Below some 4,000 labels L-BFGS is as fast or faster at every penalty tried (docs/benchmarks.md,
#: fitcost lane).
EXACT_HEAD_LABELS = 4_000
#: L-BFGS's steps grow with ``C`` times the labels' weight (the penalty weighs less against more
#: labels): at 11,400 scored reviews 94 steps at ``C`` = 0.0006 (C x labels 7; L-BFGS 0.85 CPU
#: s, Newton-Cholesky 1.12), 140 at 0.002 (23; 1.26 against 1.13), 191 at 0.006 (68; 1.81
#: against 1.17), 301 at 0.02 (228; 3.06 against 1.19). From this product, Newton-Cholesky.
EXACT_HEAD_WEIGHT = 20.0


def log_probabilities(probabilities: FloatArray) -> FloatArray:
    """Log-probabilities, floored at 1e-4 so that a confident model gives bounded features."""
    return np.log(np.clip(np.asarray(probabilities, dtype=np.float64), 1e-4, 1.0))


def log_odds(probabilities: FloatArray) -> FloatArray:
    """Log-probabilities centred per row (softmax is blind to the centre; the head is not)."""
    logs = log_probabilities(probabilities)
    centred: FloatArray = logs - logs.mean(axis=1, keepdims=True)
    return centred


def head_features(reading: Any) -> FloatArray:
    """The model's embedding and its generic sentiment log-odds, scaled: what the head reads
    (see the notes of :mod:`advocacy.text.calibration`).

    Unit-length embedding rows are multiplied by the square root of their dimension so
    that their components are of order one, like the log-odds: L-BFGS converges quickly.
    The embedding is the one with negated words reversed where the model reads negations
    (``Reading.negation_embeddings``): in the plain one "not happy" sits beside "happy", and
    a head fitted on reviews outvoted the prior's negation ("not great" read neutral).
    """
    negation = getattr(reading, "negation_embeddings", None)
    embeddings = np.asarray(reading.embeddings if negation is None else negation, np.float64)
    embeddings = embeddings * math.sqrt(embeddings.shape[1])
    return np.hstack([embeddings, PRIOR_SCALE * log_odds(reading.sentiment)])


def head_model(penalty: float, *, warm_start: bool = False, solver: str = "lbfgs") -> Any:
    """An unfitted head at the inverse L2 penalty ``penalty`` (``solver``: scikit-learn's)."""
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=penalty, max_iter=2000, warm_start=warm_start, solver=solver)


def class_probabilities(model: Any, features: Any) -> FloatArray:
    """A fitted classifier's probabilities in the columns of SENTIMENTS (0 for unseen classes)."""
    out = np.zeros((len(features), len(SENTIMENTS)))
    out[:, np.asarray(model.classes_, dtype=int)] = model.predict_proba(features)
    return out


def fold_splits(y: NDArray[np.int64], folds: int, random_state: int) -> list[tuple[Any, Any]]:
    """Seeded (train, test) rows of ``folds`` folds, stratified by class when every class
    has two labels (at most as many folds as the smallest class has labels)."""
    from sklearn.model_selection import KFold, StratifiedKFold

    smallest = int(np.bincount(y)[np.unique(y)].min())
    if smallest >= 2:
        splitter: Any = StratifiedKFold(
            min(folds, smallest), shuffle=True, random_state=random_state
        )
        return list(splitter.split(np.zeros(len(y)), y))
    return list(KFold(folds, shuffle=True, random_state=random_state).split(np.zeros(len(y))))


def penalty_path(
    matrix: FloatArray,
    y: NDArray[np.int64],
    weight: FloatArray,
    train: NDArray[np.int64],
    test: NDArray[np.int64],
    penalties: Sequence[float],
) -> NDArray[np.int64]:
    """The class a head fitted on ``train`` predicts for ``test``, at each of ``penalties``
    (one row each, strongest first); along the path each fit starts from the previous one's
    weights."""
    predicted = np.zeros((len(penalties), len(test)), dtype=np.int64)
    head = head_model(penalties[0], warm_start=True)
    for step, penalty in enumerate(penalties):
        head.set_params(C=penalty)
        head.fit(matrix[train], y[train], sample_weight=weight[train])
        predicted[step] = class_probabilities(head, matrix[test]).argmax(axis=1)
    return predicted


def fit_head(penalty: float, matrix: FloatArray, y: NDArray[np.int64], weight: FloatArray) -> Any:
    """The head at ``penalty`` fitted on every row of ``matrix`` (by Newton-Cholesky from
    :data:`EXACT_HEAD_LABELS` rows and :data:`EXACT_HEAD_WEIGHT`, else by L-BFGS)."""
    exact = len(y) >= EXACT_HEAD_LABELS and penalty * float(weight.sum()) >= EXACT_HEAD_WEIGHT
    solver = "newton-cholesky" if exact else "lbfgs"
    return head_model(penalty, solver=solver).fit(matrix, y, sample_weight=weight)


def fit_stacked_head(
    penalty: float,
    features: FloatArray,
    tfidf: FloatArray,
    counts: TermCounts,
    models: list[Any],
    rest: NDArray[np.int64],
    y: NDArray[np.int64],
    weight: FloatArray,
) -> tuple[Any, FloatArray]:
    """The head with the stacked TF-IDF fitted on every label, and the TF-IDF probabilities
    it was fitted on: ``tfidf`` holds the sample's out-of-fold probabilities, and the labels at
    ``rest`` (beyond the sample) get the mean probabilities of the sample's fold ``models``
    (which never saw them). Every label's are thus out of sample."""
    tfidf = tfidf.copy()
    for model in models if len(rest) else ():
        found, classes = counts.predict(model, rest)
        tfidf[np.ix_(rest, np.asarray(classes, dtype=int))] += found / len(models)
    return fit_head(penalty, with_tfidf(features, tfidf), y, weight), tfidf


def with_tfidf(features: FloatArray, probabilities: FloatArray) -> FloatArray:
    """``features`` with a TF-IDF model's probabilities stacked as scaled log-odds."""
    return np.hstack([features, PRIOR_SCALE * log_odds(probabilities)])


@dataclass(frozen=True)
class PriorAdjustment:
    """The generic prior adjusted: ``softmax(temperature * log p_generic + bias)``.

    Attributes
    ----------
    temperature : float
        How much sharper (above 1) or flatter than the prior the adjusted probabilities are.
    bias : ndarray
        One bias per sentiment, added to the tempered log-probabilities.
    """

    temperature: float
    bias: FloatArray

    def probabilities(self, log_prior: FloatArray) -> FloatArray:
        """The adjusted probabilities of rows of generic log-probabilities ``log_prior``."""
        return softmax(self.temperature * log_prior + self.bias)


def fit_adjustment(
    log_prior: FloatArray, y: NDArray[np.int64], weight: FloatArray, strength: float
) -> PriorAdjustment:
    """Log temperature and biases by penalised likelihood, the penalty centred on no change.

    Parameters
    ----------
    log_prior
        The generic log-probabilities of the labelled texts (one row each).
    y, weight
        Each text's class (index into SENTIMENTS) and the weight of its label.
    strength
        How many labels' worth of belief "no change" starts with (the L2 penalty).

    Returns
    -------
    PriorAdjustment
        The fitted adjustment.
    """
    onehot = np.zeros((len(y), len(SENTIMENTS)))
    onehot[np.arange(len(y)), y] = 1.0

    def loss(theta: FloatArray) -> tuple[float, FloatArray]:
        log_t, bias = theta[0], theta[1:]
        t = math.exp(log_t)
        logits = t * log_prior + bias
        probabilities = softmax(logits)
        log_norm = np.log(np.exp(logits - logits.max(axis=1, keepdims=True)).sum(axis=1))
        log_norm += logits.max(axis=1)
        nll = float(-(weight * ((onehot * logits).sum(axis=1) - log_norm)).sum())
        residual = (probabilities - onehot) * weight[:, None]
        grad_t = float((residual * log_prior).sum()) * t
        value = nll + 0.5 * strength * float(log_t**2 + (bias**2).sum())
        grad = np.concatenate([[grad_t + strength * log_t], residual.sum(axis=0)])
        return value, grad + np.concatenate([[0.0], strength * bias])

    from scipy.optimize import minimize  # here: reading stored labels (a report) never fits

    result = minimize(loss, np.zeros(1 + len(SENTIMENTS)), jac=True, method="L-BFGS-B")
    return PriorAdjustment(float(math.exp(result.x[0])), result.x[1:].copy())


def quietly(fit: Callable[[], Any], *, scikit_learn: bool = True) -> Callable[[], Any]:
    """``fit`` as every fit of a calibration runs, wherever it runs.

    On one BLAS thread: threads cost more than they save on matrices this size (5x slower on a
    busy two-core machine, benchmarks/text_analyze.py). With scikit-learn's convergence
    warnings silenced (and SciPy's warning that a Newton-Cholesky fit went on with L-BFGS): a
    head stopped short of convergence is still judged by cross-validation, and the warning
    would only alarm the user.

    Parameters
    ----------
    fit
        A function of no arguments.
    scikit_learn
        Whether ``fit`` may fit a scikit-learn model (False: it surely does not, and
        scikit-learn is not imported for its warnings).

    Returns
    -------
    callable
        A function of no arguments returning what ``fit`` returns.
    """

    def run() -> Any:
        from threadpoolctl import threadpool_limits

        with warnings.catch_warnings(), threadpool_limits(limits=1, user_api="blas"):
            if scikit_learn:  # else not imported for nothing (about 0.6-0.9 CPU s)
                from scipy.linalg import LinAlgWarning
                from sklearn.exceptions import ConvergenceWarning

                warnings.simplefilter("ignore", ConvergenceWarning)
                # Newton-Cholesky on a Hessian too ill-conditioned to factor finishes with
                # L-BFGS, as the head was fitted before EXACT_HEAD_LABELS, and says so.
                warnings.simplefilter("ignore", LinAlgWarning)
            return fit()

    return run
