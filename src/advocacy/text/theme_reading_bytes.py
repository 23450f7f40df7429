"""The bytes a kept theme reading holds: built from a reading, and decoded back into one.

A kept row (:mod:`advocacy.text.theme_reading_store`) holds, as little-endian int32, each
sentence's span and number of word pieces (``sentences``), the static embedder's rows of every
sentence's pieces (``tokens``), the text's own rows where its sentences' differ
(``text_tokens``) and the seed-keyword hits as (sentence, theme) pairs (``hits``). The sums of the
kept rows are the vectors of reading the text again, to the bit. A row whose numbers do not fit
its text is found here and read again, never trusted.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from advocacy.text.phrases import MAX_CHARACTERS

if TYPE_CHECKING:
    import pyarrow as pa

    from advocacy.text.embeddings import StaticEmbedder, TokenRows
    from advocacy.text.taxonomy_file import Taxonomy
    from advocacy.text.theme_sentences import ThemeReading

__all__ = [
    "BYTE_COLUMNS",
    "decoded_reading",
    "kept_columns",
    "row_hits",
    "taken_reading",
]

#: The binary columns of a kept row, in the table's order.
BYTE_COLUMNS = ("sentences", "tokens", "text_tokens", "hits")
_INTEGERS = np.dtype("<i4")


def kept_columns(reading: ThemeReading, embedder: StaticEmbedder) -> pa.Table:
    """The columns a kept row holds of each text of ``reading`` that depend on its reading
    alone (``sentences``, ``tokens``, ``text_tokens``, ``hits``), one row per text in order.

    A text's columns do not depend on the texts read beside it, so the workers that read a
    piece build its columns (:func:`~advocacy.text.theme_sentences.theme_reading` with
    ``keep``) and the caller only gathers those of the texts it writes.

    Parameters
    ----------
    reading
        The reading of the texts.
    embedder
        The static embedder that read them.

    Returns
    -------
    pyarrow.Table
        The four binary columns.
    """
    import pyarrow as pa

    written = np.arange(len(reading.texts), dtype=np.int64)
    return pa.table(_row_bytes(reading, written, embedder)).select(list(BYTE_COLUMNS))


def decoded_reading(
    texts: Sequence[str],
    candidates: list[tuple[int, tuple[Any, ...]]],
    taxonomy: Taxonomy,
    languages: Sequence[str | None],
    embedder: StaticEmbedder,
    digest: str,
) -> tuple[NDArray[np.int64], ThemeReading, NDArray[np.bool_]]:
    """The reading of the texts whose kept rows (``candidates``: position and row, in order)
    fit them: their positions, their reading, and which were searched for keywords again
    (kept under another taxonomy). A row whose numbers do not fit its text is left out."""
    while True:
        at = np.array([position for position, _ in candidates], dtype=np.int64)
        rows = [row for _, row in candidates]
        reading, searched, bad = _decoded(texts, at, rows, taxonomy, languages, embedder, digest)
        if not bad.any():
            return at, reading, searched
        # Rare (an edited row): decoded again without the rows that do not fit.
        candidates = [
            candidate for candidate, wrong in zip(candidates, bad, strict=True) if not wrong
        ]


def _gathered(
    values: NDArray[np.int64], starts: NDArray[np.int64], lengths: NDArray[np.int64]
) -> NDArray[np.int64]:
    """``values[starts[i]:starts[i] + lengths[i]]`` for every i, one after another."""
    ends = np.cumsum(lengths)
    total = int(ends[-1]) if len(ends) else 0
    return values[np.repeat(starts - (ends - lengths), lengths) + np.arange(total)]


def _decoded(
    texts: Sequence[str],
    at: NDArray[np.int64],
    rows: list[tuple[Any, ...]],
    taxonomy: Taxonomy,
    languages: Sequence[str | None],
    embedder: StaticEmbedder,
    digest: str,
) -> tuple[ThemeReading, NDArray[np.bool_], NDArray[np.bool_]]:
    """The reading the kept ``rows`` give the texts at ``at`` (every array at once), which
    were searched for keywords again, and which rows do not fit their texts."""
    from advocacy.text.embeddings import unit_rows
    from advocacy.text.theme_keywords import seed_hits
    from advocacy.text.theme_sentences import (
        ReadingTokens,
        SentenceCut,
        ThemeReading,
        read_for_meaning,
    )

    m, k, dimension = len(rows), len(taxonomy.themes), int(embedder.dimension)
    word = _INTEGERS.itemsize
    blobs = [[bytes(row[column] or b"") for row in rows] for column in (5, 6, 7, 9)]
    lengths = [np.array([len(blob) for blob in column], dtype=np.int64) for column in blobs]
    own = np.array([row[7] is not None for row in rows], dtype=bool)  # the text's own rows
    searched = np.array([str(row[8]) != digest for row in rows], dtype=bool)
    bad = (lengths[0] % (3 * word) != 0) | (lengths[1] % word != 0) | (lengths[2] % word != 0)
    bad |= ~searched & (lengths[3] % (2 * word) != 0)
    if bad.any():
        return _empty(dimension, k), searched, bad
    counts = lengths[0] // (3 * word)
    starts = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    owner = np.repeat(np.arange(m, dtype=np.int64), counts)
    triples = np.frombuffer(b"".join(blobs[0]), _INTEGERS).reshape(-1, 3).astype(np.int64)
    spans, sizes = triples[:, :2], triples[:, 2]
    chosen = [texts[position] for position in at.tolist()]
    limit = np.array([min(len(text), MAX_CHARACTERS) for text in chosen], dtype=np.int64)
    outside = (spans[:, 0] < 0) | (spans[:, 0] > spans[:, 1]) | (spans[:, 1] > limit[owner])
    outside |= sizes < 0
    bad |= np.bincount(owner[outside], minlength=m) > 0
    bad |= np.bincount(owner, weights=sizes, minlength=m) * word != lengths[1]
    pieces_rows = np.frombuffer(b"".join(blobs[1]), _INTEGERS).astype(np.int64)
    text_rows = np.frombuffer(b"".join(blobs[2]), _INTEGERS).astype(np.int64)
    for kept_rows, size in ((pieces_rows, lengths[1]), (text_rows, lengths[2])):
        wrong = (kept_rows < 0) | (kept_rows >= embedder.row_count)
        bad |= np.bincount(np.repeat(np.arange(m), size // word)[wrong], minlength=m) > 0
    if bad.any():
        return _empty(dimension, k), searched, bad
    pieces = [
        chosen[row][start:end]
        for row, (start, end) in zip(owner.tolist(), spans.tolist(), strict=True)
    ]
    read = read_for_meaning(pieces)
    several = counts[owner[read]] > 1  # a one-sentence text's sentence vector is its own
    hits = (
        np.frombuffer(
            b"".join(blob for blob, again in zip(blobs[3], searched, strict=True) if not again),
            _INTEGERS,
        )
        .reshape(-1, 2)
        .astype(np.int64)
    )
    hit_owner = np.repeat(np.flatnonzero(~searched), lengths[3][~searched] // (2 * word))
    outside = (hits < 0).any(axis=1) | (hits[:, 0] >= counts[hit_owner]) | (hits[:, 1] >= k)
    bad |= np.bincount(hit_owner[outside], minlength=m) > 0
    if bad.any():
        return _empty(dimension, k), searched, bad
    # The rows of each sentence, and of each text: its sentences' or its own.
    sentence_starts = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    pool = np.concatenate([pieces_rows, text_rows])
    text_sizes = np.where(own, lengths[2] // word, lengths[1] // word)
    own_starts = len(pieces_rows) + np.concatenate([[0], np.cumsum(lengths[2] // word)])[:-1]
    text_starts = np.where(own, own_starts, sentence_starts[starts[:-1]])
    text_tokens = _token_rows(_gathered(pool, text_starts, text_sizes), text_sizes)
    embeddings = unit_rows(embedder.sums(text_tokens))
    chosen_sentences = read[several]
    sentence_sizes = sizes[chosen_sentences]
    vectors = np.zeros((len(read), dimension), np.float32)
    vectors[~several] = embeddings[owner[read[~several]]]
    vectors[several] = unit_rows(
        embedder.sums(
            _token_rows(
                _gathered(pieces_rows, sentence_starts[chosen_sentences], sentence_sizes),
                sentence_sizes,
            )
        )
    )
    found = np.zeros((len(pieces), k), bool)
    found[starts[hit_owner] + hits[:, 0], hits[:, 1]] = True
    again = np.flatnonzero(searched[owner])
    if len(again):
        found[again] = seed_hits(
            [pieces[sentence] for sentence in again.tolist()],
            taxonomy,
            languages=[languages[int(at[row])] for row in owner[again].tolist()],
        )
    cut = SentenceCut(pieces, owner, read, counts, spans)
    tokens = ReadingTokens(text_tokens, _token_rows(pieces_rows, sizes))
    return ThemeReading(chosen, embeddings, cut, found, vectors, tokens), searched, bad


def _token_rows(rows: NDArray[np.int64], sizes: NDArray[np.int64]) -> TokenRows:
    """The :class:`~advocacy.text.embeddings.TokenRows` of texts of ``sizes`` rows each."""
    from advocacy.text.embeddings import TokenRows

    return TokenRows(rows, np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64))


def _empty(dimension: int, themes: int) -> ThemeReading:
    """The reading of no text."""
    from advocacy.text.theme_sentences import ReadingTokens, SentenceCut, ThemeReading

    nothing = np.zeros(0, np.int64)
    return ThemeReading(
        [],
        np.zeros((0, dimension), np.float32),
        SentenceCut([], nothing, nothing, nothing, np.zeros((0, 2), np.int64)),
        np.zeros((0, themes), bool),
        np.zeros((0, dimension), np.float32),
        ReadingTokens(_token_rows(nothing, nothing), _token_rows(nothing, nothing)),
    )


def taken_reading(reading: ThemeReading, order: NDArray[np.int64]) -> ThemeReading:
    """The reading of ``reading``'s texts at ``order`` (in that order), as if read so."""
    import pyarrow as pa

    from advocacy.text.theme_sentences import ReadingTokens, SentenceCut, ThemeReading

    cut = reading.cut
    starts = np.concatenate([[0], np.cumsum(cut.counts)]).astype(np.int64)
    counts = cut.counts[order]
    ends = np.cumsum(counts)
    sentences = np.repeat(starts[order] - (ends - counts), counts) + np.arange(
        int(ends[-1]) if len(ends) else 0, dtype=np.int64
    )
    vector_of = np.full(len(cut.pieces), -1, np.int64)
    vector_of[cut.read] = np.arange(len(cut.read))
    read = np.flatnonzero(vector_of[sentences] >= 0).astype(np.int64)
    taken = SentenceCut(
        [cut.pieces[sentence] for sentence in sentences.tolist()],
        np.repeat(np.arange(len(order), dtype=np.int64), counts),
        read,
        counts,
        cut.spans[sentences],
    )
    tokens = reading.tokens
    return ThemeReading(
        [reading.texts[at] for at in order.tolist()],
        reading.embeddings[order],
        taken,
        None if reading.found is None else reading.found[sentences],
        reading.vectors[vector_of[sentences[read]]],
        None
        if tokens is None
        else ReadingTokens(
            _taken_rows(tokens.texts, order), _taken_rows(tokens.sentences, sentences)
        ),
        None if reading.kept is None else reading.kept.take(pa.array(order)),
    )


def _taken_rows(tokens: TokenRows, order: NDArray[np.int64]) -> TokenRows:
    """The token rows of the entries of ``tokens`` at ``order``, in that order."""
    sizes = np.diff(tokens.offsets)[order]
    return _token_rows(_gathered(tokens.rows, tokens.offsets[order], sizes), sizes)


def _row_bytes(
    reading: ThemeReading, written: NDArray[np.int64], embedder: StaticEmbedder | None
) -> dict[str, pa.Array]:
    """The kept columns (``sentences``, ``tokens``, ``text_tokens``, ``hits``) of the texts at
    ``written`` (in order; ``hits`` alone without an ``embedder``), as Arrow arrays built from
    whole buffers (no bytes object per row)."""
    cut = reading.cut
    starts = np.concatenate([[0], np.cumsum(cut.counts)]).astype(np.int64)
    counts = cut.counts[written].astype(np.int64)
    sentences = _gathered(np.arange(len(cut.pieces), dtype=np.int64), starts[written], counts)
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    local = np.full(len(cut.pieces), -1, np.int64)
    local[sentences] = np.arange(len(sentences))
    found = reading.found if reading.found is not None else np.zeros((len(cut.pieces), 0), bool)
    hits = np.argwhere(found).astype(np.int64)
    hits = hits[local[hits[:, 0]] >= 0]
    at = local[hits[:, 0]]  # the sentence's place among the written ones
    owner = np.searchsorted(offsets, at, side="right") - 1
    pairs = np.column_stack([at - offsets[owner], hits[:, 1]])
    hit_offsets = np.searchsorted(at, offsets) * 2 * _INTEGERS.itemsize
    columns = {"hits": _binary(pairs, hit_offsets)}
    if embedder is None:
        return columns
    if reading.tokens is not None:  # the rows the reading summed
        text_tokens = _taken_rows(reading.tokens.texts, written)
        piece_tokens = _taken_rows(reading.tokens.sentences, sentences)
    else:
        text_tokens = embedder.token_rows([reading.texts[at] for at in written.tolist()])
        piece_tokens = embedder.token_rows([cut.pieces[at] for at in sentences.tolist()])
    sizes = np.diff(piece_tokens.offsets)
    word = _INTEGERS.itemsize
    columns["sentences"] = _binary(
        np.column_stack([cut.spans[sentences], sizes]), offsets * 3 * word
    )
    token_offsets = piece_tokens.offsets[offsets]
    columns["tokens"] = _binary(piece_tokens.rows, token_offsets * word)
    own = ~_same_rows(text_tokens, piece_tokens.rows, token_offsets)
    own_sizes = np.where(own, np.diff(text_tokens.offsets), 0)
    columns["text_tokens"] = _binary(
        _gathered(text_tokens.rows, text_tokens.offsets[:-1], own_sizes),
        np.concatenate([[0], np.cumsum(own_sizes)]) * word,
        valid=own,
    )
    return columns


def _same_rows(
    texts: TokenRows, pieces: NDArray[np.int64], offsets: NDArray[np.int64]
) -> NDArray[np.bool_]:
    """Whether each text's rows are those of its sentences (``pieces[offsets[i]:offsets[i +
    1]]``) in some order: then their sums are the same floats (:meth:`StaticEmbedder.sums`
    adds a text's rows in the order of the rows)."""
    n = len(texts)
    own, theirs = np.diff(texts.offsets), np.diff(offsets)
    same: NDArray[np.bool_] = own == theirs
    owner = np.repeat(np.arange(n, dtype=np.int64), own)
    # Each text's rows sorted: one sort of (text, row) keys (rows are int32, so a key fits in
    # 64 bits), which compares as the rows do wherever the texts line up.
    mine = np.sort((owner << 32) + texts.rows)
    other = pieces[offsets[0] : offsets[-1]] if n else pieces[:0]
    other = np.sort((np.repeat(np.arange(n, dtype=np.int64), theirs) << 32) + other)
    compared = same[owner]
    differ = mine[compared] != other[same[np.repeat(np.arange(n), theirs)]]
    same[owner[compared][differ]] = False
    return same


def _binary(
    values: NDArray[Any], offsets: NDArray[np.int64], valid: NDArray[np.bool_] | None = None
) -> pa.Array:
    """A binary Arrow array of ``values`` as little-endian int32 bytes, value i the bytes
    ``offsets[i]:offsets[i + 1]`` (None where ``valid`` is False)."""
    import pyarrow as pa

    data = np.ascontiguousarray(values, dtype=_INTEGERS)
    bitmap = None if valid is None else pa.py_buffer(np.packbits(valid, bitorder="little"))
    return pa.Array.from_buffers(
        pa.binary(),
        len(offsets) - 1,
        [bitmap, pa.py_buffer(offsets.astype(np.int32)), pa.py_buffer(data)],
        null_count=0 if valid is None else int((~valid).sum()),
    )


def row_hits(reading: ThemeReading, written: NDArray[np.int64]) -> pa.Array:
    """The ``hits`` column of the texts of ``reading`` at ``written`` (in order).

    Parameters
    ----------
    reading
        The reading of the texts.
    written
        The positions of the texts whose hits are written.

    Returns
    -------
    pyarrow.Array
        One binary value per text: its (sentence, theme) pairs.
    """
    return _row_bytes(reading, written, None)["hits"]
