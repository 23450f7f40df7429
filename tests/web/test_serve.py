"""``advocacy serve`` as a real process: it binds to loopback and answers the API and pages;
survey links stay out of its access log, and ``X-Forwarded-For`` counts only from a proxy it is
told to trust (``--forwarded-allow-ips``)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx

import advocacy
from advocacy.access import add_user
from support.live_server import free_port, wait_until_listening

PASSWORD = "correct horse battery staple"


@contextlib.contextmanager
def _serve(
    tmp_path: Path, *options: str, env: dict[str, str] | None = None
) -> Iterator[tuple[str, list[str]]]:
    """Run ``advocacy serve`` on a free port; yield its base URL and, once it has stopped,
    its output lines (in the list yielded)."""
    port = free_port()
    db = str(tmp_path / "ws.duckdb")
    # --create: the workspace is new; without it a --db that does not exist is refused.
    command = [sys.executable, "-m", "advocacy", "--create", "serve", "--port", str(port)]
    server = subprocess.Popen(
        [*command, "--db", db, *options],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, **(env or {})},
    )
    base = f"http://127.0.0.1:{port}"
    output: list[str] = []
    try:
        wait_until_listening(
            port,
            alive=lambda: server.poll() is None,
            explain=lambda: server.stdout.read() if server.stdout and server.poll() else "",
        )
        yield base, output
    finally:
        server.terminate()
        out, _ = server.communicate(timeout=30)
        output.extend(out.splitlines())
    assert server.returncode is not None


def test_serve_answers_on_loopback(tmp_path: Path) -> None:
    with _serve(tmp_path) as (base, _):
        response = httpx.get(f"{base}/api/v1/me", timeout=2)
        assert response.status_code == 401
        assert response.json()["error"] == "AuthenticationError"
        assert httpx.get(f"{base}/openapi.json").json()["info"]["title"] == "advocacy"
        login = httpx.get(f"{base}/login")
        assert login.status_code == 200 and "Sign in" in login.text
        assert "server" not in {name.lower() for name in login.headers}


def test_survey_links_are_not_written_to_the_access_log(tmp_path: Path) -> None:
    token = "c3VydmV5LWxpbmstc2VjcmV0.SIGNATURE-abc123"
    with _serve(tmp_path, env={"ADVOCACY_SECRET_KEY": "serve-test-key"}) as (base, output):
        assert httpx.get(f"{base}/s/{token}").status_code in (403, 404)
        assert httpx.post(f"{base}/s/{token}?x=1", data={"nps": "9"}).status_code in (403, 404)
        assert httpx.get(f"{base}/s/open/default").status_code == 200
    log = "\n".join(output)
    assert "SIGNATURE-abc123" not in log and "c3VydmV5" not in log
    assert '"GET /s/[link] HTTP/1.1" 4' in log
    assert '"POST /s/[link]?x=1 HTTP/1.1" 4' in log
    assert '"GET /s/open/default HTTP/1.1" 200' in log


def _failed_sign_ins(base: str, addresses: list[str]) -> list[int]:
    statuses = []
    for address in addresses:
        with httpx.Client(base_url=base, headers={"X-Forwarded-For": address}) as browser:
            # The cookie is Secure: over plain HTTP the test sends it back by hand.
            token = browser.get("/login").cookies.get("advocacy_login_csrf") or ""
            answer = browser.post(
                "/login",
                data={"username": "ada", "password": "not the password", "csrf_token": token},
                headers={"Cookie": f"advocacy_login_csrf={token}"},
            )
            statuses.append(answer.status_code)
    return statuses


def test_forwarded_addresses_count_only_from_the_named_proxy(tmp_path: Path) -> None:
    with advocacy.open(str(tmp_path / "ws.duckdb")) as ws:
        add_user(ws.db, "ada", role="admin", password=PASSWORD)
    limit = {"ADVOCACY_SIGN_IN_ATTEMPTS_PER_CLIENT": "2"}
    # By default no proxy is trusted: three "different" clients are one, and the third waits.
    with _serve(tmp_path, env=limit) as (base, _):
        assert _failed_sign_ins(base, ["198.51.100.1", "198.51.100.2", "198.51.100.3"]) == [
            401,
            401,
            429,
        ]
    # Told that 127.0.0.1 is the proxy, the server limits the clients it names, each on its own.
    with _serve(tmp_path, "--forwarded-allow-ips", "127.0.0.1", env=limit) as (base, _):
        assert _failed_sign_ins(base, ["198.51.100.4"] * 3 + ["198.51.100.5"]) == [
            401,
            401,
            429,
            401,
        ]
