"""The say-do gap: how many promoters actually advocate, and who has not yet been asked.

For every promoter answer (NPS 9-10 by a known customer) we look at the following window: did
the customer refer someone or post a positive review? Only answers whose whole window lies
before "as of" count, so recent promoters are not mistaken for silent ones. The share that
advocated carries a Wilson interval, by slice and by period.

References
----------
.. [1] Kumar, V., Petersen, J. A., & Leone, R. P. (2007). How valuable is word of mouth?
   Harvard Business Review, 85(10), 139-146.
.. [2] Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
   inference. Journal of the American Statistical Association, 22(158), 209-212.
"""

from __future__ import annotations

from typing import Any

import ibis
import numpy as np
import pandas as pd

from advocacy.advocates.evidence import (
    LadderRules,
    advocacy_events,
    as_of_end,
    latest_evidence,
)
from advocacy.advocates.ladder import advocacy_ladder
from advocacy.errors import UsageError
from advocacy.metrics.intervals import wilson_interval

#: Truncation units of the ``period`` option.
PERIOD_UNITS = {"month": "M", "quarter": "Q", "year": "Y"}
#: Customer columns ``by`` may name, besides any responses column.
CUSTOMER_SLICES = ("segment", "region", "value_tier")


def say_do_gap(
    responses: Any,
    referrals: Any,
    mentions: Any,
    customers: Any = None,
    *,
    by: str | None = None,
    period: str | None = None,
    window_days: int = 90,
    as_of: Any = None,
    rules: LadderRules | None = None,
    confidence: float = 0.95,
    timezone: str = "UTC",
) -> pd.DataFrame:
    """Share of promoters who advocated within ``window_days`` of saying so, with intervals.

    Parameters
    ----------
    by
        A responses column (``unit``, ``channel``, ``touchpoint``, ``survey``...) or a customers
        column (``segment``, ``region``, ``value_tier``; needs ``customers``).
    period
        ``month``, ``quarter`` or ``year`` of the promoter answer.
    window_days
        How long after the answer a referral or review counts as following it.
    as_of, timezone
        The moment described and the zone it is read in, as for
        :func:`advocacy.advocates.ladder.advocacy_ladder`: an answer counts when its window
        has closed by then.
    rules
        What counts as advocacy (referrals, reviews, the rating of a positive review).

    Returns
    -------
    pandas.DataFrame
        One row per slice/period: ``promoters``, ``advocated``, ``referred``, ``say_do`` (share
        that did) with ``say_do_low`` and ``say_do_high`` (its Wilson interval) right after it,
        and ``gap`` (1 - say_do).
    """
    rules = rules or LadderRules()
    if window_days <= 0:
        raise UsageError("window must be positive", value=window_days, parameter="window_days")
    if period is not None and period not in PERIOD_UNITS:
        raise UsageError(
            f"unknown period {period!r}",
            value=period,
            parameter="period",
            fix="use one of: " + ", ".join(PERIOD_UNITS),
        )
    end = as_of_end(as_of, timezone) or latest_evidence(
        responses.submitted_at, referrals.referred_at, mentions.posted_at
    )
    follow = ibis.interval(days=window_days)
    said = responses.filter(
        responses.customer_id.notnull(),
        responses.nps >= rules.promoter_min,
        responses.submitted_at + follow <= end,
    )
    if by in CUSTOMER_SLICES and by not in said.columns:
        if customers is None:
            raise UsageError(f"slicing by {by} needs the customers table", parameter="by")
        extra = customers.select(slice_customer=customers.customer_id, slice=customers[by])
        said = said.left_join(extra, said.customer_id == extra.slice_customer)
    elif by is not None:
        if by not in said.columns:
            raise UsageError(
                f"cannot slice by {by!r}",
                value=by,
                parameter="by",
                fix="use a responses column or one of: " + ", ".join(CUSTOMER_SLICES),
            )
        said = said.mutate(slice=said[by])
    else:
        said = said.mutate(slice=ibis.literal("all"))
    if period is not None:
        said = said.mutate(period=said.submitted_at.truncate(PERIOD_UNITS[period]).date())
    else:
        said = said.mutate(period=ibis.literal("all"))
    said = said.select(
        "customer_id", "submitted_at", "slice", "period", answer=ibis.row_number().over()
    )
    events = advocacy_events(referrals, mentions, rules)
    matched = said.left_join(
        events,
        [
            said.customer_id == events.customer_id,
            events.at > said.submitted_at,
            events.at <= said.submitted_at + follow,
        ],
    )
    per_answer = matched.group_by(["answer", "slice", "period"]).aggregate(
        did=matched.at.count(),
        referred=(matched.kind == "referral").ifelse(1, 0).sum().fill_null(0),
    )
    grouped = per_answer.group_by(["slice", "period"]).aggregate(
        promoters=per_answer.count(),
        advocated=(per_answer.did > 0).ifelse(1, 0).sum(),
        referred=(per_answer.referred > 0).ifelse(1, 0).sum(),
    )
    frame: pd.DataFrame = grouped.to_pandas().sort_values(["slice", "period"])
    frame = frame.reset_index(drop=True)
    n = frame["promoters"].to_numpy(float)
    share = np.divide(frame["advocated"].to_numpy(float), n, where=n > 0, out=np.zeros_like(n))
    interval = wilson_interval(share, n, confidence)
    frame["say_do"] = share
    # The interval belongs to say_do, so it is named after it and sits beside it (it stood
    # after the gap, whose interval is the mirror image).
    frame["say_do_low"], frame["say_do_high"] = interval.low, interval.high
    frame["gap"] = 1.0 - share
    frame = frame.rename(columns={"slice": by or "slice"})
    if period is None:
        frame = frame.drop(columns=["period"])
    if by is None:
        frame = frame.drop(columns=["slice"])
    return frame


def silent_promoters(
    responses: Any,
    referrals: Any,
    mentions: Any,
    customers: Any = None,
    *,
    as_of: Any = None,
    rules: LadderRules | None = None,
    timezone: str = "UTC",
) -> pd.DataFrame:
    """Promoters with no referral or positive review in the window: ready to be asked.

    Most recent and most enthusiastic first, with the customer's name, e-mail and segment when
    the customers table is given. ``as_of`` and ``timezone`` are as for
    :func:`advocacy.advocates.ladder.advocacy_ladder`.
    """
    ladder = advocacy_ladder(
        responses, referrals, mentions, as_of=as_of, rules=rules, timezone=timezone
    )
    quiet = ladder[ladder["rung"] == "promoter"][["customer_id", "nps", "responded_at", "reason"]]
    if customers is not None:
        known = customers.select("customer_id", "name", "email", "segment").to_pandas()
        quiet = quiet.merge(known, on="customer_id", how="left")
    quiet = quiet.sort_values(["nps", "responded_at"], ascending=[False, False])
    result: pd.DataFrame = quiet.reset_index(drop=True)
    return result
