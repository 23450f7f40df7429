"""Hash every text the shipped heads trained on, so that ``text evaluate`` can score them apart
(a build step).

Run from the repository, with ``../shared/data`` (the labelled corpora)::

    python tools/build_training_hashes.py --data /path/to/shared/data

It writes ``src/advocacy/text/models/training_texts.npz``: per training set, the sorted unique
64-bit hashes (:func:`advocacy.text.training_texts.text_hash`) of its texts, read by the very
loaders of ``build_heads.py`` (so the two name the same texts). The clothing reviews trained as
title and text joined; a file of them holds the text in a column of its own, so the text alone
is hashed too. Run it again whenever ``build_heads.py`` changes its sources.
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

import numpy as np
from build_heads import (
    HERE,
    MODELS,
    authored,
    banking_complaints,
    clothing,
    goemotions_emotion,
    goemotions_sentiment,
    tweeteval,
)

from advocacy.text.training_texts import TRAINING_TEXTS_FILE, text_hash


def clothing_parts(data: Path) -> list[str]:
    """Each clothing review's text without its title (the heads read them joined). A title
    alone ("Love it!") is not hashed: a user's text that says only that did not train."""
    folder = data / "clothing-reviews"
    path = folder / "Womens Clothing E-Commerce Reviews.csv"
    if not path.exists():
        path = next(folder.glob("*.csv"))
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            row["Review Text"]
            for row in csv.DictReader(handle)
            if row["Review Text"] and row["Review Text"].strip()
        ]


def training_texts(data: Path) -> dict[str, list[str]]:
    """Set name -> every text of it that trained a shipped head (sentiment, emotion or
    complaint)."""
    return {
        "tweeteval-sentiment": tweeteval(data, "sentiment", ("val", "test"), even_test=True).texts,
        "tweeteval-emotion": tweeteval(data, "emotion", ("train", "val"), even_test=False).texts,
        "goemotions": goemotions_sentiment(data).texts + goemotions_emotion(data).texts,
        "clothing": clothing(data).texts + clothing_parts(data),
        "banking77": banking_complaints(data).texts,
        "authored": authored().texts,
    }


def build(data: Path, out: Path = MODELS) -> dict[str, int]:
    """Write the hashes; return how many distinct texts each set holds."""
    sets = {
        name: np.unique(np.array([text_hash(text) for text in texts], dtype=np.uint64))
        for name, texts in training_texts(data).items()
    }
    np.savez(out / TRAINING_TEXTS_FILE, **sets)  # type: ignore[arg-type]
    return {name: len(hashes) for name, hashes in sets.items()}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=HERE.parents[1] / "shared" / "data")
    parser.add_argument("--out", type=Path, default=MODELS)
    arguments = parser.parse_args(argv)
    counts = build(arguments.data.resolve(), arguments.out)
    size = (arguments.out / TRAINING_TEXTS_FILE).stat().st_size
    print(json.dumps({"texts": counts, "bytes": size}, indent=2))


if __name__ == "__main__":
    main()
