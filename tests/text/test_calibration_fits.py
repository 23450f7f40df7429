"""The head a calibration fits on every label is the penalised likelihood's optimum.

Past ``EXACT_HEAD_LABELS`` labels the head is solved by Newton-Cholesky: L-BFGS, stopped by
scikit-learn's default tolerance, left its probabilities up to 0.02 from the optimum on 11,400
scored reviews. The reference here is another solver (scikit-learn's Newton-CG) run to a far
tighter tolerance.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from advocacy.text.calibration import CalibratedSentiment
from advocacy.text.calibration_fits import EXACT_HEAD_LABELS, fit_head, quietly
from advocacy.text.sentiment import SENTIMENTS


def _tweets(shared_data: Path) -> tuple[list[str], np.ndarray]:
    """TweetEval's sentiment test tweets (three classes), in file order."""
    folder = shared_data / "tweeteval" / "sentiment"
    texts = (folder / "test_text.txt").read_text(encoding="utf-8").splitlines()
    labels = (folder / "test_labels.txt").read_text(encoding="utf-8").split()
    return texts, np.array([int(label) for label in labels], dtype=np.int64)


@pytest.mark.shared_data
def test_the_head_on_many_labels_reads_as_the_optimum(shared_data: Path) -> None:
    texts, y = _tweets(shared_data)
    order = np.random.default_rng(0).permutation(len(texts))
    fitted = order[:EXACT_HEAD_LABELS]
    model = CalibratedSentiment()
    features = model.features_from(model.read([texts[i] for i in order[: len(fitted) + 500]]))
    train, test = features[: len(fitted)], features[len(fitted) :]  # 500 tweets held out
    weight = np.where(np.arange(len(fitted)) < 200, 3.0, 1.0)  # some taught labels
    assert sorted(set(y[fitted].tolist())) == [0, 1, 2] == list(range(len(SENTIMENTS)))
    for penalty in (0.006, 0.02):
        head = quietly(lambda c=penalty: fit_head(c, train, y[fitted], weight))()
        reference = LogisticRegression(C=penalty, solver="newton-cg", tol=1e-10, max_iter=1000)
        reference.fit(train, y[fitted], sample_weight=weight)
        gap = np.abs(head.predict_proba(test) - reference.predict_proba(test)).max()
        assert gap < 5e-4, (penalty, gap)  # L-BFGS by default: 2e-3 to 3e-3
        assert (head.predict(test) == reference.predict(test)).all()
