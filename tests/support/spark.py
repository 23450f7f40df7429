"""One local Spark session for the whole test run (starting one takes about 20 seconds).

The session runs on ``local[2]``, bound to 127.0.0.1, without the web UI, with few shuffle
partitions (the test data is small) and in UTC so timestamps compare equal to DuckDB's.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

#: PySpark 4 runs on Java 17 or newer.
MINIMUM_JAVA = 17


class SparkUnavailable(Exception):
    """Spark cannot start here; the message says what is missing and how to get it."""


def java_version() -> int | None:
    """The major version of the ``java`` on PATH, or None when there is none."""
    if shutil.which("java") is None:
        return None
    result = subprocess.run(
        ["java", "-version"], capture_output=True, text=True, check=False, timeout=60
    )
    match = re.search(r'version "(\d+)(?:\.(\d+))?', result.stderr + result.stdout)
    if match is None:
        return None
    major = int(match[1])
    # Java 8 and older report themselves as 1.x.
    return int(match[2] or 0) if major == 1 else major


def missing_component() -> str | None:
    """Why Spark cannot run here (a sentence with the fix), or None when it can."""
    if importlib.util.find_spec("pyspark") is None:
        return "pyspark is not installed; install the dev extra: pip install -e '.[dev]'"
    version = java_version()
    if version is None:
        return "no Java runtime on PATH (`java`); install one: apt-get install default-jre-headless"
    if version < MINIMUM_JAVA:
        return f"PySpark needs Java {MINIMUM_JAVA} or newer, found Java {version}"
    return None


@contextmanager
def local_spark(warehouse: Path) -> Iterator[Any]:
    """Start a local SparkSession, yield it, and stop it; tables it saves go under ``warehouse``."""
    reason = missing_component()
    if reason is not None:
        raise SparkUnavailable(reason)
    from advocacy.metrics.engines import spark_session

    # Spark must not look up the host name. The workers' Python is the library's own default on
    # a local master (this interpreter, the venv's), as a user's run from the CLI gets it.
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    session = spark_session(
        "local[2]",
        config={
            "spark.app.name": "advocacy-tests",
            "spark.driver.host": "127.0.0.1",
            "spark.driver.bindAddress": "127.0.0.1",
            "spark.ui.enabled": "false",
            "spark.ui.showConsoleProgress": "false",
            "spark.sql.shuffle.partitions": "2",
            "spark.default.parallelism": "2",
            "spark.sql.warehouse.dir": str(warehouse),
            "spark.driver.memory": "1g",
        },
    )
    try:
        yield session
    finally:
        session.stop()
