"""The Typer application every command module registers on, and its error boundary.

The boundary lives inside the app (``AdvocacyGroup.invoke``), so the console script, ``python -m
advocacy`` and ``typer.testing.CliRunner`` all give the same one-line message and exit code.
"""

from __future__ import annotations

import gc
import os
import sys
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, NoReturn

import typer
from rich.console import Console
from typer.core import TyperGroup

from advocacy.errors import AdvocacyError

if TYPE_CHECKING:
    # Typer vendors click and re-exports only its own Context subclass; invoke takes the base.
    from typer._click import Command, Context, Parameter

    from advocacy.workspace import Workspace

console = Console()
error_console = Console(stderr=True)

#: Whether this run may create a workspace that does not exist (``advocacy --create ...``).
_CREATE: ContextVar[bool] = ContextVar("create", default=False)
#: The variable each command's ``--db`` falls back to (:data:`~.options.DbOption`).
_DB_VARIABLE = "ADVOCACY_DB"
#: Whether this run's tables show every column (``--wide``), however wide the terminal.
WIDE: ContextVar[bool] = ContextVar("wide", default=False)


def _set_wide(value: bool) -> None:
    if value:
        WIDE.set(True)


def _wide_option() -> Parameter:
    """The ``--wide`` flag as Typer builds it (from a one-option command, so its help and type
    are Typer's own)."""
    probe = typer.Typer()

    @probe.command()
    def wide(
        wide: bool = typer.Option(
            False,
            "--wide",
            callback=_set_wide,
            expose_value=False,
            help="Show every column, however wide the table (by default a table fits the "
            "terminal).",
        ),
    ) -> None:
        del wide

    return typer.main.get_command(probe).params[0]


def _with_wide(command: Command, option: Parameter) -> None:
    """Give ``command``, and every command under it that prints tables (has ``--format``), the
    ``--wide`` flag, declared once here rather than on each command."""
    for sub in (getattr(command, "commands", None) or {}).values():
        _with_wide(sub, option)
    flags = {flag for parameter in command.params for flag in getattr(parameter, "opts", ())}
    if "--format" in flags and "--wide" not in flags:
        command.params.append(option)


class AdvocacyGroup(TyperGroup):
    """The root command group: a library error prints one line and exits with its code.

    With ``--debug`` the error propagates with its traceback instead. A name it does not know
    may be an old name of a command (:mod:`advocacy.present.cli.aliases`).
    """

    def __init__(self, *args: Any, **settings: Any) -> None:
        super().__init__(*args, **settings)
        _with_wide(self, _wide_option())

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is None:
            from advocacy.present.cli.aliases import old_command  # imports this module

            command = old_command(ctx, cmd_name)
        return command

    def _without_workspace(self, ctx: Context) -> str | None:
        """The command line's command (``demo``) when it takes no ``--db``, else None (a
        workspace command, a group, help, or a name that is no command)."""
        tokens = [*ctx._protected_args, *ctx.args]
        if "--help" in tokens or "-h" in tokens:
            return None
        command: Command = self
        names: list[str] = []
        while isinstance(command, TyperGroup) and tokens:
            found = command.get_command(ctx, tokens[0])
            if found is None:
                return None
            command, names, tokens = found, [*names, tokens[0]], tokens[1:]
        if isinstance(command, TyperGroup) or not names:
            return None
        if any(parameter.name == "db" for parameter in command.params):
            return None
        return " ".join(names)

    def invoke(self, ctx: Context) -> Any:
        creating = _CREATE.set(bool(ctx.params.get("create")))
        wide = WIDE.set(False)
        # advocacy --db FILE COMMAND: the command reads its --db from ADVOCACY_DB when it has
        # none of its own, so the global option stands in for the variable during the command.
        named, earlier = ctx.params.get("db"), os.environ.get(_DB_VARIABLE)
        if named and (without := self._without_workspace(ctx)) is not None:
            _refuse_db(without, named)
        if named:
            os.environ[_DB_VARIABLE] = str(named)
        try:
            return super().invoke(ctx)
        except AdvocacyError as error:
            if ctx.params.get("debug"):
                raise
            error_console.print(f"error: {error}", markup=False, highlight=False, soft_wrap=True)
            raise typer.Exit(error.exit_code) from error
        finally:
            _CREATE.reset(creating)
            WIDE.reset(wide)
            if named:
                if earlier is None:
                    os.environ.pop(_DB_VARIABLE, None)
                else:
                    os.environ[_DB_VARIABLE] = earlier


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


def _print_version(value: bool) -> None:
    if value:
        from advocacy import __version__

        console.print(f"advocacy {__version__}", markup=False, highlight=False)
        raise typer.Exit()


@app.callback()
def main(
    debug: bool = typer.Option(False, "--debug", help="Show full tracebacks on errors."),
    db: str | None = typer.Option(
        None,
        "--db",
        help="Workspace URL for a workspace command, as its own --db (which wins if given too) "
        "or ADVOCACY_DB: advocacy --db FILE import ... Commands that open no workspace "
        "(demo, maturity) refuse it.",
    ),
    create: bool = typer.Option(
        False,
        "--create",
        help="Create the workspace (--db) if it does not exist; without it only import creates "
        "one, and a mistyped path is an error.",
    ),
    version: bool = typer.Option(
        False,
        "--version",
        callback=_print_version,
        is_eager=True,
        help="Show the version and exit.",
    ),
) -> None:
    """Customer advocacy analytics."""
    del debug, db, create, version  # read by AdvocacyGroup.invoke from the context's parameters


def cli_actor() -> str:
    """Who ran the command, as the audit log names them: ``cli:<login name>``."""
    import getpass

    try:
        return "cli:" + getpass.getuser()
    except (KeyError, OSError):
        return "cli"


def say(text: str) -> None:
    """Print ``text`` as it is: no Rich markup or highlighting read into user data."""
    console.print(text, markup=False, highlight=False, soft_wrap=True)


def open_workspace(db: str | None, *, create: bool = False) -> Workspace:
    """Open the workspace a command names with ``--db``.

    A DuckDB file that does not exist is an error (a mistyped path would otherwise become a new,
    empty workspace) unless the command creates workspaces (``create=True``: ``import``) or
    ``--create`` was given before the command.
    """
    import advocacy

    return advocacy.open(db, create=create or _CREATE.get())


def refuse_db_on_spark(ctx: typer.Context) -> None:
    """Exit 2 when ``--db`` was written on a command Spark computes from ``--data``.

    With ``--engine spark`` a command reads the Parquet tables in ``--data``, never a workspace,
    so a ``--db`` (the global ``advocacy --db FILE ...`` or the command's own) would be ignored
    without a word, as ``demo`` and ``maturity`` refuse it (:class:`AdvocacyGroup`).
    ``ADVOCACY_DB`` set in the environment is a default for workspace commands, not a request,
    and is not refused.
    """
    source = ctx.get_parameter_source("db")  # Typer's vendored click: its enum, by name
    own = ctx.params.get("db") if source is not None and source.name == "COMMANDLINE" else None
    named = own or ctx.find_root().params.get("db")
    if named:
        command = " ".join(ctx.command_path.split()[1:])  # without the program name
        _refuse_db(f"{command} --engine spark", named, " (it reads --data)")


def _refuse_db(command: str, named: Any, why: str = "") -> NoReturn:
    """Stop a command that opens no workspace and was given ``--db``: it would be ignored."""
    error_console.print(
        f"error: advocacy {command} opens no workspace{why}, so --db {named} would be "
        f"ignored; fix: drop --db (it applies to workspace commands)",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
    raise typer.Exit(2)


#: Allocations between the collector's youngest-generation passes while a command runs (the
#: interpreter's default, 700, walks the freshly imported libraries' objects again and again).
GC_THRESHOLD = 10_000


def run(argv: list[str] | None = None) -> None:
    """Console-script entry point (``advocacy``) and ``python -m advocacy``.

    A command is a short process that keeps nearly everything it creates (modules, tables,
    frames) until it exits, so the cyclic garbage collector runs less often, and at the end
    every object is frozen: the interpreter's final collection then skips them instead of
    walking them all (~0.2 s of CPU after an analysis). Nothing is lost: the process is ending,
    and objects are still released and closed as modules are torn down.
    """
    gc.set_threshold(GC_THRESHOLD)
    _only_the_invoked(sys.argv[1:] if argv is None else argv)
    try:
        app(args=argv, prog_name="advocacy")
    finally:
        gc.freeze()


def _only_the_invoked(arguments: list[str]) -> None:
    """Keep on the app only the command or group the arguments name.

    Typer builds the Click command of every group and command before it runs one, reading each
    function's signature and annotations (~0.05 s of CPU for all of them); a process runs one
    command, so the others are left out. With no name (``--help``) or a name that is not
    registered (an old name: :mod:`advocacy.present.cli.aliases` builds it from the whole app),
    the app stays whole, as it does when an old name under it now lives in another group. The
    root options are flags, so the name is the first non-option.
    """
    from advocacy.present.cli.aliases import RENAMED  # imports this module

    name = next((argument for argument in arguments if not argument.startswith("-")), None)
    if any(old.split()[0] == name != new.split()[0] for old, new in RENAMED.items()):
        return  # an old name under it runs a command of another group
    groups = [group for group in app.registered_groups if group.name == name]
    commands = [command for command in app.registered_commands if command.name == name]
    if groups or commands:
        app.registered_groups, app.registered_commands = groups, commands
