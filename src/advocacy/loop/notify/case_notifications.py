"""Case notifications: who hears that a case was opened, escalated or closed, and what they read.

:func:`notify` queues one message per owner with an e-mail address and one per webhook in the
outbox (:func:`advocacy.loop.notify.outbox.enqueue_many`), in the transaction that changed the
case; a delivery pass sends them later. :func:`notify_many` does the same for a batch of cases with
one look-up of the owners' addresses and one insert.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from advocacy.loop.cases.store import Case
from advocacy.loop.notify.outbox import Notice, email_enabled, enqueue_many
from advocacy.settings import Settings
from advocacy.store.connection import Database


def owner_addresses(db: Database, owners: Sequence[str | None]) -> dict[str, str]:
    """User name -> e-mail address of the users named in ``owners`` (users without one left out)."""
    names = sorted({name for name in owners if name})
    if not names:
        return {}
    rows = db.fetchall(
        f"SELECT username, email FROM users WHERE username IN ({', '.join('?' for _ in names)}) "
        "AND email IS NOT NULL AND NOT disabled",
        names,
    )
    return {str(row[0]): str(row[1]) for row in rows}


def case_notice(
    case: Case, event: str, *, now: datetime, emails: Sequence[str], public_url: str
) -> Notice:
    """The ``event`` notification about ``case``: its subject and its (link-bearing) payload.

    The payload's ``url`` is the case page under ``public_url`` (the setting of that name).
    """
    link = public_url.rstrip("/")
    payload = {
        "case_id": case.case_id,
        "rule": case.rule or case.rule_id,
        "customer_id": case.customer_id,
        "owner": case.owner,
        "status": case.status,
        "unit": case.unit,
        "priority": case.priority,
        "summary": case.summary,
        "due_at": case.due_at.isoformat(),
        "url": f"{link}/cases/{case.case_id}" if link else None,
    }
    verb = event.split(".", 1)[-1]
    subject = f"Case {case.case_id} {verb}: {case.summary or case.rule_id}"
    return Notice(event, subject, payload, tuple(emails), now)


def notify(
    db: Database,
    case: Case,
    event: str,
    *,
    now: datetime,
    settings: Settings,
    owners: Sequence[str | None] = (),
) -> list[str]:
    """Queue the ``event`` notification about ``case`` for its owner(s) and the webhooks.

    ``settings`` (the workspace's) say which channels are on and where the case's link points.
    """
    named = owners or (case.owner,)
    addresses = owner_addresses(db, named) if email_enabled(settings) else {}
    emails = [addresses[name] for name in named if name in addresses]
    notice = case_notice(case, event, now=now, emails=emails, public_url=settings.public_url)
    (ids,) = enqueue_many(db, [notice], settings=settings)
    return ids


def notify_many(
    db: Database, cases: Sequence[Case], event: str, *, settings: Settings
) -> list[list[str]]:
    """Queue the ``event`` notification about each case, dated by its ``updated_at``.

    One look-up of the owners' addresses and one outbox insert for the batch; returns the
    queued message ids, one list per case.
    """
    wanted = [case.owner for case in cases]
    addresses = owner_addresses(db, wanted) if email_enabled(settings) else {}
    notices = [
        case_notice(
            case,
            event,
            now=case.updated_at or case.opened_at,
            emails=[addresses[case.owner]] if case.owner in addresses else [],
            public_url=settings.public_url,
        )
        for case in cases
    ]
    return enqueue_many(db, notices, settings=settings)


__all__ = ["case_notice", "notify", "notify_many", "owner_addresses"]
