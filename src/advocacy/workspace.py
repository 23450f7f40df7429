"""The Workspace facade: one object wiring the layers for the CLI, server, reports and notebooks.

>>> import advocacy
>>> ws = advocacy.open("advocacy.duckdb")      # doctest: +SKIP
>>> ws.import_file("responses.csv", kind="responses")  # doctest: +SKIP
>>> ws.table("responses")                      # doctest: +SKIP
>>> ws.status()                                # doctest: +SKIP
>>> ws.metrics.scores("nps", by="unit")        # doctest: +SKIP

``advocacy.open`` takes a DuckDB file or ``postgresql://...``; ``ws.table`` gives an Ibis table;
each concern is a namespace (``ws.metrics``). :func:`open_parquet` opens a folder of Parquet
tables on Spark, read-only.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from advocacy.errors import WorkspaceError
from advocacy.namespaces.access import AccessNamespace
from advocacy.namespaces.advocates import AdvocatesNamespace
from advocacy.namespaces.asks import AsksNamespace
from advocacy.namespaces.cases import CasesNamespace
from advocacy.namespaces.customers import CustomersNamespace
from advocacy.namespaces.gaps import GapsNamespace
from advocacy.namespaces.metrics import MetricsNamespace
from advocacy.namespaces.outbox import OutboxNamespace
from advocacy.namespaces.plans import PlansNamespace
from advocacy.namespaces.retention import RetentionNamespace
from advocacy.namespaces.surveys import SurveysNamespace
from advocacy.namespaces.tables import WorkspaceTables, table_names
from advocacy.namespaces.text import TextNamespace
from advocacy.settings import Settings, current_settings
from advocacy.store.connection import Database, dialect_of, duckdb_path
from advocacy.store.migrate import current_version, latest_version, migrate

#: The schema version a new workspace starts from: applying it means the workspace is new.
FIRST_MIGRATION = 1

if TYPE_CHECKING:
    import pandas as pd
    from ibis.expr.types import Table

    from advocacy.importer import ImportResult
    from advocacy.ingest.limits import InputLimits
    from advocacy.ingest.records import WriteResult
    from advocacy.loop.evidence_writes import EvidenceWriter
    from advocacy.store.ledger import ImportsSummary
    from advocacy.store.shared_results import SharedResults
    from advocacy.store.status import WorkspaceStatus


class Workspace:
    """An open advocacy workspace: the database plus everything that reads and writes it.

    The workspace itself holds the data in and out (tables, imports, record writes, exports,
    the import ledger); each concern's analyses and work are a namespace of it: ``ws.metrics``,
    ``ws.text``, ``ws.gaps``, ``ws.advocates``, ``ws.retention``, ``ws.cases``, ``ws.plans``,
    ``ws.surveys``, ``ws.asks``, ``ws.outbox``, ``ws.customers`` and ``ws.access``.

    Parameters
    ----------
    db
        The open database.
    settings
        The settings to use (default: built from the environment and ``advocacy.toml``).
    """

    def __init__(self, db: Database, settings: Settings | None = None) -> None:
        self.db = db
        #: The settings this workspace reads (:class:`advocacy.settings.Settings`).
        self.settings = settings if settings is not None else current_settings()

    @property
    def url(self) -> str:
        """The database's URL or DuckDB path."""
        return self.db.url

    # -- namespaces: built on each access, so they always use the workspace's current database --
    @property
    def access(self) -> AccessNamespace:
        """Users, API tokens and the audit log (see ``advocacy.namespaces.access``)."""
        return AccessNamespace(self.db)

    @property
    def cases(self) -> CasesNamespace:
        """Case rules, cases and the loop's results (see ``advocacy.namespaces.cases``)."""
        return CasesNamespace(self.db, self.settings)

    @property
    def customers(self) -> CustomersNamespace:
        """The customer 360 and the customer search (see ``advocacy.namespaces.customers``)."""
        return CustomersNamespace(self.db)

    @property
    def outbox(self) -> OutboxNamespace:
        """Notifications and their delivery (see ``advocacy.namespaces.outbox``)."""
        return OutboxNamespace(self.db, self.settings)

    @property
    def plans(self) -> PlansNamespace:
        """Action plans and their progress (see ``advocacy.namespaces.plans``)."""
        return PlansNamespace(self.db, self.settings)

    @property
    def surveys(self) -> SurveysNamespace:
        """Hosted surveys and their links (see ``advocacy.namespaces.surveys``)."""
        return SurveysNamespace(self.db, self.settings)

    @property
    def metrics(self) -> MetricsNamespace:
        """Experience scores with intervals and tests (see ``advocacy.namespaces.metrics``)."""
        return MetricsNamespace(self.db, self.settings)

    @property
    def text(self) -> TextNamespace:
        """Text analytics and themes (see ``advocacy.namespaces.text``)."""
        return TextNamespace(self.db, self.settings)

    @property
    def gaps(self) -> GapsNamespace:
        """Key drivers, SERVQUAL, targets, culture and the gap register (``namespaces.gaps``)."""
        return GapsNamespace(self.db, self.settings)

    @property
    def advocates(self) -> AdvocatesNamespace:
        """The ladder, say-do gap, referrals and fans-to-be (``namespaces.advocates``)."""
        return AdvocatesNamespace(self.db, self.settings)

    @property
    def asks(self) -> AsksNamespace:
        """Ask campaigns, their tracked links and the lift they cause (``namespaces.asks``)."""
        return AsksNamespace(self.db, self.settings)

    @property
    def retention(self) -> RetentionNamespace:
        """Repeat purchases, lifetime value and churn risk (``namespaces.retention``)."""
        return RetentionNamespace(self.db, self.settings)

    # -- tables --------------------------------------------------------------------------------
    def table_names(self) -> list[str]:
        """The tables :meth:`table` and :meth:`export` read: every kind's, then the ledger's.

        Returns
        -------
        list of str
        """
        return table_names()

    def table(self, name: str) -> Table:
        """The Ibis table called ``name`` (``employee-responses`` = ``employee_responses``).

        Parameters
        ----------
        name
            One of :meth:`table_names`.

        Returns
        -------
        ibis.expr.types.Table

        Raises
        ------
        NotFoundError
            For a table that is not one of :meth:`table_names`.
        """
        return WorkspaceTables(self.db)(name)

    def unavailable(self, *tables: str) -> str | None:
        """Why this workspace cannot read ``tables``, or None when it can.

        A workspace database holds every table; a folder of Parquet tables read on Spark
        (:func:`open_parquet`) holds the evidence and, when written there, the derived text
        tables and the closed loop's cases, plans and campaigns; never the other work tables
        (users, the audit log).

        Parameters
        ----------
        *tables
            Table names (``text_features``, ``cases``, ...).

        Returns
        -------
        str or None
            One sentence saying what is missing and how to get it.
        """
        from advocacy.store.parquet_source import ParquetSource

        if isinstance(self.db, ParquetSource):
            return self.db.unavailable(tables)
        return None

    # -- data in --------------------------------------------------------------------------------
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
        name: str | None = None,
        actor: str | None = None,
        cases: bool = True,
        case_window_days: int | None = 30,
        cases_at_once: int | None = 500,
    ) -> ImportResult:
        """Import one file of ``kind`` in one transaction; rows that fail go to quarantine.

        Parameters
        ----------
        path
            A CSV, XLSX, JSON or Parquet file.
        kind
            What the rows are (``responses``, ``customers``, ``employee-responses``, ...).
        source
            The survey tool that exported the file (``qualtrics``, ``typeform``, ...) or
            ``auto``.
        mapping
            A YAML mapping of the file's columns to the canonical ones.
        dry_run
            Check and count without writing.
        strict
            Refuse the whole file when any row fails, instead of quarantining it.
        progress
            Called with (stage, done, total) as the work goes.
        name
            What the result and the import ledger call the file (default: its path), e.g. the
            name of a file uploaded to the server, which keeps it under a temporary path.
        actor
            Who imports (a user or token name): the import and an ``import.file`` entry of the
            audit log then commit together. None (the CLI, notebooks) records no entry.
        cases
            Run the enabled case rules over the responses or mentions written, in the import's
            transaction (the rows and their cases commit together); ``ImportResult.cases``
            says what they did (:meth:`CasesNamespace.open_for_import`). On by default, as on
            every way in (``advocacy import``, with or without ``--server``, the web upload,
            ``POST /api/v1/imports``); ``False`` opens none (``advocacy import --no-cases``).
            A dry run opens none and says what would open. More than ``cases_at_once`` cases
            never open at once (on every way in): the result counts them in ``withheld``, with
            the ``advocacy cases open --since ... --yes`` that opens them.
        case_window_days
            With ``cases``: records dated more than this many days before now open no case and
            are counted (history loaded in bulk); None, or a window reaching before the first
            representable date, checks them all.
        cases_at_once
            With ``cases``: the most cases the import opens (500; more open none and are
            counted). None opens every one: the user's yes, as ``advocacy import --all-cases``,
            the web Import page's "open every case" and the API's ``all_cases`` give.

        Returns
        -------
        ImportResult
            Rows read, loaded and quarantined, the import's id and, with ``cases`` (for the
            responses and mentions the rules read), what the case rules did.

        Raises
        ------
        InputError
            For a missing or unreadable file.
        ValidationError
            For a file of the wrong shape, or any failing row when ``strict``.

        Examples
        --------
        >>> ws.import_file("responses.csv", kind="responses")      # doctest: +SKIP
        """
        from advocacy.importer import import_file

        def then(result: ImportResult) -> None:
            if cases:
                opened = self.cases.open_for_import(
                    result.kind,
                    result.import_id,
                    window_days=case_window_days,
                    dry_run=result.dry_run,
                    at_most=cases_at_once,
                )
                result.cases = None if opened is None else opened.to_dict()
            if actor is not None and not result.dry_run:
                audit(result)

        def audit(result: ImportResult) -> None:
            summary = result.summary()
            kept = ("file", "kind", "rows_read", "rows_loaded", "rows_quarantined")
            self.access.record(
                actor=str(actor),
                action="import.file",
                target=result.import_id,
                detail={key: summary[key] for key in kept},
            )

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
            name=name,
            then=then,
        )

    def write_records(
        self,
        kind: str,
        records: Sequence[Mapping[str, object]],
        *,
        actor: str = "python",
        limits: InputLimits | None = None,
    ) -> WriteResult:
        """Validate and upsert JSON-like ``records`` of ``kind``, all or nothing.

        The REST API's writes go through it.

        Parameters
        ----------
        kind
            What the records are: one of :data:`advocacy.inputs.WRITABLE_KINDS`
            (``responses``, ``mentions``, ...).
        records
            One mapping of column to value per record.
        actor
            Who writes, for the import ledger.
        limits
            Records per batch, characters per text and nesting allowed
            (:class:`advocacy.inputs.InputLimits`; default: the ``max_*`` settings). A batch
            over them is refused before any of it is validated.

        Returns
        -------
        WriteResult
            Records written, and the import's id.

        Raises
        ------
        ValidationError
            When any record fails; nothing is written.

        Examples
        --------
        >>> ws.write_records("responses", [{"response_id": "r1", "nps": 9}])  # doctest: +SKIP
        """
        from advocacy.ingest.limits import InputLimits
        from advocacy.ingest.records import write_records

        return write_records(
            self.db,
            kind,
            records,
            actor=actor,
            timezone=self.settings.timezone,
            limits=limits or InputLimits.from_settings(self.settings),
        )

    def record_writer(
        self,
        lock: contextlib.AbstractContextManager[object],
        *,
        limits: InputLimits | None = None,
        after_commit: Callable[[], None] | None = None,
        is_open: Callable[[], bool] = lambda: True,
    ) -> EvidenceWriter:
        """A writer committing many :meth:`write_records` calls at once (one per server).

        Writes that arrive together are validated and upserted in one pass and one
        transaction, with the case rules run over them, and each gets its own result and its
        own cases (:class:`advocacy.loop.evidence_writes.EvidenceWriter`).

        Parameters
        ----------
        lock
            What every user of the database holds while using it (a server's ``WebState.use``).
        limits
            Bounds of one write (default: the ``max_*`` settings).
        after_commit
            Called after each committed batch, e.g. to note that the data changed.
        is_open
            Returns False once the database is closing; pending writes then fail.

        Returns
        -------
        EvidenceWriter
            Started on its first write.
        """
        from advocacy.ingest.limits import InputLimits
        from advocacy.loop.evidence_writes import EvidenceWriter

        return EvidenceWriter(
            self.db,
            lock,
            settings=self.settings,
            limits=limits or InputLimits.from_settings(self.settings),
            after_commit=after_commit,
            is_open=is_open,
        )

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """All or nothing: the writes made inside commit together, or none does.

        Writes that open their own transaction (:meth:`write_records`, ``ws.cases.open_for``,
        ...) join this one. A crash inside leaves the workspace as it was before.

        Yields
        ------
        None
            The ``with`` block runs inside the transaction; an error raised in it rolls
            everything back and propagates.

        Examples
        --------
        >>> with ws.transaction():                                      # doctest: +SKIP
        ...     written = ws.write_records("responses", records)
        ...     opened = ws.cases.open_for_import("responses", written.import_id)
        """
        with self.db.transaction():
            yield

    # -- data out -------------------------------------------------------------------------------
    def analysis(self, name: str) -> pd.DataFrame:
        """The exportable analysis called ``name`` (see :mod:`advocacy.analyses`).

        Parameters
        ----------
        name
            An analysis name (``scores``, ``ladder``, ``drivers``, ...).

        Returns
        -------
        pandas.DataFrame

        Raises
        ------
        UsageError
            For an unknown analysis name.
        """
        from advocacy.analyses import get_analysis

        return get_analysis(name).frame(self)

    def export_analysis(
        self, names: str | Sequence[str], *, out: str | Path, format: str | None = None
    ) -> dict[str, int]:
        """Write analyses as csv, parquet, json or xlsx (one sheet each).

        Parameters
        ----------
        names
            One analysis name, several (XLSX only), or ``"all"``.
        out
            The file to write.
        format
            ``csv``, ``parquet``, ``json`` or ``xlsx``; default from ``out``'s suffix.

        Returns
        -------
        dict of str to int
            Rows written per analysis.

        Raises
        ------
        UsageError
            For an unknown analysis or format, or several analyses in a one-table format.
        """
        from advocacy.analyses import export_analyses

        chosen = [names] if isinstance(names, str) else list(names)
        return export_analyses(self, chosen, out=out, format=format)

    def export_loop(self, directory: str | Path) -> dict[str, int]:
        """Write the closed loop's six tables (cases, case events, action plans, ask campaigns,
        their members and events) to ``directory`` as ``<table>.parquet``, as stored.

        Beside the evidence exported as Parquet, they let ``advocacy report --engine spark
        --data DIR`` build its loop and asks sections. Case notes and owners leave as written:
        the folder is for people who may see the cases.

        Parameters
        ----------
        directory
            The folder of the Parquet exports (created if missing).

        Returns
        -------
        dict of str to int
            Rows written per table.
        """
        from advocacy.store.parquet_source import write_loop_tables

        Path(directory).mkdir(parents=True, exist_ok=True)
        return write_loop_tables(self.db, directory)

    def export(
        self,
        table: str,
        *,
        out: str | Path,
        format: str | None = None,
        redact: bool = False,
        notes: list[str] | None = None,
    ) -> int:
        """Write table ``table`` to ``out`` as csv, parquet, xlsx or json.

        Values leave as stored (document tables gain the text analysis columns), so importing
        the file gives back the same records; only CSV/XLSX cells that would run as formulas
        are neutralised. Timestamps are written in the UTC offset their source gave (csv,
        xlsx, json); Parquet keeps typed instants and the ``time_offsets`` column.

        Parameters
        ----------
        table
            One of :meth:`table_names`.
        out
            The file to write.
        format
            ``csv``, ``parquet``, ``xlsx`` or ``json``; default from ``out``'s suffix.
        redact
            Replace personal data in free text (``advocacy.text.export_table``).
        notes
            A list to which what the file could not hold is added, when given: the XLSX
            cells cut to fit Excel's 32,767 characters, by cell (``data!D5``), column and
            length.

        Returns
        -------
        int
            Rows written.

        Raises
        ------
        NotFoundError
            For an unknown table.
        UsageError
            For an unknown format.
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
        return write_table(data, path, output, notes=notes)

    # -- the ledger ------------------------------------------------------------------------------
    def status(self) -> WorkspaceStatus:
        """Counts per table, date ranges and recent imports.

        Returns
        -------
        WorkspaceStatus
        """
        from advocacy.store.parquet_source import ParquetSource
        from advocacy.store.status import workspace_status

        if isinstance(self.db, ParquetSource):
            return self.db.status()
        return workspace_status(self.db)

    def imports_summary(self) -> ImportsSummary:
        """How many imports the ledger holds (API and survey writes included) and when the
        latest finished.

        One cheap query: the web app asks it on every cached read, and a cached result is
        reused until the answer changes (new evidence arrived).

        Returns
        -------
        ImportsSummary
            ``imports`` and ``last_finished_at`` (None before the first import).

        Examples
        --------
        >>> ws.imports_summary().imports                                # doctest: +SKIP
        12
        """
        from advocacy.store.ledger import imports_summary

        return imports_summary(self.db)

    def shared_results(self) -> SharedResults | None:
        """The results the processes serving this workspace share (PostgreSQL only).

        ``advocacy serve --workers N`` keeps one cache of aggregates per process; through these
        a result computed by one process is read by the others instead of computed again.

        Returns
        -------
        SharedResults or None
            Reads and claims of the shared results (one object per workspace); None on DuckDB
            and Parquet sources (one process serves them).

        Examples
        --------
        >>> ws.shared_results() is None                                 # doctest: +SKIP
        True
        """
        if self.db.dialect != "postgres":
            return None
        from advocacy.store.shared_results import SharedResults

        found: SharedResults | None = getattr(self, "_shared_results", None)
        if found is None or found.db is not self.db:
            found = SharedResults(self.db)
            self._shared_results = found
        return found

    def quarantine(
        self, *, import_id: str | None = None, include_resolved: bool = False
    ) -> list[dict[str, Any]]:
        """Quarantined cells: row, column, value, reason, the whole source record and status.

        Parameters
        ----------
        import_id
            Only this import's (None: every import's).
        include_resolved
            Include the cells a later import resolved.

        Returns
        -------
        list of dict
            One plain record per quarantined cell.
        """
        from advocacy.store.ledger import quarantine_rows

        return quarantine_rows(self.db, import_id=import_id, include_resolved=include_resolved)

    def export_quarantine(
        self, out: str | Path, *, format: str | None = None, import_id: str | None = None
    ) -> int:
        """Write the open quarantined rows in their original columns, each with its reasons.

        Parameters
        ----------
        out
            The file to write.
        format
            ``csv``, ``parquet``, ``xlsx`` or ``json``; default from ``out``'s suffix.
        import_id
            Only this import's rows.

        Returns
        -------
        int
            Rows written.

        Raises
        ------
        UsageError
            For an unknown format.
        """
        from advocacy.exports import format_for, quarantine_table, write_table

        path = Path(out)
        table = quarantine_table(self.quarantine(import_id=import_id))
        return write_table(table, path, format_for(path, format))

    def reconnect(self) -> None:
        """Open the database again after a storage fault, and check that it answers.

        After a fatal error (a full disk) DuckDB refuses every statement until the database is
        opened anew, which replays its write-ahead log, so every committed transaction is kept;
        a broken PostgreSQL connection is replaced. Callers make sure no query is running.

        Raises
        ------
        WorkspaceError
            When the database cannot be opened yet (the disk may still be full); call again
            later. The database driver's own error when it opens but does not answer.
        """
        self.db.reconnect()
        self.db.ping()

    @contextlib.contextmanager
    def pooled(self) -> Iterator[None]:
        """For the block, this thread works on a pooled database connection (PostgreSQL).

        The web server wraps each request in it, so the ``pool_size`` connections of the pool
        serve every request; on DuckDB, and outside any block, nothing changes.

        Yields
        ------
        None
            The ``with`` block runs on the borrowed connection; it goes back to the pool after.

        Examples
        --------
        >>> with ws.pooled():                                            # doctest: +SKIP
        ...     ws.status()
        """
        with self.db.pooled():
            yield

    def close(self) -> None:
        """Close the database; the workspace cannot be used afterwards."""
        self.db.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Workspace({self.url!r})"


def open_workspace(
    url: str | os.PathLike[str] | None = None,
    *,
    settings: Settings | None = None,
    create: bool = True,
    read_only: bool = False,
) -> Workspace:
    """Open (creating or upgrading as needed) the workspace at ``url``.

    Parameters
    ----------
    url
        A DuckDB file path (a string or a :class:`pathlib.Path`; default ``advocacy.duckdb``,
        or the ``db`` setting) or a ``postgresql://`` URL.
    settings
        The settings to use (default: built once from the environment and ``advocacy.toml``
        in the working directory); ``ws.settings`` is the object in use.
    create
        Whether a DuckDB file that does not exist yet becomes a new workspace (no data, the
        shipped case rules: ``advocacy cases rules``). With
        ``False`` a mistyped path is an error instead of a silent empty workspace (the CLI's
        reading commands open this way).
    read_only
        Open an existing DuckDB file, at the latest schema, for reading only: any number of
        reading processes share the file (a process opening it for writing is refused while
        they hold it, and they while it does), and a write through this workspace fails. A
        file that does not exist yet, or whose schema needs an upgrade, is opened for writing
        as without it (the upgrade writes); PostgreSQL, which takes many writers, is opened
        as without it.

    Returns
    -------
    Workspace
        The open workspace, migrated to the latest schema.

    Raises
    ------
    WorkspaceError
        With ``create=False``, when the DuckDB file does not exist.
    """
    if url is not None:
        url = os.fspath(url)
    settings = (settings if settings is not None else current_settings()).updated(db=url)
    if not create:
        _check_exists(settings.db)
    if read_only and dialect_of(settings.db) == "duckdb":
        path = duckdb_path(settings.db)
        if path != ":memory:" and Path(path).is_file():
            reader = Database(settings.db, read_only=True, pool_size=settings.pool_size)
            try:
                current = current_version(reader) == latest_version()
            except BaseException:
                reader.close()
                raise
            if current:
                return Workspace(reader, settings)
            reader.close()
    db = Database(settings.db, pool_size=settings.pool_size)
    try:
        applied = migrate(db)
        if applied:
            # A new workspace closes the loop out of the box: the shipped case rules, as the
            # guide, the demo and the API assume (cases load-rules replaces them). One whose
            # first opening stopped at a failed migration gets them when it is next upgraded.
            from advocacy.loop.cases.rule_store import awaits_default_rules, ensure_default_rules

            if FIRST_MIGRATION in applied or awaits_default_rules(db):
                ensure_default_rules(db)
    except BaseException:
        db.close()
        raise
    return Workspace(db, settings)


def _check_exists(url: str) -> None:
    """Refuse a DuckDB file that does not exist (a server database is the server's to refuse)."""
    if dialect_of(url) != "duckdb":
        return
    path = duckdb_path(url)
    if path == ":memory:" or Path(path).exists():
        return
    raise WorkspaceError(
        f"no workspace at {path}: the file does not exist",
        parameter="db",
        fix="check the path; to start a new workspace there, import a file into it "
        "(advocacy import FILE --db PATH) or run advocacy --create COMMAND "
        "(create=True in Python)",
    )


def open_parquet(
    directory: str | os.PathLike[str],
    *,
    master: str | None = None,
    session: Any = None,
    settings: Settings | None = None,
) -> Workspace:
    """A read-only workspace over a folder of Parquet tables, computed on Apache Spark.

    The namespaces read their tables through Ibis, so ``ws.metrics``, ``ws.gaps``,
    ``ws.advocates``, ``ws.text.themes`` and the report run on Spark over ``directory``;
    anything that needs the workspace database (writes, the import ledger, users) raises
    :class:`~advocacy.errors.ParquetSourceError`, and :meth:`Workspace.unavailable` says
    beforehand what the folder lacks.

    Parameters
    ----------
    directory
        A folder of ``<table>.parquet`` exports (``advocacy export TABLE --format parquet``),
        each one file or a folder of part files; an evidence table without a file reads as
        empty. The derived text tables (``text_features``, ``themes``, ``document_themes``,
        ``text_sentences``) and the closed loop's (``cases``, ``initiatives``, the ask
        campaigns: ``advocacy export loop --out DIR``) are read when present.
    master
        Spark master URL for a new session (e.g. ``yarn``); default: Spark's configuration.
    session
        An existing SparkSession to use instead.
    settings
        The settings to use (default: built from the environment and ``advocacy.toml``).

    Returns
    -------
    Workspace
        Closing it leaves the Spark session running.

    Raises
    ------
    NotFoundError
        When ``directory`` is not a folder.
    UsageError
        When PySpark is not installed.

    Examples
    --------
    >>> ws = open_parquet("exports/", master="local[2]")            # doctest: +SKIP
    >>> ws.metrics.scores("nps", by="unit")                          # doctest: +SKIP
    """
    import ibis

    from advocacy.metrics.engines import spark_session
    from advocacy.store.parquet_source import ParquetSource, parquet_folder

    folder = parquet_folder(os.fspath(directory))  # a mistyped folder fails before Spark starts
    backend = ibis.pyspark.connect(session if session is not None else spark_session(master))
    return Workspace(ParquetSource(folder, backend, engine="spark"), settings)
