"""The long text stages tell their progress: the worker pool's pieces as they finish, the
theme reading's and the calibration's texts read so far, and the bar on a terminal.

``text assign-themes`` (and the theme stage of ``text analyze --taxonomy``) read every text's
sentences on the worker processes; without ticks a user at 100,000 texts waited a minute with
nothing on screen. Checked on real reviews with hostile texts among them, on one process and
on two real worker processes, through the Python API and through the CLI on a pseudo-terminal.
"""

from __future__ import annotations

import json
import os
import pty
import select
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

import advocacy
from advocacy.errors import AdvocacyError
from advocacy.settings import Settings
from advocacy.text.calibration_workspace import FITTING, READING_LABELLED
from advocacy.text.catalogue import ASSIGNING, READING, STORING
from advocacy.text.enrich import ANALYSING
from advocacy.text.workers import can_fork, run_tasks
from support.corpora import blitzer_reviews
from support.taxonomies import BLITZER_TAXONOMY

needs_fork = pytest.mark.skipif(not can_fork(), reason="worker processes need fork (Linux)")

#: Hostile texts among the reviews: markup, a formula, a huge text, other scripts, emoji.
HOSTILE = [
    "n/a",
    "<script>alert('x')</script> =HYPERLINK(\"http://x\") [bold]terrible[/bold] price.",
    "The price! " * 1800,
    "Die Lieferung kam zu spät und der Kundendienst hat nie geantwortet.",
    "配送が遅れました。 品質は良いです。 価格は高い。",
    "Loved it 😍😍 but the box was crushed!!! 📦",
]


def _records(texts: list[str]) -> list[dict[str, Any]]:
    return [
        {"response_id": f"r{i:05d}", "comment": text, "nps": (len(text) * 7) % 11}
        for i, text in enumerate(texts)
    ]


def _stage(events: list[tuple[str, int, int]], stage: str) -> list[tuple[int, int]]:
    return [(done, total) for name, done, total in events if name == stage]


def _growing_to_the_total(ticks: list[tuple[int, int]], total: int) -> None:
    """Ticks of one stage: the same total, counts growing, the last one every text."""
    assert ticks and {t for _, t in ticks} == {total}
    counts = [done for done, _ in ticks]
    assert counts == sorted(set(counts)) and counts[-1] == total and counts[0] > 0


def test_one_process_tells_each_task_in_order() -> None:
    told: list[int] = []
    assert run_tasks([lambda n=n: n * n for n in range(5)], finished=told.append) == [
        0,
        1,
        4,
        9,
        16,
    ]
    assert told == [0, 1, 2, 3, 4]


@needs_fork
def test_two_processes_tell_each_task_once_while_the_caller_is_busy() -> None:
    told: list[tuple[int, bool]] = []
    busy = threading.Event()

    def meanwhile() -> None:  # the caller's own long work: the child's ticks come during it
        busy.set()
        time.sleep(1.5)
        busy.clear()

    def task(n: int) -> int:
        time.sleep(0.05)
        return n + 100

    results = run_tasks(
        [lambda n=n: task(n) for n in range(12)],
        workers=2,
        meanwhile=meanwhile,
        finished=lambda number: told.append((number, busy.is_set())),
    )
    assert results == [n + 100 for n in range(12)]
    assert sorted(number for number, _ in told) == list(range(12))  # each once
    assert any(during for _, during in told)  # not held back until the caller is free


@needs_fork
def test_a_failing_callback_is_raised_by_the_caller() -> None:
    def finished(number: int) -> None:
        raise ValueError(f"bar broke at {number}")

    with pytest.raises(ValueError, match="bar broke at"):
        run_tasks([lambda: time.sleep(0.05)] * 6, workers=2, finished=finished)


@needs_fork
@pytest.mark.parametrize("error", [ValueError, OSError])
def test_a_callback_failing_on_the_listening_thread_is_raised_at_once(error: type) -> None:
    """The bar breaks only for the children's tasks (told from the listening thread): the
    caller raises that error, not another, and without waiting for children whose large
    answers nobody read any more."""

    def finished(number: int) -> None:
        if threading.current_thread() is not threading.main_thread():
            raise error(f"bar broke at {number}")

    def large() -> bytes:
        time.sleep(0.02)
        return b"x" * 1_000_000  # a child's answer far past a pipe's buffer

    started = time.monotonic()
    with pytest.raises(error, match="bar broke at"):
        run_tasks([large] * 8, workers=3, finished=finished)
    # Children left unanswered were waited for 5 s each before they were stopped.
    assert time.monotonic() - started < 4


@needs_fork
def test_a_worker_that_dies_or_a_failing_caller_task_still_ends_the_run() -> None:
    caller = os.getpid()

    def dies() -> int:
        if os.getpid() != caller:
            os._exit(3)  # a worker killed mid-piece (out of memory, a signal)
        time.sleep(0.5)
        return 1

    told: list[int] = []
    with pytest.raises(AdvocacyError, match=r"died \(exit code 3\) before answering"):
        run_tasks([dies] * 4, workers=2, finished=told.append)
    assert told and set(told) <= {0, 1, 2, 3}  # the caller's own pieces were told

    def killed() -> int:
        if os.getpid() != caller:
            os.kill(os.getpid(), signal.SIGKILL)  # what the kernel does out of memory
        time.sleep(0.5)  # the child takes a task meanwhile
        return 1

    # The CLI prints an AdvocacyError as one line with its fix, not a traceback.
    with pytest.raises(AdvocacyError, match="killed by SIGKILL, most often for want of memory"):
        run_tasks([killed] * 4, workers=2)

    def fails_here() -> int:
        if os.getpid() == caller:
            raise KeyError("the caller's own piece")
        time.sleep(0.05)
        return 1

    started = time.monotonic()
    with pytest.raises(KeyError, match="the caller's own piece"):
        run_tasks([fails_here] * 4, workers=2, finished=told.append)
    assert time.monotonic() - started < 30  # the listener does not hold the run


@pytest.mark.parametrize("workers", [1, 2])
def test_the_api_tells_the_texts_read_by_calibration_and_themes(
    workers: int, shared_data: Path, tmp_path: Path
) -> None:
    if workers > 1 and not can_fork():
        pytest.skip("worker processes need fork (Linux)")
    texts, _ = blitzer_reviews(shared_data, 1_150, seed=21, words=40)
    texts = [*HOSTILE, *texts]
    taxonomy = tmp_path / "taxonomy.yaml"
    taxonomy.write_text(BLITZER_TAXONOMY, encoding="utf-8")
    settings = Settings.load(text_workers=workers)
    with advocacy.open(f"duckdb:///{tmp_path / 'w.duckdb'}", create=True, settings=settings) as ws:
        ws.write_records("responses", _records(texts))
        events: list[tuple[str, int, int]] = []
        ws.text.analyze(progress=lambda *event: events.append(event))
        labelled = _stage(events, READING_LABELLED)
        _growing_to_the_total(labelled, labelled[-1][1])
        assert labelled[-1][1] >= len(texts) - 1 and len(labelled) >= 3  # in pieces
        assert _stage(events, FITTING) == [(0, 1), (1, 1)]
        stages = [name for name, _, _ in events]
        assert stages.index(FITTING) > max(i for i, s in enumerate(stages) if s == READING_LABELLED)
        analysed = _stage(events, ANALYSING)
        _growing_to_the_total(analysed, len(texts))
        assert len(analysed) == 3  # one tick per piece of at most 500 texts
        assert stages.index(ANALYSING) > stages.index(FITTING)

        events.clear()
        counts = ws.text.assign_themes(taxonomy, progress=lambda *event: events.append(event))
        assert events[0] == (ASSIGNING, 0, 1) and events[-1] == (ASSIGNING, 1, 1)
        read = _stage(events, READING)
        _growing_to_the_total(read, len(texts))
        assert len(read) == 3  # one tick per piece of at most 500 texts
        stages = [name for name, _, _ in events]
        assert stages.index(STORING) > max(i for i, s in enumerate(stages) if s == READING)
        # The ticks change nothing: the same themes as a run that is not watched.
        ws.db.execute("DELETE FROM text_theme_readings")
        assert ws.text.assign_themes(taxonomy).equals(counts)

        events.clear()  # nothing to read again: the step alone
        ws.text.assign_themes(taxonomy, progress=lambda *event: events.append(event))
        assert events == [(ASSIGNING, 0, 1), (STORING, 0, 1), (STORING, 1, 1), (ASSIGNING, 1, 1)]


def _on_a_terminal(arguments: list[str], cwd: Path) -> tuple[str, str]:
    """Run ``advocacy ARGUMENTS`` with stderr on a pseudo-terminal; its stdout and what the
    terminal showed."""
    main, terminal = pty.openpty()
    environment = {
        **os.environ,
        "TERM": "xterm-256color",
        "COLUMNS": "120",
        "ADVOCACY_TEXT_WORKERS": "2",
        "PYTHONPATH": os.pathsep.join(sys.path),
    }
    environment.pop("NO_COLOR", None)
    child = subprocess.Popen(
        [sys.executable, "-m", "advocacy", *arguments],
        stdout=subprocess.PIPE,
        stderr=terminal,
        cwd=cwd,
        env=environment,
    )
    os.close(terminal)
    shown = bytearray()
    out = bytearray()
    assert child.stdout is not None
    streams = {main: shown, child.stdout.fileno(): out}
    while streams:
        for ready in select.select(list(streams), [], [], 60)[0]:
            try:
                chunk = os.read(ready, 65536)
            except OSError:  # the terminal's other end closed (Linux: EIO)
                chunk = b""
            if chunk:
                streams[ready].extend(chunk)
            else:
                del streams[ready]
    assert child.wait(timeout=60) == 0, shown.decode(errors="replace")
    os.close(main)
    return out.decode(), shown.decode(errors="replace")


def test_the_cli_shows_the_theme_stage_on_a_terminal_and_not_in_json(
    shared_data: Path, tmp_path: Path
) -> None:
    texts, _ = blitzer_reviews(shared_data, 700, seed=22, words=40)
    texts = [*HOSTILE, *texts]
    taxonomy = tmp_path / "taxonomy.yaml"
    taxonomy.write_text(BLITZER_TAXONOMY, encoding="utf-8")
    db = tmp_path / "w.duckdb"
    with advocacy.open(f"duckdb:///{db}", create=True) as ws:
        ws.write_records("responses", _records(texts))
    command = ["text", "assign-themes", "--taxonomy", str(taxonomy), "--db", str(db)]
    table, shown = _on_a_terminal(command, tmp_path)
    assert "Curated themes" in table and "Price" in table
    assert "assigning themes" in shown and "reading texts for themes" in shown
    assert "scoring and storing the themes" in shown
    assert f"{len(texts):,}/{len(texts):,} texts" in shown
    assert "0/1 texts" not in shown and "1/1 texts" not in shown  # a step is not a count
    assert "<script>" not in shown  # the bar names stages, never the texts

    with advocacy.open(f"duckdb:///{db}") as ws:
        ws.db.execute("DELETE FROM text_theme_readings")  # read every text again
    printed, shown = _on_a_terminal([*command, "--format", "json"], tmp_path)
    assert "reading texts for themes" not in shown and "assigning themes" not in shown
    rows = json.loads(printed)
    assert {row["name"] for row in rows} >= {"Price", "Quality", "Story"}
