"""Real review corpora from ``../shared/data`` for the text tests."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pandas as pd


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


def blitzer_ratings(shared_data: Path, n: int, *, seed: int = 0) -> pd.DataFrame:
    """``n`` real product reviews (Blitzer et al. 2007) with their stars (1, 2, 4 or 5), as
    columns ``Review Text`` and ``Rating``, in an order drawn with ``seed``. The shipped model
    never trained on them (``tools/build_heads.py``), so an evaluation scores them all."""
    import pandas as pd

    rows = []
    folder = shared_data / "text-corpora" / "amazon-multidomain-blitzer"
    for path in sorted(folder.glob("*/*.review")):
        body = path.read_text(encoding="utf-8", errors="replace")
        for review in re.findall(r"<review>(.*?)</review>", body, re.S):
            rating = re.search(r"<rating>\s*(.*?)\s*</rating>", review, re.S)
            text = re.search(r"<review_text>\s*(.*?)\s*</review_text>", review, re.S)
            if rating and text and text[1].strip():
                rows.append((text[1].strip(), int(float(rating[1]))))
    order = np.random.default_rng(seed).permutation(len(rows))[:n]
    return pd.DataFrame([rows[i] for i in order], columns=["Review Text", "Rating"])


def normalised(text: str) -> str:
    """A text as the shipped training hashes read it: HTML entities decoded, NFKC, curly quotes
    and dashes as ASCII, controls and format characters (but blanks) dropped, case folded,
    blanks collapsed, punctuation cut from both ends."""
    import html
    import re
    import unicodedata

    text = unicodedata.normalize("NFKC", html.unescape(text))
    text = re.sub("[\u2018\u2019\u201a\u201b\u2032\u00b4`]", "'", text)
    text = re.sub("[\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb]", '"', text)
    text = re.sub("[\u2010-\u2015\u2212]", "-", text)
    text = "".join(
        character
        for character in text
        if not (
            unicodedata.category(character) == "Cf"
            or (unicodedata.category(character) == "Cc" and not character.isspace())
        )
    )
    return _strip_ends(" ".join(text.casefold().split()))


def _strip_ends(text: str) -> str:
    """``text`` without blanks or punctuation (Unicode category P*) at either end."""
    import unicodedata

    characters = list(text)
    while characters and (
        characters[0].isspace() or unicodedata.category(characters[0]).startswith("P")
    ):
        characters.pop(0)
    while characters and (
        characters[-1].isspace() or unicodedata.category(characters[-1]).startswith("P")
    ):
        characters.pop()
    return "".join(characters)


def trained_tweets(shared_data: Path) -> set[str]:
    """The TweetEval sentiment tweets the shipped heads trained on, normalised
    (``tools/build_heads.py``: the validation split and the test split's even lines)."""
    folder = shared_data / "tweeteval" / "sentiment"
    validation = (folder / "val_text.txt").read_text(encoding="utf-8").split("\n")
    test = (folder / "test_text.txt").read_text(encoding="utf-8").split("\n")
    return {normalised(text) for text in validation + test[::2] if text}


def olist_reviews_with_stars(shared_data: Path, path: Path, rows: int) -> dict[str, int]:
    """The first ``rows`` real Olist reviews of six words or more, written to ``path`` as
    mentions (id, Portuguese text, 1-5 stars as ``rating``); returns each review's stars by id.

    The model does not read Portuguese, so their themes are "mostly not read" and the stars
    alone say how the writers felt (the cards' score mix)."""
    import pandas as pd

    source = shared_data / "real-exports" / "olist-subset" / "olist_order_reviews_dataset.csv"
    reviews = pd.read_csv(source, dtype=str)
    reviews = reviews[reviews["review_comment_message"].fillna("").str.split().str.len() >= 6]
    reviews = reviews.head(rows)
    pd.DataFrame(
        {
            "mention_id": reviews["review_id"],
            "text": reviews["review_comment_message"],
            "rating": reviews["review_score"],
            "platform": "store",
        }
    ).to_csv(path, index=False)
    return dict(zip(reviews["review_id"], reviews["review_score"].astype(int), strict=True))
