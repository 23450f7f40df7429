"""``advocacy gaps ...`` and ``advocacy maturity`` through the CLI runner, and the old names
(``advocacy drivers``, ``advocacy gaps`` alone, ``advocacy culture --link``) beside them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from advocacy.present.cli.main import app

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    from gaps.data import workspace_with_gaps

    folder = tmp_path_factory.mktemp("gaps-cli")
    path = str(folder / "workspace.duckdb")
    workspace_with_gaps(path, folder).close()
    return path


def invoke(*args: str) -> str:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.stdout


def test_drivers_json(db: str) -> None:
    text = invoke("gaps", "drivers", "--db", db, "--format", "json", "--bootstrap", "20")
    rows = json.loads(text)
    assert list(rows[0]) == [
        "driver", "share", "share_low", "share_high",
        "raw_weight", "raw_weight_low", "raw_weight_high", "rank", "direction",
    ]  # fmt: skip
    assert rows[0]["driver"] == "speed" and rows[0]["rank"] == 1
    # A better speed rating goes with a higher NPS: the share has no sign, the direction does.
    assert rows[0]["direction"] == "raises"
    assert sum(row["share"] for row in rows) == pytest.approx(1.0, abs=1e-3)


def test_drivers_johnson_by_dimension_csv(db: str) -> None:
    text = invoke(
        "gaps",
        "drivers",
        "--db",
        db,
        "--format",
        "csv",
        "--method",
        "johnson",
        "--level",
        "dimension",
        "--bootstrap",
        "0",
    )
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {row["driver"] for row in rows} == {
        "responsiveness",
        "value",
        "reliability",
        "tangibles",
    }


def test_ipa_table_states_crosshairs_and_tie_rule(db: str) -> None:
    text = invoke("gaps", "ipa", "--db", db, "--crosshair", "median")
    assert "Importance-performance analysis" in text
    assert "crosshairs (median)" in text and "counts as high (>=)" in text


def test_servqual_csv_and_template(db: str, tmp_path: Path) -> None:
    text = invoke("gaps", "servqual", "--db", db, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["level"] for row in rows].count("overall") == 2
    assert {row["dimension"] for row in rows} >= {"reliability", "unweighted", "item mean"}
    invoke("gaps", "servqual", "--template", str(tmp_path / "servqual.csv"))
    assert len((tmp_path / "servqual.csv").read_text().splitlines()) == 23


def test_register_top(db: str) -> None:
    rows = json.loads(invoke("gaps", "register", "--db", db, "--top", "3", "--format", "json"))
    assert [row["rank"] for row in rows] == [1, 2, 3]
    assert {"priority", "effort", "class", "resources", "root_causes"} <= set(rows[0])
    text = invoke("gaps", "register", "--db", db, "--top", "2")
    assert "Gap register" in text and "priority = 100 x impact x gap size / effort" in text


def test_targets(db: str) -> None:
    rows = json.loads(invoke("gaps", "targets", "--db", db, "--format", "json"))
    assert [row["target_id"] for row in rows] == ["T1", "T2", "T3"]
    assert rows[2]["status"] == "not measurable from survey evidence"
    text = invoke("gaps", "targets", "--db", db)
    assert "Targets" in text and "00:00" not in text  # the due day, without a time


def test_culture_views(db: str) -> None:
    rows = json.loads(invoke("gaps", "culture", "--db", db, "--by-unit", "--format", "json"))
    assert {row["unit"] for row in rows} == {"North", "South"}  # East (4) suppressed
    text = invoke("gaps", "culture", "--db", db)
    assert "1 units with fewer than 5 respondents not shown" in text
    link = json.loads(invoke("gaps", "culture-link", "--db", db, "--format", "json"))
    assert [row["unit"] for row in link] == ["North", "South"]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (["drivers", "--bootstrap", "20"], ["gaps", "drivers", "--bootstrap", "20"]),
        (["ipa"], ["gaps", "ipa"]),
        (["servqual", "--items"], ["gaps", "servqual", "--items"]),
        (["gaps"], ["gaps", "register"]),
        (["gaps", "--top", "2"], ["gaps", "register", "--top", "2"]),
        (["culture", "--by-unit"], ["gaps", "culture", "--by-unit"]),
        (["culture", "--link"], ["gaps", "culture-link"]),
    ],
    ids=" ".join,
)
@pytest.mark.parametrize("output", ["table", "json"])
def test_the_old_names_print_the_same(db: str, old: list[str], new: list[str], output: str) -> None:
    options = ["--db", db, "--format", output]
    before = runner.invoke(app, [*old, *options], env={"COLUMNS": "200"})
    after = runner.invoke(app, [*new, *options], env={"COLUMNS": "200"})
    assert before.exit_code == after.exit_code == 0, before.output
    assert before.stdout == after.stdout
    assert after.stderr == ""
    assert before.stderr.startswith(f"warning: `advocacy {old[0]}")
    assert before.stderr.endswith(f" is deprecated; use `advocacy {' '.join(new[:2])}`\n")
    assert before.stderr.count("\n") == 1


def test_maturity_template_and_scoring(tmp_path: Path) -> None:
    template = tmp_path / "maturity.csv"
    invoke("maturity", "--template", str(template))
    lines = template.read_text().splitlines()
    filled = [lines[0]] + [
        line + ("2" if "acting" in line.split(",")[0] else "4") for line in lines[1:]
    ]
    template.write_text("\n".join(filled) + "\n")
    rows = json.loads(invoke("maturity", str(template), "--format", "json"))
    assert {row["area"]: row["score"] for row in rows}["acting"] == 2
    assert "weakest: Acting on what is heard" in invoke("maturity", str(template))


def test_maturity_without_answers_is_a_usage_error() -> None:
    result = runner.invoke(app, ["maturity"])
    assert result.exit_code == 2  # a UsageError, through the CLI's error boundary
    assert result.stderr.startswith("error: ") and len(result.stderr.splitlines()) == 1
