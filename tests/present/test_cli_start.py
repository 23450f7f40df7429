"""A command's process imports the module of that command only, and none of the heavy libraries
its help does not need (issue #17: what ``advocacy text analyze`` pays before it reads a word).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import advocacy
from advocacy.present.cli.main import COMMAND_MODULES, invoked

#: The command modules (each registers commands on the app when imported).
MODULES = sorted(set(COMMAND_MODULES.values()))
#: What no command's help needs: the analysis libraries and the text model.
HEAVY = ("sklearn", "scipy.stats", "advocacy.text.text_model", "advocacy.text.enrich", "pandas")


def _loaded_after(arguments: list[str]) -> list[str]:
    """The command modules and heavy modules a process has imported after running
    ``advocacy ARGUMENTS`` as the console script does."""
    probe = (
        "import json, sys\n"
        "from advocacy.present.cli.main import run\n"
        f"try:\n    run({arguments!r})\nexcept SystemExit:\n    pass\n"
        f"names = [f'advocacy.present.cli.{{m}}' for m in {MODULES!r}] + {list(HEAVY)!r}\n"
        "print(json.dumps([m for m in names if m in sys.modules]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    loaded: list[str] = json.loads(done.stdout.splitlines()[-1])
    return loaded


@pytest.mark.parametrize(
    ("arguments", "module"),
    [
        (["text", "themes", "--help"], "text"),
        (["metrics", "--help"], "metrics"),
        (["--db", "x.duckdb", "text", "analyze", "--help"], "text"),
        (["import", "--help"], "data"),
    ],
)
def test_a_command_loads_its_own_module_only(arguments: list[str], module: str) -> None:
    assert _loaded_after(arguments) == [f"advocacy.present.cli.{module}"]


def test_root_help_and_old_names_load_every_command_but_no_heavy_library() -> None:
    expected = [f"advocacy.present.cli.{m}" for m in MODULES]
    assert _loaded_after(["--help"]) == expected
    assert _loaded_after(["themes", "assign", "--help"]) == expected  # now text assign-themes


def test_the_table_names_the_module_that_registers_each_command() -> None:
    # Import the modules one by one, as a process does, and see what each registers.
    probe = (
        "import importlib, json\n"
        "from advocacy.present.cli.app import app\n"
        "found = {}\n"
        f"for module in {list(dict.fromkeys(COMMAND_MODULES.values()))!r}:\n"
        "    groups, commands = len(app.registered_groups), len(app.registered_commands)\n"
        "    importlib.import_module(f'advocacy.present.cli.{module}')\n"
        "    for info in [*app.registered_groups[groups:], *app.registered_commands[commands:]]:\n"
        "        found[info.name] = module\n"
        "print(json.dumps(found))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    assert json.loads(done.stdout) == COMMAND_MODULES


def test_the_invoked_name_skips_the_root_options_and_their_values() -> None:
    assert invoked(["--db", "ws.duckdb", "--debug", "text", "analyze"]) == "text"
    assert invoked(["--db=ws.duckdb", "status"]) == "status"
    assert invoked(["--help"]) is None


def test_an_analysis_does_not_import_the_export_it_names() -> None:
    # advocacy.text.enrich names export_table and export_columns; importing them with it
    # brought the import formats and the redaction into every `text analyze`.
    probe = (
        "import sys\n"
        "import advocacy.text.enrich as enrich\n"
        "before = 'advocacy.text.export' in sys.modules\n"
        "from advocacy.text import export\n"
        "print(before, enrich.export_table is export.export_table,"
        " enrich.export_columns is export.export_columns)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.split() == ["False", "True", "True"]


def test_text_analyze_reads_no_yaml_and_imports_no_evaluation(tmp_path: Path) -> None:
    # A first analysis fits a calibration and reports it: neither needs PyYAML (only files
    # people write are YAML) nor the evaluation module and the file readers it imports (only
    # a calibration some of whose labelled texts trained the shipped model names their sets).
    db = tmp_path / "ws.duckdb"
    with advocacy.open(f"duckdb:///{db}", create=True) as ws:
        ws.write_records(
            "responses",
            [
                {
                    "response_id": "r1",
                    "comment": "The refund never came, nobody answered.",
                    "nps": 1,
                },
                {"response_id": "r2", "comment": "Lovely staff and a quick delivery!", "nps": 10},
            ],
        )
    probe = (
        "import json, sys\n"
        "from advocacy.present.cli.main import run\n"
        f"try:\n    run(['text', 'analyze', '--db', {str(db)!r}, '--format', 'json'])\n"
        "except SystemExit as stop:\n    assert not stop.code, stop.code\n"
        "print(json.dumps([m for m in ('yaml', 'advocacy.text.evaluation') if m in sys.modules]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=300
    )
    summary = json.loads(done.stdout[: done.stdout.rindex("[")])
    assert summary["analysed"] == 2 and summary["calibration"] == "fitted (2 labels)"
    assert json.loads(done.stdout.splitlines()[-1]) == []
