"""Merge placeholder customers into the customers they turned out to be.

An answer can name its customer before the company's own record arrives: a survey tied by
e-mail address (:mod:`advocacy.ingest.email_identity`) creates a placeholder ``email:…``
customer, and a CRM export imported later names the same person under the company's id. The
placeholder's evidence and work then move to that id, and the placeholder is deleted, so one
person is one customer on every page, in every count and in every case list.

Moving, not linking the two ids as one, because every analysis groups by ``customer_id``: an
alias table would have to be joined by each of them (and by Spark over Parquet), and one
forgotten join would count the person twice. What moved is counted and returned; nothing is
dropped: a placeholder that already shares an ask campaign with its customer (one assignment
per customer and campaign) is left as it is and counted, since either assignment would have
to go.

Only placeholders (``is_stub``) are merged: a customer imported with a record of its own is
the user's, whatever its id.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pyarrow as pa

from advocacy.model import CUSTOMERS, KINDS
from advocacy.store.connection import Database

__all__ = ["CUSTOMER_COLUMNS", "CustomerMerge", "merge_customers"]

#: The work tables' columns that name a customer (the canonical kinds' come from the model).
WORK_COLUMNS = (
    ("cases", "customer_id"),
    ("survey_invitations", "customer_id"),
    ("ask_members", "customer_id"),
    ("ask_events", "customer_id"),
    ("ask_rewards", "customer_id"),
)
#: Every (table, column) that names a customer.
CUSTOMER_COLUMNS = (
    *(
        (kind.table, item.name)
        for kind in KINDS.values()
        for item in kind.fields
        if item.reference == CUSTOMERS.name
    ),
    *WORK_COLUMNS,
)
_STAGE = "stage_customer_merges"


@dataclass(frozen=True)
class CustomerMerge:
    """What :func:`merge_customers` did.

    ``merged`` maps each placeholder merged to the customer it became; ``moved`` counts the
    records that changed customer, by table; ``kept`` lists placeholders left as they were
    because they share an ask campaign with their customer.
    """

    merged: dict[str, str] = field(default_factory=dict)
    moved: dict[str, int] = field(default_factory=dict)
    kept: tuple[str, ...] = ()


def merge_customers(db: Database, merges: Mapping[str, str]) -> CustomerMerge:
    """Move every record of each placeholder customer to the customer it turned out to be.

    Call inside ``Database.transaction()``: the moves and the deletions commit together.

    Parameters
    ----------
    db
        The workspace database.
    merges
        Placeholder customer id -> the id of the customer it is. Pairs whose first id is not
        a placeholder, or whose second is not on file, are left out.

    Returns
    -------
    CustomerMerge
        The placeholders merged, the records moved by table, the placeholders kept.
    """
    pairs = {old: new for old, new in merges.items() if old != new}
    if not pairs:
        return CustomerMerge()
    db.load_temporary(
        _STAGE,
        pa.table(
            {
                "old_id": pa.array(sorted(pairs), pa.string()),
                "new_id": pa.array([pairs[old] for old in sorted(pairs)], pa.string()),
            }
        ),
        {"old_id": "TEXT", "new_id": "TEXT"},
    )
    # Pairs that cannot merge: not a placeholder, no such customer, or both in one campaign.
    db.execute(
        f'DELETE FROM "{_STAGE}" WHERE NOT EXISTS (SELECT 1 FROM customers c '
        f'WHERE c.customer_id = "{_STAGE}".old_id AND c.is_stub) '
        f'OR NOT EXISTS (SELECT 1 FROM customers c WHERE c.customer_id = "{_STAGE}".new_id)'
    )
    kept = tuple(
        str(row[0])
        for row in db.fetchall(
            f'SELECT DISTINCT s.old_id FROM "{_STAGE}" s JOIN ask_members a ON a.customer_id = '
            "s.old_id JOIN ask_members b ON b.customer_id = s.new_id "
            "AND b.campaign_id = a.campaign_id ORDER BY s.old_id"
        )
    )
    if kept:
        db.execute(
            f'DELETE FROM "{_STAGE}" WHERE old_id IN (SELECT a.customer_id FROM ask_members a '
            f'JOIN ask_members b ON b.campaign_id = a.campaign_id JOIN "{_STAGE}" s '
            "ON a.customer_id = s.old_id AND b.customer_id = s.new_id)"
        )
    merged = {
        str(old): str(new) for old, new in db.fetchall(f'SELECT old_id, new_id FROM "{_STAGE}"')
    }
    moved: dict[str, int] = {}
    if merged:
        for table, column in CUSTOMER_COLUMNS:
            where = f'FROM "{_STAGE}" s WHERE t."{column}" = s.old_id'
            row = db.fetchone(
                f'SELECT count(*) FROM {table} t JOIN "{_STAGE}" s ON t."{column}" = s.old_id'
            )
            count = int(row[0]) if row else 0
            if count:
                db.execute(f'UPDATE {table} AS t SET "{column}" = s.new_id {where}')
                moved[table] = moved.get(table, 0) + count
        db.execute(f'DELETE FROM customers WHERE customer_id IN (SELECT old_id FROM "{_STAGE}")')
    db.execute(f'DROP TABLE "{_STAGE}"')
    return CustomerMerge(merged=merged, moved=moved, kept=kept)
