"""Generate docs/cli.md, docs/settings.md and docs/import.md from the code they describe.

The CLI's help is the reference: ``python -m advocacy.present.cli.reference`` rewrites the docs,
and a test fails when they drift from the code.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer.main
from typer.testing import CliRunner

from advocacy.present.cli.aliases import old_names
from advocacy.present.cli.import_reference import import_reference
from advocacy.settings import SETTINGS


def _walk(command: Any, path: list[str]) -> list[list[str]]:
    """Every command's path, old names (hidden) left out: they have their own table."""
    found = [path]
    for name in sorted(getattr(command, "commands", {}) or {}):
        if not command.commands[name].hidden:
            found += _walk(command.commands[name], [*path, name])
    return found


def cli_reference() -> str:
    """Markdown with the ``--help`` text of every command."""
    from advocacy.present.cli.main import app

    root = typer.main.get_command(app)
    parts = [
        "# Command reference",
        "",
        "Generated from `advocacy --help` by `python -m advocacy.present.cli.reference`; "
        "a test fails when this file and the CLI drift apart.",
        "",
    ]
    runner = CliRunner()
    for path in _walk(root, []):
        done = runner.invoke(
            app, [*path, "--help"], prog_name="advocacy", env={"COLUMNS": "100", "NO_COLOR": "1"}
        )
        title = " ".join(["advocacy", *path])
        parts += [f"## {title}", "", "```text", done.output.rstrip(), "```", ""]
    parts += [
        "## Old names",
        "",
        "The commands were renamed to match the Python API (`advocacy gaps drivers` is "
        "`ws.gaps.drivers`). The old names still work: each prints one line on stderr naming "
        "its replacement, then runs it, with the same options, output and exit code.",
        "",
        "| old | new |",
        "| --- | --- |",
        *(f"| `{old}` | `{new}` |" for old, new in old_names(root)),
        "",
    ]
    return "\n".join(parts)


def settings_reference() -> str:
    """Markdown table of every setting, its environment variable and default."""
    lines = [
        "# Settings",
        "",
        "Each setting comes from, in order: an explicit option, the environment variable, the "
        "`[advocacy]` table of `advocacy.toml` in the working directory, the default. Secrets "
        "are read only from environment variables. In Python they are one typed object, "
        "`advocacy.Settings` (`Settings.load(confidence=0.9)` applies the same order); "
        "`advocacy.open(url, settings=...)` uses it and `ws.settings` is the one in use. A "
        "misspelt or mistyped setting in `advocacy.toml` is an error naming its line. Generated "
        "by `python -m advocacy.present.cli.reference`.",
        "",
        "| setting | environment variable | type | default | meaning |",
        "| --- | --- | --- | --- | --- |",
    ]
    for setting in SETTINGS:
        lines.append(
            f"| `{setting.name}` | `{setting.environment_variable}` | {setting.kind} "
            f"| `{setting.default}` | {setting.help} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    docs = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs")
    docs.mkdir(exist_ok=True)
    (docs / "cli.md").write_text(cli_reference(), encoding="utf-8")
    (docs / "settings.md").write_text(settings_reference(), encoding="utf-8")
    (docs / "import.md").write_text(import_reference(), encoding="utf-8")


if __name__ == "__main__":
    main()
