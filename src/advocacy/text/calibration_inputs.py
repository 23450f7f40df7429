"""The labelled texts a calibration fits on (:mod:`advocacy.text.calibration`): checked, read
as classes and weights, and digested into the name of the fit.

A fit is named by what it was fitted on and what it chose, not by its fitted bits
(:meth:`~advocacy.text.calibration.CalibratedSentiment.start_fit`): :func:`inputs_digest` is
the part that names the labelled texts, in order, with their labels and weights.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from advocacy.errors import UsageError
from advocacy.text.heads import FloatArray
from advocacy.text.sentiment import SENTIMENTS

__all__ = ["checked_labels", "inputs_digest"]

_INDEX = {name: i for i, name in enumerate(SENTIMENTS)}


def checked_labels(
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    taught: Sequence[bool] | None,
    taught_weight: float,
) -> tuple[list[str], NDArray[np.int64], FloatArray, NDArray[np.bool_]]:
    """The texts as strings, each label's class (index into SENTIMENTS), each label's weight
    (``taught_weight`` if ``taught`` marks it, else 1) and the marks.

    Raises
    ------
    UsageError
        When there is no text, not one label per text, a label that is not a sentiment, or
        not one ``taught`` flag per text.
    """
    texts = [str(text) for text in texts]
    if len(texts) != len(labels) or not texts:
        raise UsageError(
            f"calibration needs at least one labelled text and one label per text "
            f"(got {len(texts)} texts, {len(labels)} labels)",
            fix="teach labels (advocacy text teach FILE) or import scored comments",
        )
    unknown = sorted({str(label) for label in labels} - set(SENTIMENTS))
    if unknown:
        raise UsageError(
            f"unknown sentiment label {unknown[0]!r}",
            value=unknown[0],
            fix="use negative, neutral or positive",
        )
    marks = np.zeros(len(texts), bool) if taught is None else np.asarray(taught, bool)
    if marks.shape != (len(texts),):
        raise UsageError(
            f"taught needs one flag per text (got {marks.size} for {len(texts)})",
            fix="pass taught=[True or False, one per text]",
        )
    y = np.array([_INDEX[str(label)] for label in labels], dtype=np.int64)
    weight = np.where(marks, taught_weight, 1.0)
    return texts, y, weight, marks


def inputs_digest(texts: Sequence[str], y: NDArray[Any], weight: NDArray[Any]) -> str:
    """Digest of the labelled texts, in order, with their labels and weights."""
    digest = hashlib.sha256()
    for text in texts:
        encoded = text.encode("utf-8", "surrogatepass")
        digest.update(len(encoded).to_bytes(8, "little") + encoded)
    digest.update(np.ascontiguousarray(y, dtype=np.int64).tobytes())
    digest.update(np.ascontiguousarray(weight, dtype=np.float64).tobytes())
    return digest.hexdigest()
