"""The Workspace facade: one object wiring the layers for the CLI, server, reports and notebooks.

>>> import advocacy
>>> ws = advocacy.open("advocacy.duckdb")      # or "postgresql://..."
>>> ws.import_file("responses.csv", kind="responses")
>>> ws.table("responses")                      # an Ibis table
>>> ws.status()
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from advocacy.errors import NotFoundError
from advocacy.model import KINDS
from advocacy.namespaces.access import AccessNamespace
from advocacy.namespaces.cases import CasesNamespace
from advocacy.namespaces.outbox import OutboxNamespace
from advocacy.namespaces.plans import PlansNamespace
from advocacy.namespaces.surveys import SurveysNamespace
from advocacy.settings import Settings, current_settings
from advocacy.store.connection import Database
from advocacy.store.migrate import migrate

if TYPE_CHECKING:
    from advocacy.access.roles import Principal

#: Tables users may read and export, besides the canonical kinds.
LEDGER_TABLES = ("imports", "quarantine")


class Workspace:
    """An open advocacy workspace: the database plus everything that reads and writes it."""

    def __init__(self, db: Database, settings: Settings | None = None) -> None:
        self.db = db
        #: The settings this workspace reads (:class:`advocacy.settings.Settings`).
        self.settings = settings if settings is not None else current_settings()

    @property
    def url(self) -> str:
        return self.db.url

    # -- namespaces: built on each access, so they always use the workspace's current database --
    @property
    def access(self) -> AccessNamespace:
        """Users, API tokens and the audit log (see ``advocacy.namespaces.access``)."""
        return AccessNamespace(self.db)

    @property
    def cases(self) -> CasesNamespace:
        """Case rules, cases and the loop's results (see ``advocacy.namespaces.cases``)."""
        return CasesNamespace(self.db)

    @property
    def outbox(self) -> OutboxNamespace:
        """Notifications and their delivery (see ``advocacy.namespaces.outbox``)."""
        return OutboxNamespace(self.db)

    @property
    def plans(self) -> PlansNamespace:
        """Action plans and their progress (see ``advocacy.namespaces.plans``)."""
        return PlansNamespace(self.db)

    @property
    def surveys(self) -> SurveysNamespace:
        """Hosted surveys and their links (see ``advocacy.namespaces.surveys``)."""
        return SurveysNamespace(self.db)

    # -- tables --------------------------------------------------------------------------------
    def table_names(self) -> list[str]:
        return [kind.table for kind in KINDS.values()] + list(LEDGER_TABLES)

    def table(self, name: str) -> Any:
        """The Ibis table called ``name`` (``employee-responses`` = ``employee_responses``)."""
        normal = name.strip().lower().replace("-", "_")
        if normal not in self.table_names():
            raise NotFoundError(
                f"no table {name!r} in the workspace",
                value=name,
                fix="use one of: " + ", ".join(self.table_names()),
            )
        return self.db.ibis.table(normal)

    def _tables_for(self, principal: Principal | None) -> Callable[[str], Any]:
        """:meth:`table`, or with a principal every table as it may read it (access.scope)."""
        if principal is None:
            return self.table
        from advocacy.access.scope import scoped_tables

        return scoped_tables(self.db.ibis.table, principal)

    # -- import --------------------------------------------------------------------------------
    def import_file(
        self,
        path: str | Path,
        *,
        kind: str,
        source: str = "auto",
        mapping: str | Path | None = None,
        dry_run: bool = False,
        strict: bool = False,
        progress: Callable[[str, int, int], None] | None = None,
    ) -> Any:
        """Import one file of ``kind``; see :func:`advocacy.importer.import_file`."""
        from advocacy.importer import import_file

        return import_file(
            self.db,
            path,
            kind=kind,
            source=source,
            mapping=mapping,
            dry_run=dry_run,
            strict=strict,
            progress=progress,
            timezone=self.settings.timezone,
        )

    # -- metrics -------------------------------------------------------------------------------
    def write_records(self, kind: str, records: Any, *, actor: str = "python") -> Any:
        """Validate and upsert JSON-like ``records`` of ``kind``, all or nothing.

        See :func:`advocacy.ingest.records.write_records`; the API's writes go through it.
        """
        from advocacy.ingest.records import write_records

        return write_records(self.db, kind, records, actor=actor)

    def metrics(
        self,
        metrics: str | list[str] | tuple[str, ...] = ("nps",),
        *,
        by: str | list[str] | tuple[str, ...] = (),
        period: str | None = None,
        since: Any = None,
        until: Any = None,
        compare: str | None = None,
        rolling: int | None = None,
        weighted: bool = False,
        confidence: float | None = None,
        min_n: int | None = None,
        interval: str | None = None,
        correction: str | None = None,
        principal: Principal | None = None,
    ) -> Any:
        """Experience scores with intervals and tests by slice and period, as a pandas DataFrame.

        See :func:`advocacy.metrics.experience.experience_metrics`; ``confidence``, ``min_n``,
        ``interval`` and ``correction`` default to the settings of the same names; ``since``
        and ``until`` take dates or ISO strings (``"2024-03-01"``). With a ``principal``
        (:class:`advocacy.access.Principal`), every table is read as it may read it
        (:func:`advocacy.access.scope.scoped_tables`: a case handler's units only).
        """
        from advocacy.metrics.experience import experience_metrics

        chosen = self.settings.updated(
            confidence=confidence, min_n=min_n, nps_interval=interval, correction=correction
        )
        return experience_metrics(
            self._tables_for(principal),
            [metrics] if isinstance(metrics, str) else list(metrics),
            by=[by] if isinstance(by, str) else list(by),
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
        )

    def metrics_batch(
        self, requests: Any, *, weighted: bool = False, principal: Principal | None = None
    ) -> list[Any]:
        """Several ``metrics`` calls (:class:`advocacy.metrics.rollup.MetricsRequest`) at once.

        One aggregation per table answers them all; see
        :func:`advocacy.metrics.rollup.experience_metrics_batch`. Settings and ``principal``
        as for ``metrics``.
        """
        from advocacy.metrics.rollup import experience_metrics_batch

        return experience_metrics_batch(
            self._tables_for(principal),
            list(requests),
            weighted=weighted,
            confidence=self.settings.confidence,
            min_n=self.settings.min_n,
            interval=self.settings.nps_interval,
            correction=self.settings.correction,
        )

    # -- analysis exports ---------------------------------------------------------------------
    def analysis(self, name: str) -> Any:
        """The exportable analysis called ``name`` as a pandas DataFrame (see ``analyses``)."""
        from advocacy.analyses import get_analysis

        return get_analysis(name).frame(self)

    def export_analysis(
        self, names: str | list[str], *, out: str | Path, format: str | None = None
    ) -> dict[str, int]:
        """Write analyses as csv, parquet or xlsx (one sheet each); return rows per analysis."""
        from advocacy.analyses import export_analyses

        chosen = [names] if isinstance(names, str) else list(names)
        return export_analyses(self, chosen, out=out, format=format)

    # -- text analytics ------------------------------------------------------------------------
    def analyze_text(
        self,
        *,
        kinds: list[str] | None = None,
        calibrate: bool | None = None,
        progress: Callable[[str, int, int], None] | None = None,
    ) -> Any:
        """Analyse new and changed texts; see :func:`advocacy.text.enrich.analyze_workspace`.

        The model is the ``text_model`` setting.
        """
        from advocacy.text.enrich import analyze_workspace

        return analyze_workspace(
            self.db,
            kinds=kinds,
            calibrate=calibrate,
            model=self.settings.text_model,
            progress=progress,
        )

    def text_sentences(self, kind: str, document_id: str) -> list[dict[str, Any]]:
        """A document's sentences with sentiment, redacted (:func:`advocacy.text.sentence_rows`)."""
        from advocacy.text.sentences import sentence_rows

        return sentence_rows(self.db, kind, document_id)

    def teach_text(self, path: str | Path) -> Any:
        """Store user-taught sentiment/theme labels; see :func:`advocacy.text.enrich.teach`."""
        from advocacy.text.enrich import teach

        return teach(self.db, path)

    def discover_themes(
        self, *, n_themes: int | None = None, kinds: list[str] | None = None
    ) -> Any:
        """Discover and store themes; see :func:`advocacy.text.catalogue.discover`."""
        from advocacy.text.catalogue import discover

        return discover(self.db, n_themes=n_themes, kinds=kinds)

    def assign_themes(self, taxonomy: str | Path, *, threshold: float | None = None) -> Any:
        """Assign texts to a taxonomy file's themes (see ``text.catalogue.assign_taxonomy``)."""
        from advocacy.text.catalogue import assign_taxonomy
        from advocacy.text.taxonomy import DEFAULT_THRESHOLD

        return assign_taxonomy(self.db, taxonomy, threshold=threshold or DEFAULT_THRESHOLD)

    def themes(self, *, origin: str | None = None) -> Any:
        """Stored themes with size, sentiment mix, quotes and NPS impact (a DataFrame)."""
        from advocacy.text.catalogue import list_themes

        return list_themes(self.db, origin=origin, confidence=self.settings.confidence)

    def theme_sentences(
        self, *, origin: str | None = None, since: date | None = None, until: date | None = None
    ) -> Any:
        """Each theme's most negative and most positive sentence, redacted (a DataFrame; see
        ``text.sentence_quotes.theme_sentence_quotes``)."""
        from advocacy.text.sentence_quotes import theme_sentence_quotes

        return theme_sentence_quotes(self.db, origin=origin, since=since, until=until)

    def promote_theme(self, theme_id: str, taxonomy: str | Path, *, name: str | None = None) -> Any:
        """Add a discovered theme to a taxonomy file (see ``text.catalogue.promote_theme``)."""
        from advocacy.text.catalogue import promote_theme

        return promote_theme(self.db, theme_id, taxonomy, name=name)

    def text_table(self, table: str) -> Any:
        """``table`` as an Ibis table with the text columns (``advocacy.text.export_columns``)."""
        from advocacy.text.enrich import export_columns

        return export_columns(self, table)

    # -- drivers and gaps ------------------------------------------------------------------
    def _analysis_table(self, name: str) -> Any:
        """:meth:`table`, plus the derived text tables the gap analyses read (themes)."""
        if name in ("themes", "document_themes", "text_features"):
            return self.db.ibis.table(name)
        return self.table(name)

    def drivers(
        self,
        *,
        outcome: str = "nps",
        level: str = "item",
        method: str = "lmg",
        unit: str | None = None,
        n_bootstrap: int = 200,
        max_themes: int = 12,
        random_state: int | None = 0,
    ) -> Any:
        """Key drivers of ``outcome``; ``level`` item, dimension, theme, item+theme or
        dimension+theme; see :func:`advocacy.gaps.assessment.key_drivers`."""
        from advocacy.gaps.assessment import key_drivers

        return key_drivers(
            self._analysis_table,
            outcome=outcome,
            level=level,
            method=method,
            unit=unit,
            n_bootstrap=n_bootstrap,
            confidence=self.settings.confidence,
            max_themes=max_themes,
            random_state=random_state,
        )

    def ipa(self, *, importance: str = "auto", crosshair: str = "mean", level: str = "item") -> Any:
        """Importance-performance quadrants; see :func:`advocacy.gaps.assessment.ipa`."""
        from advocacy.gaps.assessment import ipa

        return ipa(self.table, importance=importance, crosshair=crosshair, level=level)

    def servqual(self) -> Any:
        """SERVQUAL item, dimension and overall gaps with intervals."""
        from advocacy.gaps.assessment import servqual

        return servqual(self.table, confidence=self.settings.confidence)

    def targets(self) -> Any:
        """Every target with its current value, gap, interval and trend."""
        from advocacy.gaps.targets import target_gaps

        return target_gaps(self.table, confidence=self.settings.confidence)

    def gaps(self, *, top: int | None = None) -> Any:
        """The gap register, highest priority first (the first ``top`` rows when given)."""
        from advocacy.gaps.assessment import register

        frame = register(self._analysis_table, confidence=self.settings.confidence)
        return frame.head(top) if top is not None else frame

    def culture(self, *, min_group: int = 5) -> Any:
        """Culture gaps and eNPS by unit (units under ``min_group`` respondents suppressed)."""
        from advocacy.gaps.assessment import culture

        return culture(self.table, min_group=min_group, confidence=self.settings.confidence)

    def culture_link(self, *, predictor: str = "enps", min_group: int = 5) -> Any:
        """Unit-level correlation and regression of customer NPS on employee results."""
        from advocacy.gaps.assessment import culture_link

        return culture_link(
            self.table,
            predictor=predictor,
            min_group=min_group,
            confidence=self.settings.confidence,
        )

    # -- advocates and retention ---------------------------------------------------------------
    def fit_retention(
        self, *, model: str = "bg-nbd", calibration_end: Any = None, time_unit: str = "week"
    ) -> Any:
        """Fit BG/NBD or Gamma-Gamma on the transactions.

        See :func:`advocacy.retention.lifetime_value.fit_retention`.
        """
        from advocacy.retention.lifetime_value import fit_retention

        return fit_retention(
            self.table("transactions"),
            model=model,
            calibration_end=calibration_end,
            time_unit=time_unit,
        )

    def predict_retention(
        self,
        *,
        horizon: float,
        calibration_end: Any = None,
        time_unit: str = "week",
        discount_rate: float = 0.0,
        margin: float = 1.0,
    ) -> Any:
        """Per-customer P(alive), expected purchases, spend and lifetime value.

        See :func:`advocacy.retention.lifetime_value.predict_retention`.
        """
        from advocacy.retention.lifetime_value import predict_retention

        return predict_retention(
            self.table("transactions"),
            horizon=horizon,
            calibration_end=calibration_end,
            time_unit=time_unit,
            discount_rate=discount_rate,
            margin=margin,
        )

    def churn_risk(
        self, *, horizon_days: int = 90, active_days: int = 90, as_of: Any = None
    ) -> Any:
        """Active subscribers scored by churn risk (:func:`advocacy.retention.churn.churn_risk`)."""
        from advocacy.retention.churn import churn_risk

        tables = {name: self.table(name) for name in ("responses", "transactions", "interactions")}
        for derived in ("text_features", "document_themes", "themes"):
            tables[derived] = self._optional_table(derived)
        return churn_risk(tables, horizon_days=horizon_days, active_days=active_days, as_of=as_of)

    def _optional_table(self, name: str) -> Any:
        """A derived table such as ``text_features`` when the workspace has it, else None."""
        return self.db.ibis.table(name) if name in self.db.ibis.list_tables() else None

    def advocacy_ladder(self, *, as_of: Any = None, rules: Any = None) -> Any:
        """Each customer's rung with the reason and "at risk" overlay.

        See :func:`advocacy.advocates.ladder.advocacy_ladder`.
        """
        from advocacy.advocates.ladder import advocacy_ladder

        return advocacy_ladder(
            self.table("responses"),
            self.table("referrals"),
            self.table("mentions"),
            self.table("transactions"),
            as_of=as_of,
            rules=rules,
            text_features=self._optional_table("text_features"),
        )

    def say_do_gap(
        self,
        *,
        by: str | None = None,
        period: str | None = None,
        window_days: int = 90,
        as_of: Any = None,
        rules: Any = None,
    ) -> Any:
        """Share of promoters who advocated afterwards, with intervals.

        See :func:`advocacy.advocates.say_do.say_do_gap`.
        """
        from advocacy.advocates.say_do import say_do_gap

        return say_do_gap(
            self.table("responses"),
            self.table("referrals"),
            self.table("mentions"),
            self.table("customers"),
            by=by,
            period=period,
            window_days=window_days,
            as_of=as_of,
            rules=rules,
            confidence=self.settings.confidence,
        )

    def silent_promoters(self, *, as_of: Any = None, rules: Any = None) -> Any:
        """Promoters who have not referred or reviewed: ready to be asked."""
        from advocacy.advocates.say_do import silent_promoters

        return silent_promoters(
            self.table("responses"),
            self.table("referrals"),
            self.table("mentions"),
            self.table("customers"),
            as_of=as_of,
            rules=rules,
        )

    def referrals(self) -> Any:
        """Referrals with attribution, value and fraud signals.

        See :func:`advocacy.advocates.referrals.attribute_referrals`.
        """
        from advocacy.advocates.referrals import attribute_referrals

        return attribute_referrals(
            self.table("referrals"), self.table("customers"), self.table("transactions")
        )

    def behaviour_by_band(self, *, window_days: int = 180, as_of: Any = None) -> Any:
        """What promoters, passives and detractors go on to do.

        See :func:`advocacy.advocates.behaviour.behaviour_by_band`.
        """
        from advocacy.advocates.behaviour import behaviour_by_band

        return behaviour_by_band(
            self.table("responses"),
            self.table("transactions"),
            self.table("referrals"),
            window_days=window_days,
            as_of=as_of,
            confidence=self.settings.confidence,
        )

    def fans_to_be(self, *, horizon_days: int = 90, as_of: Any = None) -> Any:
        """Non-advocates scored by their chance of becoming advocates.

        See :func:`advocacy.advocates.propensity.fans_to_be`.
        """
        from advocacy.advocates.propensity import fans_to_be

        names = ("responses", "transactions", "referrals", "mentions", "interactions")
        tables = {name: self.table(name) for name in names}
        for derived in ("text_features", "document_themes", "themes"):
            tables[derived] = self._optional_table(derived)
        return fans_to_be(tables, horizon_days=horizon_days, as_of=as_of)

    # -- look around -------------------------------------------------------------------------
    def status(self) -> Any:
        """Counts per table, date ranges and recent imports."""
        from advocacy.store.status import workspace_status

        return workspace_status(self.db)

    def quarantine(
        self, *, import_id: str | None = None, include_resolved: bool = False
    ) -> list[dict[str, Any]]:
        """Open quarantined cells (row, column, value, reason, the whole source record and its
        status); with ``include_resolved``, those a later import resolved too."""
        from advocacy.store.ledger import quarantine_rows

        return quarantine_rows(self.db, import_id=import_id, include_resolved=include_resolved)

    def export_quarantine(
        self, out: str | Path, *, format: str | None = None, import_id: str | None = None
    ) -> int:
        """Write quarantined rows in their original columns with reasons; return rows written."""
        from advocacy.exports import format_for, quarantine_table, write_table

        path = Path(out)
        table = quarantine_table(self.quarantine(import_id=import_id))
        return write_table(table, path, format_for(path, format))

    def export(
        self, table: str, *, out: str | Path, format: str | None = None, redact: bool = False
    ) -> int:
        """Write table ``table`` to ``out`` as csv, parquet, xlsx or json; return rows written.

        Values leave as stored (document tables gain the text analysis columns), so importing
        the file gives back the same records; only CSV/XLSX cells that would run as formulas
        are neutralised. ``redact`` replaces personal data (``advocacy.text.export_table``).
        Timestamps are written in the UTC offset their source gave (csv, xlsx, json); Parquet
        keeps typed instants and the ``time_offsets`` column.
        """
        from advocacy.exports import ExportFormat, format_for, write_table
        from advocacy.store.time_offsets import with_original_offsets
        from advocacy.text.enrich import export_table

        path = Path(out)
        output = format_for(path, format)
        self.table(table)  # a clear error for an unknown table name
        data = export_table(self, table, redact=redact)
        if output is not ExportFormat.parquet:
            data = with_original_offsets(data)
        return write_table(data, path, output)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Workspace({self.url!r})"


def open_workspace(url: str | None = None, *, settings: Settings | None = None) -> Workspace:
    """Open (creating or upgrading as needed) the workspace at ``url``.

    Parameters
    ----------
    url
        A DuckDB file path (default ``advocacy.duckdb``, or the ``db`` setting) or a
        ``postgresql://`` URL.
    settings
        The settings to use (default: built once from the environment and ``advocacy.toml``
        in the working directory); ``ws.settings`` is the object in use.

    Returns
    -------
    Workspace
        The open workspace, migrated to the latest schema.
    """
    settings = (settings if settings is not None else current_settings()).updated(db=url)
    db = Database(settings.db)
    try:
        migrate(db)
    except BaseException:
        db.close()
        raise
    return Workspace(db, settings)
