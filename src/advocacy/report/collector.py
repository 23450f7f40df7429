"""How a report run keeps Python's cyclic garbage collector from walking the libraries.

Writing the demo's report, the collector spent about 0.7 s of a 10 s run: its passes while the
analyses' libraries are imported find nothing to free (every module, class and function made
there lives to the end of the process), and each full pass during the run walked the ~180,000
objects of pandas, Ibis, SciPy... again. Neither changes what is freed, only when objects are
examined.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """No collection in this block (an import of libraries: ~0.35 s less on the demo's report).

    A collector that was disabled before stays disabled.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def collector_skips_older_objects() -> Iterator[None]:
    """Leave the objects alive at the start out of the collector's passes in this block.

    At its end they go back to the collector's oldest generation (:func:`gc.unfreeze`), so a
    long-running process (the server) frees its garbage as before; the demo's report spends
    ~0.15 s instead of ~0.45 s in full passes.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def return_freed_memory() -> None:
    """Give the memory the run has freed back to the operating system, where the allocators
    keep it for reuse: C's ``malloc`` (``malloc_trim``, glibc only) and Arrow's pool.

    Called before the chart helper starts, so the two processes' peak is the smaller.
    """
    import ctypes
    import ctypes.util
    import sys

    if "pyarrow" in sys.modules:
        sys.modules["pyarrow"].default_memory_pool().release_unused()
    name = ctypes.util.find_library("c")
    if name is not None:
        trim = getattr(ctypes.CDLL(name), "malloc_trim", None)
        if trim is not None:
            trim(0)
