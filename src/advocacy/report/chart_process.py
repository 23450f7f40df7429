"""Draw the report's charts in a second process, while the sections compute the next numbers.

vl-convert holds Python's global interpreter lock while it draws (measured: a thread drawing
charts stalls the main thread), and its JavaScript engine keeps ~100 MB once warm. A report
run therefore hands each Vega-Lite spec to one helper process (a plain interpreter that imports
only ``vl_convert``: this file run as a script) and goes on with its analyses; the SVGs come
back on a reader thread and are put in place when the document is assembled. On a machine with
a free core the charts cost the report no time, and the engine's memory is freed when the
helper exits at the end of the run.

The protocol is one JSON line each way: ``{"id": N, "spec": {...}}`` in, ``{"id": N, "svg":
"..."}`` or ``{"id": N, "error": "..."}`` out. When the helper cannot start, every chart is
drawn in this process as before, as is any chart the helper did not answer (it stopped); a
spec vl-convert rejects is the same ``ValueError`` either way (the report then shows a note in
its place: :func:`advocacy.report.section.place_charts`). A failed run kills the helper at once.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO, Any


class ChartProcess:
    """One helper process drawing Vega-Lite specs to SVG, in the order they were sent."""

    def __init__(self) -> None:
        self._results: dict[int, dict[str, Any]] = {}
        self._specs: dict[int, dict[str, Any]] = {}
        self._done = threading.Condition()
        self._sent = 0
        self._closed = False
        if not sys.executable:  # an embedded interpreter may not know its own program
            raise OSError("no Python interpreter to start the chart helper with")
        # -P: the script's folder (this package's) stays off the helper's module path.
        self._process = subprocess.Popen(
            [sys.executable, "-P", str(Path(__file__).resolve())],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
        )
        # A reader thread drains the SVGs as they come, so neither pipe can fill and block.
        self._reader = threading.Thread(target=self._read, name="report-charts", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        stdout = self._process.stdout
        assert stdout is not None
        try:
            for line in stdout:
                try:
                    answer = json.loads(line)
                    number = int(answer["id"])
                except (ValueError, TypeError, KeyError):
                    # Not an answer (a library printed to the helper's stdout): skip it; a
                    # chart it never answers is drawn here.
                    continue
                with self._done:
                    self._results[number] = answer
                    self._done.notify_all()
        finally:
            # Whatever ends this thread, :meth:`svg` must stop waiting for it.
            with self._done:
                self._closed = True
                self._done.notify_all()

    def submit(self, spec: dict[str, Any]) -> int:
        """Send ``spec`` to be drawn; return the number that :meth:`svg` takes.

        A spec that is not JSON (a NumPy or pandas value left in it) is the ``ValueError``
        vl-convert raises for it in process.
        """
        number = self._sent
        try:
            request = json.dumps({"id": number, "spec": spec})
        except TypeError as error:
            raise ValueError(f"Failed to parse vl_spec dict as JSON: {error}") from error
        self._sent += 1
        self._specs[number] = spec
        stdin = self._process.stdin
        assert stdin is not None
        with contextlib.suppress(OSError):  # the helper is gone: :meth:`svg` draws it here
            stdin.write(request + "\n")
            stdin.flush()
        return number

    def svg(self, number: int) -> str:
        """The SVG of chart ``number``, waiting for it; ``ValueError`` if the spec was bad."""
        with self._done:
            self._done.wait_for(lambda: number in self._results or self._closed)
            answer = self._results.get(number)
        if answer is None:  # the helper stopped (e.g. could not import vl_convert): draw it here
            import vl_convert

            return str(vl_convert.vegalite_to_svg(self._specs[number]))
        if "error" in answer:
            raise ValueError(answer["error"])
        return str(answer["svg"])

    def close(self, *, abandon: bool = False) -> None:
        """Let the helper finish and exit, reap it and close its pipes.

        ``abandon`` stops it at once instead (the run failed: the charts it still has to draw
        are not wanted).
        """
        if abandon:
            self._process.kill()
        if self._process.stdin is not None and not self._process.stdin.closed:
            with contextlib.suppress(OSError):  # it is gone already
                self._process.stdin.close()
        try:
            self._process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._reader.join(timeout=5)
        # The reader has seen the end of the output: its pipe is closed here, not left to the
        # garbage collector (a server building many reports would hold one per report).
        if self._process.stdout is not None and not self._reader.is_alive():
            self._process.stdout.close()


def serve(lines: IO[str], out: IO[str]) -> None:
    """The helper's loop: draw each spec read from ``lines``, answer on ``out``."""
    import vl_convert

    for line in lines:
        request = json.loads(line)
        try:
            answer = {"id": request["id"], "svg": vl_convert.vegalite_to_svg(request["spec"])}
        except Exception as error:  # a bad spec is reported to the caller, not fatal here
            answer = {"id": request["id"], "error": str(error)}
        out.write(json.dumps(answer) + "\n")
        out.flush()


if __name__ == "__main__":
    serve(sys.stdin, sys.stdout)
