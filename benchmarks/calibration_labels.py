"""Calibration with more labels than cross-validation compares on: held-out accuracy and CPU.

A calibration with more than ``MAX_CV_LABELS`` labels chooses its candidate on a stratified
sample of ``SAMPLED_CV_LABELS`` and then fits the chosen one on every label. This script teaches
``--labels`` labels (``--seeds`` seeded samples of each set's pool, every label taught; the
whole pool when it holds fewer) and scores the
calibrated model on held-out rows of the same set, printing accuracy, macro-F1, what was chosen
and the fit's CPU seconds. Run it on two versions of the code (``PYTHONPATH=<src>:benchmarks``)
to compare them on the same rows. The sets are those of ``benchmarks/text_eval.py``'s learning
curve whose pools hold more than 1,000 labels (Blitzer's domains split 3:1 so that theirs do).
With ``--large``, the sets whose pools hold more than 4,000 labels instead (where the head on
every label is solved by Newton-Cholesky, ``EXACT_HEAD_LABELS``): TweetEval sentiment's
unseen test tweets and Blitzer's four domains pooled, split 3:1, and MARC's test reviews in
en/de/es/fr split 4:1 (MARC's train samples hold 1,280).

Usage::

    PYTHONPATH=src:benchmarks nice -n 10 .venv/bin/python benchmarks/calibration_labels.py \\
        [--labels 2000 3000] [--held 500] [--seeds 3] [--large]
"""

from __future__ import annotations

import argparse
import resource
import sys
from pathlib import Path

import pandas as pd
import text_corpora as corpora
from text_eval import _judged, _split, sample, scores

from advocacy.text.calibration import CalibratedSentiment

SENTIMENTS = ("negative", "neutral", "positive")


def sets(data: Path, held_rows: int) -> list[tuple[str, pd.DataFrame, pd.DataFrame, tuple]]:
    """(name, pool, held-out rows, classes) for every set with a pool past 1,000 labels."""
    out = []
    pool, held = _split(corpora.clothing(data), held=0.48)
    out.append(("Clothing reviews", pool, sample(held, held_rows), SENTIMENTS))
    for domain, part in corpora.blitzer(data).groupby("domain", sort=True):
        pool, held = _split(part, held=0.25)
        name = f"Blitzer {str(domain).split('/')[1]}"
        out.append((name, pool, sample(held, held_rows), ("negative", "positive")))
    for lang in ("en", "de", "es", "fr"):
        pool = corpora.marc(data, lang=lang, split="train")
        held = sample(corpora.marc(data, lang=lang), held_rows)
        out.append((f"MARC {lang}", pool, held, SENTIMENTS))
    for domain in ("restaurants", "laptops"):
        pool = _judged(corpora.semeval14(data, domain=domain, split="train"))
        held = _judged(corpora.semeval14(data, domain=domain, split="test"))
        out.append((f"SemEval-2014 {domain}", pool, sample(held, held_rows), SENTIMENTS))
    pool, held = _split(corpora.olist(data), held=0.5)
    out.append(("Olist reviews pt", pool, sample(held, held_rows), SENTIMENTS))
    return out


def large_sets(data: Path, held_rows: int) -> list[tuple[str, pd.DataFrame, pd.DataFrame, tuple]]:
    """(name, pool, held-out rows, classes) for the sets with a pool past 4,000 labels."""
    out = []
    pool, held = _split(corpora.tweeteval_sentiment(data), held=0.2)
    out.append(("TweetEval sentiment", pool, sample(held, held_rows), SENTIMENTS))
    pool, held = _split(corpora.blitzer(data), held=0.25)
    out.append(("Blitzer, four domains", pool, sample(held, held_rows), ("negative", "positive")))
    for lang in ("en", "de", "es", "fr"):
        pool, held = _split(corpora.marc(data, lang=lang), held=0.2)
        out.append((f"MARC {lang} test", pool, sample(held, held_rows), SENTIMENTS))
    return out


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=corpora.DATA)
    parser.add_argument("--labels", type=int, nargs="+", default=[2000, 3000])
    parser.add_argument("--held", type=int, default=500)
    parser.add_argument("--seeds", type=int, default=3, help="taught samples per size")
    parser.add_argument("--large", action="store_true", help="the sets past 4,000 labels")
    arguments = parser.parse_args()
    chosen_sets = large_sets if arguments.large else sets
    print("| set | labels | seed | held out | accuracy | macro-F1 | chosen | fit CPU s |")
    print("|---|---:|---:|---:|---:|---:|---|---:|")
    for name, pool, held, classes in chosen_sets(arguments.data, arguments.held):
        held_texts, truth = list(held["text"]), list(held["label"])
        model = CalibratedSentiment()
        held_reading = model.read(held_texts)
        # Every size asked for that the pool holds, and the whole pool up to the largest.
        sizes = {k for k in arguments.labels if k <= len(pool)}
        sizes |= {min(len(pool), max(arguments.labels))}
        for k in sorted(size for size in sizes if size > 1000):
            for seed in range(arguments.seeds):
                taught = pool.sample(n=k, random_state=seed)
                texts = list(taught["text"])
                reading = model.read(texts)
                start = cpu()
                fitted = CalibratedSentiment().fit(
                    texts, list(taught["label"]), taught=[True] * k, reading=reading
                )
                spent = cpu() - start
                said = fitted.predict_reading(held_reading, texts=held_texts).labels
                found = scores(truth, said, classes)
                chosen = fitted.method_ + (f", C={fitted.penalty_:g}" if fitted.penalty_ else "")
                print(
                    f"| {name} | {k:,} | {seed} | {len(held):,} | {found['accuracy']:.4f} "
                    f"| {found['macro_f1']:.4f} | {chosen} | {spent:.2f} |",
                    flush=True,
                )
        print(f"  {name} done", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
