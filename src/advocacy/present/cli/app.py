"""The Typer application every command module registers on, and its error boundary."""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from advocacy.errors import AdvocacyError

app = typer.Typer(
    name="advocacy",
    help="Customer advocacy analytics: honest scores, what customers say, who advocates, "
    "which gaps matter.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

console = Console()
error_console = Console(stderr=True)


@app.callback()
def main(
    debug: bool = typer.Option(False, "--debug", help="Show full tracebacks on errors."),
) -> None:
    """Customer advocacy analytics."""
    del debug  # read from argv by `run`, which needs it outside click's context


def run(argv: list[str] | None = None) -> None:
    """Console-script entry point: library errors become one line and exit 1 (usage: 2).

    Typer handles usage errors itself (exit 2); ours arrive here as ``AdvocacyError``.
    """
    args = sys.argv[1:] if argv is None else argv
    try:
        app(args=args, prog_name="advocacy")
    except AdvocacyError as error:
        if "--debug" in args:
            raise
        error_console.print(f"error: {error}", markup=False, highlight=False, soft_wrap=True)
        sys.exit(error.exit_code)
