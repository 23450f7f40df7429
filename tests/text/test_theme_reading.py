"""Theme assignment reads its texts in pieces on several processes, with the same results.

:func:`advocacy.text.theme_sentences.theme_reading` cuts, embeds and searches the sentences
of fixed pieces of texts on the worker processes; the scores must be those of the whole batch
read at once, and ``themes assign`` on two workers must store what one stores.
"""

from __future__ import annotations

import resource
from pathlib import Path

import numpy as np
import pytest

import advocacy
from advocacy.settings import Settings
from advocacy.text import default_embedder
from advocacy.text.taxonomy import assign_themes, load_taxonomy
from advocacy.text.theme_sentences import PIECE_TEXTS, theme_reading
from advocacy.text.workers import can_fork, reap
from support.corpora import blitzer_reviews

needs_fork = pytest.mark.skipif(not can_fork(), reason="worker processes need fork (Linux)")

#: Written from theme names and keywords, with one theme written without keywords (its words
#: are learnt from the texts: the path that cuts the sentences into words again).
TAXONOMY = """themes:
  - name: Price
    keywords: [price, expensive, cheap, value, money]
  - name: Quality
    keywords: [quality, broke, broken, sturdy, durable]
  - name: Delivery
    keywords: [delivery, shipping, arrived, package]
  - name: Story
    keywords: [story, plot, characters, author]
  - name: Sound and picture
    description: how the sound and the picture of a film or a player are
"""
#: A compound taxonomy (entities and attributes, a vague entity): the other paths.
SEMEVAL = Path(__file__).parents[2] / "benchmarks" / "data" / "themes"
ODD_TEXTS = [
    "n/a",
    "",
    "Die Lieferung kam zu spät und der Kundendienst hat nie geantwortet.",
    "<script>alert('x')</script> =HYPERLINK(\"http://x\") terrible price",
    "a" * 9000,
    "The drinks were great. The story, the plot!!! 📦 and the price...",
]


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


@needs_fork
@pytest.mark.parametrize("taxonomy_file", [None, "semeval15_restaurants.yaml"])
def test_scores_from_pieces_on_two_workers_equal_the_whole_batch(
    shared_data: Path, tmp_path: Path, taxonomy_file: str | None
) -> None:
    texts, _ = blitzer_reviews(shared_data, 2 * PIECE_TEXTS + 150, seed=3, words=60)
    texts = [*texts[:700], *ODD_TEXTS, *texts[700:]]
    if taxonomy_file is None:
        (tmp_path / "t.yaml").write_text(TAXONOMY, encoding="utf-8")
        taxonomy = load_taxonomy(tmp_path / "t.yaml")
    else:
        taxonomy = load_taxonomy(SEMEVAL / taxonomy_file)
    languages = ["de" if "Lieferung" in text else "en" for text in texts]
    embedder = default_embedder()
    whole = assign_themes(texts, taxonomy, embedder=embedder, languages=languages)
    reap()
    before = _children_cpu()
    reading = theme_reading(texts, taxonomy, embedder=embedder, languages=languages, workers=2)
    reap()
    assert _children_cpu() > before  # a worker read some of the three pieces
    assert len(reading.cut.counts) == len(texts) == len(reading.embeddings)
    assert np.array_equal(reading.embeddings, embedder.embed(texts))
    pieced = assign_themes(texts, taxonomy, embedder=embedder, languages=languages, reading=reading)
    assert (whole > 0).any() and np.array_equal(pieced, whole)


@needs_fork
def test_themes_assign_on_two_workers_stores_the_one_process_rows(
    shared_data: Path, tmp_path: Path
) -> None:
    texts, _ = blitzer_reviews(shared_data, PIECE_TEXTS + 200, seed=4, words=60)
    (tmp_path / "t.yaml").write_text(TAXONOMY, encoding="utf-8")
    stored = []
    for workers in (1, 2):
        ws = advocacy.open(
            f"duckdb:///{tmp_path}/w{workers}.duckdb",
            settings=Settings.load(text_workers=workers),
        )
        ws.write_records(
            "responses",
            [
                {"response_id": f"r{i}", "comment": text}
                for i, text in enumerate([*texts, *ODD_TEXTS])
            ],
        )
        ws.text.analyze()
        before = _children_cpu()
        counts = ws.text.assign_themes(tmp_path / "t.yaml")
        forked = _children_cpu() > before
        assert forked == (workers == 2)  # themes assign reaps its workers
        links = ws.db.fetchall(
            "SELECT document_id, theme_id, score, origin, model FROM document_themes "
            "ORDER BY document_id, theme_id"
        )
        themes = ws.db.fetchall(
            "SELECT theme_id, name, size, quotes, model FROM themes ORDER BY theme_id"
        )
        stored.append((counts.to_dict("list"), links, themes))
        ws.close()
    assert len(stored[0][1]) > len(texts) // 2
    assert stored[1] == stored[0]


@needs_fork
def test_the_stems_a_worker_made_come_back_to_the_caller(tmp_path: Path) -> None:
    from advocacy.text.phrases import stem_words
    from advocacy.text.theme_sentences import _stems

    (tmp_path / "t.yaml").write_text(TAXONOMY, encoding="utf-8")
    taxonomy = load_taxonomy(tmp_path / "t.yaml")
    made_up = [f"quorbling{i:04d}s" for i in range(2 * PIECE_TEXTS + 10)]
    texts = [f"The price of the {word} was fair and the story good." for word in made_up]
    theme_reading(texts, taxonomy, embedder=default_embedder(), workers=2)
    known = _stems.current().get("en", {})
    assert all(
        known.get(word) == stem for word, stem in zip(made_up, stem_words(made_up), strict=True)
    )


def test_a_reading_of_other_texts_is_refused(tmp_path: Path) -> None:
    from advocacy.errors import UsageError

    (tmp_path / "t.yaml").write_text(TAXONOMY, encoding="utf-8")
    taxonomy = load_taxonomy(tmp_path / "t.yaml")
    embedder = default_embedder()
    texts = ["The price was fair.", "The plot was thin and the author rambled."]
    reading = theme_reading(texts, taxonomy, embedder=embedder)
    assert np.array_equal(
        assign_themes(texts, taxonomy, embedder=embedder, reading=reading),
        assign_themes(texts, taxonomy, embedder=embedder),
    )
    with pytest.raises(UsageError, match="other texts"):
        assign_themes(texts[::-1], taxonomy, embedder=embedder, reading=reading)
