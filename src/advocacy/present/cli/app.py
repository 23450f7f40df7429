"""The Typer application every command module registers on, and its error boundary.

The boundary lives inside the app (``AdvocacyGroup.invoke``), so the console script, ``python -m
advocacy`` and ``typer.testing.CliRunner`` all give the same one-line message and exit code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from typer.core import TyperGroup

from advocacy.errors import AdvocacyError

if TYPE_CHECKING:
    # Typer vendors click and re-exports only its own Context subclass; invoke takes the base.
    from typer._click import Command, Context

console = Console()
error_console = Console(stderr=True)


class AdvocacyGroup(TyperGroup):
    """The root command group: a library error prints one line and exits with its code.

    With ``--debug`` the error propagates with its traceback instead. A name it does not know
    may be an old name of a command (:mod:`advocacy.present.cli.aliases`).
    """

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is None:
            from advocacy.present.cli.aliases import old_command  # imports this module

            command = old_command(ctx, cmd_name)
        return command

    def invoke(self, ctx: Context) -> Any:
        try:
            return super().invoke(ctx)
        except AdvocacyError as error:
            if ctx.params.get("debug"):
                raise
            error_console.print(f"error: {error}", markup=False, highlight=False, soft_wrap=True)
            raise typer.Exit(error.exit_code) from error


app = typer.Typer(
    cls=AdvocacyGroup,
    name="advocacy",
    help="Customer advocacy analytics: honest scores, what customers say, who advocates, "
    "which gaps matter.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.callback()
def main(
    debug: bool = typer.Option(False, "--debug", help="Show full tracebacks on errors."),
) -> None:
    """Customer advocacy analytics."""
    del debug  # read by AdvocacyGroup.invoke from the context's parameters


def run(argv: list[str] | None = None) -> None:
    """Console-script entry point (``advocacy``) and ``python -m advocacy``."""
    app(args=argv, prog_name="advocacy")
