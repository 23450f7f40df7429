"""End-to-end speed of `advocacy text analyze` on real reviews of about 60 words (issue #17).

A DuckDB workspace receives N survey responses (an NPS score each, seeded) whose comments are
real product reviews (Blitzer, ``../shared/data``) cut to their first 60 words. Timed:

* ``ws.text.analyze()``: language, non-answers, sentiment (calibrated on the scored comments, as
  a user's workspace would be), emotion, effort, complaint, the per-sentence pass, and the rows
  written to ``text_features`` and ``text_sentences``;
* ``ws.text.assign_themes(taxonomy)``: every text assigned to an eight-theme taxonomy written
  from theme names and keywords, stored;
* a second ``ws.text.analyze()`` after 5% more responses arrive (a daily import): the stored
  calibration is kept (the labels did not change materially) and only the new texts are read.

The baseline in the same run is VADER's polarity on the same texts, in memory (the lexicon a
user would try first); ratios travel between machines better than documents/s do. Goal:
``text analyze`` >= 1,000 documents/s on two cores.

    .venv/bin/python benchmarks/text_analyze.py [--documents 10000] [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import text_corpora as corpora

import advocacy
from advocacy.text import analyze_texts

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


def reviews(data: Path, n: int, seed: int = 0) -> list[str]:
    frame = corpora.blitzer(data)
    long_enough = frame[frame["text"].map(lambda t: len(t.split()) >= WORDS)]
    picked = long_enough.sample(n, replace=n > len(long_enough), random_state=seed)
    return [" ".join(text.split()[:WORDS]) for text in picked["text"]]


def vader_rate(texts: list[str]) -> float:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    start = time.perf_counter()
    for text in texts:
        analyzer.polarity_scores(text)
    return len(texts) / (time.perf_counter() - start)


def timed_workspace(
    folder: str, records: list[dict[str, object]]
) -> tuple[float, float, int, float, int]:
    """Seconds for ``text analyze`` and for ``themes assign`` on a new workspace of the first
    95% of ``records``, then for ``text analyze`` after the last 5% arrive (and how many)."""
    ws = advocacy.open(f"duckdb:///{folder}/bench.duckdb")
    first = len(records) * 95 // 100
    ws.write_records("responses", records[:first])
    start = time.perf_counter()
    result = ws.text.analyze()
    analyze_seconds = time.perf_counter() - start
    taxonomy = Path(folder) / "taxonomy.yaml"
    taxonomy.write_text(TAXONOMY, encoding="utf-8")
    start = time.perf_counter()
    ws.text.assign_themes(taxonomy)
    themes_seconds = time.perf_counter() - start
    ws.write_records("responses", records[first:])
    start = time.perf_counter()
    again = ws.text.analyze()
    again_seconds = time.perf_counter() - start
    ws.close()
    return analyze_seconds, themes_seconds, result.calibration_labels, again_seconds, again.analyzed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=5_000)
    parser.add_argument("--data", type=Path, default=corpora.DATA)
    arguments = parser.parse_args()
    texts = reviews(arguments.data, arguments.documents)
    scores = np.random.default_rng(0).integers(0, 11, size=len(texts))
    analyze_texts(texts[:50])  # loads the models, as a warm server or CLI would have them
    vader = vader_rate(texts)
    print(f"{len(texts):,} Blitzer reviews cut to {WORDS} words, in a DuckDB workspace\n")
    print("| workspace | step | seconds | documents/s | / VADER |\n|---|---|---:|---:|---:|")
    for name, with_scores in (("comments only", False), ("comments with an NPS each", True)):
        records: list[dict[str, object]] = [
            {"response_id": f"r{i}", "comment": text} for i, text in enumerate(texts)
        ]
        if with_scores:
            records = [{**r, "nps": int(score)} for r, score in zip(records, scores, strict=True)]
        with tempfile.TemporaryDirectory() as folder:
            analyze_seconds, themes_seconds, labels, again_seconds, new = timed_workspace(
                folder, records
            )
        first = len(texts) * 95 // 100
        steps = (
            (f"`text analyze` ({labels:,} calibration labels)", analyze_seconds, first),
            ("`themes assign` (8 themes, stored)", themes_seconds, first),
            (f"`text analyze` again, {new:,} new texts", again_seconds, new),
        )
        for step, seconds, count in steps:
            rate = count / seconds
            print(f"| {name} | {step} | {seconds:.2f} | {rate:,.0f} | {rate / vader:.2f} |")
    baseline = "| - | VADER polarity, in memory (baseline) |"
    print(f"{baseline} {len(texts) / vader:.2f} | {vader:,.0f} | 1.00 |")


if __name__ == "__main__":
    main()
