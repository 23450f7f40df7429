"""The sentences theme assignment reads: texts cut into sentences, their embeddings, stemmers.

Keywords are found sentence by sentence (a phrase does not cross a sentence), and only
sentences of :data:`MIN_MEANING_WORDS` words or more are read for meaning: "Brilliant." says
nothing about a topic, and a lone word's embedding is mostly its spelling.

All of that is the same for a text whatever texts are beside it (a sentence's embedding sums
its pieces' vectors in the same order in any batch), so :func:`theme_reading` reads the texts in
fixed pieces of :data:`PIECE_TEXTS` on the worker processes of :mod:`advocacy.text.workers`:
the same numbers for any number of workers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import partial
from itertools import islice
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from advocacy.errors import UsageError
from advocacy.text.embeddings import Embedder, StaticEmbedder, TokenRows, unit_rows
from advocacy.text.phrases import MAX_CHARACTERS, stemmer_language
from advocacy.text.taxonomy_file import Taxonomy
from advocacy.text.theme_keywords import seed_hits
from advocacy.text.workers import Learning, items_done, run_tasks, share_learning, split_evenly

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "MIN_MEANING_WORDS",
    "PIECE_TEXTS",
    "ReadingTokens",
    "SentenceCut",
    "ThemeReading",
    "cut_sentences",
    "joined_readings",
    "joined_token_rows",
    "read_for_meaning",
    "read_theme_piece",
    "sentence_vectors",
    "stemmer_languages",
    "theme_reading",
]

#: Fewer words than this and a sentence gets no theme by meaning (keywords still count).
MIN_MEANING_WORDS = 3
#: At most this many texts in a piece of :func:`theme_reading` (as ``text analyze``'s pieces).
PIECE_TEXTS = 500
#: The stems of at most this many words are remembered (about 100 bytes each), then forgotten.
STEM_CACHE_SIZE = 100_000


class _Stems:
    """Stemmer -> folded word -> stem, for the seed keywords' search of every piece and run of
    this process, and what the workers stemmed (a stem is the same whichever process made it:
    only the work is spared)."""

    def __init__(self) -> None:
        self.table: dict[str, dict[str, str]] = {}
        self.forgotten = 0

    def current(self) -> dict[str, dict[str, str]]:
        if sum(len(known) for known in self.table.values()) >= STEM_CACHE_SIZE:
            self.table = {}
            self.forgotten += 1
        return self.table

    def mark(self) -> tuple[int, dict[str, int]]:
        return self.forgotten, {stemmer: len(known) for stemmer, known in self.table.items()}

    def since(self, mark: tuple[int, dict[str, int]]) -> dict[str, list[tuple[str, str]]]:
        forgotten, counts = mark
        start = counts if forgotten == self.forgotten else {}
        return {
            stemmer: list(islice(known.items(), start.get(stemmer, 0), None))
            for stemmer, known in self.table.items()
        }

    def merge(self, learnt: dict[str, list[tuple[str, str]]]) -> None:
        table = self.current()
        for stemmer, pairs in learnt.items():
            table.setdefault(stemmer, {}).update(pairs)


_stems = _Stems()
share_learning(
    "stems of the theme sentences' words", Learning(_stems.mark, _stems.since, _stems.merge)
)


@dataclass(frozen=True)
class SentenceCut:
    """Texts cut into sentences.

    Attributes
    ----------
    pieces
        Every sentence's text, text by text.
    owner
        The text each sentence belongs to.
    read
        The indices of the sentences read for meaning.
    counts
        The number of sentences of each text.
    spans
        Each sentence's start and end in its text (sentences x 2): ``pieces[i]`` is
        ``texts[owner[i]][spans[i, 0]:spans[i, 1]]``.
    """

    pieces: list[str]
    owner: NDArray[np.int64]
    read: NDArray[np.int64]
    counts: NDArray[np.int64]
    spans: NDArray[np.int64]


def cut_sentences(texts: Sequence[str]) -> SentenceCut:
    """Cut ``texts`` into sentences and choose those read for meaning.

    Parameters
    ----------
    texts
        The texts (each read up to :data:`~advocacy.text.phrases.MAX_CHARACTERS`).

    Returns
    -------
    SentenceCut
        The sentences, the text each belongs to, those of :data:`MIN_MEANING_WORDS` words or
        more, and how many sentences each text has.
    """
    from advocacy.text.sentiment import sentence_spans

    spans = [sentence_spans((text or "")[:MAX_CHARACTERS]) for text in texts]
    owner = np.array([row for row, found in enumerate(spans) for _ in found], dtype=np.int64)
    pieces = [texts[row][a:b] for row, found in enumerate(spans) for a, b in found]
    counts = np.array([len(found) for found in spans], dtype=np.int64)
    bounds = np.array([span for found in spans for span in found], dtype=np.int64)
    return SentenceCut(pieces, owner, read_for_meaning(pieces), counts, bounds.reshape(-1, 2))


def read_for_meaning(pieces: Sequence[str]) -> NDArray[np.int64]:
    """The indices of the sentences of :data:`MIN_MEANING_WORDS` words or more.

    Parameters
    ----------
    pieces
        Sentences.

    Returns
    -------
    numpy.ndarray
        The indices, in order, of those read for meaning.
    """
    # Only sentences of a few words are read for meaning: "Brilliant." says nothing about a
    # topic, and a lone word's embedding is mostly its spelling.
    return np.flatnonzero(
        np.fromiter(
            (len(piece.split()) >= MIN_MEANING_WORDS for piece in pieces), bool, len(pieces)
        )
    ).astype(np.int64)


def sentence_vectors(
    pieces: Sequence[str],
    read: NDArray[np.int64],
    owner: NDArray[np.int64],
    counts: NDArray[np.int64],
    embedder: Embedder,
    embeddings: NDArray[Any] | None,
) -> NDArray[np.float32]:
    """Embeddings of the sentences ``read`` (a one-sentence text's own, when given).

    Parameters
    ----------
    pieces
        Every sentence (:attr:`SentenceCut.pieces`).
    read
        The indices of the sentences to embed.
    owner
        The text each sentence belongs to.
    counts
        The number of sentences of each text.
    embedder
        Embeds the sentences.
    embeddings
        The texts' embeddings by ``embedder``, if at hand: a one-sentence text's serves its
        sentence.

    Returns
    -------
    numpy.ndarray
        One row per sentence of ``read``.
    """
    vectors = np.zeros((len(read), embedder.dimension), np.float32)
    reuse = counts[owner[read]] == 1 if embeddings is not None else np.zeros(len(read), bool)
    if reuse.any():
        vectors[reuse] = np.asarray(embeddings, np.float32)[owner[read[reuse]]]
    if (~reuse).any():
        vectors[~reuse] = embedder.embed([pieces[i] for i in read[~reuse]])
    return vectors


def stemmer_languages(languages: Sequence[str | None] | None, n: int) -> list[str]:
    """The stemmer of each of ``n`` sentences.

    Parameters
    ----------
    languages
        ISO 639-1 code per sentence (None: unknown), or None when no language is known.
    n
        The number of sentences.

    Returns
    -------
    list of str
        The stemmer each sentence is read with (:func:`~advocacy.text.phrases.stemmer_language`).
    """
    if languages is None:
        return [stemmer_language(None)] * n
    return [stemmer_language(language) for language in languages]


@dataclass(frozen=True)
class ReadingTokens:
    """The static embedder's rows behind a reading's vectors (what the workspace keeps:
    :mod:`advocacy.text.theme_reading_store`).

    Attributes
    ----------
    texts
        The rows of each text's pieces (their sums are the texts' embeddings).
    sentences
        The rows of every sentence's pieces, in the order of :attr:`SentenceCut.pieces`.
    """

    texts: TokenRows
    sentences: TokenRows


@dataclass(frozen=True)
class ThemeReading:
    """What theme assignment reads of each text before it weighs the themes' meaning.

    Attributes
    ----------
    texts
        The texts read.
    embeddings
        Each text's embedding.
    cut
        The texts' sentences (:func:`cut_sentences`).
    found
        Sentences x themes: which themes' seed keywords each sentence names
        (:func:`~advocacy.text.theme_keywords.seed_hits`); None when keywords were not read.
    vectors
        The embeddings of the sentences read for meaning (:func:`sentence_vectors` of
        ``cut.read``).
    tokens
        The rows the static embedder summed (None: another embedder, not kept, or read to
        be kept: then ``kept`` holds what is kept of them).
    kept
        The columns the workspace keeps of each text's reading
        (:func:`~advocacy.text.theme_reading_store.kept_columns`), built where the piece was
        read (None: not read to be kept).
    """

    texts: list[str]
    embeddings: NDArray[np.float32]
    cut: SentenceCut
    found: NDArray[np.bool_] | None
    vectors: NDArray[np.float32]
    tokens: ReadingTokens | None = None
    kept: pa.Table | None = None


def theme_reading(
    texts: Sequence[str],
    taxonomy: Taxonomy,
    *,
    embedder: Embedder,
    languages: Sequence[str | None] | None = None,
    keywords: bool = True,
    workers: int = 1,
    meanwhile: Callable[[], None] | None = None,
    progress: Callable[[int], None] | None = None,
    keep: bool = False,
) -> ThemeReading:
    """Embed, cut, find the seed keywords of and embed the sentences of ``texts``, in pieces.

    The pieces (at most :data:`PIECE_TEXTS` texts, as even as can be) do not depend on
    ``workers``, and a text's reading does not depend on its piece: the same numbers as one
    piece of every text, for any number of workers.

    Parameters
    ----------
    texts
        The texts.
    taxonomy
        The themes whose seed keywords are looked for.
    embedder
        Embeds the texts and their sentences.
    languages
        ISO 639-1 code per text (None: unknown), which chooses the keyword stemmer.
    keywords
        Whether to look for the seed keywords at all.
    workers
        Processes to read on (1: this one alone; :func:`~advocacy.text.workers.run_tasks`).
    meanwhile
        The caller's own work, done while the workers read (an import, a query).
    progress
        Called with the number of texts read so far as each piece is read (growing, the last
        call with every text).
    keep
        Build what the workspace keeps of each text's reading (:attr:`ThemeReading.kept`)
        where its piece is read, instead of the rows the static embedder summed (a static
        embedder's reading only).

    Returns
    -------
    ThemeReading
        The reading of every text, in order.
    """
    split = split_evenly(len(texts), -(-len(texts) // PIECE_TEXTS))
    done = run_tasks(
        [
            partial(
                _read_piece,
                list(texts[piece.start : piece.stop]),
                taxonomy,
                embedder,
                None if languages is None else list(languages[piece.start : piece.stop]),
                keywords,
                keep,
            )
            for piece in split
        ],
        workers=workers,
        meanwhile=meanwhile,
        finished=items_done(split, progress),
    )
    return joined_readings(done)


def joined_readings(parts: Sequence[ThemeReading]) -> ThemeReading:
    """One reading of the texts of ``parts``, in order: :func:`theme_reading` of all of them
    (a text's reading does not depend on the texts read beside it).

    Parameters
    ----------
    parts
        Readings of consecutive runs of texts (:func:`theme_reading` or
        :func:`read_theme_piece`), all with keywords or all without.

    Returns
    -------
    ThemeReading
        The reading of every text of ``parts``.

    Raises
    ------
    UsageError
        When some parts were read with keywords and others without.
    """
    if len(parts) == 1:
        return parts[0]  # one piece: read in this process, of every text
    if len({part.found is None for part in parts}) > 1:
        raise UsageError(
            "some readings looked for the keywords and others did not",
            fix="read every part with the same keywords setting",
        )
    starts = np.cumsum([0] + [len(part.texts) for part in parts])
    sentences = np.cumsum([0] + [len(part.cut.pieces) for part in parts])
    cut = SentenceCut(
        [sentence for part in parts for sentence in part.cut.pieces],
        np.concatenate(
            [part.cut.owner + first for part, first in zip(parts, starts[:-1], strict=True)]
        ),
        np.concatenate(
            [part.cut.read + first for part, first in zip(parts, sentences[:-1], strict=True)]
        ),
        np.concatenate([part.cut.counts for part in parts]),
        np.concatenate([part.cut.spans for part in parts]),
    )
    found = [part.found for part in parts if part.found is not None]
    tokens = [part.tokens for part in parts if part.tokens is not None]
    kept = [part.kept for part in parts if part.kept is not None]
    return ThemeReading(
        [text for part in parts for text in part.texts],
        np.concatenate([part.embeddings for part in parts]),
        cut,
        np.concatenate(found) if found else None,
        np.concatenate([part.vectors for part in parts]),
        ReadingTokens(
            joined_token_rows([part.texts for part in tokens]),
            joined_token_rows([part.sentences for part in tokens]),
        )
        if tokens and len(tokens) == len(parts)
        else None,
        _joined_tables(kept) if kept and len(kept) == len(parts) else None,
    )


def _joined_tables(tables: list[pa.Table]) -> pa.Table:
    """The rows of ``tables``, one after another."""
    import pyarrow as pa

    return pa.concat_tables(tables)


def joined_token_rows(parts: Sequence[TokenRows]) -> TokenRows:
    """The token rows of the texts of ``parts``, in order.

    Parameters
    ----------
    parts
        Token rows of consecutive runs of texts.

    Returns
    -------
    TokenRows
        One entry per text of every part.
    """
    ends = np.cumsum([0] + [len(part.rows) for part in parts])
    return TokenRows(
        np.concatenate([part.rows for part in parts]) if parts else np.zeros(0, np.int64),
        np.concatenate(
            [[0], *(part.offsets[1:] + end for part, end in zip(parts, ends[:-1], strict=True))]
        ).astype(np.int64),
    )


def read_theme_piece(
    texts: Sequence[str],
    taxonomy: Taxonomy,
    *,
    embedder: Embedder,
    languages: Sequence[str | None] | None = None,
    keywords: bool = True,
    keep: bool = False,
) -> ThemeReading:
    """:func:`theme_reading` of ``texts`` in this process alone (the reading of one piece).

    ``text analyze --taxonomy`` reads its pieces on the workers that read the documents,
    then joins them (:func:`joined_readings`).

    Parameters
    ----------
    texts, taxonomy, embedder, languages, keywords, keep
        As for :func:`theme_reading`.

    Returns
    -------
    ThemeReading
        The reading of every text, in order.
    """
    return _read_piece(
        list(texts),
        taxonomy,
        embedder,
        None if languages is None else list(languages),
        keywords,
        keep,
    )


def _read_piece(
    texts: list[str],
    taxonomy: Taxonomy,
    embedder: Embedder,
    languages: list[str | None] | None,
    keywords: bool,
    keep: bool = False,
) -> ThemeReading:
    """:func:`theme_reading` of one piece."""
    cut = cut_sentences(texts)
    if isinstance(embedder, StaticEmbedder):
        reading = _read_static_piece(texts, taxonomy, embedder, languages, keywords, cut)
        if not keep:
            return reading
        from advocacy.text.theme_reading_bytes import kept_columns

        # Built here, on the worker that read the piece; the rows summed need not travel.
        return replace(reading, tokens=None, kept=kept_columns(reading, embedder))
    embeddings = np.asarray(embedder.embed(texts), np.float32)
    found = None
    if keywords:
        chosen = None if languages is None else [languages[row] for row in cut.owner]
        found = seed_hits(cut.pieces, taxonomy, languages=chosen, stemmed=_stems.current())
    vectors = sentence_vectors(cut.pieces, cut.read, cut.owner, cut.counts, embedder, embeddings)
    return ThemeReading(texts, embeddings, cut, found, vectors)


def _read_static_piece(
    texts: list[str],
    taxonomy: Taxonomy,
    embedder: StaticEmbedder,
    languages: list[str | None] | None,
    keywords: bool,
    cut: SentenceCut,
) -> ThemeReading:
    """:func:`_read_piece` by the static embedder, keeping the rows it sums (the same vectors
    as :meth:`~advocacy.text.embeddings.StaticEmbedder.embed`: the sums of the same rows)."""
    text_rows = embedder.token_rows(texts)
    embeddings = unit_rows(embedder.sums(text_rows))
    sentence_rows = embedder.token_rows(cut.pieces)
    found = None
    if keywords:
        chosen = None if languages is None else [languages[row] for row in cut.owner]
        found = seed_hits(cut.pieces, taxonomy, languages=chosen, stemmed=_stems.current())
    vectors = np.zeros((len(cut.read), embedder.dimension), np.float32)
    reuse = cut.counts[cut.owner[cut.read]] == 1  # a one-sentence text's vector is its own
    vectors[reuse] = embeddings[cut.owner[cut.read[reuse]]]
    embedded = cut.read[~reuse]
    starts, sizes = sentence_rows.offsets[embedded], np.diff(sentence_rows.offsets)[embedded]
    ends = np.cumsum(sizes)
    total = int(ends[-1]) if len(ends) else 0
    rows = sentence_rows.rows[np.repeat(starts - (ends - sizes), sizes) + np.arange(total)]
    offsets = np.concatenate([[0], ends]).astype(np.int64)
    vectors[~reuse] = unit_rows(embedder.sums(TokenRows(rows, offsets)))
    tokens = ReadingTokens(text_rows, sentence_rows)
    return ThemeReading(texts, embeddings, cut, found, vectors, tokens)
