"""The report's use of the garbage collector changes when objects are examined, never what is
freed: cycles made or dropped in either block are freed, and the collector ends as it began."""

from __future__ import annotations

import gc
import os
import weakref

from advocacy.report.collector import (
    collector_paused,
    collector_skips_older_objects,
    return_freed_memory,
)


class Node:
    """An object that can sit in a reference cycle and be watched through a weak reference."""

    def __init__(self) -> None:
        self.other: Node | None = None


def cycle() -> tuple[Node, weakref.ref[Node]]:
    first, second = Node(), Node()
    first.other, second.other = second, first
    return first, weakref.ref(first)


def test_paused_collector_collects_nothing_and_resumes() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        node, watched = cycle()
        del node
        assert watched() is not None  # nothing collects it while paused (no gc.collect here)
    assert gc.isenabled()
    gc.collect()
    assert watched() is None


def test_a_collector_disabled_before_stays_disabled() -> None:
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_older_objects_are_set_aside_for_the_block_and_freed_after_it() -> None:
    older, older_watched = cycle()
    with collector_skips_older_objects():
        assert gc.get_freeze_count() > 0
        newer, newer_watched = cycle()
        del newer, older
        gc.collect()
        assert newer_watched() is None  # made in the block: collected as usual
        assert older_watched() is not None  # set aside: not examined until the block ends
    assert gc.get_freeze_count() == 0
    gc.collect()
    assert older_watched() is None


def test_the_objects_go_back_to_the_collector_when_the_block_fails() -> None:
    try:
        with collector_skips_older_objects():
            raise RuntimeError("a section failed")
    except RuntimeError:
        pass
    assert gc.get_freeze_count() == 0


def _resident_megabytes() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def test_memory_freed_in_the_middle_of_the_heap_goes_back_to_the_system() -> None:
    # 80 MB in blocks C's malloc serves from its heap (above Python's small-object limit,
    # below malloc's own mmap threshold), then one block after them that stays: freeing the
    # 80 MB leaves them resident, as the sections' freed memory stays in the report's process.
    blocks = [bytes(4000) + bytes([n % 256]) for n in range(20_000)]
    kept = bytes(4000) + b"kept"
    before = _resident_megabytes()
    del blocks
    freed = _resident_megabytes()
    return_freed_memory()
    after = _resident_megabytes()
    assert freed > before - 20  # free() alone kept most of it
    assert after < freed - 50  # returned
    assert kept.endswith(b"kept")
