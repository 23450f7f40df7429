"""A word that capitals split into more pieces reads as its lower-case form.

The shipped tokenizer is cased: "terrible" is one piece, "Terrible" is ``▁Terri`` + ``ble``
and "Horrible" ``▁Hor`` + ``ri`` + ``ble``, pieces whose vectors read as praise ("ble" as in
"comfortable"), so a review that starts with its verdict read positive. The shipped embedder
folds such a word to lower case; a capitalised word that is no more pieces than its lower-case
form keeps its own (cased) pieces, and an embedder built without ``fold_capitals`` reads the
tokenizer's pieces as before (``test_embeddings.py``).
"""

from __future__ import annotations

import numpy as np
import pytest

from advocacy.text.embeddings import StaticEmbedder, default_embedder, model_path
from advocacy.text.sentiment import sentiment


@pytest.fixture(scope="module")
def plain() -> StaticEmbedder:
    return StaticEmbedder.load(
        model_path("static_e5_256.npz"), model_path("tokenizer.npz"), name="pieces"
    )


@pytest.fixture(scope="module")
def folding(plain: StaticEmbedder) -> StaticEmbedder:
    return StaticEmbedder(
        plain._codes, plain.row_of_id, plain.tokenizer, name="folding", scale=plain._scale,
        fold_capitals=True,
    )  # fmt: skip


def pieces(embedder: StaticEmbedder, word: str) -> list[str]:
    return [token.value for token in embedder.tokenizer.model.tokenize("\u2581" + word)]


def test_a_word_capitals_split_reads_as_its_lower_case_piece(plain, folding) -> None:
    assert pieces(plain, "Terrible") == ["\u2581Terri", "ble"]
    assert pieces(plain, "terrible") == ["\u2581terrible"]
    for word in ("Terrible", "HORRIBLE", "Horrible!"):
        assert folding._piece_rows("\u2581" + word) == plain._piece_rows("\u2581" + word.lower())
        assert plain._piece_rows("\u2581" + word) != plain._piece_rows("\u2581" + word.lower())


def test_a_capitalised_word_no_more_pieces_than_its_lower_case_keeps_its_own(
    plain, folding
) -> None:
    # "Great" and "Experience" are one piece each; "Thumbs" is as many pieces as "thumbs".
    for word in ("Great", "Experience", "Thumbs", "Berlin", "iPhone"):
        assert folding._piece_rows("\u2581" + word) == plain._piece_rows("\u2581" + word)


def test_the_shipped_embedder_folds_and_reads_lower_case_whole_words_too() -> None:
    embedder = default_embedder()
    texts = ["Terrible experience.", "terrible experience.", "HORRIBLE customer support"]
    vectors = embedder.embed([*texts, "horrible customer support"])
    np.testing.assert_array_equal(vectors[0], vectors[1])
    np.testing.assert_array_equal(vectors[2], vectors[3])
    assert vectors[0] @ embedder.embed(["Great experience."])[0] < 0.9


def test_verdicts_that_start_a_review_read_as_their_lower_case_form() -> None:
    """The closing note's misreadings: each read positive (P(positive) 0.71 and 0.44)."""
    texts = ["Horrible customer support", "Terrible experience.", "Horrible"]
    assert sentiment(texts).labels == ["negative"] * 3
    assert (
        sentiment(["Excellent customer support", "Wonderful experience."]).labels
        == ["positive"] * 2
    )
