"""A model file's arrays unpacked once into the model cache, then mapped by every process.

Some model files cost a process more to unpack than to read: py3langid's LZMA-packed model
(:mod:`advocacy.text.language_tables`, 0.7-1.1 CPU s) and the static embedder's deflated
vectors (:mod:`advocacy.text.embeddings`, 0.14-0.2 CPU s, before a ``text analyze`` forks its
workers, while they wait). The arrays are the same for every process that has the same model
file, so the first process writes them unpacked (``.npy`` files) into a folder named for the
layout and the model file's SHA-256 under the model cache (the ``model_cache`` setting; by
default ``$XDG_CACHE_HOME/advocacy`` or ``~/.cache/advocacy``), and every later process maps
them into memory (``np.load(mmap_mode="r")``: processes share the pages, and only the pages a
text reads are ever read). Another model file gets another folder; nothing is downloaded. When
the folder cannot be written or read (a read-only home, no home at all, a full disk), the
arrays are unpacked in memory, with the same answers. A folder is read only when it is this
user's own (a real folder, not a link, that no one else may write), every file has the size
and CRC-32 its manifest, written last, gives (about 0.3 CPU ms per MB), and the arrays pass the
model's own check: a file cut short or emptied by a crash, or a number changed, is unpacked
and written again, never read. Staging folders of writers that died are removed after an hour.

Folders of model files no longer in use (each upgrade of a shipped model leaves 30-70 MB
behind) are removed when unused for 30 days (:data:`UNUSED_SECONDS`): every process that reads
or writes a folder of the cache sets that folder's modification time to now, at most once a
day (:data:`MARK_USED_SECONDS`: one small metadata write, not one per run), and then removes
the cache's folders not used for 30 days. "Used" is the later of the folder's modification
time and its manifest's access time: an earlier version that never marks its folder still
reads the manifest on every run, which Linux's default ``relatime`` records once a day, so two
installed versions sharing one cache keep both folders while both are used (on a ``noatime``
file system such an earlier version's folder is written again once per 30 days). Only our own
folders are removed: a real folder (never a link, never followed) of this user, named
``<layout>-<n>-<32 hex digits>``, whose manifest lists exactly the ``.npy`` files it holds. A
cache that cannot be written (a read-only mount) is read as it is: nothing is marked or
removed, and the run goes on.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import mmap
import os
import re
import secrets
import shutil
import stat
import tempfile
import time
import zlib
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "MANIFEST",
    "MARK_USED_SECONDS",
    "STALE_STAGING_SECONDS",
    "UNUSED_SECONDS",
    "cache_folder",
    "cached_arrays",
    "file_sha256",
]

#: Written last into a folder: each file's size and CRC-32, checked before the files are used.
MANIFEST = "manifest.json"
#: A staging folder older than this was left by a writer that died: the next writer removes it.
STALE_STAGING_SECONDS = 3600
#: A folder of ours not used for this long (30 days) is removed by the next process that reads
#: or writes a folder of the same cache.
UNUSED_SECONDS = 30 * 24 * 3600
#: A folder in use gets its modification time set to now when it is older than this (a day):
#: one small write per folder per day, never one per run.
MARK_USED_SECONDS = 24 * 3600
#: Our folders' names: the layout (its name and number), then the model file's SHA-256, cut.
_FOLDER_NAME = re.compile(r"(?P<layout>[a-z0-9]+(?:-[a-z0-9]+)*-[0-9]+)-[0-9a-f]{32}")
_ARRAY_NAME = re.compile(r"[A-Za-z0-9_]+")
#: Our manifests hold a few hundred bytes; a larger file is not one of ours and is not read.
_MANIFEST_MAX_BYTES = 16_384

Arrays = dict[str, NDArray[np.generic]]
T = TypeVar("T")


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


def file_sha256(path: str | Path) -> bytes:
    """The SHA-256 of a model file's contents, read once per process while the file stays
    the same size and age (the cache folder's name and the theme readings' model digest both
    ask for the shipped vectors': about 15 ms for its 30 MB)."""
    found = Path(path).stat()
    return _sha256(str(path), found.st_size, found.st_mtime_ns)


@lru_cache(maxsize=16)
def _sha256(path: str, size: int, modified: int) -> bytes:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").digest()


def cached_arrays(
    model_file: Path,
    *,
    layout: str,
    names: Sequence[str],
    unpack: Callable[[Path], Arrays],
    build: Callable[[Arrays], T],
    cache: Path | None,
) -> T:
    """``build`` of the arrays of ``model_file``: mapped from ``cache`` when unpacked there
    before, else unpacked (and written there for the next process, when ``cache`` is given).

    Parameters
    ----------
    model_file
        The model file; its SHA-256 names the folder.
    layout
        The name of this layout of the arrays (a new layout gets new folders beside the old).
    names
        The arrays ``unpack`` returns, each written to ``<name>.npy``.
    unpack
        The arrays of ``model_file``, unpacked.
    build
        What the caller makes of the arrays; it raises ``ValueError`` when they do not fit
        together (a mapped copy that does not is unpacked and written again).
    cache
        The model cache (:func:`cache_folder`; None: unpacked in memory, nothing written).

    Returns
    -------
    object
        What ``build`` returned.
    """
    if cache is None:
        return build(unpack(model_file))
    folder = cache / f"{layout}-{file_sha256(model_file).hex()[:32]}"
    try:
        built = build(_mapped(folder, names))
    except Exception:  # whatever is wrong with a cached copy, the model file decides
        # Not unpacked yet, or unreadable: cut short, emptied, changed, not this user's
        # (then replaced). Decided now, not after unpacking: meanwhile another process may
        # write the folder, which is not to be taken away.
        unreadable = folder.exists() or folder.is_symlink()
    else:
        _mark_used(folder)
        _remove_unused(folder)
        return built
    arrays = unpack(model_file)
    built = build(arrays)
    with contextlib.suppress(OSError):  # a read-only or full cache: the arrays stay in memory
        _write(folder, layout, names, arrays, replace=unreadable)
    _remove_unused(folder)
    return built


def _mapped(folder: Path, names: Sequence[str]) -> Arrays:
    """The arrays mapped from ``folder`` when it is this user's own (a real folder, not a link,
    that no one else may write) and every file is as its manifest says; else an error."""
    found = folder.lstat()
    if not stat.S_ISDIR(found.st_mode) or found.st_mode & 0o022:
        raise ValueError(f"{folder} is not a folder that only its owner may write")
    if not _this_users(found):
        raise ValueError(f"{folder} belongs to another user")
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    for name in names:
        if _size_and_crc(folder / f"{name}.npy") != tuple(manifest[name]):
            raise ValueError(f"{name}.npy is not the file written")
    return {name: np.load(folder / f"{name}.npy", mmap_mode="r") for name in names}


def _this_users(found: os.stat_result) -> bool:
    """Whether what ``found`` describes belongs to the user running this process (always, where
    files have no owner id)."""
    return not hasattr(os, "getuid") or found.st_uid == os.getuid()


def _size_and_crc(path: Path) -> tuple[int, int]:
    """A file's size and CRC-32 (0.02 CPU s for 68 MB, read mapped)."""
    with path.open("rb") as file:
        size = os.fstat(file.fileno()).st_size
        if not size:
            return 0, 0
        with mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            return size, zlib.crc32(mapped)


def _write(
    folder: Path, layout: str, names: Sequence[str], arrays: Arrays, *, replace: bool
) -> None:
    """Write the arrays into ``folder`` whole or not at all (a temporary folder renamed: a
    process that reads meanwhile finds no folder, or every file complete); ``replace``: an
    unreadable folder is there, removed first."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    if replace:
        if folder.is_symlink() or not folder.is_dir():
            folder.unlink(missing_ok=True)
        else:
            shutil.rmtree(folder, ignore_errors=True)
    _remove_stale_staging(folder.parent, layout)
    staging = Path(tempfile.mkdtemp(prefix=f".{layout}-", dir=folder.parent))
    try:
        for name in names:
            path = staging / f"{name}.npy"
            with path.open("wb") as file:
                np.save(file, arrays[name], allow_pickle=False)
                file.flush()
                os.fsync(file.fileno())
        manifest = {name: _size_and_crc(staging / f"{name}.npy") for name in names}
        (staging / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
        os.replace(staging, folder)
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)
        if not folder.exists():
            raise


def _remove_stale_staging(parent: Path, layout: str) -> None:
    """Remove staging folders of ``layout`` that writers which died left behind (older than
    an hour)."""
    now = time.time()
    for left in parent.glob(f".{layout}-*"):
        with contextlib.suppress(OSError):
            if now - left.lstat().st_mtime > STALE_STAGING_SECONDS:
                shutil.rmtree(left, ignore_errors=True)


def _mark_used(folder: Path) -> None:
    """Set the modification time of ``folder`` (just mapped: a real folder of this user's) to
    now, when it is older than :data:`MARK_USED_SECONDS`; a read-only cache stays unmarked."""
    with contextlib.suppress(OSError):
        if time.time() - folder.lstat().st_mtime > MARK_USED_SECONDS:
            # Where the platform can, a link put in the folder's place meanwhile gets its own
            # time set, not its target's.
            os.utime(folder, follow_symlinks=os.utime not in os.supports_follow_symlinks)


def _remove_unused(folder: Path) -> None:
    """Remove the folders beside ``folder`` not used for :data:`UNUSED_SECONDS`
    (:func:`_remove_if_unused`); what cannot be removed (a read-only cache) stays."""
    now = time.time()
    named: list[tuple[Path, str]] = []
    with contextlib.suppress(OSError), os.scandir(folder.parent) as entries:
        for entry in entries:
            match = _FOLDER_NAME.fullmatch(entry.name)
            if match and entry.name != folder.name:
                named.append((Path(entry.path), match["layout"]))
    for candidate, layout in named:
        with contextlib.suppress(OSError):
            _remove_if_unused(candidate, layout, now)


def _remove_if_unused(folder: Path, layout: str, now: float) -> None:
    """Remove ``folder`` (of ``layout``) when it is one of ours (:func:`_ours`) and neither
    marked used nor read for :data:`UNUSED_SECONDS`; first renamed out of the way, so a process
    reading meanwhile finds the folder whole or not at all."""
    found = folder.lstat()
    if not stat.S_ISDIR(found.st_mode):
        return  # a link or a file: not ours, never followed
    if not _this_users(found):
        return
    manifest = (folder / MANIFEST).lstat()
    last_used = max(found.st_mtime, manifest.st_mtime, manifest.st_atime)
    if now - last_used <= UNUSED_SECONDS or not _ours(folder, manifest):
        return
    # A staging name of the layout: should the removal be cut short, a later writer of the
    # layout removes what is left (_remove_stale_staging: the folder keeps its old time).
    removing = folder.with_name(f".{layout}-removing-{secrets.token_hex(8)}")
    folder.rename(removing)
    shutil.rmtree(removing, ignore_errors=True)


def _ours(folder: Path, manifest: os.stat_result) -> bool:
    """Whether ``folder`` is as we write it: a manifest (a regular file, not a link) that gives
    a size and CRC-32 for each array, and nothing in the folder but those arrays' ``.npy``
    files (regular files, not links) and the manifest."""
    if not stat.S_ISREG(manifest.st_mode) or manifest.st_size > _MANIFEST_MAX_BYTES:
        return False
    descriptor = os.open(folder / MANIFEST, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(descriptor, "rb") as file:
        text = file.read(_MANIFEST_MAX_BYTES + 1)
    try:
        listed = json.loads(text)
    except (ValueError, RecursionError):  # not JSON (or nested past Python's limit)
        return False
    if not isinstance(listed, dict) or not listed:
        return False
    for name, size_and_crc in listed.items():
        if not _ARRAY_NAME.fullmatch(name) or not (
            isinstance(size_and_crc, list)
            and len(size_and_crc) == 2
            and all(type(number) is int for number in size_and_crc)
        ):
            return False
    with os.scandir(folder) as entries:
        held = {entry.name: entry.is_file(follow_symlinks=False) for entry in entries}
    return set(held) == {MANIFEST, *(f"{name}.npy" for name in listed)} and all(held.values())
