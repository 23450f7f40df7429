"""The static embedder reads each text's pieces as the tokenizer itself splits them.

:meth:`advocacy.text.embeddings.StaticEmbedder.token_rows` splits words as the shipped
tokenizer's Metaspace pre-tokenizer does and tokenises each distinct word once; the check is
the tokenizer's own ``encode_batch_fast`` on real reviews in six languages (two without spaces
between words) and on hostile strings. The shipped embedder also reads the English words of
``models/words_en.npz`` whole (``test_whole_words.py``), so the comparison is made with the same
pieces and tokenizer without them.
"""

from __future__ import annotations

import csv
import multiprocessing
import os
import re
from functools import lru_cache

import numpy as np
import pytest

from advocacy.text import embeddings
from advocacy.text.embeddings import StaticEmbedder, TokenRows, default_embedder
from advocacy.text.workers import can_fork, run_tasks
from support.corpora import blitzer_reviews

HOSTILE = [
    "",
    " ",
    "   ",
    "  two  spaces  ",
    "\u2581",
    "a\u2581 b\u2581\u2581c \u2581",
    "tab\there\nnew line\r\nend",
    "\ufb01ne \uff46\uff55\uff4c\uff4c\u3000width",  # ligature, full-width letters and space
    "e\u0301 \u00b4x \u0301",  # combining marks; NFKC turns the spacing acute into " \u0301"
    "\u00a0nbsp\u00a0 x\u2009thin",
    "emoji \U0001f600\U0001f44d\U0001f3fd ok",
    '=HYPERLINK("http://x")<script>alert(1)</script>',
    "\x00\x01 control \x7f",
    "word" * 2000,
    "Ça   va?  Très   bien !!",
]


def reference_rows(embedder: StaticEmbedder, texts: list[str]) -> TokenRows:
    """The rows from the tokenizer's full pipeline, one text at a time in one batch."""
    encodings = embedder.tokenizer.encode_batch_fast(texts, add_special_tokens=False)
    rows = [embedder.row_of_id[np.asarray(e.ids, dtype=np.int64)] for e in encodings]
    kept = [r[r >= 0] for r in rows]
    offsets = np.concatenate([[0], np.cumsum([len(r) for r in kept])])
    return TokenRows(np.concatenate([np.zeros(0, np.int64), *kept]), offsets.astype(np.int64))


def marc_texts(shared_data, lang: str, n: int) -> list[str]:
    path = shared_data / "text-corpora" / "marc-amazon-multi" / lang / "test.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))  # label, review, ...
    return [row[1] for row in rows[:n]]


@lru_cache(maxsize=1)
def pieces_embedder() -> StaticEmbedder:
    """The shipped pieces and tokenizer without the whole-word vectors."""
    return StaticEmbedder.load(
        embeddings.model_path("static_e5_256.npz"),
        embeddings.model_path("tokenizer.npz"),
        name="pieces",
    )


def assert_same_rows(texts: list[str]) -> None:
    embedder = pieces_embedder()
    fast, expected = embedder.token_rows(texts), reference_rows(embedder, texts)
    np.testing.assert_array_equal(fast.offsets, expected.offsets)
    np.testing.assert_array_equal(fast.rows, expected.rows)


def test_hostile_strings_split_as_the_tokenizer_splits_them() -> None:
    assert_same_rows(HOSTILE)
    for text in HOSTILE:  # alone too: nothing of a text leaks into its neighbour's pieces
        assert_same_rows([text])


def test_real_reviews_in_six_languages_split_as_the_tokenizer_splits_them(shared_data) -> None:
    texts, _ = blitzer_reviews(shared_data, 400, seed=5)
    for lang in ("de", "es", "fr", "ja", "zh"):
        texts += marc_texts(shared_data, lang, 300)
    assert_same_rows(texts)
    assert_same_rows(texts)  # the second batch reads every word from the remembered pieces


def test_a_full_memory_of_pieces_starts_again_and_reads_the_same(shared_data, monkeypatch) -> None:
    monkeypatch.setattr(embeddings, "PIECE_CACHE_SIZE", 25)
    texts, _ = blitzer_reviews(shared_data, 60, seed=6)
    assert_same_rows(texts)
    assert len(pieces_embedder()._rows_of_piece) <= 25


def test_a_runs_words_are_tokenised_once_though_its_texts_are_read_again(shared_data) -> None:
    """A run reads each text's words more than once (the documents, then their sentences and
    theme sentences, in pieces of 500): 8,000 real reviews hold about 100,000 distinct words
    (punctuation attached), and every one is still remembered when the sentences are read."""
    texts, _ = blitzer_reviews(shared_data, 8_000, seed=3)
    embedder = StaticEmbedder.load(
        embeddings.model_path("static_e5_256.npz"),
        embeddings.model_path("tokenizer.npz"),
        name="fresh",
        words_file=embeddings.model_path("words_en.npz"),
        fold_capitals=True,
    )
    for start in range(0, len(texts), 500):
        embedder.token_rows(texts[start : start + 500])
    read = embedder.learnt_mark()
    assert read[1] > 90_000  # the distinct words (and lower-cased forms) of the documents
    sentences = [part for text in texts for part in re.split(r"(?<=[.!?]) ", text)]
    for start in range(0, len(sentences), 5_000):
        embedder.token_rows(sentences[start : start + 5_000])
    assert embedder.learnt_mark()[:2] == read[:2]  # nothing forgotten, nothing tokenised again


def test_int8_codes_read_as_the_float32_vectors_whatever_rows_came_first(shared_data) -> None:
    """The shipped embedder computes a row's float32 vector when a text first uses it; the
    sums equal those over every vector computed up front, whichever texts came first."""
    shipped = default_embedder()
    with np.load(embeddings.model_path("static_e5_256.npz"), allow_pickle=False) as data:
        codes, scale = data["vectors"], data["scale"].astype(np.float32)
    full = StaticEmbedder(
        codes.astype(np.float32) * scale[:, None],
        shipped.row_of_id,
        shipped.tokenizer,
        name=shipped.name,
    )
    texts, _ = blitzer_reviews(shared_data, 300, seed=7)
    texts += marc_texts(shared_data, "de", 100) + HOSTILE
    expected = full.embed(texts)
    for order in (texts, texts[::-1], texts[150:] + texts[:150]):
        lazy = StaticEmbedder(codes, shipped.row_of_id, shipped.tokenizer, name="x", scale=scale)
        lazy.embed(order[: len(order) // 3])  # some rows first, in another order
        np.testing.assert_array_equal(lazy.embed(texts), expected)
        assert lazy._used < len(codes) // 2  # only the rows read were computed


def test_threads_reading_at_once_get_the_sums_one_thread_gets(shared_data) -> None:
    """One embedder serves every thread of a process (the server's writer threads read texts
    at once): rows claimed and computed by several threads together give the same sums, and
    leave nothing wrong behind for later reads."""
    from concurrent.futures import ThreadPoolExecutor

    shipped = default_embedder()
    with np.load(embeddings.model_path("static_e5_256.npz"), allow_pickle=False) as data:
        codes, scale = data["vectors"], data["scale"].astype(np.float32)
    texts, _ = blitzer_reviews(shared_data, 400, seed=11)
    texts += marc_texts(shared_data, "de", 100)
    batches = [texts[start::8] for start in range(8)]

    def fresh() -> StaticEmbedder:
        return StaticEmbedder(codes, shipped.row_of_id, shipped.tokenizer, name="x", scale=scale)

    alone = fresh()
    expected = [alone.embed(batch) for batch in batches]
    for _ in range(5):
        shared = fresh()
        with ThreadPoolExecutor(max_workers=4) as pool:
            together = list(pool.map(shared.embed, batches))
        for got, wanted in zip(together, expected, strict=True):
            np.testing.assert_array_equal(got, wanted)
        np.testing.assert_array_equal(shared.embed(texts), alone.embed(texts))


@pytest.mark.skipif(not can_fork(), reason="worker processes need fork (Linux)")
def test_what_a_worker_tokenised_and_computed_is_kept_here_with_the_tokenizers_rows() -> None:
    embedder = default_embedder()
    caller, took = os.getpid(), multiprocessing.get_context("fork").Event()
    texts = ["Qwyrtzanq flumboozled", "the glarbnik was snorfled", "Übergrößenzuschlag zögerte"]

    def read(text: str) -> object:
        if os.getpid() != caller:
            took.set()
        else:
            assert took.wait(60)  # the worker reads a text too
        return embedder.embed([text])

    vectors = run_tasks([lambda text=text: read(text) for text in texts], workers=2)
    words, computed = embedder.learnt_since((embedder.learnt_mark()[0], 0, 0))
    remembered = dict(words)
    # The float32 vectors of every text's rows are here too, whichever process read it.
    assert set(embedder.token_rows(texts).rows.tolist()) <= set(computed.tolist())
    for text in texts:  # every word of every text, whichever process read it
        for word in embedder.tokenizer.normalizer.normalize_str(text).split():
            tokens = embedder.tokenizer.model.tokenize("\u2581" + word)
            expected = tuple(
                int(row) for row in embedder.row_of_id[[t.id for t in tokens]] if row >= 0
            )
            assert remembered["\u2581" + word] == expected
    np.testing.assert_array_equal(np.vstack(vectors), embedder.embed(texts))
