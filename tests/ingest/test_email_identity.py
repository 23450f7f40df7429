"""Answers tied to customers by the address a survey was sent to (audit3 F4), on real exports.

The real Qualtrics sample of ``../shared/data`` carries a ``RecipientEmail`` column but no
address (an anonymous link), and the real SurveyMonkey polls carry none; so the files with
addresses are those real exports with addresses written into their own rows, as the audit did.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

import advocacy
from access.shared_units import VIEWER
from advocacy.access.masking import MASK
from advocacy.customer_view import customer_view
from advocacy.errors import MappingError
from advocacy.ingest.email_identity import customer_id_for, normalised_address
from advocacy.workspace import Workspace
from support.survey_addresses import ANSWERS, SAMPLE, SHARED, qualtrics_with_addresses, real

LEGACY = SHARED / "qualtrics-exports" / "qualtRics_sample_legacy.csv"
STEAK = SHARED / "real-exports" / "surveymonkey-538" / "steak-risk-survey.csv"


@pytest.fixture
def ws(db_url: str) -> Iterator[Workspace]:
    with advocacy.open(db_url) as workspace:
        yield workspace


def _customers(ws: Workspace) -> dict[str, str | None]:
    rows = ws.db.fetchall("SELECT customer_id, email FROM customers ORDER BY customer_id")
    return {str(customer): email for customer, email in rows}


def _answers(ws: Workspace) -> dict[str, str | None]:
    rows = ws.db.fetchall("SELECT response_id, customer_id FROM responses ORDER BY response_id")
    return {str(response): customer for response, customer in rows}


@pytest.mark.shared_data
def test_answers_without_an_id_are_tied_by_recipient_email(ws: Workspace, tmp_path: Path) -> None:
    result = ws.import_file(qualtrics_with_addresses(tmp_path, ANSWERS), kind="responses")
    bob = customer_id_for("bob.jones@example.com")
    assert _answers(ws) == {
        "R_00000x": "C-17",  # the reference the survey was sent with wins
        "R_00001x": bob,
        "R_00002x": bob,  # the same person, however the address was written
        "R_00003x": None,
        "R_00004x": None,  # markup is no address
    }
    assert _customers(ws) == {"C-17": None, bob: "bob.jones@example.com"}
    assert result.stubs_created == 2
    assert (
        "customers: 3 of 5 answers tied to a customer, 1 by 'ExternalReference', 2 by "
        "'RecipientEmail' (1 distinct address); 2 without an id or address (1 of them not "
        "e-mail addresses)"
    ) in "\n".join(result.notes)
    tying = {found["column"] for found in result.detected if found["field"] == "customer_id"}
    assert tying == {"ExternalReference", "RecipientEmail"}


@pytest.mark.shared_data
def test_an_address_on_file_ties_answers_to_that_customer(ws: Workspace, tmp_path: Path) -> None:
    """A CRM export's own id wins, and re-importing the survey keys its answers as before."""
    survey = qualtrics_with_addresses(tmp_path, ANSWERS)
    ws.import_file(survey, kind="responses")
    crm = tmp_path / "crm.csv"
    crm.write_text("customer_id,name,email\nK-9,Bob Jones,BOB.JONES@example.com\n")
    ws.import_file(crm, kind="customers")
    again = ws.import_file(survey, kind="responses")
    answers = _answers(ws)
    assert len(answers) == 5 and again.rows_loaded == 0  # nothing added twice
    assert answers["R_00001x"] == answers["R_00002x"] == "K-9"
    # The customers import merged them into K-9 already, with the hash this import computes.
    assert (again.rows_updated, again.rows_unchanged) == (0, 5)
    said = "2 of the answers tied by e-mail (1 distinct address) went to"
    assert any(said in note for note in again.notes)
    # The CRM's address is kept as written.
    assert _customers(ws)["K-9"] == "BOB.JONES@example.com"


@pytest.mark.shared_data
def test_a_viewer_sees_no_address_of_a_customer_tied_by_email(
    ws: Workspace, tmp_path: Path
) -> None:
    ws.import_file(qualtrics_with_addresses(tmp_path, ANSWERS), kind="responses")
    bob = customer_id_for("bob.jones@example.com")
    view = customer_view(ws.db, bob, VIEWER)
    assert view.customer["email"] == MASK
    assert "bob.jones" not in repr(view.to_dict()).lower()
    assert "bob.jones" not in bob


@pytest.mark.shared_data
def test_legacy_qualtrics_email_address_ties_answers(ws: Workspace, tmp_path: Path) -> None:
    with real(LEGACY).open(encoding="utf-8", newline="") as handle:
        records = list(csv.reader(handle))
    records[2][records[1].index("EmailAddress")] = "Legacy.Person@example.org"
    path = tmp_path / "legacy.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(records)
    ws.import_file(path, kind="responses")
    person = customer_id_for("legacy.person@example.org")
    assert _answers(ws) == {"R_2YPOQ602ER1jkf1": person}
    assert _customers(ws) == {person: "legacy.person@example.org"}


@pytest.mark.shared_data
def test_surveymonkey_email_address_ties_answers(ws: Workspace, tmp_path: Path) -> None:
    with real(STEAK).open(encoding="utf-8", newline="") as handle:
        records = list(csv.reader(handle))
    records[0].insert(1, "Email Address")
    records[1].insert(1, "")
    for number, record in enumerate(records[2:]):
        record.insert(1, f"person{number % 7}@example.net" if number % 2 else "")
    path = tmp_path / "steak.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(records)
    result = ws.import_file(path, kind="responses")
    assert result.rows_loaded == 550
    tied = ws.db.fetchone("SELECT count(*) FROM responses WHERE customer_id LIKE 'email:%'")
    assert tied == (275,)
    assert len(_customers(ws)) == 7


@pytest.mark.shared_data
def test_without_any_address_nothing_is_tied_or_said(ws: Workspace) -> None:
    """The real sample is an anonymous link: no customer, and no note about customers."""
    result = ws.import_file(real(SAMPLE), kind="responses")
    assert _answers(ws) == {"R_2YPOQ602ER1jkf1": None}
    assert not any(note.startswith("customers:") for note in result.notes)


def test_a_mapping_ties_by_email_only_when_it_says_so(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "answers.csv"
    path.write_text("id,Recipient,score\nr1,ann@example.com,9\nr2,,4\n")
    plain = tmp_path / "plain.yaml"
    plain.write_text("kind: responses\ncolumns:\n  response_id: id\n  nps: score\n")
    ws.import_file(path, kind="responses", mapping=plain)
    assert _answers(ws) == {"r1": None, "r2": None}
    tying = tmp_path / "tying.yaml"
    tying.write_text(plain.read_text() + "customer_email: Recipient\n")
    result = ws.import_file(path, kind="responses", mapping=tying)
    assert _answers(ws) == {"r1": customer_id_for("ann@example.com"), "r2": None}
    assert result.rows_updated == 1


@pytest.mark.shared_data
def test_a_mapping_naming_a_missing_email_column_is_refused(ws: Workspace, tmp_path: Path) -> None:
    mapping = tmp_path / "m.yaml"
    mapping.write_text("kind: responses\ncustomer_email: Mail\n")
    with pytest.raises(MappingError, match="no column 'Mail'"):
        ws.import_file(real(SAMPLE), kind="responses", mapping=mapping)


def test_a_plain_file_with_an_email_column_ties_without_changing_its_keys(
    ws: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "answers.csv"
    path.write_text(
        "Email,How likely are you to recommend us?,Comment\n"
        "ann@example.com,9,great\nmailto:ANN@example.com,3,late again\n,5,okay\n"
    )
    ws.import_file(path, kind="responses")
    ann = customer_id_for("ann@example.com")
    assert sorted(map(str, _answers(ws).values())) == ["None", ann, ann]
    # Keys of rows without an id come from the file's cells, not from the tie: the same
    # file without the address column's tie (an earlier version) keyed them alike.
    first = set(_answers(ws))
    again = ws.import_file(path, kind="responses")
    assert set(_answers(ws)) == first and again.rows_unchanged == 3


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (" Ann@Example.COM ", "ann@example.com"),
        ("mailto:bob@example.org", "bob@example.org"),
        # One key for what looks alike: invisible characters, NFD accents, full-width forms
        ("bo\u200bb@exa\u00admple.com", "bob@example.com"),
        ("E\u0301MILE@Exemple.fr", "\u00e9mile@exemple.fr"),
        ("\uff21nn\uff20example.com", "ann@example.com"),
        ("STRASSE@\u0130stanbul.tr", "strasse@i\u0307stanbul.tr"),
        ("no-at-sign.example.com", None),
        ("two@@example.com", None),
        ("<b>x</b>@example.com", None),
        ("ann@localhost", None),
        ('=HYPERLINK("x")@example.com', None),
        ("a" * 250 + "@example.com", None),  # longer than SMTP carries
        ("x@" + "a." * 50_000 + "com", None),  # a giant string is refused before the regex
        ("", None),
        (None, None),
    ],
)
def test_normalised_address(value: str | None, expected: str | None) -> None:
    assert normalised_address(value) == expected


def test_an_address_id_is_stable_and_shows_no_address() -> None:
    assert customer_id_for("ann@example.com") == customer_id_for("ann@example.com")
    assert customer_id_for("ann@example.com") != customer_id_for("bob@example.com")
    assert customer_id_for("ann@example.com").startswith("email:")
    assert "ann" not in customer_id_for("ann@example.com")
