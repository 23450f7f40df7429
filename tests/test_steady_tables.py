"""``steady_tables``: inside the block each table is looked up once (its columns read once),
its rows are still read when a query runs, and outside the block every lookup is fresh."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import advocacy
from advocacy.store.steady import steady_result, steady_tables
from advocacy.workspace import Workspace


@pytest.fixture
def ws(db_url: str) -> Iterator[Workspace]:
    with advocacy.open(db_url) as workspace:
        workspace.db.execute("INSERT INTO customers (customer_id) VALUES ('C1')")
        yield workspace


def test_inside_the_block_a_table_is_looked_up_once(ws: Workspace) -> None:
    assert ws.table("customers") is not ws.table("customers")
    with steady_tables():
        first = ws.table("customers")
        assert ws.table("customers") is first
        assert ws.table("responses") is not first
    assert ws.table("customers") is not first  # the block ended: fresh lookups again


def test_rows_written_inside_the_block_are_counted(ws: Workspace) -> None:
    with steady_tables():
        customers = ws.table("customers")
        assert customers.count().execute() == 1
        ws.db.execute("INSERT INTO customers (customer_id) VALUES ('C2')")
        assert ws.table("customers").count().execute() == 2


def test_the_answers_of_an_analysis_are_the_same_inside_the_block(ws: Workspace) -> None:
    ws.db.execute(
        "INSERT INTO responses (response_id, customer_id, survey, submitted_at, unit, nps) "
        "VALUES ('r1', 'C1', 's', TIMESTAMP '2025-01-02 10:00:00', 'North', 10), "
        "('r2', 'C1', 's', TIMESTAMP '2025-01-03 10:00:00', 'North', 3)"
    )
    outside = ws.metrics.scores(["nps"], by="unit")
    with steady_tables():
        inside = ws.metrics.scores(["nps"], by="unit")
        again = ws.metrics.scores(["nps"], by="unit")
    assert outside.to_dict("records") == inside.to_dict("records") == again.to_dict("records")
    assert outside.loc[0, "n"] == 2


def test_a_result_is_computed_once_per_key_and_database_inside_the_block(ws: Workspace) -> None:
    computed: list[str] = []

    def compute(name: str) -> list[str]:
        computed.append(name)
        return [name]

    assert steady_result(ws.db, "a", lambda: compute("a")) == ["a"]
    assert steady_result(ws.db, "a", lambda: compute("a")) == ["a"]
    assert computed == ["a", "a"]  # outside a block every call computes
    with steady_tables():
        first = steady_result(ws.db, "a", lambda: compute("a"))
        assert steady_result(ws.db, "a", lambda: compute("a")) is first
        assert steady_result(ws.db, "b", lambda: compute("b")) == ["b"]
        other = object()  # another database: its own results
        assert steady_result(other, "a", lambda: compute("a")) is not first
    assert computed == ["a", "a", "a", "b", "a"]
    with steady_tables():  # a new block forgets the last one's results
        assert steady_result(ws.db, "a", lambda: compute("a")) is not first


def test_a_failed_computation_is_not_remembered(ws: Workspace) -> None:
    def fail() -> int:
        raise ValueError("not yet")

    with steady_tables():
        with pytest.raises(ValueError, match="not yet"):
            steady_result(ws.db, "x", fail)
        assert steady_result(ws.db, "x", lambda: 3) == 3
