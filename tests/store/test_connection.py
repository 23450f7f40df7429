"""The database connection: URLs, all-or-nothing transactions and bulk loading, on both engines."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pyarrow as pa
import pytest

from advocacy.store.connection import Database, connect, dialect_of, duckdb_path

LOADED_TYPES = {
    "id": "BIGINT",
    "name": "TEXT",
    "score": "DOUBLE PRECISION",
    "seen_at": "TIMESTAMPTZ",
}


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = connect(db_url)
    yield database
    database.close()


def _count(url: str) -> int:
    """Rows in ``t`` as seen by a new connection (so only committed rows count)."""
    other = connect(url)
    try:
        row = other.fetchone("SELECT count(*) FROM t")
    finally:
        other.close()
    assert row is not None
    return int(row[0])


@pytest.mark.parametrize(
    ("url", "dialect", "path"),
    [
        ("postgresql://user@host:5432/name", "postgres", None),
        ("postgres://host/name", "postgres", None),
        ("duckdb:///srv/data/advocacy.duckdb", "duckdb", "/srv/data/advocacy.duckdb"),
        ("duckdb://advocacy.duckdb", "duckdb", "advocacy.duckdb"),
        ("advocacy.duckdb", "duckdb", "advocacy.duckdb"),
        (":memory:", "duckdb", ":memory:"),
    ],
)
def test_url_names_engine_and_file(url: str, dialect: str, path: str | None) -> None:
    assert dialect_of(url) == dialect
    if path is not None:
        assert duckdb_path(url) == path


def test_transaction_commits_together(db_url: str, db: Database) -> None:
    db.execute("CREATE TABLE t (id BIGINT, name TEXT)")
    with db.transaction():
        db.execute("INSERT INTO t VALUES (?, ?)", [1, "one"])
        db.execute("INSERT INTO t VALUES (?, ?)", [2, "two"])
    db.close()
    assert _count(db_url) == 2


def test_transaction_rolls_back_on_exception(db_url: str, db: Database) -> None:
    db.execute("CREATE TABLE t (id BIGINT, name TEXT)")

    with pytest.raises(RuntimeError, match="stop here"), db.transaction():
        db.execute("INSERT INTO t VALUES (?, ?)", [1, "one"])
        db.execute("INSERT INTO t VALUES (?, ?)", [2, "two"])
        raise RuntimeError("stop here")

    assert db.fetchone("SELECT count(*) FROM t") == (0,)
    db.close()
    assert _count(db_url) == 0


def test_failed_statement_rolls_back_the_transaction_and_connection_recovers(
    db: Database,
) -> None:
    db.execute("CREATE TABLE t (id BIGINT, name TEXT)")

    with pytest.raises(Exception, match=r"(?i)no_such_table"), db.transaction():
        db.execute("INSERT INTO t VALUES (?, ?)", [1, "one"])
        db.execute("INSERT INTO no_such_table VALUES (1)")

    assert db.fetchone("SELECT count(*) FROM t") == (0,)
    with db.transaction():
        db.execute("INSERT INTO t VALUES (?, ?)", [3, "three"])
    assert db.fetchall("SELECT id, name FROM t") == [(3, "three")]


def test_nested_transaction_joins_the_outer_one(db: Database) -> None:
    db.execute("CREATE TABLE t (id BIGINT, name TEXT)")

    with pytest.raises(RuntimeError), db.transaction():
        db.execute("INSERT INTO t VALUES (?, ?)", [1, "outer"])
        with db.transaction():
            db.execute("INSERT INTO t VALUES (?, ?)", [2, "inner"])
        raise RuntimeError("outer fails after the inner block finished")

    assert db.fetchone("SELECT count(*) FROM t") == (0,)


def _awkward_table() -> pa.Table:
    return pa.table(
        {
            "id": pa.array([1, 2, 3, 4, 5], pa.int64()),
            "name": pa.array(
                ["plain", 'comma, "quotes"\nand a new line', "ünïcødé ✓", None, "NULL"],
                pa.string(),
            ),
            "score": pa.array([0.1, -2.5, 1234567.125, None, 1e-10], pa.float64()),
            "seen_at": pa.array(
                [
                    datetime(2024, 1, 2, 3, 4, 5, 123456, tzinfo=UTC),
                    datetime(1999, 12, 31, 23, 59, 59, tzinfo=UTC),
                    None,
                    datetime(2024, 2, 29, tzinfo=UTC),
                    datetime(2030, 6, 1, 12, tzinfo=UTC),
                ],
                pa.timestamp("us", tz="UTC"),
            ),
        }
    )


def test_load_temporary_round_trips_values(db: Database) -> None:
    data = _awkward_table()

    db.load_temporary("loaded", data, LOADED_TYPES)

    back = db.fetch_arrow('SELECT id, name, score, seen_at FROM "loaded" ORDER BY id')
    assert back.column_names == data.column_names
    assert back.to_pylist() == data.to_pylist()


def test_load_temporary_keeps_empty_text_apart_from_null(db: Database) -> None:
    data = pa.table({"id": pa.array([1, 2], pa.int64()), "name": pa.array(["", None])})

    db.load_temporary("loaded", data, {"id": "BIGINT", "name": "TEXT"})

    assert db.fetchall('SELECT id, name FROM "loaded" ORDER BY id') == [(1, ""), (2, None)]


def test_load_temporary_replaces_and_accepts_no_rows(db: Database) -> None:
    db.load_temporary("loaded", _awkward_table(), LOADED_TYPES)

    db.load_temporary("loaded", _awkward_table().slice(0, 0), LOADED_TYPES)

    assert db.fetchone('SELECT count(*) FROM "loaded"') == (0,)
    assert [name for name, _ in db.columns("loaded")] == ["id", "name", "score", "seen_at"]


def test_a_literal_question_mark_and_percent_sign_are_not_placeholders(db: Database) -> None:
    db.execute('CREATE TABLE notes ("why?" TEXT, body TEXT, share TEXT)')
    db.execute(
        "INSERT INTO notes VALUES ('why?', ?, '50%') -- a comment may ask? too",
        ["100% sure?"],
    )
    rows = db.fetchall(
        'SELECT "why?", body, share FROM notes '
        "WHERE share LIKE '%\\%' ESCAPE '\\' AND body = ? AND '?' = '?'",
        ["100% sure?"],
    )
    assert rows == [("why?", "100% sure?", "50%")]
    assert db.fetchone("SELECT count(*) FROM notes WHERE body LIKE '100%'") == (1,)


def test_threads_share_one_database_each_on_its_own_connection(db: Database) -> None:
    db.execute("CREATE TABLE t (id BIGINT, thread TEXT)")
    start = threading.Barrier(8)

    def work(number: int) -> list[int]:
        start.wait()  # all threads at once, so they really overlap
        seen = []
        for step in range(20):
            with db.transaction():
                db.execute("INSERT INTO t VALUES (?, ?)", [number * 100 + step, f"t{number}"])
                mine = db.fetchone("SELECT count(*) FROM t WHERE thread = ?", [f"t{number}"])
            assert mine is not None
            seen.append(int(mine[0]))
        return seen

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(work, range(8)))
    # Each thread sees its own committed rows, one more per step, whatever the others do.
    assert results == [list(range(1, 21))] * 8
    assert db.fetchone("SELECT count(*), count(DISTINCT id) FROM t") == (160, 160)


def test_a_transaction_belongs_to_its_thread(db: Database) -> None:
    db.execute("CREATE TABLE t (id BIGINT)")
    inside, checked = threading.Event(), threading.Event()

    def outside() -> int | None:
        inside.wait()
        row = db.fetchone("SELECT count(*) FROM t")  # another thread: uncommitted rows unseen
        checked.set()
        return None if row is None else int(row[0])

    with ThreadPoolExecutor(max_workers=1) as pool:
        seen = pool.submit(outside)
        with db.transaction():
            db.execute("INSERT INTO t VALUES (1)")
            inside.set()
            checked.wait(timeout=30)
        assert seen.result() == 0
    assert db.fetchone("SELECT count(*) FROM t") == (1,)
