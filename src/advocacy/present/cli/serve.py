"""``advocacy serve``: the web app and REST API on the same workspace as the CLI.

With ``--workers N`` (PostgreSQL only: a DuckDB file is open in one process at a time) uvicorn
starts N processes sharing the listening socket; each opens the workspace and answers requests
on its own (see :func:`advocacy.present.web.app.worker_app` for what each holds for itself).
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
import secrets
import tempfile
from typing import Annotated, Any

import typer

from advocacy.errors import UsageError
from advocacy.present.cli.app import app, error_console, open_workspace
from advocacy.present.cli.options import DbOption
from advocacy.settings import current_settings

LOOPBACK = ("127.0.0.1", "::1", "localhost")


@app.command("serve")
def serve(
    host: Annotated[
        str,
        typer.Option(
            "--host",
            help="Address to listen on; loopback unless told otherwise (put a reverse proxy "
            "with HTTPS in front to expose it).",
        ),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port.")] = 8000,
    forwarded_allow_ips: Annotated[
        str | None,
        typer.Option(
            "--forwarded-allow-ips",
            help="Comma-separated addresses of the reverse proxies whose X-Forwarded-For header "
            "names the client (e.g. 127.0.0.1 for a proxy on this machine); rate limits and "
            "sign-in throttling then apply to that client. Default: the forwarded_allow_ips "
            "setting, empty: trust no proxy.",
        ),
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            min=1,
            max=64,
            help="Server processes (PostgreSQL workspaces only; a DuckDB workspace is served "
            "by one process). Each answers on its own: a page costs a core while it renders, "
            "so about one per core.",
        ),
    ] = 1,
    db: DbOption = None,
) -> None:
    """Serve the web app and the REST API (/api/v1, OpenAPI at /openapi.json)."""
    import uvicorn

    from advocacy.present.web import create_app
    from advocacy.present.web.app import WORKER_VARIABLE

    proxies = current_settings(forwarded_allow_ips=forwarded_allow_ips).forwarded_allow_ips.strip()
    # A mistyped --db is an error here too, before the server starts on an empty workspace.
    with open_workspace(db) as ws:
        dialect = ws.db.dialect
        url = ws.url
    if workers > 1 and dialect != "postgres":
        raise UsageError(
            f"--workers {workers}: a {dialect} workspace is open in one process at a time",
            parameter="--workers",
            value=str(workers),
            fix="serve it with one worker (leave out --workers), or move the workspace to "
            "PostgreSQL (--db postgresql://...) to serve it with several",
        )

    if host not in LOOPBACK:
        error_console.print(
            f"listening on {host}: serve it behind a reverse proxy that terminates HTTPS "
            "(session cookies are marked Secure)",
            markup=False,
            highlight=False,
        )
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        # Only a named proxy may say who the client is; anyone else could claim any address.
        "proxy_headers": bool(proxies),
        "forwarded_allow_ips": proxies or None,
        "server_header": False,
        "log_level": "info",
        # Idle keep-alive connections are closed after a minute, not uvicorn's 5 s: a client
        # (or a reverse proxy, whose idle timeouts are usually 60 s) sending on a connection
        # just as the server closes it gets a read error. The load benchmark met this.
        "timeout_keep_alive": 65,
    }
    if workers == 1:
        uvicorn.run(create_app(db), **options)
        return
    with tempfile.TemporaryDirectory(prefix="advocacy-uploads-") as uploads:
        # The worker processes are started afresh (spawned): they learn the workspace and the
        # folder they share the Import page's waiting uploads in from their environment,
        # and the secret sealing the results they share (one refresh for all of them).
        given = {"db": url, "uploads": uploads, "workers": workers}
        os.environ[WORKER_VARIABLE] = json.dumps({**given, "secret": secrets.token_hex(32)})
        try:
            uvicorn.run(
                "advocacy.present.web.app:worker_app",
                factory=True,
                workers=workers,
                log_config=_logging_with_pids(),
                **options,
            )
        finally:
            with contextlib.suppress(KeyError):
                del os.environ[WORKER_VARIABLE]


def _logging_with_pids() -> dict[str, Any]:
    """uvicorn's logging, each line starting with the id of the process that wrote it."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    for formatter in config["formatters"].values():
        formatter["fmt"] = "[%(process)d] " + formatter["fmt"]
    return config
