"""A user's own taxonomy on real reviews: its descriptions describe, its keywords mark.

The taxonomy is one a user wrote (last session's usability audit, finding 9): five themes with a
description and keywords each. The texts are real Amazon reviews (MARC, English test file).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
import yaml

import advocacy
from advocacy.errors import InputError
from advocacy.text.embeddings import default_embedder
from advocacy.text.taxonomy import assign_themes, load_taxonomy, parse_taxonomy
from support.cli import Outcome, advocacy_cli

TAXONOMY = """
themes:
- name: Delivery
  description: the order arriving late, not arriving, or damaged in shipping
  keywords: [delivery, shipping, arrived, late]
- name: Size and fit
  description: clothes or shoes too small, too big, or not fitting
  keywords: [size, fit, small, tight]
- name: Price and value
  description: too expensive, cheap, worth the money
  keywords: [price, expensive, value, money]
- name: Customer service
  description: contacting the seller, refunds, returns, support staff
  keywords: [refund, customer service, support, return]
- name: Quality
  description: the product broke, stopped working, poor materials
  keywords: [broke, quality, cheap, stopped working]
"""


def _reviews(shared_data: Path, *ids: str) -> list[str]:
    """The texts of the MARC English test reviews with these ids (the file's first column)."""
    path = shared_data / "text-corpora" / "marc-amazon-multi" / "en" / "test.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        texts = {row[0]: row[1] for row in csv.reader(handle)}
    return [texts[i] for i in ids]


@pytest.fixture
def themes_of(tmp_path: Path, shared_data: Path) -> dict[str, dict[str, float]]:
    """Each review's themes and scores, as the user's taxonomy file assigns them."""
    path = tmp_path / "taxonomy.yaml"
    path.write_text(TAXONOMY, encoding="utf-8")
    taxonomy = load_taxonomy(path)
    texts = _reviews(shared_data, "3743", "2851", "3630", "4772", "592", "2420")
    scores = assign_themes(texts, taxonomy, embedder=default_embedder())
    return {
        text: {taxonomy.names[j]: float(row[j]) for j in np.flatnonzero(row > 0)}
        for text, row in zip(texts, scores, strict=True)
    }


def test_a_word_of_a_description_does_not_give_its_theme_to_a_text_about_something_else(
    themes_of: dict[str, dict[str, float]],
) -> None:
    # "order" is in Delivery's description ("the order arriving late"), "clothes" in Size and
    # fit's: neither review is about delivery or size.
    order = themes_of["I always order a larger size because it shrinks like crazy."]
    assert order == {"Size and fit": 1.0}  # "size", a keyword
    assert themes_of["It does NOT come out of your clothes."] == {}


def test_a_word_of_a_description_is_weaker_evidence_than_a_keyword(
    themes_of: dict[str, dict[str, float]],
) -> None:
    # "shoes" and "working" are in the descriptions, not the keywords: where the sentence's
    # meaning is near the theme it keeps it, at that similarity, never a keyword's full score.
    shoes = themes_of["Very comfortable shoes."]
    working = themes_of["Works great for my use."]
    assert shoes.get("Size and fit", 0.0) < 1 and set(shoes) <= {"Size and fit"}
    assert working.get("Quality", 0.0) < 1 and set(working) <= {"Quality"}
    # The same words as keywords do mark those texts at 1.0: the checks above can fail.
    keyed = parse_taxonomy(
        yaml.safe_load(
            TAXONOMY.replace(
                "[size, fit, small, tight]", "[size, fit, small, tight, shoes]"
            ).replace("[broke, quality, cheap, stopped working]", "[broke, quality, working]")
        )
    )
    texts = ["Very comfortable shoes.", "Works great for my use."]  # real, as themes_of read
    scores = assign_themes(texts, keyed, embedder=default_embedder())
    for text, row in zip(texts, scores, strict=True):
        theme = "Size and fit" if "shoes" in text else "Quality"
        assert row[keyed.names.index(theme)] == 1.0
    # A keyword still marks its theme at 1.0, and a described word its theme where meant.
    assert themes_of["Nice size Used on vacation Kept my clothes organized and clean"] == {
        "Size and fit": 1.0
    }
    damaged = themes_of["All of the boards came damaged."]
    assert set(damaged) == {"Delivery"} and 0 < damaged["Delivery"] < 1


def _assign_cli(tmp_path: Path, taxonomy: str) -> Outcome:
    path = tmp_path / "taxonomy.yaml"
    path.write_text(taxonomy, encoding="utf-8")
    workspace = tmp_path / "ws.duckdb"
    advocacy.open(str(workspace), create=True).close()
    return advocacy_cli("text", "assign-themes", "--taxonomy", str(path), "--db", str(workspace))


def test_a_theme_with_nothing_to_read_is_refused_with_the_fix(tmp_path: Path) -> None:
    assigned = _assign_cli(tmp_path, TAXONOMY + "- name: X\n")
    assert assigned.returncode == 1
    assert "line 18: themes[6].name: theme 'X' has no keywords, description or examples" in (
        assigned.stderr
    )
    assert "fix: rename it to what it covers, or add 'keywords: [...]'" in assigned.stderr


def test_a_theme_written_as_a_name_alone_loads_with_one_warning_line(tmp_path: Path) -> None:
    assigned = _assign_cli(tmp_path, TAXONOMY + "- name: Mystery\n- name: Returns\n")
    assert assigned.returncode == 0, assigned.stderr
    warnings = [line for line in assigned.stderr.splitlines() if line.startswith("warning:")]
    assert warnings == [
        f"warning: theme {name!r} is written as a name alone: the words of its name (its "
        "texts 'by keyword') and their meaning assign it; add keywords or a description to "
        "steer it"
        for name in ("Mystery", "Returns")
    ]


@pytest.mark.parametrize(
    "names",
    [
        # Taxonomies written from theme names (the review of the taxfit lane): names another
        # theme's name shares, two-letter names and names in other scripts all load.
        ["Size", "Fit", "Sizing and fit"],
        ["Delivery", "Late delivery", "Price"],
        ["Food quality", "Food prices", "Service quality", "Service speed"],
        ["UI", "UX", "Price"],
        ["TV", "Remote", "Sound"],
        ["配送", "品質", "価格"],
        # Words that are stop words in another language are names here (German "hat").
        ["Hat", "Over", "Other"],
    ],
)
def test_taxonomies_written_from_theme_names_load(names: list[str]) -> None:
    taxonomy = parse_taxonomy({"themes": [{"name": name} for name in names]})
    assert taxonomy.name_only() == names


@pytest.mark.parametrize("bare", ["???", "X", "12"])
def test_a_name_with_no_word_to_read_is_refused(bare: str) -> None:
    themes = [{"name": "Delivery"}, {"name": bare}]
    with pytest.raises(InputError, match=r"themes\[2\]\.name: theme .* has no keywords"):
        parse_taxonomy({"themes": themes})
    # With a description or keywords it loads.
    parse_taxonomy({"themes": [{"name": "Delivery"}, {"name": bare, "keywords": ["misc"]}]})


def test_a_theme_written_as_a_name_alone_is_marked_by_its_name(shared_data: Path) -> None:
    # A taxonomy written from theme names is a supported way to start: nothing is refused.
    taxonomy = parse_taxonomy({"themes": [{"name": "Delivery"}, {"name": "Size"}]})
    texts = _reviews(shared_data, "3743")
    scores = assign_themes(texts, taxonomy, embedder=default_embedder())
    assert scores.tolist() == [[0.0, 1.0]]


def test_assign_themes_says_per_theme_how_many_texts_came_by_keyword_or_by_meaning(
    tmp_path: Path, shared_data: Path, themes_of: dict[str, dict[str, float]]
) -> None:
    # The six real reviews: two say Size and fit's keyword "size", "Very comfortable shoes."
    # has it by meaning only (its description's "shoes"), "All of the boards came damaged."
    # Delivery by meaning, "Works great for my use." Quality by meaning.
    path = tmp_path / "taxonomy.yaml"
    path.write_text(TAXONOMY, encoding="utf-8")
    workspace = tmp_path / "ws.duckdb"
    ws = advocacy.open(str(workspace), create=True)
    ws.write_records(
        "responses",
        [{"response_id": f"r{i}", "comment": text} for i, text in enumerate(themes_of)],
    )
    ws.close()
    common = ("text", "assign-themes", "--taxonomy", str(path), "--db", str(workspace))
    listed = advocacy_cli(*common, "--format", "json")
    assert listed.returncode == 0, listed.stderr
    rows = {row["name"]: row for row in json.loads(listed.stdout)}

    def meant(theme: str) -> list[float]:
        return [s[theme] for s in themes_of.values() if 0 < s.get(theme, 0) < 1]

    for theme in ("Size and fit", "Delivery", "Quality"):
        scores = meant(theme)
        keyed = sum(s.get(theme) == 1.0 for s in themes_of.values())
        assert (rows[theme]["by_keyword"], rows[theme]["by_meaning"]) == (keyed, len(scores))
        assert rows[theme]["size"] == keyed + len(scores)
        assert rows[theme]["meaning_low"] == round(min(scores), 2)
        assert rows[theme]["meaning_high"] == round(max(scores), 2)
    assert (rows["Size and fit"]["by_keyword"], rows["Size and fit"]["by_meaning"]) == (2, 1)
    assert rows["Delivery"]["by_keyword"] == 0 and rows["Delivery"]["by_meaning"] == 1
    assert rows["Price and value"] | {"theme_id": None} == {
        "theme_id": None,
        "name": "Price and value",
        "parent": None,
        "size": 0,
        "by_keyword": 0,
        "by_meaning": 0,
        "meaning_low": None,
        "meaning_high": None,
        "as_a_whole": 0,
        "from_sub_themes": 0,
    }
    table = advocacy_cli(*common)  # 80 columns: every count, and no parent column unused
    assert table.returncode == 0, table.stderr
    assert "by keyword" in table.stdout and "by meaning alone" in table.stdout
    assert "parent" not in table.stdout and "as a whole" not in table.stdout
    size_row = next(line for line in table.stdout.splitlines() if "Size and fit" in line)
    low = f"{rows['Size and fit']['meaning_low']:.2f}"
    assert [cell.strip() for cell in size_row.strip("│ ").split("│")][:5] == [
        "Size and fit", "3", "2", "1", low,
    ]  # fmt: skip
