"""Create and upgrade a workspace's schema by applying versioned migrations in order.

A newer advocacy opens a workspace made by an older one and upgrades it without loss; an older
advocacy refuses a workspace whose schema is newer than it knows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources

from advocacy.errors import SchemaVersionError, WorkspaceError
from advocacy.store.connection import Database

_NAME = re.compile(
    r"^(?P<version>\d{4})_(?P<name>[a-z0-9_]+?)(\.(?P<dialect>duckdb|postgres))?\.sql$"
)


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    dialect: str | None
    sql: str

    def applies_to(self, dialect: str) -> bool:
        return self.dialect is None or self.dialect == dialect


def available_migrations() -> list[Migration]:
    """Every migration shipped with this advocacy, in version order."""
    found: list[Migration] = []
    for entry in resources.files("advocacy.store.migrations").iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(
                Migration(
                    int(match["version"]),
                    match["name"],
                    match["dialect"],
                    entry.read_text(encoding="utf-8"),
                )
            )
    found.sort(key=lambda migration: migration.version)
    return found


def latest_version() -> int:
    return max(migration.version for migration in available_migrations())


def _statements(sql: str) -> list[str]:
    lines = [line for line in sql.splitlines() if not line.lstrip().startswith("--")]
    return [statement.strip() for statement in "\n".join(lines).split(";") if statement.strip()]


def current_version(db: Database) -> int:
    """The schema version the workspace is at (0 for an empty database)."""
    if not db.table_exists("schema_migrations"):
        return 0
    row = db.fetchone("SELECT max(version) FROM schema_migrations")
    return int(row[0]) if row and row[0] is not None else 0


def migrate(db: Database, *, target: int | None = None) -> list[int]:
    """Upgrade ``db`` to ``target`` (default: the latest version); return the versions applied.

    Each migration runs in its own transaction, so an interrupted upgrade leaves the workspace
    at the last fully applied version.
    """
    known = latest_version()
    version = current_version(db)
    if version > known:
        raise SchemaVersionError(
            f"workspace {db.url!r} has schema version {version}, newer than this advocacy "
            f"knows (up to {known})",
            value=version,
            fix="upgrade advocacy (pip install -U advocacy) before opening this workspace",
        )
    goal = known if target is None else target
    if not db.table_exists("schema_migrations"):
        db.execute(
            "CREATE TABLE schema_migrations "
            "(version BIGINT NOT NULL, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)"
        )
    applied: list[int] = []
    for migration in available_migrations():
        if migration.version <= version or migration.version > goal:
            continue
        try:
            with db.transaction():
                if migration.applies_to(db.dialect):
                    for statement in _statements(migration.sql):
                        db.execute(statement)
                db.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?, ?)",
                    [migration.version, migration.name, datetime.now(UTC)],
                )
        except Exception as error:
            raise WorkspaceError(
                f"migration {migration.version:04d}_{migration.name} failed: {error}",
                fix="restore the workspace from a backup and report this as a bug",
            ) from error
        applied.append(migration.version)
    return applied
