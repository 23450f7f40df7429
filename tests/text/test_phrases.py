"""Keywords match whole stemmed words and phrases, in the text's language."""

from __future__ import annotations

import pytest

from advocacy.text.non_answers import non_answer_mask
from advocacy.text.phrases import MAX_CHARACTERS, PhraseMatcher, stems


def matches(keyword: str, text: str, language: str | None = None) -> bool:
    return PhraseMatcher([[keyword]]).match(text, language) == [0]


@pytest.mark.parametrize(
    ("keyword", "text", "expected"),
    [
        ("tea", "The team was great", False),
        ("tea", "Lovely tea and cake", True),
        ("tea", "TEAS were cold", True),
        ("poor", "A poor experience", True),
        ("poor", "Even poorer than last time", False),  # stems poor / poorer differ
        # Snowball English stems "poorly" to "poor": the documented rule is stem equality.
        ("poor", "The room was poorly cleaned", True),
        ("refund", "Still waiting on my refunds", True),
        ("late", "The plate was cold", False),
        ("cafe", "Best CAFÉ in town", True),  # case and accents do not count
        ("parcel delivery", "Two parcel deliveries went missing", True),
        ("parcel delivery", "The delivery of my parcel was late", False),
        ("parcel delivery", "A parcel, then a delivery", False),
        ("on hold", "I was kept on hold for an hour", True),
        ("on hold", "Hold on, the line went dead", False),
    ],
)
def test_whole_words_and_phrases_after_stemming(keyword: str, text: str, expected: bool) -> None:
    assert matches(keyword, text) is expected


def test_german_text_is_stemmed_in_german() -> None:
    text = "Die Lieferungen kamen zu spät und das Personal war unfreundlich"
    assert stems("Lieferungen", "de") == stems("Lieferung", "de")
    assert matches("Lieferung", text, "de")
    assert not matches("Lieferung", text, "en")  # English rules leave "lieferungen" alone
    assert not matches("freundlich", text, "de")  # "unfreundlich" is another word


def test_each_group_is_reported_once_and_in_order() -> None:
    matcher = PhraseMatcher([["staff", "waiter"], ["price", "expensive"], ["wifi"]])
    assert matcher.match_many(
        ["Expensive, and the staff and waiters ignored us", "Nothing about it", ""]
    ) == [[0, 1], [], []]


def test_hostile_text_is_read_only_up_to_the_limit() -> None:
    giant = "x " * MAX_CHARACTERS + " refund"
    assert not matches("refund", giant)
    assert matches("refund", '=HYPERLINK("x") <b>refund</b> 😡')


def test_placeholder_answers_are_non_answers() -> None:
    texts = ["N/A", "Nothing.", "Did not answer", "-", "", "Nothing went wrong", "No queue at all"]
    assert non_answer_mask(texts).tolist() == [True] * 5 + [False] * 2
