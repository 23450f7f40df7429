"""LinearHead: scikit-learn's logistic regression kept as one column of weights per class."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from advocacy.errors import UsageError
from advocacy.text.heads import LinearHead


@pytest.fixture
def data() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(300, 6))
    score = x[:, 0] + 0.5 * x[:, 1] + rng.normal(size=300)
    return x, np.array(["low", "mid", "high"])[(score > 0).astype(int) + (x[:, 2] > 1)]


def test_three_classes_give_scikit_learns_probabilities(data: tuple) -> None:
    x, y = data
    head = LinearHead(["low", "mid", "high"], l2=0.01, balanced=False).fit(x, y)
    reference = LogisticRegression(C=1 / (2 * 0.01), tol=1e-10, max_iter=5000).fit(
        x, y, sample_weight=np.full(len(y), 1 / len(y))
    )
    columns = [list(reference.classes_).index(name) for name in head.classes]
    expected = reference.predict_proba(x)[:, columns]
    np.testing.assert_allclose(head.predict_proba(x), expected, atol=1e-4)
    assert head.summary()["converged"]


def test_two_classes_are_the_symmetric_form_of_the_binary_fit(data: tuple) -> None:
    x, y = data
    labels = np.where(y == "high", "mid", y)
    head = LinearHead(["low", "mid"], l2=0.01, balanced=False).fit(x, labels)
    reference = LogisticRegression(C=1 / 0.01, tol=1e-10, max_iter=5000).fit(
        x, labels, sample_weight=np.full(len(y), 1 / len(y))
    )
    np.testing.assert_allclose(head.predict_proba(x), reference.predict_proba(x), atol=1e-4)
    np.testing.assert_allclose(head.coef_[:, 0], -head.coef_[:, 1])


def test_a_class_without_examples_is_never_predicted_and_survives_saving(
    data: tuple, tmp_path: Path
) -> None:
    x, y = data
    head = LinearHead(["low", "mid", "high", "unseen"]).fit(x, y)
    assert (head.predict_proba(x)[:, 3] == 0).all()
    head.save(tmp_path / "head.npz")
    loaded = LinearHead.load(tmp_path / "head.npz")
    np.testing.assert_allclose(loaded.predict_proba(x), head.predict_proba(x), atol=1e-5)
    assert list(loaded.predict(x[:20])) == list(head.predict(x[:20]))


def test_unknown_labels_and_unfitted_heads_are_refused(data: tuple) -> None:
    x, y = data
    with pytest.raises(UsageError, match="unknown class labels"):
        LinearHead(["low", "mid"]).fit(x, y)
    with pytest.raises(UsageError, match="not fitted"):
        LinearHead(["low"]).predict(x)
