"""A parent theme's evidence on real reviews: its own keyword texts, its sub-themes' apart.

``text assign-themes`` once counted every text a sub-theme's keyword gave a parent as the
parent's "by keyword" (review5 item 4: a parent without keywords showed 254 by keyword), so a
user would add keywords to the wrong theme. Checked against an independent count of the texts
that say one of the parent's own words, on the clothing reviews of ``../shared/data``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pandas as pd

import advocacy
from support.cli import advocacy_cli

TAXONOMY = """\
themes:
- name: Garment
  keywords: [fabric, material]
- name: Size and fit
  parent: Garment
  keywords: [size, fit, small, tight]
- name: Colour
  parent: Garment
  keywords: [color, colour]
- name: Price
  keywords: [price, expensive]
"""
#: The parent's own words: its keywords and its name, as whole words (a plural "s" allowed).
GARMENT_WORDS = re.compile(r"\b(?:fabric|material|garment)s?\b", re.IGNORECASE)
REVIEWS = 400


def test_a_parent_shows_its_own_keyword_texts_and_its_sub_themes_apart(
    shared_data: Path, tmp_path: Path
) -> None:
    frame = pd.read_csv(shared_data / "clothing-reviews" / "womens-clothing-reviews-first-1000.csv")
    texts = frame["Review Text"].dropna().astype(str).tolist()[:REVIEWS]
    db = f"duckdb:///{tmp_path}/w.duckdb"
    with advocacy.open(db) as ws:
        ws.write_records(
            "responses", [{"response_id": f"r{i}", "comment": t} for i, t in enumerate(texts)]
        )
    (tmp_path / "tax.yaml").write_text(TAXONOMY, encoding="utf-8")
    run = advocacy_cli("text", "assign-themes", "--taxonomy", "tax.yaml", "--format", "json",
                       "--db", db, cwd=tmp_path)  # fmt: skip
    assert run.returncode == 0, run.stderr
    rows = {row["name"]: row for row in json.loads(run.stdout)}
    garment = rows["Garment"]
    saying = sum(1 for text in texts if GARMENT_WORDS.search(text))
    assert garment["by_keyword"] == saying
    children = rows["Size and fit"]["size"]
    assert garment["from_sub_themes"] > children // 4  # the many fit texts say no fabric word
    own = garment["by_keyword"] + garment["by_meaning"] + garment["as_a_whole"]
    assert own + garment["from_sub_themes"] == garment["size"]
    assert all(row["from_sub_themes"] == 0 for row in rows.values() if row["name"] != "Garment")

    table = advocacy_cli("text", "assign-themes", "--taxonomy", "tax.yaml", "--db", db,
                         cwd=tmp_path, env={"COLUMNS": "200"})  # fmt: skip
    assert "from sub-themes" in table.stdout
    assert str(garment["from_sub_themes"]) in table.stdout.split("Garment", 1)[1].splitlines()[0]
    listed = advocacy_cli("text", "assign-themes", "--taxonomy", "tax.yaml", "--format", "csv",
                          "--db", db, cwd=tmp_path)  # fmt: skip
    parsed = {row["name"]: row for row in csv.DictReader(io.StringIO(listed.stdout))}
    assert int(parsed["Garment"]["from_sub_themes"]) == garment["from_sub_themes"]
    assert int(parsed["Garment"]["by_keyword"]) == saying
