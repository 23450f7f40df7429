"""Benchmark: the hosted survey endpoint takes 200 submissions/s for a minute, none lost.

Goal (issue #8): ``POST /s/{token}`` sustains 200 submissions per second on loopback for 60 s,
every submission stored as a response and every rule applied to it (every detractor, NPS <= 6,
has its case). The script

1. builds a demo workspace (DuckDB; ``--customers``) with the default case rules and the
   default survey, adds one fresh customer per submission (segment ``benchmark``) and creates
   a signed link for each through :func:`advocacy.loop.surveys.invitations.links_for_segment`;
2. serves the app with uvicorn on a loopback port (in this process, as ``advocacy serve``
   would);
3. runs the client in a separate process (so it does not take the server's CPU): an open-loop
   load at ``--rate`` submissions/s for ``--seconds`` s from 128 asyncio workers on keep-alive
   connections (HTTP/1.1 written by hand: it must cost far less CPU than the server), each a
   form post with seeded answers (a quarter of them detractors, with comments). The client
   signs each form's nonce itself with the shared key instead of fetching the form first, so
   the load is the submissions alone;
4. stops the server and checks the database: one response per answered submission, the
   invitation marked answered, a case for every detractor; and prints the achieved rate,
   latency percentiles and the counts. It exits 1 when the rate falls short of 98 % of the
   target, any request failed, or anything was lost.

Run: ``.venv/bin/python benchmarks/loop.py [--rate 200] [--seconds 60] [--dir DIR]``
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import platform
import random
import socket
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import numpy as np
import uvicorn

COMMENTS_BAD = (
    "The parcel arrived a week late and nobody told me why.",
    "Support kept me on hold for forty minutes.",
    "The lamp arrived broken and the refund took three weeks.",
    "Checkout charged me twice.",
)
COMMENTS_GOOD = ("Quick delivery, lovely lamp.", "Friendly help in the shop.", "")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def prepare(directory: Path, *, customers: int, links: int) -> tuple[str, list[str]]:
    """Build the workspace and return its path and ``links`` signed tokens."""
    import advocacy
    from advocacy.demo.build import build_demo
    from advocacy.loop.cases.rule_store import ensure_default_rules
    from advocacy.loop.surveys.definitions import ensure_default_survey
    from advocacy.loop.surveys.invitations import links_for_segment

    build_demo(directory, customers=customers, seed=11)
    url = str(directory / "advocacy.duckdb")
    with advocacy.open(url) as ws:
        ensure_default_rules(ws.db)
        ensure_default_survey(ws.db)
        ws.db.execute(
            "INSERT INTO customers (customer_id, segment, is_stub) "
            "SELECT 'bench-' || i, 'benchmark', false FROM range(?) AS t(i)",
            [links],
        )
        result = links_for_segment(
            ws.db, survey_id="default", settings=ws.settings, segment="benchmark"
        )
    return url, [link["token"] for link in result.links]


def _answers(rng: random.Random) -> tuple[dict[str, str], bool]:
    detractor = rng.random() < 0.25
    nps = rng.randint(0, 6) if detractor else rng.randint(7, 10)
    comment = rng.choice(COMMENTS_BAD if detractor else COMMENTS_GOOD)
    return {"nps": str(nps), "csat": str(rng.randint(1, 5)), "comment": comment}, detractor


class _Connection:
    """One keep-alive HTTP/1.1 connection that posts forms; a plain asyncio stream, no library.

    A benchmark client must cost far less CPU than the server it loads, and both share this
    machine's cores: httpx spent about as much CPU per request as the server did, so the load
    is written and read by hand (request line, three headers, the form; status line,
    ``Content-Length`` and the body back).
    """

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post_form(self, path: str, form: dict[str, str]) -> tuple[int, bytes]:
        body = urlencode(form).encode()
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode()
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(head + body)
        header = await self.reader.readuntil(b"\r\n\r\n")
        lines = header.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        fields = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
        length = int({k.lower(): v for k, v in fields.items()}.get("content-length", "0"))
        content = await self.reader.readexactly(length)
        if any(k.lower() == "connection" and v.lower() == "close" for k, v in fields.items()):
            await self.close()
        return status, content

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None


async def _load(
    base: str, tokens: list[str], rate: float, seconds: float, workers: int = 128
) -> dict[str, Any]:
    """Send ``rate`` x ``seconds`` submissions on schedule from ``workers`` coroutines.

    Request i is due at ``start + i / rate``; a free worker takes the next one and waits for
    its time. Each worker keeps one connection, so the load is ``workers`` keep-alive
    connections, as a browser-facing proxy in front of the server would hold.
    """
    from advocacy.loop.surveys.signing import form_nonce
    from advocacy.settings import current_settings

    secret = current_settings().secret_key  # the server's: this process has its environment
    host, port = base.removeprefix("http://").rsplit(":", 1)
    rng = random.Random(8)
    total = min(len(tokens), int(rate * seconds))
    latencies: list[float] = []
    failures: list[str] = []
    detractors: list[str] = []
    sent: list[str] = []
    late = 0
    following = iter(range(total))
    start = time.perf_counter() + 0.5

    async def worker() -> None:
        nonlocal late
        connection = _Connection(host, int(port))
        for index in following:
            token = tokens[index]
            delay = start + index / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            elif delay < -0.1:
                late += 1  # every worker was busy: the server is behind
            answers, detractor = _answers(rng)
            answers["nonce"] = form_nonce(token, secret=secret)
            began = time.perf_counter()
            try:
                status, content = await connection.post_form(f"/s/{token}", answers)
            except (OSError, asyncio.IncompleteReadError, ValueError) as error:
                failures.append(f"{type(error).__name__}: {error}")
                await connection.close()
                continue
            latencies.append(time.perf_counter() - began)
            if status != 200 or b"Thank you" not in content:
                failures.append(f"HTTP {status}")
                continue
            sent.append(token)
            if detractor:
                detractors.append(token)
        await connection.close()

    await asyncio.gather(*(worker() for _ in range(workers)))
    elapsed = time.perf_counter() - start
    return {
        "attempted": total,
        "answered": len(sent),
        "elapsed": elapsed,
        "late": late,
        "latencies": latencies,
        "failures": failures,
        "answered_tokens": sent,
        "detractor_tokens": detractors,
    }


def _client(base: str, tokens: list[str], rate: float, seconds: float, out: Any) -> None:
    out.put(asyncio.run(_load(base, tokens, rate, seconds)))


def verify(url: str, answered: list[str], detractors: list[str]) -> dict[str, int]:
    """Count what reached the database for the answered and detractor tokens."""
    import advocacy
    from advocacy.loop.surveys.signing import verify_link

    with advocacy.open(url) as ws:

        def ids(tokens: list[str]) -> list[str]:
            secret = ws.settings.secret_key
            return ["web-" + verify_link(token, secret=secret).invitation_id for token in tokens]

        ws.db.execute("CREATE TEMPORARY TABLE bench_answered (response_id TEXT)")
        ws.db.execute("CREATE TEMPORARY TABLE bench_detractors (response_id TEXT)")
        for table, values in (
            ("bench_answered", ids(answered)),
            ("bench_detractors", ids(detractors)),
        ):
            for start in range(0, len(values), 1000):
                chunk = values[start : start + 1000]
                marks = ", ".join("(?)" for _ in chunk)
                if chunk:
                    ws.db.execute(f"INSERT INTO {table} VALUES {marks}", chunk)

        def count(sql: str) -> int:
            row = ws.db.fetchone(sql)
            return int(row[0]) if row else 0

        return {
            "responses stored": count(
                "SELECT count(*) FROM bench_answered a JOIN responses r USING (response_id)"
            ),
            "invitations marked answered": count(
                "SELECT count(*) FROM bench_answered a "
                "JOIN survey_invitations i ON i.response_id = a.response_id "
                "WHERE i.responded_at IS NOT NULL"
            ),
            "detractors with a case": count(
                "SELECT count(DISTINCT d.response_id) FROM bench_detractors d "
                "JOIN cases c ON c.evidence_kind = 'responses' AND c.evidence_id = d.response_id"
            ),
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=200.0, help="submissions per second")
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the load")
    parser.add_argument("--customers", type=int, default=1000, help="demo customers")
    parser.add_argument("--dir", type=Path, default=None, help="work folder (default: temp)")
    options = parser.parse_args()
    os.environ.setdefault("ADVOCACY_SECRET_KEY", "benchmark-key-" + "x" * 24)
    port = _free_port()
    os.environ["ADVOCACY_PUBLIC_URL"] = f"http://127.0.0.1:{port}"
    directory = options.dir or Path(tempfile.mkdtemp(prefix="advocacy-loop-bench-"))
    links = int(options.rate * options.seconds)
    began = time.perf_counter()
    url, tokens = prepare(directory, customers=options.customers, links=links)
    print(
        f"prepared {directory}: demo of {options.customers} customers, {len(tokens):,} links "
        f"in {time.perf_counter() - began:.1f} s"
    )

    from advocacy.present.web import create_app

    app = create_app(url)
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    while app.state.web.warming:  # let the start-up warm-up of the overview finish
        time.sleep(0.1)

    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    client = context.Process(
        target=_client,
        args=(f"http://127.0.0.1:{port}", tokens, options.rate, options.seconds, results),
    )
    client.start()
    outcome = results.get()
    client.join()
    writer = getattr(app.state, "survey_writer", None)
    server.should_exit = True
    thread.join(10)

    counts = verify(url, outcome["answered_tokens"], outcome["detractor_tokens"])
    latencies = np.array(outcome["latencies"]) * 1000
    achieved = outcome["answered"] / outcome["elapsed"]
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f}, Python {platform.python_version()}"
    )
    print(f"target: {options.rate:.0f} submissions/s for {options.seconds:.0f} s")
    print(
        f"attempted {outcome['attempted']:,}, answered {outcome['answered']:,}, "
        f"failed {len(outcome['failures']):,} in {outcome['elapsed']:.1f} s; "
        f"{outcome['late']:,} sent over 100 ms late (all workers busy)"
    )
    print(
        f"achieved {achieved:.1f} submissions/s; "
        f"latency p50 {np.percentile(latencies, 50):.1f} ms, "
        f"p95 {np.percentile(latencies, 95):.1f} ms, p99 {np.percentile(latencies, 99):.1f} ms, "
        f"max {latencies.max():.1f} ms"
    )
    if writer is not None:
        print(
            f"group commit: {writer.batches:,} batches, "
            f"{writer.committed / max(writer.batches, 1):.1f} submissions per batch"
        )
    for name, value in counts.items():
        print(f"{name}: {value:,}")
    detractors = len(outcome["detractor_tokens"])
    print(f"detractors answered: {detractors:,}")
    if outcome["failures"]:
        print("first failures:", sorted(set(outcome["failures"]))[:5])
    lost = (
        outcome["answered"]
        - counts["responses stored"]
        + outcome["answered"]
        - counts["invitations marked answered"]
        + detractors
        - counts["detractors with a case"]
    )
    ok = achieved >= 0.98 * options.rate and not outcome["failures"] and lost == 0
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
