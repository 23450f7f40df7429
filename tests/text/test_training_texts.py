"""The shipped hashes of the texts that trained the shipped model (``text evaluate`` scores
those texts apart): rebuilt exactly by their script from the named data, and matched whatever
the case or spacing of a copy."""

from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

import numpy as np
import pytest
from build_training_hashes import build
from hypothesis import given
from hypothesis import strategies as st

from advocacy.text.embeddings import model_path
from advocacy.text.training_texts import (
    TRAINING_TEXTS_FILE,
    trained_on,
    training_sets,
    visible,
)


@pytest.mark.shared_data
def test_the_shipped_hashes_are_rebuilt_exactly_from_the_training_sets(
    shared_data: Path, tmp_path: Path
) -> None:
    counts = build(shared_data, tmp_path)
    with np.load(tmp_path / TRAINING_TEXTS_FILE) as rebuilt:
        assert sorted(rebuilt.files) == sorted(training_sets())
        for name, hashes in training_sets().items():
            assert np.array_equal(rebuilt[name], hashes), name
            assert counts[name] == len(hashes)
    # TweetEval: 2,000 validation tweets and 6,142 even test lines (two repeat others, in case,
    # spacing or end punctuation).
    assert counts["tweeteval-sentiment"] == 8140
    assert model_path(TRAINING_TEXTS_FILE).stat().st_size < 1_000_000


@pytest.mark.shared_data
def test_training_texts_are_found_in_any_case_or_spacing_and_others_are_not(
    shared_data: Path,
) -> None:
    folder = shared_data / "tweeteval" / "sentiment"
    test = (folder / "test_text.txt").read_text(encoding="utf-8").splitlines()
    with (shared_data / "clothing-reviews" / "womens-clothing-reviews-first-1000.csv").open(
        encoding="utf-8", newline=""
    ) as handle:
        review = next(row for row in csv.DictReader(handle) if row["Title"])
    even, odd = test[0], test[1]
    found = trained_on(
        [
            even,
            "  " + even.upper().replace(" ", "\t  ") + "\n",
            odd,
            review["Review Text"],  # the heads read title and text joined
            review["Title"] + " " + review["Review Text"],
            review["Title"],  # a title alone did not train
        ]
    )
    assert found == [
        "tweeteval-sentiment",
        "tweeteval-sentiment",
        None,
        "clothing",
        "clothing",
        None,
    ]


@pytest.mark.shared_data
def test_near_copies_of_training_texts_are_found(shared_data: Path) -> None:
    # A re-exported set: curly apostrophes and dashes (a word processor), HTML entities (a web
    # page), a closing "!" or "." dropped or doubled. Each is still a text the model learnt.
    with (shared_data / "clothing-reviews" / "womens-clothing-reviews-first-1000.csv").open(
        encoding="utf-8", newline=""
    ) as handle:
        texts = [row["Review Text"] for row in csv.DictReader(handle) if row["Review Text"]]
    quoted = [text for text in texts if "'" in text][:50]
    closed = [text for text in texts if text.rstrip().endswith(("!", "."))][:50]
    copies = (
        [text.replace("'", "\u2019") for text in quoted]
        + [text.replace("'", "&#39;").replace(" - ", " \u2014 ") for text in quoted]
        + [text.rstrip().rstrip("!.") for text in closed]
        + [text.rstrip() + "!!" for text in closed]
    )
    assert len(copies) == 200
    assert trained_on(copies) == ["clothing"] * 200
    # Words changed inside are another text; punctuation alone is no text.
    assert trained_on([quoted[0].replace(" ", " really ", 1), "!!!", "..."]) == [None] * 3


@given(st.text(alphabet=st.characters(codec=None), max_size=60))
def test_visible_drops_exactly_the_control_and_format_characters_other_than_blanks(
    text: str,
) -> None:
    # Written from the Unicode categories, not from the function's own test: its shortcut for
    # texts with nothing to drop must give what reading every character gives.
    kept = "".join(
        c
        for c in text
        if not (
            unicodedata.category(c) == "Cf" or (unicodedata.category(c) == "Cc" and not c.isspace())
        )
    )
    assert visible(text) == kept
    assert visible(text + "\u200b\x1b") == kept
