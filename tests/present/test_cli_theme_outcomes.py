"""`advocacy text themes` on a survey without NPS shows each theme's effect on its CSAT (else
CES) with its interval, and says which quarter "vs last quarter" is, with its interval
(csatthemes computed both; the CLI showed neither: a CSAT survey's table had no effect at all,
and a change without its quarter or interval)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import advocacy
from support.cli import advocacy_cli
from support.outcome_surveys import answers, survey

# Q2 2026: Price in 5 of 40 answers; Q3: the survey proper, Price in 20 of 120 (both complete
# whenever the test runs, from October 2026 on).
ROWS = answers({"price": [4] * 5, "praise": [4] * 35}, "2026-06-28") + answers(
    {
        "price": [1] * 12 + [5] * 8,  # 40% satisfied
        "delivery": [1] * 16 + [5] * 4,  # 20% satisfied
        "praise": [5] * 40 + [1] * 10,
        "n/a": [1] * 30,
    },
    "2026-09-28",
)


def _cells(table: str, name: str) -> str:
    line = next(line for line in table.splitlines() if name in line)
    return " ".join(line.split())


def test_a_csat_survey_shows_its_csat_effect_and_the_quarter_of_the_change(
    tmp_path: Path, db_url: str
) -> None:
    database = survey(tmp_path, "csat", ROWS, url=db_url)  # DuckDB and PostgreSQL
    with advocacy.open(database) as ws:
        listed = ws.text.themes().set_index("theme_id")
    machine = advocacy_cli("text", "themes", "--format", "json", "--db", database)
    assert machine.returncode == 0, machine.stderr
    rows = {row["theme_id"]: row for row in json.loads(machine.stdout)}
    delivery = rows["curated:Delivery"]
    assert delivery["outcome"] == "csat"
    for column in ("outcome_effect", "outcome_effect_low", "outcome_effect_high", "change_low"):
        assert delivery[column] == pytest.approx(listed.loc["curated:Delivery", column])
    assert delivery["quarter"] == "2026 Q3"

    shown = advocacy_cli("text", "themes", "--db", database, env={"COLUMNS": "220"})
    assert shown.returncode == 0, shown.stderr
    table = shown.stdout
    assert "CSAT effect, points [95% interval]" in " ".join(table.split())
    assert "NPS" not in table
    effect = round(float(listed.loc["curated:Delivery", "outcome_effect"]))
    row = _cells(table, "Delivery")
    assert re.search(rf"−{abs(effect)} \[−\d+, −\d+\]", row), row
    assert "20% / " in row  # 20% of its commenters satisfied, against the others'
    # Price: 20 of 120 texts in Q3 against 5 of 40 in Q2, +4.2 points with its interval.
    price = _cells(table, "Price")
    assert re.search(r"2026 Q3: \+4\.2 \[−\d+\.\d, \+\d+\.\d\] pts", price), price


def test_the_interval_heading_names_the_workspaces_confidence(tmp_path: Path) -> None:
    database = survey(tmp_path, "csat", ROWS)
    shown = advocacy_cli(
        "text", "themes", "--db", database, env={"COLUMNS": "220", "ADVOCACY_CONFIDENCE": "0.9"}
    )
    assert shown.returncode == 0, shown.stderr
    table = " ".join(shown.stdout.split())
    assert "CSAT effect, points [90% interval]" in table
    assert "95%" not in table
