"""Google Forms and Typeform answers are tied to customers by e-mail as Qualtrics' and
SurveyMonkey's are: one rule finds the column in every format, and hostile cells tie nothing."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import advocacy
from advocacy.ingest.email_identity import address_column, customer_id_for, normalised_address
from advocacy.workspace import Workspace

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
LENA = customer_id_for("lena@example.com")


@pytest.fixture
def ws(db_url: str) -> Iterator[Workspace]:
    with advocacy.open(db_url) as workspace:
        yield workspace


def _tied(ws: Workspace) -> list[str | None]:
    rows = ws.db.fetchall("SELECT customer_id FROM responses ORDER BY submitted_at")
    return [None if row[0] is None else str(row[0]) for row in rows]


def _emails(ws: Workspace) -> dict[str, str | None]:
    rows = ws.db.fetchall("SELECT customer_id, email FROM customers ORDER BY customer_id")
    return {str(customer): email for customer, email in rows}


def test_google_forms_collected_addresses_tie_answers(ws: Workspace) -> None:
    result = ws.import_file(FIXTURES / "google_forms.csv", kind="responses")
    tom, mia = customer_id_for("tom@example.com"), customer_id_for("mia@example.com")
    assert _tied(ws) == [LENA, tom, None, mia]
    assert _emails(ws) == {
        LENA: "lena@example.com",
        tom: "tom@example.com",
        mia: "mia@example.com",
    }
    assert any(
        note.startswith("customers: 3 of 4 answers tied to a customer, 3 by 'Email Address'")
        for note in result.notes
    )
    # A respondent typed these: the import says they are not verified.
    assert (
        "customers: the addresses in 'Email Address' are what the respondent typed or the link "
        "carried, not verified: an answer with someone else's address is tied to them"
    ) in result.notes
    # The column stays in attrs as it was.
    row = ws.db.fetchone("SELECT attrs FROM responses WHERE customer_id = ?", [LENA])
    assert row is not None and "lena@example.com" in str(row[0])


def _google_form(folder: Path, addresses: list[str]) -> Path:
    with (FIXTURES / "google_forms.csv").open(encoding="utf-8", newline="") as handle:
        header, first, *_ = list(csv.reader(handle))
    rows = []
    for number, address in enumerate(addresses):
        row = list(first)
        row[0] = f"11/{number + 1:02d}/2026 9:00:00"
        row[1] = address
        rows.append(row)
    path = folder / "form.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
    return path


def test_hostile_addresses_tie_only_what_is_one_address(ws: Workspace, tmp_path: Path) -> None:
    addresses = [
        "  LENA@Example.COM ",  # the same person as lena@example.com
        "MAILTO:lena@example.com",
        "lena@example.com, tom@example.com",  # two people: whose is it?
        "lena@example.com tom@example.com",
        "lena@example.com;tom@example.com",
        "<img src=x onerror=alert(1)>@example.com",
        "mailto:lena@example.com?subject=hello",  # a link, not an address
        '=HYPERLINK("http://evil.example","lena@example.com")',
        "Lena <lena@example.com>",
        "lena@" + "x" * 300 + ".com",
        "lena@пример.рф",  # an address in another script is one
    ]
    result = ws.import_file(_google_form(tmp_path, addresses), kind="responses")
    russian = customer_id_for("lena@пример.рф")
    assert _tied(ws) == [LENA, LENA, *([None] * 8), russian]
    assert _emails(ws) == {LENA: "lena@example.com", russian: "lena@пример.рф"}
    assert any(
        "3 of 11 answers tied to a customer" in note and "8 of them not e-mail addresses" in note
        for note in result.notes
    )


def _typeform_with_hidden_email(folder: Path) -> Path:
    with (FIXTURES / "typeform.csv").open(encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    at = header.index("customer_id")
    # Sent with the address as a hidden field; the first two were also sent with an id.
    emails = ["", "", "Lena@Example.com", "mailto:lena@example.com"]
    ids = ["CUST-001", "CUST-002", "", ""]
    for row, email, sent_with in zip(rows, emails, ids, strict=True):
        row[at] = sent_with
        row.insert(at + 1, email)
    header.insert(at + 1, "email")
    path = folder / "typeform.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
    return path


def test_a_typeform_hidden_email_field_ties_answers(ws: Workspace, tmp_path: Path) -> None:
    result = ws.import_file(_typeform_with_hidden_email(tmp_path), kind="responses")
    assert _tied(ws) == ["CUST-001", "CUST-002", LENA, LENA]
    assert any(
        "4 of 4 answers tied to a customer, 2 by 'customer_id', 2 by 'email'" in note
        for note in result.notes
    )
    # A customers file that names the address afterwards gets both answers.
    crm = tmp_path / "crm.csv"
    crm.write_text("customer_id,email\nCUST-009,lena@example.com\n")
    merged = ws.import_file(crm, kind="customers")
    assert merged.customers_merged == 1
    assert _tied(ws) == ["CUST-001", "CUST-002", "CUST-009", "CUST-009"]


def test_a_mapping_without_customer_email_ties_no_google_forms_answer(
    ws: Workspace, tmp_path: Path
) -> None:
    """The same way out as for every format: a mapping ties by e-mail only when it says so."""
    mapping = tmp_path / "m.yaml"
    mapping.write_text(
        "kind: responses\ncolumns:\n  submitted_at: Timestamp\n"
        "  nps: How likely are you to recommend our café to a friend? (0-10)\n"
    )
    result = ws.import_file(FIXTURES / "google_forms.csv", kind="responses", mapping=mapping)
    # Two answers quarantined: "10 - Extremely likely" is not a number without the adapter.
    assert result.rows_loaded == 2
    assert _tied(ws) == [None, None]
    assert _emails(ws) == {}


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        (["RecipientLastName", "RecipientEmail", "ExternalReference"], "RecipientEmail"),
        (["EmailAddress"], "EmailAddress"),  # Qualtrics legacy
        (["Respondent ID", "Email Address", "First Name"], "Email Address"),  # SurveyMonkey
        (["Email address", "Q1"], "Email address"),  # Google Forms
        (["E-Mail-Adresse"], "E-Mail-Adresse"),
        (["Adresse e-mail"], "Adresse e-mail"),
        (["email", "customer_id"], "email"),  # Typeform hidden field
        (["e_mail"], "e_mail"),
        (["email", "RecipientEmail"], "RecipientEmail"),  # the survey's recipient first
        (["Your e-mail marketing preferences"], None),
        (["Emails sent", "mailing list"], None),
        ([], None),
    ],
)
def test_address_column(columns: list[str], expected: str | None) -> None:
    assert address_column(columns) == expected


@given(st.text(max_size=300))
def test_a_normalised_address_is_one_plain_address(value: str) -> None:
    """Whatever a cell holds, what ties (if anything) is one lower-case address that normalises
    to itself."""
    address = normalised_address(value)
    if address is None:
        return
    assert address == address.lower() == normalised_address(address)
    assert address.count("@") == 1 and len(address) <= 254
    assert not any(character.isspace() or character in '<>,;"' for character in address)


@given(st.emails())
def test_every_address_is_accepted_in_any_case_with_or_without_mailto(address: str) -> None:
    """A real address is never refused, and its upper-case ``mailto:`` cell is the same key."""
    key = normalised_address(address)
    assert key is not None
    assert key == address.lower() == normalised_address(f"  MAILTO:{address.upper()} ")
    assert normalised_address(key) == key
