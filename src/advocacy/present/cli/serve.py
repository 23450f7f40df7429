"""``advocacy serve``: the web app and REST API on the same workspace as the CLI."""

from __future__ import annotations

from typing import Annotated

import typer

from advocacy.present.cli.app import app, error_console
from advocacy.present.cli.options import DbOption

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
    db: DbOption = None,
) -> None:
    """Serve the web app and the REST API (/api/v1, OpenAPI at /openapi.json)."""
    import uvicorn

    from advocacy.present.web import create_app

    if host not in LOOPBACK:
        error_console.print(
            f"listening on {host}: serve it behind a reverse proxy that terminates HTTPS "
            "(session cookies are marked Secure)",
            markup=False,
            highlight=False,
        )
    uvicorn.run(
        create_app(db),
        host=host,
        port=port,
        proxy_headers=True,
        forwarded_allow_ips="127.0.0.1",
        server_header=False,
        log_level="info",
    )
