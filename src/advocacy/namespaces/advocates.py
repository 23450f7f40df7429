"""``ws.advocates``: who recommends the company in deeds, and who could.

>>> import advocacy
>>> with advocacy.open("advocacy.duckdb") as ws:                        # doctest: +SKIP
...     ws.advocates.ladder(as_of="2025-12-31")
...     ws.advocates.say_do(by="segment")
...     ws.advocates.fans_to_be().scores.head(20)

Each method is one function of :mod:`advocacy.advocates` applied to the workspace's tables, with
the ``confidence`` setting as the interval level. ``as_of`` is the moment described (a date, a
datetime or an ISO string; default the latest evidence): a date is the end of that day in the
workspace's time zone (the ``timezone`` setting), a time without a zone is read in it too, and
nothing later counts (:func:`advocacy.advocates.evidence.as_of_end`). ``rules``
(:class:`advocacy.advocates.evidence.LadderRules`) says what counts as advocacy.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from advocacy.lazy_names import lazy_names as _lazy_names
from advocacy.namespaces.tables import AnswerFilter, WorkspaceTables

if TYPE_CHECKING:
    import pandas as pd

    from advocacy.advocates.evidence import LadderRules
    from advocacy.advocates.ladder import ladder_counts
    from advocacy.advocates.propensity import PropensityResult
    from advocacy.advocates.referrals import referral_report
    from advocacy.settings import Settings
    from advocacy.store.connection import Database


#: Public types and helpers the presentation names, imported on first use (PEP 562).
_LAZY = {
    "ladder_counts": "advocacy.advocates.ladder",
    "LadderRules": "advocacy.advocates.evidence",
    "referral_report": "advocacy.advocates.referrals",
}


class AdvocatesNamespace:
    """The advocacy ladder, the say-do gap, referrals and the likeliest next advocates
    (``ws.advocates``)."""

    def __init__(self, db: Database, settings: Settings) -> None:
        self._tables = WorkspaceTables(db)
        self._settings = settings

    def ladder(
        self,
        *,
        as_of: str | date | None = None,
        rules: LadderRules | None = None,
        since: date | None = None,
        until: date | None = None,
        where: Mapping[str, Sequence[str]] | None = None,
    ) -> pd.DataFrame:
        """Each customer's rung (detractor to champion) with the reason and an "at risk" flag.

        Parameters
        ----------
        as_of
            The moment the ladder describes (default: the latest evidence): a date is the end
            of that day in the workspace's time zone; evidence up to it counts.
        rules
            What places a customer on each rung (default :class:`LadderRules`).
        since, until
            First and last day (inclusive, UTC) of the answers to keep, as for
            ``ws.metrics.scores``; None leaves a side open.
        where
            Keep only answers whose dimension holds one of the values, as for
            ``ws.metrics.scores`` (``{"unit": ["North"]}``): the ladder of the
            customers with such an answer, placed by those answers and their deeds.

        Returns
        -------
        pandas.DataFrame
            One row per customer (see :func:`advocacy.advocates.ladder.advocacy_ladder`).

        Raises
        ------
        UsageError
            For an ``as_of`` that is not a date.
        """
        from advocacy.advocates.ladder import advocacy_ladder

        tables = self._tables.answering(where, since=since, until=until)
        frame = advocacy_ladder(
            tables("responses"),
            tables("referrals"),
            tables("mentions"),
            tables("transactions"),
            as_of=as_of,
            rules=rules,
            text_features=tables.optional("text_features"),
            timezone=self._settings.timezone,
        )
        return _answered(frame, tables)

    def say_do(
        self,
        *,
        by: str | None = None,
        period: str | None = None,
        window_days: int = 90,
        as_of: str | date | None = None,
        rules: LadderRules | None = None,
        since: date | None = None,
        until: date | None = None,
        where: Mapping[str, Sequence[str]] | None = None,
    ) -> pd.DataFrame:
        """The say-do gap: the share of promoters who referred or reviewed afterwards.

        Parameters
        ----------
        by
            A customer dimension to slice by (``segment``, ``region``, ...).
        period
            ``month``, ``quarter``, ... of the promoter's answer; None for one row per slice.
        window_days
            Days after the answer that a referral or review counts.
        since, until
            First and last day (inclusive, UTC) of the answers to keep, as for
            ``ws.metrics.scores``; None leaves a side open.
        as_of, rules, where
            As for :meth:`ladder` (promoters whose answer is in ``where``).

        Returns
        -------
        pandas.DataFrame
            Promoters, those who advocated, the share and its interval, per slice and period.

        Raises
        ------
        UsageError
            For an unknown dimension or period, or a window that is not positive.
        """
        from advocacy.advocates.say_do import say_do_gap

        return say_do_gap(
            self._tables.answering(where, since=since, until=until)("responses"),
            self._tables("referrals"),
            self._tables("mentions"),
            self._tables("customers"),
            by=by,
            period=period,
            window_days=window_days,
            as_of=as_of,
            rules=rules,
            confidence=self._settings.confidence,
            timezone=self._settings.timezone,
        )

    def silent_promoters(
        self,
        *,
        as_of: str | date | None = None,
        rules: LadderRules | None = None,
        since: date | None = None,
        until: date | None = None,
        where: Mapping[str, Sequence[str]] | None = None,
    ) -> pd.DataFrame:
        """Promoters who have not referred or reviewed in the window: ready to be asked.

        Parameters
        ----------
        since, until
            First and last day (inclusive, UTC) of the answers to keep, as for
            ``ws.metrics.scores``; None leaves a side open.
        as_of, rules, where
            As for :meth:`ladder` (promoters whose answer is in ``where``).

        Returns
        -------
        pandas.DataFrame
            Most recent and most enthusiastic first, with the customer's name, e-mail and
            segment when known.
        """
        from advocacy.advocates.say_do import silent_promoters

        return silent_promoters(
            self._tables.answering(where, since=since, until=until)("responses"),
            self._tables("referrals"),
            self._tables("mentions"),
            self._tables("customers"),
            as_of=as_of,
            rules=rules,
            timezone=self._settings.timezone,
        )

    def referrals(self) -> pd.DataFrame:
        """Every referral with the customer it brought, its attribution, value and fraud signals.

        Returns
        -------
        pandas.DataFrame
            The referral columns plus ``attributed_customer_id``, ``attribution``,
            ``converted``, ``referral_value`` and ``fraud_signals`` (see
            :func:`advocacy.advocates.referrals.attribute_referrals`).
        """
        return attributed_referrals(self._tables)

    def behavior(
        self,
        *,
        window_days: int = 180,
        as_of: str | date | None = None,
        since: date | None = None,
        until: date | None = None,
        where: Mapping[str, Sequence[str]] | None = None,
    ) -> pd.DataFrame:
        """What promoters, passives and detractors go on to do: retention, repeat purchase,
        referral and spend by NPS band, with intervals.

        Parameters
        ----------
        window_days
            Days after the answer that behaviour counts.
        since, until
            First and last day (inclusive, UTC) of the answers to keep, as for
            ``ws.metrics.scores``; None leaves a side open.
        as_of, where
            As for :meth:`ladder` (the answers in ``where`` and what followed them).

        Returns
        -------
        pandas.DataFrame
            One row per (outcome, band) (see :func:`advocacy.advocates.behavior.behavior_by_band`).

        Raises
        ------
        UsageError
            For a window that is not positive.
        """
        from advocacy.advocates.behavior import behavior_by_band

        return behavior_by_band(
            self._tables.answering(where, since=since, until=until)("responses"),
            self._tables("transactions"),
            self._tables("referrals"),
            window_days=window_days,
            as_of=as_of,
            confidence=self._settings.confidence,
            timezone=self._settings.timezone,
        )

    def fans_to_be(
        self,
        *,
        horizon_days: int = 90,
        as_of: str | date | None = None,
        since: date | None = None,
        until: date | None = None,
        where: Mapping[str, Sequence[str]] | None = None,
    ) -> PropensityResult:
        """Customers who are not advocates, scored by their chance of becoming one.

        Parameters
        ----------
        horizon_days
            The horizon of "becoming an advocate", in days.
        as_of
            As for :meth:`ladder`.
        since, until
            First and last day (inclusive, UTC) of the answers to keep, as for
            ``ws.metrics.scores``; None leaves a side open.
        where
            Keep only answers whose dimension holds one of the values, as for
            ``ws.metrics.scores`` (``{"unit": ["North"]}``): the model learns from
            every customer, and the scores list those with such an answer.

        Returns
        -------
        PropensityResult
            The scores (``.scores``, likeliest first) and how well the model ranked held-out
            time (AUC, top-decile lift).

        Raises
        ------
        InsufficientDataError
            When there is too little history to fit the model.
        """
        from advocacy.advocates.propensity import fans_to_be

        names = ("responses", "transactions", "referrals", "mentions", "interactions")
        result = fans_to_be(
            self._tables.evidence(names),
            horizon_days=horizon_days,
            as_of=as_of,
            timezone=self._settings.timezone,
        )
        tables = self._tables.answering(where, since=since, until=until)
        if not tables.active:
            return result
        return replace(result, scores=_answered(result.scores, tables))


def attributed_referrals(tables: WorkspaceTables) -> pd.DataFrame:
    """Every referral attributed (``ws.advocates.referrals``), once per report run: the asks'
    results count the same referrals.

    Parameters
    ----------
    tables
        The workspace's tables (inside a report run, its steady view).

    Returns
    -------
    pandas.DataFrame
        One row per referral with the attribution of
        :func:`advocacy.advocates.referrals.attribute_referrals`.

    Examples
    --------
    >>> import advocacy
    >>> ws = advocacy.open("advocacy.duckdb")  # doctest: +SKIP
    >>> attributed_referrals(WorkspaceTables(ws.db))  # doctest: +SKIP
    """
    from advocacy.advocates.referrals import attribute_referrals

    return tables.remembered(
        "advocates.referrals",
        lambda: attribute_referrals(
            tables("referrals"), tables("customers"), tables("transactions")
        ),
    )


def _answered(frame: pd.DataFrame, tables: AnswerFilter) -> pd.DataFrame:
    """``frame``'s rows of customers with an answer in ``tables``' filter (all without one)."""
    if not tables.active or "customer_id" not in frame.columns:
        return frame
    kept = frame[frame["customer_id"].astype(str).isin(tables.customers())]
    return kept.reset_index(drop=True)


__all__ = [
    "AdvocatesNamespace",
    "LadderRules",
    "attributed_referrals",
    "ladder_counts",
    "referral_report",
]

__getattr__, __dir__ = _lazy_names(__name__, _LAZY, __all__)
