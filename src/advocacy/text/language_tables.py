"""py3langid's model as the arrays :mod:`advocacy.text.language` reads, unpacked once per model.

py3langid (BSD-3-Clause; Marco Lui's langid.py, forked by Adrien Barbaresi) ships its model as
an LZMA-packed ``.npz`` (4.6 MB) that every process unpacked again: 68 MB through LZMA, then its
lists turned back into arrays, 0.7-1.1 CPU s before the first text was read. The arrays are the
same for every process that has the same model file, so the first process writes them unpacked
(``.npy`` files, 68 MB) into a folder named for the model file's SHA-256 under the model cache,
and every later process maps them into memory (:mod:`advocacy.text.model_cache`: a few
milliseconds; its checks of a cached copy, and what it does when the cache cannot be written).
A new py3langid with another model file gets another folder; nothing of py3langid is shipped
with advocacy and nothing is downloaded.
"""

from __future__ import annotations

import io
import lzma
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from advocacy.text.model_cache import cached_arrays

__all__ = ["LAYOUT", "LanguageTables", "language_tables", "unpack"]

#: The name of this layout of the arrays (a new layout gets new folders beside the old ones).
LAYOUT = "py3langid-tables-1"
_ARRAYS = ("next_move", "row_base", "output", "feature_class", "class_prior", "classes")


@dataclass(frozen=True, eq=False)
class LanguageTables:
    """py3langid's model as arrays: the byte automaton and the naive Bayes tables."""

    next_move: NDArray[np.unsignedinteger]  # the automaton's distinct rows of 256 moves
    row_base: NDArray[np.int64]  # each state's row, times 256
    output: NDArray[np.int32]  # each state's feature (-1: none)
    feature_class: NDArray[np.float16]  # log P(feature | class); widened to float32 when read
    class_prior: NDArray[np.float32]
    classes: tuple[str, ...]
    aliases: tuple[tuple[int, int], ...]  # (first column, a later column of the same code)

    @classmethod
    def from_arrays(cls, arrays: dict[str, NDArray[np.generic]]) -> LanguageTables:
        """Check the arrays' shapes fit together and wrap them (``ValueError`` when not)."""
        classes = tuple(str(code) for code in arrays["classes"].tolist())
        features = arrays["feature_class"]
        consistent = (
            arrays["next_move"].ndim == 1
            and arrays["next_move"].size % 256 == 0
            and arrays["row_base"].shape == arrays["output"].shape
            and features.shape[1:] == (len(classes),)
            and arrays["class_prior"].shape == (len(classes),)
            and int(arrays["output"].max(initial=-1)) < features.shape[0]
        )
        if not consistent:
            raise ValueError("py3langid's tables do not fit together")
        first: dict[str, int] = {}
        aliases = []
        for index, code in enumerate(classes):
            if code in first:
                aliases.append((first[code], index))
            else:
                first[code] = index
        return cls(
            arrays["next_move"],  # type: ignore[arg-type]
            arrays["row_base"],  # type: ignore[arg-type]
            arrays["output"],  # type: ignore[arg-type]
            features,  # type: ignore[arg-type]
            arrays["class_prior"],  # type: ignore[arg-type]
            classes,
            tuple(aliases),
        )


def unpack(model_file: Path) -> dict[str, NDArray[np.generic]]:
    """The arrays of py3langid's ``model.npz.xz`` (its layout: ``py3langid/modelio.py``)."""
    with np.load(io.BytesIO(lzma.decompress(model_file.read_bytes())), allow_pickle=False) as data:
        return {
            "next_move": data["nextmove"],
            "row_base": data["nextmove_row"].astype(np.int64) << 8,
            "output": data["out_feat"].astype(np.int32),
            "feature_class": data["ptc"].astype(np.float16),
            "class_prior": data["pc"].astype(np.float32),
            "classes": data["classes"].astype(str),
        }


def language_tables(model_file: Path, cache: Path | None) -> LanguageTables:
    """py3langid's tables for ``model_file``: mapped from ``cache`` when unpacked there before,
    else unpacked (and written there for the next process, when ``cache`` is given; see
    :func:`~advocacy.text.model_cache.cached_arrays`)."""
    return cached_arrays(
        model_file, layout=LAYOUT, names=_ARRAYS, unpack=unpack, build=_checked, cache=cache
    )


def _checked(arrays: dict[str, NDArray[np.generic]]) -> LanguageTables:
    tables = LanguageTables.from_arrays(arrays)
    if int(tables.next_move.max(initial=0)) >= len(tables.row_base):
        raise ValueError("the automaton moves to a state it does not have")
    return tables
