"""A folder built once per test run, shared by every pytest-xdist worker.

Under pytest-xdist each worker is a process with its own session fixtures, so a session fixture
that builds something slow (the web tests' demo workspace) would build it once per worker.
``built_once`` builds it instead in the folder the run's workers share, under a file lock: the
first worker to get there builds it, the others wait for it and reuse it. Without xdist it is a
plain build in a new temporary folder. What is built this way must only be read (copy it first
to change it), since every worker sees the same files.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest


def built_once(factory: pytest.TempPathFactory, name: str, build: Callable[[Path], object]) -> Path:
    """The folder ``name`` after ``build(folder)`` ran on it, once for the whole run."""
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    if run is None:
        folder = factory.mktemp(name)
        build(folder)
        return folder
    # A worker's temporary folder is <the run's folder>/<worker id>: the parent is shared.
    shared = factory.getbasetemp().parent
    folder = shared / name
    done = shared / f"{name}.built"
    with (shared / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        # The marker names the run, so a folder left by an earlier run is never taken as built.
        if not done.exists() or done.read_text(encoding="utf-8") != run:
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            build(folder)
            done.write_text(run, encoding="utf-8")
    return folder
