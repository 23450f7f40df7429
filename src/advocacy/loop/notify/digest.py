"""The daily digest: each case owner's open, overdue and newly escalated cases, once a day.

Every owner with an e-mail address (``users.email``) and at least one case to mention gets one
e-mail; webhooks get one team-wide digest (once there are any cases) with the loop's headline
numbers (cases by status, open, overdue) and each owner's counts. Queuing is idempotent per day:
a second call on the same (UTC) day queues nothing for a recipient who already has its digest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from advocacy.access.audit import now_utc
from advocacy.loop.notify.outbox import email_enabled, enqueue, webhook_urls
from advocacy.settings import Settings
from advocacy.store.connection import Database

EVENT = "digest.daily"
#: Statuses of a case that needs no more work.
FINISHED_STATUSES = ("resolved", "closed")
#: Cases listed per section of one e-mail (the counts are always complete).
SECTION_LIMIT = 50
#: "Newly escalated" means escalated within this long before the digest.
ESCALATION_WINDOW = timedelta(days=1)

_OPEN = "closed_at IS NULL AND status NOT IN ('resolved', 'closed')"
_CASE_COLUMNS = (
    "case_id, customer_id, status, priority, owner, unit, due_at, escalated_at, "
    "escalation_level, summary"
)


@dataclass(frozen=True)
class DigestReport:
    """What :func:`enqueue_daily_digest` queued for ``day``."""

    day: date
    emails: int
    webhooks: int
    already_sent: int
    message_ids: tuple[str, ...]


def digest_subject(day: date) -> str:
    """The subject of the digest of ``day`` (also the key that makes queuing idempotent)."""
    return f"[advocacy] Daily digest {day.isoformat()}"


def _case(row: Sequence[Any]) -> dict[str, Any]:
    names = [name.strip() for name in _CASE_COLUMNS.split(",")]
    record = dict(zip(names, row, strict=True))
    for key in ("due_at", "escalated_at"):
        if isinstance(record[key], datetime):
            record[key] = now_utc(record[key]).isoformat()
    if record["escalation_level"] is not None:
        record["escalation_level"] = int(record["escalation_level"])
    return record


def loop_headline(
    db: Database, *, now: datetime | None = None, units: Sequence[str] | None = None
) -> dict[str, Any]:
    """The loop's headline numbers: cases by status, open and overdue (optionally in ``units``)."""
    moment = now_utc(now)
    where, params = "TRUE", []
    if units:
        where = "unit IN (" + ", ".join("?" for _ in units) + ")"
        params = list(units)
    by_status = {
        str(status): int(count)
        for status, count in db.fetchall(
            f"SELECT status, count(*) FROM cases WHERE {where} GROUP BY status ORDER BY status",
            params,
        )
    }
    row = db.fetchone(
        f"SELECT count(*), sum(CASE WHEN due_at < ? THEN 1 ELSE 0 END) FROM cases "
        f"WHERE {where} AND {_OPEN}",
        [moment, *params],
    )
    return {
        "by_status": by_status,
        "open": int(row[0] or 0) if row else 0,
        "overdue": int(row[1] or 0) if row else 0,
    }


def owner_digest(db: Database, owner: str, *, now: datetime | None = None) -> dict[str, Any]:
    """``owner``'s open, overdue and newly escalated cases (each list capped), with counts."""
    moment = now_utc(now)
    sections: dict[str, tuple[str, list[Any], str]] = {
        "open": (f"owner = ? AND {_OPEN}", [owner], "due_at"),
        "overdue": (f"owner = ? AND {_OPEN} AND due_at < ?", [owner, moment], "due_at"),
        "escalated": (
            f"owner = ? AND {_OPEN} AND escalated_at >= ?",
            [owner, moment - ESCALATION_WINDOW],
            "escalated_at DESC",
        ),
    }
    digest: dict[str, Any] = {"owner": owner, "counts": {}}
    for name, (where, params, order) in sections.items():
        count = db.fetchone(f"SELECT count(*) FROM cases WHERE {where}", params)
        rows = db.fetchall(
            f"SELECT {_CASE_COLUMNS} FROM cases WHERE {where} ORDER BY {order}, case_id LIMIT ?",
            [*params, SECTION_LIMIT],
        )
        digest["counts"][name] = int(count[0]) if count else 0
        digest[name] = [_case(row) for row in rows]
    return digest


def _already_queued(db: Database, subject: str, *, channel: str, destination: str | None) -> bool:
    sql = "SELECT 1 FROM outbox WHERE event = ? AND subject = ? AND channel = ?"
    params: list[Any] = [EVENT, subject, channel]
    if destination is not None:
        sql += " AND lower(destination) = lower(?)"
        params.append(destination)
    return db.fetchone(sql + " LIMIT 1", params) is not None


def enqueue_daily_digest(
    db: Database, *, settings: Settings, now: datetime | None = None
) -> DigestReport:
    """Queue today's digest: one e-mail per case owner with an address, one webhook event.

    Parameters
    ----------
    db
        The workspace database.
    settings
        The workspace's settings (``ws.settings``): ``smtp_host`` and ``webhook_urls`` say which
        channels get a digest.
    now
        The clock; its UTC date is the digest's day. Default: the current time.

    Returns
    -------
    DigestReport
        The day, how many e-mails and webhook messages were queued, and how many recipients
        already had that day's digest.
    """
    moment = now_utc(now)
    day = moment.date()
    subject = digest_subject(day)
    ids: list[str] = []
    emails = webhooks = already = 0
    with db.transaction():
        owners = db.fetchall(
            "SELECT DISTINCT u.username, u.email, u.units FROM users u "
            "JOIN cases c ON c.owner = u.username "
            "WHERE u.email IS NOT NULL AND u.email <> '' AND NOT u.disabled "
            "AND c.closed_at IS NULL AND c.status NOT IN ('resolved', 'closed') "
            "ORDER BY u.username"
        )
        per_owner: dict[str, dict[str, int]] = {}
        for owner, address, units in owners:
            digest = owner_digest(db, str(owner), now=moment)
            per_owner[str(owner)] = digest["counts"]
            if not email_enabled(settings):
                continue
            if _already_queued(db, subject, channel="email", destination=str(address)):
                already += 1
                continue
            unit_list = [part for part in str(units or "").split(",") if part]
            digest["headline"] = loop_headline(db, now=moment, units=unit_list or None)
            digest["day"] = day.isoformat()
            queued = enqueue(
                db,
                event=EVENT,
                subject=subject,
                payload=digest,
                settings=settings,
                emails=[str(address)],
                now=moment,
                channels=("email",),
            )
            emails += len(queued)
            ids.extend(queued)
        headline = loop_headline(db, now=moment)
        if webhook_urls(settings) and headline["by_status"]:  # no cases at all: nothing to digest
            if _already_queued(db, subject, channel="webhook", destination=None):
                already += 1
            else:
                payload = {"day": day.isoformat(), "headline": headline, "owners": per_owner}
                queued = enqueue(
                    db,
                    event=EVENT,
                    subject=subject,
                    payload=payload,
                    settings=settings,
                    now=moment,
                    channels=("webhook",),
                )
                webhooks += len(queued)
                ids.extend(queued)
    return DigestReport(day, emails, webhooks, already, tuple(ids))
