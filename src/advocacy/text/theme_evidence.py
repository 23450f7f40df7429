"""How each theme's texts came to it: by a written keyword, or by meaning alone.

:func:`~advocacy.text.theme_assignment.assign_themes` scores a text 1.0 for a theme when one of
its sentences says a written keyword or a word of the theme's name, below 1.0 when only meaning
put it there (the sentence's similarity to the theme, the self-trained probability, a word
learnt from the texts, a description's word that meaning kept), and
:data:`~advocacy.text.theme_assignment.BROAD_FALLBACK` for the taxonomy's broad theme of a text
that nothing else marks. A user who sees only a theme's size cannot tell a theme its keywords
fill from one that meaning fills, nor what to steer: this summary counts both, with the range
of the scores meaning gave, so "Size and fit: 179 by keyword, 161 by meaning alone (0.21-0.83)"
says where to add keywords, a description or examples. A parent theme holds its sub-themes'
texts too; those it has only from them are counted apart ("from sub-themes"), so a parent
whose own keywords fill nothing does not show its children's keyword texts as its own.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from advocacy.text.theme_assignment import BROAD_FALLBACK

__all__ = ["EVIDENCE_COLUMNS", "theme_evidence"]

#: The columns :func:`theme_evidence` adds to a theme's size.
EVIDENCE_COLUMNS = (
    "by_keyword",
    "by_meaning",
    "meaning_low",
    "meaning_high",
    "as_a_whole",
    "from_sub_themes",
)


def theme_evidence(
    scores: NDArray[np.float64],
    names: Sequence[str],
    *,
    own: NDArray[np.float64] | None = None,
) -> pd.DataFrame:
    """Per theme, how many texts came by a written keyword, how many by meaning alone.

    Parameters
    ----------
    scores
        Theme scores (n texts x n themes) from
        :func:`~advocacy.text.theme_assignment.assign_themes` (a sub-theme's carried to its
        parent).
    names
        The themes' names, one per column of ``scores``.
    own
        Each theme's own scores, its sub-themes' not carried up (``assign_themes(...,
        parents=False)``); None when no theme has a parent (``scores`` are their own).

    Returns
    -------
    pandas.DataFrame
        One row per theme: ``name``; ``size`` (texts with the theme); ``by_keyword`` (score
        1.0: a sentence says one of its keywords or a word of its name); ``by_meaning``
        (a score between :data:`~advocacy.text.theme_assignment.BROAD_FALLBACK` and 1.0, both
        left out); ``meaning_low`` and ``meaning_high``, the range of those scores (None when
        meaning gave none); ``as_a_whole`` (the broad theme of a text nothing else marks, at
        the fallback score); ``from_sub_themes`` (texts a parent has only from its sub-themes:
        none of its own evidence). The first three count each theme's own scores; the counts
        add up to ``size``.

    Examples
    --------
    >>> scores = np.array([[1.0, 0.0], [0.42, 0.01], [0.8, 0.0], [0.0, 0.0]])
    >>> theme_evidence(scores, ["Price", "General"]).to_dict("records")[0]
    {'name': 'Price', 'size': 3, 'by_keyword': 1, 'by_meaning': 2, 'meaning_low': 0.42, \
'meaning_high': 0.8, 'as_a_whole': 0, 'from_sub_themes': 0}
    """
    matrix = np.asarray(scores, dtype=np.float64).reshape(-1, len(names))
    owned = matrix if own is None else np.asarray(own, dtype=np.float64).reshape(matrix.shape)
    rows = []
    for column, name in enumerate(names):
        values = owned[:, column]
        meant = values[(values > BROAD_FALLBACK) & (values < 1.0)]
        rows.append(
            {
                "name": str(name),
                "size": int((matrix[:, column] > 0).sum()),
                "by_keyword": int((values >= 1.0).sum()),
                "by_meaning": len(meant),
                # Two decimals: the scores are similarities and probabilities, not exact.
                "meaning_low": round(float(meant.min()), 2) if len(meant) else None,
                "meaning_high": round(float(meant.max()), 2) if len(meant) else None,
                "as_a_whole": int(((values > 0) & (values <= BROAD_FALLBACK)).sum()),
                "from_sub_themes": int(((matrix[:, column] > 0) & (values <= 0)).sum()),
            }
        )
    columns = ["name", "size", *EVIDENCE_COLUMNS]
    # None, not NaN, for a theme meaning gave nothing: JSON and Python read "no score".
    return pd.DataFrame(
        {
            key: pd.Series([row[key] for row in rows], dtype=object if "meaning_" in key else None)
            for key in columns
        },
        columns=columns,
    )
