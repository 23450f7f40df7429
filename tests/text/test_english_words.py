"""Short texts alone: read when their words are English, refused when they are another
language's (review27 finding 8), whatever the letters alone would say."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from advocacy.text.document_reading import analyze_texts
from advocacy.text.english_words import (
    ENGLISH_WORDS_FILE,
    WordCounts,
    english_verdict,
    word_counts,
)
from advocacy.text.language import detect_language, detect_languages, reads_texts

#: Short answers in other languages, each sent alone (no import, no workspace to lean on).
FOREIGN = [
    "Péssimo",
    "Muy malo",
    "Sehr gut",
    "Bom",
    "Ótimo!",
    "Nada bom",
    "Recomendo",
    "Schlecht",
    "Pas terrible",
    "Molto bene",
    "Nie polecam",
]
#: Short English answers, each sent alone.
ENGLISH = [
    "ok",
    "Great!",
    "slow",
    "Meh",
    "Not bad",
    "Loved it!!",
    "Congrats dude!",
    "Way too pricey",
    "Cute blouse",
    "Yaaaay!",
    "Terrible",
    "Boxy fit",
]


@pytest.mark.parametrize("text", FOREIGN)
def test_a_short_answer_in_another_language_is_not_read_as_english(text: str) -> None:
    found = detect_language(text)
    assert found is not None and found != "en"
    assert not reads_texts([text], [found])[0]


@pytest.mark.parametrize("text", ENGLISH)
def test_a_short_english_answer_alone_is_english_and_read(text: str) -> None:
    assert detect_language(text) == "en"


def test_what_the_user_sees_refused_and_read() -> None:
    readings = analyze_texts(FOREIGN + ENGLISH)
    foreign, english = readings.iloc[: len(FOREIGN)], readings.iloc[len(FOREIGN) :]
    assert (foreign["sentiment_reason"] == "language not supported").all()
    assert foreign["sentiment"].isna().all() and foreign["complaint"].isna().all()
    assert english["sentiment"].notna().all()
    assert readings.set_index(readings.index)["sentiment"].iloc[len(FOREIGN) + 1] == "positive"


def test_an_import_still_decides_its_short_texts() -> None:
    # Twenty long English reviews make "Bom" English (the batch decides, as before): a workspace
    # written in English reads its odd short answer rather than refuse it.
    reviews = [
        f"The delivery number {i} arrived late and the box was badly damaged." for i in range(20)
    ]
    assert detect_languages([*reviews, "Bom"])[-1] == "en"
    portuguese = [f"O pedido {i} chegou atrasado e a caixa veio toda amassada." for i in range(20)]
    assert detect_languages([*portuguese, "Top"])[-1] == "pt"


def test_a_detector_sure_of_another_language_is_not_overruled_by_english_words() -> None:
    # "service" and "impeccable" are English words too, but the letters are surely French.
    text = "Service très impeccable"
    assert detect_language(text) == "fr"


def test_word_counts() -> None:
    assert word_counts("Yaaaay!!") == WordCounts(1, 0, 0)  # drawn out: "yay"
    assert word_counts("QZXW!!!") == WordCounts(0, 0, 0)  # an acronym tells nothing
    assert word_counts("B E N") == WordCounts(0, 0, 0)  # nor do single letters
    assert word_counts("Bom") == WordCounts(0, 1, 0)
    assert word_counts("Muy malo") == WordCounts(0, 2, 0)  # English writes both, rarely
    assert word_counts("Péssimo") == WordCounts(0, 0, 1)
    assert word_counts("one two three four") is None  # not short: its letters tell
    assert word_counts("x" * 1_000_000) == WordCounts(0, 0, 0)  # a key held down: no word


def test_english_verdict() -> None:
    assert english_verdict(WordCounts(2, 0, 1), detector_says_english=False) is True
    assert english_verdict(WordCounts(0, 1, 0), detector_says_english=True) is False
    assert english_verdict(WordCounts(0, 0, 1), detector_says_english=True) is True
    assert english_verdict(WordCounts(0, 0, 1), detector_says_english=False) is False
    assert english_verdict(WordCounts(1, 1, 0), detector_says_english=False) is None
    assert english_verdict(WordCounts(0, 0, 0), detector_says_english=False) is None


def test_hostile_short_texts() -> None:
    texts = ["<b>Péssimo</b>", "=1+1", "Ótimo\u202e", "\ud800Bom", "😀 Great 😀"]
    found = detect_languages(texts)
    assert reads_texts(texts, found).tolist() == [False, True, False, False, True]
    assert np.array(found, dtype=object)[[0, 2, 3]].tolist() != ["en"] * 3


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("wordfreq") is None, reason="needs wordfreq")
def test_shipped_word_list_is_rebuilt_by_its_script(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location(
        "build_english_words", Path(__file__).parents[2] / "tools" / "build_english_words.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    margins = module.english_margins()
    rebuilt = module.HEADER + "".join(f"{w}\t{margins[w]:.1f}\n" for w in sorted(margins))
    assert ENGLISH_WORDS_FILE.read_text("utf-8") == rebuilt
