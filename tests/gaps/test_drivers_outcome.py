"""Key drivers on a CSAT-only workspace (the real Olist reviews) name CSAT when they cannot run.

Olist has CSAT answers and no rated items: key drivers explain the workspace's outcome, CSAT,
and their refusal must say so, not ask for "answers with an NPS" (review10 item 6).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from advocacy.errors import UsageError
from advocacy.present.cli.main import app
from gaps.olist import olist_workspace


def test_drivers_refusal_names_the_outcome_chosen(tmp_path: Path, shared_data: Path) -> None:
    url = str(tmp_path / "workspace.duckdb")
    with olist_workspace(url, tmp_path, shared_data) as ws, pytest.raises(UsageError) as raised:
        ws.gaps.drivers(outcome=None, n_bootstrap=0)
    said = f"{raised.value} {raised.value.fix}"
    assert "key drivers of CSAT" in said and "outcome CSAT" in said, said
    assert "NPS" not in said, said
    result = CliRunner().invoke(app, ["gaps", "drivers", "--db", url], env={"COLUMNS": "200"})
    assert result.exit_code != 0
    assert "outcome CSAT" in result.output and "NPS" not in result.output, result.output
