"""The audit log: who changed which user, token (and later case or plan), when, and how.

Entries are only ever appended; callers record them inside the transaction of the change, so a
change and its audit entry commit together or not at all.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from advocacy.store.connection import Database
from advocacy.store.multi_row import insert_rows

_COLUMNS = ("audit_id", "occurred_at", "actor", "action", "target", "detail")


@dataclass(frozen=True)
class AuditEntry:
    """One entry of the audit log: who did what to which target, and when.

    Attributes
    ----------
    audit_id
        The entry's id.
    occurred_at
        When it happened.
    actor
        Who did it (a user name, ``cli`` or a token's name).
    action
        What was done, e.g. ``user.add`` or ``token.revoke``.
    target
        What it was done to (a user name, a token id), if anything.
    detail
        More about the change, never a secret.

    Examples
    --------
    >>> import advocacy
    >>> ws = advocacy.open("advocacy.duckdb")  # doctest: +SKIP
    >>> [entry.action for entry in audit_entries(ws.db, limit=5)]  # doctest: +SKIP
    """

    audit_id: str
    occurred_at: datetime
    actor: str
    action: str
    target: str | None
    detail: dict[str, Any]


def now_utc(now: datetime | None = None) -> datetime:
    """``now`` or the current time, as an aware UTC datetime."""
    return (now or datetime.now(UTC)).astimezone(UTC)


def new_entry(
    *,
    actor: str,
    action: str,
    target: str | None = None,
    detail: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> AuditEntry:
    """An entry (``action`` such as ``user.add``, ``token.revoke``) with a fresh id, unwritten."""
    return AuditEntry(uuid.uuid4().hex, now_utc(now), actor, action, target, dict(detail or {}))


def record_audits(db: Database, entries: Sequence[AuditEntry]) -> None:
    """Append ``entries`` with one insert, in the caller's transaction."""
    insert_rows(
        db,
        "audit_log",
        _COLUMNS,
        [
            [
                entry.audit_id,
                entry.occurred_at,
                entry.actor,
                entry.action,
                entry.target,
                json.dumps(entry.detail, sort_keys=True, default=str),
            ]
            for entry in entries
        ],
    )


def record_audit(
    db: Database,
    *,
    actor: str,
    action: str,
    target: str | None = None,
    detail: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> AuditEntry:
    """Append one entry (``action`` such as ``user.add``, ``token.revoke``) and return it.

    Parameters
    ----------
    db
        The workspace database.
    actor
        Who did it.
    action
        What was done, e.g. ``user.add``.
    target
        What it was done to, if anything.
    detail
        More about the change; never a secret.
    now
        When it happened (default: the clock).

    Returns
    -------
    AuditEntry
        The entry as written.

    Examples
    --------
    >>> import advocacy
    >>> ws = advocacy.open("advocacy.duckdb")  # doctest: +SKIP
    >>> entry = record_audit(ws.db, actor="ana", action="export.csv")  # doctest: +SKIP
    """
    entry = new_entry(actor=actor, action=action, target=target, detail=detail, now=now)
    record_audits(db, [entry])
    return entry


def audit_entries(db: Database, *, limit: int = 200, offset: int = 0) -> list[AuditEntry]:
    """The latest ``limit`` entries, newest first, after skipping the ``offset`` newest.

    Parameters
    ----------
    db
        The workspace database.
    limit
        How many entries to return at most.
    offset
        How many of the newest entries to skip (for paging: ``page * limit``).

    Returns
    -------
    list of AuditEntry
        Newest first; entries of the same instant in a stable order.

    Examples
    --------
    >>> import advocacy
    >>> ws = advocacy.open("advocacy.duckdb")  # doctest: +SKIP
    >>> [entry.action for entry in audit_entries(ws.db, limit=5)]  # doctest: +SKIP
    """
    rows = db.fetchall(
        "SELECT audit_id, occurred_at, actor, action, target, detail FROM audit_log "
        "ORDER BY occurred_at DESC, audit_id LIMIT ? OFFSET ?",
        [int(limit), max(int(offset), 0)],
    )
    return [
        AuditEntry(
            str(row[0]),
            row[1],
            str(row[2]),
            str(row[3]),
            row[4],
            json.loads(row[5]) if row[5] else {},
        )
        for row in rows
    ]
