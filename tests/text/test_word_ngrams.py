"""Word n-grams at batch speed are scikit-learn's word n-grams, entry for entry.

:mod:`advocacy.text.word_ngrams` replaces scikit-learn's analyzer and
``CountVectorizer.transform`` on the hot paths (the shipped n-gram heads, the calibration's
TF-IDF model); the checks are scikit-learn itself on real reviews and hostile strings.
"""

from __future__ import annotations

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from advocacy.text.calibration_tfidf import pipeline_probabilities, tfidf_model
from advocacy.text.text_model import NGRAM_OPTIONS, ngram_terms
from advocacy.text.word_ngrams import analyzer, count_matrix
from support.corpora import blitzer_reviews

HOSTILE = [
    "",
    "   ",
    "I",
    "Don't DON'T don't, isn't it?",
    "ÇA VA? Très BIEN. İstanbul ΣΊΣΥΦΟΣ straße",
    "中文没有空格的句子。日本語も",
    '=HYPERLINK("http://x")<script>alert(1)</script>',
    "tab\tnew\nline\r\n__under_score__ 3.14 a1b2",
    "emoji 😀👍🏽 ok ok ok",
    "word " * 3000,
]


def texts_to_check(shared_data) -> list[str]:
    texts, _ = blitzer_reviews(shared_data, 600, seed=8, words=60)
    return texts + HOSTILE


def test_the_analyzer_gives_scikit_learns_ngrams(shared_data) -> None:
    texts = texts_to_check(shared_data)
    for pattern in (r"(?u)\b\w\w+\b", NGRAM_OPTIONS["token_pattern"]):
        reference = TfidfVectorizer(ngram_range=(1, 2), token_pattern=pattern).build_analyzer()
        fast = analyzer(pattern)
        for text in texts:
            assert fast(text) == reference(text), text[:80]


def test_the_heads_batch_holds_each_texts_ngrams(shared_data) -> None:
    texts = texts_to_check(shared_data)
    reference = TfidfVectorizer(**NGRAM_OPTIONS).build_analyzer()
    batch = ngram_terms(texts)
    for i, text in enumerate(texts):
        mine = [batch.distinct[j] for j in batch.ids[batch.owner == i]]
        assert mine == reference(text)
    assert batch.is_word.tolist() == [" " not in term for term in batch.distinct]


def test_counts_are_the_vectorizers_counts(shared_data) -> None:
    texts = texts_to_check(shared_data)
    vectorizer = CountVectorizer(ngram_range=(1, 2)).fit(texts[:300])
    expected = vectorizer.transform(texts)
    counts = count_matrix(texts, vectorizer.vocabulary_, analyzer())
    assert counts.shape == expected.shape
    np.testing.assert_array_equal(counts.indptr, expected.indptr)
    np.testing.assert_array_equal(counts.indices, expected.indices)
    np.testing.assert_array_equal(counts.data, expected.data)
    assert (count_matrix(["", "zzzz qqqq"], {}, analyzer())).nnz == 0


def test_a_tfidf_pipelines_probabilities_are_the_same_numbers(shared_data) -> None:
    texts, classes = blitzer_reviews(shared_data, 500, seed=9, words=60)
    labels = [name == "positive" for name in classes]
    pipeline = tfidf_model().fit(texts[:350], labels[:350])
    held = texts[350:] + HOSTILE
    np.testing.assert_array_equal(
        pipeline_probabilities(pipeline, held), pipeline.predict_proba(held)
    )
    # A pipeline rebuilt from its vocabulary and idf (as a stored calibration is) too.
    fitted = pipeline.steps[0][1]
    rebuilt = TfidfVectorizer(**{**fitted.get_params(), "vocabulary": dict(fitted.vocabulary_)})
    rebuilt.idf_ = fitted.idf_
    pipeline.steps[0] = (pipeline.steps[0][0], rebuilt)
    np.testing.assert_array_equal(
        pipeline_probabilities(pipeline, held), pipeline.predict_proba(held)
    )
