"""py3langid's model unpacked once per model into the model cache, then mapped by every process.

The reference is py3langid itself: its own loader's arrays, and its ``classify`` (the other
language tests compare every answer with it too). What a user would check: the first process
writes the folder, later processes read the same tables from it (and answer alike), a cache
that cannot be written or holds a file cut short still gives the same answers, and "off" writes
nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier
from py3langid.modelio import load_model

from advocacy.text import language
from advocacy.text.language_tables import LAYOUT, LanguageTables, language_tables

MODEL = Path(MODEL_DIR) / MODEL_FILE
TEXTS = [
    "The delivery was late and the box was damaged",
    "Der Kundendienst war sehr freundlich und hat schnell geholfen",
    "Produto entregue antes do prazo, recomendo",
    "Очень милый, уютный ресторанчик",
    "配送が早くて助かりました",
    "ÉNORME PROBLÈME AVEC LA LIVRAISON",
]


def assert_py3langids_model(tables: LanguageTables) -> None:
    """The tables hold py3langid's own model, as its loader reads it."""
    ptc, pc, classes, nextmove, row, output = load_model(MODEL)
    np.testing.assert_array_equal(tables.feature_class, ptc)
    np.testing.assert_array_equal(tables.class_prior, pc)
    assert list(tables.classes) == classes
    np.testing.assert_array_equal(tables.next_move, np.asarray(nextmove))
    np.testing.assert_array_equal(tables.row_base, np.asarray(row, dtype=np.int64) << 8)
    np.testing.assert_array_equal(tables.output, np.asarray(output))
    library = LanguageIdentifier.from_model_file(MODEL_FILE)
    assert list(tables.aliases) == library._alias_pairs


def test_the_first_load_writes_the_folder_and_the_next_maps_the_same_model(tmp_path) -> None:
    first = language_tables(MODEL, tmp_path)
    folders = [path.name for path in tmp_path.iterdir()]
    assert len(folders) == 1 and folders[0].startswith(LAYOUT + "-")
    assert_py3langids_model(first)
    again = language_tables(MODEL, tmp_path)
    assert isinstance(again.feature_class, np.memmap)  # read from the folder, not unpacked
    assert_py3langids_model(again)


def test_a_file_cut_short_is_unpacked_again_with_the_same_model(tmp_path) -> None:
    language_tables(MODEL, tmp_path)
    (folder,) = tmp_path.iterdir()
    cut = folder / "feature_class.npy"
    cut.write_bytes(cut.read_bytes()[:1000])
    assert_py3langids_model(language_tables(MODEL, tmp_path))
    assert_py3langids_model(language_tables(MODEL, tmp_path))  # and written whole again
    assert cut.stat().st_size > 20_000_000


def only_folder(cache: Path) -> Path:
    (folder,) = [path for path in cache.iterdir() if path.name.startswith(LAYOUT)]
    return folder


@pytest.mark.parametrize("damage", ["emptied", "prior changed", "open to others", "a link"])
def test_a_cached_copy_that_is_not_as_written_is_unpacked_again(tmp_path, damage) -> None:
    """An emptied file (a power cut after the rename), a changed number (French's prior raised:
    every text would read French), a folder others may write, a link in the folder's place:
    each is replaced by py3langid's own model, never read."""
    language_tables(MODEL, tmp_path)
    folder = only_folder(tmp_path)
    if damage == "emptied":
        (folder / "next_move.npy").write_bytes(b"")
    elif damage == "prior changed":
        tables = language_tables(MODEL, tmp_path)
        prior = np.array(tables.class_prior)
        prior[list(tables.classes).index("fr")] += 1000
        np.save(folder / "class_prior.npy", prior)
    elif damage == "open to others":
        folder.chmod(0o777)
    else:
        elsewhere = tmp_path / "elsewhere"
        folder.rename(elsewhere)
        folder.symlink_to(elsewhere)
    assert_py3langids_model(language_tables(MODEL, tmp_path))
    assert not only_folder(tmp_path).is_symlink()
    assert isinstance(language_tables(MODEL, tmp_path).feature_class, np.memmap)  # rewritten
    assert_py3langids_model(language_tables(MODEL, tmp_path))


def test_a_writer_that_died_leaves_nothing_for_long(tmp_path) -> None:
    """A staging folder older than an hour (its writer killed mid-write) is removed by the next
    writer; a young one (a writer at work) is left alone."""
    old, young = tmp_path / f".{LAYOUT}-old", tmp_path / f".{LAYOUT}-young"
    for left in (old, young):
        left.mkdir()
        (left / "next_move.npy").write_bytes(b"x" * 1000)
    os.utime(old, (1, 1))
    language_tables(MODEL, tmp_path)
    assert not old.exists() and young.exists()


def test_no_home_folder_reads_the_model_in_memory(tmp_path, monkeypatch) -> None:
    """A user without a home folder (a container's arbitrary user id, HOME unset): no cache,
    the same answers."""
    from advocacy.text.model_cache import cache_folder

    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.delenv("ADVOCACY_MODEL_CACHE", raising=False)
    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    assert cache_folder() is None
    assert_py3langids_model(language_tables(MODEL, cache_folder()))


def test_a_cache_that_cannot_be_written_still_reads_the_model(tmp_path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    assert_py3langids_model(language_tables(MODEL, blocked / "cache"))
    assert_py3langids_model(language_tables(MODEL, None))


FRESH = """
import json, sys
from advocacy.text.language import detect_languages
print(json.dumps(detect_languages(json.loads(sys.argv[1]))))
"""


def fresh_process(folder: Path, **variables: str) -> list[str | None]:
    """``detect_languages(TEXTS)`` in a new process run in ``folder`` with ``variables`` set."""
    import json

    environment = {k: v for k, v in os.environ.items() if not k.startswith("ADVOCACY_")}
    environment.update(variables)
    done = subprocess.run(
        [sys.executable, "-c", FRESH, json.dumps(TEXTS)],
        env=environment,
        cwd=folder,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_processes_answer_alike_whether_they_unpack_write_or_map_the_model(tmp_path) -> None:
    """The ``model_cache`` setting: by default a first process writes the folder under the
    user's cache folder and a second maps it; a folder named in the setting is used instead;
    "off" writes nothing. Every process answers as this one does."""
    expected = language.detect_languages(TEXTS)
    assert expected == ["en", "de", "pt", "ru", "ja", "fr"]
    user_cache = tmp_path / "xdg"
    for _ in range(2):
        assert fresh_process(tmp_path, XDG_CACHE_HOME=str(user_cache)) == expected
        assert [p.name[: len(LAYOUT)] for p in (user_cache / "advocacy").iterdir()] == [LAYOUT]
    named = tmp_path / "named"
    assert fresh_process(tmp_path, ADVOCACY_MODEL_CACHE=str(named)) == expected
    assert len(list(named.iterdir())) == 1
    untouched = tmp_path / "untouched"
    off = {"XDG_CACHE_HOME": str(untouched), "ADVOCACY_MODEL_CACHE": "off"}
    assert fresh_process(tmp_path, **off) == expected
    assert not untouched.exists()


def test_processes_that_start_together_on_an_empty_cache_leave_one_whole_folder(tmp_path) -> None:
    """Several processes unpack at once: each answers alike, the folder one of them wrote stays
    (none takes away another's), and it is read whole afterwards."""
    import json

    cache = tmp_path / "cache"
    environment = {k: v for k, v in os.environ.items() if not k.startswith("ADVOCACY_")}
    environment["ADVOCACY_MODEL_CACHE"] = str(cache)
    children = [
        subprocess.Popen(
            [sys.executable, "-c", FRESH, json.dumps(TEXTS)],
            env=environment,
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    answers = [json.loads(child.communicate()[0]) for child in children]
    assert all(child.returncode == 0 for child in children)
    assert answers == [language.detect_languages(TEXTS)] * 4
    assert [path.name[: len(LAYOUT)] for path in cache.iterdir()] == [LAYOUT]
    mapped = language_tables(MODEL, cache)
    assert isinstance(mapped.feature_class, np.memmap)
    assert_py3langids_model(mapped)


@pytest.mark.parametrize("name", ["next_move", "classes"])
def test_tables_that_do_not_fit_together_are_refused(name: str) -> None:
    from advocacy.text.language_tables import unpack

    arrays = unpack(MODEL)
    arrays[name] = arrays[name][:-1]
    with pytest.raises(ValueError, match="do not fit"):
        LanguageTables.from_arrays(arrays)
