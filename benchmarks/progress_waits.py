"""How long a user of the text commands waits with nothing moving on screen (issue #17).

A DuckDB workspace receives N survey responses whose comments are real product reviews
(Blitzer, ``../shared/data``) cut to 60 words, each with an NPS drawn in the band its stars
imply (text_analyze.py's ``reviews`` and ``STAR_NPS``). In this process, with a ``progress``
callback that notes the time of every update:

* ``ws.text.analyze(taxonomy=...)``: a first run, calibration, documents and themes;
* ``ws.text.assign_themes(taxonomy)`` after the kept theme readings are dropped, so that every
  text is read again (a first assignment; code without ``progress`` on ``assign_themes`` is
  timed without it: it told nothing).

Each prints its wall seconds, the number of updates and the longest wait between two of them
(from the call to the first, and from the last to the return, included), with the update it
followed. The bar is redrawn by a thread ten times a second, so a wait is what the bar shows
without moving. Run it with another commit's ``src`` first on ``PYTHONPATH`` to compare.

    PYTHONPATH=src .venv/bin/python benchmarks/progress_waits.py [--documents 12000]
        [--workers 2] [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import inspect
import os
import tempfile
import time
from itertools import pairwise
from pathlib import Path
from typing import Any

import cli_start
import numpy as np
import text_analyze
import text_corpora as corpora

import advocacy
from advocacy.settings import Settings

Event = tuple[float, str, int, int]


def longest_wait(start: float, end: float, events: list[Event]) -> tuple[float, str]:
    """The longest time between two updates (the call and the return count as updates), and
    the update it followed."""
    marks = [start, *(at for at, _, _, _ in events), end]
    wait, index = max((later - earlier, i) for i, (earlier, later) in enumerate(pairwise(marks)))
    after = "the start" if index == 0 else "{} {}/{}".format(*events[index - 1][1:])
    return wait, after


def timed(name: str, call: Any, events: list[Event]) -> None:
    events.clear()
    start = time.perf_counter()
    call()
    end = time.perf_counter()
    wait, after = longest_wait(start, end, events)
    print(f"| {name} | {end - start:.1f} | {len(events)} | {wait:.1f} | {after} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=12_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--data", type=Path, default=corpora.DATA)
    options = parser.parse_args()
    texts, stars = text_analyze.reviews(options.data, options.documents)
    rng = np.random.default_rng(0)
    scores = [int(rng.integers(*text_analyze.STAR_NPS[star])) for star in stars]
    events: list[Event] = []

    def progress(stage: str, done: int, total: int) -> None:
        events.append((time.perf_counter(), stage, done, total))

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "w.duckdb"
        cli_start.build(path, texts, scores)
        taxonomy = Path(folder) / "taxonomy.yaml"
        taxonomy.write_text(text_analyze.TAXONOMY, encoding="utf-8")
        settings = Settings.load(text_workers=options.workers)
        print(
            f"{options.documents:,} documents, text_workers {options.workers}, load "
            f"{', '.join(f'{x:.1f}' for x in os.getloadavg())} (2 cores)\n"
        )
        print("| step | wall s | updates | longest wait s | after |\n|---|---:|---:|---:|---|")
        with advocacy.open(f"duckdb:///{path}", settings=settings) as ws:
            timed(
                "`analyze(taxonomy=...)`, first run",
                lambda: ws.text.analyze(progress=progress, taxonomy=taxonomy),
                events,
            )
            ws.db.execute("DELETE FROM text_theme_readings")
            told = "progress" in inspect.signature(ws.text.assign_themes).parameters
            timed(
                "`assign_themes`, every text read",
                lambda: ws.text.assign_themes(taxonomy, **({"progress": progress} if told else {})),
                events,
            )


if __name__ == "__main__":
    main()
