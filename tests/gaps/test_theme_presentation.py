"""Theme drivers and root-cause themes where users see them: the CLI and the report section."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from advocacy.present.cli.main import app
from advocacy.report.section import ReportScope
from advocacy.report.sections import gaps

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    from gaps.theme_data import workspace_with_themes

    folder = tmp_path_factory.mktemp("theme-gaps")
    path = str(folder / "workspace.duckdb")
    workspace_with_themes(path, folder).close()
    return path


def invoke(*args: str) -> str:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.stdout


def test_drivers_by_theme_on_the_command_line(db: str) -> None:
    from gaps.theme_data import PLANTED

    text = invoke(
        "gaps", "drivers", "--db", db, "--level", "theme", "--format", "json", "--bootstrap", "0"
    )
    rows = json.loads(text)
    assert rows[0]["driver"] == PLANTED and rows[0]["kind"] == "theme"
    assert rows[0]["mentions"] == 10
    text = invoke("gaps", "drivers", "--db", db, "--level", "item+theme", "--bootstrap", "0")
    assert "20 answers without a comment left out" in text


def test_gaps_name_their_root_cause_themes(db: str) -> None:
    from gaps.theme_data import PLANTED

    rows = json.loads(invoke("gaps", "register", "--db", db, "--format", "json"))
    north = next(row for row in rows if row["scope"] == "unit=North")
    assert north["root_cause_themes"][0]["theme"] == PLANTED
    assert set(north["root_cause_themes"][0]) == {
        "theme",
        "n",
        "share",
        "rest_share",
        "lift",
        "excess",
    }
    assert north["root_cause_touchpoints"][0]["touchpoint"] == "billing"
    text = invoke("gaps", "register", "--db", db, "--top", "2")
    assert f"themes: {PLANTED} (lift" in text.replace("\n", " ")


def test_report_section_shows_theme_drivers_and_themes_behind_gaps(db: str) -> None:
    import advocacy
    from gaps.theme_data import PLANTED

    with advocacy.open(db) as ws:
        body = str(gaps.build(ws, ReportScope()).body)
    assert "Comment themes as drivers of NPS" in body
    assert f"The strongest is <strong>{PLANTED}</strong>" in body
    assert "<th>Themes behind it</th>" in body
    assert f"<td>{PLANTED} (lift" in body
