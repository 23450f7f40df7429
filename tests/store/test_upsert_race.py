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
from advocacy.model import CUSTOMERS, KINDS, RESPONSES, Kind
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
    url: str,
    first_writes: Callable[[Any], object],
    second_writes: Callable[[Any], UpsertCounts],
    first_then: Callable[[Any], object] | None = None,
) -> UpsertCounts:
    """Run ``second_writes`` while ``first_writes``'s transaction is open; its counts.

    ``first_then`` is written in the first transaction once the second writer waits for it.
    """
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
            if first_then is not None:
                first_then(first.db)
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


def test_writers_of_the_same_records_in_opposite_orders_do_not_deadlock(
    postgres_url: str,
) -> None:
    # The second writer's rows come B first; were they written in that order, it would hold
    # B while waiting for A, and the first writer would then wait for B: a deadlock, and
    # PostgreSQL aborts one of them. Written in key order, the second waits before taking B.
    a, b = _rows(RESPONSES, [A1]), _rows(RESPONSES, [A2])
    both = _rows(RESPONSES, [{**A2, "nps": 0}, {**A1, "nps": 0}])
    assert both.column("response_id").to_pylist() == ["A2", "A1"]
    counts = _race(
        postgres_url,
        lambda db: upsert(db, RESPONSES, a, source="first"),
        lambda db: upsert(db, RESPONSES, both, source="second"),
        first_then=lambda db: upsert(db, RESPONSES, b, source="first"),
    )
    assert (counts.inserted, counts.updated, counts.unchanged) == (0, 2, 0)
    assert _stored(postgres_url) == [("A1", 0, "second"), ("A2", 0, "second")]


def test_every_kind_has_a_unique_index_on_its_key(postgres_url: str) -> None:
    # The upsert names the key as its conflict target; PostgreSQL needs a unique index on
    # exactly those columns (no partial one) to take it.
    with advocacy.open(postgres_url) as ws:
        indexes = ws.db.fetchall(
            "SELECT t.relname, array_agg(a.attname::text ORDER BY a.attname) "
            "FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid "
            "JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY(i.indkey) "
            "WHERE i.indisunique AND i.indpred IS NULL AND t.relnamespace = "
            "(SELECT oid FROM pg_namespace WHERE nspname = current_schema()) "
            "GROUP BY i.indexrelid, t.relname"
        )
    unique = {(str(table), tuple(columns)) for table, columns in indexes}
    for kind in KINDS.values():
        assert (kind.table, tuple(sorted(kind.key))) in unique, kind.table


@pytest.mark.parametrize("by_row", [False, True], ids=["counts", "by-row"])
def test_new_changed_and_unchanged_records_are_counted_alike_on_both_engines(
    db_url: str, by_row: bool
) -> None:
    old = [{**A1, "response_id": f"R{i}", "nps": i} for i in range(6)]
    # R0-R1 unchanged, R2-R3 changed (one to an empty score), R4-R5 left out, N1-N2 new.
    again = [*old[:2], {**old[2], "nps": 10}, {**old[3], "nps": ""}]
    again += [{**A2, "response_id": "N1"}, {**A2, "response_id": "N2", "comment": "new"}]
    first, second = _rows(RESPONSES, old), _rows(RESPONSES, again)
    with advocacy.open(db_url) as ws:
        with ws.db.transaction():
            made = upsert(ws.db, RESPONSES, first, source="first", by_row=by_row)
        with ws.db.transaction():
            counts = upsert(ws.db, RESPONSES, second, source="second", by_row=by_row)
        stored = ws.db.fetchall("SELECT response_id, nps, source FROM responses ORDER BY 1")
    assert (made.inserted, made.updated, made.unchanged) == (6, 0, 0)
    assert (counts.inserted, counts.updated, counts.unchanged) == (2, 2, 2)
    if by_row:
        row_of = _row_of(second)
        assert counts.inserted_rows == {row_of["N1"], row_of["N2"]}
        assert counts.updated_rows == {row_of["R2"], row_of["R3"]}
    assert [(str(key), nps, str(source)) for key, nps, source in stored] == [
        ("N1", 3, "second"),
        ("N2", 3, "second"),
        ("R0", 0, "first"),
        ("R1", 1, "first"),
        ("R2", 10, "second"),
        ("R3", None, "second"),  # an update replaces every field, an empty one too
        ("R4", 4, "first"),
        ("R5", 5, "first"),
    ]
