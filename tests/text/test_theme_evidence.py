"""How a theme's texts came to it: keyword (1.0), meaning (below 1.0) or as a whole."""

from __future__ import annotations

import numpy as np

from advocacy.text.taxonomy_file import Taxonomy, TaxonomyTheme
from advocacy.text.theme_assignment import BROAD_FALLBACK, carry_to_parents
from advocacy.text.theme_evidence import theme_evidence


def test_each_text_of_a_theme_is_counted_once_by_how_it_came() -> None:
    scores = np.array(
        [
            [1.0, 0.0, 0.0],
            [0.83, 0.0, BROAD_FALLBACK],
            [0.21, 1.0, 0.0],
            [0.0, 0.46, 0.0],
            [0.0, 0.0, BROAD_FALLBACK],
        ]
    )
    rows = theme_evidence(scores, ["Size and fit", "Quality", "General"]).to_dict("records")
    assert rows == [
        {"name": "Size and fit", "size": 3, "by_keyword": 1, "by_meaning": 2,
         "meaning_low": 0.21, "meaning_high": 0.83, "as_a_whole": 0, "from_sub_themes": 0},
        {"name": "Quality", "size": 2, "by_keyword": 1, "by_meaning": 1,
         "meaning_low": 0.46, "meaning_high": 0.46, "as_a_whole": 0, "from_sub_themes": 0},
        {"name": "General", "size": 2, "by_keyword": 0, "by_meaning": 0,
         "meaning_low": None, "meaning_high": None, "as_a_whole": 2, "from_sub_themes": 0},
    ]  # fmt: skip


def test_no_texts_give_empty_counts_not_an_error() -> None:
    rows = theme_evidence(np.zeros((0, 1)), ["Delivery"]).to_dict("records")
    assert rows == [
        {"name": "Delivery", "size": 0, "by_keyword": 0, "by_meaning": 0,
         "meaning_low": None, "meaning_high": None, "as_a_whole": 0, "from_sub_themes": 0}
    ]  # fmt: skip


def test_a_parent_counts_its_own_keyword_texts_and_its_sub_themes_apart() -> None:
    taxonomy = Taxonomy(
        (
            TaxonomyTheme("Product", keywords=("fabric",)),
            TaxonomyTheme("Size and fit", parent="Product", keywords=("size",)),
        )
    )
    own = np.array(
        [
            [1.0, 0.0],  # "the fabric": the parent's own keyword
            [0.0, 1.0],  # "the size": the child's keyword only
            [1.0, 1.0],  # both
            [0.4, 1.0],  # the parent by meaning, the child by keyword
            [0.0, 0.7],  # the child by meaning only
        ]
    )
    carried = carry_to_parents(own.copy(), taxonomy)
    rows = theme_evidence(carried, taxonomy.names, own=own).to_dict("records")
    assert rows[0] == {
        "name": "Product", "size": 5, "by_keyword": 2, "by_meaning": 1, "meaning_low": 0.4,
        "meaning_high": 0.4, "as_a_whole": 0, "from_sub_themes": 2,
    }  # fmt: skip
    assert rows[1]["by_keyword"] == 3 and rows[1]["from_sub_themes"] == 0
    # Without the own scores, the child's keyword texts read as the parent's own.
    assert theme_evidence(carried, taxonomy.names).to_dict("records")[0]["by_keyword"] == 4
