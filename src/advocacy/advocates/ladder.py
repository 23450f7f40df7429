"""The advocacy ladder: where each customer stands, in words and in deeds, and why.

Rungs, lowest first: detractor (NPS 0-6), passive (7-8), promoter (9-10, stated), advocate
(referred someone or posted a positive review in the window), champion (a referral converted).
Deeds outrank words: a customer who referred a friend is an advocate whatever they answered.
"At risk" overlays any rung: the NPS fell sharply since the previous answer, or the customer
has not bought for much longer than usual. Computed as Ibis expressions, so it runs on DuckDB,
PostgreSQL or Spark alike; only the reasons are worded in pandas.

References
----------
.. [1] Reichheld, F. F. (2003). The one number you need to grow. Harvard Business Review, 81(12).
.. [2] Kumar, V., Petersen, J. A., & Leone, R. P. (2007). How valuable is word of mouth?
   Harvard Business Review, 85(10), 139-146 (68 % intended to refer, 33 % did, 14 % converted).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import ibis
import numpy as np
import pandas as pd

from advocacy.advocates.evidence import (
    RUNGS,
    LadderRules,
    advocacy_events,
    as_of_end,
    latest_evidence,
)

LADDER_COLUMNS = (
    "customer_id", "rung", "reason", "nps", "responded_at", "referrals", "converted_referrals",
    "positive_reviews", "last_advocacy_at", "at_risk", "risk_reason",
)  # fmt: skip


def _latest_answers(responses: Any, start: dt.datetime, end: dt.datetime) -> Any:
    answered = responses.filter(
        responses.customer_id.notnull(),
        responses.nps.notnull(),
        responses.submitted_at > start,
        responses.submitted_at <= end,
    )
    order = ibis.window(group_by=answered.customer_id, order_by=ibis.desc(answered.submitted_at))
    ranked = answered.select(
        customer_id=answered.customer_id,
        nps=answered.nps,
        responded_at=answered.submitted_at,
        previous_nps=answered.nps.lead().over(order),
        position=ibis.row_number().over(order),
    )
    return ranked.filter(ranked.position == 0).drop("position")


def _deeds(events: Any, start: dt.datetime, end: dt.datetime) -> Any:
    recent = events.filter(events.at > start, events.at <= end)
    is_referral = (recent.kind == "referral").ifelse(1, 0)
    return recent.group_by(deed_customer=recent.customer_id).aggregate(
        referrals=is_referral.sum(),
        converted_referrals=recent.converted.sum(),
        positive_reviews=(1 - is_referral).sum(),
        last_advocacy_at=recent.at.max(),
    )


def ladder_table(
    responses: Any,
    referrals: Any,
    mentions: Any,
    *,
    as_of: Any = None,
    rules: LadderRules | None = None,
    text_features: Any = None,
    timezone: str = "UTC",
) -> Any:
    """The ladder as an Ibis expression (without worded reasons or the purchase overlay)."""
    rules = rules or LadderRules()
    end = as_of_end(as_of, timezone) or latest_evidence(
        responses.submitted_at, referrals.referred_at, mentions.posted_at
    )
    start = end - dt.timedelta(days=rules.window_days)
    answers = _latest_answers(responses, start, end)
    deeds = _deeds(advocacy_events(referrals, mentions, rules, text_features), start, end)
    joined = answers.outer_join(deeds, answers.customer_id == deeds.deed_customer)
    referred = joined.referrals.fill_null(0)
    converted = joined.converted_referrals.fill_null(0)
    reviewed = joined.positive_reviews.fill_null(0)
    rung = ibis.cases(
        (converted > 0, "champion"),
        ((referred > 0) | (reviewed > 0), "advocate"),
        (joined.nps >= rules.promoter_min, "promoter"),
        (joined.nps >= rules.passive_min, "passive"),
        else_="detractor",
    )
    return joined.select(
        customer_id=joined.customer_id.fill_null(joined.deed_customer),
        rung=rung,
        nps=joined.nps,
        previous_nps=joined.previous_nps,
        responded_at=joined.responded_at,
        referrals=referred,
        converted_referrals=converted,
        positive_reviews=reviewed,
        last_advocacy_at=joined.last_advocacy_at,
    )


def _purchase_lapse(transactions: Any, end: dt.datetime, factor: float) -> pd.DataFrame:
    """Customers not buying for ``factor`` times their usual gap, with the numbers."""
    past = transactions.filter(transactions.occurred_at <= end)
    stats = (
        past.group_by("customer_id")
        .aggregate(first=past.occurred_at.min(), last=past.occurred_at.max(), n=past.count())
        .to_pandas()
    )
    stats = stats[stats["n"] >= 2]
    first = pd.to_datetime(stats["first"], utc=True)
    last = pd.to_datetime(stats["last"], utc=True)
    gap = (last - first).dt.total_seconds() / 86400.0 / (stats["n"] - 1)
    idle = (pd.Timestamp(end) - last).dt.total_seconds() / 86400.0
    lapsed = idle > factor * gap.clip(lower=1.0)
    frame = pd.DataFrame(
        {"customer_id": stats["customer_id"], "idle_days": idle, "usual_gap_days": gap}
    )
    result: pd.DataFrame = frame[lapsed.to_numpy()]
    return result


def _date(value: Any) -> str:
    return "" if value is None or pd.isna(value) else str(pd.Timestamp(value).date())


def _reason(row: Any, rules: LadderRules) -> str:
    deeds = []
    if row.referrals:
        converted = f", {int(row.converted_referrals)} converted" if row.converted_referrals else ""
        deeds.append(f"{int(row.referrals)} referral{'s' if row.referrals != 1 else ''}{converted}")
    if row.positive_reviews:
        deeds.append(f"{int(row.positive_reviews)} positive review(s)")
    said = "" if pd.isna(row.nps) else f"NPS {int(row.nps)} on {_date(row.responded_at)}"
    if deeds:
        text = " and ".join(deeds) + f" in the last {rules.window_days} days"
        return f"{text}; {said}" if said else f"{text}; no survey answer"
    if row.rung == "promoter":
        return f"{said}; no referral or positive review in the last {rules.window_days} days"
    return said


def advocacy_ladder(
    responses: Any,
    referrals: Any,
    mentions: Any,
    transactions: Any = None,
    *,
    as_of: Any = None,
    rules: LadderRules | None = None,
    text_features: Any = None,
    timezone: str = "UTC",
) -> pd.DataFrame:
    """Each customer's rung with the reason and an "at risk" overlay (a pandas DataFrame).

    Parameters
    ----------
    responses, referrals, mentions, transactions
        The workspace's Ibis tables (``transactions`` optional: without it no purchase lapse).
    as_of
        The moment the ladder describes (read by
        :func:`advocacy.advocates.evidence.as_of_end`: a date is the end of that day in
        ``timezone``); default the latest evidence.
    rules
        :class:`LadderRules`: window, what counts as advocacy, thresholds.
    text_features
        Optional text analytics table: mentions without a rating count when labelled positive.
    timezone
        The zone a date or a naive time of ``as_of`` is read in (the workspace's ``timezone``).

    Returns
    -------
    pandas.DataFrame
        One row per customer with :data:`LADDER_COLUMNS`, highest rung first.
    """
    rules = rules or LadderRules()
    end = as_of_end(as_of, timezone) or latest_evidence(
        responses.submitted_at, referrals.referred_at, mentions.posted_at
    )
    table = ladder_table(
        responses, referrals, mentions, as_of=end, rules=rules, text_features=text_features
    ).to_pandas()
    for column in ("referrals", "converted_referrals", "positive_reviews"):
        table[column] = table[column].astype(int)
    table["reason"] = [_reason(row, rules) for row in table.itertuples(index=False)]
    drop = table["previous_nps"] - table["nps"]
    fell = (drop >= rules.risk_nps_drop).fillna(False).to_numpy(bool)
    risks = [
        f"NPS fell from {int(b)} to {int(a)}" if down else ""
        for b, a, down in zip(table["previous_nps"], table["nps"], fell, strict=True)
    ]
    if transactions is not None:
        lapse = _purchase_lapse(transactions, end, rules.lapse_factor).set_index("customer_id")
        idle = table["customer_id"].map(lapse["idle_days"])
        usual = table["customer_id"].map(lapse["usual_gap_days"])
        for position, (i, u) in enumerate(zip(idle, usual, strict=True)):
            if pd.isna(i):
                continue
            words = f"no purchase for {i:.0f} days (usually every {u:.0f})"
            old = risks[position]
            risks[position] = f"{old}; {words}" if old else words
    table["risk_reason"] = risks
    table["at_risk"] = table["risk_reason"] != ""
    table["rung"] = pd.Categorical(table["rung"], categories=list(RUNGS), ordered=True)
    table = table.sort_values(["rung", "customer_id"], ascending=[False, True])
    table["rung"] = table["rung"].astype(str)
    result: pd.DataFrame = table[list(LADDER_COLUMNS)].reset_index(drop=True)
    return result


def ladder_counts(ladder: pd.DataFrame) -> pd.DataFrame:
    """Customers per rung (highest first) with their share and how many are at risk."""
    counts = ladder.groupby("rung").agg(
        customers=("customer_id", "size"), at_risk=("at_risk", "sum")
    )
    counts = counts.reindex(list(RUNGS)[::-1], fill_value=0)
    total = max(int(counts["customers"].sum()), 1)
    counts["share"] = np.round(counts["customers"] / total, 4)
    return counts.reset_index()[["rung", "customers", "share", "at_risk"]]
