"""Options shared by many commands, declared once so their names and help never drift."""

from __future__ import annotations

from enum import StrEnum
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

FormatOption = Annotated[
    OutputFormat, typer.Option("--format", help="Output format.", case_sensitive=False)
]
