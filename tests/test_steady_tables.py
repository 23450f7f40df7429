"""``steady_tables``: inside the block each table is looked up once (its columns read once),
its rows are still read when a query runs, and outside the block every lookup is fresh."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import advocacy
from advocacy.store.steady import steady_tables
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
