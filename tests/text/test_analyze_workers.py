"""``text analyze`` on several processes stores what it stores on one.

The worker processes (:mod:`advocacy.text.workers`) read pieces of the texts and fit the
calibration's folds; the caller alone writes. Checked through the CLI on both engines, with
real reviews whose scores train a calibration, against the same workspace analysed by one
process (``--workers 1``), column for column.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import resource
import subprocess
import sys
import time
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import advocacy
from advocacy.errors import UsageError
from advocacy.text.enrich import PIECE_TEXTS, pieces
from advocacy.text.workers import (
    Learning,
    can_fork,
    reap,
    run_tasks,
    share_learning,
    split_evenly,
    worker_count,
)
from support.cli import advocacy_cli
from support.corpora import blitzer_reviews

#: NPS drawn in the band a review's stars imply (Blitzer's stars are 1, 2, 4 or 5).
NPS_BANDS = {"negative": (0, 7), "positive": (8, 11)}
#: Texts that are read differently: non-answers, other languages, markup, a giant word, emoji.
ODD_TEXTS = [
    "n/a",
    "Did not answer",
    "Die Lieferung kam zu spät und der Kundendienst hat nie geantwortet.",
    "Pelayanan sangat lambat dan tidak ramah sama sekali.",
    "<script>alert('x')</script> =HYPERLINK(\"http://x\") terrible support",
    "a" * 9000,
    "Loved it 😍😍 but the box was crushed!!! 📦",
]

needs_fork = pytest.mark.skipif(not can_fork(), reason="worker processes need fork (Linux)")


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _pid_after(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


@needs_fork
def test_tasks_run_on_two_processes_and_come_back_in_order() -> None:
    # Each task waits long enough that the forked worker takes some of them.
    pids = run_tasks([lambda: _pid_after(0.3) for _ in range(6)], workers=2)
    assert len(pids) == 6 and len(set(pids)) == 2 and os.getpid() in pids
    squares = run_tasks([lambda n=n: (time.sleep(0.05), n * n)[1] for n in range(9)], workers=2)
    assert squares == [n * n for n in range(9)]


def test_one_worker_runs_every_task_here() -> None:
    assert run_tasks([os.getpid, os.getpid, os.getpid], workers=1) == [os.getpid()] * 3
    assert run_tasks([], workers=2) == []


@needs_fork
def test_a_failing_worker_raises_what_one_process_would_with_its_traceback() -> None:
    caller = os.getpid()

    def task() -> int:
        if os.getpid() != caller:
            raise UsageError("broken piece in a worker", fix="read the texts again")
        time.sleep(0.5)  # the caller is busy while the worker takes the next task and fails
        return 1

    with pytest.raises(UsageError, match="broken piece in a worker") as raised:
        run_tasks([task, task, task], workers=2)
    assert raised.value.fix == "read the texts again"
    assert isinstance(raised.value.__cause__, RuntimeError)
    assert "in a text worker process" in str(raised.value.__cause__)
    assert "raise UsageError" in str(raised.value.__cause__)


@needs_fork
def test_a_worker_error_that_cannot_be_pickled_comes_back_as_its_traceback() -> None:
    caller = os.getpid()

    class Unpicklable(Exception):
        def __reduce__(self) -> Any:
            raise TypeError("not this one")

    def task() -> int:
        if os.getpid() != caller:
            raise Unpicklable("odd failure in a worker")
        time.sleep(0.5)
        return 1

    with pytest.raises(RuntimeError, match="odd failure in a worker"):
        run_tasks([task, task, task], workers=2)


@needs_fork
def test_the_callers_own_work_runs_here_once_while_a_worker_takes_tasks() -> None:
    caller, took = os.getpid(), multiprocessing.get_context("fork").Event()
    done_here: list[object] = []

    def task(number: int) -> int:
        if os.getpid() != caller:
            took.set()
        else:
            done_here.append(number)
        time.sleep(0.05)
        return number

    def own_work() -> None:
        done_here.append("own work")
        # A worker takes tasks while the caller is busy with its own work (else this waits).
        assert took.wait(60)

    tasks = [partial(task, number) for number in range(6)]
    assert run_tasks(tasks, workers=2, meanwhile=own_work) == list(range(6))
    assert done_here[0] == "own work" and done_here.count("own work") == 1
    alone: list[str] = []
    run_tasks([partial(alone.append, "task")] * 2, workers=1, meanwhile=lambda: alone.append("own"))
    assert alone == ["own", "task", "task"]


@needs_fork
def test_what_a_worker_learns_comes_back_to_the_caller() -> None:
    context = multiprocessing.get_context("fork")
    caller, took, caller_took = os.getpid(), context.Event(), context.Event()
    known: dict[str, int] = {}  # a cache: in each process, what that process learnt

    def task(number: int) -> int:
        # Each process waits in its first task until the other has one too, so both learn
        # something however the two are scheduled (a busy caller let the worker take all eight).
        known[f"word {number}"] = os.getpid()
        if os.getpid() != caller:
            took.set()
            assert caller_took.wait(60)
        else:
            caller_took.set()
            assert took.wait(60)
        return number

    share_learning(
        "test words",
        Learning(lambda: len(known), lambda mark: list(known.items())[mark:], known.update),
    )
    try:
        assert run_tasks([partial(task, number) for number in range(8)], workers=2) == [*range(8)]
    finally:
        share_learning("test words", None)
    assert sorted(known) == sorted(f"word {number}" for number in range(8))
    assert caller in known.values() and set(known.values()) - {caller}


@needs_fork
def test_what_every_worker_needs_is_loaded_here_once_before_they_are_forked() -> None:
    loaded: list[int] = []  # a model: loaded by the process that first needs it

    def task() -> tuple[int, int]:
        if not loaded:
            loaded.append(os.getpid())
        time.sleep(0.05)
        return os.getpid(), loaded[0]

    def load() -> None:
        loaded.append(os.getpid())

    done = run_tasks([task] * 6, workers=2, before_fork=load)
    assert len({pid for pid, _ in done}) == 2  # a worker took tasks ...
    assert {by for _, by in done} == {os.getpid()}  # ... with the model this process loaded
    assert loaded == [os.getpid()]
    # Without a fork (one worker, or one task) there is nothing to load ahead of the tasks.
    loaded.clear()
    run_tasks([lambda: loaded.append(0)], workers=2, before_fork=load)
    run_tasks([lambda: loaded.append(1)] * 2, workers=1, before_fork=load)
    assert loaded == [0, 1, 1]


#: Analyses 1,100 reviews on two processes (three pieces: the worker reads some of the
#: labelled texts and documents, and fits some folds) and prints every file a worker opened.
_WORKERS_OPEN = """
import json, sys
import advocacy
from advocacy.text.workers import Learning, share_learning

opened = []

def watch():
    seen = []
    # /proc/self/maps is no model: threadpoolctl reads it to find the BLAS library when a
    # worker runs one of the calibration's last fits (calibration_fits.quietly).
    sys.addaudithook(
        lambda event, args: seen.append(str(args[0]))
        if event == "open" and not str(args[0]).startswith("/proc/")
        else None
    )
    return seen

share_learning("files opened", Learning(watch, list, opened.extend))
records = json.load(sys.stdin)
with advocacy.open("duckdb:///" + sys.argv[1], create=True) as ws:
    ws.write_records("responses", records)
    result = ws.text.analyze(workers=2)
print(json.dumps({"analysed": result.analyzed, "opened": sorted(set(opened))}))
"""


@needs_fork
@pytest.mark.slow
def test_the_workers_of_an_analysis_load_no_model_of_their_own(
    shared_data: Path, tmp_path: Path
) -> None:
    """The models are loaded in the calling process before it forks: a worker that opened the
    language detector's model file paid about a CPU second to load it again."""
    texts, classes = blitzer_reviews(shared_data, 1_100, seed=5, words=60)
    rng = np.random.default_rng(5)
    records = [
        {"response_id": f"r{i:04d}", "comment": text, "nps": int(rng.integers(*NPS_BANDS[c]))}
        for i, (text, c) in enumerate(zip(texts, classes, strict=True))
    ]
    done = subprocess.run(
        [sys.executable, "-c", _WORKERS_OPEN, str(tmp_path / "w.duckdb")],
        input=json.dumps(records),
        capture_output=True,
        text=True,
        check=True,
    )
    found = json.loads(done.stdout)
    assert found == {"analysed": len(records), "opened": []}


def test_worker_count_and_pieces() -> None:
    assert worker_count(0) == len(os.sched_getaffinity(0))
    assert worker_count(3) == 3
    with pytest.raises(UsageError, match="text_workers"):
        worker_count(-1)
    assert split_evenly(7, 3) == [range(0, 3), range(3, 5), range(5, 7)]
    assert split_evenly(0, 2) == [range(0, 0)]
    # The pieces depend on the number of texts only, never on the workers.
    assert pieces(PIECE_TEXTS) == [range(0, PIECE_TEXTS)]
    assert [len(piece) for piece in pieces(2 * PIECE_TEXTS + 1)] == [334, 334, 333]


def _stored(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every derived row ``text analyze`` writes, without the time it was written."""
    with advocacy.open(url) as ws:
        return {
            "features": ws.db.fetchall(
                "SELECT document_kind, document_id, language, sentiment, sentiment_score, "
                "sentiment_reason, CAST(emotions AS TEXT), emotion_labels, effort, effort_cues, "
                "complaint, model, text_hash FROM text_features "
                "ORDER BY document_kind, document_id"
            ),
            "sentences": ws.db.fetchall(
                "SELECT document_kind, document_id, sentence_index, start_offset, end_offset, "
                "sentiment, sentiment_score, model FROM text_sentences "
                "ORDER BY document_kind, document_id, sentence_index"
            ),
            "calibration": ws.db.fetchall(
                "SELECT model, base_model, format, labels, state FROM text_calibration"
            ),
        }


def _forget_the_analysis(url: str) -> None:
    with advocacy.open(url) as ws, ws.db.transaction():
        for table in ("text_features", "text_sentences", "text_calibration"):
            ws.db.execute(f"DELETE FROM {table}")


@needs_fork
@pytest.mark.slow
def test_cli_analysis_on_two_workers_stores_the_one_process_rows(
    shared_data: Path, db_url: str, tmp_path: Path
) -> None:
    texts, classes = blitzer_reviews(shared_data, 1_150, seed=11, words=60)
    rng = np.random.default_rng(3)
    records: list[dict[str, object]] = [
        {"response_id": f"r{i:04d}", "comment": text, "nps": int(rng.integers(*NPS_BANDS[c]))}
        for i, (text, c) in enumerate(zip(texts, classes, strict=True))
    ]
    records += [{"response_id": f"odd{i}", "comment": t} for i, t in enumerate(ODD_TEXTS)]
    with advocacy.open(db_url) as ws:
        ws.write_records("responses", records)

    def analyze(*options: str, env: dict[str, str]) -> tuple[dict[str, Any], float]:
        reap()  # earlier tests' exiting workers count before, not in this run
        before = _children_cpu()
        outcome = advocacy_cli(
            "text", "analyze", *options, "--format", "json", "--db", db_url, cwd=tmp_path,
            env=env,
        )  # fmt: skip
        assert outcome.returncode == 0, outcome.stderr
        return _stored(db_url), _children_cpu() - before

    # The option wins over the setting; then the setting alone.
    alone, alone_children = analyze("--workers", "1", env={"ADVOCACY_TEXT_WORKERS": "2"})
    _forget_the_analysis(db_url)
    shared, shared_children = analyze(env={"ADVOCACY_TEXT_WORKERS": "2"})
    # Three pieces of texts and a calibration on every label: the forked worker did real work.
    assert alone_children == 0.0 and shared_children > 0.2
    assert len(alone["features"]) == len(records) and len(alone["sentences"]) > 3 * len(texts)
    assert alone["calibration"] and "head" in alone["calibration"][0][4]
    for table in ("features", "sentences", "calibration"):
        assert shared[table] == alone[table], table
