"""Requests run at once on a real server, each thread on its own database connection.

Sixteen clients read metrics and write responses at the same moment; every request succeeds,
every write is counted once, and reads agree with the data they could have seen.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx

from advocacy.present.web import create_app
from support.live_server import serving
from web.site import Site, bearer

CLIENTS = 16


def test_concurrent_reads_and_writes_all_succeed_and_agree(site: Site) -> None:
    analyst = bearer(site, "analyst")
    start = threading.Barrier(CLIENTS)
    with serving(create_app(site.url)) as base, httpx.Client(base_url=base, timeout=60) as http:

        def responses() -> int:
            status = http.get("/api/v1/status", headers=analyst)
            assert status.status_code == 200, status.text
            return int({t["table"]: t["rows"] for t in status.json()["tables"]}["responses"])

        before = responses()
        overall = http.get("/api/v1/metrics", headers=analyst).json()

        def client(number: int) -> tuple[int, int, list[dict[str, object]]]:
            start.wait()  # every client at once
            answer = {
                "response_id": f"concurrent-{number}",
                "submitted_at": "2026-05-01T10:00:00Z",
                "nps": number % 11,
            }
            written = http.post("/api/v1/responses", json=[answer], headers=analyst)
            read = http.get("/api/v1/metrics", headers=analyst)
            return written.status_code, read.status_code, read.json()

        with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
            outcomes = list(pool.map(client, range(CLIENTS)))

        assert [(written, read) for written, read, _ in outcomes] == [(200, 200)] * CLIENTS
        # Each read saw the workspace between "none of the writes" and "all of them".
        counts = [rows[0]["n"] for _, _, rows in outcomes]
        assert all(overall[0]["n"] <= count <= overall[0]["n"] + CLIENTS for count in counts)
        assert responses() == before + CLIENTS
        final = http.get("/api/v1/metrics", headers=analyst).json()
        assert final[0]["n"] == overall[0]["n"] + CLIENTS
