"""Real review corpora from ``../shared/data`` for the text tests."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np


def blitzer_reviews(
    shared_data: Path, n: int, *, seed: int, words: int | None = None
) -> tuple[list[str], list[str]]:
    """``n`` real product reviews (Blitzer et al. 2007) and their class, ``negative`` or
    ``positive`` (from the stars), in an order drawn with ``seed``.

    ``words`` cuts each review to its first that many words (None: the whole review).
    """
    rows = []
    folder = shared_data / "text-corpora" / "amazon-multidomain-blitzer"
    for path in sorted(folder.glob("*/*.review")):
        body = path.read_text(encoding="utf-8", errors="replace")
        found = re.findall(r"<review_text>\n(.*?)\n</review_text>", body, re.S)
        cut = [text.strip() if words is None else " ".join(text.split()[:words]) for text in found]
        rows += [(text, path.stem) for text in cut]
    order = np.random.default_rng(seed).permutation(len(rows))[:n]
    return [rows[i][0] for i in order], [rows[i][1] for i in order]
