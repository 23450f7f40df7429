"""The static embedder's vectors unpacked once into the model cache, then mapped.

The shipped vectors file is deflated: every process spent 0.14-0.2 CPU s unpacking it, before
``text analyze`` forked its workers. What a user would check: the first load writes one folder
(about 30 MB) and later loads map it, every load reads texts exactly as the vectors unpacked in
memory do, and a copy that is not as written (a number changed, arrays that do not fit together)
is unpacked and written again, never read. The cache's other checks (a file cut short, a folder
others may write, a link, a writer that died, processes at once, no home folder) are
:mod:`advocacy.text.model_cache`'s, tested with py3langid's model in ``test_language_tables.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from advocacy.text.embeddings import (
    DEFAULT_EMBEDDER,
    DEFAULT_FILES,
    VECTORS_LAYOUT,
    StaticEmbedder,
    model_path,
)

TEXTS = [
    "The delivery was late and the box was damaged",
    "Der Kundendienst war sehr freundlich und hat schnell geholfen",
    "配送が早くて助かりました",
    '=HYPERLINK("http://x")<script>alert(1)</script>',
    "\u202eevil\u200b \x00 text",
    "",
    "word " * 2000,
]


def load(cache: Path | None) -> StaticEmbedder:
    vectors, tokenizer, words = (model_path(name) for name in DEFAULT_FILES)
    return StaticEmbedder.load(
        vectors,
        tokenizer,
        name=DEFAULT_EMBEDDER,
        words_file=words,
        fold_capitals=True,
        cache=cache,
    )


@pytest.fixture(scope="module")
def expected() -> np.ndarray:
    """The texts read with the vectors unpacked in memory (no cache)."""
    return load(None).embed(TEXTS)


def only_folder(cache: Path) -> Path:
    (folder,) = [path for path in cache.iterdir() if path.name.startswith(VECTORS_LAYOUT)]
    return folder


def test_the_first_load_writes_the_vectors_and_the_next_maps_them(tmp_path, expected) -> None:
    first = load(tmp_path)
    folder = only_folder(tmp_path)
    assert sorted(path.name for path in folder.iterdir()) == [
        "ids.npy",
        "manifest.json",
        "scale.npy",
        "vectors.npy",
        "vocabulary_size.npy",
    ]
    written = sum(path.stat().st_size for path in folder.iterdir())
    assert 29_000_000 < written < 32_000_000
    again = load(tmp_path)
    assert [path.name for path in tmp_path.iterdir()] == [folder.name]
    np.testing.assert_array_equal(first.embed(TEXTS), expected)
    np.testing.assert_array_equal(again.embed(TEXTS), expected)


@pytest.mark.parametrize("damage", ["a number changed", "ids that do not fit"])
def test_a_cached_copy_that_is_not_as_written_is_unpacked_again(tmp_path, expected, damage) -> None:
    """A vector's code changed (its CRC no longer the manifest's), or ids past the vocabulary
    written with a manifest that matches them: each is replaced by the shipped file's
    vectors, never read."""
    load(tmp_path)
    folder = only_folder(tmp_path)
    if damage == "a number changed":
        vectors = np.load(folder / "vectors.npy")
        vectors[:, 0] = -vectors[:, 0] + 1
        np.save(folder / "vectors.npy", vectors)
    else:
        ids = np.load(folder / "ids.npy")
        ids[-1] = 10**9
        np.save(folder / "ids.npy", ids)
        manifest = json.loads((folder / "manifest.json").read_text())
        from advocacy.text.model_cache import _size_and_crc

        manifest["ids"] = list(_size_and_crc(folder / "ids.npy"))
        (folder / "manifest.json").write_text(json.dumps(manifest))
    np.testing.assert_array_equal(load(tmp_path).embed(TEXTS), expected)
    np.testing.assert_array_equal(load(tmp_path).embed(TEXTS), expected)  # written again
    assert int(np.load(only_folder(tmp_path) / "ids.npy").max()) < 10**9


def test_without_a_cache_nothing_is_written(tmp_path, expected) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    np.testing.assert_array_equal(load(blocked / "cache").embed(TEXTS), expected)
    assert [path.name for path in tmp_path.iterdir()] == ["file"]
