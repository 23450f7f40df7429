"""``ws.gaps``: key drivers, importance-performance, SERVQUAL, targets, culture and the register.

>>> import advocacy
>>> with advocacy.open("advocacy.duckdb") as ws:                        # doctest: +SKIP
...     ws.gaps.drivers(level="dimension")
...     ws.gaps.servqual().dimensions
...     ws.gaps.register(top=5)

Each method is one function of :mod:`advocacy.gaps` applied to the workspace's tables, with the
``confidence`` setting as the interval level. Where a result holds several frames it is the
analysis' own typed result (``ServqualResult``, ``CultureResult``, ...).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING

from advocacy.lazy_names import lazy_names as _lazy_names
from advocacy.namespaces.tables import AnswerFilter, WorkspaceTables

if TYPE_CHECKING:
    import pandas as pd

    from advocacy.drivers.ipa import ImportancePerformance
    from advocacy.drivers.moments import parquet_drivers
    from advocacy.gaps.culture import CultureResult, UnitLink
    from advocacy.gaps.maturity import (
        read_maturity_answers,
        score_maturity,
        write_maturity_template,
    )
    from advocacy.gaps.servqual import ServqualResult, servqual_items
    from advocacy.settings import Settings
    from advocacy.store.connection import Database


#: Public types and helpers the presentation names, imported on first use (PEP 562).
_LAZY = {
    "parquet_drivers": "advocacy.drivers.moments",
    "read_maturity_answers": "advocacy.gaps.maturity",
    "score_maturity": "advocacy.gaps.maturity",
    "servqual_items": "advocacy.gaps.servqual",
    "write_maturity_template": "advocacy.gaps.maturity",
}


class GapsNamespace:
    """Which gaps the workspace's evidence shows, and how much each matters (``ws.gaps``)."""

    def __init__(self, db: Database, settings: Settings) -> None:
        self._tables = WorkspaceTables(db)
        self._settings = settings

    def drivers(
        self,
        *,
        outcome: str | None = "nps",
        level: str = "item",
        method: str = "lmg",
        unit: str | None = None,
        n_bootstrap: int = 200,
        max_themes: int = 12,
        random_state: int | None = 0,
        since: date | None = None,
        until: date | None = None,
        where: Mapping[str, Sequence[str]] | None = None,
    ) -> pd.DataFrame:
        """Key drivers of ``outcome``: each driver's relative importance with an interval.

        Parameters
        ----------
        outcome
            ``nps``, ``csat`` or ``ces``; None for the workspace's own: NPS, else CSAT (a
            CSAT-only client), else CES (``frame.attrs["outcome"]`` says which).
        level
            ``item``, ``dimension``, ``theme`` (whether a comment mentions each theme),
            ``item+theme`` or ``dimension+theme``.
        method
            ``lmg`` or ``johnson``.
        unit
            Keep only this unit's answers.
        n_bootstrap, random_state
            Bootstrap resamples of each weight's interval and their seed.
        max_themes
            How many themes enter, most mentioned first.
        since, until
            First and last day (inclusive, UTC) of the answers to keep, as for
            ``ws.metrics.scores``; None leaves a side open.
        where
            Keep only answers whose dimension holds one of the values, as for
            ``ws.metrics.scores`` (``{"unit": ["North"]}``).

        Returns
        -------
        pandas.DataFrame
            ``driver``, ``raw_weight``, ``share``, ``ci_low``, ``ci_high``, ``rank``,
            ``direction`` (raises or lowers the outcome) (see
            :func:`advocacy.gaps.assessment.key_drivers`).

        Raises
        ------
        UsageError
            For an unknown level, or fewer than two drivers joined to answers.

        Examples
        --------
        >>> ws.gaps.drivers(level="item+theme").head()             # doctest: +SKIP
        """
        from advocacy.gaps.assessment import key_drivers

        tables = self._tables.answering(where, since=since, until=until)
        confidence = self._settings.confidence

        def compute() -> pd.DataFrame:
            return key_drivers(
                tables,
                outcome=outcome,
                level=level,
                method=method,
                unit=unit,
                n_bootstrap=n_bootstrap,
                confidence=confidence,
                max_themes=max_themes,
                random_state=random_state,
            )

        if random_state is None:  # a fresh draw each call
            return compute()
        options = (outcome, level, method, unit, n_bootstrap, max_themes, random_state)
        return self._tables.remembered(("gaps.drivers", tables.key, confidence, options), compute)

    def ipa(
        self,
        *,
        importance: str = "auto",
        crosshair: str = "mean",
        level: str = "item",
        since: date | None = None,
        until: date | None = None,
        where: Mapping[str, Sequence[str]] | None = None,
    ) -> ImportancePerformance:
        """Importance-performance quadrants of the rated items or dimensions.

        Parameters
        ----------
        importance
            ``stated`` (ratings of kind ``importance``), ``derived`` (each item's share of the
            NPS R^2) or ``auto`` (stated when every item has it).
        crosshair
            Where the quadrants split: ``mean``, ``median`` or ``midpoint`` (the scale's).
        level
            ``item`` or ``dimension``.
        since, until
            First and last day (inclusive, UTC) of the answers to keep, as for
            ``ws.metrics.scores``; None leaves a side open.
        where
            Keep only answers whose dimension holds one of the values, as for
            ``ws.metrics.scores`` (``{"unit": ["North"]}``).

        Returns
        -------
        ImportancePerformance
            The quadrant of each item (``.frame``) and how it was placed; an item whose
            importance interval includes the crosshair is ``"importance unclear"``.
        """
        from advocacy.gaps.assessment import ipa

        return ipa(
            self._tables.answering(where, since=since, until=until),
            importance=importance,
            crosshair=crosshair,
            level=level,
            confidence=self._settings.confidence,
            # The key drivers this workspace may already have computed (the report's).
            derived=lambda: self.drivers(
                level=level, n_bootstrap=100, random_state=0, since=since, until=until, where=where
            ),
        )

    def unit_ratings(
        self,
        *,
        level: str = "item",
        since: date | None = None,
        until: date | None = None,
        where: Mapping[str, Sequence[str]] | None = None,
    ) -> pd.DataFrame:
        """How each unit rates each driver against the other units (the unit x driver heat map).

        Parameters
        ----------
        level
            ``item`` (each rated item) or ``dimension`` (items averaged per dimension).
        since, until
            First and last day (inclusive, UTC) of the answers to keep, as for
            ``ws.metrics.scores``; None leaves a side open.
        where
            Keep only answers whose dimension holds one of the values, as for
            ``ws.metrics.scores`` (``{"segment": ["household"]}``).

        Returns
        -------
        pandas.DataFrame
            Per unit and driver: ``n``, ``mean`` with ``ci_low`` and ``ci_high``, the other
            units' ``rest_mean``, the ``difference``, its Holm-adjusted ``p_adjusted`` and
            whether it is ``significant`` (see
            :func:`advocacy.drivers.unit_ratings.unit_driver_ratings`).

        Examples
        --------
        >>> ws.gaps.unit_ratings(level="dimension").query("significant")  # doctest: +SKIP
        """
        from advocacy.drivers.unit_ratings import unit_driver_ratings

        return unit_driver_ratings(
            self._tables.answering(where, since=since, until=until)("responses"),
            self._tables("response_items"),
            level=level,
            confidence=self._settings.confidence,
            min_n=self._settings.min_n,
            correction=self._settings.correction,
        )

    def servqual(
        self,
        *,
        since: date | None = None,
        until: date | None = None,
        where: Mapping[str, Sequence[str]] | None = None,
    ) -> ServqualResult:
        """SERVQUAL gaps (perception minus expectation) by item, dimension and overall.

        Parameters
        ----------
        since, until
            First and last day (inclusive, UTC) of the answers to keep, as for
            ``ws.metrics.scores``; None leaves a side open.
        where
            Keep only answers whose dimension holds one of the values, as for
            ``ws.metrics.scores`` (``{"unit": ["North"]}``).

        Returns
        -------
        ServqualResult
            ``items``, ``dimensions`` and the overall gap, each with an interval.
        """
        return self._servqual(self._tables.answering(where, since=since, until=until))

    def _servqual(self, tables: AnswerFilter) -> ServqualResult:
        """SERVQUAL of ``tables``, computed once per report run."""
        from advocacy.gaps.assessment import servqual

        confidence = self._settings.confidence
        return self._tables.remembered(
            ("gaps.servqual", tables.key, confidence),
            lambda: servqual(tables, confidence=confidence),
        )

    def targets(self) -> pd.DataFrame:
        """Every target with its current value, gap, interval and trend.

        Returns
        -------
        pandas.DataFrame
            One row per target (see :func:`advocacy.gaps.targets.target_gaps`).
        """
        from advocacy.gaps.targets import target_gaps

        return target_gaps(self._tables, confidence=self._settings.confidence)

    def register(
        self,
        *,
        top: int | None = None,
        since: date | None = None,
        until: date | None = None,
        where: Mapping[str, Sequence[str]] | None = None,
    ) -> pd.DataFrame:
        """The gap register: targets, SERVQUAL dimensions and culture attributes by priority.

        Parameters
        ----------
        top
            Keep the first ``top`` rows (None: every gap).
        since, until
            First and last day (inclusive, UTC) of the answers to keep, as for
            ``ws.metrics.scores``; None leaves a side open.
        where
            Keep only answers whose dimension holds one of the values, as for
            ``ws.metrics.scores`` (``{"unit": ["North"]}``); employee answers follow a unit
            filter only.

        Returns
        -------
        pandas.DataFrame
            One row per gap, highest priority first, with its size, impact, effort and the
            resources it needs.
        """
        from advocacy.gaps.assessment import register

        tables = self._tables.answering(where, since=since, until=until)
        frame = register(
            tables,
            confidence=self._settings.confidence,
            # SERVQUAL and culture as this workspace may already have computed them.
            servqual_of=lambda: self._servqual(tables),
            culture_of=lambda: self._culture(tables, min_group=5),
        )
        return frame.head(top) if top is not None else frame

    def culture(
        self,
        *,
        min_group: int = 5,
        since: date | None = None,
        until: date | None = None,
        where: Mapping[str, Sequence[str]] | None = None,
    ) -> CultureResult:
        """Culture gaps (current against desired) and eNPS by unit.

        Parameters
        ----------
        min_group
            Units with fewer respondents are suppressed, so no one can be singled out.
        since, until
            First and last day (inclusive, UTC) of the answers to keep, as for
            ``ws.metrics.scores``; None leaves a side open.
        where
            Keep only the employee answers of these units (``{"unit": ["North"]}``); employee
            answers carry only a unit, so any other dimension is refused.

        Returns
        -------
        CultureResult
            ``items`` (gaps per culture item) and ``units`` (eNPS and gaps by unit).

        Raises
        ------
        UsageError
            For a filter on anything but the unit.
        """
        from advocacy.metrics.slicing import check_filters

        check_filters(where, "employee_responses")  # a unit or nothing
        tables = self._tables.answering(where, since=since, until=until)
        return self._culture(tables, min_group=min_group)

    def _culture(self, tables: AnswerFilter, *, min_group: int) -> CultureResult:
        """The culture gaps of ``tables``, computed once per report run."""
        from advocacy.gaps.assessment import culture

        confidence = self._settings.confidence
        return self._tables.remembered(
            ("gaps.culture", tables.key, min_group, confidence),
            lambda: culture(tables, min_group=min_group, confidence=confidence),
        )

    def culture_link(self, *, predictor: str = "enps", min_group: int = 5) -> UnitLink:
        """The unit-level link of customer NPS with employee results.

        Parameters
        ----------
        predictor
            ``enps`` or ``culture_gap`` (a unit's mean desired-minus-current gap).
        min_group
            Units with fewer employee respondents are left out.

        Returns
        -------
        UnitLink
            The correlation and regression across units, and the units (``.units``); with
            fewer than three units, no estimate and a note saying so.
        """
        from advocacy.gaps.assessment import culture_link

        return culture_link(
            self._tables,
            predictor=predictor,
            min_group=min_group,
            confidence=self._settings.confidence,
        )


__all__ = [
    "GapsNamespace",
    "parquet_drivers",
    "read_maturity_answers",
    "score_maturity",
    "servqual_items",
    "write_maturity_template",
]

__getattr__, __dir__ = _lazy_names(__name__, _LAZY, __all__)
