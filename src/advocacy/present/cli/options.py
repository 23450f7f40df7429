"""Options shared by many commands, declared once so their names and help never drift."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="ADVOCACY_DB",
        help="Workspace URL: a DuckDB file (default ./advocacy.duckdb; it must exist, except "
        "for import or with advocacy --create) or postgresql://...",
        show_envvar=True,
    ),
]

#: The one ``--as-of`` of every command (read by ``advocacy.advocates.evidence.as_of_end``).
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="A date is the end of that day in the workspace time zone (a time without a zone "
        "is read in it too); nothing later counts. Default: the latest evidence.",
    ),
]


class Engine(StrEnum):
    """Where a command computes: the workspace database, or Spark over Parquet tables."""

    workspace = "workspace"
    spark = "spark"


EngineOption = Annotated[
    Engine,
    typer.Option("--engine", help="Compute in the workspace database or on Spark (--data)."),
]
DataOption = Annotated[
    Path | None,
    typer.Option("--data", help="With --engine spark: folder of <table>.parquet exports."),
]
SparkMasterOption = Annotated[
    str | None,
    typer.Option("--spark-master", help="With --engine spark: master URL, e.g. yarn."),
]


def spark_data(data: Path | None) -> Path:
    """The ``--data`` folder an ``--engine spark`` command reads, which must be given."""
    from advocacy.errors import UsageError

    if data is None:
        raise UsageError(
            "--engine spark needs --data", parameter="--data", fix="--data DIR of Parquet tables"
        )
    return data


def spark_folders(data: Path | None, out: Path | None, writes: str) -> tuple[Path, Path]:
    """The ``--data`` and ``--out`` folders of an ``--engine spark`` command writing ``writes``."""
    from advocacy.errors import UsageError

    if data is None or out is None:
        raise UsageError(
            "--engine spark needs --data and --out",
            parameter="--data" if data is None else "--out",
            fix=f"--data DIR of Parquet tables --out DIR for {writes}",
        )
    return data, out


FormatOption = Annotated[
    OutputFormat, typer.Option("--format", help="Output format.", case_sensitive=False)
]
