"""`advocacy text themes` on reviews (no NPS, CSAT or CES) carries each theme's effect on the
rating, the one the report and the web's cards lead with (review27 finding 10: the CLI and its
CSV had no effect at all for reviews), with the same interval and Holm-corrected p-value."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

import advocacy
from advocacy import display
from advocacy.text.theme_ratings import theme_rating_effects
from support.cli import advocacy_cli
from support.rated_reviews import analysed_reviews


def test_reviews_themes_carry_their_rating_effect(tmp_path: Path) -> None:
    database = analysed_reviews(
        tmp_path,
        "themes:\n  - name: Sizing\n    keywords: [small, size]\n"
        "  - name: Price\n    keywords: [price]\n",
    )
    with advocacy.open(database) as ws:
        effects = theme_rating_effects(ws.db, ws.settings.confidence).set_index("theme_id")
    assert "curated:Sizing" in effects.index
    sizing = effects.loc["curated:Sizing"]

    machine = advocacy_cli("text", "themes", "--format", "json", "--db", database)
    assert machine.returncode == 0, machine.stderr
    rows = {row["theme_id"]: row for row in json.loads(machine.stdout)}
    for column in ("rating_effect", "rating_effect_low", "rating_effect_high", "rating_p_value"):
        assert rows["curated:Sizing"][column] == pytest.approx(sizing[column])
    assert rows["curated:Sizing"]["rating_n_mentioning"] == int(sizing["rating_n_mentioning"])
    # Holm over the themes tested: never below the theme's own p-value.
    assert rows["curated:Sizing"]["rating_p_adjusted"] >= sizing["rating_p_value"]

    spreadsheet = advocacy_cli("text", "themes", "--format", "csv", "--db", database)
    assert spreadsheet.returncode == 0, spreadsheet.stderr
    cells = {row["theme_id"]: row for row in csv.DictReader(io.StringIO(spreadsheet.stdout))}
    assert float(cells["curated:Sizing"]["rating_effect"]) == pytest.approx(sizing["rating_effect"])

    shown = advocacy_cli("text", "themes", "--db", database, env={"COLUMNS": "200"})
    assert shown.returncode == 0, shown.stderr
    table = " ".join(shown.stdout.split())
    assert "rating effect [95% interval]" in table
    low, high = sizing["rating_effect_low"], sizing["rating_effect_high"]
    digits = display.digits_for(low, high)
    shown_effect = (
        f"{display.signed(sizing['rating_effect'], digits)} [{display.signed(low, digits)}, "
        f"{display.signed(high, digits)}]"
    )
    assert shown_effect in table, table
