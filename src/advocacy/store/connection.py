"""One database connection for the workspace, DuckDB or PostgreSQL, addressed by URL.

SQL in advocacy is written once with ``?`` placeholders; for PostgreSQL they are rewritten by a
tokenizer (:mod:`advocacy.store.placeholders`), never by replacing characters. Analyses never
use this class directly: they receive Ibis tables from ``Database.ibis``.
:func:`storage_fault` tells faults of the storage (a full disk, an invalidated DuckDB database, a
broken PostgreSQL connection) from errors of a query, and :meth:`Database.reconnect` recovers.
"""

from __future__ import annotations

import contextlib
import io
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import duckdb

from advocacy.errors import WorkspaceError
from advocacy.store.placeholders import postgres_placeholders

if TYPE_CHECKING:
    # Imported where Arrow tables are made: a command reading rows with SQL needs neither
    # PyArrow nor the NumPy it loads (~0.2 s).
    import pyarrow as pa

Dialect = Literal["duckdb", "postgres", "spark"]


def dialect_of(url: str) -> Dialect:
    """Tell which engine ``url`` addresses: ``postgresql://`` URLs, else a DuckDB file path."""
    return "postgres" if url.startswith(("postgresql://", "postgres://")) else "duckdb"


def duckdb_path(url: str) -> str:
    """The file path a DuckDB URL (``duckdb:///path``, ``duckdb://path`` or a bare path) names."""
    for prefix in ("duckdb:///", "duckdb://"):
        if url.startswith(prefix):
            return url[len(prefix) - 1 :] if prefix == "duckdb:///" else url[len(prefix) :]
    return url


class Database:
    """The workspace database, with transactions and bulk loading, safe to share across threads.

    Each thread works on its own connection: a DuckDB cursor of the one opened database (DuckDB
    connections must not be shared between threads; cursors of one database see each other's
    committed data) or its own PostgreSQL connection. Transactions, temporary tables and the
    Ibis backend therefore belong to the thread that made them.
    """

    def __init__(self, url: str, *, read_only: bool = False, pool_size: int = 20) -> None:
        self.url = url
        self.dialect: Dialect = dialect_of(url)
        self.read_only = read_only
        self.pool_size = pool_size
        # PostgreSQL only, made on the first use of pooled(): connections requests borrow, and
        # the Ibis backend over each (by the connection's id, with the connection).
        self._pool: Any = None
        self._pool_lock = threading.Lock()
        self._closed = False  # set by close(): no pool is made again (a reconnect clears it)
        self._ibis_of: dict[int, tuple[Any, Any]] = {}
        self._local = threading.local()
        # Every thread's connections (and PostgreSQL Ibis backends), with the thread: those of
        # threads that ended are closed when another opens; all are closed by close().
        self._opened: list[tuple[threading.Thread, Any]] = []
        self._opened_lock = threading.Lock()
        self._generation = 0  # bumped by reconnect: threads then open new connections
        # DuckDB fails the later of two transactions writing the same rows (a "conflict"), so
        # its transactions take turns; PostgreSQL makes the second writer wait by itself.
        self._writing = threading.Lock()
        if self.dialect == "duckdb":
            path = duckdb_path(url)
            if path != ":memory:":
                parent = Path(path).expanduser().resolve().parent
                if not parent.exists():
                    raise WorkspaceError(
                        f"the folder of workspace {path!r} does not exist",
                        value=str(parent),
                        fix="create the folder or pass another --db path",
                    )
        self._connect()

    def _connect(self) -> None:
        self._closed = False
        if self.dialect == "duckdb":
            path = duckdb_path(self.url)
            try:
                self._database = duckdb.connect(path, read_only=self.read_only)
            except duckdb.Error as error:
                if "lock" in str(error).lower():  # another process has the file open
                    raise WorkspaceError(
                        f"DuckDB workspace {path!r} is in use by another process: {error}",
                        value=path,
                        fix="a DuckDB workspace takes one process at a time; when that is a "
                        "running `advocacy serve`, import through it instead: advocacy import "
                        "--server http://HOST:PORT --token TOKEN FILE (an analyst's token, "
                        "from the server's /admin/tokens page); otherwise stop the other "
                        "process, or move the workspace to PostgreSQL, which takes many",
                    ) from None
                raise WorkspaceError(
                    f"cannot open DuckDB workspace {path!r}: {error}",
                    fix="check the path; close other programs that hold the file open",
                ) from None
        self._thread_connection()  # the opening thread's, so a bad URL fails here

    def _thread_connection(self) -> Any:
        """This thread's connection, opened on its first use (again after a reconnect)."""
        local = self._local
        if getattr(local, "generation", None) == self._generation:
            return local.connection
        if self.dialect == "duckdb":
            connection: Any = self._database.cursor()
            connection.execute("SET TimeZone = 'UTC'")  # a setting of each connection
        else:
            import psycopg

            try:
                connection = psycopg.connect(self.url, autocommit=True)
            except psycopg.Error as error:
                raise WorkspaceError(
                    f"cannot connect to PostgreSQL: {str(error).strip()}",
                    fix="check the URL, that the server runs, and the credentials",
                ) from None
            connection.execute("SET TIME ZONE 'UTC'")
        self._keep(connection)
        local.connection, local.generation = connection, self._generation
        local.ibis, local.in_transaction = None, False
        return connection

    def _keep(self, connection: Any) -> None:
        """Remember ``connection`` as this thread's; close those of threads that have ended."""
        with self._opened_lock:
            ended = [item for thread, item in self._opened if not thread.is_alive()]
            self._opened = [(thread, item) for thread, item in self._opened if thread.is_alive()]
            self._opened.append((threading.current_thread(), connection))
        for item in ended:
            _close_quietly(item)

    # -- pooled connections (PostgreSQL) -----------------------------------------------------
    @contextlib.contextmanager
    def pooled(self) -> Iterator[None]:
        """For the block, this thread works on a connection borrowed from a pool (PostgreSQL).

        A server wraps each request in it, so a few connections (``pool_size``, the most the
        pool opens) serve any number of request threads, instead of one connection (and one
        for Ibis) per thread ever started. Nested blocks share the outer block's connection;
        outside any block a thread keeps its own connection, as a CLI command does. DuckDB
        needs no pool (each thread's cursor is cheap): there the block changes nothing.
        Waiting more than 30 s for a free connection raises ``psycopg_pool.PoolTimeout``
        (a storage fault: the server answers 503).
        """
        local = self._local
        if self.dialect != "postgres" or getattr(local, "pooled", False):
            yield
            return
        saved = {
            name: getattr(local, name, None)
            for name in ("connection", "generation", "ibis", "in_transaction")
        }
        with self._connection_pool().connection() as connection:
            local.pooled = True
            local.connection, local.generation = connection, self._generation
            local.ibis, local.in_transaction = None, False
            try:
                yield
            finally:
                local.pooled = False
                for name, value in saved.items():
                    setattr(local, name, value)

    def _connection_pool(self) -> Any:
        with self._pool_lock:
            if self._closed:
                raise WorkspaceError(
                    "the workspace is closed", fix="open it again with advocacy.open(url)"
                )
            if self._pool is None:
                from psycopg_pool import ConnectionPool

                self._pool = ConnectionPool(
                    self.url,
                    min_size=1,
                    max_size=self.pool_size,
                    kwargs={"autocommit": True},
                    configure=_utc,
                    check=ConnectionPool.check_connection,  # a broken one is replaced
                    timeout=30.0,
                    name="advocacy",
                    open=True,
                )
            return self._pool

    def _pooled_ibis(self, connection: Any) -> Any:
        """The Ibis backend over the pooled ``connection``, made once per connection."""
        import ibis

        with self._pool_lock:
            known = self._ibis_of.get(id(connection))
            if known is not None and known[0] is connection:
                return known[1]
            for key, (other, _) in list(self._ibis_of.items()):
                if other.closed:  # the pool dropped it
                    del self._ibis_of[key]
        backend = ibis.postgres.from_connection(connection)
        with self._pool_lock:
            self._ibis_of[id(connection)] = (connection, backend)
        return backend

    @property
    def _duck(self) -> duckdb.DuckDBPyConnection:
        connection: duckdb.DuckDBPyConnection = self._thread_connection()
        return connection

    @property
    def _pg(self) -> Any:
        return self._thread_connection()

    def reconnect(self) -> None:
        """Close the connections, whatever state they are in, and open the database again.

        After a fatal error DuckDB refuses every statement ("database has been invalidated")
        until the database is opened anew; opening it replays the write-ahead log, so every
        committed transaction is kept. A PostgreSQL connection that broke is simply replaced.
        Raises :class:`WorkspaceError` if the database cannot be opened yet (e.g. the disk is
        still full); the old connections stay closed and this may be called again.
        """
        with contextlib.suppress(Exception):
            self.close()
        self._generation += 1
        self._connect()

    def ping(self) -> None:
        """Run the cheapest query there is; raises when the database does not answer (e.g.
        after :meth:`reconnect`, to tell whether it worked)."""
        self.fetchone("SELECT 1")

    # -- plain SQL ---------------------------------------------------------------------------
    def _translate(self, sql: str) -> str:
        return postgres_placeholders(sql) if self.dialect == "postgres" else sql

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        """Run one statement."""
        if self.dialect == "duckdb":
            self._duck.execute(sql, list(params))
        else:
            self._pg.execute(self._translate(sql), list(params))  # type: ignore[arg-type]

    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run a query and return its rows."""
        if self.dialect == "duckdb":
            return self._duck.execute(sql, list(params)).fetchall()
        cursor = self._pg.execute(self._translate(sql), list(params))  # type: ignore[arg-type]
        return list(cursor.fetchall())

    def fetchone(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        rows = self.fetchall(sql, params)
        return rows[0] if rows else None

    def fetch_arrow(self, sql: str, params: Sequence[Any] = ()) -> pa.Table:
        """Run a query and return an Arrow table."""
        if self.dialect == "duckdb":
            return self._duck.execute(sql, list(params)).to_arrow_table()
        cursor = self._pg.execute(self._translate(sql), list(params))  # type: ignore[arg-type]
        names = [column.name for column in cursor.description or []]
        rows = cursor.fetchall()
        import pyarrow as pa

        return pa.table({name: [row[i] for row in rows] for i, name in enumerate(names)})

    def table_exists(self, name: str) -> bool:
        if self.dialect == "duckdb":
            # The names compared here, not bound as a parameter: DuckDB's Python client imports
            # pandas to bind any parameter (~0.3 s), which opening a workspace need not pay.
            rows = self.fetchall("SELECT DISTINCT table_name FROM information_schema.tables")
            return any(row[0] == name for row in rows)
        sql = (
            "SELECT count(*) FROM information_schema.tables "
            "WHERE table_name = ? AND table_schema = current_schema()"
        )
        row = self.fetchone(sql, [name])
        return bool(row and row[0])

    def columns(self, table: str) -> list[tuple[str, str]]:
        """Names and database types of ``table``'s columns, in order."""
        return [
            (str(name), str(kind))
            for name, kind in self.fetchall(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_name = ? ORDER BY ordinal_position",
                [table],
            )
        ]

    # -- transactions --------------------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """All-or-nothing: everything inside commits together or not at all.

        A crash or ``kill -9`` inside leaves the database as it was before.
        """
        local = self._local
        self._thread_connection()
        if local.in_transaction:
            yield
            return
        local.in_transaction = True
        try:
            if self.dialect == "duckdb":
                with self._writing:
                    self._duck.execute("BEGIN TRANSACTION")
                    try:
                        yield
                    except BaseException:
                        self._duck.execute("ROLLBACK")
                        raise
                    self._duck.execute("COMMIT")
            else:
                with self._pg.transaction():
                    yield
        finally:
            local.in_transaction = False

    # -- bulk loading --------------------------------------------------------------------------
    def load_temporary(self, name: str, data: pa.Table, column_types: dict[str, str]) -> None:
        """Create temporary table ``name`` holding ``data`` (columns typed as ``column_types``)."""
        columns = ", ".join(f'"{column}" {column_types[column]}' for column in data.column_names)
        self.execute(f'DROP TABLE IF EXISTS "{name}"')
        self.execute(f'CREATE TEMPORARY TABLE "{name}" ({columns})')
        if data.num_rows == 0:
            return
        if self.dialect == "duckdb":
            view = f"__arrow_{name}"
            self._duck.register(view, data)
            try:
                selected = ", ".join(
                    f'CAST("{column}" AS {column_types[column]})' for column in data.column_names
                )
                self._duck.execute(f'INSERT INTO "{name}" SELECT {selected} FROM "{view}"')
            finally:
                self._duck.unregister(view)
            return
        import pyarrow.csv as pa_csv

        buffer = io.BytesIO()
        pa_csv.write_csv(
            data,
            buffer,
            write_options=pa_csv.WriteOptions(include_header=False, quoting_style="needed"),
        )
        names = ", ".join(f'"{column}"' for column in data.column_names)
        with (
            self._pg.cursor() as cursor,
            cursor.copy(f'COPY "{name}" ({names}) FROM STDIN WITH (FORMAT csv)') as copy,
        ):
            view_bytes = buffer.getbuffer()
            for start in range(0, len(view_bytes), 1 << 20):
                copy.write(bytes(view_bytes[start : start + (1 << 20)]))

    # -- ibis ----------------------------------------------------------------------------------
    @property
    def ibis(self) -> Any:
        """The Ibis backend over this thread's connection."""
        connection = self._thread_connection()
        if self._local.ibis is None:
            import ibis  # a second or so to import: only when an analysis asks

            from advocacy.store.sql_compilers import defer_sql_compilers

            defer_sql_compilers()  # one engine's SQL compiler, not twenty
            if self.dialect == "duckdb":
                self._local.ibis = ibis.duckdb.from_connection(connection)
            elif getattr(self._local, "pooled", False):
                self._local.ibis = self._pooled_ibis(connection)
            else:
                self._local.ibis = ibis.postgres.connect(**_postgres_connect_arguments(self.url))
                self._keep(self._local.ibis)
        return self._local.ibis

    def close(self) -> None:
        """Close every thread's connection (and, for DuckDB, the database)."""
        with self._opened_lock:
            opened, self._opened = self._opened, []
        self._generation += 1
        for _, connection in opened:
            _close_quietly(connection)
        with self._pool_lock:
            pool, self._pool = self._pool, None
            self._ibis_of.clear()
            self._closed = True
        if pool is not None:
            with contextlib.suppress(Exception):
                pool.close(timeout=5.0)
        if self.dialect == "duckdb":
            self._database.close()


def _utc(connection: Any) -> None:
    """Set up a new pooled connection as every connection is: time zone UTC."""
    connection.execute("SET TIME ZONE 'UTC'")


def _close_quietly(connection: Any) -> None:
    """Close a connection or a PostgreSQL Ibis backend, even a broken one or one whose server
    is gone already."""
    with contextlib.suppress(Exception):
        if hasattr(connection, "disconnect"):
            connection.disconnect()
        else:
            connection.close()


@dataclass(frozen=True)
class StorageFault:
    """What went wrong with the database, and whether the connection must be opened again.

    Attributes
    ----------
    reason
        The fault in words for whoever runs the server (a full disk, a database invalidated by
        a fatal error, a closed or broken connection).
    reopen
        Whether the database must be opened again before it can be used (a full disk clears
        by itself once space is freed; an invalidated database does not).

    Examples
    --------
    >>> import duckdb
    >>> from advocacy import storage_fault
    >>> storage_fault(duckdb.FatalException("database has been invalidated"))
    StorageFault(reason='the database hit a fatal error and is being reopened', reopen=True)
    """

    reason: str
    reopen: bool


#: Operating-system messages that mean the storage is full or refuses to grow.
_FULL = ("no space left on device", "file too large", "disk quota exceeded", "disk full")


def storage_fault(error: BaseException) -> StorageFault | None:
    """Classify ``error`` (or an error it was raised from) as a storage fault, or None.

    Storage faults are conditions of the machine, not of the request: a full disk (DuckDB's
    "No space left on device", PostgreSQL's ``disk_full``), a DuckDB database invalidated by a
    failed checkpoint, a PostgreSQL connection that broke. Servers answer them with 503 and
    recover (:meth:`Database.reconnect`) rather than failing every later request.

    Parameters
    ----------
    error
        The error a query or a request raised.

    Returns
    -------
    StorageFault or None
        The fault, or None for an error that is not one of the storage (a bad query, bad input).

    Examples
    --------
    >>> import duckdb
    >>> storage_fault(duckdb.IOException("IO Error: No space left on device"))
    StorageFault(reason='the disk that holds the workspace is full', reopen=False)
    >>> storage_fault(ValueError("not a number")) is None
    True
    """
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        fault = _classify(current)
        if fault is not None:
            return fault
        current = current.__cause__ or current.__context__
    return None


def write_conflict(error: BaseException) -> bool:
    """Whether ``error`` is a concurrent write to the same row, the statement rolled back.

    DuckDB refuses the second of two transactions that update one row ("Conflict on update");
    PostgreSQL does so under serializable isolation. Writes whose loss is harmless (a
    "last used" stamp another request has just written) may ignore it; others retry or fail.

    Parameters
    ----------
    error
        The error a statement raised.

    Returns
    -------
    bool
        True for a write-write conflict.

    Examples
    --------
    >>> import duckdb
    >>> write_conflict(duckdb.TransactionException("TransactionContext Error: Conflict on update!"))
    True
    >>> write_conflict(ValueError("not a number"))
    False
    """
    if isinstance(error, duckdb.TransactionException):
        return "conflict" in str(error).lower()
    return type(error).__name__ == "SerializationFailure"  # psycopg's, SQLSTATE 40001


def _classify(error: BaseException) -> StorageFault | None:
    text = str(error).lower()
    if isinstance(error, duckdb.Error):
        if isinstance(error, duckdb.FatalException) or "has been invalidated" in text:
            return StorageFault("the database hit a fatal error and is being reopened", True)
        if isinstance(error, duckdb.ConnectionException) and "closed" in text:
            return StorageFault("the database connection was closed", True)
        if any(marker in text for marker in _FULL):
            return StorageFault("the disk that holds the workspace is full", False)
        if isinstance(error, duckdb.OutOfMemoryException):
            return StorageFault("the database ran out of memory", False)
        return None
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a dependency
        return None
    if isinstance(error, psycopg.errors.DiskFull) or (
        isinstance(error, psycopg.Error) and any(marker in text for marker in _FULL)
    ):
        return StorageFault("the disk that holds the workspace is full", False)
    if type(error).__name__ == "PoolTimeout":  # psycopg_pool's (an OperationalError)
        return StorageFault(
            "no database connection was free within 30 s (all busy, or PostgreSQL unreachable)",
            False,
        )
    if isinstance(error, psycopg.OperationalError | psycopg.InterfaceError):
        return StorageFault("the connection to PostgreSQL failed", True)
    return None


def _postgres_connect_arguments(url: str) -> dict[str, Any]:
    from urllib.parse import parse_qs, unquote, urlparse

    parts = urlparse(url)
    arguments: dict[str, Any] = {
        "host": parts.hostname or "localhost",
        "port": parts.port or 5432,
        "user": unquote(parts.username) if parts.username else None,
        "password": unquote(parts.password) if parts.password else None,
        "database": parts.path.lstrip("/") or None,
    }
    for key, values in parse_qs(parts.query).items():
        arguments[key] = values[-1]
    return {key: value for key, value in arguments.items() if value is not None}


def connect(url: str, *, read_only: bool = False, pool_size: int = 20) -> Database:
    """Open the database at ``url`` (``pool_size``: see :meth:`Database.pooled`)."""
    return Database(url, read_only=read_only, pool_size=pool_size)
