"""The ``report`` command: the assessment as standalone HTML and PDF, redacted if asked."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from advocacy.present.cli.app import app, console, open_workspace, refuse_db_on_spark
from advocacy.present.cli.options import (
    DataOption,
    DbOption,
    Engine,
    EngineOption,
    SparkMasterOption,
    spark_data,
)
from advocacy.present.cli.progress import stage_progress
from advocacy.report import write


@app.command("report")
def report_command(
    ctx: typer.Context,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="HTML file to write (default report.html unless --pdf only)."),
    ] = None,
    pdf: Annotated[Path | None, typer.Option("--pdf", help="PDF file to write.")] = None,
    since: Annotated[
        datetime | None,
        typer.Option("--since", formats=["%Y-%m-%d"], help="First day of evidence (YYYY-MM-DD)."),
    ] = None,
    until: Annotated[
        datetime | None,
        typer.Option("--until", formats=["%Y-%m-%d"], help="Last day of evidence (YYYY-MM-DD)."),
    ] = None,
    unit: Annotated[str | None, typer.Option("--unit", help="Report on one unit only.")] = None,
    title: Annotated[
        str | None,
        typer.Option("--title", help="The report's title (default: the report_title setting)."),
    ] = None,
    redact: Annotated[
        bool,
        typer.Option(
            "--redact",
            help="Remove e-mails, phones, card numbers, IP addresses and person names and mask "
            "customer identities, for sharing outside the company.",
        ),
    ] = False,
    engine: EngineOption = Engine.workspace,
    data: DataOption = None,
    spark_master: SparkMasterOption = None,
    db: DbOption = None,
) -> None:
    """Write the assessment report: summary, scores, changes and methods, as HTML and PDF.

    With --engine spark every section is computed by Spark over the Parquet tables in --data
    (a --db is then refused: it would be ignored).
    The closed loop and ask campaigns are read from the copy of their six tables that
    `advocacy export loop --out DIR` puts in --data (docs/spark.md); without it those two
    sections say which files are missing.
    """
    if out is None and pdf is None:
        out = Path("report.html")
    if engine is Engine.spark:
        refuse_db_on_spark(ctx)
        import advocacy

        opened = advocacy.open_parquet(spark_data(data), master=spark_master)
    else:
        opened = open_workspace(db)
    with opened as ws, stage_progress("steps", show=True) as progress:
        files = write(
            ws,
            out,
            pdf=pdf,
            title=title,
            since=since.date() if since else None,
            until=until.date() if until else None,
            unit=unit,
            redact=redact,
            progress=progress,
        )
    if files.html is not None:
        console.print(f"wrote {files.html}", markup=False, highlight=False, soft_wrap=True)
    if files.pdf is not None:
        console.print(
            f"wrote {files.pdf} ({files.pages} pages)",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
