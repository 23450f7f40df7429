"""A review's set-up and its verdict: the clause after "but" decides, a wish is a complaint.

Sentences written for these tests (CC0); none comes from a data set. Those of
``PRAISED_VERDICT`` and ``BLAMED_VERDICT`` but the last were read wrongly by SENTIMENT_MODEL
v12: a fault in the set-up outweighed the verdict that answered it, a counterfactual ("would be
great if") read as praise, and a denied wait ("didn't take long") and an intensifying
"couldn't be more pleased" read as blame. The rest guard what the new readings must not
reach: a wait that ends in a fault, a modal without a condition, clauses of one polarity, a
negated set-up (the negation reading's), a wish of no praise.
"""

from __future__ import annotations

import pytest

from advocacy.text import analyze_texts
from advocacy.text.negation import negation_shift
from advocacy.text.sentiment import COMPLAINT_CUTOFF

PRAISED_VERDICT = [
    "I feared the worst but the repair was excellent.",
    "The first one was broken but the replacement works perfectly.",
    "I was scared the glass would crack but it arrived in perfect shape.",
    "It didn't take long to set up and the kids use it every day.",
    "I couldn't be more pleased with how it turned out.",
    "The staff could not have been more helpful.",
]
BLAMED_VERDICT = [
    "Lovely to look at but it broke the second time I used it.",
    "Beautiful colour but the seams were broken after one wash.",
    "It would be a lovely coat if the zip did not keep sticking.",
    "The app would be great if it stopped logging me out.",
    "It didn't take long for the strap to break.",
]


@pytest.mark.parametrize("text", PRAISED_VERDICT)
def test_a_verdict_of_praise_reads_positive_and_no_complaint(text: str) -> None:
    read = analyze_texts([text]).iloc[0]
    assert read["sentiment"] == "positive", read.to_dict()
    assert read["complaint"] < COMPLAINT_CUTOFF, read.to_dict()


@pytest.mark.parametrize("text", BLAMED_VERDICT)
def test_a_verdict_of_blame_reads_negative_and_a_complaint(text: str) -> None:
    read = analyze_texts([text]).iloc[0]
    assert read["sentiment"] == "negative", read.to_dict()
    assert read["complaint"] >= COMPLAINT_CUTOFF, read.to_dict()


def test_a_modal_without_a_condition_still_praises() -> None:
    read = analyze_texts(["These would be lovely for a picnic.", "It would be great for travel."])
    assert read["sentiment"].tolist() == ["positive", "positive"]
    assert (read["complaint"] < COMPLAINT_CUTOFF).all()


def test_clauses_of_one_polarity_and_a_negated_set_up_move_nothing_more() -> None:
    # "but" between two praises is no contrast; a negation before "but" is the negation
    # reading's (counted half there), not counted again as a contrast.
    same, plain = negation_shift(["Friendly staff but the food was even better.", "Friendly."])
    assert same == plain == 0.0
    negated, alone = negation_shift(["It was not cheap, but it is lovely.", "It was not cheap."])
    assert negated == pytest.approx(alone / 2)


def test_a_wish_that_is_no_praise_is_no_complaint() -> None:
    # "surprised" is no clear praise: no wish is denied, nothing moves.
    assert negation_shift(["I would have been surprised if they had cleared him."]) == [0.0]
