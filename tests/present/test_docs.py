"""The docs are generated from the code; these fail when they drift apart."""

from __future__ import annotations

from pathlib import Path

from advocacy.present.cli.reference import cli_reference, settings_reference
from advocacy.settings import SETTINGS

DOCS = Path(__file__).resolve().parents[2] / "docs"
REGENERATE = "regenerate with: .venv/bin/python -m advocacy.present.cli.reference"


def test_cli_reference_matches_the_cli() -> None:
    assert (DOCS / "cli.md").read_text(encoding="utf-8") == cli_reference(), REGENERATE


def test_every_setting_is_documented() -> None:
    text = (DOCS / "settings.md").read_text(encoding="utf-8")
    assert text == settings_reference(), REGENERATE
    for setting in SETTINGS:
        assert f"`{setting.environment_variable}`" in text


def test_readme_quick_start_is_the_two_commands() -> None:
    readme = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    quick_start = readme.split("## Quick start", 1)[1].split("##", 1)[0]
    commands = [line.split("#")[0].strip() for line in quick_start.splitlines()]
    assert [c for c in commands if c.startswith("make")] == ["make demo", "make test"]
