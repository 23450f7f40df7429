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
        "┏━━━━━━━━┳━━━━━━━┳━━━━━━━┳━━━━━━━━━━━━━━━━┳━━━━━━┓",
        "┃ metric ┃     n ┃ score ┃  95% interval  ┃ flag ┃",
        "┡━━━━━━━━╇━━━━━━━╇━━━━━━━╇━━━━━━━━━━━━━━━━╇━━━━━━┩",
        "│ nps    │ 1,141 │ -32.6 │ [-37.4, -27.7] │      │",
        "└────────┴───────┴───────┴────────────────┴──────┘",
    ]


def test_metrics_by_unit_table(folder: Path) -> None:
    db = str(folder / "metrics.duckdb")
    assert shown("metrics", "scores", "--by", "unit", "--db", db, cwd=folder) == [
        "┏━━━━━━━━┳━━━━━━━┳━━━━━┳━━━━━━━┳━━━━━━━━━━━━━━━━┳━━━━━━┓",
        "┃ metric ┃ unit  ┃   n ┃ score ┃  95% interval  ┃ flag ┃",
        "┡━━━━━━━━╇━━━━━━━╇━━━━━╇━━━━━━━╇━━━━━━━━━━━━━━━━╇━━━━━━┩",
        "│ nps    │ East  │ 231 │ -40.3 │ [-49.9, -29.6] │      │",
        "│ nps    │ North │ 572 │ -41.4 │ [-47.7, -34.7] │      │",
        "│ nps    │ South │ 338 │ -12.4 │ [-21.8, -2.9]  │      │",
        "└────────┴───────┴─────┴───────┴────────────────┴──────┘",
    ]


def test_drivers_table(folder: Path) -> None:
    assert shown("gaps", "drivers", "--db", str(folder / "gaps.duckdb"), cwd=folder) == [
        "                     Key drivers of nps (lmg)",
        "┏━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━┳━━━━━━━━┳━━━━━━━━━┳━━━━━━┓",
        "┃ driver           ┃ raw weight ┃ share ┃ ci low ┃ ci high ┃ rank ┃",
        "┡━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━╇━━━━━━━━╇━━━━━━━━━╇━━━━━━┩",
        "│ speed            │ 0.651      │ 0.74  │ 0.528  │ 0.738   │ 1    │",
        "│ price            │ 0.186      │ 0.211 │ 0.101  │ 0.276   │ 2    │",
        "│ staff            │ 0.026      │ 0.03  │ 0.017  │ 0.056   │ 3    │",
        "│ Keeps promises   │ 0.008      │ 0.009 │ 0.001  │ 0.038   │ 4    │",
        "│ Neat staff       │ 0.006      │ 0.007 │ 0.001  │ 0.038   │ 5    │",
        "│ Right first time │ 0.003      │ 0.004 │ 0.001  │ 0.037   │ 6    │",
        "└──────────────────┴────────────┴───────┴────────┴─────────┴──────┘",
        "R^2 = 0.880, n = 90",
    ]
