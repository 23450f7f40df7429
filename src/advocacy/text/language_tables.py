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
downloaded. When the folder cannot be written or read (a read-only home, no home at all, a full
disk), the arrays are unpacked in memory as before, with the same answers. A folder is read only
when it is this user's own (a real folder, not a link, that no one else may write) and every file
has the size and CRC-32 its manifest, written last, gives (0.02 CPU s): a file cut short or
emptied by a crash, or a number changed, is unpacked and written again, never read. Staging
folders of writers that died are removed after an hour.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import lzma
import mmap
import os
import shutil
import stat
import tempfile
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

__all__ = ["LAYOUT", "LanguageTables", "cache_folder", "language_tables", "unpack"]

#: The name of this layout of the arrays (a new layout gets new folders beside the old ones).
LAYOUT = "py3langid-tables-1"
_ARRAYS = ("next_move", "row_base", "output", "feature_class", "class_prior", "classes")
#: Written last into a folder: each file's size and CRC-32, checked before the files are used.
MANIFEST = "manifest.json"
#: A staging folder older than this was left by a writer that died: the next writer removes it.
STALE_STAGING_SECONDS = 3600


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
    try:
        if chosen:
            return Path(chosen).expanduser()
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    except (RuntimeError, KeyError, OSError):
        return None  # no home folder (a container's user without one): unpacked in memory
    return Path(base) / "advocacy"


def language_tables(model_file: Path, cache: Path | None) -> LanguageTables:
    """py3langid's tables for ``model_file``: mapped from ``cache`` when unpacked there before,
    else unpacked (and written there for the next process, when ``cache`` is given)."""
    if cache is None:
        return LanguageTables.from_arrays(unpack(model_file))
    digest = hashlib.sha256(model_file.read_bytes()).hexdigest()[:32]
    folder = cache / f"{LAYOUT}-{digest}"
    try:
        return _mapped(folder)
    except Exception:  # whatever is wrong with a cached copy, py3langid's model decides
        # Not unpacked yet, or unreadable: cut short, emptied, changed, not this user's
        # (then replaced). Decided now, not after unpacking: meanwhile another process may
        # write the folder, which is not to be taken away.
        unreadable = folder.exists() or folder.is_symlink()
    arrays = unpack(model_file)
    tables = LanguageTables.from_arrays(arrays)
    with contextlib.suppress(OSError):  # a read-only or full cache: the arrays stay in memory
        _write(folder, arrays, replace=unreadable)
    return tables


def _mapped(folder: Path) -> LanguageTables:
    """The tables mapped from ``folder`` when it is this user's own (a real folder, not a link,
    that no one else may write) and every file is as its manifest says; else an error."""
    found = folder.lstat()
    if not stat.S_ISDIR(found.st_mode) or found.st_mode & 0o022:
        raise ValueError(f"{folder} is not a folder that only its owner may write")
    if hasattr(os, "getuid") and found.st_uid != os.getuid():
        raise ValueError(f"{folder} belongs to another user")
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    for name in _ARRAYS:
        if _size_and_crc(folder / f"{name}.npy") != tuple(manifest[name]):
            raise ValueError(f"{name}.npy is not the file written")
    tables = LanguageTables.from_arrays(
        {name: np.load(folder / f"{name}.npy", mmap_mode="r") for name in _ARRAYS}
    )
    if int(tables.next_move.max(initial=0)) >= len(tables.row_base):
        raise ValueError("the automaton moves to a state it does not have")
    return tables


def _size_and_crc(path: Path) -> tuple[int, int]:
    """A file's size and CRC-32 (0.02 CPU s for the 68 MB of tables, read mapped)."""
    with path.open("rb") as file:
        size = os.fstat(file.fileno()).st_size
        if not size:
            return 0, 0
        with mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            return size, zlib.crc32(mapped)


def _write(folder: Path, arrays: dict[str, NDArray[np.generic]], *, replace: bool) -> None:
    """Write the arrays into ``folder`` whole or not at all (a temporary folder renamed: a
    process that reads meanwhile finds no folder, or every file complete); ``replace``: an
    unreadable folder is there, removed first."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    if replace:
        if folder.is_symlink() or not folder.is_dir():
            folder.unlink(missing_ok=True)
        else:
            shutil.rmtree(folder, ignore_errors=True)
    _remove_stale_staging(folder.parent)
    staging = Path(tempfile.mkdtemp(prefix=f".{LAYOUT}-", dir=folder.parent))
    try:
        for name in _ARRAYS:
            path = staging / f"{name}.npy"
            with path.open("wb") as file:
                np.save(file, arrays[name], allow_pickle=False)
                file.flush()
                os.fsync(file.fileno())
        manifest = {name: _size_and_crc(staging / f"{name}.npy") for name in _ARRAYS}
        (staging / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
        os.replace(staging, folder)
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)
        if not folder.exists():
            raise


def _remove_stale_staging(parent: Path) -> None:
    """Remove staging folders that writers which died left behind (older than an hour)."""
    now = time.time()
    for left in parent.glob(f".{LAYOUT}-*"):
        with contextlib.suppress(OSError):
            if now - left.lstat().st_mtime > STALE_STAGING_SECONDS:
                shutil.rmtree(left, ignore_errors=True)
