"""A discovered theme's NPS effect is against the other commenters with content (audit finding 4).

Real product reviews (MARC English test rows) stand as survey comments, with an NPS drawn from
their stars, beside placeholder answers and respondents who wrote nothing. The listing's effect
of every theme must be the NPS of its mentioners minus that of the other commenters with
content, which is what an analyst reads from "NPS in / out".
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import advocacy
from advocacy.metrics import nps
from advocacy.report.section import ReportScope
from advocacy.report.sections.gaps import build as build_gaps

PLACEHOLDERS = ["n/a", "nothing", "No comment", "-", "none", "did not answer"]


def _survey(shared_data: Path, path: Path) -> pd.DataFrame:
    source = shared_data / "text-corpora" / "marc-amazon-multi" / "en" / "test.csv"
    with source.open(encoding="utf-8", newline="") as handle:
        # Every 12th row: the file is sorted by stars.
        reviews = [(row[1], int(row[2])) for row in list(csv.reader(handle))[::12][:400]]
    rng = np.random.default_rng(4)
    # Stars 1..5 -> NPS 0-10 with noise; placeholders and blanks are mostly passives.
    scores = [int(np.clip(2 * stars + rng.integers(-1, 1), 0, 10)) for _, stars in reviews]
    comments = [text for text, _ in reviews]
    comments += [PLACEHOLDERS[i % len(PLACEHOLDERS)] for i in range(90)] + [""] * 90
    scores += [int(rng.choice([7, 8, 9, 6])) for _ in range(180)]
    frame = pd.DataFrame(
        {
            "response_id": [f"R{i:04d}" for i in range(len(comments))],
            "submitted_at": "2025-03-01",
            "nps": scores,
            "comment": comments,
        }
    )
    frame.to_csv(path, index=False)
    return frame


def test_theme_effect_is_against_other_commenters_with_content(
    shared_data: Path, tmp_path: Path
) -> None:
    survey = _survey(shared_data, tmp_path / "survey.csv")
    with advocacy.open(tmp_path / "w.duckdb") as ws:
        ws.import_file(tmp_path / "survey.csv", kind="responses")
        ws.text.analyze()
        ws.text.discover_themes(n_themes=6)
        themes = ws.text.themes().set_index("theme_id")
        links = ws.db.ibis.table("document_themes").to_pandas()
        reasons = ws.db.ibis.table("text_features").to_pandas().set_index("document_id")
        gaps = str(build_gaps(ws, ReportScope()).body)
    content = survey[
        survey["comment"].fillna("").str.strip().ne("")
        & survey["response_id"].map(reasons["sentiment_reason"]).ne("no content")
    ]
    assert len(content) >= 390  # the reviews; the placeholders were marked no content
    assert len(themes) >= 4
    for theme_id, row in themes.iterrows():
        members = set(links.loc[links["theme_id"] == theme_id, "document_id"].astype(str))
        inside = content["response_id"].isin(members)
        expected_in = nps(content.loc[inside, "nps"]).score
        expected_out = nps(content.loc[~inside, "nps"]).score
        assert row["nps_mentioning"] == pytest.approx(expected_in)
        assert row["nps_not"] == pytest.approx(expected_out)
        assert row["effect"] == pytest.approx(expected_in - expected_out)
        assert row["effect_low"] < row["effect"] < row["effect_high"]
        assert row["n_mentioning"] + row["n_not"] == len(content)
    # The report's drivers count a non-answer as no comment, as the effects above do.
    assert f"n = {len(content):,} respondents with a comment;" in gaps
    assert "or with a non-answer such as n/a, left out" in gaps


def test_a_taxonomy_theme_is_compared_with_every_other_commenter_with_content(
    shared_data: Path, tmp_path: Path
) -> None:
    """A taxonomy leaves commenters without any theme: they are the other side too."""
    survey = _survey(shared_data, tmp_path / "survey.csv")
    taxonomy = tmp_path / "taxonomy.yaml"
    taxonomy.write_text(
        "themes:\n  - name: Price\n    keywords: [price, expensive, cheap, money]\n", "utf-8"
    )
    with advocacy.open(tmp_path / "w.duckdb") as ws:
        ws.import_file(tmp_path / "survey.csv", kind="responses")
        ws.text.analyze()
        ws.text.assign_themes(taxonomy)
        row = ws.text.themes().set_index("name").loc["Price"]
        links = ws.db.ibis.table("document_themes").to_pandas()
        reasons = ws.db.ibis.table("text_features").to_pandas().set_index("document_id")
    content = survey[
        survey["comment"].fillna("").str.strip().ne("")
        & survey["response_id"].map(reasons["sentiment_reason"]).ne("no content")
    ]
    mentioning = content["response_id"].isin(set(links["document_id"]))
    assert 0 < mentioning.sum() < len(content) / 2  # most commenters have no theme here
    assert row["n_mentioning"] == mentioning.sum()
    assert row["n_not"] == len(content) - mentioning.sum()
    assert row["nps_not"] == pytest.approx(nps(content.loc[~mentioning, "nps"]).score)
