"""Run the metrics on Apache Spark over Parquet exports of the workspace tables.

The metrics are Ibis expressions, so pointing them at Spark only needs Ibis tables backed by a
SparkSession: :func:`spark_tables` reads ``DIR/<table>.parquet`` (a file, or a folder of part
files as Spark writes them) for each table the metrics read. Nothing here distributes work by
hand; Spark does.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from advocacy.errors import NotFoundError, UsageError
from advocacy.metrics.experience import experience_metrics
from advocacy.metrics.slicing import TableSource
from advocacy.settings import current_settings
from advocacy.store.parquet_source import parquet_folder, parquet_location

#: The tables metrics read; ``customers`` only when slicing by a customer dimension.
METRIC_TABLES = ("responses", "customers", "employee_responses")

__all__ = [
    "METRIC_TABLES",
    "parquet_location",
    "parquet_metrics",
    "spark_dataframe",
    "spark_session",
    "spark_tables",
]


def spark_session(master: str | None = None, *, config: Mapping[str, str] | None = None) -> Any:
    """A SparkSession for advocacy: the active one, or a new one on ``master``, in UTC.

    Without ``master`` Spark's own configuration decides (``spark-defaults.conf``,
    ``PYSPARK_SUBMIT_ARGS``, ``SPARK_REMOTE``), falling back to local mode. ``config`` adds
    Spark settings (name -> value) to a new session, or the modifiable ones to the active one.

    On a local master, Spark's Python workers run this interpreter unless ``PYSPARK_PYTHON``
    says otherwise: PySpark's own default is the ``python3`` on ``PATH``, which from a virtual
    environment is usually the system's, without pandas, so every step that runs Python on the
    rows (text analysis, purchase scoring) failed with "No module named 'pandas'". A cluster's
    executors have their own Python: there the default is left alone.
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise UsageError(
            "the Spark engine needs PySpark",
            parameter="--engine",
            fix="pip install 'advocacy[spark]' (and a Java 17+ runtime)",
        ) from None
    builder = SparkSession.builder.appName("advocacy")
    if master is not None:
        builder = builder.master(master)
    for name, value in (config or {}).items():
        builder = builder.config(name, value)
    session = builder.config("spark.sql.session.timeZone", "UTC").getOrCreate()
    # Periods are calendar periods in UTC, as on DuckDB and PostgreSQL.
    session.conf.set("spark.sql.session.timeZone", "UTC")
    context = getattr(session, "sparkContext", None)  # absent under Spark Connect
    if context is not None:
        context.setLogLevel("ERROR")
        _local_workers_run_this_python(context)
    return session


def _local_workers_run_this_python(context: Any) -> None:
    """Point a local SparkContext's Python workers at ``sys.executable`` when
    ``PYSPARK_PYTHON`` is unset (see :func:`spark_session`).

    PySpark reads ``PYSPARK_PYTHON`` once, when the context starts, into the context's
    ``pythonExec``, which every Python function sent to the workers carries; whether the master
    is local is known only then (``spark-defaults.conf`` or ``PYSPARK_SUBMIT_ARGS`` may name
    it), so the default is set on the context rather than in the process's environment.
    """
    local = str(getattr(context, "master", "")).startswith("local")
    if local and "PYSPARK_PYTHON" not in os.environ:
        context.pythonExec = sys.executable


def spark_tables(directory: str | Path, *, session: Any = None) -> TableSource:
    """Ibis tables on Spark for the Parquet exports in ``directory``, looked up by name.

    Parameters
    ----------
    directory
        A folder holding ``responses.parquet`` (and, as needed, ``customers.parquet`` and
        ``employee_responses.parquet``), e.g. written by ``advocacy export TABLE --format
        parquet``; each may be one file or a folder of part files.
    session
        The SparkSession to use (default: :func:`spark_session`).

    Returns
    -------
    Callable[[str], ibis.Table]
        Looks a table up by name; pass it to
        :func:`advocacy.metrics.experience.experience_metrics`.
    """
    import ibis

    folder = parquet_folder(directory)
    backend = ibis.pyspark.connect(session if session is not None else spark_session())
    opened: dict[str, Any] = {}

    def table(name: str) -> Any:
        if name not in opened:
            location = parquet_location(folder, name)
            if location is None:
                raise NotFoundError(
                    f"no Parquet data for table {name!r} in {str(folder)!r}",
                    value=name,
                    parameter="--data",
                    fix=f"export it: advocacy export {name} --out {folder / (name + '.parquet')}",
                )
            opened[name] = backend.read_parquet(str(location), table_name=f"advocacy_{name}")
        return opened[name]

    return table


def spark_dataframe(expression: Any) -> Any:
    """The Spark DataFrame of an Ibis expression on the PySpark backend (nothing runs yet).

    Steps that are a model rather than a relation (text enrichment, purchase-model scoring)
    hand this to ``mapInPandas``, so Spark streams Arrow batches of rows through the model.
    """
    import ibis

    backend = ibis.get_backend(expression)
    return backend._session.sql(backend.compile(expression))


def parquet_metrics(
    directory: str | Path,
    metrics: Sequence[str] = ("nps",),
    *,
    master: str | None = None,
    session: Any = None,
    confidence: float | None = None,
    min_n: int | None = None,
    interval: str | None = None,
    correction: str | None = None,
    **options: Any,
) -> pd.DataFrame:
    """:func:`~advocacy.metrics.experience.experience_metrics` on Spark over Parquet tables.

    Parameters
    ----------
    directory
        Folder of ``<table>.parquet`` exports (see :func:`spark_tables`).
    metrics
        Metric names, as for ``ws.metrics.scores``.
    master
        Spark master URL for a new session (e.g. ``spark://host:7077``, ``yarn``).
    session
        An existing SparkSession to use instead.
    confidence, min_n, interval, correction
        Default to the settings of the same names, as in ``ws.metrics.scores``.
    **options
        ``by``, ``period``, ``since``, ``until``, ``compare``, ``rolling``, ``weighted``.

    Returns
    -------
    pandas.DataFrame
        The same rows ``ws.metrics.scores`` gives for the same tables.
    """
    if session is None:
        session = spark_session(master)
    return experience_metrics(
        spark_tables(directory, session=session),
        metrics,
        confidence=current_settings(confidence=confidence).confidence,
        min_n=current_settings(min_n=min_n).min_n,
        interval=current_settings(nps_interval=interval).nps_interval,
        correction=current_settings(correction=correction).correction,
        **options,
    )
