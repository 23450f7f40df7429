"""`advocacy text themes` on reviews the model does not read (audit3 F8): the CLI said only "no
sentiment 100%" where the report's and the web's cards say what the writers' stars imply, and
kept empty NPS columns for reviews without an NPS. Real Portuguese reviews (Olist) with stars."""

from __future__ import annotations

import json
from pathlib import Path

import advocacy
from support.cli import advocacy_cli
from support.corpora import olist_reviews_with_stars


def test_themes_of_unread_reviews_say_what_their_stars_imply(
    shared_data: Path, tmp_path: Path
) -> None:
    path = tmp_path / "reviews.csv"
    stars = olist_reviews_with_stars(shared_data, path, 200)
    database = str(tmp_path / "advocacy.duckdb")
    with advocacy.open(database) as ws:
        ws.import_file(path, kind="mentions", cases=False)
        ws.text.analyze()
        ws.text.discover_themes()
        members = ws.text.theme_members()
    shown = advocacy_cli("text", "themes", "--format", "json", "--db", database)
    assert shown.returncode == 0, shown.stderr
    rows = json.loads(shown.stdout)
    assert rows
    for row in rows:
        given = [stars[doc] for theme, _, doc in members if theme == row["theme_id"]]
        shares = [
            round(100 * sum(low <= star <= high for star in given) / len(given))
            for low, high in ((1, 2), (3, 3), (4, 5))
        ]
        assert row["sentiment"] == "no sentiment 100%"
        assert row["by_scores"] == (
            f"negative {shares[0]}%, neutral {shares[1]}%, positive {shares[2]}% "
            f"(of {len(given):,} with a score)"
        )
    table = advocacy_cli("text", "themes", "--db", database)
    assert table.returncode == 0, table.stderr
    assert "scores:" in table.stdout and "with a score)" in table.stdout  # wrapped in its cell
    assert "NPS effect" not in table.stdout  # no NPS in these reviews: no empty NPS columns
