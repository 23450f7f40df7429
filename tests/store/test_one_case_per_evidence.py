"""Migration 0016: one case per piece of evidence, duplicates merged into one case; the shipped
mention rule named for what it reads.

Two writers that chose their cases before either committed could open two cases on one answer
(review9 item 7). The migration merges those already stored into the case furthest along, moves
the other copies' timelines and survey invitations to it, and a unique index refuses a second
case on the same evidence from then on.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from advocacy.store.connection import Database, connect
from advocacy.store.migrate import migrate

AT = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
LATER = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = connect(db_url)
    yield database
    database.close()


def add_case(
    db: Database, case_id: str, evidence_id: str, status: str, updated_at: datetime
) -> None:
    db.execute(
        "INSERT INTO cases (case_id, rule_id, customer_id, evidence_kind, evidence_id, status, "
        "summary, opened_at, due_at, escalation_level, updated_at) "
        "VALUES (?, 'detractor', 'c-1', 'responses', ?, ?, ?, ?, ?, 0, ?)",
        [case_id, evidence_id, status, f"<b>{case_id}</b>", AT, LATER, updated_at],
    )
    db.execute(
        "INSERT INTO case_events (event_id, case_id, occurred_at, actor, kind, to_status) "
        "VALUES (?, ?, ?, 'rules', 'open', 'new')",
        [f"e-{case_id}-{evidence_id}-{status}", case_id, AT],
    )


def test_duplicates_merge_into_the_case_furthest_along(db: Database) -> None:
    migrate(db, target=14)
    add_case(db, "case-a", "r-1", "new", AT)  # opened twice by two rules: a and b
    db.execute("UPDATE cases SET root_cause = 'parcel lost <b>x</b>' WHERE case_id = 'case-a'")
    add_case(db, "case-b", "r-1", "contacted", LATER)  # worked: the one kept
    add_case(db, "case-c", "r-2", "new", AT)  # the same rule twice: one id, two rows
    add_case(db, "case-c", "r-2", "new", AT)
    add_case(db, "case-d", "r-3", "closed", AT)  # alone: untouched
    db.execute(
        "INSERT INTO survey_invitations (invitation_id, survey_id, customer_id, case_id, "
        "purpose, created_at, expires_at) VALUES ('i-1', 's', 'c-1', 'case-a', 'recovery', ?, ?)",
        [AT, LATER],
    )

    assert 16 in migrate(db)

    cases = db.fetchall("SELECT case_id, evidence_id, status FROM cases ORDER BY case_id")
    assert cases == [
        ("case-b", "r-1", "contacted"),
        ("case-c", "r-2", "new"),
        ("case-d", "r-3", "closed"),
    ]
    timeline = db.fetchall(
        "SELECT event_id, kind, text FROM case_events WHERE case_id = 'case-b' ORDER BY event_id"
    )
    assert [(event_id, kind) for event_id, kind, _ in timeline] == [
        ("e-case-a-r-1-new", "open"),
        ("e-case-b-r-1-contacted", "open"),
        ("merged-0016-case-a", "note"),
    ]
    assert "Case case-a had been opened on the same evidence" in timeline[2][2]
    # What the merged copy was is kept in the note: the kept case does not carry it.
    assert "rule detractor, status new, owner none, escalation level 0" in timeline[2][2]
    assert "root cause parcel lost <b>x</b>, action taken none." in timeline[2][2]
    assert db.fetchall("SELECT case_id FROM survey_invitations") == [("case-b",)]
    assert db.fetchone("SELECT count(*) FROM case_events WHERE case_id = 'case-c'") == (2,)

    # From now on the database itself refuses a second case on the same evidence.
    with pytest.raises(Exception, match=r"(?i)duplicate|unique"):
        add_case(db, "case-e", "r-3", "new", AT)
    assert db.fetchone("SELECT count(*) FROM cases WHERE evidence_id = 'r-3'") == (1,)


def test_a_workspace_without_duplicates_keeps_every_case(db: Database) -> None:
    migrate(db, target=14)
    add_case(db, "case-a", "r-1", "new", AT)
    add_case(db, "case-b", "r-2", "resolved", LATER)
    db.execute(
        "INSERT INTO case_rules (rule_id, name, trigger, due_hours, enabled, updated_at) "
        "VALUES ('angry-mention', 'Our <b>mention</b> rule', 'angry_mention', 24, true, ?)",
        [AT],
    )
    migrate(db)
    assert db.fetchall("SELECT name FROM case_rules") == [("Our <b>mention</b> rule",)]
    assert db.fetchall("SELECT case_id, status FROM cases ORDER BY case_id") == [
        ("case-a", "new"),
        ("case-b", "resolved"),
    ]
    assert db.fetchone("SELECT count(*) FROM case_events") == (2,)


def test_the_stored_mention_rule_takes_its_new_name_unless_renamed(db: Database) -> None:
    # Its anger threshold is off: "Angry public mention" named a reason it does not have.
    migrate(db, target=14)
    for rule_id, name in (
        ("angry-mention", "Angry public mention"),
        ("detractor", "Angry public mention"),  # another rule that happens to be named so
    ):
        db.execute(
            "INSERT INTO case_rules (rule_id, name, trigger, due_hours, enabled, updated_at) "
            "VALUES (?, ?, 'angry_mention', 24, true, ?)",
            [rule_id, name, AT],
        )
    migrate(db)
    assert dict(db.fetchall("SELECT rule_id, name FROM case_rules")) == {
        "angry-mention": "Negative or complaining public mention",
        "detractor": "Angry public mention",
    }
