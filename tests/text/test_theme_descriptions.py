"""A user's own taxonomy on real reviews: its descriptions describe, its keywords mark.

The taxonomy is one a user wrote (last session's usability audit, finding 9): five themes with a
description and keywords each. The texts are real Amazon reviews (MARC, English test file).
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

import advocacy
from advocacy.errors import InputError
from advocacy.text.embeddings import default_embedder
from advocacy.text.taxonomy import assign_themes, load_taxonomy, parse_taxonomy
from support.cli import advocacy_cli

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
    assert set(shoes) <= {"Size and fit"} and all(0 < s < 1 for s in shoes.values())
    assert set(working) <= {"Quality"} and all(0 < s < 1 for s in working.values())
    # A keyword still marks its theme at 1.0, and a described word its theme where meant.
    assert themes_of["Nice size Used on vacation Kept my clothes organized and clean"] == {
        "Size and fit": 1.0
    }
    damaged = themes_of["All of the boards came damaged."]
    assert set(damaged) == {"Delivery"} and 0 < damaged["Delivery"] < 1


def test_a_theme_nothing_could_mark_is_refused_with_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "taxonomy.yaml"
    path.write_text(TAXONOMY + "- name: X\n", encoding="utf-8")
    workspace = tmp_path / "ws.duckdb"
    advocacy.open(str(workspace), create=True).close()
    assigned = advocacy_cli(
        "text", "assign-themes", "--taxonomy", str(path), "--db", str(workspace)
    )
    assert assigned.returncode == 1
    assert "line 18: themes[6].name: theme 'X' has no keywords, description or examples" in (
        assigned.stderr
    )
    assert "fix: add 'keywords: [...]'" in assigned.stderr


@pytest.mark.parametrize(
    "themes",
    [
        [{"name": "Delivery"}, {"name": "Other"}],  # a stop word
        [{"name": "Prices"}, {"name": "Price", "keywords": ["cost"]}],  # another theme's word
    ],
)
def test_themes_that_no_word_marks_are_refused(themes: list[dict[str, object]]) -> None:
    with pytest.raises(InputError, match=r"themes\[\d\]\.name: theme '(Other|Prices)' has no"):
        parse_taxonomy({"themes": themes})


def test_a_theme_written_as_a_name_alone_is_marked_by_its_name(shared_data: Path) -> None:
    # A taxonomy written from theme names is a supported way to start: nothing is refused.
    taxonomy = parse_taxonomy({"themes": [{"name": "Delivery"}, {"name": "Size"}]})
    texts = _reviews(shared_data, "3743")
    scores = assign_themes(texts, taxonomy, embedder=default_embedder())
    assert scores.tolist() == [[0.0, 1.0]]
