"""Effort cues on real text: texts per kind of friction, CPU, and whether two trees read alike.

Reads every English set in ``../shared/data`` (never copied into the repo) with
:func:`advocacy.text.effort.effort_scores` and prints, per set, how many texts carry each kind
of friction and how many are high effort. The sets past effort lanes chose rules on are marked
*development* (banking77 train, MARC-en train and dev, Blitzer electronics and kitchen); the
rest were only measured.

With ``--before SRC`` (the ``src`` folder of a ``git archive`` of another commit) each round
runs both trees in fresh processes, alternated, timing ``effort_scores`` on the first 3,000
MARC-en test reviews (CPU seconds, what the cues cost per 3,000 reviews), and every process
prints a SHA-256 of its readings of all the sets: the same digest on both sides means the
same readings, text by text. When they differ, every text read differently is listed (set,
kinds before -> after, the text's start) with a count per set, to be read by hand.

    PYTHONPATH=src:benchmarks .venv/bin/python benchmarks/effort_cues.py [--before SRC]
        [--rounds 4] [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import text_corpora as corpora

#: Sets past effort lanes chose rules on (docs/benchmarks.md "effortfix", "effort4").
DEVELOPMENT = ("banking77 train", "MARC-en train+dev", "Blitzer electronics+kitchen")


def texts_by_set(data: Path) -> dict[str, list[str]]:
    """Every English set, by name."""
    blitzer = corpora.blitzer(data)
    products = blitzer["domain"].isin(["blitzer/electronics", "blitzer/kitchen"])
    sentiment = corpora.tweeteval_sentiment(data, unseen_only=False)
    return {
        "banking77 train": list(corpora.banking77(data, split="train")["text"]),
        "MARC-en train+dev": [
            *corpora.marc(data, split="train")["text"],
            *corpora.marc(data, split="dev")["text"],
        ],
        "Blitzer electronics+kitchen": list(blitzer[products]["text"]),
        "banking77 test": list(corpora.banking77(data, split="test")["text"]),
        "MARC-en test": list(corpora.marc(data, split="test")["text"]),
        "Blitzer books+dvd": list(blitzer[~products]["text"]),
        "TweetEval sentiment test": list(sentiment["text"]),
        "TweetEval emotion": list(corpora.tweeteval_emotion(data)["text"]),
        "clothing": list(corpora.clothing(data)["text"]),
        "GoEmotions": [
            text
            for split in ("train", "dev", "test")
            for text in corpora.goemotions(data, split=split)["text"]
        ],
    }


def measure(data: Path) -> dict[str, object]:
    """In this process: CPU s of 3,000 MARC-en test reviews, counts per set, a digest."""
    from advocacy.text.effort import EFFORT_CUES, effort_scores

    sets = texts_by_set(data)
    timed = sets["MARC-en test"][:3000]
    effort_scores(timed[:100])  # compile the cues outside the timing
    started = time.process_time()
    effort_scores(timed)
    cpu = time.process_time() - started
    digest = hashlib.sha256()
    counts: dict[str, dict[str, int]] = {}
    readings: dict[str, list[str]] = {}
    for name, texts in sets.items():
        read = effort_scores(texts)
        readings[name] = [f"{found.score}|{','.join(found.cues)}" for found in read]
        for reading in readings[name]:
            digest.update(f"{reading}\n".encode())
        counts[name] = {kind: sum(kind in found.cues for found in read) for kind in EFFORT_CUES}
        counts[name]["high"] = sum(found.high for found in read)
        counts[name]["texts"] = len(texts)
    return {"cpu": cpu, "counts": counts, "digest": digest.hexdigest(), "readings": readings}


def changed(
    before: dict[str, list[str]], after: dict[str, list[str]], data: Path
) -> list[tuple[str, str, str, str]]:
    """Every text the two trees read differently: set, reading before, after, the text."""
    sets = texts_by_set(data)
    return [
        (name, was, now, text)
        for name, texts in sets.items()
        for text, was, now in zip(texts, before[name], after[name], strict=True)
        if was != now
    ]


def _run(src: Path, data: Path) -> dict[str, object]:
    benchmarks = Path(__file__).resolve().parent
    env = {**os.environ, "PYTHONPATH": f"{src}{os.pathsep}{benchmarks}"}
    done = subprocess.run(
        [sys.executable, __file__, "--measure", "--data", str(data)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(done.stdout))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=corpora.DATA)
    parser.add_argument("--before", type=Path, help="another tree's src folder")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.data)))
        return
    this = Path(__file__).resolve().parents[1] / "src"
    trees = {"this": this, **({"before": args.before} if args.before else {})}
    runs: dict[str, list[dict[str, object]]] = {name: [] for name in trees}
    for round_ in range(args.rounds):
        order = list(trees) if round_ % 2 == 0 else list(reversed(trees))
        for name in order:
            runs[name].append(_run(trees[name], args.data))
    print(f"load average {os.getloadavg()[0]:.1f}")
    for name, done in runs.items():
        cpu = ", ".join(f"{run['cpu']:.3f}" for run in done)
        print(f"{name}: CPU s per 3,000 MARC-en reviews {cpu}; readings {done[0]['digest'][:16]}")
    if "before" in runs and runs["before"][0]["digest"] != runs["this"][0]["digest"]:
        before, after = runs["before"][0]["readings"], runs["this"][0]["readings"]
        assert isinstance(before, dict) and isinstance(after, dict)
        differ = changed(before, after, args.data)
        per_set = {name: sum(row[0] == name for row in differ) for name in before}
        print(f"\n{len(differ)} texts read differently (score|kinds, before -> this):")
        print("  " + ", ".join(f"{name} {count}" for name, count in per_set.items() if count))
        for name, was, now, text in differ:
            print(f"  [{name}] {was} -> {now}: {text[:160]!r}")
    for name, done in runs.items():
        counts = done[0]["counts"]
        assert isinstance(counts, dict)
        print(f"\n{name}")
        for corpus, row in counts.items():
            role = " (development)" if corpus in DEVELOPMENT else ""
            cells = ", ".join(f"{kind} {count}" for kind, count in row.items())
            print(f"  {corpus}{role}: {cells}")


if __name__ == "__main__":
    main()
