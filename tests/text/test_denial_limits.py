"""A denial of a fault that states the fault after all is no praise (review24 items 1 and 2).

negread2 let a short denial of a fault decide a text's sentiment ("never let me down"). Some
denials say the fault happened: the negation denies a belief ("I can't believe they let me
down again"), a time ends the denial ("never let me down until this order"), the fault word
names what was not handled ("No complaint was ever answered"), or the ease is sarcasm ("no
trouble taking my money"). These read positive and no complaint, so a case rule on negative
sentiment opened no case.
"""

from __future__ import annotations

import pytest

from advocacy.text.document_reading import analyze_texts
from advocacy.text.negation import denial_decides, negation_evidence, negation_shift
from advocacy.text.sentiment import COMPLAINT_CUTOFF

STATED_FAULTS = [
    "I can't believe they let me down again",  # a belief denied
    "I never thought they would rip me off",
    "I didn't expect them to let me down like this",
    "Never let me down until this order",  # a time the fault came
    "No problems until yesterday",
    "Never had any problems until the last update",
    "The app won't let me down load my statement",  # a download, not a let-down
    "No complaint was ever answered",  # a complaint not handled
    "Not one complaint was dealt with",
    "Nobody listens to complaints",
    "no trouble taking my money",  # sarcasm
    "No problem charging me twice apparently",
]


@pytest.mark.parametrize("text", STATED_FAULTS)
def test_a_denial_that_states_the_fault_is_a_complaint(text: str) -> None:
    assert negation_evidence([text]).tolist()[0] < 0  # was > 0: praise by denial
    assert not denial_decides([text], negation_shift([text])).any()
    frame = analyze_texts([text])
    assert frame["sentiment"].tolist() == ["negative"]  # was positive
    assert frame["complaint"].tolist()[0] >= COMPLAINT_CUTOFF  # was 0.00-0.28


def test_surprise_keeps_the_sign_of_what_happened() -> None:
    texts = ["I can't believe how good it is", "I never thought it would be this good"]
    assert (negation_evidence(texts) > 0).all()  # were -1.9: "good" read as denied
    assert analyze_texts(texts)["sentiment"].tolist() == ["positive", "positive"]
    # "don't believe" and "don't think" deny what follows, as before
    assert (negation_evidence(["I don't believe it works", "I don't think it is good"]) < 0).all()


@pytest.mark.parametrize(
    "text",
    [
        "never let me down",
        "They have never let me down yet",
        "no problems at all",
        "never had a problem getting through",
        "No problem charging my phone",  # a device charged, not the customer
        "No problem getting it fixed",  # no handling verb right after the fault word
        "no complaints, resolved quickly",  # the handling is another clause
        "I couldn't imagine a better place",
        "never had to deal with any problems",  # the customer's own handling, not needed
        "Never had any problem before, this is the first review I write",  # no time ends it
        # A comparison praises the handling; "still none" keeps the denial (review25 item 3).
        "Nobody listens to complaints better than this team",
        "Nobody handles complaints like they do, superb",
        "No complaints until now, and still none",
    ],
)
def test_praise_by_denial_stays_praise(text: str) -> None:
    assert negation_evidence([text]).tolist()[0] > 0
    assert analyze_texts([text])["sentiment"].tolist() == ["positive"]
