"""The shipped tokenizer's word pieces, read without building the ``tokenizers`` Unigram model.

The static embedder (:mod:`advocacy.text.embeddings`) tokenises each distinct word of its texts
once: a Metaspace pre-tokenizer splits the normalised text into words and a Unigram model
(SentencePiece's, Kudo 2018) splits each word into the likeliest pieces of a 250,002-piece
vocabulary. Building that model in the ``tokenizers`` library (``Tokenizer.from_file`` of the
16.8 MB ``tokenizer.json``) cost 0.7-1.1 CPU s in every process, most of it the trie of all
250,002 pieces, while a 3,000-review analysis tokenises about 29,000 distinct words. This module
reads the same vocabulary from ``models/tokenizer.npz`` (pieces and scores as arrays) and:

- reads a word written in ASCII (besides the ``▁`` marker: most words of most reviews) with the
  library's model built on the 83,008 pieces so written (0.1-0.2 CPU s to build). Every piece
  that can match inside such a word is one of them, and the unknown piece's score (the lowest
  score, a control piece's, minus 10) is the same, so the library finds the same pieces.
- reads any other word by the library's own algorithm in Python (``Unigram::encode_optimized``
  of ``tokenizers`` 0.23, itself SentencePiece's): candidates at each position in order of
  length, a strictly better path replaces a kept one, a character no piece starts with is an
  unknown piece scored ``min(scores) - 10``, consecutive unknown pieces are fused. It costs
  about 5 CPU µs per character of the word (a look-up per piece length, up to 16, at each
  character), the library about 0.5: 25 µs against 3 for a word of German or French, 120
  against 10-17 on average over the words of Amazon reviews in five languages, whose Japanese
  and Chinese "words" are runs of up to 662 characters without a space. After
  :data:`LIBRARY_AFTER` such words a process builds the library's whole model and reads the
  rest of them with it.
- reads a word outside ASCII longer than :data:`MAX_WORD_CHARACTERS` as its first
  :data:`MAX_WORD_CHARACTERS` characters, on either path, where the library would read it
  whole: a hostile 200,000-character "word" cost a CPU second in Python. No word of the real
  text in ``../shared/data`` comes near (the longest, a Japanese review's run without a space,
  is 662 characters), but the import takes texts of up to 20,000 (``max_text_chars``): a
  Japanese or Chinese review of more than 2,000 characters without a space is read in its first
  2,000, about as much as the multilingual-e5 teacher reads of any text (its first 512 pieces).
  A word in ASCII is read whole (the library is fast on it).

Written by hand because the library offers no faster way to build its model; the library stays
the reference: :meth:`PieceTokenizer.tokenizer` builds it from the same file, and
``tests/text/test_embeddings_pieces.py`` compares the two on real text in many languages.

The normaliser and pre-tokenizer are the library's, built from the configuration stored in the
file (that costs nothing: only the model is slow to build); a text in ASCII is normalised in
Python instead (:func:`ascii_normalizer`: the same text, without a call into the library).

``tools/build_encoder.py`` writes the file; the scores are those ``tokenizers`` held after
reading the former ``tokenizer.json`` (its JSON reader rounds some 17-digit numbers one unit in
the last place differently from Python's), so the two read every word alike.

References
----------
Kudo, T. (2018). Subword regularization: improving neural network translation models with
multiple subword candidates. ACL 2018, 66-75.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

__all__ = [
    "MAX_WORD_CHARACTERS",
    "TOKENIZER_FILE",
    "Piece",
    "PieceTokenizer",
    "ascii_normalizer",
    "ascii_pieces",
    "pieces_file_arrays",
]

#: The shipped tokenizer (in ``advocacy/text/models``), written by ``tools/build_encoder.py``.
TOKENIZER_FILE = "tokenizer.npz"
#: Words not written in ASCII read in Python before the library's whole model is built and used
#: for them instead (its 0.7-1.1 CPU s against Python's cost per character, module docstring).
LIBRARY_AFTER = 30_000
#: A word not written in ASCII is read as its first this many characters (its marker counted).
MAX_WORD_CHARACTERS = 2_000
#: The word marker of the shipped Metaspace pre-tokenizer.
MARKER = "\u2581"
#: SentencePiece's penalty of an unknown piece below the vocabulary's lowest score.
UNKNOWN_PENALTY = 10.0


class Piece(NamedTuple):
    """One piece of a word, as ``tokenizers.Token`` gives it: its id, its text and its byte
    span in the word."""

    id: int
    value: str
    offsets: tuple[int, int]


class PieceTokenizer:
    """A Metaspace + Unigram tokenizer's words split into pieces, in Python.

    Parameters
    ----------
    pieces : list of str
        The Unigram vocabulary, in id order.
    scores : list of float
        Each piece's log-probability.
    config : dict
        The ``tokenizers`` JSON of the whole tokenizer with its Unigram vocabulary left out
        (normaliser, pre-tokenizer, ``unk_id``, ``byte_fallback``).
    library_after : int
        Words tokenised in Python before :meth:`tokenize` builds the library's whole model
        and hands the rest to it (:data:`LIBRARY_AFTER`).
    ascii_ids : list of int, optional
        The ids of the pieces written in ASCII besides ``▁`` (computed when not given).

    Examples
    --------
    >>> from advocacy.text.embeddings import model_path
    >>> pieces = PieceTokenizer.load(model_path(TOKENIZER_FILE))
    >>> [piece.value for piece in pieces.tokenize("\u2581terrible")]
    ['▁terrible']
    """

    def __init__(
        self,
        pieces: list[str],
        scores: list[float],
        config: dict[str, Any],
        *,
        library_after: int = LIBRARY_AFTER,
        ascii_ids: list[int] | None = None,
    ) -> None:
        from tokenizers import Tokenizer

        model = config["model"]
        if model.get("type") != "Unigram" or model.get("byte_fallback"):
            raise ValueError(f"not a Unigram model without byte fallback: {model.get('type')}")
        if len(pieces) != len(scores):
            raise ValueError(f"{len(pieces)} pieces but {len(scores)} scores")
        self.pieces = pieces
        self.scores = scores
        self.config = config
        self.unknown = int(model["unk_id"])
        self._unknown_score = min(scores) - UNKNOWN_PENALTY
        self._ascii_ids = ascii_pieces(pieces) if ascii_ids is None else ascii_ids
        if self.unknown not in self._ascii_ids[: self.unknown + 1]:  # ids in order
            raise ValueError(f"the unknown piece {pieces[self.unknown]!r} is not in ASCII")
        self._ascii_model: Any = None  # the library's model of the ASCII pieces, once built
        self._ids: dict[str, int] = {}  # piece -> id, for the words read in Python
        self._longest = 0
        self._library_after = library_after
        self._tokenised = 0
        self._library: Any = None  # the library's model, once used
        self._full: Any = None  # the library's tokenizer, once built
        self._building = threading.Lock()
        # The library's normaliser and pre-tokenizer, from a tokenizer whose model holds only
        # the unknown piece (building it costs nothing).
        light = json.loads(json.dumps(config))
        light["model"].update(vocab=[[pieces[self.unknown], scores[self.unknown]]], unk_id=0)
        self.light = Tokenizer.from_str(json.dumps(light))
        self.normalize_str = self.light.normalizer.normalize_str
        #: The normaliser on a text in ASCII, in Python (None: not known for this one).
        self.normalize_ascii = ascii_normalizer(config.get("normalizer"))

    def __repr__(self) -> str:
        return f"PieceTokenizer(pieces={len(self.pieces)})"

    @classmethod
    def load(cls, path: str | Path) -> PieceTokenizer:
        """Read a file written by ``tools/build_encoder.py`` (see :func:`pieces_file_arrays`)."""
        with np.load(path, allow_pickle=False) as data:
            pieces = data["pieces"].tobytes().decode("utf-8").split("\n")
            scores = data["scores"].astype(np.float64).tolist()
            config = json.loads(data["config"].tobytes().decode("utf-8"))
            ascii_ids = data["ascii_ids"].tolist()
        return cls(pieces, scores, config, ascii_ids=ascii_ids)

    def tokenize(self, word: str) -> list[Piece]:
        """``tokenizers``' ``model.tokenize(word)`` for the Unigram model: the best pieces
        (the library's own tokens after :data:`LIBRARY_AFTER` words: the same fields), of the
        first :data:`MAX_WORD_CHARACTERS` characters of a longer word outside ASCII."""
        if len(word) > MAX_WORD_CHARACTERS and not word.replace(MARKER, "").isascii():
            word = word[:MAX_WORD_CHARACTERS]  # a hostile length; Python's search is linear
        if self._library is not None:
            return self._library.tokenize(word)  # type: ignore[no-any-return]
        if word.replace(MARKER, "").isascii():
            model, ids = self._ascii_model or self._build_ascii_model(), self._ascii_ids
            return [Piece(ids[t.id], t.value, t.offsets) for t in model.tokenize(word)]
        self._tokenised += 1
        if self._tokenised > self._library_after:
            self._library = self.tokenizer().model
            return self._library.tokenize(word)  # type: ignore[no-any-return]
        return self._search(word)

    def piece_ids(self, word: str) -> list[int]:
        """The ids of :meth:`tokenize`'s pieces of ``word`` (a word in ASCII without making
        its pieces' texts and offsets: 3 CPU µs against 7-8)."""
        if self._library is None and word.replace(MARKER, "").isascii():
            model, ids = self._ascii_model or self._build_ascii_model(), self._ascii_ids
            return [ids[token.id] for token in model.tokenize(word)]
        return [piece.id for piece in self.tokenize(word)]

    def _build_ascii_model(self) -> Any:
        """The library's Unigram model of the pieces written in ASCII (its ids: their
        positions in ``_ascii_ids``)."""
        from tokenizers import models

        with self._building:
            if self._ascii_model is None:
                vocabulary = [(self.pieces[i], self.scores[i]) for i in self._ascii_ids]
                self._ascii_model = models.Unigram(
                    vocabulary, unk_id=self._ascii_ids.index(self.unknown), byte_fallback=False
                )
        return self._ascii_model

    def _search(self, word: str) -> list[Piece]:
        """The best pieces of ``word`` by the library's algorithm, in Python."""
        size = len(word)
        if not size:
            return []
        if not self._ids:
            with self._building:
                if not self._ids:
                    self._longest = max(map(len, self.pieces))
                    self._ids = dict(zip(self.pieces, range(len(self.pieces)), strict=True))
        ids, scores, longest = self._ids.get, self.scores, self._longest
        unknown, unknown_score = self.unknown, self._unknown_score
        # best[end], start[end], piece[end]: the best path that ends at character ``end``.
        best = [0.0] * (size + 1)
        start = [-1] * (size + 1)
        piece = [0] * (size + 1)
        for begin in range(size):
            so_far = best[begin]
            single = False
            for end in range(begin + 1, min(size, begin + longest) + 1):
                found = ids(word[begin:end])
                if found is None:
                    continue
                score = scores[found] + so_far
                if start[end] < 0 or score > best[end]:
                    best[end], start[end], piece[end] = score, begin, found
                if end == begin + 1:
                    single = True
            if not single:
                end, score = begin + 1, unknown_score + so_far
                if start[end] < 0 or score > best[end]:
                    best[end], start[end], piece[end] = score, begin, unknown
        values: list[str] = []
        fused: list[str] = []  # consecutive unknown pieces, read backwards
        end = size
        while end > 0:
            begin = start[end]
            if piece[end] == unknown:
                fused.append(word[begin:end])
            else:
                if fused:
                    values.append("".join(reversed(fused)))
                    fused = []
                values.append(word[begin:end])
            end = begin
        if fused:
            values.append("".join(reversed(fused)))
        values.reverse()
        found_pieces: list[Piece] = []
        offset = 0
        for value in values:
            length = len(value) if value.isascii() else len(value.encode("utf-8"))
            found_pieces.append(
                Piece(ids(value, unknown), value, (offset, offset + length))  # type: ignore[arg-type]
            )
            offset += length
        return found_pieces

    def tokenizer(self) -> Any:
        """The same tokenizer as a ``tokenizers.Tokenizer`` (built once: about 1 CPU s)."""
        from tokenizers import Tokenizer

        with self._building:
            if self._full is None:
                full = json.loads(json.dumps(self.config))
                vocabulary = zip(self.pieces, self.scores, strict=True)
                full["model"]["vocab"] = [list(pair) for pair in vocabulary]
                self._full = Tokenizer.from_str(json.dumps(full))
        return self._full


def ascii_normalizer(config: dict[str, Any] | None) -> Callable[[str], str] | None:
    """The ``tokenizers`` normaliser ``config`` describes, for a text in ASCII, in Python.

    The library's normaliser is a call into Rust per text (about 2 CPU µs each, a third of
    what reading a review's words costs once they are known). On ASCII the Unicode
    normalisations (NFC, NFD, NFKC, NFKD) change nothing (no ASCII character decomposes or
    composes) and a ``Replace`` of a literal ASCII string is ``str.replace`` (the shipped
    tokenizer's ``Replace(String(" {2,}"), " ")`` is a literal, not a regular expression: it
    replaces the five characters `` {2,}``). None for any other normaliser.

    >>> normalize = ascii_normalizer({"type": "Sequence", "normalizers": [
    ...     {"type": "NFKC"},
    ...     {"type": "Replace", "pattern": {"String": " {2,}"}, "content": " "}]})
    >>> normalize("a  b {2,}c")
    'a  b c'
    """
    if config is None:
        return None
    steps = config.get("normalizers") if config.get("type") == "Sequence" else [config]
    replacements: list[tuple[str, str]] = []
    for step in steps or ():
        kind = step.get("type")
        if kind in ("NFC", "NFD", "NFKC", "NFKD"):
            continue
        pattern, content = (step.get("pattern") or {}).get("String"), step.get("content")
        if not (kind == "Replace" and isinstance(pattern, str) and isinstance(content, str)):
            return None
        if not pattern or not pattern.isascii() or not content.isascii():
            return None
        replacements.append((pattern, content))
    if steps is None:
        return None

    def normalize(text: str) -> str:
        for pattern, content in replacements:
            text = text.replace(pattern, content)
        return text

    return normalize


def ascii_pieces(pieces: list[str]) -> list[int]:
    """The ids of the pieces written in ASCII besides the word marker, in order."""
    return [i for i, piece in enumerate(pieces) if piece.replace(MARKER, "").isascii()]


def pieces_file_arrays(tokenizer_json: str) -> dict[str, Any]:
    """The arrays of a ``tokenizer.npz`` for the tokenizer that ``tokenizer_json`` describes.

    The scores are read back from the library (``Tokenizer.from_str(...).to_str()``): the
    floats it holds, which its JSON reader may round differently from Python's.
    """
    from tokenizers import Tokenizer

    config = json.loads(Tokenizer.from_str(tokenizer_json).to_str())
    vocabulary = config["model"].pop("vocab")
    pieces = [piece for piece, _ in vocabulary]
    if any("\n" in piece for piece in pieces):
        raise ValueError("a piece holds a line break: the pieces' blob cannot separate it")
    return {
        "pieces": np.frombuffer("\n".join(pieces).encode("utf-8"), dtype=np.uint8),
        "scores": np.array([score for _, score in vocabulary], dtype=np.float64),
        "config": np.frombuffer(json.dumps(config, sort_keys=True).encode("utf-8"), np.uint8),
        "ascii_ids": np.array(ascii_pieces(pieces), dtype=np.int32),
    }
