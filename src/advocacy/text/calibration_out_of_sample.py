"""A calibration reads its labelled texts with the TF-IDF probabilities its head was fitted on.

The stacked TF-IDF model (:mod:`advocacy.text.calibration`) is fitted on every label, so its
probabilities of a labelled text echo that text's label. The fit keeps each labelled text's
out-of-sample probabilities (those the head was fitted on) under the text's key
(:func:`text_key`), and :func:`stacked_probabilities` reads a labelled text with them, any other
text with the final model. A stored fit (:mod:`advocacy.text.calibration_store`) holds the keys,
not the texts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import partial
from typing import Any

import numpy as np

from advocacy.text.calibration_tfidf import clipped, pipeline_probabilities
from advocacy.text.heads import FloatArray
from advocacy.text.word_ngrams import NgramColumns

__all__ = ["TEXT_KEY_BYTES", "stacked_probabilities", "text_key"]

#: Bytes of a :func:`text_key`.
TEXT_KEY_BYTES = 16


def text_key(text: str) -> bytes:
    """The key of a labelled text in a calibration's out-of-sample TF-IDF probabilities
    (:data:`TEXT_KEY_BYTES` of BLAKE2b of its UTF-8, lone surrogates kept): a stored fit holds
    the keys, not the texts, and reads a labelled text as the fit that stored it did."""
    return hashlib.blake2b(
        text.encode("utf-8", "surrogatepass"), digest_size=TEXT_KEY_BYTES
    ).digest()


def stacked_probabilities(
    model: Any,
    texts: Sequence[str],
    *,
    columns: NgramColumns | None = None,
    labelled: tuple[dict[bytes, int], FloatArray] | None = None,
) -> FloatArray:
    """The stacked TF-IDF ``model``'s probabilities of ``texts`` (columns: its classes); a
    labelled text's are its out-of-sample probabilities from the fit, those the head was
    fitted on, so its reading is the model's, not its own label echoed back by a TF-IDF
    model that has seen it.

    ``columns`` is the model's vocabulary by its words (a fit of this run holds it; a stored
    one does not); ``labelled``, the row of each labelled text's key in the out-of-sample
    probabilities, and those probabilities (None: no text is read as labelled).
    """
    probabilities = partial(pipeline_probabilities, model, columns=columns)
    if labelled is None:
        return probabilities(clipped(texts))
    row, found = labelled
    rows = np.fromiter((row.get(text_key(text), -1) for text in texts), np.int64, count=len(texts))
    if not (rows >= 0).any():
        return probabilities(clipped(texts))
    out = np.empty((len(texts), found.shape[1]))
    known = rows >= 0
    out[known] = found[rows[known]]
    if not known.all():
        fresh = [texts[int(i)] for i in np.flatnonzero(~known)]
        out[~known] = probabilities(clipped(fresh))
    return out
