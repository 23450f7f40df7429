"""End-to-end speed of `advocacy text analyze` on real reviews of about 60 words (issue #17).

A DuckDB workspace receives N survey responses whose comments are real product reviews
(Blitzer, ``../shared/data``) cut to their first 60 words. Timed, on a first run:

* ``ws.text.analyze()``: language, non-answers, sentiment (calibrated on the scored comments, as
  a user's workspace would be), emotion, effort, complaint, the per-sentence pass, and the rows
  written to ``text_features`` and ``text_sentences``; its parts are the calibration fit and
  the document pass (reading, sentences, writing), told apart by the progress callback (the
  documents' query runs during the fit, and the new calibration is stored during the document
  pass: each while the workers read; when a first run fits, the first batch's reading that
  needs no calibration runs beside the fit's last step and counts in the fit's row);
* ``ws.text.assign_themes(taxonomy)``: every text assigned to an eight-theme taxonomy written
  from theme names and keywords, stored;
* the two together: a first run of everything the issue counts (goal >= 1,000 documents/s);
* a second ``ws.text.analyze()`` after 5% more responses arrive (a daily import): the stored
  calibration is kept (the labels did not change materially) and only the new texts are read.

With ``--reruns``, two more workspaces time re-runs that refit without reading anything again
(each step twice, after a first run): the first 80 comments scored (NPS 9 for a positive
review, 2 for a negative one), then a German comment with an NPS arrives (the model does not
read German: the refit has the same readable labels and names the same model, so only the new
comment is read); a third of the comments scored, then ``text analyze --recalibrate`` with the
labels unchanged (a refit naming the same model: nothing is read).

Three workspaces: comments alone (no calibration); each comment with an NPS drawn in the band
its review's stars imply (1 star 0-3, 2 stars 3-6, 4 stars 7-9, 5 stars 9-10: scores that agree
with the text, as a customer's do); and an NPS drawn at random (labels unrelated to the text:
the worst case for the calibration's fits). Each step reports wall seconds, CPU seconds of the
process and of the worker processes it forked (all their threads) and CPU milliseconds per
document: the machine is shared, so CPU time is what compares between runs, and the load average
is printed beside. ``--workers`` is the ``text_workers`` setting (0: the cores available). The
user and system CPU and the minor page faults of the three workspaces (process and workers),
and the peak resident memory of the process and of its largest worker, close the output. The
baseline in the same run is VADER's polarity on the same texts, in memory.

    .venv/bin/python benchmarks/text_analyze.py [--documents 5000] [--workers 0]
        [--data ../shared/data] [--reruns]
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from pathlib import Path

import numpy as np
import text_corpora as corpora

import advocacy
from advocacy.settings import Settings
from advocacy.text import analyze_texts
from advocacy.text.workers import reap

WORDS = 60
TAXONOMY = """themes:
  - name: Price
    keywords: [price, expensive, cheap, value, money]
  - name: Quality
    keywords: [quality, broke, broken, sturdy, durable]
  - name: Delivery
    keywords: [delivery, shipping, arrived, package]
  - name: Service
    keywords: [customer service, support, refund, return]
  - name: Ease of use
    keywords: [easy, instructions, setup, difficult]
  - name: Sound and picture
    keywords: [sound, picture, screen, volume]
  - name: Story
    keywords: [story, plot, characters, author]
  - name: Cooking
    keywords: [cook, kitchen, pan, knife, coffee]
"""


#: NPS bands by the review's stars (Blitzer has 1, 2, 4 and 5 stars).
STAR_NPS = {1: (0, 4), 2: (3, 7), 3: (6, 9), 4: (7, 10), 5: (9, 11)}


def reviews(data: Path, n: int, seed: int = 0) -> tuple[list[str], list[int]]:
    """``n`` Blitzer reviews of at least 60 words cut to 60, and their stars.

    Past the 5,679 such reviews, distinct texts of 60 words still: a seeded sample of every
    review's consecutive 60-word windows (14,689 in all), each with its review's stars, so
    that a large run reads no text twice (a repeated text would find its words known).
    """
    frame = corpora.blitzer(data)
    long_enough = frame[frame["text"].map(lambda t: len(t.split()) >= WORDS)]
    if n <= len(long_enough):
        picked = long_enough.sample(n, random_state=seed)
        return [" ".join(text.split()[:WORDS]) for text in picked["text"]], [
            int(stars) for stars in picked["stars"]
        ]
    windows: dict[str, int] = {}
    for text, stars in zip(frame["text"], frame["stars"], strict=True):
        words = text.split()
        for start in range(0, len(words) - WORDS + 1, WORDS):
            windows.setdefault(" ".join(words[start : start + WORDS]), int(stars))
    if n > len(windows):
        raise SystemExit(f"--documents {n:,}: the reviews hold {len(windows):,} distinct texts")
    chosen = np.random.default_rng(seed).choice(len(windows), n, replace=False)
    texts = list(windows)
    return [texts[i] for i in chosen], [windows[texts[i]] for i in chosen]


def vader_rate(texts: list[str]) -> float:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    start = time.perf_counter()
    for text in texts:
        analyzer.polarity_scores(text)
    return len(texts) / (time.perf_counter() - start)


def cpu_seconds() -> float:
    """CPU of this process (every thread) and of the worker processes it forked and joined."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def usage() -> tuple[float, float, int]:
    """User CPU s, system CPU s and minor page faults of this process and of the worker
    processes it forked and joined. The same code's CPU moves by 15% between quiet runs of
    different hours (docs/benchmarks.md, speed8): the system share (the kernel copying the
    pages a fork shares, as either process writes them) tells the machine from the code."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (
        own.ru_utime + children.ru_utime,
        own.ru_stime + children.ru_stime,
        own.ru_minflt + children.ru_minflt,
    )


class Clock:
    """Wall and CPU seconds of a step (CPU of the process and its workers, every thread)."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), cpu_seconds()

    def lap(self) -> tuple[float, float]:
        wall, cpu = time.perf_counter(), cpu_seconds()
        lapped = (wall - self.wall, cpu - self.cpu)
        self.wall, self.cpu = wall, cpu
        return lapped


Step = tuple[str, float, float, int]
#: Records written per request (the ``max_batch_records`` setting's default).
BATCH = 10_000


def write_in_requests(ws: advocacy.Workspace, records: list[dict[str, object]]) -> None:
    """Write survey responses in requests of :data:`BATCH` records (a request holds at most
    that many)."""
    for start in range(0, len(records), BATCH):
        ws.write_records("responses", records[start : start + BATCH])


def timed_workspace(folder: str, records: list[dict[str, object]], workers: int) -> list[Step]:
    """(step, wall s, CPU s, documents) for a first ``text analyze`` of the first 95% of
    ``records``, its parts, ``themes assign``, and a re-run after the last 5% arrive."""
    settings = Settings.load(text_workers=workers)
    ws = advocacy.open(f"duckdb:///{folder}/bench.duckdb", settings=settings)
    first = len(records) * 95 // 100
    write_in_requests(ws, records[:first])
    marks: dict[str, tuple[float, float]] = {}

    def progress(stage: str, done: int, total: int) -> None:
        if stage.startswith("calibrating") and done == total:
            reap()  # the calibration's workers' CPU counts in the fit, not in the documents
            marks["calibrated"] = (time.perf_counter(), cpu_seconds())

    clock = Clock()
    start = (clock.wall, clock.cpu)
    result = ws.text.analyze(progress=progress)
    analyze = clock.lap()
    taxonomy = Path(folder) / "taxonomy.yaml"
    taxonomy.write_text(TAXONOMY, encoding="utf-8")
    clock.lap()
    ws.text.assign_themes(taxonomy)
    themes = clock.lap()
    write_in_requests(ws, records[first:])
    clock.lap()
    again = ws.text.analyze()
    rerun = clock.lap()
    ws.close()
    calibrated = marks.get("calibrated", start)
    fit = (calibrated[0] - start[0], calibrated[1] - start[1])
    labels = result.calibration_labels
    return [
        ("first run: `text analyze` + `themes assign`", *_sum(analyze, themes), first),
        (f"`text analyze` ({labels:,} calibration labels)", *analyze, first),
        ("- of which the calibration fit", *fit, first),
        ("- of which the documents (read, sentences, write)", *_minus(analyze, fit), first),
        ("`themes assign` (8 themes, stored)", *themes, first),
        (f"`text analyze` again, {again.analyzed:,} new texts", *rerun, again.analyzed),
    ]


def timed_reruns(folder: str, texts: list[str], stars: list[int], workers: int) -> list[Step]:
    """(step, wall s, CPU s, documents read) for the re-runs of ``--reruns`` (see above)."""
    settings = Settings.load(text_workers=workers)
    steps: list[Step] = []
    ws = advocacy.open(f"duckdb:///{folder}/german.duckdb", settings=settings)
    ws.write_records(
        "responses",
        [
            {"response_id": f"r{i}", "comment": text}
            | ({"nps": 9 if star >= 4 else 2} if i < 80 else {})
            for i, (text, star) in enumerate(zip(texts, stars, strict=True))
        ],
    )
    ws.text.analyze()
    for k in range(2):
        german = f"Der Kundendienst war sehr unfreundlich, Bestellung {k} kam nie an."
        ws.write_records("responses", [{"response_id": f"de{k}", "comment": german, "nps": 1}])
        clock = Clock()
        result = ws.text.analyze()
        step = f"80 scored: a German comment with an NPS ({k + 1}), same model"
        steps.append((step, *clock.lap(), result.analyzed))
    ws.close()
    ws = advocacy.open(f"duckdb:///{folder}/third.duckdb", settings=settings)
    ws.write_records(
        "responses",
        [
            {"response_id": f"r{i}", "comment": text}
            | ({"nps": 9 if star >= 4 else 2} if i % 3 == 0 else {})
            for i, (text, star) in enumerate(zip(texts, stars, strict=True))
        ],
    )
    ws.text.analyze()
    for k in range(2):
        clock = Clock()
        result = ws.text.analyze(recalibrate=True)
        steps.append(
            (
                f"a third scored: `--recalibrate` ({k + 1}), same labels",
                *clock.lap(),
                result.analyzed,
            )
        )
    ws.close()
    return steps


def _sum(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    return a[0] + b[0], a[1] + b[1]


def _minus(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    return a[0] - b[0], a[1] - b[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=5_000)
    parser.add_argument("--data", type=Path, default=corpora.DATA)
    parser.add_argument("--workers", type=int, default=0, help="text_workers (0: the cores)")
    parser.add_argument(
        "--reruns", action="store_true", help="also time re-runs that refit and read nothing"
    )
    arguments = parser.parse_args()
    texts, stars = reviews(arguments.data, arguments.documents)
    rng = np.random.default_rng(0)
    from_stars = [int(rng.integers(*STAR_NPS[s])) for s in stars]
    at_random = [int(n) for n in np.random.default_rng(0).integers(0, 11, size=len(texts))]
    analyze_texts(texts[:50])  # loads the models, as a warm server or CLI would have them
    vader = vader_rate(texts)
    load = os.getloadavg()[0]
    print(f"{len(texts):,} Blitzer reviews cut to {WORDS} words, in a DuckDB workspace")
    print(f"load average at the start {load:.1f} ({os.cpu_count()} cores)")
    print(f"text_workers = {arguments.workers}\n")
    print(
        "| workspace | step | wall s | CPU s | CPU ms/doc | documents/s | documents/CPU s |\n"
        "|---|---|---:|---:|---:|---:|---:|"
    )
    workspaces: tuple[tuple[str, list[int] | None], ...] = (
        ("comments only", None),
        ("NPS from the stars", from_stars),
        ("NPS at random", at_random),
    )
    before = usage()
    for name, scores in workspaces:
        records: list[dict[str, object]] = [
            {"response_id": f"r{i}", "comment": text} for i, text in enumerate(texts)
        ]
        if scores is not None:
            records = [{**r, "nps": score} for r, score in zip(records, scores, strict=True)]
        with tempfile.TemporaryDirectory() as folder:
            steps = timed_workspace(folder, records, arguments.workers)
        for step, wall, cpu, count in steps:
            print(
                f"| {name} | {step} | {wall:.2f} | {cpu:.2f} | {1000 * cpu / count:.2f} "
                f"| {count / wall:,.0f} | {count / cpu:,.0f} |"
            )
    reap()  # the last workers' usage counts once they have exited
    user, system, faults = (after - start for after, start in zip(usage(), before, strict=True))
    print(
        f"| - | VADER polarity, in memory (baseline) | {len(texts) / vader:.2f} | | "
        f"| {vader:,.0f} | |"
    )
    print(
        f"\nthe three workspaces, process and workers: user {user:.2f} CPU s, system "
        f"{system:.2f} CPU s, {faults:,} minor page faults"
    )
    if arguments.reruns:
        with tempfile.TemporaryDirectory() as folder:
            steps = timed_reruns(folder, texts, stars, arguments.workers)
        print("\n| re-run that refits | wall s | CPU s | documents read |\n|---|---:|---:|---:|")
        for step, wall, cpu, count in steps:
            print(f"| {step} | {wall:.2f} | {cpu:.2f} | {count:,} |")
    print(f"\nload average at the end {os.getloadavg()[0]:.1f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak resident memory: the process {peak:,.0f} MB, its largest worker {worker:,.0f} MB")


if __name__ == "__main__":
    main()
