"""Hostile text reaches the static embedder through direct library calls too.

Import refuses a text holding a lone UTF-16 surrogate (``ingest/limits.py``), but
``default_embedder().embed`` and the text model take any Python string: a surrogate alone has no
UTF-8 form, and the tokenizer raised ``UnicodeEncodeError`` on it. It now reads as U+FFFD, the
replacement character, and a pair as its character (as a UTF-16 decoder reads them).
"""

from __future__ import annotations

import numpy as np

from advocacy.text.embeddings import default_embedder
from advocacy.text.surrogates import without_surrogates
from advocacy.text.text_model import text_model

HALVES = [
    "great staff \ud83d thanks",  # the first half of an emoji, alone
    "\ude00",  # a second half alone
    "Très bien \ud800\udc00 merci",  # a pair of halves is still two code points in Python
    "\ud800",
]


def test_a_lone_surrogate_embeds_as_the_replacement_character() -> None:
    embedder = default_embedder()
    replaced = [without_surrogates(text) for text in HALVES]
    assert replaced[0] == "great staff \ufffd thanks"
    # A pair Python kept as two code points is the character it encodes, as the language
    # detector reads it (one reading of a text for both).
    assert replaced[2] == "Très bien \U00010000 merci"
    vectors = embedder.embed(HALVES)
    np.testing.assert_array_equal(vectors, embedder.embed(replaced))
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    # The rest of the text is read as without the surrogate's neighbours changing.
    words = embedder.token_rows(["great staff \ud83d thanks", "great staff thanks"])
    first, second = np.split(words.rows, [words.offsets[1]])
    assert set(second) <= set(first)


def test_the_text_model_reads_a_text_with_a_lone_surrogate() -> None:
    reading = text_model("static").read(HALVES)
    assert reading.sentiment.shape == (len(HALVES), 3)
    np.testing.assert_array_equal(
        reading.sentiment,
        text_model("static").read([without_surrogates(t) for t in HALVES]).sentiment,
    )


def test_text_without_a_surrogate_is_left_as_it_is() -> None:
    for text in ["", "plain", "Übergröße 😀", "\ufffd"]:
        assert without_surrogates(text) == text


def test_a_hostile_word_outside_ascii_embeds_as_its_first_characters() -> None:
    """A 200,000-character word outside ASCII is read as its first MAX_WORD_CHARACTERS
    characters (``piece_tokenizer``): the same vector as the text cut there, the other words
    of the text read as always."""
    from advocacy.text.piece_tokenizer import MAX_WORD_CHARACTERS

    embedder = default_embedder()
    word = "Übergröße" * 25_000  # pieces with vectors (most CJK ones have none)
    cut = word[: MAX_WORD_CHARACTERS - 1]  # the marker counts as one of the characters
    vectors = embedder.embed(
        [f"great {word} staff", f"great {cut} staff", f"great {cut[:-1]} staff"]
    )
    np.testing.assert_array_equal(vectors[0], vectors[1])
    assert not np.array_equal(vectors[1], vectors[2])  # the cut is at the last character
