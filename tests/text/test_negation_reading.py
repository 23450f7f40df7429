"""The English negation reading: what each kind of negation does to a text's sentiment."""

from __future__ import annotations

from pathlib import Path

import numpy as np

import advocacy
from advocacy.loop.cases.rule_format import default_rules
from advocacy.loop.cases.triggers import Evidence, TextSignals, evaluate
from advocacy.text import analyze_texts
from advocacy.text.negation import negation_evidence, negation_shift, with_negations
from advocacy.text.polarity_lexicon import polarity_lexicon
from advocacy.text.text_model import shipped_heads

from .negation_cases import MORE_DEVELOPMENT, MORE_HELD_OUT


def test_a_denied_negative_is_praise_and_a_denied_positive_is_blame() -> None:
    praise = ["Never had a problem", "No complaints", "I could not fault them", "Not bad"]
    blame = ["Not helpful", "I would not recommend them", "The staff were not friendly"]
    assert (negation_evidence(praise) > 0).all()
    assert (negation_evidence(blame) < 0).all()


def test_a_denied_expectation_is_a_complaint_and_no_negation_is_no_evidence() -> None:
    failed = ["The parcel never arrived", "Nobody answered", "The charger does not work"]
    assert (negation_evidence(failed) < 0).all()
    plain = ["Great staff", "The refund came", "", "Nonsense notary", "Nothing"]
    assert (negation_evidence(plain) == 0).all()


def test_intensifying_negations_keep_their_word_s_sign() -> None:
    found = negation_evidence(
        ["Couldn't be happier", "Couldn't be worse", "Can't say enough good things"]
    )
    assert found[0] > 0 and found[1] < 0 and found[2] > 0


def test_doubt_is_not_blame() -> None:
    assert negation_evidence(["Not sure yet"]).tolist() == [0.0]


def test_the_last_clause_weighs_more() -> None:
    alone, overridden = negation_evidence(["Not good.", "Not good, but the price is fair"])
    assert 0 > overridden > alone


def test_a_negation_weighs_less_in_a_long_review() -> None:
    short, long = negation_shift(
        ["No issues at all.", "No issues at all. It came. We set it up. We use it daily."]
    )
    assert short > long > 0


def test_texts_without_negation_keep_the_model_s_probabilities() -> None:
    probabilities = np.array([[0.2, 0.5, 0.3], [0.3, 0.4, 0.3]])
    out = with_negations(probabilities, negation_shift(["Great staff", "Could not fault them"]))
    assert np.array_equal(out[0], probabilities[0])
    assert out[1, 2] > probabilities[1, 2] and np.isclose(out[1].sum(), 1.0)


def test_the_lexicon_ships_with_its_licence() -> None:
    lexicon = polarity_lexicon()
    assert lexicon["wrong"] < 0 < lexicon["helpful"] and len(lexicon) > 5000
    assert shipped_heads() is not None  # the model files are there too


def test_more_sentences_read_better_than_by_the_model_alone() -> None:
    """The development half and the held-out half of the sentences written before the reading
    was built: the model alone read 14 and 13 of 26 right (docs/benchmarks.md)."""
    for half, before in ((MORE_DEVELOPMENT, 14), (MORE_HELD_OUT, 13)):
        said = analyze_texts([text for text, _ in half])["sentiment"]
        right = sum(s == label for s, (_, label) in zip(said, half, strict=True))
        assert right > before, list(zip(half, said, strict=True))


def test_the_case_rules_read_negations(tmp_path: Path) -> None:
    """The angry-mention rule's complaint and negative signals come from the same reading."""
    texts = {
        "denied": "Never had a problem with this bank in twelve years.",
        "stated": "Had a problem with this bank again this year.",
        "failed": "The parcel never arrived and nobody answers my emails.",
    }
    evidence = [
        Evidence("mentions", key, None, None, None, None, None, None, text)
        for key, text in texts.items()
    ]
    signals = TextSignals(evidence)
    complaint = {item.evidence_id: signals.complaint(item) for item in evidence}
    negative = {item.evidence_id: signals.negative(item) for item in evidence}
    assert complaint["denied"] < 0.5 < complaint["stated"] < complaint["failed"]
    assert negative["denied"] < negative["stated"] and negative["failed"] > 0.7
    (rule,) = [rule for rule in default_rules() if rule.trigger == "angry_mention"]
    with advocacy.open(str(tmp_path / "w.duckdb")) as ws:
        fired = [hit.evidence.evidence_id for hit in evaluate(ws.db, rule, evidence, signals)]
    assert "failed" in fired and "denied" not in fired


def test_hostile_input() -> None:
    # A giant text of negations is read in one pass (a clause scan per negation would take
    # hours); markup, formulas and other scripts are only words.
    giant = "not bad but " * 200_000
    found = negation_evidence([giant, '=HYPERLINK("x") not good', "<b>not</b> 😡", "不是很好"])
    assert np.isfinite(found).all() and found[0] > 0 and found[1] < 0
    assert found[2] == 0 and found[3] == 0


def test_quick_typing_without_apostrophes() -> None:
    assert (negation_evidence(["dont like it", "I didnt get my refund", "wasnt helpful"]) < 0).all()
