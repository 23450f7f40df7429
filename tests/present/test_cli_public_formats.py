"""A user's run over a published labelled layout, through the CLI: import, teach from the
file's own label column, analyze, export; and one clear line when the file cannot teach."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from typer.testing import CliRunner

from advocacy.present.cli.main import app

runner = CliRunner()
FIXTURES = Path(__file__).parents[1] / "fixtures" / "public_formats"


def invoke(*args: str, code: int = 0) -> str:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    assert result.exit_code == code, result.output
    return result.output


def test_airline_tweets_from_import_to_an_export_joined_on_tweet_id(tmp_path: Path) -> None:
    db, out = str(tmp_path / "w.duckdb"), tmp_path / "mentions.csv"
    tweets = FIXTURES / "airline_tweets.csv"
    invoke("import", str(tweets), "--kind", "mentions", "--db", db)
    taught = json.loads(invoke("text", "teach", str(tweets), "--db", db, "--format", "json"))
    assert taught["sentiment labels"] == 30
    invoke("text", "analyze", "--db", db)
    invoke("export", "mentions", "--out", str(out), "--db", db)
    with tweets.open(newline="", encoding="utf-8") as handle:
        ids = {row["tweet_id"] for row in csv.DictReader(handle)}
    with out.open(newline="", encoding="utf-8") as handle:
        exported = list(csv.DictReader(handle))
    assert {row["mention_id"] for row in exported} == ids
    assert all(row["sentiment"] and row["complaint"] for row in exported)


def test_a_file_without_sentiment_labels_is_one_clear_line(tmp_path: Path) -> None:
    db = str(tmp_path / "w.duckdb")
    complaints = FIXTURES / "complaint_tweets.csv"
    invoke("import", str(complaints), "--kind", "mentions", "--db", db)
    output = invoke("text", "teach", str(complaints), "--db", db, code=1)
    assert "no column holds sentiment labels (negative, neutral, positive; neg, neu, pos" in output
    assert "'label'" in output and "Traceback" not in output


def test_teaching_labels_in_a_language_the_model_does_not_read_says_so(tmp_path: Path) -> None:
    db = str(tmp_path / "w.duckdb")
    smsa = FIXTURES / "smsa.tsv"
    invoke("import", str(smsa), "--kind", "mentions", "--db", db)
    taught = json.loads(invoke("text", "teach", str(smsa), "--db", db, "--format", "json"))
    assert taught["sentiment labels"] > 0
    assert "languages the model does not read" in taught["calibration"]
    assert "id " in taught["calibration"]


def test_teach_shows_the_rows_the_import_quarantined(tmp_path: Path) -> None:
    db, path = str(tmp_path / "w.duckdb"), tmp_path / "reviews.csv"
    labels = ["negative", "neutral", "positive"]
    lines = ["review_id,review_body,stars,sentiment"]
    for n in range(12):
        stars = "drei" if n == 3 else str(1 + n % 5)
        lines.append(f"rev-{n:06d},review body number {n} and it was fine,{stars},{labels[n % 3]}")
    path.write_text("\n".join(lines) + "\n", "utf-8")
    invoke("import", str(path), "--kind", "mentions", "--db", db)
    taught = json.loads(invoke("text", "teach", str(path), "--db", db, "--format", "json"))
    assert taught["sentiment labels"] == 11
    assert any("row 5" in note and "quarantine" in note for note in taught["notes"])
