"""The identities a workspace knows, read for redaction, and refused rather than guessed.

Every name the workspace holds for a person is masked wherever it appears in free text: the
names of customers and employees, the interviewers of notes, and the contacts of referrals
(names, or phone numbers; e-mail addresses are found by their pattern anyway). Customer ids are
masked as ``[customer]`` and stored phone numbers as ``[phone]``. Mention authors are account
names: masked as names, but not where they are written as a handle (see
:class:`advocacy.text.pii.Redactor`).

Redaction **fails closed**: if any of these cannot be read (a table is missing, a query fails),
:func:`workspace_redactor` raises :class:`advocacy.errors.RedactionError` and whoever asked
for redacted text gets an error, never the text with a customer's name left in. A workspace
without customers is not a failure: it has nobody to mask.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any

from advocacy.errors import RedactionError
from advocacy.text.pii.redactor import Redactor

if TYPE_CHECKING:
    from advocacy.store.connection import Database

#: (table, column, kind) read for redaction; kind is how the values are masked.
SOURCES: tuple[tuple[str, str, str], ...] = (
    ("customers", "name", "name"),
    ("customers", "customer_id", "identifier"),
    ("customers", "phone", "phone"),
    ("employees", "name", "name"),
    ("notes", "interviewer", "name"),
    ("referrals", "referred_contact", "contact"),
    ("mentions", "author", "account"),
)


def _fetch(db: Database, table: str, column: str, sql: str) -> list[tuple[Any, ...]]:
    if not db.table_exists(table):
        raise RedactionError(
            f"cannot redact: table {table!r} is missing, so the names it holds are unknown",
            table=table,
            column=column,
            fix="run `advocacy status` to migrate the workspace, or open the right workspace",
        )
    try:
        return db.fetchall(sql)
    except Exception as error:  # any failure: the text is refused, never shown unredacted
        raise RedactionError(
            f"cannot redact: reading {table}.{column} failed ({type(error).__name__}: {error})",
            table=table,
            column=column,
            fix="check that the workspace is reachable and intact, then try again",
        ) from error


#: The last redactor built per database, with the signature of the identities it knows: every
#: page, export, report and notification asks for one, and building it (reading every name,
#: indexing them) costs a tenth of a second per 5,000 customers.
_BUILT: weakref.WeakKeyDictionary[Database, tuple[tuple[Any, ...], Redactor]] = (
    weakref.WeakKeyDictionary()
)


def _values(db: Database, table: str, column: str) -> list[str]:
    if db.dialect == "spark":  # a folder of Parquet tables: read through Ibis, on the engine
        rows = _read(db, table, column)
    else:
        sql = f"SELECT DISTINCT {column} FROM {table} WHERE {column} IS NOT NULL"
        rows = _fetch(db, table, column, sql)
    return [str(row[0]) for row in rows if row[0] is not None and str(row[0]).strip()]


def _read(db: Database, table: str, column: str) -> list[tuple[Any, ...]]:
    """The distinct values of ``table.column`` through Ibis (refused, never skipped, on error)."""
    try:
        rows = db.ibis.table(table)
        found = rows.filter(rows[column].notnull()).select(value=rows[column]).distinct()
        return [(row["value"],) for row in found.to_pyarrow().to_pylist()]
    except Exception as error:  # any failure: the text is refused, never shown unredacted
        raise RedactionError(
            f"cannot redact: reading {table}.{column} failed ({type(error).__name__}: {error})",
            table=table,
            column=column,
            fix="check that the folder holds the table with its canonical columns",
        ) from error


def _signature(db: Database) -> tuple[Any, ...]:
    """A digest of every identity, computed in the database: equal while nobody changes."""
    # Exact sums (HUGEINT, NUMERIC), so that one changed name always changes the digest.
    digest = (
        "hash({0})" if db.dialect == "duckdb" else "CAST(hashtext(CAST({0} AS TEXT)) AS BIGINT)"
    )
    parts = [
        f"SELECT {index} AS part, count({column}) AS n, "
        f"coalesce(sum({digest.format(column)}), 0) AS digest FROM {table}"
        for index, (table, column, _) in enumerate(SOURCES)
    ]
    try:
        rows = db.fetchall(" UNION ALL ".join(parts) + " ORDER BY part")
    except Exception as error:  # say which table or column failed, as reading them would
        for table, column, _ in SOURCES:
            _fetch(db, table, column, f"SELECT count({column}) FROM {table}")
        raise RedactionError(
            f"cannot redact: reading the workspace's identities failed ({error})",
            fix="check that the workspace is reachable and intact, then try again",
        ) from error
    return tuple(rows)


def _contact_kind(value: str) -> str | None:
    if "@" in value:
        return None  # an e-mail address: the e-mail pattern finds every one
    digits = sum(char.isdigit() for char in value)
    return "phone" if digits >= 6 and digits * 2 >= len(value.replace(" ", "")) else "name"


def workspace_redactor(db: Database) -> Redactor:
    """A :class:`Redactor` knowing every identity of :data:`SOURCES` in the workspace ``db``.

    Raises
    ------
    RedactionError
        When a table is missing or a query fails (module docstring).
    """
    # A Parquet source is read as it is now, each time (no digest query on the engine).
    signature = () if db.dialect == "spark" else _signature(db)
    cached = None if db.dialect == "spark" else _BUILT.get(db)
    if cached is not None and cached[0] == signature:
        return cached[1]
    found: dict[str, list[str]] = {"name": [], "identifier": [], "phone": [], "account": []}
    for table, column, kind in SOURCES:
        for value in _values(db, table, column):
            target = _contact_kind(value) if kind == "contact" else kind
            if target is not None:
                found[target].append(value)
    redactor = Redactor(
        found["name"],
        accounts=found["account"],
        identifiers=found["identifier"],
        phones=found["phone"],
    )
    _BUILT[db] = (signature, redactor)
    return redactor
