"""``advocacy serve``: the web app and REST API on the same workspace as the CLI."""

from __future__ import annotations

from typing import Annotated

import typer

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
    db: DbOption = None,
) -> None:
    """Serve the web app and the REST API (/api/v1, OpenAPI at /openapi.json)."""
    import uvicorn

    from advocacy.present.web import create_app

    proxies = current_settings(forwarded_allow_ips=forwarded_allow_ips).forwarded_allow_ips.strip()
    # A mistyped --db is an error here too, before the server starts on an empty workspace.
    open_workspace(db).close()

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
        # Only a named proxy may say who the client is; anyone else could claim any address.
        proxy_headers=bool(proxies),
        forwarded_allow_ips=proxies or None,
        server_header=False,
        log_level="info",
    )
