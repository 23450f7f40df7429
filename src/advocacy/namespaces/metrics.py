"""``ws.metrics``: experience scores (NPS, CSAT, CES, top-box, eNPS) with intervals and tests.

>>> import advocacy
>>> with advocacy.open("advocacy.duckdb") as ws:                        # doctest: +SKIP
...     ws.metrics.scores(["nps", "csat"], by="unit", compare="rest")
...     ws.metrics.scores("nps", period="quarter", compare="previous")

Each method is one function of :mod:`advocacy.metrics` applied to the workspace's tables, with
the workspace's settings (``confidence``, ``min_n``, ``nps_interval``, ``correction``) as the
defaults. With a ``principal`` (:class:`advocacy.access.Principal`) every table is read as that
principal may read it (:func:`advocacy.access.scope.scoped_tables`: a case handler's units only).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, TypeAlias

from advocacy.errors import UsageError
from advocacy.lazy_names import lazy_names as _lazy_names
from advocacy.namespaces.tables import WorkspaceTables

if TYPE_CHECKING:
    import pandas as pd

    from advocacy.access.roles import Principal
    from advocacy.metrics.answers import Answers
    from advocacy.metrics.catalogue import METRICS, PERIODS
    from advocacy.metrics.engines import parquet_metrics
    from advocacy.metrics.periods import (
        data_end_day,
        latest_complete,
        partial_note,
        period_end,
        period_status,
    )
    from advocacy.metrics.rollup import MetricsRequest
    from advocacy.metrics.scores import NpsResult, nps
    from advocacy.settings import Settings
    from advocacy.store.connection import Database

    Frames: TypeAlias = list[pd.DataFrame]


#: Public types and helpers the presentation names, imported on first use (PEP 562).
_LAZY = {
    "Answers": "advocacy.metrics.answers",
    "METRICS": "advocacy.metrics.catalogue",
    "MetricsRequest": "advocacy.metrics.rollup",
    "nps": "advocacy.metrics.scores",
    "NpsResult": "advocacy.metrics.scores",
    "parquet_metrics": "advocacy.metrics.engines",
    "PERIODS": "advocacy.metrics.catalogue",
    "data_end_day": "advocacy.metrics.periods",
    "latest_complete": "advocacy.metrics.periods",
    "partial_note": "advocacy.metrics.periods",
    "period_end": "advocacy.metrics.periods",
    "period_status": "advocacy.metrics.periods",
}


def _names(value: str | Sequence[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


class MetricsNamespace:
    """The experience scores of the workspace (``ws.metrics``)."""

    def __init__(self, db: Database, settings: Settings) -> None:
        self._tables = WorkspaceTables(db)
        self._settings = settings

    def scores(
        self,
        metrics: str | Sequence[str] = ("nps",),
        *,
        by: str | Sequence[str] = (),
        period: str | None = None,
        since: str | date | None = None,
        until: str | date | None = None,
        compare: str | None = None,
        rolling: int | None = None,
        weighted: bool = False,
        confidence: float | None = None,
        min_n: int | None = None,
        interval: str | None = None,
        correction: str | None = None,
        principal: Principal | None = None,
        where: Mapping[str, Sequence[str]] | None = None,
    ) -> pd.DataFrame:
        """Experience scores with intervals and tests by slice and period.

        Parameters
        ----------
        metrics
            One or more of ``nps``, ``csat``, ``csat-mean``, ``top-box``, ``ces``, ``ces-easy``
            and ``enps``.
        by
            Dimensions to slice by (``unit``, ``channel``, ``segment``, ``attrs.KEY``, ...).
        period
            ``day``, ``week``, ``month``, ``quarter`` or ``year``; None for one row per slice.
        since, until
            First and last day of answers to include (dates or ISO strings, ``"2024-03-01"``).
        compare
            ``rest`` (each slice against the others) or ``previous`` (each period against the
            one before); None for no tests.
        rolling
            Periods per rolling window.
        weighted
            Use the responses' ``weight`` column.
        confidence, min_n, interval, correction
            The interval level, the smallest n given a confident number, the NPS interval
            method and the multiple-test correction; default the settings of the same names
            (``nps_interval`` for ``interval``).
        principal
            Read every table as this principal may (None: every row).
        where
            Keep only answers whose dimension holds one of the values, such as
            ``{"unit": ["North"], "channel": ["email", "web"]}`` (any dimension ``by`` takes).

        Returns
        -------
        pandas.DataFrame
            One row per metric, slice and period, with the score, its standard error,
            interval, n, the minimum-n flag and, with ``compare``, the test.

        Raises
        ------
        UsageError
            For an unknown metric, dimension, period, comparison or date.

        See Also
        --------
        advocacy.metrics.experience.experience_metrics

        Examples
        --------
        >>> ws.metrics.scores("nps", by="unit", compare="rest")      # doctest: +SKIP
        """
        from advocacy.metrics.experience import experience_metrics

        chosen = self._settings.updated(
            confidence=confidence, min_n=min_n, nps_interval=interval, correction=correction
        )
        return experience_metrics(
            self._tables.seen_by(principal),
            _names(metrics),
            by=_names(by),
            period=period,
            since=since,
            until=until,
            compare=compare,
            rolling=rolling,
            weighted=weighted,
            confidence=chosen.confidence,
            min_n=chosen.min_n,
            interval=chosen.nps_interval,
            correction=chosen.correction,
            where=where,
        )

    def answers(
        self,
        *,
        metric: str | None = None,
        where: Mapping[str, Sequence[str]] | None = None,
        since: str | date | None = None,
        until: str | date | None = None,
        commented: bool = False,
        theme: str | None = None,
        limit: int = 50,
        offset: int = 0,
        principal: Principal | None = None,
    ) -> Answers:
        """The answers behind a score (the drill-down): the responses it counts, newest first.

        Parameters
        ----------
        metric
            Keep only answers counted by this customer metric (``nps``, ``csat``, ``ces``, ...).
        where
            Keep only answers whose dimension holds one of the values (as for :meth:`scores`).
        since, until
            First and last day of answers to include.
        commented
            Keep only answers with a comment.
        theme
            Keep only answers whose comment mentions this theme (its ``theme_id``).
        limit, offset
            One page: at most ``limit`` answers (up to 500) after the first ``offset``.
        principal
            Read every table as this principal may (None: every row).

        Returns
        -------
        Answers
            The page (``rows``) and how many answers match (``total``).

        Raises
        ------
        UsageError
            For eNPS (anonymous answers), a bad filter, date or page.

        Examples
        --------
        >>> ws.metrics.answers(metric="nps", where={"unit": ["Coast"]}).total  # doctest: +SKIP
        """
        from advocacy.metrics.answers import answers

        keep = None
        if theme is not None:
            links = self._tables.with_derived("document_themes")
            chosen = links.filter((links.theme_id == theme) & (links.document_kind == "response"))
            keep = chosen.select(response_id=chosen.document_id)
        return answers(
            self._tables.seen_by(principal),
            metric=metric,
            where=where,
            since=since,
            until=until,
            commented=commented,
            limit=limit,
            offset=offset,
            keep=keep,
        )

    def waves(
        self,
        metric: str = "enps",
        *,
        since: str | date | None = None,
        until: str | date | None = None,
        gap_days: int | None = None,
        principal: Principal | None = None,
        where: Mapping[str, Sequence[str]] | None = None,
    ) -> pd.DataFrame:
        """An NPS-type score per survey wave (answers that come in bursts, such as an employee
        survey each March and September), each wave against the one before.

        Parameters
        ----------
        metric
            ``enps`` or ``nps``.
        since, until
            First and last day of answers to include.
        gap_days
            More days than this without an answer start a new wave (default 45).
        principal
            Read every table as this principal may (None: every row).
        where
            Keep only answers whose dimension holds one of the values (as for :meth:`scores`;
            eNPS takes only ``unit``).

        Returns
        -------
        pandas.DataFrame
            One row per wave, oldest first, named by its dates, with its score, interval and
            the test against the previous wave (see :func:`advocacy.metrics.waves.survey_waves`).

        Raises
        ------
        UsageError
            For a metric that is not NPS-type, a bad filter, date or gap.

        Examples
        --------
        >>> ws.metrics.waves("enps")[["label", "score", "verdict"]]  # doctest: +SKIP
        """
        from advocacy.metrics.catalogue import METRICS as KNOWN
        from advocacy.metrics.waves import GAP_DAYS, survey_waves

        if metric not in KNOWN or KNOWN[metric].kind != "nps":
            raise UsageError(
                f"waves are scored for NPS-type metrics, not {metric!r}",
                value=metric,
                parameter="metric",
                fix="ask for enps or nps",
            )
        days = self.scores(
            metric, period="day", since=since, until=until, principal=principal, where=where
        )
        return survey_waves(
            days,
            gap_days=GAP_DAYS if gap_days is None else gap_days,
            confidence=self._settings.confidence,
            interval=self._settings.nps_interval,
            correction=self._settings.correction,
            min_n=self._settings.min_n,
        )

    def scores_batch(
        self,
        requests: Iterable[MetricsRequest],
        *,
        weighted: bool = False,
        principal: Principal | None = None,
        where: Mapping[str, Sequence[str]] | None = None,
    ) -> Frames:
        """Several :meth:`scores` at once, one aggregation per table answering them all.

        Parameters
        ----------
        requests
            The slicings wanted (:class:`advocacy.metrics.rollup.MetricsRequest`).
        weighted
            Use the responses' ``weight`` column.
        principal
            Read every table as this principal may (None: every row).
        where
            Keep only answers whose dimension holds one of the values (as for :meth:`scores`),
            for every request.

        Returns
        -------
        list of pandas.DataFrame
            What :meth:`scores` returns for each request, in order, with the settings' interval
            level, minimum n, NPS interval method and correction.

        Raises
        ------
        UsageError
            For a request :meth:`scores` would refuse.
        """
        from advocacy.metrics.rollup import experience_metrics_batch

        return experience_metrics_batch(
            self._tables.seen_by(principal),
            list(requests),
            weighted=weighted,
            confidence=self._settings.confidence,
            min_n=self._settings.min_n,
            interval=self._settings.nps_interval,
            correction=self._settings.correction,
            where=where,
        )


__all__ = [
    "METRICS",
    "PERIODS",
    "Answers",
    "MetricsNamespace",
    "MetricsRequest",
    "NpsResult",
    "data_end_day",
    "latest_complete",
    "nps",
    "parquet_metrics",
    "partial_note",
    "period_end",
    "period_status",
]

__getattr__, __dir__ = _lazy_names(__name__, _LAZY, __all__)
