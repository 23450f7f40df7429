"""Unit limits in one place (advocacy.access.scope), on DuckDB and PostgreSQL: the same rows
through SQL, Ibis and pandas; every table by its rule; scores from a handler's units alone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

import advocacy
from access.shared_units import ANALYST, ID_COLUMNS, NORTH_HANDLER, NORTH_SEES, RECORDS, fill
from advocacy.access.roles import Principal, Role
from advocacy.access.scope import (
    SqlSource,
    scope,
    scoped_table,
    sees_customer,
    sees_unitless,
    unit_condition,
    unit_limit,
    visible_units,
)
from advocacy.customer_view import customer_units
from advocacy.workspace import Workspace


@pytest.fixture
def ws(db_url: str, tmp_path: Path) -> Iterator[Workspace]:
    with advocacy.open(db_url) as workspace:
        fill(workspace, tmp_path)
        yield workspace


def test_only_case_handlers_are_limited() -> None:
    assert unit_limit(NORTH_HANDLER) == ("North",)
    for role in (Role.admin, Role.analyst, Role.viewer):
        assert unit_limit(Principal("x", role)) is None
    assert unit_limit(None) is None
    assert unit_limit(["North", "East"]) == ("North", "East")
    assert unit_condition(None) == ("TRUE", [])
    assert unit_condition(()) == ("FALSE", [])
    assert unit_condition(NORTH_HANDLER, column="c.unit") == ("c.unit IN (?)", ["North"])


def test_sql_ibis_and_pandas_sources_keep_the_same_rows(ws: Workspace) -> None:
    sql = SqlSource("SELECT response_id, unit FROM responses WHERE nps >= ?", (0,))
    for reach, expected in (
        (NORTH_HANDLER, {"rA", "rB1", "rD"}),
        (["North", "South"], {"rA", "rB1", "rB2", "rC", "rD"}),
        ([], set()),
        (ANALYST, {"rA", "rB1", "rB2", "rC", "rD"}),
    ):
        scoped = scope(sql, reach)
        through_sql = {row[0] for row in ws.db.fetchall(scoped.sql, list(scoped.params))}
        table = ws.db.ibis.table("responses")
        through_ibis = set(scope(table, reach).execute()["response_id"])
        frame = table.select("response_id", "unit").execute()
        through_pandas = set(scope(frame, reach)["response_id"])
        assert through_sql == through_ibis == through_pandas == expected, reach


def test_rows_without_a_unit_belong_to_no_unit(ws: Workspace) -> None:
    mentions = ws.db.ibis.table("mentions")
    assert set(scope(mentions, ["South"]).execute()["mention_id"]) == {"mB"}
    assert scope(mentions, NORTH_HANDLER).count().execute() == 0
    assert scope(mentions, ANALYST).count().execute() == 2


@pytest.mark.parametrize("table", sorted(NORTH_SEES))
def test_every_table_is_read_by_its_rule(ws: Workspace, table: str) -> None:
    rows = scoped_table(ws.db.ibis.table, table, NORTH_HANDLER).execute()
    assert set(rows[ID_COLUMNS[table]]) == NORTH_SEES[table]
    everything = scoped_table(ws.db.ibis.table, table, ANALYST).count().execute()
    assert everything == ws.db.ibis.table(table).count().execute() > 0


def test_rows_of_other_rows_take_their_unit(ws: Workspace) -> None:
    items = scoped_table(ws.db.ibis.table, "response_items", NORTH_HANDLER).execute()
    assert set(items["response_id"]) == {"rB1"}
    events = scoped_table(ws.db.ibis.table, "case_events", NORTH_HANDLER).execute()
    north = ws.db.fetchall("SELECT case_id FROM cases WHERE unit = 'North'")
    north_cases = {row[0] for row in north}
    assert set(events["case_id"]) == north_cases and len(north_cases) == 2
    # A table without a rule (the import ledger) fails closed.
    assert scoped_table(ws.db.ibis.table, "imports", NORTH_HANDLER).count().execute() == 0


def test_the_customer_rules_agree_in_python_and_ibis(ws: Workspace) -> None:
    """The customer view decides per customer in Python; analyses filter tables in Ibis."""
    notes = set(scoped_table(ws.db.ibis.table, "notes", NORTH_HANDLER).execute()["customer_id"])
    customers = scoped_table(ws.db.ibis.table, "customers", NORTH_HANDLER).execute()
    for record in RECORDS["customers"]:
        units = customer_units(ws.db, record["customer_id"])
        assert sees_customer(units, NORTH_HANDLER) == (
            record["customer_id"] in set(customers["customer_id"])
        )
        wholly = sees_unitless(units, NORTH_HANDLER)
        has_note = any(n["customer_id"] == record["customer_id"] for n in RECORDS["notes"])
        if has_note:
            assert wholly == (record["customer_id"] in notes), record["customer_id"]
    assert visible_units(customer_units(ws.db, "B"), NORTH_HANDLER) == ["North"]
    assert visible_units(customer_units(ws.db, "B"), ANALYST) == ["North", "South"]
    assert visible_units(customer_units(ws.db, "D"), ANALYST) == ["North"]
    assert not sees_unitless([], NORTH_HANDLER) and sees_unitless([], ANALYST)


def test_a_handlers_scores_come_from_their_units_alone(
    ws: Workspace, db_url: str, tmp_path: Path
) -> None:
    """Comparisons with "the rest" and adjusted p-values included: equal to the analyst's
    scores on a workspace holding only North's evidence."""
    calls = [
        (["nps", "csat"], {"by": ["unit", "segment"], "compare": "rest", "min_n": 1}),
        (["nps", "enps"], {"by": ["unit"], "compare": "rest", "min_n": 1}),
    ]
    scoped = [
        ws.metrics.scores(metrics, principal=NORTH_HANDLER, **options) for metrics, options in calls
    ]
    north = tmp_path / "north"
    north.mkdir()
    with advocacy.open(str(north / "north.duckdb")) as alone:
        fill(alone, north)
        for table in ("responses", "employee_responses", "cases"):
            alone.db.execute(f"DELETE FROM {table} WHERE unit IS NULL OR unit <> 'North'")
        expected = [alone.metrics.scores(metrics, **options) for metrics, options in calls]
        unscoped = [ws.metrics.scores(metrics, **options) for metrics, options in calls]
    for found, wanted, everyone in zip(scoped, expected, unscoped, strict=True):
        assert set(found["unit"]) == {"North"}
        pd.testing.assert_frame_equal(
            found.reset_index(drop=True), wanted.reset_index(drop=True), check_dtype=False
        )
        # Unscoped, the same call mixes in South (the check above cannot pass by accident).
        assert set(everyone["unit"]) == {"North", "South"}
