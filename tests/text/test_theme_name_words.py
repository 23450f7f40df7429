"""A word of a theme's name that any text says marks no theme (audit4 item 4).

"Ease of use" gave its name's "use" as a seed keyword: 1,291 of 3,000 Amazon reviews got the
theme, 435 of them only through "use/used/using" ("Used these in my woodshop" at 1.0). A name
word that cannot name a theme on its own in the text's language (the stop words discovered
themes are never named by) is no seed there; a keyword the user wrote always is.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import numpy as np

import advocacy
from advocacy.settings import Settings
from advocacy.text.embeddings import default_embedder
from advocacy.text.taxonomy import Taxonomy, TaxonomyTheme, assign_themes, keyword_hits
from advocacy.text.theme_sentences import theme_reading
from support.cli import advocacy_cli
from support.corpora import blitzer_reviews

#: The audit's taxonomy's theme (its keywords as the audit's analyst wrote them) and another.
EASE = TaxonomyTheme("Ease of use", keywords=("easy", "instructions", "setup", "difficult"))
PRICE = TaxonomyTheme("Price", keywords=("price", "expensive", "cheap", "value", "money"))
TAXONOMY = Taxonomy((PRICE, EASE))
TEXTS = [
    "Used these in my woodshop.",
    "I use it every day at work.",
    "Very easy to use, the instructions were clear.",
    "The ease of it surprised me.",
    "Too expensive for what it is.",
]
#: The words of the theme the analyst meant: its keywords and "ease", in any form.
MEANT = re.compile(r"\b(eas(e|y|ier|iest|ily)|instruct\w*|setups?|difficult\w*)\b", re.I)


def test_a_generic_name_word_marks_no_theme_by_keyword() -> None:
    hits = keyword_hits(TEXTS, TAXONOMY, languages=["en"] * len(TEXTS))
    assert hits[:, 1].tolist() == [False, False, True, True, False]
    assert hits[:, 0].tolist() == [False, False, False, False, True]


def test_with_meaning_a_generic_name_word_gives_no_keyword_score() -> None:
    # 1.0 is a keyword's score; the sentences that say only "use" get at most what their
    # meaning gives, the ones that say a keyword or "ease" keep 1.0.
    scores = assign_themes(
        TEXTS, TAXONOMY, embedder=default_embedder(), languages=["en"] * len(TEXTS)
    )
    assert (scores[:2, 1] < 1.0).all()
    assert scores[2:4, 1].tolist() == [1.0, 1.0]
    # The same from a reading made beforehand (as text analyze's workers make it, with every
    # seed's hits kept): the generic word's hits are taken out of it too.
    embedder = default_embedder()
    languages = ["en"] * len(TEXTS)
    reading = theme_reading(TEXTS, TAXONOMY, embedder=embedder, languages=languages)
    assert reading.found is not None and reading.found[:2, 1].all()  # kept as read
    again = assign_themes(TEXTS, TAXONOMY, embedder=embedder, languages=languages, reading=reading)
    assert np.array_equal(again, scores)


def test_a_keyword_the_user_wrote_always_counts() -> None:
    written = Taxonomy((PRICE, TaxonomyTheme("Ease of use", keywords=("easy", "use"))))
    hits = keyword_hits(TEXTS, written, languages=["en"] * len(TEXTS))
    assert hits[:, 1].tolist() == [True, True, True, True, False]


def test_a_word_generic_in_one_language_still_marks_in_another() -> None:
    # French "car" is "because": a French text says it about anything, an English one means a car.
    taxonomy = Taxonomy((TaxonomyTheme("Car hire"), TaxonomyTheme("Price", keywords=("price",))))
    texts = ["The car was dirty.", "Je suis parti car il pleuvait.", "The car was dirty."]
    hits = keyword_hits(texts, taxonomy, languages=["en", "fr", None])
    assert hits[:, 0].tolist() == [True, False, True]


def test_a_stop_word_that_names_what_customers_write_about_still_marks_its_theme() -> None:
    # stopwords-iso lists "look", "front", "opening" and "points"; in "Look and feel", "Front
    # desk", "Opening hours" and "Loyalty points" they are the theme itself.
    themes = ("Look and feel", "Front desk", "Opening hours", "Loyalty points")
    taxonomy = Taxonomy(tuple(TaxonomyTheme(name) for name in themes))
    texts = [
        "It looks cheap.",
        "The lady at the front was rude.",
        "Their opening times are odd.",
        "I never got my points.",
    ]
    hits = keyword_hits(texts, taxonomy, languages=["en"] * len(texts))
    assert np.array_equal(hits, np.eye(4, dtype=bool))


def _meant(ws: Any, theme: str) -> tuple[int, list[str]]:
    """How many texts have ``theme`` at a keyword's score, and those whose words do not say it."""
    rows = ws.db.fetchall(
        "SELECT r.comment FROM document_themes d JOIN responses r "
        "ON r.response_id = d.document_id WHERE d.theme_id = ? AND d.score = 1.0",
        [f"curated:{theme}"],
    )
    return len(rows), [text for (text,) in rows if not MEANT.search(text)]


def test_real_reviews_get_ease_of_use_only_from_its_own_words(
    shared_data: Path, tmp_path: Path
) -> None:
    texts, _ = blitzer_reviews(shared_data, 400, seed=3, words=60)
    taxonomy = tmp_path / "taxonomy.yaml"
    taxonomy.write_text(
        "themes:\n"
        "  - name: Price\n    keywords: [price, expensive, cheap, value, money]\n"
        "  - name: Ease of use\n    keywords: [easy, instructions, setup, difficult]\n",
        encoding="utf-8",
    )
    path = tmp_path / "w.duckdb"
    ws = advocacy.open(f"duckdb:///{path}", settings=Settings.load(text_workers=1))
    ws.write_records(
        "responses", [{"response_id": f"r{i:04d}", "comment": t} for i, t in enumerate(texts)]
    )
    ws.close()
    said = sum(bool(re.search(r"\bus(e|ed|es|ing)\b", t, re.I)) for t in texts)
    assert said > 60  # real reviews say "use" all the time
    common = ("text", "analyze", "--taxonomy", str(taxonomy), "--db", str(path))
    outcome = advocacy_cli(*common, "--format", "json")
    assert outcome.returncode == 0, outcome.stderr
    sizes = {row["name"]: row["size"] for row in json.loads(outcome.stdout)["themes"]}
    ws = advocacy.open(f"duckdb:///{path}")
    by_keyword, unmeant = _meant(ws, "Ease of use")
    ws.close()
    # Every text the theme has at a keyword's score says one of its own words.
    assert unmeant == [] and 0 < by_keyword < said
    assert sizes["Ease of use"] < said
