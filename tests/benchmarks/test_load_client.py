"""The load client of ``benchmarks/load.py`` sends the load it says and counts what it got.

The benchmark judges the server (docs/benchmarks.md, "Many users on PostgreSQL") by what this
client sends and counts, so the client is checked here against a recording HTTP server on
loopback: each user carries only its own session, each write is posted once with the writers'
token and a unique id, a write sent after its time is counted late, an error page is counted,
and the age a page states for its figures is read from anywhere in the page.
"""

from __future__ import annotations

import asyncio
import datetime
import json
from types import ModuleType
from typing import Any

import pytest

from support import require_module
from support.benchmark_modules import load_benchmark

SECRETS = {"sessions": ["s-ana", "s-vic", "s-hal"], "token": "writer-token", "customer": "C7"}
#: Most of a big page comes before the note, as on the real overview.
FILLER = b"<td>&lt;cell&gt;</td>" * 15_000


@pytest.fixture(scope="module")
def load() -> ModuleType:
    require_module("aiohttp", "pip install -e '.[dev]' (aiohttp)")
    return load_benchmark("load", module_name="load_benchmark")


async def _drive(load: ModuleType, *, write_delay: float, **options: Any) -> dict[str, Any]:
    """Run the load against a recording server; return the outcome and what the server saw."""
    from aiohttp import web

    seen: dict[str, list[Any]] = {"pages": [], "writes": []}

    async def page(request: web.Request) -> web.Response:
        seen["pages"].append((request.path_qs, request.headers.getall("Cookie", [])))
        if request.path == "/plans":
            return web.Response(status=503, text="busy")
        body = FILLER
        if request.path == "/":
            old = datetime.datetime.now(datetime.UTC) - datetime.timedelta(seconds=30)
            body += f"<p>Figures as of {old:%Y-%m-%d %H:%M:%S}</p>".encode()
        return web.Response(body=body, content_type="text/html")

    async def write(request: web.Request) -> web.Response:
        records = json.loads(await request.read())
        seen["writes"].append((records, request.headers.get("Authorization")))
        await asyncio.sleep(write_delay)
        return web.json_response({"written": len(records)})

    app = web.Application()
    app.router.add_post("/api/v1/responses", write)
    app.router.add_get("/{tail:.*}", page)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        outcome = await load.run_load(f"http://127.0.0.1:{port}", SECRETS, run="t", **options)
    finally:
        await runner.cleanup()
    return {**outcome, "seen": seen}


def test_users_writes_errors_and_figures_age_are_counted_as_sent(load: ModuleType) -> None:
    outcome = asyncio.run(
        _drive(
            load,
            write_delay=0.0,
            users=3,
            writes_per_second=40,
            seconds=1.0,
            think=0.05,
            warm_up=0.3,
            write_workers=4,
        )
    )
    seen = outcome["seen"]
    cookies = {tuple(cookie) for _, cookie in seen["pages"]}
    assert cookies == {(f"advocacy_session={secret}",) for secret in SECRETS["sessions"]}
    assert {path for path, _ in seen["pages"]} <= set(load.pages("C7"))
    # every write due in the counted second, once, with the token, in order of its due time
    expected = [f"LOAD-t-{number}" for number in range(40)]
    posted = [records[0]["response_id"] for records, _ in seen["writes"]]
    assert sorted(posted, key=lambda name: int(name.rsplit("-", 1)[1])) == expected
    assert {token for _, token in seen["writes"]} == {"Bearer writer-token"}
    assert sorted(outcome["acknowledged"]) == sorted(expected)
    assert outcome["unanswered"] == []
    assert outcome["requests"] == len(seen["pages"]) + len(seen["writes"])
    # pages begun in the warm-up are sent but not timed
    assert 0 < len(outcome["timings"]) < len(seen["pages"])
    counted = [path for path, _ in outcome["timings"]]
    assert outcome["errors"] == ["/plans: 503"] * counted.count("/plans")
    ages = dict(zip(counted, outcome["ages"], strict=True))
    assert "/" in ages and 30 <= ages["/"] < 40
    assert all(age == 0 for path, age in ages.items() if path != "/")


def test_a_write_sent_after_its_time_is_counted_late(load: ModuleType) -> None:
    # one writer, 20 writes due a second, each answered after 0.3 s: after the first, every
    # write goes out more than 0.1 s after its time
    outcome = asyncio.run(
        _drive(
            load,
            write_delay=0.3,
            users=0,
            writes_per_second=20,
            seconds=1.0,
            think=1.0,
            warm_up=0.0,
            write_workers=1,
        )
    )
    sent = [records[0]["response_id"] for records, _ in outcome["seen"]["writes"]]
    assert 3 <= len(sent) <= 4
    assert sent == [f"LOAD-t-{number}" for number in range(len(sent))]
    assert outcome["acknowledged"] == sent
    assert outcome["late"] == len(sent) - 1
