"""The shipped sentiment model reads flat, factual complaints as negative (issue #4).

The comments below were written for this test; they are in neither the model's authored
training comments nor the benchmark's evaluation comments.
"""

from __future__ import annotations

from advocacy.text import sentiment

FLAT_COMPLAINTS = [
    "The engineer was booked for Tuesday morning and did not come.",
    "I have asked for my deposit back four times since March.",
    "Charged the cancellation fee although I cancelled within the free period.",
    "On hold for 50 minutes, then passed to billing, who asked for my details again.",
    "Ordered two chairs, one arrived, the order says both were delivered.",
    "Our bill went up by 18 a month with no letter about it.",
]

ROUTINE_FACTS = [
    "Please send the invoice to our accounts address.",
    "What time does the branch open on Saturdays?",
    "I renewed the policy for another year on the website.",
    "Our office moved to the new address last month.",
]


def test_flat_complaints_are_read_as_negative() -> None:
    labels = sentiment(FLAT_COMPLAINTS).labels
    assert labels == ["negative"] * len(FLAT_COMPLAINTS)


def test_routine_facts_are_not_read_as_negative() -> None:
    labels = sentiment(ROUTINE_FACTS).labels
    assert "negative" not in labels
