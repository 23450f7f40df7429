"""The model cache removes the folders of model files no longer in use.

Every upgrade of a shipped model (or of a folder's layout) leaves its old folder behind: 30-70
MB each. What a user would check: a folder not used for 30 days is gone after the next run,
whether that run reads the cache or writes it; a folder another installed version still uses
(two environments sharing one cache) stays and is never written again; a run marks its folder
used at most once a day; nothing that is not one of our folders is ever removed, and no link
is followed; a cache that cannot be written still answers and keeps everything. Ages are real
file times set with ``os.utime``; the models are small files read through ``cached_arrays``,
and one test uses py3langid's real model and layout.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from py3langid.langid import MODEL_DIR, MODEL_FILE

from advocacy.text.language_tables import LAYOUT as LANGUAGE_LAYOUT
from advocacy.text.language_tables import language_tables
from advocacy.text.model_cache import MANIFEST, cached_arrays

DAY = 24 * 3600
LAYOUT = "test-numbers-1"
NAMES = ("numbers", "count")
Arrays = dict[str, np.ndarray]


def unpack(model_file: Path) -> Arrays:
    numbers = np.frombuffer(model_file.read_bytes(), dtype=np.uint8).copy()
    return {"numbers": numbers, "count": np.array(len(numbers))}


def checked(arrays: Arrays) -> Arrays:
    if len(arrays["numbers"]) != int(arrays["count"]):
        raise ValueError("the numbers and their count do not fit together")
    return arrays


def read(model_file: Path, cache: Path | None, *, layout: str = LAYOUT) -> Arrays:
    """The arrays of ``model_file`` as a process of the version with ``layout`` reads them."""
    return cached_arrays(
        model_file, layout=layout, names=NAMES, unpack=unpack, build=checked, cache=cache
    )


def model(folder: Path, text: str) -> Path:
    """A model file holding ``text``: another text is another model (another folder)."""
    path = folder / f"model-{hashlib.sha256(text.encode()).hexdigest()[:8]}.bin"
    path.write_bytes(text.encode())
    return path


def folder_of(model_file: Path, cache: Path, *, layout: str = LAYOUT) -> Path:
    digest = hashlib.sha256(model_file.read_bytes()).hexdigest()[:32]
    return cache / f"{layout}-{digest}"


def age(path: Path, days: float) -> None:
    """Make ``path`` (and all it holds) look untouched, neither read nor written, for ``days``."""
    then = time.time() - days * DAY
    for inside in [*path.rglob("*"), path]:
        os.utime(inside, (then, then), follow_symlinks=False)


def days_since_marked(folder: Path) -> float:
    return (time.time() - folder.lstat().st_mtime) / DAY


def listing(cache: Path) -> list[str]:
    return sorted(path.name for path in cache.iterdir())


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    folder = tmp_path / "cache"
    folder.mkdir()
    return folder


@pytest.mark.parametrize("run", ["reads", "writes"])
def test_a_folder_unused_for_30_days_is_removed_by_the_next_run(tmp_path, cache, run) -> None:
    """Folders left by an earlier model (an upgrade) and by an earlier layout, unused for 31
    days, are removed by the next run, whether it maps its own folder or writes it first; a
    folder used 29 days ago stays."""
    current = model(tmp_path, "the model shipped now")
    earlier = model(tmp_path, "the model of last year")
    recent = model(tmp_path, "a model used this month")
    read(earlier, cache)
    read(earlier, cache, layout="test-numbers-0")
    read(recent, cache)
    if run == "reads":
        read(current, cache)
        age(folder_of(current, cache), 2)
    age(folder_of(earlier, cache), 31)
    age(folder_of(earlier, cache, layout="test-numbers-0"), 31)
    age(folder_of(recent, cache), 29)
    assert len(listing(cache)) == 3 + (run == "reads")

    arrays = read(current, cache)

    assert listing(cache) == sorted([folder_of(current, cache).name, folder_of(recent, cache).name])
    assert bytes(arrays["numbers"]) == b"the model shipped now"
    assert isinstance(read(current, cache)["numbers"], np.memmap)  # the folder is whole


def test_two_versions_sharing_a_cache_keep_their_folders_while_both_are_used(
    tmp_path, cache
) -> None:
    """Two installed versions (environments) with different models share one cache: A runs
    every 5 days, B every 25, for 150 days, on a file system that records no reads
    (``noatime``: only the runs' marks tell use). Neither folder is ever removed or written
    again (the same files stay), while a folder neither uses is removed once unused for 30
    days."""
    version_a, version_b = model(tmp_path, "model of A"), model(tmp_path, "model of B")
    neither = model(tmp_path, "model of neither")
    for version in (version_a, version_b, neither):
        read(version, cache)
    files = {
        version: (folder_of(version, cache) / "numbers.npy").stat().st_ino
        for version in (version_a, version_b)
    }

    def days_pass(days: float) -> None:
        for folder in cache.iterdir():
            last = max(folder.lstat().st_mtime, (folder / MANIFEST).lstat().st_atime)
            age(folder, days + (time.time() - last) / DAY)

    def run(version: Path) -> None:
        """A run of ``version``; what it read is not recorded (noatime)."""
        read_at = {path: path.stat().st_atime for path in cache.glob(f"*/{MANIFEST}")}
        assert bytes(read(version, cache)["numbers"]) == version.read_bytes()
        for path, then in read_at.items():
            if path.exists():
                os.utime(path, (then, path.stat().st_mtime))

    for day in range(5, 151, 5):
        days_pass(5)
        run(version_a)
        if day % 25 == 0:
            run(version_b)
        if day == 35:
            assert not folder_of(neither, cache).exists()
    assert listing(cache) == sorted(folder_of(version, cache).name for version in files)
    for version, inode in files.items():
        assert (folder_of(version, cache) / "numbers.npy").stat().st_ino == inode  # not rewritten


def test_a_folder_an_earlier_version_still_reads_is_kept(tmp_path, cache) -> None:
    """A version from before this change never marks its folder, but reads its manifest on
    every run, which the file system records (``relatime``: at most once a day): a folder
    whose manifest was read 2 days ago stays, though not marked for 40 days; one whose manifest
    was last read 40 days ago goes."""
    read_lately, unread = model(tmp_path, "read lately"), model(tmp_path, "unread")
    read(read_lately, cache)
    read(unread, cache)
    age(folder_of(read_lately, cache), 40)
    age(folder_of(unread, cache), 40)
    two_days_ago = time.time() - 2 * DAY
    manifest = folder_of(read_lately, cache) / MANIFEST
    os.utime(manifest, (two_days_ago, manifest.stat().st_mtime))

    read(model(tmp_path, "the new version's model"), cache)

    assert folder_of(read_lately, cache).exists()
    assert not folder_of(unread, cache).exists()


def test_a_run_marks_its_folder_used_at_most_once_a_day(tmp_path, cache) -> None:
    """Marked a day and more ago: the run marks it now (its time set to now, nothing else
    written). Marked 23 hours ago: the run writes nothing, not even the time."""
    current = model(tmp_path, "the model")
    read(current, cache)
    folder = folder_of(current, cache)
    manifest = (folder / MANIFEST).read_bytes()
    age(folder, 1.05)
    read(current, cache)
    assert days_since_marked(folder) < 0.01
    assert (folder / MANIFEST).read_bytes() == manifest
    age(folder, 23 / 24)
    marked = folder.lstat().st_mtime_ns
    read(current, cache)
    assert folder.lstat().st_mtime_ns == marked


def our_folder(path: Path) -> Path:
    """A folder just as ``cached_arrays`` writes it, at ``path``."""
    path.mkdir()
    arrays = unpack(Path(__file__))
    for name in NAMES:
        np.save(path / f"{name}.npy", arrays[name])
    (path / MANIFEST).write_text(json.dumps({name: [1, 2] for name in NAMES}))
    return path


def not_ours(cache: Path, outside: Path) -> None:
    """Things in the cache, each named or made almost like one of our folders, but not one."""
    hex32 = "0123456789abcdef" * 2
    our_folder(cache / f"{LAYOUT}-{hex32[:31]}")  # 31 hex digits
    our_folder(cache / f"{LAYOUT}-{hex32.upper()}")
    our_folder(cache / f"test-numbers-{hex32}")  # no layout number
    our_folder(cache / f"My Models-1-{hex32}")
    names = iter(f"{LAYOUT}-{number:032x}" for number in range(100))
    (cache / next(names)).mkdir()  # a user's empty folder
    (cache / next(names)).write_text("a user's file")
    extra = our_folder(cache / next(names))
    (extra / "notes.txt").write_text("a user's notes")
    (our_folder(cache / next(names)) / MANIFEST).unlink()
    for manifest in [
        "not json",
        "[1, 2]",
        "{}",
        '{"numbers": [1, 2]}',  # count.npy is not listed
        '{"numbers": [1, 2], "count": [1, 2], "other": [1, 2]}',  # other.npy is missing
        '{"numbers": [1, 2], "count": "3"}',
        '{"../numbers": [1, 2], "count": [1, 2]}',
        "[" * 100_000 + "]" * 100_000,
        json.dumps({"numbers": [1, 2], "count": [1, 2], "padding": "x" * 20_000}),
    ]:
        (our_folder(cache / next(names)) / MANIFEST).write_text(manifest)
    if os.geteuid() == 0:  # another user's folder (only root can give one away)
        os.chown(our_folder(cache / next(names)), 54_321, 54_321)
    # Links: to one of our folders outside the cache, to a manifest, to an array.
    (cache / next(names)).symlink_to(our_folder(outside / "linked folder"))
    our_folder(outside / "elsewhere")
    linked_manifest = our_folder(cache / next(names))
    (linked_manifest / MANIFEST).unlink()
    (linked_manifest / MANIFEST).symlink_to(outside / "elsewhere" / MANIFEST)
    linked_array = our_folder(cache / next(names))
    (linked_array / "numbers.npy").unlink()
    (linked_array / "numbers.npy").symlink_to(outside / "elsewhere" / "numbers.npy")


def snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every name under ``folder`` (links not followed) with a file's bytes or a link's target."""
    seen: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        if path.is_symlink():
            seen[str(path.relative_to(folder))] = os.readlink(path)
        elif path.is_file():
            seen[str(path.relative_to(folder))] = path.read_bytes()
        else:
            seen[str(path.relative_to(folder))] = "folder"
    return seen


def test_nothing_but_our_own_folders_is_removed_and_no_link_is_followed(tmp_path, cache) -> None:
    """Things unused for a year that are not one of our folders: a name that is not ours (31
    or upper-case hex digits, no layout number, spaces), a user's file or folder, a folder with
    a file its manifest does not list or without a manifest, a manifest that is not ours (not
    JSON, no arrays, arrays missing or not listed, a size that is not a number, a name with a
    path in it, nesting past Python's limit, too long), another user's folder, a link to a
    folder and folders whose manifest or array is a link: every one stays as it was, and so
    does what the links point to. One of our folders unused as long beside them is removed."""
    outside = tmp_path / "outside"
    outside.mkdir()
    not_ours(cache, outside)
    ours = our_folder(cache / f"{LAYOUT}-{'f' * 32}")
    before, outside_before = snapshot(cache), snapshot(outside)  # reading is using: first
    for path in [*cache.iterdir(), *outside.iterdir()]:
        age(path, 365)

    arrays = read(model(tmp_path, "the model"), cache)

    assert bytes(arrays["numbers"]) == b"the model"
    assert not ours.exists()
    current = folder_of(model(tmp_path, "the model"), cache).name
    after = {name: value for name, value in snapshot(cache).items() if not name.startswith(current)}
    assert after == {
        name: value for name, value in before.items() if not name.startswith(ours.name)
    }
    assert snapshot(outside) == outside_before


@contextlib.contextmanager
def unwritable(cache: Path) -> Iterator[None]:
    """The cache made unwritable, as a read-only mount makes it: root ignores permissions, so as
    root the cache and its folders are made immutable (``chattr +i``), else read and list
    only."""
    locked: list[Path] = []
    try:
        if os.geteuid() == 0:
            if shutil.which("chattr") is None:
                pytest.skip("chattr is needed to make a folder unwritable for root")
            for path in [cache, *cache.iterdir()]:
                done = subprocess.run(["chattr", "+i", str(path)], capture_output=True)
                if done.returncode:
                    pytest.skip(f"chattr +i is not supported here: {done.stderr!r}")
                locked.append(path)
        else:
            cache.chmod(0o555)
        yield
    finally:
        for path in locked:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        cache.chmod(0o755)


def test_a_cache_that_cannot_be_written_answers_and_keeps_everything(tmp_path, cache) -> None:
    """The cache holds the model's folder (marked 3 days ago, due a mark) and a folder unused
    for 40 days, and cannot be written: runs that map the model, and runs of a new model that
    cannot write it, answer as with no cache at all, and both folders stay as they were."""
    current, earlier = model(tmp_path, "the model"), model(tmp_path, "an earlier model")
    read(current, cache)
    read(earlier, cache)
    before = snapshot(cache)  # reading is using: before the ages are set
    age(folder_of(current, cache), 3)
    age(folder_of(earlier, cache), 40)
    with unwritable(cache):
        for _ in range(2):
            assert bytes(read(current, cache)["numbers"]) == b"the model"
            assert bytes(read(model(tmp_path, "a new model"), cache)["numbers"]) == b"a new model"
    assert snapshot(cache) == before
    assert days_since_marked(folder_of(earlier, cache)) > 39


def test_an_upgrade_of_py3langid_leaves_no_folder_behind_after_30_days(tmp_path, cache) -> None:
    """py3langid's real model in its real layout: the folder of an earlier model file (66 MB),
    unused for 31 days, is removed by the next run (which writes the current model's folder),
    and the run after maps the current folder."""
    model_file = Path(MODEL_DIR) / MODEL_FILE
    language_tables(model_file, cache)
    (current,) = cache.iterdir()
    earlier = current.rename(cache / f"{LANGUAGE_LAYOUT}-{'0' * 32}")
    age(earlier, 31)

    language_tables(model_file, cache)

    assert listing(cache) == [current.name]
    assert isinstance(language_tables(model_file, cache).feature_class, np.memmap)
