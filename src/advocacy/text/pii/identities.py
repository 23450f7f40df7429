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

from typing import TYPE_CHECKING

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


def _values(db: Database, table: str, column: str) -> list[str]:
    if not db.table_exists(table):
        raise RedactionError(
            f"cannot redact: table {table!r} is missing, so the names it holds are unknown",
            table=table,
            column=column,
            fix="run `advocacy status` to migrate the workspace, or open the right workspace",
        )
    try:
        rows = db.fetchall(f"SELECT DISTINCT {column} FROM {table} WHERE {column} IS NOT NULL")
    except Exception as error:  # any failure: the text is refused, never shown unredacted
        raise RedactionError(
            f"cannot redact: reading {table}.{column} failed ({type(error).__name__}: {error})",
            table=table,
            column=column,
            fix="check that the workspace is reachable and intact, then try again",
        ) from error
    return [str(row[0]) for row in rows if row[0] is not None and str(row[0]).strip()]


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
    found: dict[str, list[str]] = {"name": [], "identifier": [], "phone": [], "account": []}
    for table, column, kind in SOURCES:
        for value in _values(db, table, column):
            target = _contact_kind(value) if kind == "contact" else kind
            if target is not None:
                found[target].append(value)
    return Redactor(
        found["name"],
        accounts=found["account"],
        identifiers=found["identifier"],
        phones=found["phone"],
    )
