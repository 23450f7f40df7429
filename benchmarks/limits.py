"""Benchmark: what the request limits cost a request, against the same request without them.

Bounded input (issue #15.4) puts :class:`advocacy.present.web.limits.RequestLimits` in front of
every route: it counts the body as it arrives, keeps it (at most ``max_body_bytes``), parses JSON
once under the nesting and text limits and checks URL-encoded form fields. This times, in one
process and one run, an ASGI app that reads the whole body with and without that middleware,
alternating the two so both face the same machine load, for three bodies:

- a survey answer form (URL-encoded, about 300 bytes), the hosted survey's request;
- a small API write (one record as JSON, about 200 bytes);
- the largest API write the default limits accept (49 records with 19,900-character comments,
  about 1 MB of JSON), which the middleware parses and walks whole.

The goal: the limits add well under a millisecond to the small requests, and under 20 ms to the
largest write (which then spends far longer in validation and the database).

Run: ``.venv/bin/python benchmarks/limits.py [--repeat 300]``
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlencode

from starlette.responses import Response
from starlette.types import Message, Receive, Scope, Send

from advocacy.ingest.limits import InputLimits
from advocacy.present.web.limits import RequestLimits

Responder = Callable[[Any, Any], Awaitable[Response]]


async def reader(scope: Scope, receive: Receive, send: Send) -> None:
    """An app that reads the whole body, as a route does, and answers 200."""
    size = 0
    more = True
    while more:
        message = await receive()
        size += len(message.get("body", b""))
        more = bool(message.get("more_body", False))
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": str(size).encode()})


async def _refuse(request: Any, error: Any) -> Response:
    raise AssertionError(f"the benchmark's bodies are within the limits: {error}")


def _scope(content_type: str, size: int) -> Scope:
    return {
        "type": "http",
        "method": "POST",
        "path": "/bench",
        "raw_path": b"/bench",
        "query_string": b"",
        "root_path": "",
        "scheme": "http",
        "server": ("127.0.0.1", 8000),
        "client": ("127.0.0.1", 50000),
        "headers": [
            (b"content-type", content_type.encode()),
            (b"content-length", str(size).encode()),
        ],
        "app": None,
    }


async def _once(app: Any, content_type: str, body: bytes, chunk: int = 65_536) -> float:
    parts = [body[start : start + chunk] for start in range(0, len(body), chunk)] or [b""]
    messages: list[Message] = [
        {"type": "http.request", "body": part, "more_body": index < len(parts) - 1}
        for index, part in enumerate(parts)
    ]

    async def receive() -> Message:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        return None

    started = time.perf_counter()
    await app(_scope(content_type, len(body)), receive, send)
    return time.perf_counter() - started


def _bodies() -> dict[str, tuple[str, bytes]]:
    form = urlencode(
        {
            "nonce": "n" * 120,
            "nps": "3",
            "csat": "2",
            "comment": "The parcel came two days late and nobody answered the phone.",
        }
    ).encode()
    small = json.dumps([{"note_id": "n-1", "customer_id": "C00042", "text": "Called back"}])
    sentence = "the delivery was late and the parcel arrived damaged, nobody answered. "
    comment = (sentence * 300)[:19_900]
    large = json.dumps(
        [
            {"response_id": f"r-{i}", "nps": 2, "comment": comment, "unit": "North"}
            for i in range(49)
        ]
    )
    return {
        "survey form, 0.3 KB": ("application/x-www-form-urlencoded", form),
        "API write, 1 record": ("application/json", small.encode()),
        "API write, 49 x 19,900 chars": ("application/json", large.encode()),
    }


async def run(repeat: int) -> None:
    limited = RequestLimits(reader, limits=InputLimits(), respond=_refuse)
    print(f"{'body':<32} {'bytes':>9} {'without (ms)':>13} {'with (ms)':>10} {'added (ms)':>11}")
    for name, (content_type, body) in _bodies().items():
        bare: list[float] = []
        checked: list[float] = []
        for _ in range(repeat):  # alternate, so both see the same load
            bare.append(await _once(reader, content_type, body))
            checked.append(await _once(limited, content_type, body))
        without, with_limits = statistics.median(bare) * 1e3, statistics.median(checked) * 1e3
        print(
            f"{name:<32} {len(body):>9,} {without:>13.3f} {with_limits:>10.3f} "
            f"{with_limits - without:>11.3f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--repeat", type=int, default=300, help="requests per body and variant")
    options = parser.parse_args()
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} cores, load average "
        f"{os.getloadavg()[0]:.1f}, Python {platform.python_version()}; medians of "
        f"{options.repeat}"
    )
    asyncio.run(run(options.repeat))
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
