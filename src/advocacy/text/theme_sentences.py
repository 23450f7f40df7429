"""The sentences theme assignment reads: texts cut into sentences, their embeddings, stemmers.

Keywords are found sentence by sentence (a phrase does not cross a sentence), and only
sentences of :data:`MIN_MEANING_WORDS` words or more are read for meaning: "Brilliant." says
nothing about a topic, and a lone word's embedding is mostly its spelling.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from advocacy.text.embeddings import Embedder
from advocacy.text.phrases import MAX_CHARACTERS, stemmer_language

__all__ = [
    "MIN_MEANING_WORDS",
    "SentenceCut",
    "cut_sentences",
    "sentence_vectors",
    "stemmer_languages",
]

#: Fewer words than this and a sentence gets no theme by meaning (keywords still count).
MIN_MEANING_WORDS = 3


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
    """

    pieces: list[str]
    owner: NDArray[np.int64]
    read: NDArray[np.int64]
    counts: NDArray[np.int64]


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
    # Only sentences of a few words are read for meaning: "Brilliant." says nothing about a
    # topic, and a lone word's embedding is mostly its spelling.
    long_enough = np.array([len(piece.split()) >= MIN_MEANING_WORDS for piece in pieces], bool)
    counts = np.array([len(found) for found in spans], dtype=np.int64)
    return SentenceCut(pieces, owner, np.flatnonzero(long_enough), counts)


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
