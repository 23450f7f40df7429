"""Assemble the CLI: importing a command module registers its commands on the app.

A process runs one command, so :func:`run` imports only the module of the command its arguments
name (each module imports what it needs: importing all fifteen cost about a fifth of the CLI's
start); root help, an old name and a name it does not know load them all, as ``app`` does (the
whole CLI, for ``typer.testing.CliRunner`` and the reference in ``docs/cli.md``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import typer

# app is built on first access (__getattr__), with every command registered.
__all__ = ["COMMAND_MODULES", "app", "invoked", "load", "run"]  # noqa: F822

#: Each top-level command or group -> the module under ``advocacy.present.cli`` that registers
#: it; the whole CLI imports the modules in the order they first appear here (the order
#: ``advocacy --help`` lists their commands in).
COMMAND_MODULES: dict[str, str] = {
    "access": "access",
    "advocates": "advocates",
    "asks": "asks",
    "cases": "cases",
    "import": "data",
    "status": "data",
    "export": "data",
    "quarantine": "data",
    "demo": "demo",
    "gaps": "gaps",
    "culture": "gaps",
    "maturity": "gaps",
    "metrics": "metrics",
    "outbox": "outbox",
    "plans": "plans",
    "report": "report",
    "retention": "retention",
    "serve": "serve",
    "surveys": "surveys",
    "text": "text",
}
#: The root options that take a value (the others are flags).
_VALUED = frozenset({"--db"})


def invoked(arguments: list[str]) -> str | None:
    """The command or group name the arguments give (the first that is no root option or an
    option's value), or None (``--help``, ``--version``, nothing)."""
    skip = False
    for argument in arguments:
        if skip:
            skip = False
        elif argument.startswith("-"):
            skip = argument in _VALUED
        else:
            return argument
    return None


def load(name: str | None = None) -> typer.Typer:
    """Register the command ``name`` on the app (its module's commands), or every command when
    ``name`` is None, an old name or one no module registers; the app."""
    from advocacy.present.cli.aliases import RENAMED  # imports the app's module
    from advocacy.present.cli.app import app

    modules = list(dict.fromkeys(COMMAND_MODULES.values()))
    if name in COMMAND_MODULES and not any(
        old.split()[0] == name != new.split()[0] for old, new in RENAMED.items()
    ):
        modules = [COMMAND_MODULES[name]]
    for module in modules:
        importlib.import_module(f"advocacy.present.cli.{module}")
    return app


def run(argv: list[str] | None = None) -> None:
    """Console-script entry point (``advocacy``) and ``python -m advocacy``: load the command
    the arguments name, then :func:`advocacy.present.cli.app.run`."""
    import sys

    from advocacy.present.cli.app import run as run_app

    load(invoked(sys.argv[1:] if argv is None else argv))
    run_app(argv)


def __getattr__(name: str) -> typer.Typer:
    """``app``: the whole CLI, every command registered."""
    if name == "app":
        return load()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
