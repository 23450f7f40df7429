"""Experience metrics with honest statistics: NPS, CSAT, CES, top-box and eNPS on any slice.

- :mod:`~advocacy.metrics.scores`: estimators for bare data (:func:`nps`, :func:`nps_from_counts`,
  :func:`mean_score`, :func:`share`) and for aggregated sums.
- :mod:`~advocacy.metrics.intervals`: Wilson, t, Wald and adjusted-Wald intervals, Kish's n.
- :mod:`~advocacy.metrics.comparisons`: two-sample tests, Holm and Benjamini-Hochberg, verdicts.
- :mod:`~advocacy.metrics.slicing`: the Ibis aggregation by dimension, period and dates.
- :mod:`~advocacy.metrics.experience`: :func:`experience_metrics`, behind ``ws.metrics.scores``.
- :mod:`~advocacy.metrics.engines`: the same metrics on Spark over Parquet.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from advocacy.lazy_names import lazy_names as _lazy_names
from advocacy.metrics.catalogue import METRICS

if TYPE_CHECKING:
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

#: Public name -> the module that defines it, imported on first use (advocacy.lazy_names).
_LAZY = {
    "adjust_p_values": "advocacy.metrics.comparisons",
    "Comparison": "advocacy.metrics.comparisons",
    "experience_metrics": "advocacy.metrics.experience",
    "kish_effective_n": "advocacy.metrics.intervals",
    "mean_score": "advocacy.metrics.scores",
    "nps": "advocacy.metrics.scores",
    "nps_difference": "advocacy.metrics.comparisons",
    "nps_from_counts": "advocacy.metrics.scores",
    "NpsResult": "advocacy.metrics.scores",
    "ScoreResult": "advocacy.metrics.scores",
    "share": "advocacy.metrics.scores",
    "verdict": "advocacy.metrics.comparisons",
}


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

__getattr__, __dir__ = _lazy_names(__name__, _LAZY, __all__)
