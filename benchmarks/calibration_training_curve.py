"""The calibration's learning curve on training pools only: where its choices are made and judged.

``benchmarks/text_eval.py`` scores the taught calibration once, on rows kept apart. Choosing how
the calibration fits (its candidates, its choice rule, its solver's settings) must not look at
those rows, so this script measures on the *other* part of each English set: the pool the
benchmark teaches from (clothing and each Blitzer domain, split by the benchmark's own seeded
``_split``), MARC English's train split and the SemEval-2014 train sentences. From each pool and
seed, a dev part of up to 500 rows is set aside and the first k of the remaining rows (nested
over k) teach :class:`CalibratedSentiment` as ``advocacy text teach`` does; the dev part is
scored. Printed per k, as means over (pool, seed): accuracy, macro-F1, macro recall and each
class's recall (over the curves whose dev part holds the class); how many fits read a class of the
dev part at least 0.05 worse than the model alone does (the shipped model's own reading, what
``text analyze`` warns of); how often a curve falls from one k to the next, and which method was
chosen how often. Run from the project root::

    PYTHONPATH=src:benchmarks python benchmarks/calibration_training_curve.py \
        [--data ../shared/data] [--seeds 0,1,2,3,4] [--sizes 25,50,100,300,1000] [--sets Clothing]

To compare two versions of the code, run it with each tree's ``src`` first on ``PYTHONPATH``.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import text_corpora as corpora
from sklearn.metrics import accuracy_score, f1_score, recall_score
from text_eval import _judged, _split

from advocacy.text.calibration import CalibratedSentiment
from advocacy.text.sentiment import SENTIMENTS

DEV_ROWS = 500
#: A fit reading a class of the dev part this much worse than the model alone is counted.
RECALL_DROP = 0.05


def pools(data: Path) -> Iterator[tuple[str, pd.DataFrame]]:
    """(name, training pool) of every English set: never the rows text_eval.py scores."""
    yield "Clothing", _split(corpora.clothing(data), held=0.48)[0]
    for domain, part in corpora.blitzer(data).groupby("domain", sort=True):
        yield f"Blitzer {str(domain).split('/')[1]}", _split(part, held=0.25)[0]
    yield "MARC en train", corpora.marc(data, lang="en", split="train")
    for domain in ("restaurants", "laptops"):
        train = corpora.semeval14(data, domain=domain, split="train")
        yield f"SemEval-2014 {domain} train", _judged(train)


def curve(pool: pd.DataFrame, seed: int, sizes: Sequence[int]) -> Iterator[dict[str, object]]:
    """One seed's nested curve on one pool: a row per taught size k."""
    shuffled = pool.sample(frac=1.0, random_state=seed)
    largest = max(sizes)
    dev_rows = min(DEV_ROWS, len(pool) - largest)
    dev, taught = shuffled.iloc[:dev_rows], shuffled.iloc[dev_rows : dev_rows + largest]
    reader = CalibratedSentiment()
    dev_texts = list(dev["text"])
    dev_reading = reader.read(dev_texts)
    truth = list(dev["label"])
    classes = sorted(set(truth))
    alone = [SENTIMENTS[i] for i in np.asarray(dev_reading.sentiment).argmax(axis=1)]
    alone_recall = recall_score(truth, alone, labels=classes, average=None, zero_division=0)
    for k in sizes:
        texts, labels = list(taught["text"])[:k], list(taught["label"])[:k]
        fitted = CalibratedSentiment().fit(texts, labels, taught=[True] * k)
        said = fitted.predict_reading(dev_reading, texts=dev_texts).labels
        recalls = recall_score(truth, said, labels=classes, average=None, zero_division=0)
        yield {
            "k": k,
            "accuracy": accuracy_score(truth, said),
            "f1": f1_score(truth, said, labels=classes, average="macro", zero_division=0),
            "recall": float(np.mean(recalls)),
            **{f"recall {name}": float(r) for name, r in zip(classes, recalls, strict=True)},
            "lowered": bool(np.any(alone_recall - recalls >= RECALL_DROP)),
            "chosen": fitted.method_,
        }


def report(rows: list[dict[str, object]], sizes: Sequence[int]) -> list[str]:
    """Markdown lines: the mean curve, its falls, the methods chosen."""
    frame = pd.DataFrame(rows)
    per_class = [f"recall {name}" for name in SENTIMENTS if f"recall {name}" in frame]
    lines = [
        "| k | curves | accuracy | macro-F1 | macro recall | "
        + " | ".join(per_class)
        + " | a class 0.05 below the model alone | methods chosen |",
        "|---:|---:|---:|---:|---:|" + "---:|" * len(per_class) + "---:|---|",
    ]
    for k in sizes:
        at = frame[frame["k"] == k]
        if at.empty:
            continue
        methods = ", ".join(f"{m} {n}" for m, n in Counter(at["chosen"]).most_common())
        classes = " | ".join(
            f"{at[column].mean():.4f} ({at[column].count()})" for column in per_class
        )
        lines.append(
            f"| {k:,} | {len(at)} | {at['accuracy'].mean():.4f} | {at['f1'].mean():.4f} "
            f"| {at['recall'].mean():.4f} | {classes} | {int(at['lowered'].sum())} | {methods} |"
        )
    steps = falls = 0
    for _, one in frame.groupby(["pool", "seed"]):
        accuracy = one.sort_values("k")["accuracy"].to_numpy()
        steps += max(len(accuracy) - 1, 0)
        falls += int(np.sum(np.diff(accuracy) < -1e-12))
    lines.append("")
    lines.append(f"Falls of accuracy from one k to the next: {falls} of {steps} steps.")
    return lines


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=corpora.DATA)
    parser.add_argument("--seeds", default="0,1,2,3,4")
    parser.add_argument("--sizes", default="25,50,100,300,1000")
    parser.add_argument("--sets", default="", help="comma-separated pool names (default: all)")
    parser.add_argument("--rows", type=Path, help="also write every fit's row here (JSON lines)")
    args = parser.parse_args(argv)
    seeds = [int(s) for s in args.seeds.split(",")]
    wanted = {name.strip() for name in args.sets.split(",") if name.strip()}
    rows: list[dict[str, object]] = []
    for name, pool in pools(args.data):
        if wanted and name not in wanted:
            continue
        sizes = [int(k) for k in args.sizes.split(",") if int(k) + 150 <= len(pool)]
        started = time.process_time()
        for seed in seeds:
            rows += [{"pool": name, "seed": seed, **row} for row in curve(pool, seed, sizes)]
        print(f"{name}: {len(pool):,} rows, {time.process_time() - started:.0f} CPU s", flush=True)
    if args.rows:
        pd.DataFrame(rows).to_json(args.rows, orient="records", lines=True)
    all_sizes = sorted({int(k) for k in args.sizes.split(",")})
    print("\n".join(report(rows, all_sizes)))


if __name__ == "__main__":
    main()
