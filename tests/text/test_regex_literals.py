"""The literals a cue needs only skip cues that cannot match: effort read with the prefilter is
effort read without it, on real banking questions and product reviews (the prefilter took the
effort cues from 0.38 to about 0.24 CPU s per 3,000 reviews; docs/benchmarks.md "effortspeed")."""

from __future__ import annotations

import csv
import importlib
import re
from pathlib import Path

import pytest

from advocacy.text.regex_literals import required_literals

effort_cues = importlib.import_module("advocacy.text.effort")


@pytest.mark.parametrize(
    ("pattern", "literals"),
    [
        (r"on hold", {"on hold"}),
        (r"\b(?:on hold|wait(?:ed|ing)? (?:for|on))", {"on hold", "wait"}),
        (r"(?<!can't )wait(?:ed)?", {"wait"}),  # a lookbehind takes no characters
        (r"(?:took|takes) \d+ days", {" days"}),  # the longest run beats the branch's
        (r"(?:\d+ )?times", {"times"}),
        (r"(?:very )+late", {"very "}),  # a repeat taken at least once
        (r"no (?:reply|answer)", {"reply", "answer"}),  # "no " is shorter than both
    ],
)
def test_the_literals_every_match_needs(pattern: str, literals: set[str]) -> None:
    assert required_literals(pattern) == literals


@pytest.mark.parametrize("pattern", [r"\w+", r"(?:hold|\d+) days?x?|[a-z]", r"(?:on )?\d*"])
def test_a_pattern_that_needs_no_literal_has_none(pattern: str) -> None:
    assert required_literals(pattern) is None


def test_every_effort_cue_names_what_it_needs() -> None:
    # A cue with no literals is tried on every text: the prefilter would save nothing on it.
    for kind, cues in effort_cues.EFFORT_CUES.items():
        for cue in cues:
            assert required_literals(cue), (kind, cue)


def _by_alternation(text: str) -> tuple[float, tuple[str, ...]]:
    """Effort as one alternation per kind reads it, no prefilter."""
    lowered = text.lower()
    counts = {}
    for kind, cues in effort_cues.EFFORT_CUES.items():
        pattern = re.compile(r"\b(?:" + "|".join(cues) + ")")
        counts[kind] = sum(
            1
            for found in pattern.finditer(lowered)
            if not effort_cues.NEGATION.search(lowered[: found.start()][-30:])
        )
    hits = sum(counts.values())
    return round(1 - 0.5 ** min(hits, 10), 4), tuple(k for k, n in counts.items() if n)


def _texts(shared_data: Path) -> list[str]:
    corpora = shared_data / "text-corpora"
    with (corpora / "banking77" / "test.csv").open(newline="", encoding="utf-8") as handle:
        texts = [row["text"] for row in csv.DictReader(handle)]
    # MARC has no header: number, review, stars.
    marc = corpora / "marc-amazon-multi" / "en" / "test.csv"
    with marc.open(newline="", encoding="utf-8") as handle:
        return texts + [row[1] for row in csv.reader(handle)]


def test_the_prefilter_changes_no_reading_of_real_text(shared_data: Path) -> None:
    # and of a long text whose cues match again and again, each kind's next match kept
    texts = [*_texts(shared_data), "Waited 3 days, on hold, transferred twice! " * 300]
    read = [effort_cues.effort(text) for text in texts]
    assert [(found.score, found.cues) for found in read] == [_by_alternation(t) for t in texts]
    assert sum(found.high for found in read) > 200  # the cues fire on these texts
