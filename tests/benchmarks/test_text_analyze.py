"""The re-runs ``benchmarks/text_analyze.py --reruns`` times read what its docs say they read.

docs/benchmarks.md quotes their timings as re-runs "that refit without reading anything again":
a German comment with an NPS refits on the same readable labels (only the new comment is read),
and ``--recalibrate`` with the labels unchanged reads nothing. Run here on 120 real reviews.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


@pytest.fixture(scope="module")
def text_analyze() -> ModuleType:
    sys.path.insert(0, str(BENCHMARKS))  # the benchmark imports its corpora loader by name
    try:
        spec = importlib.util.spec_from_file_location(
            "text_analyze", BENCHMARKS / "text_analyze.py"
        )
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(BENCHMARKS))
    return module


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


def _read_64_mb() -> None:
    bytearray(64 * 2**20)[::4096].count(0)  # a page fault per page: the kernel's work


def test_usage_counts_the_system_time_and_page_faults_of_a_joined_worker(
    text_analyze: ModuleType,
) -> None:
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("the text workers are forked (Linux)")
    before = text_analyze.usage()
    worker = multiprocessing.get_context("fork").Process(target=_read_64_mb)
    worker.start()
    worker.join()
    _, system, faults = (a - b for a, b in zip(text_analyze.usage(), before, strict=True))
    assert worker.exitcode == 0
    assert faults >= 64 * 2**20 // 4096 * 9 // 10  # the worker's pages, not only the caller's
    assert system > 0
