"""A short answer that only denies a fault reads as praise, model alone (negread2).

"nothing to fault", "never let me down", "can't fault the staff" and "no hassle whatsoever"
read neutral before: the heads read the denied words as neutral or negative and the negation's
shift (one logit or so) did not move them past. :func:`negation.denial_decides` lets the denial
decide a short answer whose only polar content it is; longer texts, questions, denials of other
negative words and texts with emoji keep the heads' reading with the shift added. A suffix
denies too ("Faultless" and "painless" read 0.99 negative, "trouble-free" 0.72).
"""

from __future__ import annotations

import numpy as np
import pytest

from advocacy.text.document_reading import analyze_texts
from advocacy.text.negation import denial_decides, negation_evidence, negation_shift
from advocacy.text.sentiment import COMPLAINT_CUTOFF

from .denial_answer_cases import DENIAL_ANSWERS
from .short_answer_cases import SHORT_ANSWERS

PRAISE_BY_DENIAL = [
    "nothing to fault",
    "can't fault the staff",
    "never let me down",
    "no hassle whatsoever",
    "They have never let me down.",
    "never had an issue",
]


def test_a_short_denial_of_a_fault_reads_positive() -> None:
    frame = analyze_texts(PRAISE_BY_DENIAL)
    assert frame["sentiment"].tolist() == ["positive"] * len(PRAISE_BY_DENIAL)  # were neutral


def test_a_short_denial_of_a_fault_is_no_complaint() -> None:
    texts = ["The process was painless", "Faultless", "never let me down", "hassle-free"]
    complaint = analyze_texts(texts)["complaint"]
    assert (complaint < COMPLAINT_CUTOFF).all()  # were 1.00, 1.00, 0.86, 0.92


def test_let_down_and_fall_apart_are_problems_a_negation_denies() -> None:
    evidence = negation_evidence(["never let me down", "didn't fall apart", "never ripped us off"])
    assert (evidence > 0).all()  # were 0: "let", "down", "fall" and "apart" are not polar alone
    assert negation_evidence(["It let me down"]).tolist() == [0.0]  # no negation, no evidence


def test_a_suffix_that_denies_a_fault_is_praise() -> None:
    praise = ["Faultless", "The process was painless", "hassle-free", "trouble free", "flawless"]
    assert (negation_evidence(praise) > 0).all()  # were 0: no negation word
    # "Faultless" 0.99 negative, "painless" 0.98 negative, "trouble-free" 0.72 negative before.
    assert analyze_texts(praise)["sentiment"].tolist() == ["positive"] * len(praise)
    others = ["stainless steel", "wireless", "unless it rains", "bless you", "useless", "for free"]
    assert (negation_evidence(others) == 0).all()  # not a fault denied, or not praise
    denied = negation_evidence(["wasn't hassle free", "not flawless"])
    assert (denied < 0).all()  # a negation before the pair reads it, once


@pytest.mark.parametrize(
    "text",
    [
        "nothing to fault, but the food was cold",  # another polar word
        "Has nobody had a problem with this?",  # a question
        "No problems. It broke on day two.",  # a second sentence
        "no problem with the first one I bought from this seller last year",  # too long
        "no complaints 😡",  # an emoji says more
        "Don't forget to bring a coat",  # a denial, not of a fault
        "not bad",  # a denied negative, but not a fault found: the shift alone reads it
        "neither good nor bad",  # one negation argues for negative
    ],
)
def test_the_denial_does_not_decide_other_texts(text: str) -> None:
    assert denial_decides([text], negation_shift([text])).tolist() == [False]


def test_denied_praise_and_failed_expectations_are_untouched() -> None:
    texts = ["not happy with the delivery", "never got a reply", "wouldn't recommend them"]
    assert not denial_decides(texts, negation_shift(texts)).any()
    assert analyze_texts(texts)["sentiment"].tolist() == ["negative"] * 3


def test_written_short_answers_model_alone() -> None:
    """Not evidence (written with the rule in mind): a check the rule reads what it is for."""
    for cases, least in ((DENIAL_ANSWERS, 0.92), (SHORT_ANSWERS, 0.95)):
        labels = analyze_texts([text for text, _ in cases])["sentiment"].tolist()
        right = np.mean([got == want for got, (_, want) in zip(labels, cases, strict=True)])
        assert right >= least  # before: 0.69 (18/26) and 0.86 (30/35)
