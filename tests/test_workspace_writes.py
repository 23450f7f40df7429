"""What the web app's writes and its cache ask of the workspace, through the facade, on DuckDB
and PostgreSQL: ``ws.write_records`` under request limits, ``ws.transaction``,
``ws.imports_summary`` and ``ws.reconnect``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import advocacy
from advocacy.errors import ValidationError
from advocacy.inputs import WRITABLE_KINDS, InputLimits
from advocacy.workspace import Workspace

ANSWERS = [
    {"response_id": "r1", "customer_id": "C1", "nps": 9, "comment": "quick and kind"},
    {"response_id": "r2", "customer_id": "C2", "nps": 3, "comment": "slow"},
]


@pytest.fixture
def ws(db_url: str) -> Iterator[Workspace]:
    with advocacy.open(db_url) as workspace:
        yield workspace


def _answers(ws: Workspace) -> int:
    return int(ws.table("responses").count().execute())


def test_the_ledger_summary_changes_with_every_write_and_import(
    ws: Workspace, tmp_path: Path
) -> None:
    empty = ws.imports_summary()
    assert (empty.imports, empty.last_finished_at) == (0, None)
    ws.write_records("responses", ANSWERS[:1])
    written = ws.imports_summary()
    assert written.imports == 1 and written.last_finished_at is not None
    path = tmp_path / "answers.csv"
    path.write_text("response_id,nps\nr9,10\n", encoding="utf-8")
    ws.import_file(path, kind="responses")
    imported = ws.imports_summary()
    assert imported.imports == 2 and imported != written
    assert imported.last_finished_at is not None
    assert imported.last_finished_at >= written.last_finished_at
    assert ws.imports_summary() == imported  # nothing new: the same summary, a cache may reuse


def test_writes_inside_a_transaction_commit_together_or_not_at_all(ws: Workspace) -> None:
    with pytest.raises(RuntimeError), ws.transaction():
        ws.write_records("responses", ANSWERS[:1])
        ws.write_records(
            "interactions",
            [{"interaction_id": "i1", "customer_id": "C1", "occurred_at": "2026-01-02"}],
        )
        raise RuntimeError("the cases could not be opened")
    assert _answers(ws) == 0 and ws.imports_summary().imports == 0
    with ws.transaction():
        written = ws.write_records("responses", ANSWERS)
        ws.cases.open_for_import("responses", written.import_id)
    assert _answers(ws) == 2 and ws.imports_summary().imports == 1


def test_a_batch_over_the_request_limits_is_refused_whole(ws: Workspace) -> None:
    with pytest.raises(ValidationError, match="at most 1 are accepted"):
        ws.write_records("responses", ANSWERS, limits=InputLimits(batch_records=1))
    with pytest.raises(ValidationError, match="at most 12 are accepted") as raised:
        ws.write_records("responses", ANSWERS, limits=InputLimits(text_chars=12))
    assert (raised.value.row, raised.value.column) == (0, "comment")
    assert _answers(ws) == 0
    assert ws.write_records("responses", ANSWERS, limits=InputLimits(batch_records=2)).inserted == 2


def test_only_the_writable_kinds_are_written(ws: Workspace) -> None:
    assert "responses" in WRITABLE_KINDS and "customers" not in WRITABLE_KINDS
    with pytest.raises(ValidationError, match="cannot be written through the API"):
        ws.write_records("customers", [{"customer_id": "C1"}])


def test_the_workspace_reconnects_and_keeps_what_was_committed(ws: Workspace) -> None:
    ws.write_records("responses", ANSWERS)
    ws.reconnect()
    assert _answers(ws) == 2
    ws.write_records("responses", [{"response_id": "r3", "nps": 7}])
    assert _answers(ws) == 3


def test_writes_and_the_servers_throttles_follow_the_workspaces_settings(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The environment allows long texts and many answers; the workspace's settings do not."""
    from advocacy.present.web.state import WebState

    monkeypatch.setenv("ADVOCACY_MAX_TEXT_CHARS", "100000")
    monkeypatch.setenv("ADVOCACY_SURVEY_ANSWERS_PER_CLIENT", "500")
    own = advocacy.Settings.load().updated(max_text_chars=20, survey_answers_per_client=2)
    with advocacy.open(db_url, settings=own) as ws:
        with pytest.raises(ValidationError, match="at most 20 are accepted"):
            ws.write_records("responses", [{"response_id": "r9", "comment": "x" * 21}])
        assert _answers(ws) == 0
        assert WebState(ws).rate_limits.rates["survey_client"].allowed == 2
