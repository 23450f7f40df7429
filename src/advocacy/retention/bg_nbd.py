"""BG/NBD: who is still buying, and how much more they will buy.

Each customer buys at a Poisson rate drawn from a gamma(r, alpha) distribution and, after any
purchase, drops out with a probability drawn from a beta(a, b) distribution. Fitted by maximum
likelihood on (frequency, recency, T) with SciPy, in log-parameters with the analytic gradient.

References
----------
.. [1] Fader, P. S., Hardie, B. G. S., & Lee, K. L. (2005). "Counting your customers" the easy
   way: An alternative to the Pareto/NBD model. Marketing Science, 24(2), 275-284. On the CDNOW
   sample (calibration to 1997-09-30, weeks) they report r = 0.243, alpha = 4.414, a = 0.793,
   b = 2.426 and a log-likelihood of -9582.4, which the tests reproduce.

Equations (7) and (10) of [1]_ divide by ``a - 1``; at ``a = 1`` both are 0/0 with a finite
limit (by Pfaff's transformation the bracket is ``1 - 2F1(r + x, a - 1; a + b + x - 1; z')``, which
vanishes with ``a - 1``). Near it (:data:`NEAR_ONE`) they are interpolated from
three points just above it, where the formula is still exact to ~1e-11.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy.special import betaln, digamma, gammaln, hyp2f1

from advocacy.errors import InputError, InsufficientDataError
from advocacy.retention.estimation import (
    FloatArray,
    RepeatPurchaseModel,
    as_array,
    maximize_log_likelihood,
)

#: Within this of 1, ``a`` is read at the limit of equations (7) and (10) (see the module).
NEAR_ONE = 1e-4


def _at_a(a: float, compute: Any) -> FloatArray:
    """``compute(a)``, or, when ``a`` is within :data:`NEAR_ONE` of 1 (the formula's 0/0 at 1),
    the quadratic through ``compute`` at ``1 + h``, ``1 + 2h`` and ``1 + 3h`` read at ``a``
    (the function is smooth there: error O(h^3))."""
    if abs(a - 1.0) >= NEAR_ONE:
        return np.asarray(compute(a), dtype=float)
    nodes = [1.0 + k * NEAR_ONE for k in (1, 2, 3)]
    values = [np.asarray(compute(node), dtype=float) for node in nodes]
    total = np.zeros_like(values[0])
    for index, (node, value) in enumerate(zip(nodes, values, strict=True)):
        weight = 1.0
        for other_index, other in enumerate(nodes):
            if other_index != index:
                weight *= (a - other) / (node - other)
        total = total + weight * value
    return total


def _log_terms(
    params: FloatArray, x: FloatArray, t_x: FloatArray, T: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """The three log-terms of the individual likelihood: common, alive, dropped out."""
    r, alpha, a, b = params
    common = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    alive = betaln(a, b + x) - betaln(a, b) - (r + x) * np.log(alpha + T)
    with np.errstate(divide="ignore", invalid="ignore"):
        dropped = betaln(a + 1.0, b + x - 1.0) - betaln(a, b) - (r + x) * np.log(alpha + t_x)
    dropped = np.where(x > 0, dropped, -np.inf)
    return common, alive, dropped


def bg_nbd_log_likelihood(
    params: ArrayLike, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike, weights: Any = None
) -> tuple[float, FloatArray]:
    """Total log-likelihood of (r, alpha, a, b) and its gradient in log-parameters [1]_."""
    theta = as_array(params)
    x, t_x, total_time = as_array(frequency), as_array(recency), as_array(T)
    w = np.ones_like(x) if weights is None else as_array(weights)
    r, alpha, a, b = theta
    common, alive, dropped = _log_terms(theta, x, t_x, total_time)
    mixture = np.logaddexp(alive, dropped)
    share_alive = np.exp(alive - mixture)
    share_dropped = np.exp(dropped - mixture)
    log_alpha_t = np.log(alpha + total_time)
    log_alpha_tx = np.log(alpha + t_x)
    d_r = (
        digamma(r + x)
        - digamma(r)
        + np.log(alpha)
        - share_alive * log_alpha_t
        - share_dropped * log_alpha_tx
    )
    d_alpha = (
        r / alpha
        - share_alive * (r + x) / (alpha + total_time)
        - share_dropped * (r + x) / (alpha + t_x)
    )
    psi_ab = digamma(a + b)
    psi_abx = digamma(a + b + x)
    d_a = share_alive * (psi_ab - psi_abx) + share_dropped * (
        digamma(a + 1.0) - digamma(a) + psi_ab - psi_abx
    )
    with np.errstate(invalid="ignore"):
        dropped_b = np.where(x > 0, digamma(np.maximum(b + x - 1.0, 1e-300)), 0.0)
    d_b = share_alive * (digamma(b + x) - digamma(b) + psi_ab - psi_abx) + share_dropped * (
        dropped_b - digamma(b) + psi_ab - psi_abx
    )
    gradient = np.array([w @ d_r, w @ d_alpha, w @ d_a, w @ d_b]) * theta
    return float(w @ (common + mixture)), gradient


class BetaGeo(RepeatPurchaseModel):
    """The BG/NBD model of repeat purchasing for non-contractual customers [1]_.

    Parameters
    ----------
    penalizer
        L2 penalty on the parameters (0, the default, is plain maximum likelihood).
    time_unit
        Unit of recency and T when fitting on transactions: ``day``, ``week`` or ``month``.

    Attributes
    ----------
    params_ : dict
        ``r``, ``alpha``, ``a``, ``b`` as in the paper.
    log_likelihood_ : float
    n_customers_ : int
    repeat_buyers_ : int
        The customers of the fit who bought again (``frequency > 0``).
    covariance_ : numpy.ndarray or None
        Covariance of the log-parameters (the inverse observed information, in the order of
        ``params_``); None when it is singular. The intervals of the predictions use it.

    Examples
    --------
    >>> import pandas as pd
    >>> summary = pd.DataFrame({
    ...     "frequency": [0, 1, 2, 0, 3, 1, 0, 2],
    ...     "recency": [0, 10, 20, 0, 30, 5, 0, 25],
    ...     "T": [40, 40, 35, 30, 40, 38, 36, 40],
    ... })
    >>> model = BetaGeo().fit_summary(summary)
    >>> model.n_customers_, sorted(model.params_)
    (8, ['a', 'alpha', 'b', 'r'])
    >>> list(model.predict(summary, horizon=52).columns)
    ['probability_alive', 'expected_purchases']

    On a workspace's transactions (a summary is built from them first):

    >>> model = BetaGeo().fit_transactions(frame, calibration_end="1997-09-30")  # doctest: +SKIP
    """

    model_name = "bg-nbd"
    parameter_names = ("r", "alpha", "a", "b")
    summary_columns = ("frequency", "recency", "T")

    def fit(  # type: ignore[override]
        self, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
    ) -> BetaGeo:
        """Fit on per-customer repeat purchases, recency and time observed; return self."""
        x, t_x, total_time = self._validate(frequency, recency, T)
        if not np.any(x > 0):
            # Without a repeat purchase the likelihood does not depend on a and b: the fit
            # would return its starting point (a = 1, where equation (10) divides by 0).
            raise InsufficientDataError(
                f"the purchase model (BG/NBD) cannot be fitted: none of the {x.size:,} "
                "customers bought again after their first purchase, so nothing shows how "
                "often customers come back or drop out",
                fix="import more purchase history: the model learns from repeat buyers",
            )
        # identical histories share one likelihood term; weights keep the fit exact and fast
        keys = pd.DataFrame({"x": x, "t": t_x, "T": total_time})
        grouped = keys.groupby(["x", "t", "T"], sort=False).size().reset_index(name="n")
        counts, recencies = grouped["x"].to_numpy(float), grouped["t"].to_numpy(float)
        times, weights = grouped["T"].to_numpy(float), grouped["n"].to_numpy(float)
        start = np.log([1.0, max(float(np.mean(total_time)), 1e-3), 1.0, 1.0])

        def objective(theta: FloatArray) -> tuple[float, FloatArray]:
            return bg_nbd_log_likelihood(theta, counts, recencies, times, weights)

        self.repeat_buyers_, self.n_customers_ = int(np.sum(x > 0)), len(x)
        try:
            params, log_likelihood = maximize_log_likelihood(
                objective, start, penalizer=self.penalizer
            )
        except InputError as error:  # the likelihood is not finite where the search ended
            raise InsufficientDataError(
                f"the purchase model (BG/NBD) cannot be fitted: its likelihood is not finite "
                f"where the fit ends; {self._too_few()}",
                fix="import more purchase history: the model learns from repeat buyers",
            ) from error
        self._store(params, log_likelihood, len(x), objective)
        return self

    def _too_few(self) -> str:
        """Why the fit ran to an edge: few repeat buyers (the usual cause), or repeat buyers
        whose purchases show no one leaving (every one still buying on schedule)."""
        repeat, customers = self.repeat_buyers_, self.n_customers_
        if repeat < max(10, 0.05 * customers):
            return (
                f"only {repeat:,} of the {customers:,} customers bought again after their "
                "first purchase, too few to tell how often customers come back or drop out"
            )
        return (
            f"{repeat:,} of the {customers:,} customers bought again, yet their purchases do "
            "not show customers leaving (repeat buyers all still buying on schedule cannot "
            "tell leaving from buying slowly)"
        )

    def _validate(
        self, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
    ) -> tuple[FloatArray, FloatArray, FloatArray]:
        x, t_x, total_time = as_array(frequency), as_array(recency), as_array(T)
        self._check_summaries(x, t_x, total_time)
        return x, t_x, total_time

    def probability_alive(
        self, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
    ) -> NDArray[np.float64]:
        """P(still active at T | x, t_x, T), eq. (11) of [1]_."""
        r, alpha, a, b = self._fitted()
        x, t_x, total_time = as_array(frequency), as_array(recency), as_array(T)
        with np.errstate(divide="ignore", invalid="ignore"):
            log_odds = (
                np.log(a)
                - np.log(np.maximum(b + x - 1.0, 1e-300))
                + (r + x) * (np.log(alpha + total_time) - np.log(alpha + t_x))
            )
        return np.where(x > 0, 1.0 / (1.0 + np.exp(log_odds)), 1.0)

    def expected_purchases(
        self, t: ArrayLike, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
    ) -> NDArray[np.float64]:
        """Expected purchases in the next ``t`` time units given the history, eq. (10) of [1]_."""
        r, alpha, a, b = self._fitted()
        horizon = as_array(t)
        x, t_x, total_time = as_array(frequency), as_array(recency), as_array(T)
        z = horizon / (alpha + total_time + horizon)
        ratio = np.exp(
            (r + x) * (np.log(alpha + total_time) - np.log(alpha + total_time + horizon))
        )

        def bracketed(shape_a: float) -> FloatArray:
            numerator = (shape_a + b + x - 1.0) / (shape_a - 1.0)
            bracket = 1.0 - ratio * hyp2f1(r + x, b + x, shape_a + b + x - 1.0, z)
            return np.asarray(numerator * bracket, dtype=float)

        numerator = _at_a(a, bracketed)
        alive = self.probability_alive(x, t_x, total_time)
        return np.asarray(numerator * alive, dtype=float)

    def expected_purchases_new_customer(self, t: ArrayLike) -> NDArray[np.float64]:
        """Expected purchases of a new customer in ``t`` time units, E[X(t)], eq. (7) of [1]_."""
        r, alpha, a, b = self._fitted()
        horizon = as_array(t)
        ratio = (alpha / (alpha + horizon)) ** r

        def bracketed(shape_a: float) -> FloatArray:
            value = (shape_a + b - 1.0) / (shape_a - 1.0)
            z = horizon / (alpha + horizon)
            return np.asarray(
                value * (1.0 - ratio * hyp2f1(r, b, shape_a + b - 1.0, z)), dtype=float
            )

        return _at_a(a, bracketed)

    def predict(self, summary: pd.DataFrame, horizon: float) -> pd.DataFrame:
        """Probability alive and expected purchases in ``horizon`` for each summary row.

        Raises
        ------
        InsufficientDataError
            When the fit sits at an edge of its parameters where the predictions come out
            negative or not a number (a handful of repeat buyers): never shown as numbers.
        """
        self._fitted()
        columns = [summary[name].to_numpy(float) for name in self.summary_columns]
        with np.errstate(all="ignore"):  # judged below, as a whole
            alive = self.probability_alive(*columns)
            purchases = self.expected_purchases(horizon, *columns)
        usable = np.isfinite(alive) & (alive >= 0) & (alive <= 1)
        usable &= np.isfinite(purchases) & (purchases >= 0)
        if not usable.all():
            # A fit at an edge of its parameters (a handful of repeat buyers sends b to 1e23):
            # equation (10) there gives negative or NaN expectations, never to be shown.
            shown = ", ".join(f"{name} = {value:.3g}" for name, value in self.params_.items())
            raise InsufficientDataError(
                "the purchase model (BG/NBD) gives no usable prediction: its fit runs off to an "
                f"edge ({shown}), where expected purchases come out negative or not a number"
                + (f"; {self._too_few()}" if hasattr(self, "repeat_buyers_") else ""),
                fix="import more purchase history: the model learns from repeat buyers",
            )
        return pd.DataFrame(
            {"probability_alive": alive, "expected_purchases": purchases}, index=summary.index
        )
