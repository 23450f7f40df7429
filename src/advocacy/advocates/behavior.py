"""Experience -> behaviour: what promoters, passives and detractors go on to do.

Each customer's latest NPS answer whose whole follow-up window lies before "as of" places them
in a band; over the following window we measure whether they bought again (retention), bought
at least twice (repeat purchase), how much they spent, and whether they referred anyone. Rates
carry Wilson intervals and mean spend a t interval, so a company can state from its own data
what a promoter is worth compared with a detractor.

References
----------
.. [1] Reichheld, F. F. (2003). The one number you need to grow. Harvard Business Review, 81(12).
.. [2] Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
   inference. Journal of the American Statistical Association, 22(158), 209-212.
"""

from __future__ import annotations

from typing import Any

import ibis
import numpy as np
import pandas as pd

from advocacy.advocates.evidence import LadderRules, as_of_end, latest_evidence
from advocacy.errors import UsageError
from advocacy.metrics.intervals import t_interval, wilson_interval

BANDS = ("promoter", "passive", "detractor")
OUTCOMES = ("retention", "repeat_purchase", "referral", "spend")


def _answers(responses: Any, end: Any, window_days: int, rules: LadderRules) -> Any:
    follow = ibis.interval(days=window_days)
    done = responses.filter(
        responses.customer_id.notnull(),
        responses.nps.notnull(),
        responses.submitted_at + follow <= end,
    )
    order = ibis.window(group_by=done.customer_id, order_by=ibis.desc(done.submitted_at))
    ranked = done.select(
        "customer_id",
        "submitted_at",
        band=ibis.cases(
            (done.nps >= rules.promoter_min, "promoter"),
            (done.nps >= rules.passive_min, "passive"),
            else_="detractor",
        ),
        position=ibis.row_number().over(order),
    )
    return ranked.filter(ranked.position == 0).drop("position")


def behavior_by_band(
    responses: Any,
    transactions: Any,
    referrals: Any,
    *,
    window_days: int = 180,
    as_of: Any = None,
    rules: LadderRules | None = None,
    confidence: float = 0.95,
    timezone: str = "UTC",
) -> pd.DataFrame:
    """Retention, repeat purchase, referral rates and mean spend by NPS band, with intervals.

    Each customer's latest answer whose ``window_days`` have passed by ``as_of`` (read in
    ``timezone`` as for :func:`advocacy.advocates.ladder.advocacy_ladder`) places them in a
    band; what they did in the window after it is their behaviour.

    Returns
    -------
    pandas.DataFrame
        One row per (outcome, band): ``customers``, ``value`` (a rate in 0..1, or mean spend),
        ``low``, ``high`` and ``versus_detractors`` (the band's value over the detractors').
    """
    rules = rules or LadderRules()
    if window_days <= 0:
        raise UsageError("window must be positive", value=window_days, parameter="window_days")
    end = as_of_end(as_of, timezone) or latest_evidence(
        responses.submitted_at, transactions.occurred_at, referrals.referred_at
    )
    follow = ibis.interval(days=window_days)
    answers = _answers(responses, end, window_days, rules)
    bought = answers.left_join(
        transactions,
        [
            answers.customer_id == transactions.customer_id,
            transactions.occurred_at > answers.submitted_at,
            transactions.occurred_at <= answers.submitted_at + follow,
        ],
    )
    purchases = bought.group_by(["customer_id", "band"]).aggregate(
        orders=bought.occurred_at.count(), spend=bought.amount.sum().fill_null(0.0)
    )
    referred = answers.left_join(
        referrals,
        [
            answers.customer_id == referrals.referrer_id,
            referrals.referred_at > answers.submitted_at,
            referrals.referred_at <= answers.submitted_at + follow,
        ],
    )
    made = referred.group_by(made_by="customer_id").aggregate(
        referrals=referred.referred_at.count()
    )
    joined = purchases.left_join(made, purchases.customer_id == made.made_by)
    frame = joined.select("customer_id", "band", "orders", "spend", "referrals").to_pandas()
    return _compare(frame, confidence)


def _compare(frame: pd.DataFrame, confidence: float) -> pd.DataFrame:
    frame = frame.fillna({"referrals": 0, "orders": 0, "spend": 0.0})
    indicators = {
        "retention": frame["orders"] > 0,
        "repeat_purchase": frame["orders"] >= 2,
        "referral": frame["referrals"] > 0,
    }
    rows: list[dict[str, Any]] = []
    for outcome in OUTCOMES:
        for band in BANDS:
            members = frame["band"] == band
            n = int(members.sum())
            if outcome == "spend":
                spend = frame.loc[members, "spend"].astype(float)
                variance = float(spend.var(ddof=1)) if n > 1 else np.nan
                interval = t_interval(float(spend.mean()) if n else np.nan, variance, n, confidence)
            else:
                share = float(indicators[outcome][members].mean()) if n else np.nan
                interval = wilson_interval(share, n, confidence)
            rows.append(
                {
                    "outcome": outcome,
                    "band": band,
                    "customers": n,
                    "value": float(interval.estimate),
                    "low": float(interval.low),
                    "high": float(interval.high),
                }
            )
    result = pd.DataFrame(rows)
    baseline = result[result["band"] == "detractor"].set_index("outcome")["value"]
    with np.errstate(divide="ignore", invalid="ignore"):
        result["versus_detractors"] = result["value"] / result["outcome"].map(baseline)
    return result
