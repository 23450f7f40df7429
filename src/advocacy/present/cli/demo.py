"""The ``demo`` command: build a realistic workspace for a fictional retailer and its report."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from advocacy.present.cli.app import app, console, error_console
from advocacy.present.cli.options import OutputFormat
from advocacy.present.cli.output import emit_rows

if TYPE_CHECKING:
    from advocacy.demo.build import DemoSummary


def _score(value: float | None, digits: int = 1) -> str:
    return "n/a" if value is None else f"{value:,.{digits}f}"


def summary_lines(summary: DemoSummary) -> list[str]:
    """The headline and the next commands to try, one line each."""
    headline = summary.headline
    db = summary.database
    nps = f"NPS {_score(headline.get('nps'))}"
    if headline.get("nps_ci_low") is not None:
        nps += f" (95% CI {_score(headline['nps_ci_low'])} to {_score(headline['nps_ci_high'])})"
    people = ", ".join(f"{name} ({role})" for name, role in summary.users.items())
    sign_in = (
        [
            f"web app: advocacy serve --db {db}; sign in as {people}",
            f"  password: {summary.password}",
        ]
        if summary.users
        else []
    )
    return [
        f"{nps}; CSAT {_score(headline.get('csat'))}% satisfied; "
        f"CES {_score(headline.get('ces'), 2)} of 7; eNPS {_score(headline.get('enps'))}",
        f"built {summary.directory} in {summary.seconds:.1f} s (seed {summary.seed}); "
        f"{summary.quarantined:,} rows quarantined",
        f"files: {summary.directory / 'data'}",
        f"report: {summary.report}",
        *sign_in,
        "",
        "next, try:",
        f"  advocacy status --db {db}",
        f"  advocacy metrics scores --by unit --db {db}",
        f"  advocacy metrics scores --by unit --period quarter --compare previous --db {db}",
        f"  advocacy export responses --format csv --out responses.csv --db {db}",
    ]


@app.command("demo")
def demo_command(
    directory: Annotated[
        Path, typer.Argument(help="Folder to build the demo in (replaced if it holds one).")
    ] = Path("demo"),
    seed: Annotated[int, typer.Option("--seed", help="Random seed; same seed, same data.")] = 7,
    customers: Annotated[
        int, typer.Option("--customers", min=50, help="Number of customers to generate.")
    ] = 5000,
) -> None:
    """Build a demo workspace (a fictional retailer, 18 months of evidence) and its report."""
    from advocacy.demo.build import build_demo

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=error_console,
        disable=not error_console.is_terminal,
        transient=True,
    ) as bar:
        task = bar.add_task("demo", total=1)

        def progress(description: str, done: int, total: int) -> None:
            bar.update(task, description=description, completed=done, total=total)

        summary = build_demo(directory, seed=seed, customers=customers, progress=progress)
    emit_rows(
        [{"table": kind, "rows": count} for kind, count in summary.rows.items()],
        OutputFormat.table,
        title="Lumen & Oak demo workspace",
    )
    for line in summary_lines(summary):
        console.print(line, markup=False, highlight=False, soft_wrap=True)
