"""Cases: opened by the rules on new evidence, routed, worked to closed, escalated, swept.

Runs on DuckDB and PostgreSQL (``db_url``).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

import advocacy
from advocacy.access import add_user, update_user
from advocacy.access.audit import audit_entries
from advocacy.access.roles import AccessDeniedError
from advocacy.errors import NotFoundError, UsageError
from advocacy.loop.cases.escalation import escalate_overdue, sweep
from advocacy.loop.cases.opening import open_cases_for
from advocacy.loop.cases.rule_format import parse_rules
from advocacy.loop.cases.rule_store import replace_rules
from advocacy.loop.cases.store import get_case, list_cases
from advocacy.loop.cases.work import work_case
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
    escalate_after_hours: 72
    escalate_to: ada
    priority: high
  - id: champion
    name: Champion turned detractor
    trigger: champion_turned_detractor
    default_owner: ana
    due_hours: 24
    priority: urgent
  - id: angry
    name: Angry mention
    trigger: angry_mention
    default_owner: sam
    due_hours: 24
  - id: delivery
    name: Negative about delivery
    trigger: theme_sentiment
    params: {theme: delivery, keywords: [delivery, courier, parcel]}
    default_owner: dan
    due_hours: 72
    priority: low
  - id: valuable
    name: Valuable customer at risk
    trigger: at_risk_valuable
    params: {value_tiers: [gold], no_purchase_days: 120}
    default_owner: ana
    due_hours: 120
"""

RESPONSES = [
    # C1: a detractor in North; C2: a detractor at billing in South; C3: a happy customer.
    {"response_id": "r1", "customer_id": "C1", "submitted_at": "2026-03-01T10:00:00Z",
     "nps": 3, "unit": "North", "touchpoint": "billing"},
    {"response_id": "r2", "customer_id": "C2", "submitted_at": "2026-03-01T11:00:00Z",
     "nps": 5, "unit": "South", "touchpoint": "billing"},
    {"response_id": "r3", "customer_id": "C3", "submitted_at": "2026-03-01T12:00:00Z",
     "nps": 10, "unit": "South"},
    # C4 was a promoter in January and is a detractor now.
    {"response_id": "r4", "customer_id": "C4", "submitted_at": "2026-01-05T12:00:00Z",
     "nps": 10, "unit": "South"},
    {"response_id": "r5", "customer_id": "C4", "submitted_at": "2026-03-01T12:00:00Z",
     "nps": 2, "unit": "South"},
]  # fmt: skip


@pytest.fixture
def ws(db_url: str) -> Iterator[Workspace]:
    with advocacy.open(db_url) as workspace:
        replace_rules(workspace.db, parse_rules(RULES), actor="ada", now=NOW)
        workspace.write_records("responses", RESPONSES, actor="test")
        yield workspace


def _ids(cases: list[advocacy.Case]) -> dict[str, tuple[str, str | None]]:
    return {case.evidence_id: (case.rule_id, case.owner) for case in cases}


def test_rules_open_routed_cases_once(ws: Workspace) -> None:
    opened = open_cases_for(
        ws.db, "responses", ["r1", "r2", "r3", "r5"], now=NOW, settings=ws.settings
    )
    # Unit routes before touchpoint routes; C4's answer opens the urgent champion case only.
    assert _ids(opened) == {
        "r1": ("detractor", "hal"),
        "r2": ("detractor", "bea"),
        "r5": ("champion", "ana"),
    }
    case = next(case for case in opened if case.evidence_id == "r1")
    assert case.status == "new" and case.customer_id == "C1" and case.unit == "North"
    assert case.opened_at == NOW and case.due_at == NOW + timedelta(hours=48)
    assert case.baseline_nps == 3 and case.rule == "Detractor follow-up"
    assert (
        open_cases_for(ws.db, "responses", ["r1", "r2", "r3", "r5"], now=NOW, settings=ws.settings)
        == []
    )
    assert len(list_cases(ws.db)) == 3
    listed = list_cases(ws.db, customer_id="C1")
    assert [(c.status, c.owner, c.rule, c.due_at) for c in listed] == [
        ("new", "hal", "Detractor follow-up", NOW + timedelta(hours=48))
    ]
    assert [c.evidence_id for c in list_cases(ws.db, units=["North"])] == ["r1"]
    assert {e.target for e in audit_entries(ws.db) if e.action == "case.open"} == {
        c.case_id for c in opened
    }
    timeline = get_case(ws.db, case.case_id).events
    assert [(e.kind, e.to_status, e.actor) for e in timeline] == [("open", "new", "rules")]


def test_a_case_is_worked_to_closed_with_its_timeline(ws: Workspace) -> None:
    (case,) = open_cases_for(ws.db, "responses", ["r1"], now=NOW, settings=ws.settings)
    later = NOW + timedelta(hours=3)
    contacted = work_case(
        ws.db, case.case_id, "contact", actor="hal", text="called", now=later, settings=ws.settings
    )
    assert contacted.status == "contacted" and contacted.first_contact_at == later
    work_case(
        ws.db,
        case.case_id,
        "note",
        actor="hal",
        text="refund agreed",
        now=later,
        settings=ws.settings,
    )
    with pytest.raises(UsageError) as missing:
        work_case(
            ws.db,
            case.case_id,
            "close",
            actor="hal",
            root_cause="late",
            now=later,
            settings=ws.settings,
        )
    assert missing.value.parameter == "action_taken" and missing.value.fix
    closed = work_case(
        ws.db, case.case_id, "close", actor="hal", root_cause="courier lost the parcel",
        action_taken="refunded", now=later + timedelta(hours=1), settings=ws.settings
    )  # fmt: skip
    assert closed.status == "closed" and closed.root_cause == "courier lost the parcel"
    with pytest.raises(UsageError, match="cannot resolve") as wrong:
        work_case(ws.db, case.case_id, "resolve", actor="hal", now=later, settings=ws.settings)
    assert "reopen" in (wrong.value.fix or "")
    later += timedelta(hours=2)
    reopened = work_case(
        ws.db,
        case.case_id,
        "reopen",
        actor="ana",
        text="not fixed",
        now=later,
        settings=ws.settings,
    )
    assert reopened.status == "contacted" and reopened.closed_at is None
    with pytest.raises(UsageError, match="'bea' cannot own cases"):  # not a user yet
        work_case(
            ws.db, case.case_id, "assign", actor="ana", owner="bea", now=later, settings=ws.settings
        )
    # A handler of the case's unit (North): one of other units only may not own it (#19.5).
    add_user(ws.db, "bea", role="case-handler", password="correct horse battery", units="South")
    with pytest.raises(UsageError, match="'bea' handles cases of South, not of unit 'North'"):
        work_case(
            ws.db, case.case_id, "assign", actor="ana", owner="bea", now=later, settings=ws.settings
        )
    update_user(ws.db, "bea", units="South,North")
    assigned = work_case(
        ws.db, case.case_id, "assign", actor="ana", owner="bea", now=later, settings=ws.settings
    )
    assert assigned.owner == "bea"
    detail = get_case(ws.db, case.case_id)
    assert [event.kind for event in detail.events] == [
        "open", "contact", "note", "close", "reopen", "assign",
    ]  # fmt: skip
    assert detail.evidence["nps"] == 3
    actions = [e.action for e in audit_entries(ws.db) if e.target == case.case_id]
    assert sorted(actions) == sorted(
        ["case.open", "case.contact", "case.note", "case.close", "case.reopen", "case.assign"]
    )


def test_handlers_only_work_their_units_cases(ws: Workspace) -> None:
    opened = open_cases_for(ws.db, "responses", ["r1", "r2"], now=NOW, settings=ws.settings)
    south = next(case for case in opened if case.unit == "South")
    with pytest.raises(AccessDeniedError):
        work_case(
            ws.db,
            south.case_id,
            "contact",
            actor="hal",
            units=["North"],
            now=NOW,
            settings=ws.settings,
        )
    with pytest.raises(AccessDeniedError):
        get_case(ws.db, south.case_id, units=["North"])
    with pytest.raises(NotFoundError):
        get_case(ws.db, "case-nope")
    assert get_case(ws.db, south.case_id).case.status == "new"


def test_mentions_open_cases_for_anger_and_negative_theme(ws: Workspace) -> None:
    mentions = [
        {"mention_id": "m1", "platform": "x", "posted_at": "2026-03-01T08:00:00Z",
         "text": "I am furious, they lied to me and kept my money. Disgusting!"},
        {"mention_id": "m2", "platform": "x", "posted_at": "2026-03-01T08:00:00Z",
         "text": "Lovely lamps, great service, thank you!"},
        {"mention_id": "m3", "platform": "x", "posted_at": "2026-03-01T08:00:00Z",
         "text": "The courier never came and my parcel is lost. Terrible delivery."},
    ]  # fmt: skip
    ws.write_records("mentions", mentions, actor="test")
    opened = _ids(
        open_cases_for(ws.db, "mentions", ["m1", "m2", "m3"], now=NOW, settings=ws.settings)
    )
    assert opened["m1"] == ("angry", "sam")
    assert "m2" not in opened
    assert opened["m3"][0] in {"angry", "delivery"}
    only_theme = [rule for rule in ws.cases.rules() if rule.rule_id == "delivery"]
    ws.write_records(
        "responses",
        [{"response_id": "r9", "submitted_at": "2026-03-01T10:00:00Z", "nps": 8,
          "comment": "Delivery late again, parcel damaged. Very disappointed, awful."},
         {"response_id": "r10", "submitted_at": "2026-03-01T10:00:00Z", "nps": 9,
          "comment": "Quick delivery, lovely parcel, thanks!"}],
    )  # fmt: skip
    themed = open_cases_for(
        ws.db, "responses", ["r9", "r10"], now=NOW, rules=only_theme, settings=ws.settings
    )
    assert [(case.evidence_id, case.theme) for case in themed] == [("r9", "delivery")]


def test_overdue_cases_escalate_by_age(ws: Workspace) -> None:
    (case,) = open_cases_for(ws.db, "responses", ["r1"], now=NOW, settings=ws.settings)
    assert escalate_overdue(ws.db, NOW + timedelta(hours=71), settings=ws.settings) == []
    (first,) = escalate_overdue(ws.db, NOW + timedelta(hours=73), settings=ws.settings)
    assert (first.escalation_level, first.owner) == (1, "ada")
    assert escalate_overdue(ws.db, NOW + timedelta(hours=74), settings=ws.settings) == []
    (second,) = escalate_overdue(ws.db, NOW + timedelta(hours=150), settings=ws.settings)
    assert second.escalation_level == 2
    assert [e.kind for e in get_case(ws.db, case.case_id).events].count("escalate") == 2


def test_the_sweep_opens_cases_for_lapsed_valuable_customers(ws: Workspace) -> None:
    ws.db.execute("UPDATE customers SET value_tier = 'gold' WHERE customer_id IN ('C1', 'C3')")
    ws.db.execute("UPDATE customers SET value_tier = 'bronze' WHERE customer_id = 'C2'")
    ws.write_records(
        "transactions",
        [{"transaction_id": "t1", "customer_id": "C1", "occurred_at": "2025-09-01T10:00:00Z",
          "amount": 90}, {"transaction_id": "t2", "customer_id": "C2",
          "occurred_at": "2025-09-01T10:00:00Z", "amount": 90}, {"transaction_id": "t3",
          "customer_id": "C3", "occurred_at": "2026-02-20T10:00:00Z", "amount": 90}],
    )  # fmt: skip
    result = sweep(ws.db, NOW, settings=ws.settings)
    assert [(case.customer_id, case.rule_id) for case in result.opened] == [("C1", "valuable")]
    assert sweep(ws.db, NOW, settings=ws.settings).opened == []


def test_cases_notify_owners_and_webhooks(ws: Workspace) -> None:
    hooks = ws.settings.updated(webhook_urls="http://127.0.0.1:9/hook")
    (case,) = open_cases_for(ws.db, "responses", ["r1"], now=NOW, settings=hooks)
    rows = ws.db.fetchall("SELECT channel, event, payload FROM outbox")
    assert [(row[0], row[1]) for row in rows] == [("webhook", "case.opened")]
    assert case.case_id in str(rows[0][2])


def test_resolving_with_a_follow_up_sends_a_signed_resurvey(ws: Workspace) -> None:
    settings = ws.settings.updated(
        secret_key="a-test-key-that-is-long-enough-0123456789", public_url="https://cx.example"
    )
    (case,) = open_cases_for(ws.db, "responses", ["r1"], now=NOW, settings=settings)
    resolved = work_case(
        ws.db, case.case_id, "resolve", actor="hal", follow_up=True, now=NOW, settings=settings
    )
    assert resolved.status == "resolved" and resolved.first_contact_at == NOW
    event = get_case(ws.db, case.case_id).events[-1]
    assert event.kind == "resolve" and event.detail["url"].startswith("https://cx.example/")
    row = ws.db.fetchone(
        "SELECT customer_id, purpose FROM survey_invitations WHERE case_id = ?", [case.case_id]
    )
    assert row == ("C1", "follow-up")
