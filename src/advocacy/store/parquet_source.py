"""A read-only store over a folder of Parquet tables, read through an Ibis backend (Spark).

``advocacy report --engine spark --data DIR`` reads the same layout the other ``--engine
spark`` commands read: ``DIR/<table>.parquet`` (one file, or a folder of part files as Spark
writes them) per table. :class:`ParquetSource` stands where a workspace's :class:`Database`
stands, so the facade's namespaces, which read their tables through ``db.ibis``, run unchanged
on that backend; there is no SQL connection, so anything that would run SQL is refused with a
:class:`~advocacy.errors.ParquetSourceError` naming what a Parquet source cannot do.

A canonical or derived table with no file in the folder reads as an empty table of its
canonical columns (as a workspace that never imported that kind, or never analysed its texts),
so a section says its data is absent instead of failing; :meth:`ParquetSource.unavailable`
says why beforehand. The closed loop's tables (:data:`LOOP_TABLES`: cases, action plans, ask
campaigns) live in a workspace database; written to the folder beside the evidence
(:func:`write_loop_tables`), they are read like the rest, so the report's loop and asks
sections are built on the engine too. Without their files those sections say so. The other
work tables (users, the audit log...) are never part of a Parquet source.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa

from advocacy.errors import NotFoundError, ParquetSourceError
from advocacy.model import KINDS, FieldType
from advocacy.store.connection import Database
from advocacy.store.status import TableStatus, WorkspaceStatus

#: The derived text tables a source may carry beside the evidence (``text analyze`` output).
DERIVED_TABLES = ("text_features", "document_themes", "themes", "text_sentences")
#: The import ledger: a folder of Parquet tables was never imported, so it reads empty.
LEDGER_TABLES = ("imports", "quarantine")
#: The closed loop's work tables a source reads when they were written to its folder.
LOOP_TABLES = (
    "cases",
    "case_events",
    "initiatives",
    "ask_campaigns",
    "ask_members",
    "ask_events",
)


def parquet_location(directory: Path, table: str) -> Path | None:
    """Where ``table``'s Parquet data sits in ``directory`` (file or folder), or None."""
    for name in (f"{table}.parquet", table, f"{table.replace('_', '-')}.parquet"):
        candidate = directory / name
        if candidate.exists():
            return candidate
    return None


def parquet_folder(directory: str | Path) -> Path:
    """``directory`` as a path, checked to be a folder (of Parquet tables)."""
    folder = Path(directory).expanduser()
    if not folder.is_dir():
        raise NotFoundError(
            f"no folder {str(folder)!r} with Parquet tables",
            value=str(folder),
            parameter="--data",
            fix="export the tables first: advocacy export responses --out DIR/responses.parquet",
        )
    return folder


def canonical_schemas() -> dict[str, Any]:
    """The Ibis schema of every evidence and derived table, read from an empty workspace."""
    from advocacy.store.migrate import migrate

    db = Database(":memory:")
    try:
        migrate(db)
        names = [kind.table for kind in KINDS.values()]
        names += list(LEDGER_TABLES + DERIVED_TABLES + LOOP_TABLES)
        return {name: db.ibis.table(name).schema() for name in names}
    finally:
        db.close()


#: Why a loop table is missing from a folder, and the two ways to get its section.
LOOP_MISSING = (
    "the closed loop's cases, action plans and ask campaigns are kept in the workspace "
    "database; write them beside the evidence (advocacy export loop --out DIR, docs/spark.md) "
    "or report on the workspace (--db)"
)


def write_loop_tables(db: Database, directory: str | Path) -> dict[str, int]:
    """Write the closed loop's tables of workspace ``db`` to ``directory`` as Parquet.

    The evidence goes there with ``advocacy export``; the loop's cases, case events, action
    plans and ask campaigns (:data:`LOOP_TABLES`, small next to the evidence) go with this, so
    a report on Spark over the folder builds its loop and asks sections too.

    Parameters
    ----------
    db
        The workspace database (``ws.db``).
    directory
        The folder of ``<table>.parquet`` files read with ``--engine spark --data``.

    Returns
    -------
    dict of str to int
        Rows written per table.

    Examples
    --------
    >>> import advocacy
    >>> ws = advocacy.open("advocacy.duckdb")  # doctest: +SKIP
    >>> write_loop_tables(ws.db, "lake/")  # doctest: +SKIP
    {'cases': 41, 'case_events': 160, 'initiatives': 3, ...}
    """
    import pyarrow.parquet as pq

    folder = parquet_folder(directory)
    written = {}
    for name in LOOP_TABLES:
        data = db.ibis.table(name).to_pyarrow()
        pq.write_table(data, folder / f"{name}.parquet")
        written[name] = data.num_rows
    return written


def engine_rows(expression: Any) -> list[tuple[Any, ...]]:
    """The rows of an Ibis table expression as tuples, in its column order.

    What the readers of a Parquet source use where a workspace reads rows with SQL; Spark
    hands timestamps back without their zone, so they come back as UTC instants (the
    session's zone), as a workspace database gives them.
    """
    data = expression.to_pyarrow()
    columns = [
        column.cast(pa.timestamp(column.type.unit, "UTC"))
        if pa.types.is_timestamp(column.type) and column.type.tz is None
        else column
        for column in data.columns
    ]
    return list(zip(*(column.to_pylist() for column in columns), strict=True))


def _listed(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


class _Tables:
    """The Ibis face of a :class:`ParquetSource`: ``table(name)`` and ``list_tables()``."""

    def __init__(self, directory: Path, backend: Any) -> None:
        self._directory = directory
        self._backend = backend
        self._opened: dict[str, Any] = {}
        self._schemas: dict[str, Any] | None = None
        self._lock = threading.Lock()

    def _schema(self, name: str) -> Any:
        if self._schemas is None:
            self._schemas = canonical_schemas()
        return self._schemas.get(name)

    def list_tables(self) -> list[str]:
        """The tables with Parquet data in the folder (the canonical empty ones are not)."""
        names = [kind.table for kind in KINDS.values()] + list(DERIVED_TABLES + LOOP_TABLES)
        return [name for name in names if parquet_location(self._directory, name) is not None]

    def table(self, name: str) -> Any:
        """The Ibis table ``name``: its Parquet data, or an empty table of its columns.

        Raises
        ------
        ParquetSourceError
            For a table a Parquet source does not hold (a work table such as ``users``), or
            a loop table (``cases``) that was not written to the folder.
        """
        with self._lock:
            if name not in self._opened:
                self._opened[name] = self._open(name)
            return self._opened[name]

    def _open(self, name: str) -> Any:
        import ibis

        location = parquet_location(self._directory, name)
        if location is not None:
            return self._backend.read_parquet(str(location), table_name=f"advocacy_{name}")
        if name in LOOP_TABLES:  # empty would claim "no cases": the folder just lacks them
            raise ParquetSourceError(
                f"no {name}.parquet in the --data folder: {LOOP_MISSING}",
                value=name,
                parameter="--data",
                fix="write the loop's tables there (advocacy export loop --out DIR), or run "
                "the command on the workspace (--db)",
            )
        schema = self._schema(name)
        if schema is None:
            raise ParquetSourceError(
                f"table {name!r} is not part of a Parquet source: it is a work table of a "
                "workspace database",
                value=name,
                parameter="--data",
                fix="run the command on the workspace (--db)",
            )
        empty = ibis.memtable(pa.Table.from_pylist([], schema=schema.to_pyarrow()))
        return self._backend.create_view(f"advocacy_{name}", empty, overwrite=True)


class ParquetSource(Database):
    """The tables of ``directory`` on an Ibis backend, in place of a workspace database.

    Parameters
    ----------
    directory
        The folder of ``<table>.parquet`` exports.
    backend
        An Ibis backend that reads Parquet (``ibis.pyspark.connect(session)``).
    engine
        What computes (``spark``), for the URL and the messages.
    """

    def __init__(self, directory: str | Path, backend: Any, *, engine: str = "spark") -> None:
        # No super().__init__(): there is no SQL connection to open.
        folder = parquet_folder(directory)
        self.url = f"{engine}:{folder}"
        self.dialect = "spark"
        self.read_only = True
        self.pool_size = 0
        self.engine = engine
        self.directory = folder
        self._tables = _Tables(folder, backend)

    @property
    def tables(self) -> list[str]:
        """The tables the folder holds."""
        return self._tables.list_tables()

    def unavailable(self, tables: Sequence[str]) -> str | None:
        """Why ``tables`` cannot be read from this source, or None when they can.

        An evidence table without a file reads as empty (a kind never imported); a derived
        text table and a table of the closed loop (cases, plans, campaigns) must be in the
        folder; the other work tables (users, the audit log) are not part of a Parquet source.
        """
        evidence = {kind.table for kind in KINDS.values()}
        present = set(self.tables)
        derived = [t for t in tables if t in DERIVED_TABLES and t not in present]
        loop = [t for t in tables if t in LOOP_TABLES and t not in present]
        work = [t for t in tables if t not in evidence and t not in DERIVED_TABLES + LOOP_TABLES]
        # The folder is not named: its path can itself identify a client in a shared report.
        if work:
            return (
                f"the {_listed(work)} tables are work tables of a workspace database, not part "
                "of a Parquet source; report on the workspace (--db) for them"
            )
        if loop:
            return f"no {_listed([t + '.parquet' for t in loop])} in the --data folder: " + (
                LOOP_MISSING
            )
        if "text_features" in derived:
            return (
                "no text_features.parquet in the --data folder: analyse the texts on Spark "
                "first (advocacy text analyze --engine spark --data DIR --out DIR) and put "
                "text_features.parquet beside the other tables"
            )
        if derived:
            return (
                f"no {_listed([t + '.parquet' for t in derived])} in the --data folder: themes "
                "are discovered on a workspace (advocacy text discover-themes), not on Spark yet"
            )
        return None

    @property
    def ibis(self) -> Any:
        """The Ibis face of the folder (``table`` and ``list_tables``)."""
        return self._tables

    def status(self) -> WorkspaceStatus:
        """Rows and date range per evidence table, counted on the engine; no imports."""
        from advocacy.store.migrate import latest_version

        tables = []
        for kind in KINDS.values():
            date_field = next(
                (item.name for item in kind.fields if item.type is FieldType.TIMESTAMP), None
            )
            table = self._tables.table(kind.table)
            if date_field is None:
                tables.append(TableStatus(kind.table, int(table.count().execute())))
                continue
            row = (
                table.aggregate(
                    rows=table.count(), first=table[date_field].min(), last=table[date_field].max()
                )
                .to_pyarrow()
                .to_pylist()[0]
            )
            tables.append(
                TableStatus(kind.table, int(row["rows"]), date_field, row["first"], row["last"])
            )
        customers = self._tables.table("customers")
        stubs = customers.filter(customers.is_stub.fill_null(False)).count()
        return WorkspaceStatus(
            url=self.url,
            schema_version=latest_version(),
            tables=tables,
            stub_customers=int(stubs.execute()),
        )

    def _refuse(self, what: str) -> ParquetSourceError:
        return ParquetSourceError(
            f"{what} needs a workspace database; {self.url} is a folder of Parquet tables "
            f"read on {self.engine}",
            value=str(self.directory),
            parameter="--data",
            fix="run the command on the workspace (--db) for this part",
        )

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        raise self._refuse("SQL")

    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        raise self._refuse("SQL")

    def fetch_arrow(self, sql: str, params: Sequence[Any] = ()) -> pa.Table:
        raise self._refuse("SQL")

    def table_exists(self, name: str) -> bool:
        return name in self._tables.list_tables()

    def columns(self, table: str) -> list[tuple[str, str]]:
        schema = self._tables.table(table).schema()
        return [(str(name), str(kind)) for name, kind in schema.items()]

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        raise self._refuse("writing")
        yield  # pragma: no cover

    def load_temporary(self, name: str, data: pa.Table, column_types: dict[str, str]) -> None:
        raise self._refuse("writing")

    @contextlib.contextmanager
    def pooled(self) -> Iterator[None]:
        yield

    def reconnect(self) -> None:
        """Nothing to reconnect: the folder is read on each query."""

    def ping(self) -> None:
        """The folder answers while it exists."""
        if not self.directory.is_dir():
            raise self._refuse("a folder that is gone")

    def close(self) -> None:
        """Nothing to close: the Spark session belongs to the caller."""
