"""Concurrent API writes on a live server are committed in groups, each answered on its own.

Forty clients post at the same moment to a real server over HTTP, on DuckDB and on
PostgreSQL: single answers (detractors among them, whose case must come back in their own
answer), a retry of one answer sent twice at once, and a write with a bad second record. The
server commits them in far fewer batches than writes; every client gets its own counts, cases
or errors, the bad write alone is refused, and the database holds every acknowledged answer
exactly once.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

import advocacy
from advocacy.access import create_token
from advocacy.loop.cases.rule_format import DEFAULT_RULES
from advocacy.present.web import create_app
from support.live_server import serving

SINGLE = 34
CLIENTS = SINGLE + 2 + 1  # the singles, one answer sent twice, one bad write


def _answer(response_id: str, nps: int) -> dict[str, Any]:
    return {
        "response_id": response_id,
        "customer_id": f"C{nps}",
        "submitted_at": "2026-06-01T09:30:00Z",
        "unit": "North",
        "nps": nps,
        "comment": f"answer <b>{response_id}</b> =1+1",
    }


def _writes() -> list[list[dict[str, Any]]]:
    writes = [[_answer(f"G{number}", number % 11)] for number in range(SINGLE)]
    writes += [[_answer("RETRY", 10)], [_answer("RETRY", 10)]]
    writes.append([_answer("BAD-0", 8), {**_answer("BAD-1", 8), "nps": "eleven"}])
    return writes


def test_concurrent_writes_are_grouped_and_each_answered_alone(db_url: str) -> None:
    with advocacy.open(db_url) as ws:
        ws.cases.load_rules(DEFAULT_RULES)  # detractors (NPS 0-6) get a case
        token = create_token(ws.db, role="analyst", name="writer").secret
    headers = {"Authorization": f"Bearer {token}"}
    ws = advocacy.open(db_url)
    app = create_app(workspace=ws)
    writes = _writes()
    start = threading.Barrier(CLIENTS)
    try:
        with serving(app) as base, httpx.Client(base_url=base, timeout=120) as http:

            def post(records: list[dict[str, Any]]) -> tuple[int, Any]:
                start.wait()
                answer = http.post("/api/v1/responses", json=records, headers=headers)
                return answer.status_code, answer.json()

            with ThreadPoolExecutor(max_workers=CLIENTS) as clients:
                answers = list(clients.map(post, writes))
        writer = app.state.record_writer
        stored = dict(ws.db.fetchall("SELECT response_id, count(*) FROM responses GROUP BY 1"))
        ledger = ws.db.fetchall("SELECT import_id, rows_read, rows_loaded FROM imports")
        cases = ws.db.fetchall("SELECT evidence_id, count(*) FROM cases GROUP BY 1")
    finally:
        ws.close()

    singles, retries, (bad_status, bad) = answers[:SINGLE], answers[SINGLE:-1], answers[-1]
    for number, (status, body) in enumerate(singles):
        assert status == 200, body
        assert (body["received"], body["inserted"], body["updated"]) == (1, 1, 0)
        detractor = number % 11 <= 6
        # Its own case, and only its own: the rules ran over the whole batch at once.
        assert [case["evidence_id"] for case in body["cases"]] == (
            [f"G{number}"] if detractor else []
        ), body
    # The same answer sent twice at once: stored once, one write inserted it, the other found it.
    assert [status for status, _ in retries] == [200, 200]
    assert sorted((b["inserted"], b["unchanged"]) for _, b in retries) == [(0, 1), (1, 0)]
    # The bad write is refused whole, with its own record numbered as it sent them.
    assert bad_status == 422
    assert [(e["row"], e["column"], e["value"]) for e in bad["errors"]] == [(1, "nps", "eleven")]
    assert "BAD-0" not in stored and "BAD-1" not in stored
    assert stored == {**{f"G{n}": 1 for n in range(SINGLE)}, "RETRY": 1}
    # Each write that was taken has its own import, with its own counts.
    import_ids = {body["import_id"] for _, body in singles + retries}
    assert len(import_ids) == SINGLE + 2
    assert {row[0] for row in ledger} == import_ids
    assert dict(cases) == {f"G{n}": 1 for n in range(SINGLE) if n % 11 <= 6}
    # Grouped: far fewer commits than writes.
    assert writer.committed == SINGLE + 2
    assert writer.batches < (SINGLE + 3) / 2, writer.batches


def test_small_writes_and_large_ones_are_answered_alike(postgres_url: str) -> None:
    # A write of a few records is mapped on the event loop, a large one on the writes'
    # threads (api/writes.py INLINE_RECORDS, INLINE_BYTES): the same answers either way.
    with advocacy.open(postgres_url) as ws:
        token = create_token(ws.db, role="analyst", name="writer").secret
    headers = {"Authorization": f"Bearer {token}"}
    large = [_answer(f"L{number}", 9) for number in range(60)]
    bad_large = [*large[:30], {**_answer("LBAD", 9), "nps": "eleven"}]
    with (
        serving(create_app(postgres_url)) as base,
        httpx.Client(base_url=base, timeout=120) as http,
    ):
        small = http.post("/api/v1/responses", json=[_answer("S1", 9)], headers=headers)
        written = http.post("/api/v1/responses", json={"records": large}, headers=headers)
        again = http.post("/api/v1/responses", json=large, headers=headers)
        refused = http.post("/api/v1/responses", json=bad_large, headers=headers)
    assert small.status_code == 200 and small.json()["inserted"] == 1
    assert written.status_code == 200, written.text
    assert (written.json()["received"], written.json()["inserted"]) == (60, 60)
    assert (again.json()["inserted"], again.json()["unchanged"]) == (0, 60)
    assert refused.status_code == 422
    assert [(e["row"], e["value"]) for e in refused.json()["errors"]] == [(30, "eleven")]
    with advocacy.open(postgres_url) as ws:
        stored = ws.db.fetchone("SELECT count(*) FROM responses")
    assert stored == (61,)
