"""A web app on a free loopback port, and the one loop that waits for it to answer.

``serving`` runs an app under uvicorn in a thread of the test process (as ``advocacy serve`` runs
it); ``wait_until_listening`` is also how a test waits for a server it started as a process.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import uvicorn


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_listening(
    port: int, *, alive: Callable[[], bool], explain: Callable[[], str], timeout: float = 60
) -> None:
    """Return once something accepts connections on loopback ``port``.

    Fails the test with ``explain()`` as soon as ``alive()`` says the server is gone, or after
    ``timeout`` seconds.
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            assert alive(), f"the server stopped before it answered: {explain()}"
            assert time.monotonic() < deadline, f"the server did not start: {explain()}"
            time.sleep(0.05)


@contextlib.contextmanager
def serving(
    app: Any, *, port: int | None = None, name: str = "127.0.0.1", **options: Any
) -> Iterator[str]:
    """Serve ``app`` with uvicorn on loopback (``options`` go to ``uvicorn.Config``); yield its
    base URL, with host ``name``: Chromium tests use ``localhost``, a secure context, where the
    app's Secure cookies work."""
    port = free_port() if port is None else port
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", **options)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_until_listening(port, alive=thread.is_alive, explain=lambda: "see the log above")
    try:
        yield f"http://{name}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
