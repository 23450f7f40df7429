"""``advocacy metrics scores`` through the CLI runner: JSON, CSV and table output, and errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from metrics.data import workspace_with_data
from support.cli import Outcome, advocacy_cli


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("cli") / "workspace.duckdb")
    workspace_with_data(path).close()
    return path


def metrics_cli(db: str, *args: str) -> Outcome:
    return advocacy_cli(
        "metrics", "scores", "--db", db, *args, cwd=Path(db).parent, env={"COLUMNS": "160"}
    )


def test_json_rows_have_the_documented_fields(db: str) -> None:
    done = metrics_cli(
        db, "--metric", "nps,csat", "--by", "unit", "--period", "quarter", "--format", "json"
    )
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    common = ["metric", "unit", "period", "n", "score", "se", "ci_low", "ci_high", "flag"]
    nps_row = next(row for row in rows if row["metric"] == "nps")
    csat_row = next(row for row in rows if row["metric"] == "csat")
    assert list(nps_row) == [*common, "promoters", "passives", "detractors"]
    assert list(csat_row) == common
    assert nps_row["period"] == "2024-01-01"
    assert nps_row["promoters"] + nps_row["passives"] + nps_row["detractors"] == nps_row["n"]


def test_comparison_rows_carry_tests_and_verdicts(db: str) -> None:
    done = metrics_cli(
        db, "--by", "unit", "--compare", "rest", "--correction", "bh", "--format", "json"
    )
    assert done.returncode == 0, done.stderr
    rows = {row["unit"]: row for row in json.loads(done.stdout)}
    assert {"change", "p_value", "p_adjusted", "verdict"} <= set(rows["North"])
    assert rows["North"]["verdict"].startswith("worse than the rest")
    assert rows["North"]["p_adjusted"] >= rows["North"]["p_value"]


def test_csv_has_one_header_and_a_line_per_row(db: str) -> None:
    done = metrics_cli(db, "--metric", "ces", "--by", "unit", "--format", "csv")
    assert done.returncode == 0, done.stderr
    table = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [row["unit"] for row in table] == ["East", "North", "South"]
    assert float(table[0]["ci_low"]) < float(table[0]["score"]) < float(table[0]["ci_high"])


def test_table_shows_intervals_and_flags(db: str) -> None:
    done = metrics_cli(
        db, "--by", "unit", "--period", "month", "--min-n", "60", "--confidence", "0.9"
    )
    assert done.returncode == 0, done.stderr
    assert "90% interval" in done.stdout
    assert "too few responses" in done.stdout
    assert "[\u2212" in done.stdout  # a negative bound, written with a true minus sign


def test_bad_options_give_one_line_and_exit_2(db: str) -> None:
    done = metrics_cli(db, "--metric", "nsp")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "error: unknown metric 'nsp'; fix: use one of: nps, csat, csat-mean, top-box, ces, "
        "ces-easy, enps"
    ]
    assert metrics_cli(db, "--compare", "previous").returncode == 2
