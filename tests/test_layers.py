"""The layer contracts (``[tool.importlinter]`` in pyproject.toml) hold, and catch a wrong import.

``make lint`` runs ``lint-imports``; these tests run it too, on the real tree and on a copy of
``src/`` with one forbidden import planted, so a contract that could never fail is caught.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support import require

ROOT = Path(__file__).resolve().parents[1]


def lint_imports(source: Path) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` with the project's contracts over the package under ``source``."""
    command = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    require(command is not None, "import-linter is not installed: pip install -e '.[dev]'")
    assert command is not None
    environment = {
        **os.environ,
        "PYTHONPATH": str(source),  # this tree's advocacy, not the installed one
        "COLUMNS": "200",  # contract names on one line each
        "NO_COLOR": "1",
    }
    return subprocess.run(
        [command, str(ROOT / "pyproject.toml"), "--no-cache", "--no-logo"],
        cwd=source,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def copy_of_src(target: Path) -> Path:
    """The Python files of ``src/`` (models and data left out: the graph needs only code)."""

    def not_code(directory: str, names: list[str]) -> list[str]:
        def is_code(name: str) -> bool:
            if name == "__pycache__":
                return False
            return name.endswith(".py") or (Path(directory) / name).is_dir()

        return [name for name in names if not is_code(name)]

    shutil.copytree(ROOT / "src", target, ignore=not_code)
    return target


def test_the_real_tree_keeps_every_contract() -> None:
    result = lint_imports(ROOT / "src")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert " 0 broken" in output and "BROKEN" not in output


@pytest.mark.parametrize(
    ("module", "planted", "contract"),
    [
        (
            "advocacy/store/connection.py",
            "import advocacy.present.cli.main",
            "The store imports no analysis, no ingest and nothing above them",
        ),
        (
            "advocacy/metrics/scores.py",
            "from advocacy.report import write",
            "Analysis never imports the presentation layer, the report or the facade",
        ),
        (
            "advocacy/workspace.py",
            "from advocacy.present.web import app",
            "The library never imports the presentation layer (CLI, web)",
        ),
        (
            "advocacy/ingest/readers.py",
            "import advocacy.metrics.scores",
            "Ingest imports no analysis and nothing above it",
        ),
    ],
)
def test_a_forbidden_import_breaks_its_contract(
    tmp_path: Path, module: str, planted: str, contract: str
) -> None:
    source = copy_of_src(tmp_path / "src")
    path = source / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{planted}\n", encoding="utf-8")
    result = lint_imports(source)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert f"{contract} BROKEN" in output
    # The layers contract names the same import.
    assert "Layers: " in output and "BROKEN" in output.split("Layers: ", 1)[1].splitlines()[0]
    importer = module.removesuffix(".py").replace("/", ".")
    assert importer in output


@pytest.mark.parametrize(
    ("module", "planted"),
    [
        ("advocacy/present/web/pages/cases.py", "from advocacy.loop.cases.store import get_case"),
        ("advocacy/present/cli/access.py", "import advocacy.access.users"),
        ("advocacy/present/web/state.py", "from advocacy.store.connection import Database"),
        ("advocacy/present/cli/metrics.py", "from advocacy.metrics.scores import nps"),
        (
            "advocacy/present/web/pages/routes.py",
            "from advocacy.customer_view import customer_view",
        ),
        ("advocacy/present/web/api/writes.py", "from advocacy.ingest.records import write_records"),
        ("advocacy/present/web/state.py", "import advocacy.ingest.limits"),
        ("advocacy/present/cli/data.py", "from advocacy.importer import import_file"),
        ("advocacy/present/cli/output.py", "import advocacy.ingest.spreadsheet_cells"),
    ],
)
def test_the_presentation_layer_going_around_the_facade_breaks_its_contract(
    tmp_path: Path, module: str, planted: str
) -> None:
    # present sits above the loop, access, the analyses, the customer view, ingest and the store
    # in the layers: only this contract sees it.
    source = copy_of_src(tmp_path / "src")
    path = source / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{planted}\n", encoding="utf-8")
    result = lint_imports(source)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    contract = (
        "The presentation layer reaches the loop, access control, the analyses, the customer "
        "view, ingest and the store through the facade only"
    )
    assert f"{contract} BROKEN" in output
    assert module.removesuffix(".py").replace("/", ".") in output
