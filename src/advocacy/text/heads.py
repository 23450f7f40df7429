"""Linear classifier heads on text embeddings: multinomial logistic regression.

Every text model in advocacy is an embedding (:mod:`advocacy.text.embeddings`) followed by one of
these heads. Inference is a matrix product and a softmax, so it needs NumPy only; fitting is
scikit-learn's :class:`~sklearn.linear_model.LogisticRegression` (L-BFGS), with the head keeping
one column of weights per class so a shipped ``.npz`` head loads without scikit-learn's pickles.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from advocacy.errors import UsageError

FloatArray = NDArray[np.float64]


def softmax(logits: FloatArray) -> FloatArray:
    """Row-wise softmax, stable for large logits."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)  # type: ignore[no-any-return]


class LinearHead:
    """Multinomial logistic regression with an L2 penalty and optional class weights.

    Parameters
    ----------
    classes : sequence of str
        Class names, in the order of the columns of :meth:`predict_proba`.
    l2 : float
        Penalty on the squared weights (not the intercepts), per training example.
    balanced : bool
        Weight each class inversely to its frequency, so macro-recall is what is optimised.
    max_iter : int
        L-BFGS iterations.

    Examples
    --------
    >>> import numpy as np
    >>> features = np.array([[0.0, 1.0], [0.1, 0.9], [1.0, 0.0], [0.9, 0.2]])
    >>> head = LinearHead(["complaint", "praise"]).fit(features, ["complaint"] * 2 + ["praise"] * 2)
    >>> head.predict(np.array([[0.05, 0.95], [0.95, 0.1]])).tolist()
    ['complaint', 'praise']
    """

    def __init__(
        self,
        classes: tuple[str, ...] | list[str],
        *,
        l2: float = 1e-3,
        balanced: bool = True,
        max_iter: int = 500,
    ) -> None:
        self.classes = tuple(classes)
        self.l2 = l2
        self.balanced = balanced
        self.max_iter = max_iter

    def __repr__(self) -> str:
        fitted = f", fitted on {self.n_samples_} texts" if hasattr(self, "coef_") else ""
        return f"LinearHead(classes={list(self.classes)}, l2={self.l2}{fitted})"

    def fit(
        self,
        features: NDArray[Any],
        labels: NDArray[Any] | list[str],
        *,
        sample_weight: NDArray[Any] | None = None,
    ) -> LinearHead:
        """Fit on ``features`` (n x d) and class-name ``labels`` (n); returns self."""
        x = np.asarray(features, dtype=np.float64)
        names = np.asarray(labels).astype(str)
        if x.ndim != 2 or x.shape[0] != names.shape[0] or x.shape[0] == 0:
            raise UsageError(
                f"features must be n x d with one label per row (got {x.shape}, {names.shape})",
                fix="pass one label per embedded text",
            )
        unknown = sorted(set(names) - set(self.classes))
        if unknown:
            raise UsageError(
                f"unknown class labels {unknown}",
                value=unknown[0],
                fix="use one of: " + ", ".join(self.classes),
            )
        index = {name: i for i, name in enumerate(self.classes)}
        y = np.array([index[name] for name in names])
        k, (n, d) = len(self.classes), x.shape
        weight = np.ones(n) if sample_weight is None else np.asarray(sample_weight, float)
        if self.balanced:
            counts = np.bincount(y, weights=weight, minlength=k)
            present = counts > 0
            factor = np.where(
                present, weight.sum() / (present.sum() * np.maximum(counts, 1e-12)), 0
            )
            weight = weight * factor[y]
        weight = weight / weight.sum()
        # A class without examples is never predicted: no weights, an intercept of -inf.
        self.coef_ = np.zeros((d, k))
        self.intercept_ = np.full(k, -np.inf)
        seen = np.unique(y)
        self.converged_ = True
        if seen.size == 1:
            self.intercept_[seen] = 0.0
        else:
            self._fit_seen(x, y, weight, seen)
        self.n_samples_ = n
        return self

    def _fit_seen(
        self, x: FloatArray, y: NDArray[Any], weight: FloatArray, seen: NDArray[Any]
    ) -> None:
        """scikit-learn's logistic regression on the classes that have examples.

        The objective is the weighted mean log-loss plus ``l2`` times the squared weights of
        all ``k`` columns (the symmetric multinomial form). scikit-learn minimises ``C`` times
        the weighted log-loss plus half the squared weights, so ``C = 1 / (2 l2)``; for two
        classes it fits one column ``v`` (the difference of the two), whose symmetric form
        ``(-v/2, v/2)`` costs ``l2 |v|^2 / 2``, so there ``C = 1 / l2``.
        """
        # Imported here: reading with a shipped head (every report) needs no scikit-learn.
        from sklearn.exceptions import ConvergenceWarning
        from sklearn.linear_model import LogisticRegression

        binary = seen.size == 2
        model = LogisticRegression(
            C=1 / self.l2 if binary else 1 / (2 * self.l2), max_iter=self.max_iter, tol=1e-8
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit(x, y, sample_weight=weight)
        if binary:
            half_coef, half_intercept = model.coef_[0] / 2, model.intercept_[0] / 2
            self.coef_[:, seen] = np.column_stack([-half_coef, half_coef])
            self.intercept_[seen] = [-half_intercept, half_intercept]
        else:
            self.coef_[:, seen] = model.coef_.T
            self.intercept_[seen] = model.intercept_
        self.converged_ = bool(np.max(model.n_iter_) < self.max_iter)

    def _check_fitted(self) -> None:
        if not hasattr(self, "coef_"):
            raise UsageError(
                "this LinearHead is not fitted yet", fix="call fit(features, labels) first"
            )

    def decision_function(self, features: NDArray[Any]) -> FloatArray:
        """Class logits (n x k)."""
        self._check_fitted()
        return np.asarray(features, dtype=np.float64) @ self.coef_ + self.intercept_  # type: ignore[no-any-return]

    def predict_proba(self, features: NDArray[Any]) -> FloatArray:
        """Class probabilities (n x k), columns in the order of ``classes``."""
        return softmax(self.decision_function(features))

    def predict(self, features: NDArray[Any]) -> NDArray[np.str_]:
        """The most probable class name per row."""
        names: NDArray[np.str_] = np.asarray(self.classes)
        chosen: NDArray[np.str_] = names[self.predict_proba(features).argmax(axis=1)]
        return chosen

    def summary(self) -> dict[str, Any]:
        """What was fitted: classes, dimension, training size, convergence."""
        self._check_fitted()
        return {
            "classes": list(self.classes),
            "dimension": int(self.coef_.shape[0]),
            "n_samples": self.n_samples_,
            "l2": self.l2,
            "converged": self.converged_,
        }

    # -- persistence ----------------------------------------------------------------------------
    def save(self, path: str | Path) -> None:
        """Write the fitted head to an ``.npz`` file (float32 weights and class names)."""
        self._check_fitted()
        np.savez_compressed(
            path,
            coef=self.coef_.astype(np.float32),
            intercept=self.intercept_.astype(np.float32),
            classes=np.asarray(self.classes),
            l2=np.float64(self.l2),
            n_samples=np.int64(self.n_samples_),
        )

    @classmethod
    def load(cls, path: str | Path) -> LinearHead:
        """Read a head written by :meth:`save`."""
        with np.load(path, allow_pickle=False) as data:
            head = cls(tuple(str(name) for name in data["classes"]), l2=float(data["l2"]))
            head.coef_ = data["coef"].astype(np.float64)
            head.intercept_ = data["intercept"].astype(np.float64)
            head.n_samples_ = int(data["n_samples"])
            head.converged_ = True
        return head
