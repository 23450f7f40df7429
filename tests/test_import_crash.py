"""A `kill -9` in the middle of an import leaves the workspace exactly as it was."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import advocacy

# Runs in a real child process: imports the file and, once its rows are written inside the
# open transaction (reported through the progress callback), says so and waits to be killed.
CHILD = textwrap.dedent(
    """
    import sys, time
    import advocacy

    def progress(stage, done, total):
        if stage == "writing" and done == total:
            print("WRITTEN", flush=True)
            time.sleep(120)

    with advocacy.open(sys.argv[1]) as ws:
        ws.import_file(sys.argv[2], kind="responses", progress=progress)
    print("FINISHED", flush=True)
    """
)


def _responses(path: Path, start: int, count: int) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["response_id", "customer_id", "submitted_at", "nps", "comment"])
        for index in range(start, start + count):
            writer.writerow(
                [f"R{index}", f"C{index % 50}", "2024-05-01T09:00:00Z", index % 11, "ok"]
            )
    return path


def _snapshot(url: str) -> dict[str, int]:
    with advocacy.open(url) as ws:
        return {name: ws.table(name).count().execute() for name in ws.table_names()}


def test_kill_9_mid_import_leaves_the_workspace_as_before(db_url: str, tmp_path: Path) -> None:
    with advocacy.open(db_url) as ws:
        ws.import_file(_responses(tmp_path / "before.csv", 0, 100), kind="responses")
    before = _snapshot(db_url)
    big = _responses(tmp_path / "big.csv", 100, 20_000)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, db_url, str(big)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline().strip()
        assert line == "WRITTEN", child.stderr.read() if child.stderr else line
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=60)
    assert child.returncode == -signal.SIGKILL
    assert _snapshot(db_url) == before
    # And the workspace still works: the same import now completes.
    with advocacy.open(db_url) as ws:
        result = ws.import_file(big, kind="responses")
        assert result.rows_loaded == 20_000
