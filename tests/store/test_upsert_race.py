"""Two writers upserting one record at once on PostgreSQL: no error, counted as one after another.

Two server processes (``serve --workers 2``) writing the same record at the same moment, e.g. a
client retrying on another worker, each found it absent; the second insert then broke the
table's key and its write was answered 500. The second writer now waits for the first and
updates the record (or leaves it alone when the content is the same), as if it came after.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pyarrow as pa
import pytest

import advocacy
from advocacy.ingest.formats import adapt
from advocacy.ingest.raw import RawTable
from advocacy.ingest.validation import validate
from advocacy.model import CUSTOMERS, RESPONSES, Kind
from advocacy.store.upsert import UpsertCounts, create_stubs, upsert


def _rows(kind: Kind, records: list[dict[str, Any]]) -> pa.Table:
    """``records`` read, mapped and validated as an import does (rows ready for ``upsert``)."""
    header = list(records[0])
    columns = {name: pa.array([str(r[name]) for r in records], pa.string()) for name in header}
    raw = RawTable("test", "json", header, pa.table(columns), first_data_row=0)
    validated = validate(adapt(raw, kind, source="generic"), timezone="UTC")
    assert not validated.bad_cells
    return validated.rows


def _race(
    url: str, first_writes: Callable[[Any], object], second_writes: Callable[[Any], UpsertCounts]
) -> UpsertCounts:
    """Run ``second_writes`` while ``first_writes``'s transaction is open; its counts."""
    with advocacy.open(url) as first, advocacy.open(url) as second:
        outcome: list[UpsertCounts] = []
        errors: list[BaseException] = []
        entered = threading.Event()

        def other_writer() -> None:
            try:
                entered.wait(timeout=30)
                with second.db.transaction():
                    outcome.append(second_writes(second.db))
            except BaseException as error:  # the assertion below names it
                errors.append(error)

        thread = threading.Thread(target=other_writer)
        thread.start()
        with first.db.transaction():
            first_writes(first.db)
            entered.set()
            thread.join(timeout=2)  # the other writer now waits on this transaction's row
            assert thread.is_alive()
        thread.join(timeout=60)
        assert errors == []
        assert len(outcome) == 1
        return outcome[0]


def _row_of(rows: pa.Table) -> dict[str, int]:
    """Each response's ``_row`` in ``rows`` (what ``by_row`` counts name)."""
    keys, numbers = rows.column("response_id").to_pylist(), rows.column("_row").to_pylist()
    return dict(zip(keys, numbers, strict=True))


def _stored(url: str) -> list[tuple[str, int, str]]:
    with advocacy.open(url) as ws:
        rows = ws.db.fetchall("SELECT response_id, nps, source FROM responses ORDER BY 1")
    return [(str(key), int(nps), str(source)) for key, nps, source in rows]


A1 = {"response_id": "A1", "customer_id": "C1", "submitted_at": "2026-01-01T10:00:00Z", "nps": 9}
A2 = {"response_id": "A2", "customer_id": "C1", "submitted_at": "2026-01-02T10:00:00Z", "nps": 3}


@pytest.mark.parametrize("by_row", [False, True], ids=["counts", "by-row"])
def test_a_changed_record_written_at_once_by_two_writers_is_updated(
    postgres_url: str, by_row: bool
) -> None:
    first, changed = _rows(RESPONSES, [A1]), _rows(RESPONSES, [{**A1, "nps": 4}, A2])
    counts = _race(
        postgres_url,
        lambda db: upsert(db, RESPONSES, first, source="first"),
        lambda db: upsert(db, RESPONSES, changed, source="second", by_row=by_row),
    )
    assert (counts.inserted, counts.updated, counts.unchanged) == (1, 1, 0)
    if by_row:
        row_of = _row_of(changed)
        assert counts.inserted_rows == {row_of["A2"]}
        assert counts.updated_rows == {row_of["A1"]}
    # The second writer's values win, as when it writes after the first.
    assert _stored(postgres_url) == [("A1", 4, "second"), ("A2", 3, "second")]


@pytest.mark.parametrize("by_row", [False, True], ids=["counts", "by-row"])
def test_a_retry_written_at_once_with_the_first_try_changes_nothing(
    postgres_url: str, by_row: bool
) -> None:
    first, retried = _rows(RESPONSES, [A1]), _rows(RESPONSES, [A1, A2])
    counts = _race(
        postgres_url,
        lambda db: upsert(db, RESPONSES, first, source="first"),
        lambda db: upsert(db, RESPONSES, retried, source="second", by_row=by_row),
    )
    assert (counts.inserted, counts.updated, counts.unchanged) == (1, 0, 1)
    if by_row:
        row_of = _row_of(retried)
        assert counts.inserted_rows == {row_of["A2"]}
        assert counts.updated_rows == frozenset()
    assert _stored(postgres_url) == [("A1", 9, "first"), ("A2", 3, "second")]


def test_a_customer_written_while_another_writer_makes_its_placeholder_fills_it_in(
    postgres_url: str,
) -> None:
    customer = _rows(CUSTOMERS, [{"customer_id": "C1", "name": "Ada", "segment": "smb"}])
    counts = _race(
        postgres_url,
        lambda db: create_stubs(db, {"C1": "answers"}),
        lambda db: upsert(db, CUSTOMERS, customer, source="crm"),
    )
    assert (counts.inserted, counts.updated, counts.unchanged) == (0, 1, 0)
    with advocacy.open(postgres_url) as ws:
        stored = ws.db.fetchall("SELECT customer_id, name, segment, is_stub, source FROM customers")
    assert stored == [("C1", "Ada", "smb", False, "crm")]
