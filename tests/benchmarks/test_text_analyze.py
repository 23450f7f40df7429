"""The re-runs ``benchmarks/text_analyze.py --reruns`` times read what its docs say they read.

docs/benchmarks.md quotes their timings as re-runs "that refit without reading anything again":
a German comment with an NPS refits on the same readable labels (only the new comment is read),
and ``--recalibrate`` with the labels unchanged reads nothing. Run here on 120 real reviews.
"""

from __future__ import annotations

import resource
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from support.benchmark_modules import load_benchmark


@pytest.fixture(scope="module")
def text_analyze() -> ModuleType:
    return load_benchmark("text_analyze")


def test_reruns_refit_and_read_only_the_new_comment(
    text_analyze: ModuleType, shared_data: Path, tmp_path: Path
) -> None:
    texts, stars = text_analyze.reviews(shared_data, 120)
    steps = text_analyze.timed_reruns(str(tmp_path), texts, stars, 1)
    assert [(name.split(" (")[0], read) for name, _, _, read in steps] == [
        ("80 scored: a German comment with an NPS", 1),
        ("80 scored: a German comment with an NPS", 1),
        ("a third scored: `--recalibrate`", 0),
        ("a third scored: `--recalibrate`", 0),
    ]
    assert all(wall >= 0 and cpu > 0 for _, wall, cpu, _ in steps)


def _read_64_mb(answer: Any) -> None:
    bytearray(64 * 2**20)[::4096].count(0)  # page faults: the kernel's work
    own = resource.getrusage(resource.RUSAGE_SELF)
    answer.send((own.ru_utime, own.ru_stime, own.ru_minflt))  # what the worker itself used


def test_usage_counts_the_system_time_and_page_faults_of_a_joined_worker(
    text_analyze: ModuleType,
) -> None:
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("the text workers are forked (Linux)")
    context = multiprocessing.get_context("fork")
    before = text_analyze.usage()
    mine = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    receive, send = context.Pipe(duplex=False)
    worker = context.Process(target=_read_64_mb, args=(send,))
    worker.start()
    _, worker_system, worker_faults = receive.recv()
    worker.join()
    mine = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - mine
    _, system, faults = (a - b for a, b in zip(text_analyze.usage(), before, strict=True))
    assert worker.exitcode == 0
    # The worker's own faults and system time are in the total, not only the caller's (the
    # kernel may map the 64 MB in huge pages: the worker's own count is the measure).
    assert worker_faults > 0 and faults >= mine + worker_faults
    assert system >= worker_system > 0


def test_past_the_long_reviews_the_texts_are_distinct_windows_of_60_words(
    text_analyze: ModuleType, shared_data: Path
) -> None:
    """A large run reads no text twice: past the 5,679 long reviews, 60-word windows."""
    texts, stars = text_analyze.reviews(shared_data, 9_000)
    assert len(texts) == len(set(texts)) == len(stars) == 9_000
    assert {len(text.split()) for text in texts} == {text_analyze.WORDS}
    assert set(stars) <= {1, 2, 4, 5}
    small, _ = text_analyze.reviews(shared_data, 50)
    assert len(set(small)) == 50
