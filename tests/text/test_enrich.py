"""Analysing a workspace's texts: incremental re-runs, teaching, themes and export columns.

Runs on a real DuckDB file and a real PostgreSQL server (``db_url``).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

import advocacy
from advocacy.errors import InputError
from advocacy.text import catalogue, enrich
from advocacy.text.catalogue import assign_taxonomy, discover, list_themes
from advocacy.text.enrich import analyze_workspace, export_columns, export_table
from advocacy.text.theme_promotion import promote_theme
from support.cli import Outcome, advocacy_cli
from support.taxonomies import BLITZER_TAXONOMY

COMMENTS = [
    ("Refund for my return still hasn't arrived after five weeks.", 2),
    ("I was charged twice and spent an hour on hold to fix it.", 1),
    ("Delivery came next morning, well packed. Brilliant.", 10),
    ("Friendly staff in the Leeds store, sorted my exchange in minutes.", 9),
    ("The app keeps logging me out, otherwise fine.", 7),
    ("Parcel arrived damaged and the courier was rude.", 3),
]


def _write_responses(path: Path, comments: list[tuple[str, int]], copies: int = 4) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["response_id", "submitted_at", "nps", "comment"])
        for copy in range(copies):
            for number, (text, nps) in enumerate(comments):
                day = 1 + (copy * len(comments) + number) % 28
                writer.writerow([f"R{copy}-{number}", f"2024-03-{day:02d}T10:00:00Z", nps, text])
    return path


@pytest.fixture
def workspace(db_url: str, tmp_path: Path) -> advocacy.Workspace:
    ws = advocacy.open(db_url)
    ws.import_file(_write_responses(tmp_path / "responses.csv", COMMENTS), kind="responses")
    return ws


def test_incremental_re_runs_analyse_only_changed_texts(
    workspace: advocacy.Workspace, tmp_path: Path
) -> None:
    # The shipped model only: new scores would re-calibrate (any scored comment counts), and a
    # new calibration re-analyses everything.
    first = analyze_workspace(workspace.db, calibrate=False)
    assert (first.analyzed, first.unchanged) == (24, 0)
    assert first.model.startswith("real-sentiment-e5-v13;")
    again = analyze_workspace(workspace.db, calibrate=False)
    assert (again.analyzed, again.unchanged) == (0, 24)
    changed = [*COMMENTS[:-1], ("Parcel arrived on time, courier was lovely.", 9)]
    workspace.import_file(_write_responses(tmp_path / "changed.csv", changed), kind="responses")
    third = analyze_workspace(workspace.db, calibrate=False)
    assert (third.analyzed, third.unchanged) == (4, 20)
    rows = workspace.db.fetchall(
        "SELECT document_id, sentiment, effort, model FROM text_features ORDER BY document_id"
    )
    assert len(rows) == 24
    by_id = {row[0]: row for row in rows}
    assert by_id["R0-2"][1] == "positive" and by_id["R0-1"][2] >= 0.5  # on hold = effort
    assert all(row[3] == first.model for row in rows)


@pytest.mark.parametrize("workers", [1, 2])
def test_a_run_that_fails_in_a_batch_keeps_the_batches_before(
    workspace: advocacy.Workspace, workers: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each batch's rows are written while the next batch is read: a failure before the
    second batch's reading writes them (nothing else would) keeps the first batch's rows, as
    when each was written before the next."""
    real = enrich.analyze_documents
    calls: list[int] = []

    def stopped_at_the_second(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 2:  # before its pool runs the first batch's write
            raise KeyboardInterrupt  # the user stops it as the second batch starts
        return real(*args, **kwargs)

    monkeypatch.setattr(enrich, "analyze_documents", stopped_at_the_second)
    with pytest.raises(KeyboardInterrupt):
        analyze_workspace(workspace.db, calibrate=False, batch_size=10, workers=workers)
    kept = workspace.db.fetchall("SELECT count(*), count(DISTINCT model) FROM text_features")
    assert kept == [(10, 1)]
    again = analyze_workspace(workspace.db, calibrate=False, batch_size=10, workers=workers)
    assert (again.analyzed, again.unchanged) == (14, 10)


def test_a_theme_assignment_that_fails_keeps_every_analysed_row(
    workspace: advocacy.Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a taxonomy, the last batch's rows are written while the theme assignment reads:
    when the assignment fails before reading, they are written all the same."""
    taxonomy = tmp_path / "taxonomy.yaml"
    taxonomy.write_text(BLITZER_TAXONOMY, encoding="utf-8")

    def failing(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the theme assignment failed")

    monkeypatch.setattr(catalogue, "assign_taxonomy", failing)
    with pytest.raises(RuntimeError, match="the theme assignment failed"):
        analyze_workspace(workspace.db, calibrate=False, batch_size=10, taxonomy=taxonomy)
    monkeypatch.undo()
    features = workspace.db.fetchall("SELECT count(*) FROM text_features")
    with_sentences = workspace.db.fetchall("SELECT count(DISTINCT document_id) FROM text_sentences")
    assert features == with_sentences == [(24,)]  # the last batch's 4 too
    # Nothing left to analyse; the themes follow in the next run.
    again = analyze_workspace(workspace.db, calibrate=False, batch_size=10, taxonomy=taxonomy)
    assert (again.analyzed, again.unchanged) == (0, 24)
    assert again.themes is not None


def test_export_columns_and_teaching(workspace: advocacy.Workspace, tmp_path: Path) -> None:
    analyze_workspace(workspace.db)
    frame = export_columns(workspace, "responses").to_pandas().set_index("response_id")
    for column in (
        "sentiment",
        "sentiment_score",
        "emotions",
        "effort",
        "themes",
        "analysed_language",
    ):
        assert column in frame.columns
    assert set(json.loads(frame.loc["R0-2", "emotions"])) == {"anger", "joy", "optimism", "sadness"}
    assert frame.loc["R0-3", "analysed_language"] == "en"
    assert frame["language"].isna().all()  # as imported: the file gave none

    workspace.db.execute(
        "UPDATE responses SET comment = 'Ring me on +44 20 7946 0958, ask for Mr Jones' "
        "WHERE response_id = 'R0-0'"
    )
    exported = export_table(workspace, "responses").to_pandas().set_index("response_id")
    assert exported.loc["R0-0", "comment"] == "Ring me on +44 20 7946 0958, ask for Mr Jones"
    redacted = export_table(workspace, "responses", redact=True).to_pandas()
    assert redacted.set_index("response_id").loc["R0-0", "comment"] == (
        "Ring me on [phone], ask for Mr [name]"
    )
    assert "sentiment" in exported.columns

    labels = tmp_path / "labels.csv"
    labels.write_text(
        "document_id,kind,sentiment,theme\nR0-4,response,negative,App\n", encoding="utf-8"
    )
    result = workspace.text.teach(labels)
    assert (result.sentiment_labels, result.theme_labels) == (1, 1)
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("document_id,kind,sentiment\nNOPE,response,negative\n", encoding="utf-8")
    with pytest.raises(InputError, match="no response with id 'NOPE'") as raised:
        workspace.text.teach(wrong)
    assert raised.value.row == 2


def test_themes_discover_assign_promote_and_impact(
    workspace: advocacy.Workspace, tmp_path: Path
) -> None:
    analyze_workspace(workspace.db)
    found = discover(workspace.db, n_themes=3)
    assert sum(theme.size for theme in found) == 24
    taxonomy = tmp_path / "taxonomy.yaml"
    taxonomy.write_text(
        "themes:\n  - name: Delivery\n    keywords: [delivery, parcel, courier]\n"
        "  - name: Billing\n    keywords: [charged, refund]\n",
        encoding="utf-8",
    )
    counts = assign_taxonomy(workspace.db, taxonomy).set_index("name")["size"].to_dict()
    assert counts == {"Delivery": 8, "Billing": 8}
    listing = list_themes(workspace.db, origin="curated").set_index("name")
    # Delivery: NPS 10 and 3 -> one promoter, one detractor -> 0; the rest: 2,1,9,7 -> -25.
    assert listing.loc["Delivery", "nps_mentioning"] == pytest.approx(0.0)
    assert listing.loc["Delivery", "nps_not"] == pytest.approx(-25.0)
    promoted = promote_theme(workspace.db, found[0].theme_id, tmp_path / "new.yaml", name="Found")
    assert promoted.name == "Found" and (tmp_path / "new.yaml").exists()


def test_cli_commands(db_url: str, tmp_path: Path) -> None:
    ws = advocacy.open(db_url)
    ws.import_file(_write_responses(tmp_path / "responses.csv", COMMENTS), kind="responses")
    ws.close()

    def run(*args: str) -> Outcome:
        return advocacy_cli(*args, "--db", db_url, cwd=tmp_path)

    analysed = run("text", "analyze", "--format", "json")
    assert analysed.returncode == 0, analysed.stderr
    assert json.loads(analysed.stdout)["analysed"] == 24
    discovered = run("text", "discover-themes", "--themes", "2", "--format", "json")
    assert discovered.returncode == 0, discovered.stderr
    assert sum(row["size"] for row in json.loads(discovered.stdout)) == 24
    missing = run("text", "assign-themes", "--taxonomy", "nope.yaml")
    assert missing.returncode == 1 and "no taxonomy file 'nope.yaml'" in missing.stderr
