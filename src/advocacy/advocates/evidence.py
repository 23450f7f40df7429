"""What counts as advocacy in deeds, as Ibis expressions over the workspace tables.

An *advocacy event* is a referral a customer made or a positive review or mention they posted
(a star rating at or above ``min_rating``, or, without a rating, a text the text analytics
labelled positive). The rules are a small dataclass so a company can say what counts for it.
:func:`as_of_end` is the one reading of every ``as_of`` (the moment an analysis describes).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import ibis
import numpy as np
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


#: Longest piece of a refused ``as_of`` an error message repeats.
_SHOWN = 40


def _not_a_date(value: Any, name: str) -> UsageError:
    shown = str(value)
    shown = shown if len(shown) <= _SHOWN else shown[:_SHOWN] + "..."
    return UsageError(
        f"{name} is not a date",
        value=shown,
        parameter=name,
        fix="use YYYY-MM-DD (that whole day), or YYYY-MM-DDTHH:MM with an optional zone "
        "such as +09:00",
    )


def _day_or_moment(value: Any, name: str) -> dt.date | dt.datetime:
    """``value`` as a date (a whole day) or a datetime (an instant, naive or not).

    pandas and NumPy have no type for a day: a naive :class:`pandas.Timestamp` or
    ``numpy.datetime64`` at midnight exactly (``pd.Timestamp("2025-12-31")``) is the day, as
    the string ``"2025-12-31"`` is; one with a time of day or a zone is that instant.
    """
    if isinstance(value, pd.Timestamp):
        if pd.isna(value):
            raise _not_a_date(value, name)
        if value.tzinfo is None and value == value.normalize():
            return value.date()
        moment: dt.datetime = value.to_pydatetime(warn=False)
        return moment
    if isinstance(value, dt.date):  # a datetime is a date too, and stays one
        return value
    if isinstance(value, np.datetime64) and not np.isnat(value):
        return _day_or_moment(pd.Timestamp(value), name)
    if isinstance(value, str):
        text = value.strip()
        for read in (dt.date.fromisoformat, dt.datetime.fromisoformat):
            try:
                return read(text)
            except ValueError:
                continue
    raise _not_a_date(value, name)


#: Names Python finds in a system's zone folder that are not IANA zones (the machine's own
#: zone, a rules file, tzdata's placeholder).
_NOT_ZONES = frozenset({"localtime", "posixrules", "Factory"})


def time_zone(timezone: str) -> ZoneInfo:
    """The zone named ``timezone`` (an IANA name), the one check of the ``timezone`` setting.

    Raises
    ------
    UsageError
        When no zone has that name, with the fix.

    Examples
    --------
    >>> time_zone("Asia/Tokyo").key
    'Asia/Tokyo'
    """
    try:
        if timezone in _NOT_ZONES or timezone.startswith(("posix/", "right/")):
            # files of the system's zone folder that are no IANA name: DuckDB refuses them
            raise ZoneInfoNotFoundError(timezone)
        return ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # "../x", "", a name too long for a file
        shown = timezone if len(timezone) <= _SHOWN else timezone[:_SHOWN] + "..."
        raise UsageError(
            "unknown time zone",
            value=shown,
            parameter="timezone",
            fix="set ADVOCACY_TIMEZONE (the workspace's timezone setting) to an IANA name "
            "such as UTC or Europe/Berlin",
        ) from None


def as_of_end(value: Any, timezone: str = "UTC", name: str = "as_of") -> dt.datetime | None:
    """The last instant an "as of" value names, as a UTC datetime (None stays None).

    The one rule of every ``as_of`` (``--as-of``): evidence up to and including the moment
    counts, nothing later does. A date (``YYYY-MM-DD``, or a :class:`datetime.date`) means the
    end of that day in ``timezone`` (the workspace's ``timezone`` setting), so everything of
    the day is in and nothing of the next day is; a date and time without a zone is read in
    ``timezone``, as import reads such timestamps; one with a zone is that instant.

    Parameters
    ----------
    value
        A date, a datetime, or an ISO 8601 string of either; None.
    timezone
        The IANA name of the zone a date or a naive time is read in.
    name
        The parameter named in an error.

    Returns
    -------
    datetime.datetime or None
        A time-zone-aware UTC datetime; None for None.

    Raises
    ------
    UsageError
        When ``value`` is not a date or an ISO 8601 date and time, or ``timezone`` is not a
        time zone.

    Examples
    --------
    >>> as_of_end("2025-12-31", "Asia/Tokyo")
    datetime.datetime(2025, 12, 31, 14, 59, 59, 999999, tzinfo=datetime.timezone.utc)
    >>> as_of_end("2025-12-31T10:00+01:00", "Asia/Tokyo")
    datetime.datetime(2025, 12, 31, 9, 0, tzinfo=datetime.timezone.utc)
    """
    if value is None:
        return None
    zone = time_zone(timezone)
    read = _day_or_moment(value, name)
    try:
        if not isinstance(read, dt.datetime):
            # the next day's first instant (fold 0: the first of an ambiguous midnight, and a
            # midnight skipped by a clock change is the change's instant), less a microsecond
            next_day = dt.datetime.combine(read + dt.timedelta(days=1), dt.time(), tzinfo=zone)
            return next_day.astimezone(dt.UTC) - dt.timedelta(microseconds=1)
        if read.tzinfo is None:
            read = read.replace(tzinfo=zone)
        return read.astimezone(dt.UTC)
    except OverflowError as error:
        raise _not_a_date(value, name) from error


def as_of_day(value: Any, timezone: str = "UTC", name: str = "as_of") -> dt.date | None:
    """The day an "as of" value names, for what counts whole days (None stays None).

    The date-only sibling of :func:`as_of_end`, with its parsing: a date is that day, a date
    and time without a zone is read in ``timezone`` (so its own date), and one with a zone is
    the day that instant falls on in ``timezone``.

    Parameters
    ----------
    value
        A date, a datetime, or an ISO 8601 string of either; None.
    timezone
        The IANA name of the zone whose days count.
    name
        The parameter named in an error.

    Returns
    -------
    datetime.date or None
        The day; None for None.

    Raises
    ------
    UsageError
        When ``value`` is not a date or an ISO 8601 date and time, or ``timezone`` is not a
        time zone.

    Examples
    --------
    >>> as_of_day("2025-12-31T20:00+00:00", "Asia/Tokyo")
    datetime.date(2026, 1, 1)
    >>> as_of_day("2025-12-31", "Asia/Tokyo")
    datetime.date(2025, 12, 31)
    """
    if value is None:
        return None
    read = _day_or_moment(value, name)
    if not isinstance(read, dt.datetime):
        return read
    if read.tzinfo is None:
        return read.date()
    try:
        return read.astimezone(time_zone(timezone)).date()
    except OverflowError as error:
        raise _not_a_date(value, name) from error


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
    latest = as_of_end(max(pd.Timestamp(value) for value in found))
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
