"""``advocacy import --server URL --token T FILE``: the import, carried out by a running server.

A DuckDB workspace takes one process at a time, so while ``advocacy serve`` holds it the CLI
cannot open it; this posts the file to the server's ``POST /api/v1/imports`` instead (httpx,
already a dependency), which answers with the summary ``advocacy import --format json`` prints,
and reads the refused cells from ``GET /api/v1/imports/{id}/quarantine``. An error answer comes
back as the library error it was on the server (same message, fix, file, row and column).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from advocacy import errors
from advocacy.errors import AdvocacyError, InputError, UsageError

#: Seconds to wait for the server's answer: a large import takes minutes.
TIMEOUT = 3600.0


def _client(server: str, token: str) -> httpx.Client:
    if not server.startswith(("http://", "https://")):
        raise UsageError(
            "the server's address must start with http:// or https://",
            value=server,
            parameter="--server",
            fix="pass the address advocacy serve listens on, e.g. http://127.0.0.1:8000",
        )
    return httpx.Client(
        base_url=server.rstrip("/"),
        headers={"Authorization": f"Bearer {token}"},
        timeout=httpx.Timeout(TIMEOUT, connect=10.0),
    )


def _answer(response: httpx.Response, server: str) -> Any:
    """The JSON of a successful answer; an error answer raised as the library error it was."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if response.is_success and body is not None:
        return body
    if not isinstance(body, dict) or "message" not in body:
        raise AdvocacyError(
            f"the server at {server} answered {response.status_code} without an advocacy answer",
            fix="check that --server is the address of advocacy serve",
        )
    kind = getattr(errors, str(body.get("error")), None)
    error_class = (
        kind if isinstance(kind, type) and issubclass(kind, AdvocacyError) else AdvocacyError
    )
    raise error_class(
        str(body["message"]),
        fix=body.get("fix"),
        file=body.get("file"),
        row=body.get("row"),
        column=body.get("column"),
        value=body.get("value"),
        table=body.get("table"),
        parameter=body.get("parameter"),
    )


def _post(client: httpx.Client, server: str, path: str, **request: Any) -> Any:
    try:
        response = client.request(**request, url=path)
    except httpx.HTTPError as error:
        raise AdvocacyError(
            f"cannot reach the server at {server}: {error}",
            fix="check --server, and that advocacy serve runs there",
        ) from None
    return _answer(response, server)


def import_through_server(
    server: str,
    token: str,
    file: Path,
    *,
    kind: str,
    source: str = "auto",
    mapping: Path | None = None,
    dry_run: bool = False,
    strict: bool = False,
    cases: bool = True,
    case_window_days: int = 30,
    all_cases: bool = False,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Import ``file`` through the server at ``server``; return its summary and refused cells.

    Parameters
    ----------
    server
        The server's base address (``http://127.0.0.1:8000``).
    token
        An API token of a role that may write evidence (analyst or admin).
    file
        The file to import.
    kind, source, mapping, dry_run, strict, cases, case_window_days, all_cases
        As for ``advocacy import`` (the server runs the case rules as the CLI does).

    Returns
    -------
    tuple of dict and list of dict
        What ``advocacy import --format json`` prints, and the first quarantined cells.
    """
    for path, option in ((file, "FILE"), (mapping, "--map")):
        if path is not None and not path.is_file():
            raise InputError("no such file", file=str(path), parameter=option, fix="check the path")
    form = {
        "kind": kind, "source": source, "dry_run": str(dry_run), "strict": str(strict),
        "cases": str(cases), "case_window_days": str(case_window_days),
        "all_cases": str(all_cases),
    }  # fmt: skip
    with _client(server, token) as client, file.open("rb") as data:
        files: dict[str, Any] = {"file": (file.name, data, "application/octet-stream")}
        if mapping is not None:
            files["mapping"] = (mapping.name, mapping.read_bytes(), "application/yaml")
        summary: dict[str, Any] = _post(
            client, server, "/api/v1/imports", method="POST", data=form, files=files
        )
        cells: list[dict[str, Any]] = []
        if summary.get("rows_quarantined") and not dry_run:
            cells = _post(
                client,
                server,
                f"/api/v1/imports/{summary['import_id']}/quarantine",
                method="GET",
                params={"limit": 10},
            )
    return summary, cells
