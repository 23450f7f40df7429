"""A throw-away PostgreSQL server for the test session, and a fresh database for each test.

The server is Debian's (``/usr/lib/postgresql/<version>/bin``), started from a temporary data
directory that is deleted at the end: it listens only on 127.0.0.1 on a free port, keeps its unix
socket inside the temporary directory, trusts every local connection and runs with ``fsync=off``
(nothing in it needs to survive a crash). PostgreSQL refuses to run as root, so when the tests run
as root the server runs as the ``postgres`` OS user. The data directory goes in /dev/shm when
that is a roomy memory file system (creating databases there is much faster).

Set ``ADVOCACY_TEST_POSTGRES_URL`` (a superuser URL, e.g. ``postgresql://postgres@host:5432/postgres``)
to use an existing server instead; the test databases are created on it and dropped afterwards.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import psycopg

ENVIRONMENT_VARIABLE = "ADVOCACY_TEST_POSTGRES_URL"
SUPERUSER = "postgres"
_BINARY_ROOT = Path("/usr/lib/postgresql")


class PostgresUnavailable(Exception):
    """PostgreSQL cannot be started here; the message says what is missing and how to get it."""


def find_binaries() -> Path | None:
    """The ``bin`` folder of the newest PostgreSQL that has ``initdb`` and ``pg_ctl``, if any."""
    found: list[tuple[int, Path]] = []
    for initdb in _BINARY_ROOT.glob("*/bin/initdb"):
        folder = initdb.parent
        version = folder.parent.name
        if version.isdigit() and (folder / "pg_ctl").exists():
            found.append((int(version), folder))
    if found:
        return max(found)[1]
    initdb_on_path = shutil.which("initdb")
    if initdb_on_path and shutil.which("pg_ctl"):
        return Path(initdb_on_path).parent
    return None


def _fast_temporary_root() -> str | None:
    """``/dev/shm`` when it is a roomy memory file system (databases are created much faster
    there), else None for the usual temporary folder."""
    memory = Path("/dev/shm")
    try:
        roomy = shutil.disk_usage(memory).free > 2 * 1024**3
    except OSError:
        return None
    return str(memory) if roomy and os.access(memory, os.W_OK | os.X_OK) else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class TemporaryServer:
    """A PostgreSQL server in a temporary directory; ``start()`` it, then ``stop()`` it.

    ``start`` takes about half a second (``initdb`` plus start-up). ``url`` is the superuser's
    URL to the ``postgres`` maintenance database.
    """

    def __init__(self, binaries: Path) -> None:
        self.binaries = binaries
        self.port = 0
        self._directory: Path | None = None
        self._run_as: list[str] = []

    @property
    def url(self) -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/postgres"

    @property
    def data_directory(self) -> Path:
        assert self._directory is not None, "the server has not been started"
        return self._directory / "data"

    @property
    def log_file(self) -> Path:
        assert self._directory is not None, "the server has not been started"
        return self._directory / "server.log"

    def _run(self, *command: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*self._run_as, *command],
            cwd=self._directory,
            capture_output=True,
            text=True,
            check=False,
        )

    def _prepare_directory(self) -> None:
        directory = Path(tempfile.mkdtemp(prefix="advocacy-postgres-", dir=_fast_temporary_root()))
        self._directory = directory
        (directory / "socket").mkdir()
        if os.geteuid() == 0:
            try:
                account = pwd.getpwnam("postgres")
            except KeyError:
                raise PostgresUnavailable(
                    "running as root, and PostgreSQL refuses root, but there is no 'postgres' "
                    "OS user to run it as (install Debian's postgresql package, which creates it)"
                ) from None
            for path in (directory, directory / "socket"):
                os.chown(path, account.pw_uid, account.pw_gid)
            self._run_as = ["runuser", "-u", "postgres", "--"]

    def start(self) -> None:
        self._prepare_directory()
        initdb = self._run(
            str(self.binaries / "initdb"),
            "--pgdata",
            str(self.data_directory),
            "--username",
            SUPERUSER,
            "--auth",
            "trust",
            "--encoding",
            "UTF8",
            "--locale",
            "C",
            "--no-sync",
        )
        if initdb.returncode != 0:
            self.stop()
            raise PostgresUnavailable(f"initdb failed: {initdb.stderr.strip() or initdb.stdout}")
        # A free port can be taken between probing and binding; try a few.
        failure = ""
        for _attempt in range(3):
            self.port = _free_port()
            self._write_configuration()
            started = self._run(
                str(self.binaries / "pg_ctl"),
                "start",
                "--pgdata",
                str(self.data_directory),
                "--log",
                str(self.log_file),
                "--wait",
                "--timeout",
                "60",
            )
            if started.returncode == 0:
                return
            failure = self._log_tail() or started.stderr.strip()
        self.stop()
        raise PostgresUnavailable(f"the PostgreSQL server did not start: {failure}")

    def _write_configuration(self) -> None:
        assert self._directory is not None
        settings = {
            "listen_addresses": "'127.0.0.1'",
            "port": str(self.port),
            "unix_socket_directories": f"'{self._directory / 'socket'}'",
            # Nothing here needs to survive a crash: trade durability for speed.
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
            "max_connections": "100",
        }
        # postgresql.auto.conf is read last, so these lines win over postgresql.conf.
        lines = [f"{name} = {value}\n" for name, value in settings.items()]
        (self.data_directory / "postgresql.auto.conf").write_text("".join(lines), encoding="utf-8")

    def _log_tail(self) -> str:
        try:
            text = self.log_file.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.strip().splitlines()[-5:])

    def stop(self) -> None:
        """Stop the server (immediately: its data is thrown away) and delete its directory."""
        if self._directory is None:
            return
        if (self.data_directory / "postmaster.pid").exists():
            self._run(
                str(self.binaries / "pg_ctl"),
                "stop",
                "--pgdata",
                str(self.data_directory),
                "--mode",
                "immediate",
                "--wait",
            )
        shutil.rmtree(self._directory, ignore_errors=True)
        self._directory = None


def _with_database(url: str, name: str) -> str:
    return urlunparse(urlparse(url)._replace(path=f"/{name}"))


class Databases:
    """Creates and drops throw-away databases on one server, through a superuser connection."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._names = itertools.count(1)
        self._admin = psycopg.connect(url, autocommit=True)

    def create(self) -> str:
        """Create an empty database and return its URL (about 15 ms with the data in /dev/shm)."""
        name = f"advocacy_test_{os.getpid()}_{next(self._names)}"
        self._admin.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
        return _with_database(self.url, name)

    def drop(self, url: str) -> None:
        """Drop the database ``url`` names, ending any connection a test left open."""
        name = urlparse(url).path.lstrip("/")
        if not re.fullmatch(r"advocacy_test_\d+_\d+", name):
            raise ValueError(f"refusing to drop {name!r}: not a test database")
        # A connection the test closed takes a moment to end on the server; DROP DATABASE would
        # then sleep 100 ms before retrying, so wait for it here in shorter steps.
        deadline = time.monotonic() + 0.1
        while time.monotonic() < deadline:
            row = self._admin.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [name]
            ).fetchone()
            if row is None or row[0] == 0:
                break
            time.sleep(0.002)
        self._admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def close(self) -> None:
        self._admin.close()


@contextlib.contextmanager
def postgres_databases() -> Iterator[Databases]:
    """A :class:`Databases` on ``$ADVOCACY_TEST_POSTGRES_URL`` or else on a temporary server.

    Raises :class:`PostgresUnavailable` when neither is possible.
    """
    external = os.environ.get(ENVIRONMENT_VARIABLE)
    if external:
        try:
            databases = Databases(external)
        except psycopg.Error as error:
            raise PostgresUnavailable(
                f"cannot connect to {ENVIRONMENT_VARIABLE}={external!r}: {str(error).strip()}"
            ) from None
        try:
            yield databases
        finally:
            databases.close()
        return
    binaries = find_binaries()
    if binaries is None:
        raise PostgresUnavailable(
            f"no PostgreSQL server binaries (initdb, pg_ctl) under {_BINARY_ROOT}/*/bin or on "
            f"PATH; install them (apt-get install postgresql) or set {ENVIRONMENT_VARIABLE}"
        )
    server = TemporaryServer(binaries)
    server.start()
    try:
        databases = Databases(server.url)
        try:
            yield databases
        finally:
            databases.close()
    finally:
        server.stop()
