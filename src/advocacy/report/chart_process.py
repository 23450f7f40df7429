"""Draw the report's charts in a second process, once the sections have computed their numbers.

vl-convert holds Python's global interpreter lock while it draws (measured: a thread drawing
charts stalls the main thread), and its JavaScript engine keeps 90-120 MB once warm: drawn in
the report's process, that memory would stay to the end (and add to WeasyPrint's). A report
run therefore collects each Vega-Lite spec as a section makes it, and when the document is
assembled hands them all to one helper process (a plain interpreter that imports only
``vl_convert``: this file run as a script), which exits when the last is drawn, before the PDF.

The helper starts only then, not while the sections run: the report's process is largest
inside the sections (the analyses' native memory), and the engine beside them raised the two
processes' peak (the demo, same code otherwise: 422-427 MB with the helper beside the
sections, 385-393 MB with it after them; docs/benchmarks.md). The price is the drawing's time
(~1.5-2 s of CPU) after the sections instead of on a spare core.

The protocol is one JSON line each way: ``{"id": N, "spec": {...}}`` in, ``{"id": N, "svg":
"..."}`` or ``{"id": N, "error": "..."}`` out. When the helper cannot start, every chart is
drawn in this process as before, as is any chart the helper did not answer (it stopped); a
spec vl-convert rejects is the same ``ValueError`` either way (the report then shows a note in
its place: :func:`advocacy.report.section.place_charts`). A failed run draws nothing, and a
helper already drawing is killed at once.
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
    """One helper process drawing Vega-Lite specs to SVG, in the order they were sent.

    Specs submitted before :meth:`start` wait here; the first :meth:`svg` starts the helper.
    """

    def __init__(self) -> None:
        self._results: dict[int, dict[str, Any]] = {}
        self._specs: dict[int, dict[str, Any]] = {}
        self._requests: list[str] = []
        self._done = threading.Condition()
        self._sent = 0
        self._closed = False
        self._process: subprocess.Popen[str] | None = None
        self._reader: threading.Thread | None = None
        if not sys.executable:  # an embedded interpreter may not know its own program
            raise OSError("no Python interpreter to start the chart helper with")

    def start(self) -> None:
        """Start the helper and hand it every spec submitted so far (at most once)."""
        if self._process is not None or self._closed:
            return
        try:
            # -P: the script's folder (this package's) stays off the helper's module path.
            self._process = subprocess.Popen(
                [sys.executable, "-P", str(Path(__file__).resolve())],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
                encoding="utf-8",
            )
        except OSError:  # no helper: :meth:`svg` draws every chart here
            self._closed = True
            return
        # A reader thread drains the SVGs as they come, so neither pipe can fill and block.
        self._reader = threading.Thread(target=self._read, name="report-charts", daemon=True)
        self._reader.start()
        for request in self._requests:
            self._send(request)
        self._requests.clear()

    def _send(self, request: str) -> None:
        assert self._process is not None
        stdin = self._process.stdin
        if stdin is None or stdin.closed:  # closed: :meth:`svg` draws it here
            return
        with contextlib.suppress(OSError):  # the helper is gone: :meth:`svg` draws it here
            stdin.write(request + "\n")
            stdin.flush()

    def _read(self) -> None:
        assert self._process is not None
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
        if self._process is None:
            self._requests.append(request)
        else:
            self._send(request)
        return number

    def svg(self, number: int) -> str:
        """The SVG of chart ``number``, waiting for it; ``ValueError`` if the spec was bad."""
        self.start()
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
        """Let the helper finish and exit, reap it and close its pipes (again: nothing).

        ``abandon`` stops it at once instead (the run failed: the charts it still has to draw
        are not wanted). A chart asked for afterwards is drawn in this process.
        """
        if self._process is None or self._reader is None:  # never started: nothing to stop
            self._closed = True
            return
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
