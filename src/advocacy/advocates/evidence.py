"""What counts as advocacy in deeds, as Ibis expressions over the workspace tables.

An *advocacy event* is a referral a customer made or a positive review or mention they posted
(a star rating at or above ``min_rating``, or, without a rating, a text the text analytics
labelled positive). The rules are a small dataclass so a company can say what counts for it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import ibis
import pandas as pd

from advocacy.errors import UsageError
from advocacy.store.steady import steady_result

#: The rungs of the ladder, lowest first.
RUNGS = ("detractor", "passive", "promoter", "advocate", "champion")


@dataclass(frozen=True)
class LadderRules:
    """What places a customer on each rung.

    Parameters
    ----------
    window_days
        How far back evidence counts (responses, referrals, reviews), in days.
    count_referrals, count_reviews
        Whether referrals / positive reviews and mentions count as advocacy.
    min_rating
        Lowest star rating (1-5 scale) that makes a review positive.
    promoter_min, passive_min
        Lowest NPS rating of a promoter (9) and of a passive (7).
    risk_nps_drop
        An NPS fall of at least this many points since the previous answer flags "at risk".
    lapse_factor
        No purchase for longer than this many times the customer's usual gap flags "at risk".
    """

    window_days: int = 365
    count_referrals: bool = True
    count_reviews: bool = True
    min_rating: float = 4.0
    promoter_min: int = 9
    passive_min: int = 7
    risk_nps_drop: int = 3
    lapse_factor: float = 2.0

    def __post_init__(self) -> None:
        if self.window_days <= 0:
            raise UsageError(
                "the ladder window must be at least one day",
                value=self.window_days,
                parameter="window_days",
            )
        if not self.count_referrals and not self.count_reviews:
            raise UsageError(
                "nothing counts as advocacy",
                parameter="count_referrals",
                fix="count referrals, reviews or both",
            )


def as_timestamp(value: Any, name: str = "as_of") -> dt.datetime | None:
    """A time-zone-aware UTC datetime from a date, datetime or ISO string (None stays None)."""
    if value is None:
        return None
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError) as error:
        raise UsageError(
            f"{name} is not a date: {value!r}", value=value, parameter=name, fix="use YYYY-MM-DD"
        ) from error
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    result: dt.datetime = stamp.to_pydatetime()
    return result


def as_of_end(value: Any, timezone: str = "UTC", name: str = "as_of") -> dt.datetime | None:
    """The last instant an "as of" value names, as a UTC datetime (None stays None).

    The one rule of ``--as-of`` where evidence up to and including the moment counts: a date
    (``YYYY-MM-DD``, or a :class:`datetime.date`) means the end of that day in ``timezone``
    (the workspace's ``timezone`` setting), so every purchase of the day is in and nothing of
    the next day is; a date and time without a zone is read in ``timezone``; one with a zone
    keeps it.
    """
    if value is None:
        return None
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError) as error:
        raise UsageError(
            f"{name} is not a date: {value!r}", value=value, parameter=name, fix="use YYYY-MM-DD"
        ) from error
    whole_day = (isinstance(value, dt.date) and not isinstance(value, dt.datetime)) or (
        isinstance(value, str) and len(value.strip()) == len("YYYY-MM-DD")
    )
    if whole_day:
        next_day = (stamp.tz_localize(None) + pd.Timedelta(days=1)).normalize()
        stamp = next_day.tz_localize(timezone, nonexistent="shift_forward") - pd.Timedelta(
            microseconds=1
        )
    elif stamp.tzinfo is None:
        stamp = stamp.tz_localize(timezone, ambiguous=True, nonexistent="shift_forward")
    result: dt.datetime = stamp.tz_convert("UTC").to_pydatetime()
    return result


def latest_evidence(*columns: Any) -> dt.datetime:
    """The latest non-null timestamp among Ibis columns (the default "as of" moment; read once
    per report run, which asks for it in the ladder, the say-do gap and the silent promoters)."""
    found = [
        value
        for value in (
            steady_result(None, ("latest", column.op()), column.max().execute) for column in columns
        )
        if value is not None
    ]
    found = [value for value in found if not pd.isna(value)]
    if not found:
        return dt.datetime.now(dt.UTC)
    latest = as_timestamp(max(pd.Timestamp(value) for value in found))
    assert latest is not None
    return latest


def advocacy_events(
    referrals: Any, mentions: Any, rules: LadderRules, text_features: Any = None
) -> Any:
    """One row per advocacy event: ``customer_id``, ``at``, ``kind``, ``converted``."""
    parts = []
    if rules.count_referrals:
        parts.append(
            referrals.select(
                customer_id=referrals.referrer_id,
                at=referrals.referred_at,
                kind=ibis.literal("referral"),
                converted=referrals.converted_at.notnull().ifelse(1, 0).cast("int64"),
            )
        )
    if rules.count_reviews:
        positive = mentions.rating >= rules.min_rating
        if text_features is not None:
            labels = text_features.filter(text_features.document_kind == "mention").select(
                document_id=text_features.document_id, sentiment=text_features.sentiment
            )
            mentions = mentions.left_join(labels, mentions.mention_id == labels.document_id)
            positive = (mentions.rating >= rules.min_rating) | (
                mentions.rating.isnull() & (mentions.sentiment == "positive")
            )
        reviews = mentions.filter(mentions.customer_id.notnull(), positive.fill_null(False))
        parts.append(
            reviews.select(
                customer_id=reviews.customer_id,
                at=reviews.posted_at,
                kind=ibis.literal("review"),
                converted=ibis.literal(0).cast("int64"),
            )
        )
    events = parts[0]
    for part in parts[1:]:
        events = events.union(part)
    return events.filter(events.at.notnull())
