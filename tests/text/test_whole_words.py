"""Whole-word vectors replace the pieces of the words they list, and nothing else.

The tokenizer is the shipped one (real pieces of real words); the word vectors are small arrays
written here, so each row can be told apart.
"""

from __future__ import annotations

import numpy as np
import pytest

from advocacy.text.embeddings import StaticEmbedder, default_embedder, model_path, unit_rows
from advocacy.text.sentiment import sentiment
from advocacy.text.whole_words import WholeWords
from support.corpora import blitzer_reviews

LISTED = ("awful", "worthless", "unhelpful")


@pytest.fixture(scope="module")
def plain() -> StaticEmbedder:
    return StaticEmbedder.load(
        model_path("static_e5_256.npz"), model_path("tokenizer.npz"), name="pieces"
    )


@pytest.fixture(scope="module")
def words() -> WholeWords:
    codes = np.zeros((len(LISTED), 256), np.int8)
    for i in range(len(LISTED)):
        codes[i, i] = 100  # word i points along axis i
    return WholeWords({w: i for i, w in enumerate(LISTED)}, codes, np.ones(len(LISTED), np.float32))


@pytest.fixture(scope="module")
def whole(plain: StaticEmbedder, words: WholeWords) -> StaticEmbedder:
    return StaticEmbedder(
        plain._codes, plain.row_of_id, plain.tokenizer, name="words", scale=plain._scale,
        words=words,
    )  # fmt: skip


def rows_of(embedder: StaticEmbedder, word: str) -> tuple[int, ...]:
    tokens = embedder.tokenizer.model.tokenize("\u2581" + word)
    return tuple(int(embedder.row_of_id[t.id]) for t in tokens)


def test_a_listed_word_is_its_own_row_once_per_piece_it_replaces(plain, whole) -> None:
    first = len(whole._codes)  # word rows follow the pieces'
    pieces = rows_of(plain, "awful!")
    assert len(pieces) == 4  # ▁a w ful !
    assert whole._piece_rows("\u2581awful!") == (first, first, first, pieces[-1])
    worthless = rows_of(plain, "worthless")
    assert whole._piece_rows("\u2581worthless") == (first + 1,) * len(worthless)


def test_case_does_not_matter_and_the_cased_word_pieces_are_the_ones_replaced(whole) -> None:
    first = len(whole._codes)  # word rows follow the pieces'
    assert whole._piece_rows("\u2581Awful") == (first, first)  # ▁Aw ful
    assert whole._piece_rows("\u2581(UNHELPFUL)")[1:-1] == (first + 2,) * (
        len(whole._piece_rows("\u2581(UNHELPFUL)")) - 2
    )


def test_a_listed_word_inside_a_longer_word_keeps_its_pieces(plain, whole) -> None:
    for word in ("awfulness", "unhelpfully", "worthlessness", "awful1"):
        tokens = whole.tokenizer.model.tokenize("\u2581" + word)
        expected = tuple(int(r) for r in plain.row_of_id[[t.id for t in tokens]] if r >= 0)
        if word == "awful1":  # digits end a run of letters: "awful" is replaced, "1" kept
            assert expected != whole._piece_rows("\u2581" + word)
        else:
            assert whole._piece_rows("\u2581" + word) == expected


def test_a_word_alone_reads_as_its_vector(whole, words) -> None:
    vectors = whole.embed(["awful", "Worthless!!", "The service was unhelpful."])
    assert vectors[0] == pytest.approx(unit_rows(words.codes[:1].astype(np.float32))[0])
    assert abs(vectors[1] @ vectors[0]) < 0.01  # another word's axis
    assert vectors[1, 1] > 0.9  # the word's axis dominates; "!!" is two pieces of four
    assert vectors[2, 2] > 0.3


def test_texts_without_listed_words_read_as_before(shared_data, plain, whole) -> None:
    texts, _ = blitzer_reviews(shared_data, 300, seed=11)
    texts += ["", " ", "\u2581", "word" * 2000, '=HYPERLINK("x")<b>', "Ça va? Très bien !!"]
    found = [any(w in t.lower() for w in LISTED) for t in texts]
    assert 0 < sum(found) < len(texts)
    before, after = plain.embed(texts), whole.embed(texts)
    np.testing.assert_array_equal(before[~np.array(found)], after[~np.array(found)])
    # Where a listed word occurs, it weighs what its pieces weighed: as many rows per text.
    rows_before, rows_after = plain.token_rows(texts), whole.token_rows(texts)
    np.testing.assert_array_equal(rows_before.offsets, rows_after.offsets)


def test_the_shipped_embedder_reads_awful_near_terrible_not_good() -> None:
    """Audit finding 2: ``awful`` was ``▁a w ful``, cosine 0.70 with "good", 0.29 with
    "terrible"."""
    awful, good, terrible = default_embedder().embed(["awful", "good", "terrible"])
    assert awful @ terrible > 0.6 > 0.5 > awful @ good


def test_the_audit_complaints_with_split_words_read_negative() -> None:
    """Audit finding 2's repro: each was read positive (P(positive) 0.60, 0.52, 0.39)."""
    texts = ["awful", "The service is awful.", "The service was unacceptable."]
    assert sentiment(texts).labels == ["negative"] * 3


def test_a_word_with_no_listed_run_is_never_replaced(shared_data) -> None:
    """The embedder makes a word's pieces' texts and offsets only when ``listed`` says a run
    of its letters is a listed word: for every other word ``rows`` gives None, on the words of
    real reviews in several languages and hostile ones, with the shipped list."""
    embedder = default_embedder()
    shipped = embedder._words
    assert shipped is not None
    texts, _ = blitzer_reviews(shared_data, 400, seed=17)
    texts += ["Übergröße awful!!", "(UNHELPFUL)", "x²awful", "awful_ok", "a\u0301wful", "½awful"]
    words = {"\u2581" + w for t in texts for w in embedder._normalize(t).split(" ")}
    tokenize, listed = embedder._pieces.tokenize, 0
    for word in sorted(words):
        found = shipped.rows(word, tokenize(word), embedder.row_of_id, len(embedder._codes))
        if not shipped.listed(word):
            assert found is None, word
        listed += found is not None
    assert listed > 100
