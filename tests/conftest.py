"""Fixtures every test may use: databases on both engines, the shared data sets, local Spark.

- ``db_url``: the URL of an empty database, once on DuckDB (a fresh file) and once on PostgreSQL
  (a fresh database on the session's server), so a test taking it runs on both engines (test ids
  ``[duckdb]`` and ``[postgres]``).
- ``duckdb_url`` / ``postgres_url``: the same, for tests that need one engine only.
- ``shared_data``: the folder ``../shared/data`` beside the repository.
- ``spark_session``: one local SparkSession for the whole run.

A missing component (PostgreSQL binaries, Java or PySpark, ``../shared/data``) skips the tests
that need it locally and fails them in CI (``CI=true``): see ``support.require``. Tests are
marked ``postgres``, ``spark`` and ``shared_data`` from the fixtures they use, so for instance
``pytest -m "not spark"`` leaves the Spark tests out.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from support import require
from support.postgres import Databases, PostgresUnavailable, postgres_databases
from support.spark import SparkUnavailable, local_spark

REPOSITORY = Path(__file__).resolve().parent.parent
SHARED_DATA = REPOSITORY.parent / "shared" / "data"
# The language detector's tables and the text model's vectors are unpacked once into the model
# cache (advocacy.text.model_cache): the tests keep theirs in the temporary folder, shared by
# the run's workers and later runs, not in the home folder of whoever runs them.
os.environ.setdefault(
    "ADVOCACY_MODEL_CACHE", str(Path(tempfile.gettempdir()) / "advocacy-tests-model-cache")
)

#: A test using one of these fixtures gets the marker named beside it.
_MARKER_OF_FIXTURE = {
    "postgres_server": "postgres",
    "spark_session": "spark",
    "shared_data": "shared_data",
}


def pytest_configure(config: pytest.Config) -> None:
    # A pytest-xdist worker inherits COLUMNS=80 and LINES=24: GNU readline, imported by pytest in
    # the main process, sets them in the C environment that child processes get (not in that
    # process's os.environ). The CLI's rich Console fixes its width when it is created if COLUMNS
    # is set then, so a worker would print 80-column tables whatever width a test asks for.
    # Workers start without them, as a single-process run does.
    if os.environ.get("PYTEST_XDIST_WORKER"):
        os.environ.pop("COLUMNS", None)
        os.environ.pop("LINES", None)
    # pyproject's filters for ibis's own deprecated calls, also in the process's base list:
    # pytest applies them inside each test's warnings.catch_warnings, and a live server's thread
    # entering and leaving catch_warnings meanwhile (pandas does, thousands of times) can put
    # back a list without them (Python 3.11's filters are one process-wide list): test_xss's
    # live server then recorded 1,576 of them.
    warnings.filterwarnings("ignore", "fetch_arrow_table", DeprecationWarning)
    warnings.filterwarnings("ignore", "The 'future.infer_string' option", Warning)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        used: list[str] = getattr(item, "fixturenames", [])
        for fixture, marker in _MARKER_OF_FIXTURE.items():
            if fixture in used:
                item.add_marker(marker)


# -- the demo ----------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def demo_directory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo (300 customers), built once for the run (once in all, under pytest-xdist); only
    ever copied.

    Its users (the case owners, ``ana`` and ``ada``) sign in with the tests' password."""
    from advocacy.demo.build import build_demo
    from support.built_once import built_once
    from web.site import PASSWORD

    return built_once(
        tmp_path_factory,
        "demo",
        lambda directory: build_demo(directory, customers=300, seed=7, password=PASSWORD),
    )


# -- databases ---------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def postgres_server() -> Iterator[Databases]:
    """The session's PostgreSQL server (started on first use), as a maker of test databases.

    Uses ``$ADVOCACY_TEST_POSTGRES_URL`` when set; otherwise starts a throw-away server.
    """
    with contextlib.ExitStack() as stack:
        try:
            databases = stack.enter_context(postgres_databases())
        except PostgresUnavailable as error:
            require(False, f"PostgreSQL is not available: {error}")
            raise  # not reached: require skipped or failed the test
        yield databases


@pytest.fixture
def postgres_url(postgres_server: Databases) -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database, dropped after the test."""
    url = postgres_server.create()
    yield url
    postgres_server.drop(url)


@pytest.fixture
def duckdb_url(tmp_path: Path) -> str:
    """The path of a new DuckDB workspace file (not created yet) in the test's temporary folder."""
    return str(tmp_path / "workspace.duckdb")


@pytest.fixture(
    params=[
        pytest.param("duckdb", id="duckdb"),
        pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
    ]
)
def db_url(request: pytest.FixtureRequest) -> str:
    """The URL of a new, empty database; the test runs once per engine."""
    fixture = "duckdb_url" if request.param == "duckdb" else "postgres_url"
    url: str = request.getfixturevalue(fixture)
    return url


# -- data --------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The shared data sets (``../shared/data`` beside the repository), read-only."""
    require(
        SHARED_DATA.is_dir(),
        f"the shared data sets are missing: expected the folder {SHARED_DATA} "
        "beside the repository",
    )
    return SHARED_DATA


# -- spark -------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def spark_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One local SparkSession (``local[2]``, UTC, no UI) shared by the whole run."""
    with contextlib.ExitStack() as stack:
        try:
            session = stack.enter_context(local_spark(tmp_path_factory.mktemp("spark-warehouse")))
        except SparkUnavailable as error:
            require(False, f"Spark is not available: {error}")
            raise  # not reached: require skipped or failed the test
        yield session
