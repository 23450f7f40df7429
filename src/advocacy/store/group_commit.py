"""Group commit: many concurrent writers, one thread committing their work in batches.

A server that commits every small write in its own transaction (and validates it on its own)
spends most of its time on per-transaction and per-statement costs. :class:`GroupCommit` takes
items from any number of request threads, lets one writer thread gather those that arrive
together (up to ``max_batch``, or whatever came within ``max_wait`` seconds of the first) and
hands each batch to one ``commit`` call, which returns one outcome per item. Each request
waits on its own :class:`~concurrent.futures.Future` and gets its own outcome: a result, or an
error (returned or raised by ``commit`` for that item alone).

If ``commit`` fails as a whole (it raises), its items are committed again one by one, so one
bad item never fails or loses the others. The hosted survey answers
(:class:`advocacy.loop.surveys.submissions.SubmissionWriter`) and the REST API's evidence
writes (:class:`advocacy.loop.evidence_writes.EvidenceWriter`) both commit this way.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import Any, Generic, TypeVar

Item = TypeVar("Item")
Outcome = TypeVar("Outcome")


class GroupCommit(Generic[Item, Outcome]):
    """Commit items put by many threads in batches, on one writer thread.

    Parameters
    ----------
    commit
        Commits a batch of items (in one transaction) and returns one outcome per item, in
        order; an outcome that is an exception is raised to that item's waiter alone.
    lock
        Held around each ``commit`` (a server's ``WebState.use``: its pooled connection).
    name
        The writer thread's name.
    max_batch, max_wait
        A batch closes at ``max_batch`` items or ``max_wait`` seconds after its first.
    after_commit
        Called (holding ``lock``) after each batch, e.g. to note that the data changed.
    is_open
        Returns False once the database is closing; pending items then fail with
        ``closed_error()``.
    closed_error
        The error items get when the database is closing.
    """

    def __init__(
        self,
        commit: Callable[[Sequence[Item]], Sequence[Outcome | BaseException]],
        lock: contextlib.AbstractContextManager[Any],
        *,
        name: str,
        max_batch: int = 200,
        max_wait: float = 0.02,
        after_commit: Callable[[], None] | None = None,
        is_open: Callable[[], bool] = lambda: True,
        closed_error: Callable[[], BaseException] = lambda: RuntimeError("closed"),
    ) -> None:
        self.commit = commit
        self.lock = lock
        self.name = name
        self.max_batch = max_batch
        self.max_wait = max_wait
        self.after_commit = after_commit
        self.is_open = is_open
        self.closed_error = closed_error
        self.batches = 0  # batches committed
        self.committed = 0  # items whose outcome was not an error
        self._queue: queue.Queue[tuple[Item, Future[Outcome]] | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()

    def put(self, item: Item) -> Future[Outcome]:
        """Queue ``item``; the future resolves once its batch has committed (or failed)."""
        with self._start_lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
                self._thread.start()
        future: Future[Outcome] = Future()
        self._queue.put((item, future))
        return future

    def stop(self, timeout: float = 5.0) -> None:
        """Commit what is queued, then end the writer thread."""
        with self._start_lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._queue.put(None)
            thread.join(timeout)

    def _next_batch(self, first: tuple[Item, Future[Outcome]]) -> tuple[list[Any], bool]:
        batch = [first]
        deadline = time.monotonic() + self.max_wait
        while len(batch) < self.max_batch:
            remaining = deadline - time.monotonic()
            try:
                item = (
                    self._queue.get(timeout=remaining)
                    if remaining > 0
                    else self._queue.get_nowait()
                )
            except queue.Empty:
                break
            if item is None:
                return batch, True
            batch.append(item)
        return batch, False

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            batch, stopping = self._next_batch(first)
            try:
                self._commit(batch)
            except Exception as error:  # never let the writer die: fail this batch's waiters
                for _, future in batch:
                    if not future.done() and future.set_running_or_notify_cancel():
                        future.set_exception(error)
            if stopping:
                return

    def _outcomes(self, items: list[Item]) -> list[Outcome | BaseException]:
        try:
            outcomes = list(self.commit(items))
        except Exception:
            if len(items) == 1:
                raise
            outcomes = []
            for item in items:  # one bad item: commit the others one by one
                try:
                    outcomes.extend(self.commit([item]))
                except Exception as error:  # answered to its own waiter
                    outcomes.append(error)
        if len(outcomes) != len(items):
            raise RuntimeError(f"{self.name}: {len(outcomes)} outcomes for {len(items)} items")
        return outcomes

    def _commit(self, batch: list[tuple[Item, Future[Outcome]]]) -> None:
        items = [item for item, _ in batch]
        outcomes: list[Outcome | BaseException]
        with self.lock:
            if not self.is_open():
                outcomes = [self.closed_error()] * len(batch)
            else:
                try:
                    outcomes = self._outcomes(items)
                except Exception as error:  # a single item's own failure
                    outcomes = [error]
                self.batches += 1
                self.committed += sum(not isinstance(o, BaseException) for o in outcomes)
                if self.after_commit is not None:
                    self.after_commit()
        for (_, future), outcome in zip(batch, outcomes, strict=True):
            if not future.set_running_or_notify_cancel():
                continue  # the waiter went away (what was committed stays committed)
            if isinstance(outcome, BaseException):
                future.set_exception(outcome)
            else:
                future.set_result(outcome)


__all__ = ["GroupCommit"]
