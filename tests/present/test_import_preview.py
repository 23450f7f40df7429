"""``advocacy import --dry-run`` shows the first rows as they would be stored, safely."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import advocacy
from support.cli import advocacy_cli

HOSTILE = [
    "[bold red]boom[/] [link=https://evil.example]click[/link]",
    "\x1b[2J\x1b[31mcleared your screen",
    '=HYPERLINK("http://evil.example","x")\r\nsecond line',
    "‮reversed text‬ and a " + "very long story " * 40,
    "Plain and fine",
    "Sixth row, not shown",
]


def survey(path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Ward", "How likely are you to recommend us?", "comment", "Rate the food"])
        for index, text in enumerate(HOSTILE):
            writer.writerow([f"Ward {index}", str(10 - index), text, str(1 + index % 5)])
    return path


def test_the_library_returns_the_first_rows_as_stored_and_writes_nothing(tmp_path: Path) -> None:
    path = survey(tmp_path / "survey.csv")
    with advocacy.open(str(tmp_path / "ws.duckdb")) as ws:
        result = ws.import_file(path, kind="responses", dry_run=True)
        assert ws.table("responses").count().execute() == 0
    assert [row["row"] for row in result.preview] == [2, 3, 4, 5, 6]
    first = result.preview[0]
    assert first["response_id"].startswith("k") and len(first["response_id"]) == 25
    assert (first["nps"], first["comment"]) == (10, HOSTILE[0])
    assert first["attrs"] == {"Ward": "Ward 0"}
    assert first["items"] == [{"item": "Rate the food", "kind": "rating", "value": 1.0}]
    assert "customer_id" not in first  # only fields that have a value
    assert result.summary()["preview"] == result.preview


def test_the_cli_prints_the_preview_as_plain_escaped_text(tmp_path: Path) -> None:
    path = survey(tmp_path / "survey.csv")
    db = str(tmp_path / "ws.duckdb")
    done = advocacy_cli(
        "import", str(path), "--kind", "responses", "--dry-run", "--db", db,
        cwd=tmp_path, env={"COLUMNS": "400", "NO_COLOR": "1"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "First 5 rows as they would be stored" in out
    lines = {line.split("│")[1].strip(): line for line in out.splitlines() if line.count("│") > 2}
    assert set(lines) >= {
        "response_id",
        "nps",
        "comment",
        "attrs.Ward",
        "item:Rate the food (rating)",
    }
    comment = lines["comment"]
    # Markup in the data is shown, not rendered; escapes and line breaks are shown escaped.
    assert "[bold red]boom[/] [link=https://evil.example]click[/link]" in comment
    assert "\\u001b[2J\\u001b[31mcleared your screen" in comment
    assert '=HYPERLINK("http://evil.example","x")\\r\\nsecond line' in comment
    assert "\\u202ereversed text\\u202c and a very long story" in comment
    assert "…" in comment and "very long story " * 5 not in comment  # cut at 60 characters
    assert "\x1b" not in out and "\u202e" not in out
    assert "Sixth row" not in out
    assert lines["nps"].split("│")[2].strip() == "10"


def test_json_output_carries_the_preview(tmp_path: Path) -> None:
    path = survey(tmp_path / "survey.csv")
    done = advocacy_cli(
        "import", str(path), "--kind", "responses", "--dry-run", "--format", "json",
        "--db", str(tmp_path / "ws.duckdb"),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert [row["row"] for row in summary["preview"]] == [2, 3, 4, 5, 6]
    assert summary["preview"][1]["comment"] == HOSTILE[1]
    assert summary["rows_loaded"] == 6 and summary["dry_run"] is True
