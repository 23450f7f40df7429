"""Group commit: items from many threads committed in batches, each answered on its own; a
batch that fails as a whole is committed again item by item, so a bad item fails alone."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import pytest

from advocacy.store.group_commit import GroupCommit


class Ledger:
    """A commit function that records its batches and refuses negative items."""

    def __init__(self) -> None:
        self.batches: list[list[int]] = []

    def __call__(self, items: Sequence[int]) -> list[int | BaseException]:
        if any(item < 0 for item in items) and len(items) > 1:
            raise RuntimeError("a bad item fails the whole batch")
        self.batches.append(list(items))
        return [ValueError(f"bad {item}") if item < 0 else item * 10 for item in items]


def test_each_item_gets_its_own_outcome_and_a_bad_one_fails_alone() -> None:
    ledger = Ledger()
    group: GroupCommit[int, int] = GroupCommit(ledger, threading.Lock(), name="t", max_wait=0.2)
    try:
        start = threading.Barrier(12)

        def put(item: int) -> int | str:
            start.wait()
            try:
                return group.put(item).result(timeout=10)
            except ValueError as error:
                return str(error)

        with ThreadPoolExecutor(12) as pool:
            answers = list(pool.map(put, [*range(11), -1]))
    finally:
        group.stop()
    assert answers == [item * 10 for item in range(11)] + ["bad -1"]
    # Retried one by one after the whole batch failed: every good item committed once.
    assert sorted(item for batch in ledger.batches for item in batch) == [-1, *range(11)]
    assert group.committed == 11


@pytest.mark.parametrize("max_wait", [0.0, 0.05])
def test_a_batch_waits_only_max_wait_for_more_items(max_wait: float) -> None:
    group: GroupCommit[int, int] = GroupCommit(
        Ledger(), threading.Lock(), name="t", max_wait=max_wait
    )
    try:
        group.put(1).result(timeout=10)
        sent = time.monotonic()
        assert group.put(2).result(timeout=10) == 20
        assert time.monotonic() - sent < max_wait + 0.1
    finally:
        group.stop()
