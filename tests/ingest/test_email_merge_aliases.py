"""What a merge of an ``email:`` customer leaves behind: links already sent, later imports.

A placeholder merged into the company's customer is deleted, but its id is signed into ask
links and survey invitations already sent, and its address still arrives in later surveys.
``customer_aliases`` records which id became which, so none of them splits the person again.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import advocacy
from advocacy.importer import ImportResult, import_file
from advocacy.ingest.email_identity import customer_id_for
from advocacy.loop.surveys.submissions import submit
from advocacy.store.customer_merge import CUSTOMER_COLUMNS
from advocacy.workspace import Workspace
from support.case_answers import day
from support.survey_addresses import ANSWERS, qualtrics_with_addresses

BOB = customer_id_for("bob.jones@example.com")


@pytest.fixture
def ws(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Workspace]:
    monkeypatch.setenv("ADVOCACY_SECRET_KEY", "test-key-not-for-production")
    monkeypatch.setenv("ADVOCACY_PUBLIC_URL", "https://ask.example.com/")
    monkeypatch.setenv("ADVOCACY_CONTACT_GUARD_DAYS", "0")
    with advocacy.open(db_url) as workspace:
        yield workspace


def _file(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _crm(folder: Path, *rows: str) -> Path:
    return _file(folder, "crm.csv", "customer_id,name,email\n" + "".join(f"{r}\n" for r in rows))


def _customer_ids(ws: Workspace) -> list[str]:
    return [str(row[0]) for row in ws.db.fetchall("SELECT customer_id FROM customers ORDER BY 1")]


def _owners(ws: Workspace, table: str, key: str, column: str = "customer_id") -> dict[str, str]:
    rows = ws.db.fetchall(f"SELECT {key}, {column} FROM {table} ORDER BY {key}")
    return {str(record): str(owner) for record, owner in rows}


@pytest.mark.shared_data
def test_an_ask_link_sent_before_the_merge_still_counts_for_the_customer(
    ws: Workspace, tmp_path: Path
) -> None:
    fans = [("", f"fan{i}@example.com", "10", "Love it") for i in range(12)]
    ws.import_file(qualtrics_with_addresses(tmp_path, fans), kind="responses")
    ws.asks.add(
        {
            "id": "spring",
            "audience": {"kind": "recent-promoters", "days": 60},
            "action": "review",
            "channel": "links",
            "targets": {"trustpilot": "https://www.trustpilot.com/review/example.com"},
            "seed": 11,
            "final_n": 20,
        }
    )
    asked = ws.asks.send("spring").asked[0]
    assert asked["customer_id"].startswith("email:")
    token = asked["urls"]["trustpilot"].split("/a/")[1].split("/")[0]
    row = ws.db.fetchone(
        "SELECT email FROM customers WHERE customer_id = ?", [asked["customer_id"]]
    )
    assert row is not None
    crm = ws.import_file(_crm(tmp_path, f"K-1,Fan,{row[0]}"), kind="customers")
    assert crm.customers_merged == 1

    assert ws.asks.follow(token, "trustpilot") == "https://www.trustpilot.com/review/example.com"
    clicks = ws.db.fetchall("SELECT customer_id, count(*) FROM ask_events GROUP BY 1")
    assert clicks == [("K-1", 1)]  # the click is K-1's, and no placeholder came back
    assert asked["customer_id"] not in _customer_ids(ws)
    alias = ws.db.fetchall("SELECT alias_id, customer_id, import_id FROM customer_aliases")
    assert alias == [(asked["customer_id"], "K-1", crm.import_id)]


@pytest.mark.shared_data
def test_a_survey_invitation_sent_before_the_merge_answers_as_the_customer(
    ws: Workspace, tmp_path: Path
) -> None:
    ws.import_file(qualtrics_with_addresses(tmp_path, ANSWERS), kind="responses")
    link = ws.surveys.links("default", customers=[BOB]).links[0]
    token = (link["url"] if isinstance(link, dict) else link.url).rstrip("/").split("/")[-1]
    ws.import_file(_crm(tmp_path, "K-9,Bob,bob.jones@example.com"), kind="customers")

    result = submit(
        ws.db,
        token_or_survey=token,
        answers={"nps": "1", "comment": "still broken"},
        settings=ws.settings,
    )

    assert result.customer_id == "K-9"
    assert _owners(ws, "responses", "response_id")[result.response_id] == "K-9"
    assert [case.customer_id for case in result.cases] == ["K-9"]
    assert _customer_ids(ws) == ["C-17", "K-9"]  # the placeholder was not made again


@pytest.mark.shared_data
def test_an_address_once_merged_keeps_its_answers_after_the_customer_address_changes(
    ws: Workspace, tmp_path: Path
) -> None:
    survey = qualtrics_with_addresses(tmp_path, ANSWERS)
    ws.import_file(survey, kind="responses")
    ws.import_file(_crm(tmp_path, "K-9,Bob Jones,mailto:BOB.JONES@example.com"), kind="customers")
    ws.import_file(_crm(tmp_path, "K-9,Bob Jones,bob@newjob.com"), kind="customers")

    again = ws.import_file(survey, kind="responses")

    assert again.stubs_created == 0
    assert (again.rows_updated, again.rows_unchanged) == (0, 5)  # the merge rehashed the moved
    assert _customer_ids(ws) == ["C-17", "K-9"]
    answers = _owners(ws, "responses", "response_id")
    assert answers["R_00001x"] == answers["R_00002x"] == "K-9"


@pytest.mark.shared_data
def test_a_non_ascii_address_merges_on_every_engine(ws: Workspace, tmp_path: Path) -> None:
    answers = [
        ("", "ÉMILE@Exemple.fr", "2", "horrible"),
        ("", "Bob@Example.com", "2", "bad"),
        ("", "STRASSE@İstanbul.com.tr", "3", "slow"),
    ]
    ws.import_file(qualtrics_with_addresses(tmp_path, answers), kind="responses")
    crm = ws.import_file(
        _crm(
            tmp_path,
            "K-1,Emile,e\u0301mile@exemple.fr",
            # NFD: E and a combining acute accent; a zero-width space inside
            "K-2,Bob,b\u200bob@EXAMPLE.com",
            "K-3,Strasse,strasse@i\u0307stanbul.com.tr",
        ),
        kind="customers",
    )
    assert crm.customers_merged == 3
    assert _customer_ids(ws) == ["K-1", "K-2", "K-3"]


@pytest.mark.shared_data
def test_an_address_two_customers_share_is_said_on_the_customers_import(
    ws: Workspace, tmp_path: Path
) -> None:
    ws.import_file(qualtrics_with_addresses(tmp_path, ANSWERS), kind="responses")
    crm = ws.import_file(
        _crm(tmp_path, "K-9,Bob,bob.jones@example.com", "K-10,Bobby,Bob.Jones@example.com"),
        kind="customers",
    )
    assert crm.customers_merged == 0
    assert any(
        "1 address(es) of customers known only by e-mail belong to several" in n for n in crm.notes
    )
    assert BOB in _customer_ids(ws)


@pytest.mark.shared_data
def test_moves_notes_interactions_transactions_and_referrals(ws: Workspace, tmp_path: Path) -> None:
    ws.import_file(qualtrics_with_addresses(tmp_path, ANSWERS), kind="responses")
    files = [
        ("notes", f"note_id,customer_id,taken_at,text\nn1,{BOB},{day(3)},called back\n"),
        (
            "interactions",
            f"interaction_id,customer_id,occurred_at,channel\ni1,{BOB},{day(3)},phone\n",
        ),
        (
            "transactions",
            f"transaction_id,customer_id,occurred_at,amount\nt1,{BOB},{day(9)},10.5\n",
        ),
        (
            "referrals",
            "referral_id,referrer_id,referred_customer_id,referred_at\n"
            f"r1,{BOB},C-17,{day(7)}\nr2,C-17,{BOB},{day(6)}\n",
        ),
    ]
    for kind, text in files:
        ws.import_file(_file(tmp_path, f"{kind}.csv", text), kind=kind)

    crm = ws.import_file(_crm(tmp_path, "K-9,Bob,bob.jones@example.com"), kind="customers")

    assert crm.customers_merged == 1
    assert _owners(ws, "notes", "note_id") == {"n1": "K-9"}
    assert _owners(ws, "interactions", "interaction_id") == {"i1": "K-9"}
    assert _owners(ws, "transactions", "transaction_id") == {"t1": "K-9"}
    assert _owners(ws, "referrals", "referral_id", "referrer_id") == {"r1": "K-9", "r2": "C-17"}
    assert _owners(ws, "referrals", "referral_id", "referred_customer_id") == {
        "r1": "C-17",
        "r2": "K-9",
    }
    assert BOB not in _customer_ids(ws)
    # The same records under the company's id are repeats: the merge gave them their hash.
    for kind, text in files:
        again = ws.import_file(_file(tmp_path, f"{kind}.csv", text.replace(BOB, "K-9")), kind=kind)
        assert (again.rows_updated, again.rows_unchanged) == (0, text.count("\n") - 1), kind


def test_every_customer_column_of_the_schema_is_moved(ws: Workspace) -> None:
    """A migration adding a customer column must add it to the merge, or the merge orphans it."""
    rows = ws.db.fetchall(
        "SELECT c.table_name, c.column_name FROM information_schema.columns c "
        "JOIN information_schema.tables t ON t.table_name = c.table_name "
        "AND t.table_schema = c.table_schema "
        "WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' "
        "AND c.table_name <> 'customers' "
        "AND (c.column_name LIKE '%customer\\_id' ESCAPE '\\' OR c.column_name LIKE '%referrer%')"
    )
    assert sorted((str(table), str(column)) for table, column in rows) == sorted(CUSTOMER_COLUMNS)


@pytest.mark.shared_data
def test_a_merge_in_an_import_that_fails_leaves_nothing_written(
    ws: Workspace, tmp_path: Path
) -> None:
    ws.import_file(qualtrics_with_addresses(tmp_path, ANSWERS), kind="responses")

    def state() -> tuple[object, ...]:
        return tuple(
            ws.db.fetchall(sql)
            for sql in (
                "SELECT customer_id, is_stub, email FROM customers ORDER BY 1",
                "SELECT response_id, customer_id FROM responses ORDER BY 1",
                "SELECT case_id, customer_id FROM cases ORDER BY 1",
                "SELECT alias_id, customer_id FROM customer_aliases ORDER BY 1",
            )
        )

    before = state()

    def fail(result: ImportResult) -> None:
        assert result.customers_merged == 1  # the merge ran inside the transaction
        raise RuntimeError("the disk filled up")

    with pytest.raises(RuntimeError, match="disk filled"):
        import_file(
            ws.db, _crm(tmp_path, "K-9,Bob,bob.jones@example.com"), kind="customers", then=fail
        )
    assert state() == before
    assert BOB in _customer_ids(ws)
