"""The shipped tokenizer read from arrays splits every word as the ``tokenizers`` library does.

:class:`advocacy.text.piece_tokenizer.PieceTokenizer` reads ``models/tokenizer.npz`` without
building the library's whole Unigram model (about 1 CPU s per process): a word in ASCII is read
by the library's model of the ASCII pieces, any other word in Python. The reference is the library:
the tokenizer it builds from the same file is the one it read from the former ``tokenizer.json``
(the same JSON, checked by its hash), and every distinct word of real text in many languages and
scripts, and of hostile strings, gets the library's pieces: ids, text and byte offsets.
"""

from __future__ import annotations

import csv
import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from advocacy.text import embeddings
from advocacy.text.embeddings import StaticEmbedder, default_embedder
from advocacy.text.piece_tokenizer import (
    MAX_WORD_CHARACTERS,
    TOKENIZER_FILE,
    Piece,
    PieceTokenizer,
    ascii_pieces,
)
from advocacy.text.whole_words import WORDS_FILE
from support.corpora import blitzer_reviews

#: sha256 of ``Tokenizer.from_file("tokenizer.json").to_str()`` for the ``tokenizer.json`` shipped
#: before ``tokenizer.npz`` (git 6d4e846): the library's own JSON of the model it read.
FORMER_TOKENIZER_SHA256 = "c62635c2cc92d95fd2d23f09c9e8e6803230cb050cf148962f7a051b5de58bb2"
MARKER = "\u2581"

HOSTILE_WORDS = [
    "",
    MARKER,
    MARKER * 3,
    MARKER + "word" * 2000,
    MARKER + "\U0001f600\U0001f44d\U0001f3fd",  # no piece: fused unknown characters
    MARKER + "ok\U0001f600\U0001f600ok\U0001f44d",  # unknown runs between known pieces
    MARKER + "\x00\x01\x7f",
    MARKER + "e\u0301\u0301\u0301",
    MARKER + "<s></s><unk><pad>",  # the control pieces' text
    MARKER + '=HYPERLINK("http://x")<script>alert(1)</script>',
    "\U00010348\U00010348",  # Gothic letters: no piece holds them
    MARKER + "ok\U00010348\U00010349ok",
    MARKER + "ａｂｃ１２３",
    MARKER + "Übergrößenzuschlag",
    MARKER + "Qwyrtzanq",
]


@lru_cache(maxsize=1)
def shipped() -> PieceTokenizer:
    """The shipped file, every word read in Python (never handed to the library's model)."""
    loaded = PieceTokenizer.load(embeddings.model_path(TOKENIZER_FILE))
    assert loaded._ascii_ids == ascii_pieces(loaded.pieces)
    return PieceTokenizer(
        loaded.pieces,
        loaded.scores,
        loaded.config,
        library_after=10**9,
        ascii_ids=loaded._ascii_ids,
    )


@lru_cache(maxsize=1)
def library() -> Any:
    """The library's tokenizer built from the shipped file (the reference)."""
    return shipped().tokenizer()


def library_pieces(word: str) -> list[Piece]:
    return [Piece(t.id, t.value, tuple(t.offsets)) for t in library().model.tokenize(word)]


def real_texts(shared_data: Path) -> list[str]:
    """Reviews, tweets, sentences and questions in twelve languages and five scripts."""
    texts, _ = blitzer_reviews(shared_data, 1500, seed=3)
    marc = shared_data / "text-corpora" / "marc-amazon-multi"
    for lang in ("de", "en", "es", "fr", "ja", "zh"):
        with (marc / lang / "test.csv").open(encoding="utf-8", newline="") as handle:
            texts += [row[1] for row in list(csv.reader(handle))[:1500]]
    multilingual = (
        shared_data / "text-corpora" / "semeval15-16-absa" / "semeval16-multilingual-apc-dat"
    )
    for name in ("hotels_test_arabic", "restaurants_test_russian", "restaurants_test_turkish"):
        lines = (multilingual / f"{name}.xml.dat").read_text(encoding="utf-8").split("\n")
        texts += lines[::3][:800]
    tweets = shared_data / "tweeteval" / "sentiment" / "val_text.txt"
    texts += tweets.read_text(encoding="utf-8").split("\n")
    olist = shared_data / "real-exports" / "olist-subset" / "olist_order_reviews_dataset.csv"
    texts += pd.read_csv(olist, dtype=str)["review_comment_message"].dropna().head(1500).tolist()
    return texts


def words_of(texts: list[str]) -> list[str]:
    """Every distinct word of ``texts`` as the Metaspace pre-tokenizer gives it to the model."""
    pre, normalize = library().pre_tokenizer, library().normalizer.normalize_str
    found = {word for text in texts for word, _ in pre.pre_tokenize_str(normalize(text))}
    return sorted(found)


def test_the_library_builds_from_the_file_the_tokenizer_it_read_from_the_former_json() -> None:
    text = library().to_str()
    assert hashlib.sha256(text.encode()).hexdigest() == FORMER_TOKENIZER_SHA256


def test_every_word_of_real_text_in_many_languages_gets_the_librarys_pieces(shared_data) -> None:
    words = words_of(real_texts(shared_data))
    assert len(words) > 60_000
    scripts = {"\u0600": 0, "\u0400": 0, "\u3040": 0, "\u4e00": 0}  # Arabic, Cyrillic, kana, Han
    for word in words:
        for start in scripts:
            scripts[start] += any(start <= ch < chr(ord(start) + 0x100) for ch in word)
    assert min(scripts.values()) > 100
    unknown = 0
    for word in words:
        pieces = shipped().tokenize(word)
        assert pieces == library_pieces(word), word
        unknown += any(piece.id == shipped().unknown for piece in pieces)
    assert unknown > 50  # unknown characters (emoji and rare ideographs) were read too


def test_hostile_words_get_the_librarys_pieces() -> None:
    for word in HOSTILE_WORDS:
        assert shipped().tokenize(word) == library_pieces(word), word
    # Two Gothic letters no piece holds: one unknown piece, after the marker's own.
    assert shipped().tokenize(MARKER + "ok\U00010348\U00010349ok") == [
        Piece(3664, MARKER + "ok", (0, 5)),
        Piece(shipped().unknown, "\U00010348\U00010349", (5, 13)),
        Piece(685, "ok", (13, 15)),
    ]


def test_after_many_words_the_librarys_model_reads_the_rest_alike(shared_data) -> None:
    """A process that has read many words outside ASCII in Python builds the library's whole
    model (faster per word) and reads the rest with it: the same pieces before and after."""
    marc = shared_data / "text-corpora" / "marc-amazon-multi"
    texts = []
    for lang in ("de", "ja"):
        with (marc / lang / "test.csv").open(encoding="utf-8", newline="") as handle:
            texts += [row[1] for row in list(csv.reader(handle))[:100]]
    words = words_of(texts)
    outside = sum(not word.replace(MARKER, "").isascii() for word in words)
    assert outside > 300 and len(words) - outside > 300
    switching = PieceTokenizer(
        shipped().pieces, shipped().scores, shipped().config, library_after=outside // 2
    )
    for word in words:
        got = [Piece(t.id, t.value, tuple(t.offsets)) for t in switching.tokenize(word)]
        assert got == library_pieces(word), word
    assert switching._library is not None


def test_a_hostile_length_outside_ascii_is_read_as_its_first_characters() -> None:
    """A 200,001-character word outside ASCII is read as its first MAX_WORD_CHARACTERS (the
    library's pieces of those), on the Python path and after the switch to the library alike;
    a word of that length itself, and a long word in ASCII, are read whole as the library
    reads them."""
    head = MARKER + "漢字かなカナ한국어Übergröße" * (MAX_WORD_CHARACTERS // 19 + 1)
    hostile = head + "語" * 200_000
    cut = hostile[:MAX_WORD_CHARACTERS]
    expected = library_pieces(cut)
    assert shipped().tokenize(hostile) == expected
    assert expected != library_pieces(hostile)  # the cut is a choice, and visible
    assert expected[-1].offsets[1] == len(cut.encode("utf-8"))
    switched = PieceTokenizer(shipped().pieces, shipped().scores, shipped().config, library_after=0)
    got = [Piece(t.id, t.value, tuple(t.offsets)) for t in switched.tokenize(hostile)]
    assert switched._library is not None and got == expected
    assert shipped().tokenize(cut) == expected  # a word of the longest length read: whole
    ascii_word = MARKER + "word" * 50_000
    assert shipped().tokenize(ascii_word) == library_pieces(ascii_word)


def test_a_lone_surrogate_is_refused_as_the_library_refuses_it() -> None:
    for tokenize in (shipped().tokenize, library().model.tokenize):
        with pytest.raises(UnicodeEncodeError):
            tokenize(MARKER + "ok\ud800")


def test_the_shipped_embedder_reads_texts_as_it_does_with_the_librarys_tokenizer(
    shared_data,
) -> None:
    """Whole words and capital folding included: the same vectors, bit for bit."""
    ours = default_embedder()
    with np.load(embeddings.model_path("static_e5_256.npz"), allow_pickle=False) as data:
        codes, scale = data["vectors"], data["scale"].astype(np.float32)
    from advocacy.text.whole_words import WholeWords

    reference = StaticEmbedder(
        codes,
        ours.row_of_id,
        library(),
        name=ours.name,
        scale=scale,
        words=WholeWords.load(embeddings.model_path(WORDS_FILE)),
        fold_capitals=True,
    )
    texts = real_texts(shared_data)[::4]
    np.testing.assert_array_equal(ours.token_rows(texts).rows, reference.token_rows(texts).rows)
    np.testing.assert_array_equal(ours.embed(texts), reference.embed(texts))


def test_a_file_that_is_not_a_plain_unigram_is_refused() -> None:
    config = {"model": {"type": "Unigram", "unk_id": 0, "byte_fallback": True}}
    with pytest.raises(ValueError, match="byte fallback"):
        PieceTokenizer(["<unk>"], [0.0], config)
