"""A calibration fitted in two steps (``start_fit``, then ``LastFits.finish``) is the plain fit,
or refused: never a mix of two fits, never fitted before it finishes.

Real product reviews (Blitzer et al. 2007, from ``../shared/data``) labelled by their stars.
"""

from __future__ import annotations

import pickle
from dataclasses import replace

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.utils.validation import check_is_fitted

from advocacy.errors import UsageError
from advocacy.text.calibration import CalibratedSentiment
from advocacy.text.workers import run_tasks
from support.corpora import blitzer_reviews


@pytest.fixture(scope="module")
def reviews(shared_data) -> tuple[list[str], list[str]]:
    # Seed 4: 200 labels choose a head, 100 a head without TF-IDF, 400 the stacked TF-IDF
    # (seed 3's 200 chose the adjusted prior once capitals were folded, real-sentiment-e5-v7).
    texts, classes = blitzer_reviews(shared_data, 300, seed=4, words=60)
    return texts, ["negative" if c == "negative" else "positive" for c in classes]


def fitted_attributes(model: CalibratedSentiment) -> list[str]:
    return sorted(name for name in vars(model) if name.endswith("_"))


def test_last_fits_of_an_earlier_start_are_refused(reviews) -> None:
    texts, labels = reviews
    model = CalibratedSentiment()
    earlier = model.start_fit(texts[:200], labels[:200])  # a head: last fits to run
    assert earlier.tasks
    latest = model.start_fit(texts[:12], labels[:12])  # a prior adjustment only
    with pytest.raises(UsageError, match="earlier start_fit"):
        earlier.finish(run_tasks(earlier.tasks))
    assert fitted_attributes(model) == []  # the refused finish left nothing behind
    assert latest.finish([]) is model
    assert model.name_ == CalibratedSentiment().fit(texts[:12], labels[:12]).name_
    assert model.n_labels_ == 12 and model.method_ == "prior adjusted"


def test_a_calibration_is_fitted_only_once_its_last_fits_finish(reviews) -> None:
    texts, labels = reviews
    model = CalibratedSentiment()
    with pytest.raises(NotFittedError):
        check_is_fitted(model)
    last = model.start_fit(texts[:200], labels[:200])
    assert fitted_attributes(model) == []
    with pytest.raises(NotFittedError):
        check_is_fitted(model)
    last.finish(run_tasks(last.tasks))
    check_is_fitted(model)
    assert model.method_.startswith("head") and model.n_labels_ == 200
    # A refit starts from nothing: no count or description of the earlier fit stays.
    model.start_fit(texts[:12], labels[:12])
    assert fitted_attributes(model) == []
    assert "200 labels" not in repr(model)


def test_finish_takes_only_what_its_own_tasks_returned(reviews) -> None:
    texts, labels = reviews
    # 100 labels: a head, no TF-IDF (90 chose the adjusted prior once short denials of a
    # fault read as praise, real-sentiment-e5-v9).
    last = CalibratedSentiment().start_fit(texts[:100], labels[:100])
    assert len(last.tasks) == 1
    with pytest.raises(UsageError, match="result 0 is not what task 0"):
        last.finish([None])
    # Another calibration's head, of the same shape, fitted on other labels (60-150: 30-120
    # chose the adjusted prior once the head read negated words reversed, 2026-12-07).
    other = CalibratedSentiment().start_fit(texts[60:150], labels[60:150])
    assert len(other.tasks) == 1
    with pytest.raises(UsageError, match="result 0 is not what task 0"):
        last.finish(run_tasks(other.tasks))
    model = last.finish(run_tasks(last.tasks))
    assert model.name_ == CalibratedSentiment().fit(texts[:100], labels[:100]).name_


def test_finish_refuses_results_out_of_order(shared_data) -> None:
    texts, classes = blitzer_reviews(shared_data, 400, seed=4, words=60)
    labels = ["negative" if c == "negative" else "positive" for c in classes]
    model = CalibratedSentiment()
    last = model.start_fit(texts, labels)  # a head with the stacked TF-IDF: two last fits
    assert len(last.tasks) == 2
    done = run_tasks(last.tasks)
    with pytest.raises(UsageError, match="result 0 is not what task 0"):
        last.finish(done[::-1])
    assert last.finish(done).method_ == "head + tfidf"


def test_parameters_follow_scikit_learn(reviews) -> None:
    texts, labels = reviews
    model = CalibratedSentiment(folds=3, taught_weight=2.0).fit(texts[:60], labels[:60])
    copy = clone(model)
    assert copy.get_params() == model.get_params()
    assert copy.get_params()["folds"] == 3 and fitted_attributes(copy) == []
    assert copy.set_params(folds=4) is copy and copy.folds == 4
    with pytest.raises(UsageError, match="no parameter 'fold'"):
        copy.set_params(fold=4)


def test_a_refit_on_the_same_labels_names_the_same_model_whatever_the_last_bits(reviews) -> None:
    # A text's probabilities differ in their last bit with the batch it is read in; the refit
    # of the same labels must name the same model, or every stored reading is read again.
    texts, labels = reviews
    reading = CalibratedSentiment().read(texts)
    nudged = replace(
        reading,
        embeddings=np.nextafter(reading.embeddings, 2.0),
        sentiment=np.nextafter(reading.sentiment, 2.0),
    )
    first = CalibratedSentiment().fit(texts, labels, reading=reading)
    again = CalibratedSentiment().fit(texts, labels, reading=nudged)
    assert first.method_ != "prior adjusted"  # a head was fitted
    assert not np.array_equal(first.head_.coef_, again.head_.coef_)  # the bits did move
    assert again.name_ == first.name_
    # Different labels are a different model, and say so.
    flipped = ["positive" if label == "negative" else "negative" for label in labels[:40]]
    other = CalibratedSentiment().fit(texts, flipped + labels[40:], reading=reading)
    assert other.name_ != first.name_


def test_the_last_fits_send_numbers_not_the_vocabulary_and_fit_the_same_model(
    shared_data,
) -> None:
    # A last fit may run in a worker process, which sends its result back pickled: the final
    # TF-IDF model's vocabulary (a dict of every term of the labelled texts) is spelt out by
    # the caller, from the counts it split before the fork, not pickled there and back.
    texts, classes = blitzer_reviews(shared_data, 400, seed=4, words=60)
    labels = ["negative" if c == "negative" else "positive" for c in classes]
    alone = CalibratedSentiment().fit(texts, labels)
    assert alone.method_ == "head + tfidf"
    model = CalibratedSentiment(workers=2)
    last = model.start_fit(texts, labels)
    done = run_tasks(last.tasks, workers=2)  # one of the two runs in a forked worker
    sent = pickle.dumps(done)
    assert b"sklearn.pipeline" not in sent and b"TfidfVectorizer" not in sent
    terms = alone.tfidf_.steps[0][1].vocabulary_
    assert len(terms) > 10_000
    longest = sorted(terms, key=len)[-20:]  # none would be in the results by chance
    assert not any(term.encode() in sent for term in longest)
    last.finish(done)
    assert model.name_ == alone.name_
    vectorizer = model.tfidf_.steps[0][1]
    assert vectorizer.vocabulary_ == terms
    np.testing.assert_array_equal(vectorizer.idf_, alone.tfidf_.steps[0][1].idf_)
    held, _ = blitzer_reviews(shared_data, 60, seed=11, words=60)
    held += ["", '=HYPERLINK("x")<b>waste of money</b>', "ÇA VA très bien " * 50]
    assert model.predict(held).probabilities.tolist() == alone.predict(held).probabilities.tolist()


def test_the_vocabulary_spelt_while_the_last_fits_run_fits_the_same_model(shared_data) -> None:
    # LastFits.meanwhile spells out the final TF-IDF model's vocabulary while the fits run (in
    # the caller, beside a worker); finished with or without it, the model is the plain fit's.
    texts, classes = blitzer_reviews(shared_data, 400, seed=4, words=60)
    labels = ["negative" if c == "negative" else "positive" for c in classes]
    alone = CalibratedSentiment().fit(texts, labels)
    assert alone.method_ == "head + tfidf"
    held, _ = blitzer_reviews(shared_data, 60, seed=12, words=60)
    held += ["", "<b>&amp; NOT worth it</b>", "Não gostei " * 300]
    expected = alone.predict(held).probabilities.tolist()
    for run_meanwhile in (True, False):
        model = CalibratedSentiment(workers=2)
        last = model.start_fit(texts, labels)
        assert last.meanwhile is not None
        meanwhile = last.meanwhile if run_meanwhile else None
        last.finish(run_tasks(last.tasks, workers=2, meanwhile=meanwhile))
        assert model.name_ == alone.name_
        assert model.tfidf_.steps[0][1].vocabulary_ == alone.tfidf_.steps[0][1].vocabulary_
        assert model.predict(held).probabilities.tolist() == expected
    # A fit without a TF-IDF model has nothing to spell out.
    assert CalibratedSentiment().start_fit(texts[:90], labels[:90]).meanwhile is None
