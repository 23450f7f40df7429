"""Gamma-Gamma: what a customer's future purchases are worth on average.

A customer's purchase values are gamma(p, nu) around their own mean, with nu drawn from a
gamma(q, gamma) distribution across customers; the model is fitted on repeat buyers' number of
purchases and average purchase value, assuming spend is independent of purchase frequency.

References
----------
.. [1] Fader, P. S., Hardie, B. G. S., & Lee, K. L. (2005). RFM and CLV: Using iso-value curves
   for customer base analysis. Journal of Marketing Research, 42(4), 415-430.
.. [2] Fader, P. S., & Hardie, B. G. S. (2013). The Gamma-Gamma model of monetary value.
   http://brucehardie.com/notes/025/. On the 946 repeat buyers of the CDNOW sample
   (calibration to 1997-09-30) it reports p = 6.25, q = 3.74, gamma = 15.44, which the tests
   reproduce.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy.special import digamma, gammaln

from advocacy.errors import InputError
from advocacy.retention.estimation import (
    FloatArray,
    RepeatPurchaseModel,
    as_array,
    maximize_log_likelihood,
)


def gamma_gamma_log_likelihood(
    params: ArrayLike, frequency: ArrayLike, monetary_value: ArrayLike
) -> tuple[float, FloatArray]:
    """Total log-likelihood of (p, q, gamma) and its gradient in log-parameters [2]_."""
    theta = as_array(params)
    p, q, scale = theta
    x, m = as_array(frequency), as_array(monetary_value)
    px = p * x
    log_total = np.log(scale + m * x)
    value = (
        gammaln(px + q)
        - gammaln(px)
        - gammaln(q)
        + q * np.log(scale)
        + (px - 1.0) * np.log(m)
        + px * np.log(x)
        - (px + q) * log_total
    )
    d_p = x * (digamma(px + q) - digamma(px) + np.log(m) + np.log(x) - log_total)
    d_q = digamma(px + q) - digamma(q) + np.log(scale) - log_total
    d_scale = q / scale - (px + q) / (scale + m * x)
    gradient = np.array([d_p.sum(), d_q.sum(), d_scale.sum()]) * theta
    return float(value.sum()), gradient


class GammaGamma(RepeatPurchaseModel):
    """The Gamma-Gamma model of average purchase value [1]_, [2]_.

    Fitted on repeat buyers only (``frequency > 0``): customers without repeat purchases are
    left out of the fit, as in the paper, and get the population mean spend when predicting.

    Parameters
    ----------
    penalizer
        L2 penalty on the parameters (0, the default, is plain maximum likelihood).
    time_unit
        Unit of recency and T when fitting on transactions: ``day``, ``week`` or ``month``.

    Attributes
    ----------
    params_ : dict
        ``p``, ``q``, ``gamma`` as in the note [2]_.
    log_likelihood_ : float
    n_customers_ : int
        Repeat buyers the model was fitted on.
    covariance_ : numpy.ndarray or None
        Covariance of the log-parameters (the inverse observed information, in the order of
        ``params_``); None when it is singular. The intervals of the predictions use it.

    Examples
    --------
    >>> import pandas as pd
    >>> summary = pd.DataFrame({
    ...     "frequency": [0, 1, 2, 3, 1, 2],
    ...     "monetary_value": [0.0, 20.0, 35.0, 50.0, 15.0, 30.0],
    ... })
    >>> model = GammaGamma().fit_summary(summary)
    >>> model.n_customers_, sorted(model.params_)
    (5, ['gamma', 'p', 'q'])
    >>> list(model.predict(summary).columns)
    ['expected_spend']
    """

    model_name = "gamma-gamma"
    parameter_names = ("p", "q", "gamma")
    summary_columns = ("frequency", "monetary_value")

    def fit(  # type: ignore[override]
        self, frequency: ArrayLike, monetary_value: ArrayLike
    ) -> GammaGamma:
        """Fit on repeat purchases and their average value; return self."""
        x, m = as_array(frequency), as_array(monetary_value)
        self._check_summaries(x, m)
        repeat = x > 0
        if np.any(repeat & (m <= 0)):
            raise InputError(
                "repeat buyers need a positive average purchase value",
                value=float(m[repeat & (m <= 0)][0]),
                fix="drop refunds and zero-value purchases before fitting Gamma-Gamma",
            )
        if repeat.sum() < 2:
            raise InputError(
                "Gamma-Gamma needs at least two repeat buyers (customers who bought on two "
                "days or more, for more than 0)",
                fix="import more purchase history: what a purchase is worth is learnt from "
                "customers who bought again",
            )
        x, m = x[repeat], m[repeat]
        start = np.log([1.0, 1.0, max(float(np.mean(m)), 1e-3)])

        def objective(theta: FloatArray) -> tuple[float, FloatArray]:
            return gamma_gamma_log_likelihood(theta, x, m)

        params, log_likelihood = maximize_log_likelihood(objective, start, penalizer=self.penalizer)
        self._store(params, log_likelihood, int(repeat.sum()), objective)
        return self

    def population_mean_spend(self) -> float:
        """Expected average purchase value of a customer with no history, p gamma / (q - 1)."""
        p, q, scale = self._fitted()
        return float(p * scale / (q - 1.0)) if q > 1.0 else float("inf")

    def expected_spend(
        self, frequency: ArrayLike, monetary_value: ArrayLike
    ) -> NDArray[np.float64]:
        """Expected average value of future purchases given x purchases averaging m, eq. (5)."""
        p, q, scale = self._fitted()
        x, m = as_array(frequency), as_array(monetary_value)
        return np.asarray((scale + m * x) * p / (p * x + q - 1.0), dtype=float)

    def predict(self, summary: pd.DataFrame) -> pd.DataFrame:
        """Expected spend per purchase for each summary row."""
        return pd.DataFrame(
            {
                "expected_spend": self.expected_spend(
                    summary["frequency"].to_numpy(float), summary["monetary_value"].to_numpy(float)
                )
            },
            index=summary.index,
        )
