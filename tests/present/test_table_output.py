"""The main CLI tables, exactly as a user sees them at 100 columns.

Each test compares every line of the rendered table (trailing spaces aside: Rich pads a centred
title) on a small fixed workspace, so a change of a heading, a rounding or a column's order shows
up here rather than in a user's terminal.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gaps.data import workspace_with_gaps
from metrics.data import workspace_with_data
from support.cli import advocacy_cli

WIDTH = {"COLUMNS": "100"}


def shown(*args: str, cwd: Path) -> list[str]:
    done = advocacy_cli(*args, cwd=cwd, env=WIDTH)
    assert done.returncode == 0, done.stderr
    return [line.rstrip() for line in done.stdout.splitlines()]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tables")
    workspace_with_data(str(folder / "metrics.duckdb")).close()
    workspace_with_gaps(str(folder / "gaps.duckdb"), folder).close()
    return folder


def test_metrics_table(folder: Path) -> None:
    assert shown("metrics", "scores", "--db", str(folder / "metrics.duckdb"), cwd=folder) == [
        "┏━━━━━━━━┳━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━┓",
        "┃ metric ┃     n ┃ score [95% interval] ┃ flag ┃",
        "┡━━━━━━━━╇━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━┩",
        "│ NPS    │ 1,141 │       −33 [−37, −28] │      │",
        "└────────┴───────┴──────────────────────┴──────┘",
    ]


def test_metrics_by_unit_table(folder: Path) -> None:
    db = str(folder / "metrics.duckdb")
    assert shown("metrics", "scores", "--by", "unit", "--db", db, cwd=folder) == [
        "┏━━━━━━━━┳━━━━━━━┳━━━━━┳━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━┓",
        "┃ metric ┃ unit  ┃   n ┃ score [95% interval] ┃ flag ┃",
        "┡━━━━━━━━╇━━━━━━━╇━━━━━╇━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━┩",
        "│ NPS    │ East  │ 231 │       −40 [−50, −30] │      │",
        "│ NPS    │ North │ 572 │       −41 [−48, −35] │      │",
        "│ NPS    │ South │ 338 │        −12 [−22, −3] │      │",
        "└────────┴───────┴─────┴──────────────────────┴──────┘",
    ]


def test_drivers_table(folder: Path) -> None:
    # Each interval beside its own estimate: the share's (74% [61%, 82%]), not the raw
    # weight's (it printed "share 0.74" beside "ci [0.528, 0.738]" before issue #19).
    # Each driver says which way it moves the outcome (the sign of its correlation), and the
    # note names the outcome the workspace's own rule chose.
    assert shown("gaps", "drivers", "--db", str(folder / "gaps.duckdb"), cwd=folder) == [
        "                                    Key drivers of nps (lmg)",
        "┏━━━━━━┳━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━┓",
        "┃ rank ┃ driver           ┃ share of R² [95% interval] ┃ direction ┃ raw "
        "weight [95% interval] ┃",
        "┡━━━━━━╇━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━┩",
        "│    1 │ speed            │             74% [61%, 82%] │ raises    "
        "│            0.7 [0.5, 0.7] │",
        "│    2 │ price            │             21% [11%, 31%] │ raises    "
        "│         0.19 [0.10, 0.28] │",
        "│    3 │ staff            │                3% [2%, 6%] │ lowers    "
        "│         0.03 [0.02, 0.06] │",
        "│    4 │ Keeps promises   │                1% [0%, 4%] │ lowers    "
        "│         0.01 [0.00, 0.04] │",
        "│    5 │ Neat staff       │                1% [0%, 4%] │ raises    "
        "│         0.01 [0.00, 0.04] │",
        "│    6 │ Right first time │                0% [0%, 4%] │ raises    "
        "│         0.00 [0.00, 0.04] │",
        "└──────┴──────────────────┴────────────────────────────┴───────────┴───────────────────────────┘",
        "R^2 = 0.880, n = 90; outcome nps, the workspace's own (choose with --outcome)",
    ]
