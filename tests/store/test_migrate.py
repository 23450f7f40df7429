"""Migrations: a fresh workspace reaches the latest schema, which agrees with ``advocacy.model``;
older workspaces upgrade without loss; newer ones are refused."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from importlib import resources

import pytest

from advocacy.errors import SchemaVersionError
from advocacy.model import BOOKKEEPING_FIELDS, KINDS, FieldType
from advocacy.store.connection import Database, connect
from advocacy.store.migrate import available_migrations, current_version, latest_version, migrate

#: The database types (``information_schema.columns.data_type``, lower case) each logical type
#: may be stored as, on DuckDB and PostgreSQL.
TYPE_FAMILIES: dict[FieldType, frozenset[str]] = {
    FieldType.TEXT: frozenset({"varchar", "text", "character varying"}),
    FieldType.INTEGER: frozenset({"bigint", "integer", "smallint"}),
    FieldType.FLOAT: frozenset({"double", "double precision", "real", "float"}),
    # Always time-zone aware: a naive timestamp column would shift data by the session zone.
    FieldType.TIMESTAMP: frozenset({"timestamp with time zone"}),
    FieldType.DATE: frozenset({"date"}),
    FieldType.BOOLEAN: frozenset({"boolean"}),
    FieldType.JSON: frozenset({"json", "jsonb"}),
}


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = connect(db_url)
    yield database
    database.close()


def test_every_shipped_migration_file_is_recognised() -> None:
    folder = resources.files("advocacy.store.migrations")
    sql_files = sorted(entry.name for entry in folder.iterdir() if entry.name.endswith(".sql"))
    recognised = sorted(
        f"{m.version:04d}_{m.name}{'.' + m.dialect if m.dialect else ''}.sql"
        for m in available_migrations()
    )
    assert recognised == sql_files, "a misnamed migration would be skipped silently"
    versions = sorted({migration.version for migration in available_migrations()})
    assert versions == list(range(1, len(versions) + 1)), "versions must run 1, 2, 3, ..."


def test_fresh_workspace_migrates_to_latest(db: Database) -> None:
    assert current_version(db) == 0

    applied = migrate(db)

    assert applied == list(range(1, latest_version() + 1))
    assert current_version(db) == latest_version()
    recorded = db.fetchall("SELECT version, name FROM schema_migrations ORDER BY version")
    assert recorded == [(m.version, m.name) for m in available_migrations()]
    assert migrate(db) == [], "migrating an up-to-date workspace must do nothing"


def test_every_model_field_is_a_column_of_its_type(db: Database) -> None:
    migrate(db)
    problems: list[str] = []
    for kind in KINDS.values():
        fields = (*kind.fields, *kind.extra_fields, *BOOKKEEPING_FIELDS)
        columns = {name: data_type.lower() for name, data_type in db.columns(kind.table)}
        if not columns:
            problems.append(f"{kind.table}: no such table")
            continue
        for field in fields:
            if field.name not in columns:
                problems.append(f"{kind.table}.{field.name}: missing column")
            elif columns[field.name] not in TYPE_FAMILIES[field.type]:
                problems.append(
                    f"{kind.table}.{field.name}: column type {columns[field.name]!r} "
                    f"does not store {field.type.value}"
                )
        for extra in sorted(set(columns) - {field.name for field in fields}):
            problems.append(f"{kind.table}.{extra}: column not declared in advocacy.model")
    assert problems == []


def _insert_version_1_rows(db: Database) -> None:
    db.execute(
        "INSERT INTO customers (customer_id, name, first_seen, is_stub, attrs, source) "
        "VALUES (?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?)",
        [
            "c1",
            "Ada",
            datetime(2023, 5, 1, 9, 30, tzinfo=UTC),
            False,
            '{"plan": "pro"}',
            "import-1",
            "c2",
            None,
            None,
            True,
            None,
            "import-1",
        ],
    )
    db.execute(
        "INSERT INTO responses (response_id, customer_id, submitted_at, nps, csat, comment) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        ["r1", "c1", datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC), 9, 4.5, "quick, kind help"],
    )


def _snapshot(db: Database) -> dict[str, list[tuple[object, ...]]]:
    return {
        "customers": db.fetchall(
            "SELECT customer_id, name, first_seen, is_stub, source FROM customers "
            "ORDER BY customer_id"
        ),
        "responses": db.fetchall(
            "SELECT response_id, customer_id, submitted_at, nps, csat, comment FROM responses"
        ),
    }


def test_version_1_workspace_upgrades_without_losing_rows(db: Database) -> None:
    assert migrate(db, target=1) == [1]
    assert current_version(db) == 1
    _insert_version_1_rows(db)
    before = _snapshot(db)
    assert len(before["customers"]) == 2
    assert len(before["responses"]) == 1

    applied = migrate(db)

    assert applied == list(range(2, latest_version() + 1))
    assert current_version(db) == latest_version()
    assert _snapshot(db) == before


def test_upgraded_postgres_workspace_enforces_keys(postgres_url: str) -> None:
    import psycopg

    db = connect(postgres_url)
    try:
        migrate(db, target=1)
        _insert_version_1_rows(db)
        migrate(db)
        with pytest.raises(psycopg.errors.UniqueViolation):
            db.execute("INSERT INTO customers (customer_id) VALUES (?)", ["c1"])
    finally:
        db.close()


def test_workspace_from_a_newer_advocacy_is_refused(db: Database) -> None:
    migrate(db)
    db.execute(
        "INSERT INTO schema_migrations VALUES (?, ?, ?)",
        [999, "from_the_future", datetime(2030, 1, 1, tzinfo=UTC)],
    )

    with pytest.raises(SchemaVersionError) as raised:
        migrate(db)

    message = str(raised.value)
    assert "999" in message
    assert re.search(r"upgrade advocacy", message), message
    assert current_version(db) == 999, "a refused workspace must be left untouched"
