"""The shipped tokenizer's normaliser, in Python for text in ASCII, is the library's.

:meth:`advocacy.text.embeddings.StaticEmbedder.token_rows` normalises a text written in ASCII
with :func:`advocacy.text.piece_tokenizer.ascii_normalizer` instead of a call into the
``tokenizers`` library per text. The reference is the library's own normaliser of the shipped
tokenizer: every ASCII character and pair of characters, generated text, the literal
``" {2,}"`` its Replace step looks for, and real reviews and tweets; and the embedder's rows
on ASCII texts are those of the library's whole pipeline.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from advocacy.text import embeddings
from advocacy.text.piece_tokenizer import TOKENIZER_FILE, PieceTokenizer, ascii_normalizer
from support.corpora import blitzer_reviews

SHIPPED = PieceTokenizer.load(embeddings.model_path(TOKENIZER_FILE))
LIBRARY = SHIPPED.normalize_str
OURS = SHIPPED.normalize_ascii
ASCII = [chr(code) for code in range(128)]


def test_every_ascii_character_and_pair_normalises_as_the_library_does() -> None:
    assert OURS is not None
    for first in ASCII:
        assert OURS(first) == LIBRARY(first), repr(first)
        for second in ASCII:
            assert OURS(first + second) == LIBRARY(first + second), repr(first + second)


def test_the_replace_step_is_a_literal_string_as_the_library_reads_it() -> None:
    for text in ["a {2,}b", "a   b", "x {2,} {2,}y", " {2, }", "ab {2,{2,}}", " {2,}{2,}"]:
        assert OURS(text) == LIBRARY(text), text
    assert OURS("a {2,}b") == "a b" and OURS("a   b") == "a   b"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*ASCII, " {2,}", "  ", " {2"]), max_size=40))
def test_generated_ascii_text_normalises_as_the_library_does(parts: list[str]) -> None:
    text = "".join(parts)
    assert OURS is not None and OURS(text) == LIBRARY(text)


def test_real_ascii_text_normalises_and_embeds_as_with_the_library(shared_data) -> None:
    texts, _ = blitzer_reviews(shared_data, 800, seed=13)
    tweets = shared_data / "tweeteval" / "sentiment" / "val_text.txt"
    texts += tweets.read_text(encoding="utf-8").split("\n")
    texts = [text for text in texts if text.isascii()]
    assert len(texts) > 2000
    assert OURS is not None and [OURS(t) for t in texts] == [LIBRARY(t) for t in texts]
    ours = embeddings.StaticEmbedder.load(
        embeddings.model_path("static_e5_256.npz"), embeddings.model_path(TOKENIZER_FILE), name="p"
    )
    reference = embeddings.StaticEmbedder.load(
        embeddings.model_path("static_e5_256.npz"), embeddings.model_path(TOKENIZER_FILE), name="p"
    )
    reference._normalize_ascii = None  # every text through the library's normaliser
    found, expected = ours.token_rows(texts), reference.token_rows(texts)
    np.testing.assert_array_equal(found.offsets, expected.offsets)
    np.testing.assert_array_equal(found.rows, expected.rows)


def test_a_normaliser_not_known_on_ascii_has_no_python_form() -> None:
    assert ascii_normalizer(None) is None
    assert ascii_normalizer({"type": "Lowercase"}) is None
    regex = {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "}
    assert ascii_normalizer({"type": "Sequence", "normalizers": [{"type": "NFKC"}, regex]}) is None
    assert ascii_normalizer({"type": "Replace", "pattern": {"String": ""}, "content": "x"}) is None
    assert ascii_normalizer({"type": "Replace", "pattern": {"String": "a"}, "content": "é"}) is None
    assert ascii_normalizer({"type": "NFKC"})("x  y") == "x  y"  # type: ignore[misc]
