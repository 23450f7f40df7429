"""The literals a cue needs only skip cues that cannot match: effort read with the prefilter is
effort read without it, on real banking questions and product reviews (the prefilter took the
effort cues from 0.38 to about 0.24 CPU s per 3,000 reviews, docs/benchmarks.md "effortspeed";
one scan for the literals and every set a cue needs, to about 0.15, "effort5")."""

from __future__ import annotations

import csv
import importlib
import re
from pathlib import Path

import pytest

from advocacy.text.regex_literals import LiteralScan, required_literal_sets, required_literals

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


@pytest.mark.parametrize(
    ("pattern", "sets"),
    [
        (r"on hold", [{"on hold"}]),
        (r"hard to (?:reach|cancel)", [{"hard to "}, {"reach", "cancel"}]),
        # "hold" and " " are implied by the last set: each of its strings holds them
        (r"hold(?: music)? (?:on hold|hold it)", [{"on hold", "hold it"}]),
        (
            r"(?:very )?late (?:\w+ )?(?:by|for) (?:days|weeks)",
            [{"late "}, {"by", "for"}, {"days", "weeks"}],
        ),
        (r"(?i:late) (?:days|weeks)", [{"days", "weeks"}, {" "}]),  # no test of an inline flag
    ],
)
def test_every_set_of_literals_a_match_needs(pattern: str, sets: list[set[str]]) -> None:
    assert [set(one) for one in required_literal_sets(pattern)] == sets
    for text in ("late by days", "hold on hold", "hard to reach", "hold music hold it"):
        if re.search(pattern, text):  # each text that matches holds a string of every set
            assert all(any(one in text for one in needed) for needed in sets), text


def test_a_pattern_needing_no_literal_has_no_set() -> None:
    assert required_literal_sets(r"(?:on )?\d*") == ()


def test_the_scan_finds_the_strings_a_text_holds_overlapping_or_odd() -> None:
    literals = ["wait", "waited again", "it", "ted", "on hold", "$5.00", "a.b", "\n", "ü"]
    scan = LiteralScan(literals)
    for text in (
        "waited again and again, on hold",  # "wait", "it" and "ted" inside a longer one
        "a$5.00 charge; axb is no a.b",  # characters a pattern would read as operators
        "line\nbreak über",
        "",
        "w" * 5_000 + "ait",
    ):
        assert scan.present(text) == {one for one in literals if one in text}, text


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


def test_the_scan_finds_the_cues_literals_real_text_holds(shared_data: Path) -> None:
    literals = {
        one
        for cues in effort_cues.EFFORT_CUES.values()
        for cue in cues
        for one in required_literals(cue) or ()
    }
    scan = LiteralScan(literals)
    for text in _texts(shared_data):
        lowered = text.lower()
        assert scan.present(lowered) == {one for one in literals if one in lowered}, text


def test_the_prefilter_changes_no_reading_of_real_text(shared_data: Path) -> None:
    # and of a long text whose cues match again and again, each kind's next match kept
    texts = [*_texts(shared_data), "Waited 3 days, on hold, transferred twice! " * 300]
    read = [effort_cues.effort(text) for text in texts]
    assert [(found.score, found.cues) for found in read] == [_by_alternation(t) for t in texts]
    assert sum(found.high for found in read) > 200  # the cues fire on these texts
