"""Experience metrics with honest statistics: NPS, CSAT, CES, top-box and eNPS on any slice.

- :mod:`~advocacy.metrics.scores`: estimators for bare data (:func:`nps`, :func:`nps_from_counts`,
  :func:`mean_score`, :func:`share`) and for aggregated sums.
- :mod:`~advocacy.metrics.intervals`: Wilson, t, Wald and adjusted-Wald intervals, Kish's n.
- :mod:`~advocacy.metrics.comparisons`: two-sample tests, Holm and Benjamini-Hochberg, verdicts.
- :mod:`~advocacy.metrics.slicing`: the Ibis aggregation by dimension, period and dates.
- :mod:`~advocacy.metrics.experience`: :func:`experience_metrics`, behind ``Workspace.metrics``.
- :mod:`~advocacy.metrics.engines`: the same metrics on Spark over Parquet.
"""

from advocacy.metrics.comparisons import Comparison, adjust_p_values, nps_difference, verdict
from advocacy.metrics.experience import experience_metrics
from advocacy.metrics.intervals import kish_effective_n
from advocacy.metrics.scores import (
    NpsResult,
    ScoreResult,
    mean_score,
    nps,
    nps_from_counts,
    share,
)
from advocacy.metrics.slicing import METRICS

__all__ = [
    "METRICS",
    "Comparison",
    "NpsResult",
    "ScoreResult",
    "adjust_p_values",
    "experience_metrics",
    "kish_effective_n",
    "mean_score",
    "nps",
    "nps_difference",
    "nps_from_counts",
    "share",
    "verdict",
]
