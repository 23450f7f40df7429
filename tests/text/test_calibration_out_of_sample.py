"""A calibration reads its labelled texts as it would had they not been labelled.

The stacked TF-IDF model is fitted on every label, so its probabilities of a labelled text
echo that text's label: a review rated 5 stars whose text complains read positive, the one
column that could show the mismatch copied the rating back (88.5% agreement with the stars on
rated MARC reviews, 68.5% on unrated ones). The labelled texts are read with the out-of-sample
probabilities the head was fitted on instead.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from advocacy.text.calibration import CalibratedSentiment
from support.corpora import blitzer_reviews


def test_a_wrong_label_is_not_echoed_back_by_the_reading(shared_data: Path) -> None:
    # Reviews whose labels choose the stacked TF-IDF (5-fold CV 0.750 against 0.734 for the
    # head alone; seed 11's chose the head alone once English whole words entered the
    # embedding, and a head alone echoes no label).
    texts, classes = blitzer_reviews(shared_data, 1_200, seed=4)
    labels = list(classes)
    flipped = list(range(0, 1_200, 25))  # 48 reviews whose stars say the opposite of the text
    for i in flipped:
        labels[i] = "negative" if labels[i] == "positive" else "positive"
    calibrated = CalibratedSentiment().fit(texts, labels)
    assert calibrated.method_ == "head + tfidf"
    read = calibrated.predict(texts).labels
    echoed = np.mean([read[i] == labels[i] for i in flipped])
    kept = [i for i in range(1_200) if i not in set(flipped)]
    agree = np.mean([read[i] == labels[i] for i in kept])
    # The texts decide: most wrongly labelled reviews read as their text says (0.23; 0.46 when
    # the stacked model's own probabilities are used), and the rest agree with their labels
    # as an unlabelled review of the domain would (0.80), not as a model that has memorised
    # them (0.93).
    assert echoed < 0.35, echoed
    assert agree < 0.9, agree


def test_a_kept_fit_reads_its_labelled_texts_as_the_run_that_fitted_it(shared_data: Path) -> None:
    # A later run keeps the stored fit: a labelled text it reads again (its analysis deleted,
    # or the run that fitted stopped before reaching it) must not read with the stacked
    # model's own probabilities, which echo its label (review19: a detractor's score moved
    # from -0.44 to +0.37 between the two).
    from advocacy.text import calibration_store

    texts, classes = blitzer_reviews(shared_data, 1_200, seed=4)
    labels = list(classes)
    for i in range(0, 1_200, 25):
        labels[i] = "negative" if labels[i] == "positive" else "positive"
    calibrated = CalibratedSentiment().fit(texts, labels)
    assert calibrated.method_ == "head + tfidf"
    kept = calibration_store.load(calibration_store.dump(calibrated))
    assert kept is not None
    fresh = ["The zipper broke on the second day.", "Lovely colours, fits well."]
    read, read_kept = calibrated.predict(texts + fresh), kept.predict(texts + fresh)
    np.testing.assert_array_equal(read_kept.scores, read.scores)
    assert list(read_kept.labels) == list(read.labels)
