"""What is in a workspace: counts per table, date ranges and recent imports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from advocacy.model import KINDS, FieldType
from advocacy.store.connection import Database
from advocacy.store.ledger import quarantine_counts, recent_imports
from advocacy.store.migrate import current_version


@dataclass(frozen=True)
class TableStatus:
    table: str
    rows: int
    date_field: str | None = None
    first: datetime | None = None
    last: datetime | None = None


@dataclass
class WorkspaceStatus:
    url: str
    schema_version: int
    tables: list[TableStatus]
    imports: list[dict[str, Any]] = field(default_factory=list)
    quarantined: int = 0  # source rows in quarantine still waiting for a fix (open)
    stub_customers: int = 0
    quarantine_resolved: int = 0  # quarantined rows a later import loaded

    def rows(self, table: str) -> int:
        for item in self.tables:
            if item.table == table:
                return item.rows
        raise KeyError(table)


def workspace_status(db: Database) -> WorkspaceStatus:
    """Summarise the workspace at ``db``."""
    tables = []
    for kind in KINDS.values():
        date_field = next(
            (item.name for item in kind.fields if item.type is FieldType.TIMESTAMP), None
        )
        if date_field:
            row = db.fetchone(
                f"SELECT count(*), min({date_field}), max({date_field}) FROM {kind.table}"
            )
        else:
            row = db.fetchone(f"SELECT count(*), NULL, NULL FROM {kind.table}")
        count, first, last = row if row else (0, None, None)
        tables.append(TableStatus(kind.table, int(count), date_field, first, last))
    waiting, resolved = quarantine_counts(db)
    stubs = db.fetchone("SELECT count(*) FROM customers WHERE is_stub")
    return WorkspaceStatus(
        url=db.url,
        schema_version=current_version(db),
        tables=tables,
        imports=recent_imports(db),
        quarantined=waiting,
        quarantine_resolved=resolved,
        stub_customers=int(stubs[0]) if stubs else 0,
    )
