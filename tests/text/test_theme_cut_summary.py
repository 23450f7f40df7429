"""``text analyze`` says how many texts were too long for the themes to read whole.

Themes read a text's first :data:`~advocacy.text.phrases.MAX_CHARACTERS` characters (1,000,000);
a longer note's later complaint got no theme and nothing said so (review27 finding 6: then at
20,000 characters). The run's summary now counts them, in its table and its JSON.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from advocacy.text.phrases import MAX_CHARACTERS
from support.cli import advocacy_cli

SMALL_TALK = "The staff were friendly and the room was clean. "
COMPLAINT = "The courier lost my parcel and the delivery was three weeks late."


def _workspace(tmp_path: Path, notes: list[tuple[str, str]]) -> str:
    path = tmp_path / "notes.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["note_id", "taken_at", "text"])
        writer.writerows((key, "2024-03-01T09:00:00Z", text) for key, text in notes)
    (tmp_path / "themes.yaml").write_text(
        "themes:\n  - name: Delivery\n    keywords: [delivery, courier, parcel]\n", "utf-8"
    )
    url = str(tmp_path / "w.duckdb")
    ran = advocacy_cli("--create", "import", str(path), "--kind", "notes", "--db", url)
    assert ran.returncode == 0, ran.stderr
    return url


def _analyze(url: str, tmp_path: Path, *options: str) -> str:
    ran = advocacy_cli(
        "text", "analyze", "--taxonomy", "themes.yaml", *options, "--db", url, cwd=tmp_path
    )
    assert ran.returncode == 0, ran.stderr
    return ran.stdout


def test_a_text_cut_for_themes_is_counted_in_the_summary(tmp_path: Path) -> None:
    long_note = SMALL_TALK * (MAX_CHARACTERS // len(SMALL_TALK) + 1) + COMPLAINT
    assert len(long_note) > MAX_CHARACTERS
    url = _workspace(tmp_path, [("long", long_note), ("short", COMPLAINT), ("fine", SMALL_TALK)])
    summary = json.loads(_analyze(url, tmp_path, "--format", "json"))
    assert summary["texts cut for themes (this run)"] == 1
    # What the cut costs: the long note's complaint, past the cut, gets no theme.
    delivery = next(row for row in summary["themes"] if row["name"] == "Delivery")
    assert delivery["size"] == 1  # "short" only
    table = " ".join(_analyze(url, tmp_path, "--format", "table").split())
    # A re-run reads nothing new: this run cut none, and says nothing of a cut.
    assert "longer than 1,000,000" not in table


def test_the_table_says_the_cut_in_words_and_only_when_there_is_one(tmp_path: Path) -> None:
    long_note = SMALL_TALK * (MAX_CHARACTERS // len(SMALL_TALK) + 1)
    url = _workspace(tmp_path, [("long", long_note), ("short", COMPLAINT)])
    table = " ".join(_analyze(url, tmp_path).split())
    assert (
        "1 text longer than 1,000,000 characters: their themes are read from the first "
        "1,000,000 only" in " ".join(table.replace("│", " ").split())
    )
    other = tmp_path / "other"
    other.mkdir()
    url = _workspace(other, [("short", COMPLAINT)])
    assert (
        json.loads(_analyze(url, other, "--format", "json"))["texts cut for themes (this run)"] == 0
    )
    assert "cut for themes" not in _analyze(url, other)
