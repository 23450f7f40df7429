"""Text embeddings: the shared representation every text model in advocacy reads.

The default is a *static* multilingual embedding: one vector per sub-word piece of
multilingual-e5-small's vocabulary (Wang et al. 2024), distilled from that model with the
model2vec recipe (Tulkens & van Dongen 2024) by ``tools/build_encoder.py``. Encoding a text is a
tokenizer call and an average of rows of a matrix, so thousands of texts per second run on two
CPU cores with no PyTorch and nothing downloaded, and a word means about the same in the
languages the teacher learned together ("schlecht" lies near "slecht", "mauvais" and "bad"). A
user who wants a larger model plugs in any object with the :class:`Embedder` shape (``name``,
``dimension``, ``embed``); heads trained on one embedder are tied to it by name and are refused
on another.

References
----------
Wang, L. et al. (2024). Multilingual E5 text embeddings: a technical report. arXiv:2402.05672.
Tulkens, S. & van Dongen, T. (2024). Model2Vec: fast state-of-the-art static embeddings.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from importlib import resources
from itertools import chain, islice
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import sparse

from advocacy.errors import UsageError
from advocacy.text.model_cache import cache_folder, cached_arrays
from advocacy.text.piece_tokenizer import TOKENIZER_FILE, PieceTokenizer
from advocacy.text.surrogates import without_surrogates
from advocacy.text.whole_words import WORDS_FILE, WholeWords
from advocacy.text.workers import Learning, share_learning

#: Name of the default embedder; recorded with every label it helps produce. "-words": the
#: English words the tokenizer splits that ``models/words_en.npz`` lists are read as whole
#: words (:mod:`advocacy.text.whole_words`); "-folded": a word that capitals split into more
#: pieces is read as its lower-case form (``fold_capitals``).
DEFAULT_EMBEDDER = "static-e5-256-words-folded"
MODELS_PACKAGE = "advocacy.text.models"
#: The files of the default embedder in :data:`MODELS_PACKAGE`: its vectors, its tokenizer and
#: its whole English words (what a digest of the shipped model covers).
DEFAULT_FILES = ("static_e5_256.npz", TOKENIZER_FILE, WORDS_FILE)
#: The name of the layout of a vectors file's arrays in the model cache
#: (:mod:`advocacy.text.model_cache`).
VECTORS_LAYOUT = "static-vectors-1"
_VECTOR_ARRAYS = ("ids", "vectors", "scale", "vocabulary_size")
#: Words whose piece rows a :class:`StaticEmbedder` remembers (about 430 bytes each: 86 MB
#: when full). A word here is what lies between spaces, punctuation and all ("good." and
#: "good," are two): 12,000 reviews of 60 words hold about 78,000, and a run reads each text's
#: words more than once (the documents, their sentences, their theme sentences), so a memory
#: smaller than a run's words forgets them before the next pass and tokenises most of them
#: again (60,000 did: 327,000 tokenizer calls in `text analyze --taxonomy` of 12,000 reviews in
#: one process, 123,000 now). Past about 50,000 reviews in one run it fills and starts again.
PIECE_CACHE_SIZE = 200_000


@runtime_checkable
class Embedder(Protocol):
    """Anything that turns texts into unit-length vectors of a fixed dimension.

    Examples
    --------
    >>> from advocacy.text import default_embedder
    >>> isinstance(default_embedder(), Embedder)
    True
    """

    name: str
    dimension: int

    def embed(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """One unit-length row per text (a zero row for an empty text)."""
        ...


def model_path(filename: str) -> Path:
    """Path of a file shipped in ``advocacy/text/models``."""
    return Path(str(resources.files(MODELS_PACKAGE).joinpath(filename)))


@dataclass(frozen=True)
class TokenRows:
    """The vector rows of a batch of texts: ``rows[offsets[i]:offsets[i + 1]]`` is text i."""

    rows: NDArray[np.int64]
    offsets: NDArray[np.int64]

    def __len__(self) -> int:
        return len(self.offsets) - 1


class StaticEmbedder:
    """Average of sub-word piece vectors, normalised to unit length.

    Parameters
    ----------
    vectors : array (kept pieces x dimension)
        One row per piece that has a vector, held as float32 (116k pieces x 256: 119 MB) so
        that a batch's sums are one sparse product, 30x faster than gathering rows. With
        ``scale``, int8 codes: row ``i`` is ``vectors[i] * scale[i]`` in float32, computed the
        first time a text uses it and kept (a new process then holds the rows it read, 29,000
        for 3,000 reviews, instead of writing all 119 MB first: about 1 CPU s here).
    row_of_id : int array (tokenizer vocabulary)
        The row of ``vectors`` for each token id, -1 for a piece without a vector.
    tokenizer : tokenizers.Tokenizer or PieceTokenizer
        The Hugging Face ``tokenizers`` tokenizer whose ids ``row_of_id`` maps, or the shipped
        one read without building the library's model (:mod:`advocacy.text.piece_tokenizer`:
        the same pieces, about 1 CPU s less per process; ``tokenizer`` then builds the
        library's on first use; it reads a word outside ASCII of more than
        ``MAX_WORD_CHARACTERS``, 2,000, as its first 2,000 characters).
    name : str
        Recorded with every label computed from these embeddings.
    scale : array (kept pieces), optional
        Each row's scale when ``vectors`` holds int8 codes (the shipped model's form).
    words : WholeWords, optional
        Whole-word vectors read in place of their pieces (int8 codes, so with ``scale``); their
        rows follow the pieces'. Used with the shipped (Metaspace, Unigram) tokenizer only.
    fold_capitals : bool
        Read a word with capitals as its lower-case form when that form is fewer pieces
        ("Terrible" is ``▁Terri`` + ``ble``, whose ``ble`` reads as in "comfortable";
        "terrible" is one piece). With the shipped tokenizer only, like ``words``.

    Examples
    --------
    >>> from advocacy.text import default_embedder
    >>> vectors = default_embedder().embed(["great staff", ""])
    >>> vectors.shape, float(abs(vectors[1]).sum())
    ((2, 256), 0.0)
    """

    def __init__(
        self,
        vectors: NDArray[Any],
        row_of_id: NDArray[Any],
        tokenizer: Any,
        *,
        name: str,
        scale: NDArray[Any] | None = None,
        words: WholeWords | None = None,
        fold_capitals: bool = False,
    ) -> None:
        if scale is None:
            self._codes = np.asarray(vectors, dtype=np.float32)
            self._scale = np.ones(len(self._codes), dtype=np.float32)
        else:
            self._codes = np.asarray(vectors)
            self._scale = np.asarray(scale, dtype=np.float32)
        # Whole words' rows follow the pieces' (row len(pieces) + i is word i), kept apart from
        # the pieces' codes: no copy of those at load.
        self._words = words
        self._fold_capitals = fold_capitals
        self._rows = len(self._codes) + (0 if words is None else len(words))
        if words is not None:
            self._scale = np.concatenate([self._scale, words.scale])
        # The float32 vectors of the rows used so far, in the order first used: row r is
        # self._dense[self._slot[r]] (slot -1: not computed yet).
        self._slot = np.full(self._rows, -1, dtype=np.int64)
        self._dense = np.zeros((0, self._codes.shape[1]), dtype=np.float32)
        self._used = 0
        # One embedder serves every thread of a process (the server's writer threads read
        # texts at once): the rows are claimed and computed under this lock. Rows once
        # computed never change, so a reader keeps its view of them after letting go.
        self._filling = threading.Lock()
        self.row_of_id = np.asarray(row_of_id, dtype=np.int64)
        self.name = name
        self.dimension = int(self._codes.shape[1])
        # The normaliser on ASCII in Python, when known (the shipped tokenizer's is).
        self._normalize_ascii: Callable[[str], str] | None = None
        if isinstance(tokenizer, PieceTokenizer):
            self._pieces: PieceTokenizer | None = tokenizer
            self._library: Any = None  # built by ``tokenizer`` when asked
            self._metaspace = _metaspace_unigram(tokenizer.light)
            self._normalize = tokenizer.normalize_str
            self._normalize_ascii = tokenizer.normalize_ascii
            self._tokenize = tokenizer.tokenize
            self._piece_ids = tokenizer.piece_ids
        else:
            self._pieces, self._library = None, tokenizer
            self._metaspace = _metaspace_unigram(tokenizer)
            if self._metaspace is not None:
                self._normalize = tokenizer.normalizer.normalize_str
                self._tokenize = tokenizer.model.tokenize
                self._piece_ids = partial(_library_piece_ids, tokenizer.model)
        self._rows_of_piece: dict[str, tuple[int, ...]] = {}
        self._forgotten = 0  # how many times the remembered words were dropped (when full)

    def __repr__(self) -> str:
        return (
            f"StaticEmbedder(name={self.name!r}, pieces={len(self._codes)}, "
            f"dimension={self.dimension})"
        )

    @property
    def tokenizer(self) -> Any:
        """The ``tokenizers.Tokenizer`` whose ids ``row_of_id`` maps (built from a
        :class:`PieceTokenizer` the first time it is asked for: about 1 CPU s)."""
        if self._library is None:
            assert self._pieces is not None
            self._library = self._pieces.tokenizer()
            self._library.no_padding()
            self._library.no_truncation()
        return self._library

    @classmethod
    def load(
        cls,
        vectors_file: str | Path,
        tokenizer_file: str | Path,
        *,
        name: str,
        words_file: str | Path | None = None,
        fold_capitals: bool = False,
        cache: Path | None = None,
    ) -> StaticEmbedder:
        """Load an ``.npz`` written by ``build_encoder.py`` and its tokenizer (its
        ``tokenizer.npz``, read by :class:`PieceTokenizer`, or a ``tokenizers`` JSON file) and
        the whole-word vectors of ``build_word_vectors.py --ship``, if given (``fold_capitals``
        as in the class). With a model ``cache`` folder the vectors are unpacked there once and
        mapped after (:mod:`advocacy.text.model_cache`: the shipped ones are deflated, 0.14-0.2
        CPU s to unpack in every process); None: unpacked in memory."""
        data = cached_arrays(
            Path(vectors_file),
            layout=VECTORS_LAYOUT,
            names=_VECTOR_ARRAYS,
            unpack=_vector_arrays,
            build=_checked_vectors,
            cache=cache,
        )
        scale = data["scale"].astype(np.float32)
        codes = np.asarray(data["vectors"])
        row_of_id = np.full(int(data["vocabulary_size"]), -1, dtype=np.int64)
        row_of_id[data["ids"]] = np.arange(len(data["ids"]))
        tokenizer: Any
        if str(tokenizer_file).endswith(".npz"):
            tokenizer = PieceTokenizer.load(tokenizer_file)
        else:
            from tokenizers import Tokenizer

            tokenizer = Tokenizer.from_file(str(tokenizer_file))
            tokenizer.no_padding()
            tokenizer.no_truncation()
        words = None if words_file is None else WholeWords.load(words_file)
        return cls(
            codes,
            row_of_id,
            tokenizer,
            name=name,
            scale=scale,
            words=words,
            fold_capitals=fold_capitals,
        )

    @property
    def row_count(self) -> int:
        """How many vector rows there are: a token row of :meth:`token_rows` is below this
        (what :meth:`sums` of rows kept elsewhere checks them against)."""
        return self._rows

    def token_rows(self, texts: Sequence[str]) -> TokenRows:
        """The vector rows of each text's pieces (pieces without a vector left out).

        With a Unigram tokenizer behind a Metaspace pre-tokenizer (the shipped one) the
        pieces of a text are those of its words, each tokenised on its own: the words are
        split here as the pre-tokenizer splits them and each distinct word is tokenised once
        per process, so a batch costs one normalisation call per text and a few array
        operations instead of a full tokenizer pass (about a fifth of the CPU; the same rows,
        ``tests/text/test_embeddings.py``). A lone surrogate code point, which has no UTF-8
        form for the tokenizer, reads as U+FFFD (a pair as its character:
        :func:`~advocacy.text.surrogates.without_surrogates`).
        """
        if self._metaspace is not None:
            return self._word_rows(texts, self._metaspace)
        encodings = self.tokenizer.encode_batch_fast(
            [without_surrogates(text or "") for text in texts], add_special_tokens=False
        )
        lengths = np.fromiter((len(e.ids) for e in encodings), dtype=np.int64, count=len(texts))
        ids = np.fromiter(
            (i for e in encodings for i in e.ids), dtype=np.int64, count=int(lengths.sum())
        )
        rows = self.row_of_id[ids]
        keep = rows >= 0
        owner = np.repeat(np.arange(len(texts)), lengths)[keep]
        counts = np.bincount(owner, minlength=len(texts))
        return TokenRows(rows[keep], np.concatenate([[0], np.cumsum(counts)]).astype(np.int64))

    def _word_rows(self, texts: Sequence[str], replacement: str) -> TokenRows:
        """:meth:`token_rows` through the pre-tokenizer's words (see there)."""
        normalize = self._normalize
        # A text in ASCII normalises to ASCII (piece_tokenizer.ascii_normalizer), in which
        # there is no replacement character: its spaces alone split its words.
        fast = None if replacement.isascii() else self._normalize_ascii
        words: list[str] = []
        counts: list[int] = []
        for text in texts:
            # Metaspace(prepend_scheme="always", split=True): spaces become the replacement,
            # which is prepended unless the text starts with it, and each replacement
            # starts a word. An empty text has no words.
            text = text or ""
            if fast is not None and text.isascii():
                found = fast(text).split(" ")
            else:
                try:
                    normal = normalize(text)
                except UnicodeEncodeError:  # a lone surrogate: no UTF-8 for the library
                    normal = normalize(without_surrogates(text))
                found = normal.replace(" ", replacement).split(replacement)
            if found[0]:
                words.append(found[0])  # the prepended replacement starts this one
            words.extend(found[1:])
            counts.append(len(found) - (not found[0]))
        codes, distinct = pd.factorize(np.array(words, dtype=object))
        known = self._rows_of_piece.get
        pieces = [
            known(replacement + word) or self._piece_rows(replacement + word) for word in distinct
        ]
        sizes = np.fromiter((len(rows) for rows in pieces), dtype=np.int64, count=len(pieces))
        flat = np.fromiter(chain.from_iterable(pieces), dtype=np.int64, count=int(sizes.sum()))
        used = sizes[codes]
        starts = np.repeat((np.cumsum(sizes) - sizes)[codes] - np.cumsum(used) + used, used)
        rows = flat[starts + np.arange(int(used.sum()))]
        per_word = np.repeat(np.arange(len(texts)), counts)
        per_text = np.bincount(per_word, weights=used, minlength=len(texts)).astype(np.int64)
        return TokenRows(rows, np.concatenate([[0], np.cumsum(per_text)]).astype(np.int64))

    def _piece_rows(self, word: str, ids: list[int] | None = None) -> tuple[int, ...]:
        """The vector rows of one pre-tokenised word's pieces (remembered; ``ids``: the ids of
        the word's pieces when the caller has them)."""
        found = self._rows_of_piece.get(word)
        if found is None:
            if len(self._rows_of_piece) >= PIECE_CACHE_SIZE:
                self._rows_of_piece = {}
                self._forgotten += 1
            if ids is None:
                ids = self._piece_ids(word)
            found = None
            folded = word.lower() if self._fold_capitals and len(ids) > 1 else word
            # Once per distinct word (this cache): a capitalised word of several pieces is
            # tokenised again in lower case, and that form's pieces are not tokenised a third
            # time when it is read in its place.
            lower = self._piece_ids(folded) if folded != word else ids
            if len(lower) < len(ids):
                # Capitals that split a word into pieces ("Terrible" is ▁Terri + ble, "terrible"
                # one piece) read it as its lower-case form: the pieces of a capitalised word
                # mean little alone ("ble" reads as in "comfortable").
                found = self._piece_rows(folded, lower)
            elif self._words is not None and len(ids) > 1 and self._words.listed(word):
                # Only then can a whole word replace pieces: their texts and offsets are
                # needed (most words are one piece or hold no listed word).
                tokens = self._tokenize(word)
                found = self._words.rows(word, tokens, self.row_of_id, len(self._codes))
            if found is None:
                row = self.row_of_id.item  # a Python int per id: no array for a few ids
                found = tuple(found_row for i in ids if (found_row := row(i)) >= 0)
            self._rows_of_piece[word] = found
        return found

    def learnt_mark(self) -> tuple[int, int, int]:
        """Where the remembered words and computed rows stand now (for :meth:`learnt_since`)."""
        return self._forgotten, len(self._rows_of_piece), self._used

    def learnt_since(
        self, mark: tuple[int, int, int]
    ) -> tuple[list[tuple[str, tuple[int, ...]]], NDArray[np.int64]]:
        """The words tokenised since ``mark`` (from :meth:`learnt_mark`) with their rows, and
        the rows whose float32 vectors were computed since, for another process to keep
        (:meth:`learn`)."""
        forgotten, count, used = mark
        start = count if forgotten == self._forgotten else 0
        words = list(islice(self._rows_of_piece.items(), start, None))
        return words, np.flatnonzero(self._slot >= used)

    def learn(
        self, learnt: tuple[Sequence[tuple[str, tuple[int, ...]]], NDArray[np.int64]]
    ) -> None:
        """Keep what another process learnt (:meth:`learnt_since`): its words while there is
        room (a word's rows are the tokenizer's whichever process asked), and its rows'
        float32 vectors (the same floats whichever process computes them)."""
        words, rows = learnt
        remembered = self._rows_of_piece
        for word, pieces in words[: max(0, PIECE_CACHE_SIZE - len(remembered))]:
            remembered.setdefault(word, pieces)
        if len(rows):
            with self._filling:
                self._slots(np.asarray(rows, dtype=np.int64))

    def _slots(self, rows: NDArray[np.int64]) -> NDArray[np.int64]:
        """Where the float32 vectors of ``rows`` are in ``_dense``, computing the new ones
        (the caller holds ``_filling``)."""
        missing = np.unique(rows[self._slot[rows] < 0])
        if len(missing):
            used = self._used + len(missing)
            if used > len(self._dense):
                # Room for every row at once: the pages are written as rows are used, in
                # order, and never copied to a larger matrix (a forked worker adding rows
                # to a copy of its parent's would fault in all of them).
                grown = np.empty((self._rows, self.dimension), np.float32)
                grown[: self._used] = self._dense[: self._used]
                self._dense = grown
            self._dense[self._used : used] = self._float_rows(missing)
            self._slot[missing] = np.arange(self._used, used)
            self._used = used
        return self._slot[rows]

    def _float_rows(self, rows: NDArray[np.int64]) -> NDArray[np.float32]:
        """The float32 vectors of ``rows`` (pieces', then whole words')."""
        if self._words is None:
            return self._codes[rows].astype(np.float32) * self._scale[rows, None]
        pieces = rows < len(self._codes)
        found = np.empty((len(rows), self.dimension), np.float32)
        found[pieces] = self._codes[rows[pieces]]
        found[~pieces] = self._words.codes[rows[~pieces] - len(self._codes)]
        return found * self._scale[rows, None]

    def sums(self, tokens: TokenRows) -> NDArray[np.float32]:
        """Sum of the piece vectors per text (a zero row for a text with none).

        One sparse product of each text's piece counts with the vectors, the entries of a
        text in the order of their rows, so every sum adds the same floats in the same order
        whichever rows were computed first.
        """
        owner = np.repeat(np.arange(len(tokens)), np.diff(tokens.offsets))
        entries, counts = np.unique(owner * self._rows + tokens.rows, return_counts=True)
        text, row = np.divmod(entries, self._rows)
        offsets = np.concatenate([[0], np.cumsum(np.bincount(text, minlength=len(tokens)))])
        with self._filling:
            slots = self._slots(row)
            dense = self._dense[: self._used]
        matrix = sparse.csr_matrix(
            (counts.astype(np.float32), slots, offsets), shape=(len(tokens), len(dense))
        )
        return np.asarray(matrix @ dense, dtype=np.float32)

    def embed(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """Unit-length mean piece vector per text (a lone surrogate code point reads as
        U+FFFD: :func:`without_surrogates`)."""
        return unit_rows(self.sums(self.token_rows(texts)))


def _library_piece_ids(model: Any, word: str) -> list[int]:
    """The ids of the pieces a ``tokenizers`` model splits ``word`` into."""
    return [token.id for token in model.tokenize(word)]


def _metaspace_unigram(tokenizer: Any) -> str | None:
    """The Metaspace replacement when ``tokenizer`` is a plain Unigram model behind a Metaspace
    pre-tokenizer that always prepends and splits (words are then tokenised independently),
    else None."""
    from tokenizers import models, pre_tokenizers

    pre: Any = getattr(tokenizer, "pre_tokenizer", None)
    plain = (
        isinstance(getattr(tokenizer, "model", None), models.Unigram)
        and isinstance(pre, pre_tokenizers.Metaspace)
        and getattr(tokenizer, "normalizer", None) is not None
        and not tokenizer.get_added_tokens_decoder()
    )
    if not plain or pre.prepend_scheme != "always" or not pre.split:
        return None
    return str(pre.replacement)


def _vector_arrays(path: Path) -> dict[str, NDArray[np.generic]]:
    """The arrays of a vectors file of ``build_encoder.py``, unpacked."""
    with np.load(path, allow_pickle=False) as data:
        return {name: data[name] for name in _VECTOR_ARRAYS}


def _checked_vectors(arrays: dict[str, NDArray[np.generic]]) -> dict[str, NDArray[np.generic]]:
    """The arrays of a vectors file when they fit together (else ``ValueError``)."""
    vectors, ids, scale = arrays["vectors"], arrays["ids"], arrays["scale"]
    size = arrays["vocabulary_size"]
    if not (
        vectors.ndim == 2
        and ids.shape == (len(vectors),)
        and scale.shape == (len(vectors),)
        and size.shape == ()
        and int(ids.min(initial=0)) >= 0
        and int(ids.max(initial=-1)) < int(size)
    ):
        raise ValueError("the vectors file's arrays do not fit together")
    return arrays


def unit_rows(matrix: NDArray[Any]) -> NDArray[np.float32]:
    """Rows scaled to unit length (a zero row stays zero)."""
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return (matrix / np.where(norms > 0, norms, 1.0)).astype(np.float32)


@lru_cache(maxsize=1)
def default_embedder() -> StaticEmbedder:
    """The shipped static embedder (loaded once per process)."""
    vectors, tokenizer, words = (model_path(name) for name in DEFAULT_FILES)
    for path, tool in (
        (vectors, "build_encoder.py"),
        (tokenizer, "build_encoder.py"),
        (words, "build_word_vectors.py"),
    ):
        if not path.exists():
            raise UsageError(
                f"the default text model is missing from this installation ({path})",
                fix=f"rebuild it with python tools/{tool} (in the repository)",
            )
    embedder = StaticEmbedder.load(
        vectors,
        tokenizer,
        name=DEFAULT_EMBEDDER,
        words_file=words,
        fold_capitals=True,
        cache=cache_folder(),
    )
    # What a worker process tokenised and computed is kept here too: later stages and this
    # process's own reading (the theme assignment after text analyze) skip that work.
    share_learning(
        "words and rows of the default embedder",
        Learning(embedder.learnt_mark, embedder.learnt_since, embedder.learn),
    )
    return embedder
