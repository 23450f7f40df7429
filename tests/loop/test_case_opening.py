"""Opening cases in bulk: a batch writes exactly the rows of opening its cases one at a time.

Runs on DuckDB and PostgreSQL (``db_url``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

import advocacy
from advocacy.access import add_user
from advocacy.loop.cases.opening import open_cases_for
from advocacy.loop.cases.rule_format import parse_rules
from advocacy.loop.cases.rule_store import replace_rules
from advocacy.settings import Settings
from advocacy.workspace import Workspace

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
RULES = """\
rules:
  - id: detractor
    name: Detractor follow-up
    trigger: nps_at_most
    params: {threshold: 6}
    routes: [{unit: North, owner: hal}, {touchpoint: billing, owner: bea}]
    default_owner: ana
    due_hours: 48
    priority: high
  - id: champion
    name: Champion turned detractor
    trigger: champion_turned_detractor
    default_owner: ana
    due_hours: 24
    priority: urgent
"""
RESPONSES = [
    {"response_id": "r1", "customer_id": "C1", "submitted_at": "2026-03-01T10:00:00Z",
     "nps": 3, "unit": "North", "touchpoint": "billing", "comment": "Call me on 555 0100."},
    {"response_id": "r2", "customer_id": "C2", "submitted_at": "2026-03-01T11:00:00Z",
     "nps": 5, "unit": "South", "touchpoint": "billing"},
    {"response_id": "r3", "customer_id": "C3", "submitted_at": "2026-03-01T12:00:00Z",
     "nps": 10, "unit": "South"},
    {"response_id": "r4", "customer_id": "C4", "submitted_at": "2026-01-05T12:00:00Z",
     "nps": 10, "unit": "South"},
    {"response_id": "r5", "customer_id": "C4", "submitted_at": "2026-03-01T12:00:00Z",
     "nps": 2, "unit": "West"},
]  # fmt: skip
IDS = ["r1", "r2", "r3", "r5"]


#: E-mail and one webhook on, case links under this address.
CHANNELS = Settings(
    public_url="https://cx.example.test/",
    smtp_host="smtp.example.test",
    webhook_urls="https://hooks.example.test/a",
)


def _workspace(url: str) -> advocacy.Workspace:
    workspace = advocacy.open(url, settings=CHANNELS)
    replace_rules(workspace.db, parse_rules(RULES), actor="ada", now=NOW)
    workspace.write_records("responses", RESPONSES, actor="test")
    for name, email in (("hal", "hal@example.test"), ("bea", None), ("ana", "ana@example.test")):
        add_user(workspace.db, name, role="analyst", password="a long password", email=email)
    return workspace


@pytest.fixture
def ws(db_url: str) -> Iterator[Workspace]:
    with _workspace(db_url) as workspace:
        yield workspace


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    if isinstance(value, str) and value[:1] in "{[":
        return json.loads(value)
    return value


def _rows(ws: Workspace) -> dict[str, list[tuple[Any, ...]]]:
    """What opening wrote, without the random ids (event, audit and message ids)."""
    queries = {
        "cases": "SELECT * FROM cases ORDER BY case_id",
        "case_events": "SELECT case_id, occurred_at, actor, kind, from_status, to_status, text, "
        "detail FROM case_events ORDER BY case_id",
        "audit": "SELECT occurred_at, actor, action, target, detail FROM audit_log "
        "WHERE substr(action, 1, 5) = 'case.' ORDER BY target",
        "outbox": "SELECT channel, destination, event, subject, payload, created_at, attempts, "
        "next_attempt_at, delivered_at, last_error, gave_up_at FROM outbox "
        "ORDER BY subject, channel, destination",
    }
    return {
        name: [tuple(_plain(value) for value in row) for row in ws.db.fetchall(sql)]
        for name, sql in queries.items()
    }


def _forget_cases(ws: Workspace) -> None:
    for sql in (
        "DELETE FROM cases",
        "DELETE FROM case_events",
        "DELETE FROM audit_log WHERE substr(action, 1, 5) = 'case.'",
        "DELETE FROM outbox",
    ):
        ws.db.execute(sql)


@pytest.mark.parametrize("backfill", [False, True])
def test_a_batch_writes_the_rows_of_opening_one_case_at_a_time(
    ws: Workspace, backfill: bool
) -> None:
    batch = open_cases_for(
        ws.db, "responses", IDS, settings=ws.settings, now=NOW, backfill=backfill
    )
    in_batch = _rows(ws)
    _forget_cases(ws)
    one_by_one = [
        case
        for evidence_id in IDS
        for case in open_cases_for(
            ws.db, "responses", [evidence_id], settings=ws.settings, now=NOW, backfill=backfill
        )
    ]
    assert sorted(batch, key=lambda case: case.case_id) == sorted(
        one_by_one, key=lambda case: case.case_id
    )
    assert _rows(ws) == in_batch
    assert [len(in_batch[name]) for name in ("cases", "case_events", "audit", "outbox")] == [
        3,
        3,
        3,
        5,  # webhooks for all three; e-mail for hal and ana (bea has no address)
    ]
    opened = {case.case_id: case.opened_at for case in batch}
    if backfill:  # each case opens at its evidence's own time, and so does what it wrote
        assert opened["case-bbcd404b30f0"] == datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
    assert {row[0]: row[1] for row in in_batch["case_events"]} == opened
    assert {row[3]: row[0] for row in in_batch["audit"]} == opened
    assert {row[4]["case_id"]: row[5] for row in in_batch["outbox"]} == opened


def test_opening_writes_exactly_these_rows(ws: Workspace) -> None:
    # The rows the one-statement-per-row path wrote before opening went in bulk.
    open_cases_for(ws.db, "responses", IDS, settings=ws.settings, now=NOW)
    rows = _rows(ws)
    due = NOW + timedelta(hours=48)
    case_id = "case-bbcd404b30f0"  # rule detractor on r1, routed to hal by unit North
    assert [row for row in rows["cases"] if row[0] == case_id] == [
        (case_id, "detractor", "C1", "responses", "r1", "North", "billing", None, None, "hal",
         "new", "high", "NPS 3 (at most 6)", NOW, due, None, None, None, None, 0, None, None, 3,
         NOW),
    ]  # fmt: skip
    assert [row for row in rows["case_events"] if row[0] == case_id] == [
        (case_id, NOW, "rules", "open", None, "new", "NPS 3 (at most 6)",
         {"owner": "hal", "rule": "detractor"}),
    ]  # fmt: skip
    assert [row for row in rows["audit"] if row[3] == case_id] == [
        (NOW, "rules", "case.open", case_id,
         {"from": "new", "owner": "hal", "rule": "detractor", "to": "new"}),
    ]  # fmt: skip
    payload = {
        "case_id": case_id,
        "customer_id": "C1",
        "due_at": "2026-03-04T09:00:00+00:00",
        "owner": "hal",
        "priority": "high",
        "rule": "Detractor follow-up",
        "status": "new",
        "summary": "NPS 3 (at most 6)",
        "unit": "North",
        "url": f"https://cx.example.test/cases/{case_id}",
    }
    subject = f"Case {case_id} opened: NPS 3 (at most 6)"
    assert [row for row in rows["outbox"] if row[4]["case_id"] == case_id] == [
        ("email", "hal@example.test", "case.opened", subject, payload, NOW, 0, NOW, None, None,
         None),
        ("webhook", "https://hooks.example.test/a", "case.opened", subject, payload, NOW, 0, NOW,
         None, None, None),
    ]  # fmt: skip
    event_ids = [row[0] for row in ws.db.fetchall("SELECT event_id FROM case_events")]
    assert all(len(event_id) == 28 for event_id in event_ids)
