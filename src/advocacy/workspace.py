"""The Workspace facade: one object wiring the layers for the CLI, server, reports and notebooks.

>>> import advocacy
>>> ws = advocacy.open("advocacy.duckdb")      # or "postgresql://..."
>>> ws.import_file("responses.csv", kind="responses")
>>> ws.table("responses")                      # an Ibis table
>>> ws.status()
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from advocacy.errors import NotFoundError
from advocacy.model import KINDS
from advocacy.settings import get_setting
from advocacy.store.connection import Database
from advocacy.store.migrate import migrate

#: Tables users may read and export, besides the canonical kinds.
LEDGER_TABLES = ("imports", "quarantine")


class Workspace:
    """An open advocacy workspace: the database plus everything that reads and writes it."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @property
    def url(self) -> str:
        return self.db.url

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
            timezone=str(get_setting("timezone")),
        )

    # -- metrics -------------------------------------------------------------------------------
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
    ) -> Any:
        """Experience scores with intervals and tests by slice and period, as a pandas DataFrame.

        See :func:`advocacy.metrics.experience.experience_metrics`; ``confidence``, ``min_n``,
        ``interval`` and ``correction`` default to the settings of the same names; ``since``
        and ``until`` take dates or ISO strings (``"2024-03-01"``).
        """
        from advocacy.metrics.experience import experience_metrics

        return experience_metrics(
            self.table,
            [metrics] if isinstance(metrics, str) else list(metrics),
            by=[by] if isinstance(by, str) else list(by),
            period=period,
            since=since,
            until=until,
            compare=compare,
            rolling=rolling,
            weighted=weighted,
            confidence=float(get_setting("confidence", override=confidence)),
            min_n=int(get_setting("min_n", override=min_n)),
            interval=str(get_setting("nps_interval", override=interval)),
            correction=str(get_setting("correction", override=correction)),
        )

    # -- report and analysis exports ----------------------------------------------------------
    def report(
        self,
        out: str | Path | None = "report.html",
        *,
        pdf: str | Path | None = None,
        title: str = "Customer advocacy assessment",
        since: Any = None,
        until: Any = None,
        unit: str | None = None,
        redact: bool = False,
    ) -> Any:
        """Write the assessment report as standalone HTML and/or PDF; return the paths written.

        See :func:`advocacy.present.report.pdf.publish_report`; ``since``/``until`` take dates
        or ISO strings, ``unit`` limits the report to one unit, ``redact`` removes personal data.
        """
        from advocacy.metrics.slicing import as_date
        from advocacy.present.report.pdf import publish_report
        from advocacy.present.report.section import ReportScope

        scope = ReportScope(
            since=as_date(since, "--since"),
            until=as_date(until, "--until"),
            unit=unit,
            redact=redact,
        )
        return publish_report(self, out=out, pdf=pdf, title=title, scope=scope)

    def analysis(self, name: str) -> Any:
        """The exportable analysis called ``name`` as a pandas DataFrame (see ``analyses``)."""
        from advocacy.present.analyses import get_analysis

        return get_analysis(name).frame(self)

    def export_analysis(
        self, names: str | list[str], *, out: str | Path, format: str | None = None
    ) -> dict[str, int]:
        """Write analyses as csv, parquet or xlsx (one sheet each); return rows per analysis."""
        from advocacy.present.analyses import export_analyses

        chosen = [names] if isinstance(names, str) else list(names)
        return export_analyses(self, chosen, out=out, format=format)

    # -- look around -------------------------------------------------------------------------
    def status(self) -> Any:
        """Counts per table, date ranges and recent imports."""
        from advocacy.store.status import workspace_status

        return workspace_status(self.db)

    def quarantine(self, *, import_id: str | None = None) -> list[dict[str, Any]]:
        """Quarantined cells (row, column, value, reason and the whole source record)."""
        from advocacy.store.ledger import quarantine_rows

        return quarantine_rows(self.db, import_id=import_id)

    def export_quarantine(
        self, out: str | Path, *, format: str | None = None, import_id: str | None = None
    ) -> int:
        """Write quarantined rows in their original columns with reasons; return rows written."""
        from advocacy.present.exports import format_for, quarantine_table, write_table

        path = Path(out)
        table = quarantine_table(self.quarantine(import_id=import_id))
        return write_table(table, path, format_for(path, format))

    def export(self, table: str, *, out: str | Path, format: str | None = None) -> int:
        """Write table ``table`` to ``out`` as csv, parquet, xlsx or json; return rows written."""
        from advocacy.present.exports import format_for, write_table

        path = Path(out)
        output = format_for(path, format)
        return write_table(self.table(table).to_pyarrow(), path, output)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Workspace({self.url!r})"


def open_workspace(url: str | None = None) -> Workspace:
    """Open (creating or upgrading as needed) the workspace at ``url``.

    Parameters
    ----------
    url
        A DuckDB file path (default ``advocacy.duckdb``, or the ``ADVOCACY_DB`` setting) or a
        ``postgresql://`` URL.

    Returns
    -------
    Workspace
        The open workspace, migrated to the latest schema.
    """
    db = Database(str(get_setting("db", override=url)))
    try:
        migrate(db)
    except BaseException:
        db.close()
        raise
    return Workspace(db)
