"""Merge placeholder customers into the customers they turned out to be.

An answer can name its customer before the company's own record arrives: a survey tied by
e-mail address (:mod:`advocacy.ingest.email_identity`) creates a placeholder ``email:…``
customer, and a CRM export imported later names the same person under the company's id. The
placeholder's evidence and work then move to that id, and the placeholder is deleted, so one
person is one customer on every page, in every count and in every case list.

Moving, not linking the two ids as one, because every analysis groups by ``customer_id``: an
alias table would have to be joined by each of them (and by Spark over Parquet), and one
forgotten join would count the person twice. The old id is still recorded, in
``customer_aliases`` (written in the merge's transaction), for what cannot move: a link or
survey invitation already sent signs the old id (:func:`current_customers` resolves it), and a
later answer from the placeholder's address ties to the customer it became
(:func:`customers_by_alias_key`), even once that customer's own address has changed, as long
as no other customer holds the address now (the current holder wins:
:func:`advocacy.ingest.email_identity.retie`).

What moved is counted and returned; nothing is dropped: a placeholder that already shares an
ask campaign with its customer (one assignment per customer and campaign) is left as it is and
counted, since either assignment would have to go.

Only placeholders (``is_stub``) are merged: a customer imported with a record of its own is
the user's, whatever its id. Before a merge, single records can move to another customer
(:func:`move_records`), when a placeholder turns out to hold two people's answers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pyarrow as pa

from advocacy.model import CUSTOMERS, KINDS
from advocacy.store.connection import Database

__all__ = [
    "CUSTOMER_COLUMNS",
    "CustomerMerge",
    "current_customers",
    "customers_by_alias_key",
    "merge_customers",
    "move_records",
]

#: The work tables' columns that name a customer (the canonical kinds' come from the model).
WORK_COLUMNS = (
    ("cases", "customer_id"),
    ("survey_invitations", "customer_id"),
    ("ask_members", "customer_id"),
    ("ask_events", "customer_id"),
    ("ask_rewards", "customer_id"),
    ("customer_aliases", "customer_id"),
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


def merge_customers(
    db: Database,
    merges: Mapping[str, str],
    *,
    keys: Mapping[str, str] | None = None,
    import_id: str | None = None,
) -> CustomerMerge:
    """Move every record of each placeholder customer to the customer it turned out to be.

    Call inside ``Database.transaction()``: the moves and the deletions commit together.

    Parameters
    ----------
    db
        The workspace database.
    merges
        Placeholder customer id -> the id of the customer it is. Pairs whose first id is not
        a placeholder, or whose second is not on file, are left out.
    keys
        Placeholder customer id -> the comparison key of the address it was created for,
        recorded with its alias (see :func:`customers_by_alias_key`).
    import_id
        The import that merges, recorded with each alias.

    Returns
    -------
    CustomerMerge
        The placeholders merged, the records moved by table, the placeholders kept.
    """
    pairs = {old: new for old, new in merges.items() if old != new}
    if not pairs:
        return CustomerMerge()
    olds = sorted(pairs)
    db.load_temporary(
        _STAGE,
        pa.table(
            {
                "old_id": pa.array(olds, pa.string()),
                "new_id": pa.array([pairs[old] for old in olds], pa.string()),
                "email_key": pa.array([(keys or {}).get(old) for old in olds], pa.string()),
            }
        ),
        {"old_id": "TEXT", "new_id": "TEXT", "email_key": "TEXT"},
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
        # After the moves, which repointed aliases of the placeholders to their new customer.
        db.execute(
            "INSERT INTO customer_aliases (alias_id, customer_id, email_key, merged_at, "
            f'import_id) SELECT old_id, new_id, email_key, ?, ? FROM "{_STAGE}"',
            [datetime.now(UTC), import_id],
        )
    db.execute(f'DROP TABLE "{_STAGE}"')
    return CustomerMerge(merged=merged, moved=moved, kept=kept)


def current_customers(db: Database, customer_ids: Iterable[str]) -> dict[str, str]:
    """The customer each of ``customer_ids`` is now: itself, or the one it was merged into.

    A link or invitation signed before a merge names the merged-away id; its answer, click or
    case belongs to the customer that id became.

    Parameters
    ----------
    db
        The workspace database.
    customer_ids
        Customer ids, as signed into links or stored before a merge.

    Returns
    -------
    dict[str, str]
        Each id -> the id it is now (itself when it was never merged away).
    """
    ids = sorted(set(customer_ids))
    if not ids:
        return {}
    rows = db.fetchall(
        "SELECT alias_id, customer_id FROM customer_aliases "
        f"WHERE alias_id IN ({', '.join('?' * len(ids))})",
        ids,
    )
    now = {str(alias): str(customer) for alias, customer in rows}
    return {customer_id: now.get(customer_id, customer_id) for customer_id in ids}


def customers_by_alias_key(db: Database, keys: Iterable[str]) -> dict[str, str]:
    """The customer each address key's placeholder was merged into, for the keys merged.

    Parameters
    ----------
    db
        The workspace database.
    keys
        Comparison keys of addresses (:func:`advocacy.ingest.email_identity.normalised_address`).

    Returns
    -------
    dict[str, str]
        Key -> the customer its ``email:`` placeholder became; keys never merged are left out.
    """
    wanted = sorted(set(keys))
    if not wanted:
        return {}
    stage = "stage_alias_keys"
    db.load_temporary(
        stage, pa.table({"email_key": pa.array(wanted, pa.string())}), {"email_key": "TEXT"}
    )
    rows = db.fetchall(
        f'SELECT a.email_key, a.customer_id FROM "{stage}" s JOIN customer_aliases a '
        "ON a.email_key = s.email_key ORDER BY a.merged_at"
    )
    db.execute(f'DROP TABLE "{stage}"')
    return {str(key): str(customer) for key, customer in rows}


def move_records(
    db: Database, moves: Mapping[str, Mapping[str, tuple[str, str]]]
) -> dict[str, int]:
    """Give single records another customer; a case whose evidence is one of them follows it.

    Call inside ``Database.transaction()``. The customer each record moves to must be on file.

    Parameters
    ----------
    db
        The workspace database.
    moves
        Table of a canonical kind with a ``customer_id`` (``responses``) -> record key -> (the
        customer it has now, the customer it moves to). A record no longer with the first is
        left as it is.

    Returns
    -------
    dict[str, int]
        The records that changed customer, by table (``cases`` among them).
    """
    moved: dict[str, int] = {}
    stage = "stage_record_moves"
    for table, records in sorted(moves.items()):
        kind = next((kind for kind in KINDS.values() if kind.table == table), None)
        if kind is None or "customer_id" not in kind.field_names or len(kind.key) != 1:
            raise ValueError(f"{table!r} is not a table of records with one customer_id")
        keys = sorted(records)
        if not keys:
            continue
        db.load_temporary(
            stage,
            pa.table(
                {
                    "record_key": pa.array(keys, pa.string()),
                    "old_id": pa.array([records[key][0] for key in keys], pa.string()),
                    "new_id": pa.array([records[key][1] for key in keys], pa.string()),
                }
            ),
            {"record_key": "TEXT", "old_id": "TEXT", "new_id": "TEXT"},
        )
        for target, match in (
            (table, f't."{kind.key[0]}" = s.record_key'),
            ("cases", f"t.evidence_kind = '{table}' AND t.evidence_id = s.record_key"),
        ):
            where = f'"{stage}" s WHERE {match} AND t.customer_id = s.old_id'
            row = db.fetchone(f"SELECT count(*) FROM {target} t, {where}")
            count = int(row[0]) if row else 0
            if count:
                db.execute(f"UPDATE {target} AS t SET customer_id = s.new_id FROM {where}")
                moved[target] = moved.get(target, 0) + count
        db.execute(f'DROP TABLE "{stage}"')
    return moved
