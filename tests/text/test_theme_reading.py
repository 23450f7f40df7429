"""Theme assignment reads its texts in pieces on several processes, with the same results.

:func:`advocacy.text.theme_sentences.theme_reading` cuts, embeds and searches the sentences
of fixed pieces of texts on the worker processes; the scores must be those of the whole batch
read at once, and ``themes assign`` on two workers must store what one stores.
"""

from __future__ import annotations

import resource
from collections.abc import Sequence
from functools import partial
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

import advocacy
from advocacy.settings import Settings
from advocacy.text import default_embedder
from advocacy.text.enrich import pieces
from advocacy.text.taxonomy import assign_themes, load_taxonomy
from advocacy.text.theme_sentences import PIECE_TEXTS, theme_reading
from advocacy.text.workers import can_fork, reap, run_tasks
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


class _Counting:
    """The shipped embedder, counting the texts it embeds."""

    def __init__(self) -> None:
        self.inner = default_embedder()
        self.name, self.dimension, self.embedded = self.inner.name, self.inner.dimension, 0

    def embed(self, texts: Sequence[str]) -> NDArray[np.float32]:
        self.embedded += len(texts)
        return self.inner.embed(texts)


@needs_fork
def test_the_reading_takes_what_text_analyze_embedded_exactly_and_nothing_else(
    shared_data: Path, tmp_path: Path
) -> None:
    """``text analyze``'s embedding of a text or sentence where nothing was negated is the
    embedder's own, bit for bit: theme assignment in the same process does not embed it again.
    Where a negation split the text, the analysis' vector differs and is not taken."""
    from advocacy.text.enrich import read_piece
    from advocacy.text.theme_sentences import forget_embeddings

    texts, _ = blitzer_reviews(shared_data, 2 * PIECE_TEXTS + 100, seed=5, words=60)
    negated = "Don't -- just don't.. The price was fair, the story not worth reading."
    texts = [negated, *texts, *ODD_TEXTS]
    (tmp_path / "t.yaml").write_text(TAXONOMY, encoding="utf-8")
    taxonomy = load_taxonomy(tmp_path / "t.yaml")
    forget_embeddings()
    fresh = theme_reading(texts, taxonomy, embedder=(counting := _Counting()))
    unread = counting.embedded
    analysed = run_tasks(
        [partial(read_piece, texts[piece.start : piece.stop]) for piece in pieces(len(texts))],
        workers=2,
    )
    first = analysed[0][0].reading
    assert first.plain is not None and not first.plain[0] and first.plain.sum() > 100
    assert not np.array_equal(first.embeddings[0], default_embedder().embed([negated])[0])
    again = theme_reading(texts, taxonomy, embedder=(counting := _Counting()))
    assert counting.embedded < unread / 3  # the workers' embeddings came back too
    for field in ("embeddings", "vectors"):
        assert np.array_equal(getattr(again, field), getattr(fresh, field)), field
    assert again.found is not None and fresh.found is not None
    assert np.array_equal(again.found, fresh.found)
    forget_embeddings()


@needs_fork
def test_themes_assigned_after_text_analyze_are_those_of_a_process_that_did_not_analyse(
    shared_data: Path, tmp_path: Path
) -> None:
    from advocacy.text.theme_sentences import forget_embeddings

    texts, _ = blitzer_reviews(shared_data, PIECE_TEXTS + 200, seed=6, words=60)
    (tmp_path / "t.yaml").write_text(TAXONOMY, encoding="utf-8")
    ws = advocacy.open(f"duckdb:///{tmp_path}/w.duckdb", settings=Settings.load(text_workers=2))
    ws.write_records(
        "responses",
        [
            {"response_id": f"r{i}", "comment": text, "nps": i % 11}
            for i, text in enumerate([*texts, *ODD_TEXTS])
        ],
    )
    ws.text.analyze()
    stored = []
    for _ in range(2):
        ws.text.assign_themes(tmp_path / "t.yaml")
        stored.append(
            ws.db.fetchall(
                "SELECT document_id, theme_id, score, origin, model FROM document_themes "
                "ORDER BY document_id, theme_id"
            )
        )
        forget_embeddings()  # the second assignment embeds every text and sentence itself
    ws.close()
    assert len(stored[0]) > len(texts) // 2
    assert stored[1] == stored[0]
