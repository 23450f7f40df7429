"""The REST API's evidence writes, committed in groups, with the case rules run on them.

``POST /api/v1/<kind>`` writes records as an import does, and the enabled case rules then run
over the records it inserted or updated, in the same transaction. A server receiving many
writes at once hands them to an :class:`EvidenceWriter`: one writer thread per kind gathers
the writes that arrive together (:class:`advocacy.store.group_commit.GroupCommit`) and
:func:`commit_writes` validates and upserts them in one pass
(:func:`advocacy.ingest.write_groups.write_group`) and runs the rules once over all of them,
then answers each request with its own result and its own cases. A write with a bad record is
refused whole, alone; a batch that fails as a whole is written again one write at a time.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from advocacy.errors import AdvocacyError
from advocacy.ingest.limits import InputLimits
from advocacy.ingest.write_groups import (
    BatchRejected,
    WriteOutcome,
    WriteRequest,
    WriteResult,
    prepare_write,
    write_group,
)
from advocacy.settings import Settings
from advocacy.store.connection import Database
from advocacy.store.group_commit import GroupCommit


@dataclass(frozen=True)
class EvidenceWritten:
    """One write's result and the cases the rules opened on its records."""

    result: WriteResult
    cases: tuple[Any, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """The answer of ``POST /api/v1/<kind>``: the counts and the cases opened."""
        return {**self.result.to_dict(), "cases": [case.to_dict() for case in self.cases]}


def commit_writes(
    db: Database,
    requests: Sequence[WriteRequest],
    *,
    settings: Settings,
    now: datetime | None = None,
) -> list[EvidenceWritten | BatchRejected]:
    """Write ``requests`` (of one kind) and run the case rules on them, in one transaction.

    Returns one outcome per request, in order: what it wrote and the cases opened on its
    records, or the error refusing it (nothing of it written).
    """
    from advocacy.loop.cases.opening import open_cases_for
    from advocacy.loop.cases.rules import TRIGGER_KINDS

    kind = requests[0].kind.name
    with db.transaction():
        outcomes = write_group(db, requests, timezone=settings.timezone, now=now)
        ids = [key for item in outcomes if isinstance(item, WriteOutcome) for key in item.written]
        opened = []
        if ids and kind in TRIGGER_KINDS["theme_sentiment"]:
            opened = open_cases_for(db, kind, ids, settings=settings, now=now)
    by_evidence: dict[str, list[Any]] = {}
    for case in opened:
        by_evidence.setdefault(str(case.evidence_id), []).append(case)
    answers: list[EvidenceWritten | BatchRejected] = []
    for item in outcomes:
        if isinstance(item, BatchRejected):
            answers.append(item)
        else:
            cases = tuple(case for key in item.written for case in by_evidence.get(key, ()))
            answers.append(EvidenceWritten(item.result, cases))
    return answers


class EvidenceWriter:
    """Group commit of the REST API's writes: one writer thread per kind of evidence.

    Parameters
    ----------
    db, lock
        The database and what every user of it holds (a server's ``WebState.use``).
    settings
        The workspace's settings: the time zone of the records, the new cases' notifications.
    limits
        Bounds of one write (records, characters per text, nesting).
    max_batch, max_wait
        A batch closes at ``max_batch`` writes or ``max_wait`` seconds after its first.
    after_commit
        Called (holding ``lock``) after each batch, e.g. to note that the data changed.
    is_open
        Returns False once the database is closing; pending writes then fail.
    """

    def __init__(
        self,
        db: Database,
        lock: contextlib.AbstractContextManager[Any],
        *,
        settings: Settings,
        limits: InputLimits,
        max_batch: int = 200,
        max_wait: float = 0.02,
        after_commit: Callable[[], None] | None = None,
        is_open: Callable[[], bool] = lambda: True,
    ) -> None:
        self.db = db
        self.lock = lock
        self.settings = settings
        self.limits = limits
        self.max_batch = max_batch
        self.max_wait = max_wait
        self.after_commit = after_commit
        self.is_open = is_open
        self._groups: dict[str, GroupCommit[WriteRequest, EvidenceWritten]] = {}
        self._groups_lock = threading.Lock()

    @property
    def batches(self) -> int:
        """Batches committed so far, of every kind."""
        return sum(group.batches for group in list(self._groups.values()))

    @property
    def committed(self) -> int:
        """Writes committed so far (refused ones not counted)."""
        return sum(group.committed for group in list(self._groups.values()))

    def prepare(self, kind: str, records: Any, *, actor: str) -> WriteRequest:
        """Check one write's shape and size and map its records (raises ValidationError)."""
        return prepare_write(kind, records, actor=actor, limits=self.limits)

    def put(self, request: WriteRequest) -> Future[EvidenceWritten]:
        """Queue a prepared write; the future resolves once its batch has committed."""
        kind = request.kind.name
        with self._groups_lock:
            group = self._groups.get(kind)
            if group is None:
                group = self._groups[kind] = GroupCommit(
                    self._commit,
                    self.lock,
                    name=f"{kind}-writer",
                    max_batch=self.max_batch,
                    max_wait=self.max_wait,
                    after_commit=self.after_commit,
                    is_open=self.is_open,
                    closed_error=lambda: AdvocacyError(
                        "the server is shutting down", fix="send the records again"
                    ),
                )
        return group.put(request)

    def stop(self, timeout: float = 5.0) -> None:
        """Commit what is queued, then end the writer threads."""
        with self._groups_lock:
            groups = list(self._groups.values())
        for group in groups:
            group.stop(timeout)

    def _commit(self, requests: Sequence[WriteRequest]) -> list[EvidenceWritten | BatchRejected]:
        return commit_writes(self.db, requests, settings=self.settings)


__all__ = ["EvidenceWriter", "EvidenceWritten", "commit_writes"]
