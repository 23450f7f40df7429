"""Multi-row inserts: many rows of one table in one ``INSERT ... VALUES (...), (...)`` statement.

Bulk writes (the loop's batch of cases with their timeline, audit and outbox rows; a batch of
audit entries) go through :func:`insert_rows`, so a batch costs one statement per table rather
than one per row. The same SQL runs on DuckDB and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from advocacy.store.connection import Database

#: Parameters per statement, well under PostgreSQL's limit of 65,535 bind parameters.
MAX_PARAMETERS = 30_000


def insert_rows(
    db: Database,
    table: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
) -> None:
    """Insert ``rows`` (values in ``columns`` order) into ``table`` in as few statements as fit.

    Parameters
    ----------
    db
        The database; runs in the caller's transaction.
    table, columns
        Where the rows go; ``columns`` are filled from each row's values, in order.
    rows
        One sequence of values per row (none: nothing is run).
    """
    if not rows:
        return
    one_row = "(" + ", ".join("?" for _ in columns) + ")"
    per_statement = max(1, MAX_PARAMETERS // max(len(columns), 1))
    for start in range(0, len(rows), per_statement):
        chunk = rows[start : start + per_statement]
        values = ", ".join([one_row] * len(chunk))
        db.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES {values}",
            [value for row in chunk for value in row],
        )


__all__ = ["MAX_PARAMETERS", "insert_rows"]
