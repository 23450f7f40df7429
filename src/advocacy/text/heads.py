"""Linear classifier heads on text embeddings: multinomial logistic regression in NumPy/SciPy.

Every text model in advocacy is an embedding (:mod:`advocacy.text.embeddings`) followed by one of
these heads. Inference is a matrix product and a softmax, so it needs NumPy only; fitting uses
SciPy's L-BFGS, which is fast enough to fit a per-workspace head on a laptop in seconds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import minimize

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

    References
    ----------
    Nocedal, J. (1980). Updating quasi-Newton matrices with limited storage.
    Mathematics of Computation 35(151), 773-782.
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
        onehot = np.zeros((n, k))
        onehot[np.arange(n), y] = 1.0
        weight = np.ones(n) if sample_weight is None else np.asarray(sample_weight, float)
        if self.balanced:
            counts = np.bincount(y, weights=weight, minlength=k)
            present = counts > 0
            factor = np.where(
                present, weight.sum() / (present.sum() * np.maximum(counts, 1e-12)), 0
            )
            weight = weight * factor[y]
        weight = weight / weight.sum()

        def loss(theta: FloatArray) -> tuple[float, FloatArray]:
            coef, intercept = theta[: d * k].reshape(d, k), theta[d * k :]
            logits = x @ coef + intercept
            logits -= logits.max(axis=1, keepdims=True)
            log_norm = np.log(np.exp(logits).sum(axis=1))
            nll = float(-(weight * ((onehot * logits).sum(axis=1) - log_norm)).sum())
            residual = (softmax(logits) - onehot) * weight[:, None]
            grad_coef = x.T @ residual + 2 * self.l2 * coef
            value = nll + self.l2 * float((coef**2).sum())
            return value, np.concatenate([grad_coef.ravel(), residual.sum(axis=0)])

        result = minimize(
            loss,
            np.zeros(d * k + k),
            jac=True,
            method="L-BFGS-B",
            options={"maxiter": self.max_iter},
        )
        self.coef_ = result.x[: d * k].reshape(d, k)
        self.intercept_ = result.x[d * k :]
        self.n_samples_ = n
        self.converged_ = bool(result.success)
        return self

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
