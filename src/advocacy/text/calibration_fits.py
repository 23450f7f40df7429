"""The fits a sentiment calibration is made of (:mod:`advocacy.text.calibration`).

The head is a multinomial logistic regression (scikit-learn) on the text model's embedding and
its generic log-odds, with a TF-IDF model's probabilities stacked as more log-odds when it
helps (Wolpert 1992). Cross-validation fits it along a path of penalties, fold by fold; each fit
here is one task that a worker can run (:mod:`advocacy.text.workers`).

References
----------
Wolpert, D. (1992). Stacked generalization. Neural Networks 5(2), 241-259.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from advocacy.text.calibration_tfidf import TermCounts
from advocacy.text.heads import FloatArray
from advocacy.text.sentiment import SENTIMENTS

__all__ = [
    "PRIOR_SCALE",
    "class_probabilities",
    "fit_head",
    "fit_stacked_head",
    "fold_splits",
    "head_model",
    "log_odds",
    "log_probabilities",
    "penalty_path",
    "with_tfidf",
]

#: The generic log-probabilities are multiplied by this before the head sees them (see
#: :mod:`advocacy.text.calibration`).
PRIOR_SCALE = 3.0


def log_probabilities(probabilities: FloatArray) -> FloatArray:
    """Log-probabilities, floored at 1e-4 so that a confident model gives bounded features."""
    return np.log(np.clip(np.asarray(probabilities, dtype=np.float64), 1e-4, 1.0))


def log_odds(probabilities: FloatArray) -> FloatArray:
    """Log-probabilities centred per row (softmax is blind to the centre; the head is not)."""
    logs = log_probabilities(probabilities)
    centred: FloatArray = logs - logs.mean(axis=1, keepdims=True)
    return centred


def head_model(penalty: float, *, warm_start: bool = False) -> Any:
    """An unfitted head at the inverse L2 penalty ``penalty``."""
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=penalty, max_iter=2000, warm_start=warm_start)


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
    """The head at ``penalty`` fitted on every row of ``matrix``."""
    return head_model(penalty).fit(matrix, y, sample_weight=weight)


def fit_stacked_head(
    penalty: float,
    features: FloatArray,
    tfidf: FloatArray,
    counts: TermCounts,
    models: list[Any],
    rest: NDArray[np.int64],
    y: NDArray[np.int64],
    weight: FloatArray,
) -> Any:
    """The head with the stacked TF-IDF fitted on every label: ``tfidf`` holds the sample's
    out-of-fold probabilities, and the labels at ``rest`` (beyond the sample) get the mean
    probabilities of the sample's fold ``models`` (which never saw them)."""
    tfidf = tfidf.copy()
    for model in models if len(rest) else ():
        found, classes = counts.predict(model, rest)
        tfidf[np.ix_(rest, np.asarray(classes, dtype=int))] += found / len(models)
    return fit_head(penalty, with_tfidf(features, tfidf), y, weight)


def with_tfidf(features: FloatArray, probabilities: FloatArray) -> FloatArray:
    """``features`` with a TF-IDF model's probabilities stacked as scaled log-odds."""
    return np.hstack([features, PRIOR_SCALE * log_odds(probabilities)])
