"""The e-mail key that ties answers to customers: distinct mailboxes stay apart, old ids hold.

``Strauß@example.de`` and ``strauss@example.de`` are two mailboxes (review12 item 2): the key is
lower case, not case-folded. Workspaces hold ``email:`` customers made by the two keys before it
(``str.lower`` without NFKC, and ``str.casefold``): importing the same survey again must not
make a second customer for their addresses. After an address merged into one customer belongs
to another in the CRM, its later answers go to the customer that holds it now (item 7).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import advocacy
from advocacy import importer
from advocacy.ingest import email_identity
from advocacy.ingest.email_identity import customer_id_for, normalised_address
from advocacy.loop.surveys.submissions import submit
from advocacy.workspace import Workspace
from support.survey_addresses import ANSWERS, qualtrics_with_addresses

BOB = customer_id_for("bob.jones@example.com")


@pytest.fixture
def ws(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Workspace]:
    monkeypatch.setenv("ADVOCACY_SECRET_KEY", "test-key-not-for-production")
    monkeypatch.setenv("ADVOCACY_PUBLIC_URL", "https://ask.example.com/")
    monkeypatch.setenv("ADVOCACY_CONTACT_GUARD_DAYS", "0")
    with advocacy.open(db_url) as workspace:
        yield workspace


def _crm(folder: Path, *rows: str) -> Path:
    path = folder / "crm.csv"
    path.write_text("customer_id,name,email\n" + "".join(f"{r}\n" for r in rows), "utf-8")
    return path


def _survey(folder: Path, answers: list[tuple[str, str, str, str]], batch: int = 0) -> Path:
    """A Qualtrics export of ``answers``; a later ``batch`` has response ids of its own."""
    folder = folder / f"batch{batch}"
    folder.mkdir(exist_ok=True)
    path: Path = qualtrics_with_addresses(folder, answers)
    path.write_text(path.read_text("utf-8").replace("R_0000", f"R_{batch}000"), "utf-8")
    return path


def _customer_ids(ws: Workspace) -> list[str]:
    return [str(row[0]) for row in ws.db.fetchall("SELECT customer_id FROM customers ORDER BY 1")]


def _answers(ws: Workspace) -> dict[str, str | None]:
    rows = ws.db.fetchall("SELECT response_id, customer_id FROM responses ORDER BY response_id")
    return {str(response): None if owner is None else str(owner) for response, owner in rows}


# The keys of earlier versions, as they were written (email_identity.normalised_address).
_INVISIBLE = email_identity._INVISIBLE


def _lower_key(value: str | None) -> str | None:
    """Before 2026-12-06: trimmed, without ``mailto:``, ``str.lower``; no NFKC."""
    if value is None:
        return None
    text = value.strip()
    if text[:7].lower() == "mailto:":
        text = text[7:].strip()
    if not text or len(text) > 254 or email_identity._ADDRESS.fullmatch(text) is None:
        return None
    return text.lower()


def _sigma_key(value: str | None) -> str | None:
    """Later on 2026-12-06 (merge2): as now, but ``ς`` kept as ``str.lower`` writes it."""
    key = normalised_address(value)
    if key is None or value is None:
        return key
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", value)).strip()
    if text[:7].lower() == "mailto:":
        text = text[7:].strip()
    return unicodedata.normalize("NFKC", text.lower())


def _casefold_key(value: str | None) -> str | None:
    """On 2026-12-06 (mergefix): NFKC, invisible characters removed, ``str.casefold``."""
    if value is None:
        return None
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", value)).strip()
    if text[:7].casefold() == "mailto:":
        text = text[7:].strip()
    key = unicodedata.normalize("NFKC", text.casefold())
    if not key or len(key) > 254 or email_identity._ADDRESS.fullmatch(key) is None:
        return None
    return key


def test_a_sharp_s_and_a_double_s_are_two_addresses() -> None:
    assert normalised_address("Strauß@Example.de") == "strauß@example.de"
    assert normalised_address("STRAUSS@example.de") == "strauss@example.de"
    # str.lower writes a capital sigma as ς before "@" and as σ before ".": one form (review13 3).
    assert normalised_address("Ὀδυσσεύς@example.gr") == "ὀδυσσεύσ@example.gr"
    # What only looks different is still one key.
    assert normalised_address("ＳＴＲＡＵß@example.de") == "strauß@example.de"
    assert normalised_address("strau\u200bß@example.de") == "strauß@example.de"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("ΝΙΚΟΣ.Π@example.gr", "νικος.π@example.gr"),
        ("ΝΙΚΟΣ@example.gr", "νικοσ@example.gr"),
        ("ΣΩΣ@ΕΛΛΑΣ.gr", "σωσ@ελλας.gr"),
    ],
)
def test_addresses_that_differ_only_in_a_sigmas_case_are_one_key(first: str, second: str) -> None:
    """``str.lower`` writes a capital sigma as ``ς`` or ``σ`` by what follows it."""
    assert normalised_address(first) == normalised_address(second)
    assert "ς" not in (normalised_address(first) or "ς")


@pytest.mark.parametrize(
    "value",
    [
        "Strauß@example.de",
        "E\u0301MILE@Exemple.fr",
        "ＡＮＮ@example.com",
        "STRASSE@İstanbul.tr",
        "ΝΙΚΟΣ@example.gr",
    ],
)
def test_the_key_of_a_key_is_itself(value: str) -> None:
    """Stored addresses are keyed again on every import: a key must not drift."""
    key = normalised_address(value)
    assert key is not None and normalised_address(key) == key


@pytest.mark.shared_data
def test_an_answer_from_strauss_sharp_s_is_not_the_double_s_customers(
    ws: Workspace, tmp_path: Path
) -> None:
    ws.import_file(_crm(tmp_path, "K-1,Anna Strauss,strauss@example.de"), kind="customers")
    answers = [("", "Strauß@example.de", "2", "broken"), ("", "STRAUSS@example.de", "3", "late")]
    ws.import_file(_survey(tmp_path, answers), kind="responses")
    assert _answers(ws) == {
        "R_00000x": customer_id_for("strauß@example.de"),
        "R_00001x": "K-1",
    }


def _built_with(
    monkeypatch: pytest.MonkeyPatch,
    key: Callable[[str | None], str | None],
    ws: Workspace,
    path: Path,
) -> None:
    """Import ``path`` as a version with the key ``key`` did (its ids, stored addresses).

    The importer binds the key at its own import: patched there too (imported above, so it
    never binds the old key for the rest of the run when this is the first import).
    """
    with monkeypatch.context() as patch:
        patch.setattr(email_identity, "normalised_address", key)
        patch.setattr(importer, "normalised_address", key)
        ws.import_file(path, kind="responses")


OLD_ADDRESSES = [
    ("", "Strauß@example.de", "2", "broken"),
    ("", "bo\u200bb.jones@example.com", "2", "The parcel came broken"),
    ("", "ＡＮＮ@example.com", "9", "fine"),
    ("", "ΝΙΚΟΣ@example.gr", "8", "slow"),
]


@pytest.mark.shared_data
@pytest.mark.parametrize(
    "key", [_lower_key, _casefold_key, _sigma_key], ids=["lower", "casefold", "sigma"]
)
def test_a_survey_imported_again_keeps_the_customers_an_earlier_key_made(
    ws: Workspace,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    key: Callable[[str | None], str | None],
) -> None:
    path = _survey(tmp_path, OLD_ADDRESSES)
    _built_with(monkeypatch, key, ws, path)
    customers, answers = _customer_ids(ws), _answers(ws)
    assert any(key(address) != normalised_address(address) for _, address, _, _ in OLD_ADDRESSES)

    again = ws.import_file(path, kind="responses")

    assert again.stubs_created == 0
    assert _customer_ids(ws) == customers
    assert _answers(ws) == answers
    # A later survey from the same addresses, written the new way, ties to them too.
    later = ws.import_file(_survey(tmp_path, OLD_ADDRESSES, batch=1), kind="responses")
    assert later.stubs_created == 0
    assert _customer_ids(ws) == customers


@pytest.mark.shared_data
def test_a_casefold_customer_that_never_answered_from_the_address_is_not_taken(
    ws: Workspace, tmp_path: Path
) -> None:
    """strauss@'s customer has the id the casefold key gave Strauß@: that alone ties nothing."""
    ws.import_file(_survey(tmp_path, [("", "strauss@example.de", "2", "x")]), kind="responses")
    later = ws.import_file(
        _survey(tmp_path, [("", "Strauß@example.de", "2", "y")], batch=1), kind="responses"
    )
    assert later.stubs_created == 1
    assert _answers(ws) == {
        "R_00000x": customer_id_for("strauss@example.de"),
        "R_10000x": customer_id_for("strauß@example.de"),
    }


@pytest.mark.shared_data
def test_an_earlier_keys_customer_merges_into_the_crm_customer(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _built_with(monkeypatch, _lower_key, ws, _survey(tmp_path, OLD_ADDRESSES[1:2]))
    crm = ws.import_file(_crm(tmp_path, "K-9,Bob,bob.jones@example.com"), kind="customers")
    assert crm.customers_merged == 1
    assert _customer_ids(ws) == ["K-9"]
    assert set(_answers(ws).values()) == {"K-9"}


def test_an_earlier_keys_merged_customer_keeps_its_address_after_the_crm_changes_it(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The alias of a placeholder an earlier key named keeps its address: a later answer from
    the address still goes to the customer it merged into, after the CRM gives that customer
    another address (no new customer for it)."""
    _built_with(monkeypatch, _lower_key, ws, _survey(tmp_path, OLD_ADDRESSES[1:2]))
    ws.import_file(_crm(tmp_path, "K-9,Bob,bob.jones@example.com"), kind="customers")
    ws.import_file(_crm(tmp_path, "K-9,Bob,bob@newjob.example.com"), kind="customers")
    later = ws.import_file(_survey(tmp_path, OLD_ADDRESSES[1:2], batch=1), kind="responses")
    assert later.stubs_created == 0
    assert _customer_ids(ws) == ["K-9"]
    assert set(_answers(ws).values()) == {"K-9"}


@pytest.mark.shared_data
def test_the_crm_holder_of_a_merged_address_gets_its_later_answers(
    ws: Workspace, tmp_path: Path
) -> None:
    ws.import_file(_survey(tmp_path, ANSWERS), kind="responses")
    ws.import_file(_crm(tmp_path, "K-9,Bob,bob.jones@example.com"), kind="customers")  # merged
    ws.import_file(
        _crm(tmp_path, "K-9,Bob,bob@newjob.com", "K-10,Robert,bob.jones@example.com"),
        kind="customers",
    )

    later = ws.import_file(_survey(tmp_path, ANSWERS, batch=1), kind="responses")

    answers = _answers(ws)
    assert answers["R_00001x"] == answers["R_00002x"] == "K-9"  # stored answers stay
    assert answers["R_10001x"] == answers["R_10002x"] == "K-10"
    assert (
        "customers: 1 address(es) merged into one customer earlier belong to another customer "
        "on file now; their answers went to the customer that holds the address now, not to the "
        "earlier one"
    ) in later.notes
    assert later.stubs_created == 0


@pytest.mark.shared_data
def test_a_merged_address_no_one_holds_now_keeps_going_to_its_customer(
    ws: Workspace, tmp_path: Path
) -> None:
    ws.import_file(_survey(tmp_path, ANSWERS), kind="responses")
    ws.import_file(_crm(tmp_path, "K-9,Bob,bob.jones@example.com"), kind="customers")
    ws.import_file(_crm(tmp_path, "K-9,Bob,bob@newjob.com"), kind="customers")
    later = ws.import_file(_survey(tmp_path, ANSWERS, batch=1), kind="responses")
    assert _answers(ws)["R_10001x"] == "K-9"
    assert not any("belong to another customer" in note for note in later.notes)


@pytest.mark.shared_data
def test_a_repeated_link_answer_reports_the_customer_the_first_one_did(
    ws: Workspace, tmp_path: Path
) -> None:
    ws.import_file(_survey(tmp_path, ANSWERS), kind="responses")
    link = ws.surveys.links("default", customers=[BOB]).links[0]
    token = (link["url"] if isinstance(link, dict) else link.url).rstrip("/").split("/")[-1]
    ws.import_file(_crm(tmp_path, "K-9,Bob,bob.jones@example.com"), kind="customers")
    answer = {"nps": "1", "comment": "still broken"}

    first = submit(ws.db, token_or_survey=token, answers=answer, settings=ws.settings)
    repeat = submit(ws.db, token_or_survey=token, answers=answer, settings=ws.settings)

    assert repeat.already_answered and not first.already_answered
    assert first.customer_id == repeat.customer_id == "K-9"


@pytest.mark.shared_data
def test_two_writings_an_earlier_key_kept_apart_become_one_customer(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lower key without NFKC made two customers of bob@ and bo<ZWSP>b@: one address now."""
    written = "bo\u200bb.jones@example.com"
    path = _survey(tmp_path, [("", "bob.jones@example.com", "2", "x"), ("", written, "3", "y")])
    _built_with(monkeypatch, _lower_key, ws, path)
    apart = customer_id_for(written.lower())
    assert _customer_ids(ws) == sorted([BOB, apart])
    link = ws.surveys.links("default", customers=[apart]).links[0]
    token = (link["url"] if isinstance(link, dict) else link.url).rstrip("/").split("/")[-1]

    again = ws.import_file(path, kind="responses")

    assert (again.stubs_created, again.customers_merged) == (0, 1)
    assert any("had an id an earlier version made" in note for note in again.notes)
    assert _customer_ids(ws) == [BOB]
    assert set(_answers(ws).values()) == {BOB}
    answer = submit(ws.db, token_or_survey=token, answers={"nps": "1"}, settings=ws.settings)
    assert answer.customer_id == BOB  # the invitation sent to the other id moved with it
    assert (
        ws.import_file(path, kind="responses").rows_unchanged == 2
    )  # the merge rehashed what it moved


@pytest.mark.shared_data
def test_a_merged_address_several_customers_hold_goes_to_the_merged_one_among_them(
    ws: Workspace, tmp_path: Path
) -> None:
    ws.import_file(_survey(tmp_path, ANSWERS), kind="responses")
    ws.import_file(_crm(tmp_path, "K-9,Bob,bob.jones@example.com"), kind="customers")  # merged
    ws.import_file(_crm(tmp_path, "K-10,Robert,bob.jones@example.com"), kind="customers")
    ws.import_file(_survey(tmp_path, ANSWERS, batch=1), kind="responses")
    assert _answers(ws)["R_10001x"] == "K-9"
    ws.import_file(
        _crm(tmp_path, "K-9,Bob,bob@newjob.com", "K-11,Roberta,bob.jones@example.com"),
        kind="customers",
    )
    later = ws.import_file(_survey(tmp_path, ANSWERS, batch=2), kind="responses")
    assert _answers(ws)["R_20001x"] == BOB  # K-10 and K-11 hold it: whose is it?
    assert later.stubs_created == 1
    assert any("belong to several customers on file" in note for note in later.notes)


@pytest.mark.shared_data
def test_two_customers_a_capital_sigma_made_become_one(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The key that kept ``ς`` made two customers of ``ΝΙΚΟΣ.Π@`` and ``νικος.π@``."""
    path = _survey(
        tmp_path, [("", "ΝΙΚΟΣ.Π@example.gr", "2", "x"), ("", "νικος.π@example.gr", "3", "y")]
    )
    _built_with(monkeypatch, _sigma_key, ws, path)
    nikos = customer_id_for("νικοσ.π@example.gr")
    assert _customer_ids(ws) == sorted([nikos, customer_id_for("νικος.π@example.gr")])

    again = ws.import_file(path, kind="responses")

    assert (again.stubs_created, again.customers_merged) == (0, 1)
    assert _customer_ids(ws) == [nikos]
    assert set(_answers(ws).values()) == {nikos}
    assert ws.import_file(path, kind="responses").rows_unchanged == 2


# -- a customer the casefold key made of two mailboxes (review13 item 2) ----------------------
TWO_MAILBOXES = [("", "Strauß@example.de", "2", "broken"), ("", "strauss@example.de", "3", "late")]
STRAUSS = customer_id_for("strauss@example.de")  # the casefold key's id for both


def _cases(ws: Workspace) -> dict[str, str | None]:
    rows = ws.db.fetchall("SELECT evidence_id, customer_id FROM cases ORDER BY evidence_id")
    return {str(evidence): None if owner is None else str(owner) for evidence, owner in rows}


@pytest.mark.shared_data
def test_a_casefold_customer_of_two_mailboxes_is_split_before_the_crm_merges_it(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _survey(tmp_path, TWO_MAILBOXES)
    _built_with(monkeypatch, _casefold_key, ws, path)
    assert _customer_ids(ws) == [STRAUSS]
    assert set(_cases(ws).values()) == {STRAUSS}  # two detractors, one case each

    crm = ws.import_file(
        _crm(tmp_path, "C1,Anna,Strauß@example.de", "C2,Bert,strauss@example.de"),
        kind="customers",
    )

    # As a workspace that never had the casefold key: each answer to its own mailbox's owner.
    assert _answers(ws) == {"R_00000x": "C1", "R_00001x": "C2"}
    assert _cases(ws) == {"R_00000x": "C1", "R_00001x": "C2"}
    assert _customer_ids(ws) == ["C1", "C2"]
    assert crm.customers_merged == 2
    assert (
        "customers: 1 customer(s) known only by e-mail held answers from several addresses (an "
        "earlier version's key wrote them alike, as Strauß@ and strauss@): split by the address "
        "each answer came from (1 cases, 1 responses moved to 1 customer(s) of their own "
        "address, 1 of them new) before any merge"
    ) in crm.notes
    again = ws.import_file(path, kind="responses")
    assert (again.stubs_created, again.rows_unchanged) == (0, 2)  # the split rehashed
    assert _answers(ws) == {"R_00000x": "C1", "R_00001x": "C2"}


@pytest.mark.shared_data
def test_a_crm_naming_one_of_two_mailboxes_takes_only_that_mailboxs_answers(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _built_with(monkeypatch, _casefold_key, ws, _survey(tmp_path, TWO_MAILBOXES))

    crm = ws.import_file(_crm(tmp_path, "C1,Anna,Strauß@example.de"), kind="customers")

    assert crm.customers_merged == 1
    assert _answers(ws) == {"R_00000x": "C1", "R_00001x": STRAUSS}
    assert _cases(ws) == {"R_00000x": "C1", "R_00001x": STRAUSS}
    assert _customer_ids(ws) == ["C1", STRAUSS]
    # strauss@'s customer keeps its address: its next answer is still its own.
    later = ws.import_file(_survey(tmp_path, TWO_MAILBOXES, batch=1), kind="responses")
    assert later.stubs_created == 0
    assert _answers(ws)["R_10000x"] == "C1" and _answers(ws)["R_10001x"] == STRAUSS


@pytest.mark.shared_data
def test_a_casefold_customer_of_one_mailbox_merges_whole(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Strauß@ written two ways is one mailbox: nothing to split."""
    answers = [("", "Strauß@example.de", "2", "x"), ("", "STRAUß@example.de", "3", "y")]
    _built_with(monkeypatch, _casefold_key, ws, _survey(tmp_path, answers))

    crm = ws.import_file(_crm(tmp_path, "C1,Anna,Strauß@example.de"), kind="customers")

    assert crm.customers_merged == 1
    assert _customer_ids(ws) == ["C1"]
    assert set(_answers(ws).values()) == {"C1"}
    assert not any("split" in note for note in crm.notes)
