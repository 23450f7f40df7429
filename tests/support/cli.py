"""Run the ``advocacy`` CLI in-process through Typer's runner, the way a shell would run it.

The error boundary lives inside the Typer app, so ``CliRunner`` sees the same exit codes and
stderr lines as a real process; only start-up itself (the console script, ``python -m advocacy``)
needs a subprocess, and ``tests/present/test_cli.py`` keeps those end-to-end tests.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from typer.testing import CliRunner

from advocacy.present.cli.main import app


@dataclass(frozen=True)
class Outcome:
    """What a finished command left behind: its exit code and what it wrote to each stream."""

    returncode: int
    stdout: str
    stderr: str


def advocacy_cli(
    *args: str,
    cwd: Path | str | None = None,
    stdin: str | None = None,
    env: Mapping[str, str] | None = None,
) -> Outcome:
    """Run ``advocacy *args`` in ``cwd``, reading ``stdin``, with ``env`` added to the environment.

    An exception that escapes the app (a bug, or any error under ``--debug``) is re-raised, so a
    test sees its traceback rather than a bare exit code 1.
    """
    runner = CliRunner()
    directory = contextlib.chdir(cwd) if cwd is not None else contextlib.nullcontext()
    with directory:
        result = runner.invoke(app, list(args), input=stdin, env=dict(env or {}))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Outcome(result.exit_code, result.stdout, result.stderr)
