"""Keyboard mash is no content; real one-word answers in any language keep their reading."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from advocacy.text.keyboard_mash import MASH_WORDS_FILE, is_keyboard_mash, is_mash_word
from advocacy.text.non_answers import is_non_answer

MASH = ["asdffff", "asdf", "Asdf!", "qwerty", "sdfsdf", "asdasd", "nnnn", "jjjjj", "aaa", "vbvbvb",
        "asdf asdf", "vbvbsgfbsbfs", "dfgadfgertterqt", "dsdfr3fEF"]  # fmt: skip
# Real answers the first mash rules took (review of the themenames lane, finding D2): words of
# English, German, Welsh, Czech, brands, acronyms, interjections.
WORDS = ["Stressful", "Stress!", "Screws?", "Straws.", "Trends", "Trolls", "Passwords",
         "Strapless", "Shirtdress", "WordPress", "TomTom", "Mama", "Papa", "Coco", "Bonbon",
         "MSNBC", "LGBTQ+", "HTTPS", "XXXXL", "XXL", "Verdreckt", "Tropft", "Beschwert", "Wert",
         "Druckkopf", "Trennwand", "cwtch", "Bwlch", "Štvrť", "Hmmm", "Hmmmm", "Grrr", "Grrrr",
         "Wowwww", "ahahah", "hahaha", "kkkk", "zzz", "Mmmm", "lol", "FYI", "asap", "wtf",
         "brrr", "Szczecin", "Strumpf", "Angst", "SKU 4471", "RTX 3080", "rhythms", "strengths",
         "Größe", "ASDF", "Wowwwwwww", "verrrrrrry", "Hellllllll", "grrrrrrrrrrr", "Wtfffff",
         "Pffffffft", "Bzzzzt", "Hhmmm", "Ooo", "Oooo", "Ssssssnakesssss"]  # fmt: skip


@pytest.mark.parametrize("text", MASH)
def test_mash_is_no_content(text: str) -> None:
    assert is_keyboard_mash(text)
    assert is_non_answer(text)


@pytest.mark.parametrize("text", WORDS)
def test_words_of_any_language_and_acronyms_are_content(text: str) -> None:
    assert not is_keyboard_mash(text)
    assert not is_non_answer(text)


def test_hostile_input_is_quick() -> None:
    # 200,000 keys of one row in one word: not searched (no answer read as mash is that long).
    assert not is_keyboard_mash("asdfghjkl" * 22_222)
    assert is_keyboard_mash("asdf " * 10)


def test_non_ascii_letters_are_never_mash() -> None:
    # normalising would fold "Štvrť" to "stvrt" (five letters, no vowel); the original is read
    assert not is_mash_word("Štvrť") and is_mash_word("stvrtk")


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("wordfreq") is None, reason="needs wordfreq")
def test_shipped_word_list_is_rebuilt_by_its_script(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location(
        "build_mash_words", Path(__file__).parents[2] / "tools" / "build_mash_words.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    shipped = [line for line in MASH_WORDS_FILE.read_text("utf-8").splitlines()]
    assert shipped == (module.HEADER + "".join(f"{w}\n" for w in module.mash_words())).splitlines()
