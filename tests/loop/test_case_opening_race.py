"""Opening cases while another process opens them too: ``cases open`` chooses its cases reading
only and asks outside any transaction, then opens in a short one that leaves out the evidence
that got a case meanwhile; a DuckDB workspace held by ``advocacy serve`` is refused with the web
page that opens them instead."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import advocacy
from advocacy.errors import UsageError, WorkspaceError
from advocacy.loop.cases.opening import again_if_opened_meanwhile, choose_hits, open_cases
from advocacy.loop.cases.store import Case
from support.cli import advocacy_cli

TODAY = datetime.now(UTC)


def _three_detractors(ws: advocacy.Workspace) -> None:
    records = [
        {"response_id": f"r-{number}", "submitted_at": TODAY - timedelta(days=200), "nps": 1}
        for number in range(3)
    ]
    ws.write_records("responses", records)


def test_an_import_racing_the_question_opens_no_second_case(postgres_url: str) -> None:
    with advocacy.open(postgres_url) as first, advocacy.open(postgres_url) as other:
        _three_detractors(first)
        backend = first.db.fetchall("SELECT pg_backend_pid()")[0][0]
        states: list[str] = []

        def meanwhile(refusal: UsageError) -> bool:
            # While the user reads the question: the first process holds no transaction open...
            (state,) = other.db.fetchall(
                "SELECT state FROM pg_stat_activity WHERE pid = ?", [backend]
            )[0]
            states.append(str(state))
            # ... and another one opens a case on r-1 (an import, an API write) and commits.
            assert [case.evidence_id for case in other.cases.open_for("responses", ["r-1"])] == [
                "r-1"
            ]
            assert "would open 3 cases" in refusal.message
            return True

        found = first.cases.open(
            since=TODAY - timedelta(days=300), kinds=["responses"], at_most=1, confirm=meanwhile
        )
        assert states == ["idle"]  # not "idle in transaction"
        # The yes opens the cases chosen, less the one opened meanwhile: one case per answer.
        assert sorted(case.evidence_id for case in found["responses"].cases) == ["r-0", "r-2"]
        rows = first.db.fetchall(
            "SELECT evidence_id, count(*) FROM cases GROUP BY evidence_id ORDER BY evidence_id"
        )
        assert rows == [("r-0", 1), ("r-1", 1), ("r-2", 1)]
        events = first.db.fetchall("SELECT count(*) FROM case_events WHERE kind = 'open'")
        assert events == [(3,)]


def test_cases_open_names_the_web_page_when_the_server_holds_the_workspace(
    tmp_path: Path,
) -> None:
    db = tmp_path / "w.duckdb"
    with advocacy.open(str(db)) as ws:
        _three_detractors(ws)
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, duckdb; c = duckdb.connect(sys.argv[1]); print('held', flush=True); "
         "sys.stdin.read()", str(db)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        refused = advocacy_cli(
            "cases", "open", "--since", f"{TODAY - timedelta(days=300):%Y-%m-%d}", "--db",
            str(db), cwd=tmp_path, env={"HOME": str(tmp_path)},
        )  # fmt: skip
    finally:
        holder.communicate("", timeout=30)
    said = " ".join((refused.stdout + refused.stderr).split())
    assert refused.returncode == 1, said
    assert "is in use by another process" in said
    assert "open the cases on its web page /cases/open" in said
    with advocacy.open(str(db)) as ws:
        assert ws.cases.count() == 0


def test_two_overlapping_transactions_open_one_case_per_answer(postgres_url: str) -> None:
    # review9 item 2: the first transaction opens cases on r-0..r-2 and has not committed when
    # a second one opens cases on the same answers. The second cannot see the first's cases;
    # the opening lock makes it wait for the commit, then it opens none (without the lock,
    # every answer would get two cases).
    ids = [f"r-{number}" for number in range(3)]
    with (
        advocacy.open(postgres_url) as first,
        advocacy.open(postgres_url) as second,
        advocacy.open(postgres_url) as watcher,
    ):
        _three_detractors(first)
        opened: list[int] = []
        waited: list[str] = []
        with first.db.transaction():
            assert len(first.cases.open_for("responses", ids)) == 3
            racing = threading.Thread(
                target=lambda: opened.append(len(second.cases.open_for("responses", ids)))
            )
            racing.start()
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and racing.is_alive():
                # pg_locks is read live (pg_stat_activity is a snapshot per transaction); the
                # second workspace's write may run on another connection than its first.
                ((waiting,),) = watcher.db.fetchall(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
                    "AND database = (SELECT oid FROM pg_database WHERE datname = "
                    "current_database())"
                )
                if waiting:  # waiting for the first transaction's opening lock
                    waited.append("advisory lock")
                    break
                time.sleep(0.05)
        racing.join(timeout=30)
        assert not racing.is_alive()
        counts = first.db.fetchall(
            "SELECT evidence_id, count(*) FROM cases GROUP BY evidence_id ORDER BY evidence_id"
        )
    assert counts == [(evidence, 1) for evidence in ids]
    assert opened == [0]
    assert waited == ["advisory lock"]


def test_two_workspaces_on_one_file_open_one_case_per_answer(db_url: str) -> None:
    # review9 item 7: two Workspace objects on one DuckDB file in one process do not take turns.
    # The first chose its cases; the second opened one on r-1 and committed meanwhile. The
    # first's transaction cannot see it: the evidence index refuses its second case on r-1, and
    # it runs again, counting r-1 as already open (PostgreSQL's lock makes it see the case).
    ids = [f"r-{number}" for number in range(3)]
    with advocacy.open(db_url) as first, advocacy.open(db_url) as second:
        _three_detractors(first)
        chosen: list[list[str]] = []

        def attempt() -> list[Case]:
            with first.db.transaction():
                hits = choose_hits(first.db, "responses", ids)
                chosen.append(sorted(hit.evidence.evidence_id for _, hit in hits))
                if len(chosen) == 1:
                    meanwhile = second.cases.open_for("responses", ["r-1"])
                    assert [case.evidence_id for case in meanwhile] == ["r-1"]
                return open_cases(first.db, hits, now=TODAY, actor="test", settings=first.settings)

        opened = again_if_opened_meanwhile(attempt)
        assert sorted(case.evidence_id for case in opened) == ["r-0", "r-2"]
        assert chosen[0] == ids
        assert len(chosen) == (2 if first.db.dialect == "duckdb" else 1)
        counts = first.db.fetchall(
            "SELECT evidence_id, count(*) FROM cases GROUP BY evidence_id ORDER BY evidence_id"
        )
        assert counts == [(evidence, 1) for evidence in ids]
        assert first.db.fetchall("SELECT count(*) FROM case_events WHERE kind = 'open'") == [(3,)]


def test_inside_a_callers_transaction_the_refused_opening_says_run_it_again(
    duckdb_url: str,
) -> None:
    # Within a caller's transaction (an import, an API write) nothing can run again: that
    # transaction is the one refused. It rolls back whole with the fix; run again, it opens the
    # rest.
    ids = [f"r-{number}" for number in range(3)]
    with advocacy.open(duckdb_url) as first, advocacy.open(duckdb_url) as second:
        _three_detractors(first)
        with pytest.raises(WorkspaceError) as refused, first.db.transaction():
            first.db.execute("INSERT INTO customers (customer_id) VALUES ('c-in-the-import')")
            second.cases.open_for("responses", ["r-1"])
            first.cases.open_for("responses", ids)
        assert "another writer opened a case on the same evidence" in str(refused.value)
        assert "run it again" in str(refused.value)
        assert first.db.fetchall("SELECT count(*) FROM customers") == [(0,)]
        again = first.cases.open_for("responses", ids)
        assert sorted(case.evidence_id for case in again) == ["r-0", "r-2"]
        assert first.cases.count() == 3


def test_a_case_committed_between_the_write_and_the_commit_is_counted_as_open(
    duckdb_url: str,
) -> None:
    # The other writer commits after the first wrote its cases and before it commits: DuckDB
    # refuses the first's commit; run again, it opens the answers still without a case.
    ids = [f"r-{number}" for number in range(3)]
    with advocacy.open(duckdb_url) as first, advocacy.open(duckdb_url) as second:
        _three_detractors(first)
        written: list[int] = []

        def attempt() -> list[Case]:
            with first.db.transaction():
                hits = choose_hits(first.db, "responses", ids)
                opened = open_cases(
                    first.db, hits, now=TODAY, actor="test", settings=first.settings
                )
                written.append(len(opened))
                if len(written) == 1:
                    assert len(second.cases.open_for("responses", ["r-2"])) == 1
                return opened

        opened = again_if_opened_meanwhile(attempt)
        assert written == [3, 2]
        assert sorted(case.evidence_id for case in opened) == ["r-0", "r-1"]
        counts = first.db.fetchall(
            "SELECT evidence_id, count(*) FROM cases GROUP BY evidence_id ORDER BY evidence_id"
        )
        assert counts == [(evidence, 1) for evidence in ids]
