"""Negation scopes found in lower case on texts in ASCII are those found case-insensitively.

(And a text's negations weigh what they weighed when one loop over its tokens kept the clause
state: ``negation._text_evidence`` now finds the negation words and clause starts first.)

:func:`advocacy.text.negation_scope.split_negated` and
:func:`~advocacy.text.negation.negation_evidence` match a text written in ASCII, lower-cased, with
their patterns without ``(?i)`` (about twice as fast; see ``negation_scope.lower_case_pattern``).
The reference here is the case-insensitive pattern on the text as written, as both read every text
before: the same split and the same evidence on real reviews, their sentences and tweets, and on
generated text that mixes cases, negations, contractions and punctuation.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advocacy.text import negation, negation_scope
from advocacy.text.denied_praise import prefix_blame
from advocacy.text.negation import negation_evidence
from advocacy.text.negation_scope import split_negated
from advocacy.text.polarity_lexicon import polarity_lexicon
from advocacy.text.sentiment import sentence_spans
from support.corpora import blitzer_reviews


def split_reference(texts: list[str]) -> tuple[list[str], list[str]]:
    """split_negated as it read every text before: ``(?i)`` on the text as written."""
    plain, negated = [], []
    for source in texts:
        kept, governed, start = [], [], 0
        for match in negation_scope._SCOPE.finditer(source):
            kept.append(source[start : match.start(1)])
            governed.append(match.group(1).strip(" -–"))
            start = match.end(1)
        plain.append("".join([*kept, source[start:]]) if start else source)
        negated.append(" ".join(governed) if start else "")
    return plain, negated


def text_evidence_reference(tokens: list[str], lexicon: dict[str, float]) -> float:
    """negation._text_evidence as it was: one loop over the tokens, the clause state kept."""
    overriding = negation._OVERRIDING
    last_override = max((k for k, token in enumerate(tokens) if token in overriding), default=-1)
    total, concessive = 0.0, False
    for position, token in enumerate(tokens):
        if token in negation._EN_CONTRAST or token in negation._SENTENCE_MARKS:
            concessive = token in negation._CONCESSIVE
            continue
        if token in negation._COUNTERFACTUAL:  # "could be better" (read since 2026-12-07)
            shift = negation._counterfactual(tokens, position, lexicon)
        elif negation._is_affix_denial(token):  # "faultless", "hassle-free" (negread2)
            shift = negation._affix_denial(tokens, position, lexicon)
        elif token in negation._EN_NEGATORS or token.endswith(("n't", "n’t")):
            shift = negation._one_negation(tokens, position, lexicon)
        else:
            continue
        if shift:
            overridden = concessive or position < last_override
            total += shift * (negation.OVERRIDDEN_CLAUSE if overridden else 1.0)
    return total


def evidence_reference(texts: list[str]) -> list[float]:
    lexicon = polarity_lexicon()
    return [
        text_evidence_reference(negation._TOKEN.findall(text.lower()), lexicon)
        if text and (negation._EN_QUICK.search(text) or negation._affixed(text.lower()))
        else 0.0
        for text in texts
    ]


def assert_as_before(texts: list[str]) -> None:
    assert split_negated(texts) == split_reference(texts)
    np.testing.assert_array_equal(negation_evidence(texts), evidence_reference(texts))


def test_real_reviews_their_sentences_and_tweets_split_as_before(shared_data) -> None:
    texts, _ = blitzer_reviews(shared_data, 1500, seed=11)
    texts += [text[a:b] for text in texts for a, b in sentence_spans(text)]
    tweets = shared_data / "tweeteval" / "sentiment" / "val_text.txt"
    texts += tweets.read_text(encoding="utf-8").split("\n")
    assert sum(text.isascii() for text in texts) > 0.95 * len(texts)
    negated = split_negated(texts)[1]
    assert sum(bool(found) for found in negated) > 1000  # many negations were read
    assert_as_before(texts)


PIECES = [
    "not", "NOT", "Not", "no", "No", "never", "NEVER", "nothing", "without", "isn't", "ISN'T",
    "didnt", "DIDNT", "can't", "n't", "won't", "non't", "cannot", "hardly", "Barely", "zero",
    "but", "BUT", "however", "although", "and", "pas", "nicht", "KEIN", "geen", "ne", "N'",
    "good", "Bad", "fault", "itchy", "worked", "arrive", "happier", "again", "recommend",
    "notebook", "nota", "nOtHiNg", "_not", "not_", "x1", "9", "k", "s", "i", "I",
    ".", ",", ";", "!", "?", "-", "--", "'", "(", ")", "\t", "\n", "  ",
]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30), st.lists(st.sampled_from(" -"), max_size=30))
def test_generated_ascii_text_splits_as_before(pieces: list[str], joints: list[str]) -> None:
    text = "".join(
        piece + (joints[k] if k < len(joints) else " ") for k, piece in enumerate(pieces)
    )
    assert text.isascii()
    assert_as_before([text])


TOKENS = [
    "not", "no", "never", "nothing", "without", "isn't", "won’t", "didnt", "zero", "hardly",
    "but", "however", "yet", "although", "though", "while", "except", "and", "would", "will",
    "again", "so", "such", "enough", "sure", ".", "!", "?", ";", ",",
    "good", "bad", "fault", "helpful", "happier", "friendlier", "worse", "issues", "late",
    "arrive", "work", "buy", "recommend", "the", "staff", "it", "be", "could",
    "free", "hassle", "painless", "stainless", "let", "down",
    "unhelpful", "unprofessional", "unblock", "unlike", "unsure", "until", "seamless",
]  # fmt: skip


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=40))
def test_generated_token_runs_weigh_their_negations_as_before(tokens: list[str]) -> None:
    lexicon = polarity_lexicon()
    expected = text_evidence_reference(tokens, lexicon)
    assert negation._text_evidence(tokens, lexicon, affixed=True) == expected


_PIECES = ["un", "dis", "in", "im", "helpful", "accurate", "clean", "usable", "courteous",
           "x", "é", "'", "’", " ", "-", ".", "able", "ed"]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=8).map("".join))
def test_the_prefix_check_finds_what_a_word_by_word_reading_would(text: str) -> None:
    """``_prefixed`` (a loop over the places of each prefix, lexread, unwords) finds a word
    whose prefix denies praise exactly where reading every word would."""
    lexicon = polarity_lexicon()
    words = re.findall(r"(?<![a-z'’])[a-z]+", text)
    expected = any(
        len(word) >= 6
        and word.startswith(("un", "dis", "in", "im"))
        and prefix_blame(word, lexicon) < 0
        for word in words
    )
    assert negation._prefixed(text) == expected


def test_text_outside_ascii_is_still_read_case_insensitively() -> None:
    texts = [
        "Das war NICHT gut",
        "ÇA N'EST PAS BON",
        "İt is NOT good",
        "not ſo good",
        "Kein Kaffee",
    ]
    assert_as_before(texts)
    assert split_negated(["Das war NICHT gut"])[1] == ["gut"]


def test_a_pattern_that_is_not_lower_case_is_refused() -> None:
    with pytest.raises(ValueError, match="lower-case"):
        negation_scope.lower_case_pattern(re.compile("(?i)Not"))
    with pytest.raises(ValueError, match="lower-case"):
        negation_scope.lower_case_pattern(
            re.compile("not")
        )  # not case-insensitive: nothing to drop
