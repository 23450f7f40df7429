"""Maximum-likelihood fitting shared by the purchase models, and their estimator contract.

Parameters are optimised on the log scale (they are all positive) with L-BFGS-B and the
analytic gradient; a Nelder-Mead pass runs only if the gradient method fails, and its result is
polished by L-BFGS-B again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy import optimize

from advocacy.errors import InputError, UsageError

FloatArray = NDArray[np.float64]
Objective = Callable[[FloatArray], tuple[float, FloatArray]]


class NotFittedError(UsageError):
    """A model was asked to predict before it was fitted."""


def as_array(values: ArrayLike) -> FloatArray:
    return np.asarray(values, dtype=float)


def maximize_log_likelihood(
    objective: Objective, start: ArrayLike, *, penalizer: float = 0.0
) -> tuple[FloatArray, float]:
    """Parameters (natural scale) maximising ``objective`` and the log-likelihood reached.

    ``objective(params)`` returns the log-likelihood at ``params`` and its gradient with respect
    to the log-parameters.
    """

    def negative(log_params: FloatArray) -> tuple[float, FloatArray]:
        params = np.exp(np.clip(log_params, -30.0, 30.0))
        value, gradient = objective(params)
        penalty = penalizer * float(params @ params)
        penalty_gradient = 2.0 * penalizer * params * params
        if not np.isfinite(value):
            return 1e300, np.zeros_like(log_params)
        return -(value - penalty), -(gradient - penalty_gradient)

    start_point = np.asarray(start, dtype=float)
    result = optimize.minimize(
        negative, start_point, jac=True, method="L-BFGS-B", options={"maxiter": 2000}
    )
    if not result.success or not np.all(np.isfinite(result.x)):
        rough = optimize.minimize(
            lambda p: negative(p)[0], start_point, method="Nelder-Mead", options={"maxiter": 20000}
        )
        result = optimize.minimize(negative, rough.x, jac=True, method="L-BFGS-B")
    params = np.exp(result.x)
    log_likelihood, _ = objective(params)
    if not np.isfinite(log_likelihood):
        raise InputError(
            "the model could not be fitted: the likelihood is not finite",
            fix="check for negative or inconsistent frequency/recency/T values",
        )
    return params, float(log_likelihood)


class RepeatPurchaseModel:
    """scikit-learn-style estimator base: hyper-parameters in ``__init__``, ``fit`` sets ``_``."""

    model_name: ClassVar[str] = ""
    parameter_names: ClassVar[tuple[str, ...]] = ()
    summary_columns: ClassVar[tuple[str, ...]] = ()

    params_: dict[str, float]
    log_likelihood_: float
    n_customers_: int

    def __init__(self, *, penalizer: float = 0.0, time_unit: str = "week") -> None:
        self.penalizer = penalizer
        self.time_unit = time_unit

    def fit(self, *summaries: ArrayLike) -> Any:
        raise NotImplementedError

    def fit_transactions(
        self,
        data: Any,
        *,
        calibration_end: Any = None,
        customer_column: str = "customer_id",
        date_column: str | None = None,
        amount_column: str = "amount",
    ) -> Any:
        """Summarise transactions (DataFrame or Ibis table) and fit on the summaries."""
        from advocacy.retention.rfm import summarize_transactions

        summary = summarize_transactions(
            data,
            calibration_end=calibration_end,
            time_unit=self.time_unit,
            customer_column=customer_column,
            date_column=date_column,
            amount_column=amount_column,
        )
        return self.fit_summary(summary)

    def fit_summary(self, summary: pd.DataFrame) -> Any:
        """Fit on a frame from :func:`advocacy.retention.rfm.summarize_transactions`."""
        return self.fit(*(summary[name].to_numpy(float) for name in self.summary_columns))

    def _check_summaries(self, frequency: FloatArray, *others: FloatArray) -> None:
        if frequency.size == 0:
            raise InputError("no customers to fit on", fix="give at least a few customers")
        if any(other.shape != frequency.shape for other in others):
            raise InputError("summary columns have different lengths")
        for values in (frequency, *others):
            if not np.all(np.isfinite(values)) or np.any(values < 0):
                raise InputError(
                    "summary values must be finite and not negative",
                    value=float(values[~np.isfinite(values) | (values < 0)][0]),
                )
        if self.penalizer < 0:
            raise UsageError("penalizer must be >= 0", value=self.penalizer, parameter="penalizer")

    def _store(self, params: FloatArray, log_likelihood: float, n_customers: int) -> None:
        self.params_ = dict(zip(self.parameter_names, (float(p) for p in params), strict=True))
        self.log_likelihood_ = log_likelihood
        self.n_customers_ = n_customers

    def _fitted(self) -> FloatArray:
        if not hasattr(self, "params_"):
            raise NotFittedError(
                f"this {type(self).__name__} is not fitted yet",
                fix="call fit(...) or fit_transactions(...) first",
            )
        return np.array([self.params_[name] for name in self.parameter_names])

    def summary(self) -> dict[str, Any]:
        """What was fitted: model, parameters by the paper's names, log-likelihood, customers."""
        self._fitted()
        return {
            "model": self.model_name,
            "parameters": dict(self.params_),
            "log_likelihood": self.log_likelihood_,
            "n_customers": self.n_customers_,
            "time_unit": self.time_unit,
        }

    def __repr__(self) -> str:
        name = type(self).__name__
        if not hasattr(self, "params_"):
            return f"{name}(penalizer={self.penalizer}, time_unit={self.time_unit!r})"
        shown = ", ".join(f"{key}={value:.3f}" for key, value in self.params_.items())
        return f"<{name} fitted on {self.n_customers_} customers: {shown}>"
