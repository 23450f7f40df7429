"""Negation decides what a sentence means: praise by denial is praise, denied praise is blame."""

from __future__ import annotations

from advocacy.text import sentiment
from advocacy.text.negation import split_negated

from .negation_cases import NEGATION_CASES


def test_scope_runs_to_the_clause_end() -> None:
    plain, negated = split_negated(
        [
            "I could not fault what they did. Great!",
            "Not itchy, but the seams are rough",
            "Das Essen war nicht gut, aber der Service war super",
            "Ce n'est pas bon",
            "No, the refund never came",
            "Nothing to see here",
        ]
    )
    assert negated == ["fault what they did", "itchy", "gut", "bon", "came", "to see here"]
    assert plain[0] == "I could not. Great!"
    assert "seams are rough" in plain[1] and "Service war super" in plain[2]


def test_texts_without_negation_pass_unchanged() -> None:
    texts = ["Great staff", "", "Nota bene: the notary was nice", "Nonsense"]
    plain, negated = split_negated(texts)
    assert plain == texts and negated == ["", "", "", ""]


def test_negation_cases_read_right() -> None:
    texts = [text for text, _, _ in NEGATION_CASES]
    labels = sentiment(texts).labels
    wrong = [
        (text, expected, got)
        for (text, _, expected), got in zip(NEGATION_CASES, labels, strict=True)
        if got != expected
    ]
    # At most two of the twenty may be misread (the benchmark reports the exact count).
    assert len(wrong) <= 2, wrong
