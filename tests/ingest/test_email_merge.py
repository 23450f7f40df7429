"""One customer per person when a survey tied by e-mail meets the company's own customer record.

A survey imported before the CRM export gives an answer without an id an ``email:`` customer;
the customers file then names the same address under the company's id. Whichever comes first,
the person ends as that one customer, with every answer, case and mention.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import advocacy
from advocacy.ingest.email_identity import ID_PREFIX, customer_id_for
from advocacy.workspace import Workspace
from support.case_answers import day
from support.survey_addresses import ANSWERS, qualtrics_with_addresses

BOB = customer_id_for("bob.jones@example.com")


@pytest.fixture
def ws(db_url: str) -> Iterator[Workspace]:
    with advocacy.open(db_url) as workspace:
        yield workspace


def _crm(folder: Path, *rows: str) -> Path:
    path = folder / "crm.csv"
    path.write_text("customer_id,name,email\n" + "".join(f"{row}\n" for row in rows))
    return path


def _owners(ws: Workspace, table: str, key: str) -> dict[str, str | None]:
    rows = ws.db.fetchall(f"SELECT {key}, customer_id FROM {table} ORDER BY {key}")
    return {str(record): None if owner is None else str(owner) for record, owner in rows}


def _case_owners(ws: Workspace) -> dict[str, str | None]:
    """Each case's evidence (an answer) and its customer."""
    rows = ws.db.fetchall("SELECT evidence_id, customer_id FROM cases ORDER BY evidence_id")
    return {str(evidence): None if owner is None else str(owner) for evidence, owner in rows}


def _customer_ids(ws: Workspace) -> list[str]:
    return [str(row[0]) for row in ws.db.fetchall("SELECT customer_id FROM customers ORDER BY 1")]


def _mentions(folder: Path, customer: str) -> Path:
    path = folder / "mentions.csv"
    path.write_text(
        "mention_id,customer_id,platform,posted_at,text,rating\n"
        f"m1,{customer},trustpilot,{day(5)},Broken parcel and no answer from support,1\n"
    )
    return path


@pytest.mark.shared_data
def test_a_customers_file_after_the_survey_merges_the_email_customer(
    ws: Workspace, tmp_path: Path
) -> None:
    survey = ws.import_file(qualtrics_with_addresses(tmp_path, ANSWERS), kind="responses")
    assert survey.cases is not None and survey.cases["opened"] == 3  # three detractors
    # The address a survey was sent to is not what a respondent typed: no warning.
    assert not any("not verified" in note for note in survey.notes)
    ws.import_file(_mentions(tmp_path, BOB), kind="mentions")
    cases_before = _owners(ws, "cases", "case_id")
    assert _case_owners(ws) == {"R_00001x": BOB, "R_00002x": BOB, "R_00004x": None, "m1": BOB}

    # The CRM writes the address its own way: it is still Bob's.
    crm = ws.import_file(
        _crm(tmp_path, "K-9,Bob Jones,mailto:BOB.JONES@example.com"), kind="customers"
    )

    assert crm.customers_merged == 1
    assert crm.summary()["customers_merged"] == 1
    assert (
        "customers: 1 customer(s) known only by e-mail address merged into the customer on file "
        "with that address (moved to their ids: 3 cases, 1 mentions, 2 responses)"
    ) in crm.notes
    assert _customer_ids(ws) == ["C-17", "K-9"]  # no email: customer left behind
    answers = _owners(ws, "responses", "response_id")
    assert answers == {
        "R_00000x": "C-17",
        "R_00001x": "K-9",
        "R_00002x": "K-9",
        "R_00003x": None,
        "R_00004x": None,
    }
    # The same cases, nothing lost, Bob's now under the company's id.
    assert set(_owners(ws, "cases", "case_id")) == set(cases_before)
    assert _case_owners(ws) == {"R_00001x": "K-9", "R_00002x": "K-9", "R_00004x": None, "m1": "K-9"}
    assert _owners(ws, "mentions", "mention_id") == {"m1": "K-9"}
    row = ws.db.fetchone("SELECT name, email FROM customers WHERE customer_id = 'K-9'")
    assert row == ("Bob Jones", "mailto:BOB.JONES@example.com")  # kept as written

    # Importing the survey again keeps its answers under K-9 and makes no email: customer.
    again = ws.import_file(qualtrics_with_addresses(tmp_path, ANSWERS), kind="responses")
    assert again.rows_loaded == 0 and again.customers_merged == 0
    # Nothing changed: the moved answers carry the hash this import computes for them.
    assert (again.rows_updated, again.rows_unchanged) == (0, 5)
    assert _owners(ws, "responses", "response_id") == answers
    assert _customer_ids(ws) == ["C-17", "K-9"]
    assert set(_owners(ws, "cases", "case_id")) == set(cases_before)  # no case opened twice


@pytest.mark.shared_data
def test_the_customers_file_first_ties_the_answers_without_an_email_customer(
    ws: Workspace, tmp_path: Path
) -> None:
    ws.import_file(_crm(tmp_path, "K-9,Bob Jones,bob.jones@example.com"), kind="customers")
    survey = ws.import_file(qualtrics_with_addresses(tmp_path, ANSWERS), kind="responses")
    assert survey.customers_merged == 0
    assert _customer_ids(ws) == ["C-17", "K-9"]
    assert _case_owners(ws) == {"R_00001x": "K-9", "R_00002x": "K-9", "R_00004x": None}


@pytest.mark.shared_data
def test_an_email_customer_left_by_an_earlier_version_merges_when_the_survey_is_imported_again(
    ws: Workspace, tmp_path: Path
) -> None:
    """Workspaces already hold email: customers beside their CRM customer (the retie without a
    merge left them); importing the survey again finishes the job."""
    path = qualtrics_with_addresses(tmp_path, ANSWERS)
    ws.import_file(path, kind="responses")
    # The CRM customer as an earlier version stored it: written, with no merge after it.
    ws.db.execute(
        "INSERT INTO customers (customer_id, name, email, is_stub) "
        "VALUES ('K-9', 'Bob Jones', 'bob.jones@example.com', FALSE)"
    )
    again = ws.import_file(path, kind="responses")
    assert again.customers_merged == 1
    assert _customer_ids(ws) == ["C-17", "K-9"]
    assert _case_owners(ws) == {"R_00001x": "K-9", "R_00002x": "K-9", "R_00004x": None}


@pytest.mark.shared_data
def test_an_address_several_customers_share_merges_nothing(ws: Workspace, tmp_path: Path) -> None:
    ws.import_file(qualtrics_with_addresses(tmp_path, ANSWERS), kind="responses")
    crm = ws.import_file(
        _crm(tmp_path, "K-9,Bob Jones,bob.jones@example.com", "K-10,Bobby,bob.jones@example.com"),
        kind="customers",
    )
    assert crm.customers_merged == 0
    assert _customer_ids(ws) == sorted(["C-17", "K-10", "K-9", BOB])
    assert _case_owners(ws) == {"R_00001x": BOB, "R_00002x": BOB, "R_00004x": None}


@pytest.mark.shared_data
def test_an_email_customer_in_an_ask_campaign_with_its_customer_is_kept(
    ws: Workspace, tmp_path: Path
) -> None:
    """One assignment per customer and campaign: merging would drop one, so neither moves."""
    ws.import_file(qualtrics_with_addresses(tmp_path, ANSWERS), kind="responses")
    ws.import_file(_crm(tmp_path, "K-9,Bob Jones,"), kind="customers")
    for customer in (BOB, "K-9"):
        ws.db.execute(
            "INSERT INTO ask_members (campaign_id, customer_id, arm, channel, assigned_at) "
            "VALUES ('a1', ?, 'ask', 'email', TIMESTAMPTZ '2026-11-01 00:00:00+00')",
            [customer],
        )
    crm = ws.import_file(_crm(tmp_path, "K-9,Bob Jones,bob.jones@example.com"), kind="customers")
    assert crm.customers_merged == 0
    assert any("kept apart" in note for note in crm.notes)
    assert BOB in _customer_ids(ws)
    members = ws.db.fetchall("SELECT customer_id FROM ask_members ORDER BY customer_id")
    assert [str(row[0]) for row in members] == sorted([BOB, "K-9"])


@pytest.mark.shared_data
def test_a_customer_imported_with_an_email_id_is_not_merged(ws: Workspace, tmp_path: Path) -> None:
    """Only placeholders merge: a record the user imported under an email: id is theirs."""
    own = customer_id_for("bob.jones@example.com")
    assert own.startswith(ID_PREFIX)
    ws.import_file(
        _crm(tmp_path, f"{own},Bob from the old CRM,bob.jones@example.com"), kind="customers"
    )
    crm = ws.import_file(_crm(tmp_path, "K-9,Bob Jones,bob.jones@example.com"), kind="customers")
    assert crm.customers_merged == 0
    assert _customer_ids(ws) == sorted([own, "K-9"])


@pytest.mark.shared_data
def test_the_cli_summary_counts_the_customers_merged(tmp_path: Path) -> None:
    # review8 item 6: the table of an import's rows says how many were merged, not only a note.
    from support.cli import advocacy_cli

    db = str(tmp_path / "w.duckdb")
    survey = qualtrics_with_addresses(tmp_path, ANSWERS)
    assert advocacy_cli("import", str(survey), "--kind", "responses", "--db", db).returncode == 0
    crm = _crm(tmp_path, "K-9,Bob Jones,mailto:BOB.JONES@example.com")
    done = advocacy_cli("import", str(crm), "--kind", "customers", "--db", db)
    assert done.returncode == 0, done.stderr
    row = next(line for line in done.stdout.splitlines() if "customers merged" in line)
    assert re.search(r"customers merged \(known by e-mail\)\W+1\W*$", row), row
