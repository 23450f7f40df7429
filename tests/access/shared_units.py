"""A small workspace whose customers sit in North, South or both, for the unit-limit tests.

- ``A`` (Ada Northcott) is wholly North: a response, an interaction, a note, a purchase, a
  referral she made (of ``C``), a case;
- ``B`` (Bo Sharp) is shared: a response, an interaction and a case in North and in South, a
  mention in South, a note and a purchase (which have no unit);
- ``C`` (Cy Southey) is wholly South: a response, and a referral of a contact;
- ``D`` (Di Nulty) has a North response and a mention without a unit, and a note;
- employees and employee answers in each unit, and a target (which has no unit rule).

Every text names its customer and unit (``"B south comment"``), so a test can tell what leaked.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from advocacy.access.roles import Principal, Role
from advocacy.loop.cases.opening import open_cases_for
from advocacy.loop.cases.rules import Rule
from advocacy.workspace import Workspace

NORTH_HANDLER = Principal("hal", Role.case_handler, ("North",))
ANALYST = Principal("ana", Role.analyst)
VIEWER = Principal("vic", Role.viewer)

RECORDS: dict[str, list[dict[str, Any]]] = {
    "customers": [
        {"customer_id": "A", "name": "Ada Northcott", "email": "ada@north.example",
         "segment": "household"},
        {"customer_id": "B", "name": "Bo Sharp", "email": "bo@shared.example",
         "segment": "business"},
        {"customer_id": "C", "name": "Cy Southey", "email": "cy@south.example",
         "segment": "household"},
        {"customer_id": "D", "name": "Di Nulty", "email": "di@null.example",
         "segment": "business"},
    ],
    "responses": [
        {"response_id": "rA", "customer_id": "A", "unit": "North", "nps": 2,
         "channel": "web", "submitted_at": "2026-01-05T10:00:00Z", "comment": "A north comment"},
        {"response_id": "rB1", "customer_id": "B", "unit": "North", "nps": 1,
         "channel": "web", "submitted_at": "2026-01-06T10:00:00Z", "comment": "B north comment"},
        {"response_id": "rB2", "customer_id": "B", "unit": "South", "nps": 0,
         "channel": "phone", "submitted_at": "2026-01-07T10:00:00Z", "comment": "B south comment"},
        {"response_id": "rC", "customer_id": "C", "unit": "South", "nps": 9,
         "channel": "web", "submitted_at": "2026-01-08T10:00:00Z", "comment": "C south comment"},
        {"response_id": "rD", "customer_id": "D", "unit": "North", "nps": 8,
         "channel": "web", "submitted_at": "2026-01-09T10:00:00Z", "comment": "D north comment"},
    ],
    "response-items": [
        {"response_id": "rB1", "item": "Prompt service", "kind": "rating", "value": 2,
         "scale_min": 1, "scale_max": 5},
        {"response_id": "rB2", "item": "Prompt service", "kind": "rating", "value": 1,
         "scale_min": 1, "scale_max": 5},
    ],
    "interactions": [
        {"interaction_id": "iA", "customer_id": "A", "unit": "North",
         "occurred_at": "2026-01-02T10:00:00Z", "outcome": "A north call"},
        {"interaction_id": "iB1", "customer_id": "B", "unit": "North",
         "occurred_at": "2026-01-03T10:00:00Z", "outcome": "B north call"},
        {"interaction_id": "iB2", "customer_id": "B", "unit": "South",
         "occurred_at": "2026-01-04T10:00:00Z", "outcome": "B south call"},
    ],
    "mentions": [
        {"mention_id": "mB", "customer_id": "B", "unit": "South", "platform": "trustpilot",
         "posted_at": "2026-01-10T10:00:00Z", "text": "B south mention"},
        {"mention_id": "mD", "customer_id": "D", "platform": "x",
         "posted_at": "2026-01-11T10:00:00Z", "text": "D mention without a unit"},
    ],
    "notes": [
        {"note_id": "nA", "customer_id": "A", "taken_at": "2026-01-12T10:00:00Z",
         "interviewer": "Sam Field", "text": "A note"},
        {"note_id": "nB", "customer_id": "B", "taken_at": "2026-01-13T10:00:00Z",
         "interviewer": "Sam Field", "text": "B note"},
        {"note_id": "nD", "customer_id": "D", "taken_at": "2026-01-14T10:00:00Z",
         "interviewer": "Sam Field", "text": "D note"},
    ],
    "transactions": [
        {"transaction_id": "tA", "customer_id": "A", "occurred_at": "2026-01-15T10:00:00Z",
         "amount": 10.0},
        {"transaction_id": "tB", "customer_id": "B", "occurred_at": "2026-01-16T10:00:00Z",
         "amount": 20.0},
    ],
    "referrals": [
        {"referral_id": "fA", "referrer_id": "A", "referred_customer_id": "C",
         "referred_at": "2026-01-17"},
        {"referral_id": "fC", "referrer_id": "C", "referred_contact": "friend@south.example",
         "referred_at": "2026-01-18"},
    ],
    "employees": [
        {"employee_id": "eN", "name": "Nia North", "unit": "North"},
        {"employee_id": "eS", "name": "Sol South", "unit": "South"},
    ],
    "employee-responses": [
        {"employee_response_id": "erN", "unit": "North", "enps": 9,
         "submitted_at": "2026-01-20T10:00:00Z"},
        {"employee_response_id": "erS", "unit": "South", "enps": 2,
         "submitted_at": "2026-01-21T10:00:00Z"},
    ],
    "targets": [{"target_id": "tg", "metric": "nps", "scope": "unit=South", "desired_value": 50}],
}  # fmt: skip

#: What a North case handler may read of each table, by id (the module's expectations).
NORTH_SEES: dict[str, set[str]] = {
    "customers": {"A", "B", "D"},
    "responses": {"rA", "rB1", "rD"},
    "interactions": {"iA", "iB1"},
    "mentions": set(),
    "notes": {"nA"},  # B is shared, D has a mention without a unit
    "transactions": {"tA"},
    "referrals": {"fA"},
    "employees": {"eN"},
    "employee_responses": {"erN"},
    "targets": set(),
}
ID_COLUMNS = {
    "customers": "customer_id",
    "responses": "response_id",
    "interactions": "interaction_id",
    "mentions": "mention_id",
    "notes": "note_id",
    "transactions": "transaction_id",
    "referrals": "referral_id",
    "employees": "employee_id",
    "employee_responses": "employee_response_id",
    "targets": "target_id",
}


#: Kinds the API writes; the others are imported from CSV files.
WRITTEN = ("responses", "interactions", "mentions", "notes", "transactions", "referrals")


def fill(ws: Workspace, folder: Path) -> dict[str, str]:
    """Import and write :data:`RECORDS`, open a case for each detractor answer; return the case
    id by response id (``rA``, ``rB1`` in North, ``rB2`` in South)."""
    for kind in ("customers", "employees", "employee-responses", "targets"):
        _import(ws, folder, kind, RECORDS[kind])
    for kind in WRITTEN:
        ws.write_records(kind, RECORDS[kind], actor="test")
    _import(ws, folder, "response-items", RECORDS["response-items"])
    rule = Rule("detractor-test", "Detractor", "nps_at_most", params={"threshold": 6})
    opened = open_cases_for(
        ws.db, "responses", ["rA", "rB1", "rB2"], rules=[rule], settings=ws.settings
    )
    return {case.evidence_id: case.case_id for case in opened}


def _import(ws: Workspace, folder: Path, kind: str, records: list[dict[str, Any]]) -> None:
    path = folder / f"{kind}.csv"
    columns = list(dict.fromkeys(name for record in records for name in record))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(records)
    result = ws.import_file(path, kind=kind, strict=True)
    assert result.rows_loaded == len(records), (kind, result)
