"""Whole-word vectors for English words the tokenizer splits into pieces.

The static embedding (:mod:`advocacy.text.embeddings`) has one vector per sub-word piece, so a
word the tokenizer splits is read as the sum of pieces that mean little alone: "awful" is
``▁a`` + ``w`` + ``ful`` and lay nearer "good" than "terrible", "unhelpful" is ``▁un`` +
``help`` + ``ful``, "worthless" is ``▁worth`` + ``less``. ``tools/build_word_vectors.py`` gives
the most frequent such English words (wordfreq's ranks) the teacher's own vector for the whole
word, projected as the pieces were; this module puts those vectors in place of the pieces.

A run of letters inside a whitespace-delimited word (``awful!`` holds ``awful``), looked up
lower-cased, whose pieces lie wholly inside it (two or more of them), counts as its own vector
once per piece it replaces: it weighs in a text's mean what its pieces weighed. Pieces outside
such runs (punctuation, digits, unknown words) keep their rows.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["WORDS_FILE", "WholeWords"]

#: The shipped file of whole-word vectors (in ``advocacy/text/models``).
WORDS_FILE = "words_en.npz"
#: Runs of letters of any script (no digits, no underscore).
LETTERS = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class WholeWords:
    """Vectors of whole words, as int8 codes with a scale per row like the pieces'.

    Parameters
    ----------
    index : mapping of str to int
        Each (lower-case) word's row in ``codes``.
    codes : int8 array (words x dimension)
        The words' vectors, row ``i`` being ``codes[i] * scale[i]``.
    scale : float32 array (words)
        Each row's scale.

    Examples
    --------
    >>> import numpy as np
    >>> words = WholeWords({"awful": 0}, np.ones((1, 2), np.int8), np.ones(1, np.float32))
    >>> len(words)
    1
    """

    index: Mapping[str, int]
    codes: NDArray[np.int8]
    scale: NDArray[np.float32]

    def __len__(self) -> int:
        return len(self.codes)

    @classmethod
    def load(cls, path: str | Path) -> WholeWords:
        """Read a file written by ``tools/build_word_vectors.py --ship``."""
        with np.load(path, allow_pickle=False) as data:
            words = data["words"].tobytes().decode().split("\n")
            codes = np.asarray(data["vectors"], dtype=np.int8)
            scale = data["scale"].astype(np.float32)
        return cls({word: i for i, word in enumerate(words)}, codes, scale)

    def listed(self, word: str) -> bool:
        """Whether a run of letters of ``word`` is a listed word (else :meth:`rows` gives None
        whatever the pieces: the caller need not make them)."""
        body = word[1:] if word.startswith(MARKER) else word
        if body.isalpha():  # one run, the whole word (as in rows)
            return body.lower() in self.index
        return any(run.group().lower() in self.index for run in LETTERS.finditer(word))

    def rows(
        self, word: str, tokens: Sequence[Any], row_of_id: NDArray[np.int64], first: int
    ) -> tuple[int, ...] | None:
        """The vector rows of one pre-tokenised word (``▁`` + its text) from its ``tokens``.

        Parameters
        ----------
        word : str
            The word as the tokenizer's model reads it (with the Metaspace marker).
        tokens : sequence of tokenizers.Token
            ``tokenizer.model.tokenize(word)``: ids and byte offsets into ``word``.
        row_of_id : int array
            The piece row of each token id (-1 for a piece without a vector).
        first : int
            The row number of this object's first word (its rows follow the pieces').

        Returns
        -------
        tuple of int or None
            The pieces' rows, except that each known run of letters of two or more pieces is
            ``first + index`` repeated once per piece, in the pieces' order; None when no run
            is replaced (the pieces' rows are then the caller's to take, the common case).
        """
        if len(tokens) < 2:
            return None
        listed = self.index
        body = word[1:] if word.startswith(MARKER) else word
        if body.isalpha():  # one run of letters, the whole word: no regular expression
            key = listed.get(body.lower())
            if key is None:
                return None
            count = sum(
                token.offsets[1] > token.offsets[0] + len(_MARKER) * token.value.startswith(MARKER)
                for token in tokens
            )
            if count == len(tokens):  # no lone marker piece to keep
                return (int(first + key),) * int(count)
        runs = [
            (run, key)
            for run in LETTERS.finditer(word)
            if (key := listed.get(run.group().lower())) is not None
        ]
        if not runs:
            return None
        # Each piece's byte span in ``word``, a leading marker left out (a lone marker is empty).
        spans = [
            (token.offsets[0] + len(_MARKER) * token.value.startswith(MARKER), token.offsets[1])
            for token in tokens
        ]
        replaced = _replaced(word, runs, spans)
        if not replaced:
            return None
        found: list[int] = []
        skip = 0
        for position, token in enumerate(tokens):
            if skip:
                skip -= 1
                continue
            if position in replaced:
                count, row = replaced[position]
                found.extend([first + row] * count)
                skip = count - 1
                continue
            row_id = int(row_of_id[token.id])
            if row_id >= 0:
                found.append(row_id)
        return tuple(found)


def _replaced(
    word: str, runs: list[tuple[re.Match[str], int]], spans: list[tuple[int, int]]
) -> dict[int, tuple[int, int]]:
    """The listed runs of letters of ``word`` whose pieces lie wholly inside them, two or more:
    their first piece, mapped to how many pieces they replace and the word's row."""
    replaced: dict[int, tuple[int, int]] = {}
    for run, key in runs:
        start = len(word[: run.start()].encode())
        stop = len(word[: run.end()].encode())
        inside = [i for i, (a, b) in enumerate(spans) if a >= start and b <= stop and b > a]
        straddles = any(
            a < stop and b > start and i not in inside for i, (a, b) in enumerate(spans)
        )
        if not straddles and len(inside) >= 2:
            replaced[inside[0]] = (len(inside), key)
    return replaced


MARKER = "▁"
_MARKER = MARKER.encode()
