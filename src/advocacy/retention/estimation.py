"""Maximum-likelihood fitting shared by the purchase models, and their estimator contract.

Parameters are optimised on the log scale (they are all positive) by BFGS [1]_ with the
analytic gradient and a backtracking line search, to a gradient near rounding (a few dozen
steps for the two to four parameters of these models; NumPy alone, where SciPy's optimisers
cost a report ~20 MB to import). A Nelder-Mead pass (SciPy's) runs only if BFGS fails, and its
result is polished by BFGS again.

References
----------
.. [1] Nocedal, J., & Wright, S. J. (2006). Numerical Optimization (2nd ed.), algorithm 6.1
   (BFGS) and 3.1 (backtracking line search). Springer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from advocacy.errors import InputError, UsageError

FloatArray = NDArray[np.float64]
Objective = Callable[[FloatArray], tuple[float, FloatArray]]


class NotFittedError(UsageError):
    """A model was asked to predict before it was fitted."""


def as_array(values: ArrayLike) -> FloatArray:
    return np.asarray(values, dtype=float)


#: The log-parameters a fit scores lie within plus or minus this (parameters from about 1e-13
#: to 1e13): beyond it the likelihood is flat to rounding, or overflows.
LOG_BOUND = 30.0
#: BFGS stops when no gradient entry exceeds this, relative to the objective's size.
GRADIENT_TOLERANCE = 1e-9
MAX_STEPS = 2000


def bfgs(objective: Objective, start: FloatArray) -> tuple[FloatArray, bool]:
    """Minimise ``objective`` (value and gradient) from ``start`` by BFGS; return the point and
    whether it converged (a finite minimum where the gradient vanishes)."""
    x = np.asarray(start, dtype=float).copy()
    value, gradient = objective(x)
    if not np.isfinite(value) or value >= 1e300:
        return x, False
    inverse = np.eye(x.size)
    for step in range(MAX_STEPS):
        if np.max(np.abs(gradient)) <= GRADIENT_TOLERANCE * max(1.0, abs(value)):
            return x, True
        direction = -inverse @ gradient
        slope = float(gradient @ direction)
        if slope >= 0:  # not a descent direction: restart from the gradient
            inverse = np.eye(x.size)
            direction, slope = -gradient, -float(gradient @ gradient)
        size = 1.0
        while True:
            trial = x + size * direction
            trial_value, trial_gradient = objective(trial)
            if np.isfinite(trial_value) and trial_value <= value + 1e-4 * size * slope:
                break
            size /= 2.0
            if size < 1e-16:
                break
        # No step lowers it: at the minimum to rounding, or stuck. A step "accepted" only
        # because value + 1e-4 * size * slope rounds to value does not count: it moves nothing,
        # and each of the remaining steps would repeat the same ~50 halvings (a Gamma-Gamma fit
        # whose summed gradient stays just above the tolerance took 20 s of CPU so).
        if size < 1e-16 or not trial_value < value:
            converged = np.max(np.abs(gradient)) <= 1e-5 * max(1.0, abs(value))
            return x, bool(converged)
        moved, change = trial - x, trial_gradient - gradient
        curvature = float(moved @ change)
        if curvature > 1e-12:
            if step == 0:  # scale the first guess of the inverse Hessian (N&W eq. 6.20)
                inverse = np.eye(x.size) * curvature / float(change @ change)
            rho = 1.0 / curvature
            left = np.eye(x.size) - rho * np.outer(moved, change)
            inverse = left @ inverse @ left.T + rho * np.outer(moved, moved)
        x, value, gradient = trial, trial_value, trial_gradient
    return x, False


def maximize_log_likelihood(
    objective: Objective, start: ArrayLike, *, penalizer: float = 0.0
) -> tuple[FloatArray, float]:
    """Parameters (natural scale) maximising ``objective`` and the log-likelihood reached.

    ``objective(params)`` returns the log-likelihood at ``params`` and its gradient with respect
    to the log-parameters. The search scores parameters between ``exp(-30)`` and ``exp(30)``
    (:data:`LOG_BOUND`); a fit that runs off to an edge (a handful of repeat buyers send
    BG/NBD's b towards infinity) reports the bound it scored, not the point past it where the
    search stopped.
    """

    def scored(log_params: FloatArray) -> FloatArray:
        return np.exp(np.clip(log_params, -LOG_BOUND, LOG_BOUND))

    def negative(log_params: FloatArray) -> tuple[float, FloatArray]:
        params = scored(log_params)
        value, gradient = objective(params)
        penalty = penalizer * float(params @ params)
        penalty_gradient = 2.0 * penalizer * params * params
        if not np.isfinite(value):
            return 1e300, np.zeros_like(log_params)
        return -(value - penalty), -(gradient - penalty_gradient)

    start_point = np.asarray(start, dtype=float)
    best, converged = bfgs(negative, start_point)
    if not converged:
        from scipy import optimize  # the rare fallback only: SciPy's optimisers are heavy

        rough = optimize.minimize(
            lambda p: negative(p)[0], start_point, method="Nelder-Mead", options={"maxiter": 20000}
        )
        best, _ = bfgs(negative, rough.x)
    params = scored(best)
    log_likelihood, _ = objective(params)
    if not np.isfinite(log_likelihood):
        raise InputError(
            "the model could not be fitted: the likelihood is not finite",
            fix="check for negative or inconsistent frequency/recency/T values",
        )
    return params, float(log_likelihood)


def log_parameter_covariance(objective: Objective, params: ArrayLike) -> FloatArray | None:
    """The covariance of the log-parameters at the maximum ``params``: the inverse of the
    observed information (minus the Hessian of the log-likelihood), the Hessian by central
    differences of ``objective``'s analytic gradient (in log-parameters). None when the
    information is not positive definite (a maximum on a ridge or at an edge: no interval)."""
    centre = np.log(np.asarray(params, dtype=float))
    size, step = centre.size, 1e-5
    hessian = np.empty((size, size))
    for index in range(size):
        shift = np.zeros(size)
        shift[index] = step
        upper = objective(np.exp(centre + shift))[1]
        lower = objective(np.exp(centre - shift))[1]
        hessian[:, index] = (upper - lower) / (2.0 * step)
    information = -(hessian + hessian.T) / 2.0
    if not np.all(np.isfinite(information)) or np.min(np.linalg.eigvalsh(information)) <= 0:
        return None
    covariance = np.asarray(np.linalg.inv(information), dtype=np.float64)
    return covariance if np.all(np.isfinite(covariance)) else None


class RepeatPurchaseModel:
    """scikit-learn-style estimator base: hyper-parameters in ``__init__``, ``fit`` sets ``_``."""

    model_name: ClassVar[str] = ""
    parameter_names: ClassVar[tuple[str, ...]] = ()
    summary_columns: ClassVar[tuple[str, ...]] = ()

    params_: dict[str, float]
    log_likelihood_: float
    n_customers_: int
    #: Covariance of the log-parameters (inverse observed information); None when singular.
    covariance_: FloatArray | None

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

    def _store(
        self,
        params: FloatArray,
        log_likelihood: float,
        n_customers: int,
        objective: Objective | None = None,
    ) -> None:
        self.params_ = dict(zip(self.parameter_names, (float(p) for p in params), strict=True))
        self.log_likelihood_ = log_likelihood
        self.n_customers_ = n_customers
        self.covariance_ = (
            None if objective is None else log_parameter_covariance(objective, params)
        )

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
