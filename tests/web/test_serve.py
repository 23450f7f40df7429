"""``advocacy serve`` as a real process: it binds to loopback and answers the API and pages."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_answers_on_loopback(tmp_path: Path) -> None:
    port = _free_port()
    db = str(tmp_path / "ws.duckdb")
    server = subprocess.Popen(
        [sys.executable, "-m", "advocacy", "serve", "--port", str(port), "--db", db],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                response = httpx.get(f"{base}/api/v1/me", timeout=2)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.stdout.read() if server.stdout else ""
                assert time.monotonic() < deadline, "advocacy serve did not start"
                time.sleep(0.2)
        assert response.status_code == 401
        assert response.json()["error"] == "AuthenticationError"
        assert httpx.get(f"{base}/openapi.json").json()["info"]["title"] == "advocacy"
        login = httpx.get(f"{base}/login")
        assert login.status_code == 200 and "Sign in" in login.text
        assert "server" not in {name.lower() for name in login.headers}
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert server.returncode is not None
