"""py3langid's model as the arrays :mod:`advocacy.text.language` reads, unpacked once per model.

py3langid (BSD-3-Clause; Marco Lui's langid.py, forked by Adrien Barbaresi) ships its model as
an LZMA-packed ``.npz`` (4.6 MB) that every process unpacked again: 68 MB through LZMA, then its
lists turned back into arrays, 0.7-1.1 CPU s before the first text was read. The arrays are the
same for every process that has the same model file, so the first process writes them unpacked
(``.npy`` files, 68 MB) into a folder named for the model file's SHA-256 under the model cache
(the ``model_cache`` setting; by default ``$XDG_CACHE_HOME/advocacy`` or ``~/.cache/advocacy``),
and every later process maps them into memory (``np.load(mmap_mode="r")``: a few milliseconds;
processes share the pages, and only the pages a text reads are ever read). A new py3langid with
another model file gets another folder; nothing is shipped with advocacy and nothing is
downloaded. When the folder cannot be written or read (a read-only home, a full disk, a file cut
short), the arrays are unpacked in memory as before, with the same answers.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import lzma
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

__all__ = ["LAYOUT", "LanguageTables", "cache_folder", "language_tables", "unpack"]

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


def cache_folder() -> Path | None:
    """The model cache of the ``model_cache`` setting (None: "off")."""
    from advocacy.settings import current_settings

    chosen = current_settings().model_cache.strip()
    if chosen.lower() == "off":
        return None
    if chosen:
        return Path(chosen).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "advocacy"


def language_tables(model_file: Path, cache: Path | None) -> LanguageTables:
    """py3langid's tables for ``model_file``: mapped from ``cache`` when unpacked there before,
    else unpacked (and written there for the next process, when ``cache`` is given)."""
    if cache is None:
        return LanguageTables.from_arrays(unpack(model_file))
    digest = hashlib.sha256(model_file.read_bytes()).hexdigest()[:32]
    folder = cache / f"{LAYOUT}-{digest}"
    try:
        return LanguageTables.from_arrays(
            {name: np.load(folder / f"{name}.npy", mmap_mode="r") for name in _ARRAYS}
        )
    except (OSError, ValueError):
        # Not unpacked yet, or unreadable (then replaced). Decided now, not after unpacking:
        # meanwhile another process may write the folder, which is not to be taken away.
        unreadable = folder.exists()
    arrays = unpack(model_file)
    tables = LanguageTables.from_arrays(arrays)
    with contextlib.suppress(OSError):  # a read-only or full cache: the arrays stay in memory
        _write(folder, arrays, replace=unreadable)
    return tables


def _write(folder: Path, arrays: dict[str, NDArray[np.generic]], *, replace: bool) -> None:
    """Write the arrays into ``folder`` whole or not at all (a temporary folder renamed: a
    process that reads meanwhile finds no folder, or every file complete); ``replace``: an
    unreadable folder is there, removed first."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    if replace:
        shutil.rmtree(folder, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        for name in _ARRAYS:
            np.save(staging / f"{name}.npy", arrays[name], allow_pickle=False)
        os.replace(staging, folder)
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)
        if not folder.exists():
            raise
