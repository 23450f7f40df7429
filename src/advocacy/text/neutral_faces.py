"""An answer of neutral faces ("😐", "😑", ":|") is neutral, not a complaint.

The sentiment heads learnt emoji from tweets, where a neutral face mostly sits beside a
grumble, and read "😐" alone as negative (-0.81) and a complaint (0.99). A survey answer that
is only neutral faces says "meh": :func:`read_neutral_faces` makes neutral lead the other two
classes by :data:`NEUTRAL_LEAD` and no complaint lead a complaint by as much. A face among
words is left to the heads, which read the words ("Delivery took 3 weeks 😐").

The family is Unicode's neutral faces of the "face-neutral-skeptical" group that show no
feeling: neutral face, expressionless face, face without mouth, dotted line face; and the
typed ":|" and ":-|". Faces of doubt, scorn or unease in that group (🤨 😒 🙄 😬) are not in it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from advocacy.text.heads import FloatArray, softmax

__all__ = ["NEUTRAL_FACES", "NEUTRAL_LEAD", "neutral_face_answers", "read_neutral_faces"]

#: Neutral face, expressionless face, face without mouth, dotted line face.
NEUTRAL_FACES = "\U0001f610\U0001f611\U0001f636\U0001fae5"
#: Logits by which neutral leads the other classes, and no complaint a complaint.
NEUTRAL_LEAD = 2.0
# Only neutral faces, typed ones, variation selectors, spaces and punctuation, and one face
# at least ("😐", "😑😑", ":|", "😐.", "😶 "). Linear: one class per character, no nesting.
_ONLY_FACES = re.compile(
    rf"[\s.!,\ufe0f]*(?:(?:[{NEUTRAL_FACES}]|[:;=]-?\|)[\s.!,\ufe0f]*)+",
)


def neutral_face_answers(texts: Sequence[str]) -> NDArray[np.bool_]:
    """Per text, whether it is only neutral faces (and spaces or punctuation).

    >>> neutral_face_answers(["😐", "😑😑", ":|", "😐 late again", "🙄", ""]).tolist()
    [True, True, True, False, False, False]
    """
    return np.fromiter(
        (
            bool(text) and len(text) <= 64 and _ONLY_FACES.fullmatch(text) is not None
            for text in texts
        ),
        dtype=bool,
        count=len(texts),
    )


def read_neutral_faces(
    texts: Sequence[str], sentiment: FloatArray, complaint: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Sentiment (columns negative, neutral, positive) and complaint probabilities with an
    answer of neutral faces read as neutral and no complaint; other rows unchanged.

    >>> sentiment, complaint = read_neutral_faces(
    ...     ["😐", "great"], np.array([[0.9, 0.05, 0.05], [0.1, 0.1, 0.8]]), np.array([0.99, 0.1])
    ... )
    >>> sentiment.argmax(axis=1).tolist(), bool(complaint[0] < 0.5), float(complaint[1])
    ([1, 2], True, 0.1)
    """
    rows = neutral_face_answers(texts)
    if not rows.any():
        return sentiment, complaint
    logits = np.log(np.clip(sentiment[rows], 1e-9, 1.0))
    others = np.maximum(logits[:, 0], logits[:, 2])
    logits[:, 1] = np.maximum(logits[:, 1], others + NEUTRAL_LEAD)
    read = np.array(sentiment, dtype=np.float64)
    read[rows] = softmax(logits)
    clipped = np.clip(complaint[rows], 1e-9, 1 - 1e-9)
    logit = np.minimum(np.log(clipped / (1 - clipped)), -NEUTRAL_LEAD)
    out = np.array(complaint, dtype=np.float64)
    out[rows] = 1.0 / (1.0 + np.exp(-logit))
    return read, out
