"""Every path that shows a theme's NPS effect gives the same numbers on a taxonomy workspace.

The listing (``ws.text.themes``), the CLI (``text themes``), the export (``export analysis
themes``) and the engine path (:func:`~advocacy.text.theme_aggregates.engine_theme_impact`, the
one Spark runs) must compare a theme's mentioners with every other commenter with content:
commenters whose comment carries no theme, or only a theme not entered, are the other side;
people who wrote nothing or a non-answer are on neither (reportfix review D2: the engine path
counted only commenters with a theme, so a taxonomy that leaves praise unthemed gave n_not 0).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd
import pytest

import advocacy
from advocacy.text.theme_aggregates import engine_theme_impact
from support.cli import advocacy_cli

COLUMNS = ["nps_mentioning", "nps_not", "effect", "effect_low", "effect_high"]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("paths")
    rows = (
        [("The price is far too high", nps) for nps in [0, 2, 4, 6, 9] * 4]  # Price, 20
        + [("Shipping took three weeks", nps) for nps in [1, 3, 5, 7, 10] * 4]  # Delivery, 20
        + [("The courier was rude to me", nps) for nps in [0, 8] * 5]  # Delivery, 10
        + [("The app is easy to use and quick", nps) for nps in [9, 10, 8, 10, 7] * 10]  # none
        + [("n/a", nps) for nps in [7, 8, 6, 9] * 10]  # a non-answer: no comment
        + [("", nps) for nps in [8, 7] * 5]  # no comment
    )
    with (folder / "s.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["comment", "nps", "submitted_at"])
        writer.writerows((text, nps, "2026-01-15") for text, nps in rows)
    taxonomy = folder / "taxonomy.yaml"
    taxonomy.write_text(
        "themes:\n"
        "  - name: Price\n    keywords: [price, expensive]\n"
        "  - name: Delivery\n    keywords: [shipping, courier, delivery]\n",
        encoding="utf-8",
    )
    with advocacy.open(folder / "w.duckdb") as ws:
        ws.import_file(folder / "s.csv", kind="responses")
        ws.text.analyze()
        ws.text.assign_themes(taxonomy)
    return folder


def test_listing_cli_export_and_engine_agree(workspace: Path) -> None:
    database = str(workspace / "w.duckdb")
    with advocacy.open(database) as ws:
        listing = ws.text.themes().set_index("theme_id")
        responses, links = ws.db.ibis.table("responses"), ws.db.ibis.table("document_themes")
        engine = engine_theme_impact(responses, links).set_index("theme")
        # Only Price entered: the Delivery commenters are still Price's other side.
        alone = engine_theme_impact(responses, links, themes=["curated:Price"]).set_index("theme")
    shown = advocacy_cli("text", "themes", "--format", "csv", "--db", database)
    assert shown.returncode == 0, shown.stderr
    cli = pd.read_csv(io.StringIO(shown.stdout)).set_index("theme_id")
    out = workspace / "themes.csv"
    written = advocacy_cli("export", "analysis", "themes", "--out", str(out), "--db", database)
    assert written.returncode == 0, written.stderr
    exported = pd.read_csv(out).set_index("theme_id")

    # By hand: 100 commenters with content (20 price, 30 delivery, 50 unthemed praise).
    assert listing.loc["curated:Price", ["n_mentioning", "n_not"]].tolist() == [20, 80]
    assert listing.loc["curated:Delivery", ["n_mentioning", "n_not"]].tolist() == [30, 70]
    # Price: 4 detractors and 1 promoter in 5. The others: 17 detractors, 34 promoters of 80.
    assert listing.loc["curated:Price", "nps_mentioning"] == pytest.approx(-60.0)
    assert listing.loc["curated:Price", "nps_not"] == pytest.approx(100 * (34 - 17) / 80)
    for theme in ("curated:Price", "curated:Delivery"):
        expected = listing.loc[theme, ["n_mentioning", "n_not", *COLUMNS]]
        assert engine.loc[theme, expected.index].tolist() == pytest.approx(expected.tolist())
        assert exported.loc[theme, expected.index].tolist() == pytest.approx(expected.tolist())
        assert cli.loc[theme, COLUMNS].tolist() == pytest.approx(expected[COLUMNS].tolist())
    assert alone.loc["curated:Price"].tolist() == pytest.approx(
        engine.loc["curated:Price"].tolist()
    )


def test_engine_reads_non_answers_and_long_comments(workspace: Path) -> None:
    from advocacy.text.theme_aggregates import theme_patterns

    with advocacy.open(workspace / "w.duckdb") as ws:
        patterns = theme_patterns(
            ws.db.ibis.table("responses"), ws.db.ibis.table("document_themes")
        )
    counted = patterns.groupby("commented")["respondents"].sum().to_dict()
    assert counted == {True: 100, False: 50}  # 40 "n/a" and 10 blank are no comment
    assert json.dumps(patterns.attrs["themes"]) == '["curated:Delivery", "curated:Price"]'
