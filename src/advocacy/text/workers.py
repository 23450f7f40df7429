"""Independent pieces of the text work, run on the machine's cores by forked worker processes.

``text analyze`` holds the GIL for most of its time (the tokenizer's word splitting, the n-gram
look-ups, scikit-learn's L-BFGS steps), so threads do not add a core; processes do. Its
pieces are independent: the documents of a batch are read each on its own (nothing in a
text's reading depends on the others in its batch but the rounding of the last bit in a
matrix product, which is why the callers fix the pieces, never the worker count), and the
calibration's cross-validation folds are separate fits. :func:`run_tasks` runs such pieces
on ``workers`` processes: the calling process and ``workers - 1`` children forked from it,
which share its loaded models and readings (copy-on-write) and take the next piece from a
shared counter until none is left. A piece computes in a child exactly what it computes in
the caller, so the results are the same numbers whatever the worker count; only the results
travel back (pickled), the database is never touched by a child, and the caller alone writes.

Forking needs the ``fork`` start method (Linux); elsewhere, and for ``workers`` 1, the pieces
run one after the other in the calling process. Written by hand because
:mod:`concurrent.futures` and :class:`multiprocessing.pool.Pool` pickle each task and keep the
calling process idle; here the tasks are closures over the run's state and the caller works too.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.connection
import os
import pickle
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from multiprocessing.connection import Connection
from typing import Any, TypeVar, cast

from advocacy.errors import AdvocacyError, UsageError

T = TypeVar("T")

#: Workers that answered and are exiting (their exit overlaps the caller's next step).
_exiting: list[Any] = []


@dataclass(frozen=True)
class Learning:
    """Something a process learns while it works (a cache) that the caller should keep.

    A forked worker's caches die with it: every later stage (and the caller's own work) would
    learn the same things again. ``mark()`` is taken in the worker before its tasks,
    ``since(mark)`` is what it learnt after (sent back with its results, pickled), and
    ``merge(learnt)`` adds that to the caller's. What is learnt must not change any result,
    only spare work (a tokenisation remembered, for example).
    """

    mark: Callable[[], Any]
    since: Callable[[Any], Any]
    merge: Callable[[Any], None]


#: What the workers send back besides their results, by name (see :func:`share_learning`).
_learnings: dict[str, Learning] = {}


def share_learning(name: str, learning: Learning | None) -> None:
    """Have every worker of :func:`run_tasks` send back what it learnt for ``name`` (None:
    no longer)."""
    if learning is None:
        _learnings.pop(name, None)
    else:
        _learnings[name] = learning


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity where the system tells it)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def worker_count(setting: int = 0) -> int:
    """Worker processes for a ``text_workers`` setting: 0 means the cores available.

    Raises
    ------
    UsageError
        For a negative setting.
    """
    if setting < 0:
        raise UsageError(
            f"text_workers must be 0 (the cores available) or a positive count, not {setting}",
            value=setting,
            parameter="text_workers",
            fix="set text_workers to 0, 1, 2, ...",
        )
    return setting or available_cores()


def can_fork() -> bool:
    """Whether worker processes can be forked here (Linux: the ``fork`` start method)."""
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def reap() -> None:
    """Wait until every worker that answered has exited (its CPU time then counts in the
    caller's children's usage); :func:`run_tasks` leaves them exiting."""
    while _exiting:
        _exiting.pop().join()


def run_tasks(
    tasks: Sequence[Callable[[], T]],
    *,
    workers: int = 1,
    meanwhile: Callable[[], None] | None = None,
    before_fork: Callable[[], None] | None = None,
    finished: Callable[[int], None] | None = None,
) -> list[T]:
    """Each task's result, in order, computed on up to ``workers`` processes.

    The caller computes tasks too; each of the ``min(workers, len(tasks)) - 1`` forked children
    takes the next task not yet taken until none is left, then sends its results back with
    what it learnt (:func:`share_learning`). ``meanwhile`` is the caller's own work that the
    tasks do not need (an import, a query, a write): it runs in the caller once the children
    are forked, before the caller takes tasks, so a core that would wait for it works. An
    exception in any task is raised here, the same as with one process (a child's with its
    traceback as the cause; one that cannot be pickled as :class:`RuntimeError` with it); a
    child that dies without answering raises :class:`RuntimeError`.

    Parameters
    ----------
    tasks
        Functions of no arguments; they may close over anything (nothing is pickled but the
        results) and must not write to the database or to shared files.
    workers
        Processes to use, the caller included (1: all in the caller).
    meanwhile
        Run once in the calling process, before any task it computes itself (with one
        process, before every task); it may write to the database. Children never run it.
    before_fork
        Run once in the calling process just before the children are forked, and only when
        they are: it loads what every task needs (the models), so that each child finds it
        loaded, shared copy-on-write, instead of loading its own copy (about a CPU second
        per child for the text models) while the caller loads it again for its own tasks.
    finished
        Called in the calling process with each task's number once it is done, exactly once
        per task: after each task of its own, and for a child's at once, from a thread of
        the caller that listens to the children while the caller works (a child tells each
        task as it ends, a few bytes down its pipe); one call at a time. A progress bar's
        ticks: what it raises is raised here, once every child has answered.

    Returns
    -------
    list
        ``[task() for task in tasks]``.

    Examples
    --------
    >>> run_tasks([lambda: 1 + 1, lambda: 2 * 3], workers=2)
    [2, 6]
    """
    children = min(workers, len(tasks)) - 1
    if children < 1 or not can_fork():
        if meanwhile is not None:
            meanwhile()
        results: list[T] = []
        for number, task in enumerate(tasks):
            results.append(task())
            if finished is not None:
                finished(number)
        return results
    if before_fork is not None:
        before_fork()
    context = multiprocessing.get_context("fork")
    taken = context.Value("i", 0)

    def next_task() -> int:
        with taken.get_lock():
            number = int(taken.value)
            taken.value = number + 1
        return number

    def serve(sender: Any) -> None:
        done: list[tuple[int, Any]] = []
        try:
            marks = {name: learning.mark() for name, learning in _learnings.items()}
            while (number := next_task()) < len(tasks):
                done.append((number, tasks[number]()))
                if finished is not None:
                    sender.send(("finished", number))
            learnt = {name: _learnings[name].since(mark) for name, mark in marks.items()}
            sender.send(("ok", (done, learnt)))
        except BaseException as error:
            told = traceback.format_exc()
            try:  # the error itself, so the caller raises what one process would have
                kept: BaseException | None = pickle.loads(pickle.dumps(error))
            except Exception:  # an error that does not pickle comes back as its traceback
                kept = None
            with contextlib.suppress(OSError):  # the caller stopped listening (it failed)
                sender.send(("error", (kept, told)))
        finally:
            sender.close()

    _exiting[:] = [process for process in _exiting if process.is_alive()]  # reaps the rest
    started, answered = [], []
    try:
        for _ in range(children):
            receiver, sender = context.Pipe(duplex=False)
            process = context.Process(target=serve, args=(sender,), daemon=True)
            process.start()
            sender.close()
            started.append((process, receiver))
        computed: dict[int, Any] = {}
        answers: dict[int, tuple[str, Any]] = {}  # by child: its answer ("died": none)
        ticking = threading.Lock()  # the caller's ticks and the listener's, one at a time
        listener = None if finished is None else _Listener(started, answers, finished, ticking)
        if meanwhile is not None:
            meanwhile()
        while (number := next_task()) < len(tasks):
            computed[number] = tasks[number]()
            if finished is not None:
                with ticking:
                    finished(number)
        if listener is not None:
            listener.finish()
        for child, (process, receiver) in enumerate(started):
            if child not in answers:
                answers[child] = _answer(receiver)
            status, payload = answers[child]
            if status == "died":
                process.join(timeout=5)
                raise _died(process.exitcode)
            if status != "ok":
                error, told = payload
                where = RuntimeError(f"in a text worker process:\n{told}")
                if isinstance(error, Exception):
                    raise error from where
                raise RuntimeError(f"a text worker process failed:\n{told}")
            done, learnt = payload
            computed.update(done)
            for name, found in learnt.items():
                if name in _learnings:
                    _learnings[name].merge(found)
            answered.append(process)
        return [computed[number] for number in range(len(tasks))]
    finally:
        for process, receiver in started:
            receiver.close()
            if process in answered:
                _exiting.append(process)  # done: no need to wait for its exit here
                continue
            process.join(timeout=5)
            if process.is_alive():
                process.terminate()
                process.join()


class _Listener:
    """A thread of the caller that takes the children's messages as they come: each task a
    child tells done goes to ``finished`` at once (while the caller works), its answer to
    ``answers``. It waits in :func:`multiprocessing.connection.wait` (the GIL released)."""

    def __init__(
        self,
        started: list[tuple[Any, Any]],
        answers: dict[int, tuple[str, Any]],
        finished: Callable[[int], None],
        ticking: threading.Lock,
    ) -> None:
        self.failed: list[BaseException] = []
        self._waiting: dict[Connection, int] = {
            receiver: child for child, (_, receiver) in enumerate(started)
        }
        self._answers, self._finished, self._ticking = answers, finished, ticking
        self._thread = threading.Thread(target=self._listen, daemon=True)
        self._thread.start()

    def _listen(self) -> None:
        while self._waiting:
            try:
                ready = multiprocessing.connection.wait(list(self._waiting))
            except OSError:  # the caller closed the pipes: a task of its own failed
                return
            for connection in ready:
                receiver = cast(Connection, connection)
                child = self._waiting[receiver]
                try:
                    status, payload = receiver.recv()
                except EOFError:
                    status, payload = "died", None
                except OSError:  # closed by the caller, as above
                    return
                if status == "finished":
                    self._tell(payload)
                    continue
                self._answers[child] = (status, payload)
                del self._waiting[receiver]

    def _tell(self, number: int) -> None:
        """Pass a child's finished task on, until the callback fails: its error is kept for
        the caller and the pipes are still read to the end (a child waits until its answer
        is taken), but nothing more is told."""
        if self.failed:
            return
        try:
            with self._ticking:
                self._finished(number)
        except BaseException as error:  # the callback's: raised by the caller
            self.failed.append(error)

    def finish(self) -> None:
        """Wait until every child answered (or died); raise what the callback raised."""
        self._thread.join()
        if self.failed:
            raise self.failed[0]


def _died(code: int | None) -> AdvocacyError:
    """The error of a child that ended without answering (``code``: its exit code, minus
    the signal that killed it): a message for the CLI's error line, not a traceback."""
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:  # a real-time signal without a name of its own
            name = f"signal {-code}"
        how = f"killed by {name}" + (", most often for want of memory" if name == "SIGKILL" else "")
    else:
        how = f"exit code {code}"
    return AdvocacyError(
        f"a text worker process died ({how}) before answering",
        fix="run again with text_workers = 1 (ADVOCACY_TEXT_WORKERS=1) to read in this "
        "process and see the error, or with more memory free",
    )


def _answer(receiver: Connection) -> tuple[str, Any]:
    """A child's answer (``("died", None)`` when it ended without one), past the tasks it
    told done that nobody listened to."""
    while True:
        try:
            status, payload = receiver.recv()
        except EOFError:
            return "died", None
        if status != "finished":
            return status, payload


def items_done(
    split: Sequence[range], progress: Callable[[int], None] | None
) -> Callable[[int], None] | None:
    """A ``finished`` for :func:`run_tasks` over the pieces ``split`` that tells
    ``progress`` how many items the pieces done so far hold (None without ``progress``).

    >>> told = []
    >>> finished = items_done(split_evenly(5, 2), told.append)
    >>> finished(1), finished(0)
    (None, None)
    >>> told
    [2, 5]
    """
    if progress is None:
        return None
    done = [0]

    def finished(number: int) -> None:
        done[0] += len(split[number])
        progress(done[0])

    return finished


def split_evenly(count: int, parts: int) -> list[range]:
    """``range(count)`` cut into ``parts`` contiguous pieces, sizes differing by at most one.

    >>> split_evenly(5, 2)
    [range(0, 3), range(3, 5)]
    """
    parts = max(1, min(parts, count))
    size, extra = divmod(count, parts)
    bounds = [0]
    for index in range(parts):
        bounds.append(bounds[-1] + size + (1 if index < extra else 0))
    return [range(start, stop) for start, stop in pairwise(bounds)]
