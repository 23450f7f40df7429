"""A web app under uvicorn on a free loopback port, in a thread of the test process."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import uvicorn


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


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
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://{name}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
