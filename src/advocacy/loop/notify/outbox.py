"""The notification outbox: every e-mail and webhook is a row first, sent later, never lost.

A change that should notify someone (a case opened, escalated or closed; the daily digest) calls
:func:`enqueue` inside its own transaction, so the notification commits together with the change
or not at all. A delivery pass (:mod:`advocacy.loop.notify.delivery`) later claims due rows, sends
them, and records the outcome here: :func:`mark_delivered`, or :func:`mark_failed`, which schedules
the next attempt with exponential backoff and full jitter, and gives up after the setting
``notify_max_attempts``. A message given up is kept (``gave_up_at`` set) until someone retries it
with :func:`retry`; undelivered messages are never deleted.
"""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from advocacy.access.audit import now_utc, record_audit
from advocacy.errors import AdvocacyError, NotFoundError, UsageError
from advocacy.settings import Settings
from advocacy.store.connection import Database
from advocacy.store.multi_row import insert_rows
from advocacy.text.pii import Redactor, redact

Channel = Literal["email", "webhook"]
State = Literal["pending", "failed", "delivered"]
#: Which messages :func:`list_messages` returns: a state, or ``undelivered`` (pending and failed).
Selection = Literal["pending", "failed", "delivered", "undelivered"]

EVENTS = ("case.opened", "case.escalated", "case.closed", "digest.daily", "test")
#: First retry waits up to this long; each further attempt doubles it, up to :data:`BACKOFF_CAP`.
BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_CAP = timedelta(hours=1)
#: A claimed message is not claimed again for this long, so two delivery workers never both send
#: it; if the sender dies mid-way, the message becomes due again after the lease.
CLAIM_LEASE = timedelta(minutes=5)

_COLUMNS = (
    "message_id, channel, destination, event, subject, payload, created_at, attempts, "
    "next_attempt_at, delivered_at, last_error, gave_up_at"
)


class DeliveryError(AdvocacyError):
    """A notification could not be sent (SMTP refused it, a webhook answered non-2xx, ...)."""


@dataclass(frozen=True)
class Message:
    """One outbox row: a notification to one destination over one channel."""

    message_id: str
    channel: str
    destination: str
    event: str
    subject: str | None
    payload: dict[str, Any]
    created_at: datetime
    attempts: int
    next_attempt_at: datetime
    delivered_at: datetime | None
    last_error: str | None
    gave_up_at: datetime | None

    @property
    def state(self) -> State:
        """``delivered``, ``failed`` (given up) or ``pending`` (waiting for its next attempt)."""
        if self.delivered_at is not None:
            return "delivered"
        if self.gave_up_at is not None:
            return "failed"
        return "pending"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields (no secrets are ever stored in a message)."""
        return {
            "message_id": self.message_id,
            "channel": self.channel,
            "destination": self.destination,
            "event": self.event,
            "subject": self.subject,
            "state": self.state,
            "created_at": self.created_at.isoformat(),
            "attempts": self.attempts,
            "next_attempt_at": self.next_attempt_at.isoformat(),
            "delivered_at": self.delivered_at.isoformat() if self.delivered_at else None,
            "last_error": self.last_error,
            "gave_up_at": self.gave_up_at.isoformat() if self.gave_up_at else None,
        }


def _aware(value: Any) -> Any:
    return now_utc(value) if isinstance(value, datetime) else value


def _message(row: Sequence[Any]) -> Message:
    payload = row[5]
    if isinstance(payload, str | bytes):
        payload = json.loads(payload)
    return Message(
        message_id=str(row[0]),
        channel=str(row[1]),
        destination=str(row[2]),
        event=str(row[3]),
        subject=None if row[4] is None else str(row[4]),
        payload=dict(payload or {}),
        created_at=_aware(row[6]),
        attempts=int(row[7]),
        next_attempt_at=_aware(row[8]),
        delivered_at=_aware(row[9]),
        last_error=None if row[10] is None else str(row[10]),
        gave_up_at=_aware(row[11]),
    )


def webhook_urls(settings: Settings) -> list[str]:
    """The URLs of setting ``webhook_urls`` (comma-separated; empty means webhooks are off)."""
    return [url.strip() for url in settings.webhook_urls.split(",") if url.strip()]


def email_enabled(settings: Settings) -> bool:
    """Whether e-mail is configured (setting ``smtp_host`` is non-empty)."""
    return bool(settings.smtp_host.strip())


#: Payload keys never sent anywhere (the customer's contact details).
PERSONAL_KEYS = ("email", "phone", "mobile", "address")
#: Payload keys holding free text, redacted before they leave.
TEXT_KEYS = ("comment", "summary", "text", "note", "root_cause", "action_taken")


def safe_payload(payload: Mapping[str, Any], redactor: Redactor | None = None) -> dict[str, Any]:
    """``payload`` without contact details and with free text redacted (recursively).

    Applied when a message is queued, with the workspace's redactor (its customers', employees'
    and authors' names too), so neither e-mails nor webhooks carry personal data; and again,
    without one, when a queued message is rendered.
    """
    clean: dict[str, Any] = {}
    for key, value in payload.items():
        if any(part in key.lower() for part in PERSONAL_KEYS):
            continue
        if isinstance(value, Mapping):
            clean[key] = safe_payload(value, redactor)
        elif isinstance(value, list):
            clean[key] = [safe_payload(v, redactor) if isinstance(v, Mapping) else v for v in value]
        elif isinstance(value, str) and key in TEXT_KEYS:
            clean[key] = redact(value) if redactor is None else redactor.redact(value)
        else:
            clean[key] = value
    return clean


@dataclass(frozen=True)
class Notice:
    """One notification to queue: what happened, its subject and payload, whom to e-mail, when."""

    event: str
    subject: str
    payload: dict[str, Any]
    emails: Sequence[str] = ()
    now: datetime | None = None


def enqueue(
    db: Database,
    *,
    event: str,
    subject: str,
    payload: dict[str, Any],
    settings: Settings,
    emails: Sequence[str] = (),
    now: datetime | None = None,
    channels: Sequence[Channel] = ("email", "webhook"),
) -> list[str]:
    """Queue a notification: one row per e-mail recipient and one per configured webhook URL.

    Runs inside the caller's transaction (or its own), so the notification commits with the
    change that caused it. E-mail rows are written only when setting ``smtp_host`` is set;
    webhook rows one per URL of setting ``webhook_urls``.

    Parameters
    ----------
    db
        The workspace database.
    event
        What happened: ``case.opened``, ``case.escalated``, ``case.closed`` or ``digest.daily``.
    subject
        The e-mail subject line (also sent to webhooks as ``subject``).
    payload
        JSON-serialisable details of the event (for a case: ``case_id``, ``customer_id``, ...).
    settings
        The workspace's settings (``ws.settings``): ``smtp_host`` and ``webhook_urls`` say which
        channels are on.
    emails
        E-mail recipients (internal staff); blanks and duplicates are skipped.
    now
        The clock; defaults to the current UTC time.
    channels
        Which channels to use; the daily digest, for one, e-mails each owner separately and
        sends webhooks one team-wide digest.

    Returns
    -------
    list of str
        The ids of the queued messages (empty when no channel is configured).
    """
    notice = Notice(event, subject, payload, tuple(emails), now)
    (ids,) = enqueue_many(db, [notice], settings=settings, channels=channels)
    return ids


def enqueue_many(
    db: Database,
    notices: Sequence[Notice],
    *,
    settings: Settings,
    channels: Sequence[Channel] = ("email", "webhook"),
) -> list[list[str]]:
    """Queue several notifications (as :func:`enqueue` does each) with one multi-row insert.

    Returns the ids of the queued messages, one list per notice, in order.
    """
    send_email = "email" in channels and email_enabled(settings)
    hooks = webhook_urls(settings) if "webhook" in channels else []
    rows: list[list[Any]] = []
    ids: list[list[str]] = []
    # Built once for the batch; refuses (RedactionError) rather than send names unredacted.
    redactor = Redactor.for_workspace(db) if notices else None
    for notice in notices:
        if not notice.event or not notice.event.strip():
            raise UsageError(
                "a notification needs an event name", value=notice.event, fix="e.g. case.opened"
            )
        try:
            body = json.dumps(safe_payload(notice.payload, redactor), sort_keys=True, default=str)
        except (TypeError, ValueError) as error:
            raise UsageError(
                f"notification payload is not JSON-serialisable: {error}",
                parameter="payload",
                fix="pass strings, numbers, lists and dicts only",
            ) from None
        moment = now_utc(notice.now)
        destinations: list[tuple[Channel, str]] = []
        if send_email:
            seen: set[str] = set()
            for address in notice.emails:
                cleaned = (address or "").strip()
                if cleaned and cleaned.lower() not in seen:
                    seen.add(cleaned.lower())
                    destinations.append(("email", cleaned))
        destinations.extend(("webhook", url) for url in hooks)
        queued: list[str] = []
        for channel, destination in destinations:
            message_id = uuid.uuid4().hex
            subject = notice.subject
            # Not attempted yet: no attempts, due now, neither delivered nor given up.
            pending = [0, moment, None, None, None]
            rows.append(
                [message_id, channel, destination, notice.event, subject, body, moment, *pending]
            )
            queued.append(message_id)
        ids.append(queued)
    with db.transaction():
        insert_rows(db, "outbox", [name.strip() for name in _COLUMNS.split(",")], rows)
    return ids


def get_message(db: Database, message_id: str) -> Message:
    """The outbox message ``message_id``."""
    row = db.fetchone(f"SELECT {_COLUMNS} FROM outbox WHERE message_id = ?", [message_id])
    if row is None:
        raise NotFoundError(
            f"no outbox message {message_id!r}",
            value=message_id,
            fix="see advocacy outbox messages --pending or --failed",
        )
    return _message(row)


def list_messages(
    db: Database, *, state: Selection | None = None, limit: int = 200
) -> list[Message]:
    """Outbox messages, newest first: all, or only ``pending``, ``failed``, ``delivered`` or
    ``undelivered`` (pending and failed)."""
    where = {
        None: "TRUE",
        "undelivered": "delivered_at IS NULL",
        "pending": "delivered_at IS NULL AND gave_up_at IS NULL",
        "failed": "delivered_at IS NULL AND gave_up_at IS NOT NULL",
        "delivered": "delivered_at IS NOT NULL",
    }
    if state not in where:
        raise UsageError(
            f"unknown message state {state!r}",
            value=state,
            fix="use pending, failed, delivered or undelivered",
        )
    rows = db.fetchall(
        f"SELECT {_COLUMNS} FROM outbox WHERE {where[state]} "
        "ORDER BY created_at DESC, message_id LIMIT ?",
        [int(limit)],
    )
    return [_message(row) for row in rows]


def pending(db: Database, now: datetime | None = None, *, limit: int = 100) -> list[Message]:
    """Messages due for an attempt at ``now``: not delivered, not given up, oldest first."""
    rows = db.fetchall(
        f"SELECT {_COLUMNS} FROM outbox WHERE delivered_at IS NULL AND gave_up_at IS NULL "
        "AND next_attempt_at <= ? ORDER BY next_attempt_at, created_at, message_id LIMIT ?",
        [now_utc(now), int(limit)],
    )
    return [_message(row) for row in rows]


def claim(db: Database, message_id: str, *, now: datetime | None = None) -> bool:
    """Take a due message for sending; False when another worker took it (or it is not due).

    The claim pushes ``next_attempt_at`` a :data:`CLAIM_LEASE` ahead in one conditional update,
    so of two concurrent workers only one sees the row come back.
    """
    moment = now_utc(now)
    with db.transaction():
        rows = db.fetchall(
            "UPDATE outbox SET next_attempt_at = ? WHERE message_id = ? "
            "AND delivered_at IS NULL AND gave_up_at IS NULL AND next_attempt_at <= ? "
            "RETURNING message_id",
            [moment + CLAIM_LEASE, message_id, moment],
        )
    return bool(rows)


def mark_delivered(db: Database, message_id: str, *, now: datetime | None = None) -> None:
    """Record that ``message_id`` was delivered (attempts + 1, error cleared)."""
    with db.transaction():
        db.execute(
            "UPDATE outbox SET delivered_at = ?, attempts = attempts + 1, last_error = NULL "
            "WHERE message_id = ?",
            [now_utc(now), message_id],
        )


def backoff(attempts: int, rng: random.Random) -> timedelta:
    """Wait before attempt ``attempts + 1``: full jitter over 30 s, 1 min, 2 min, ... up to 1 h.

    The ceiling doubles with each failed attempt (capped at :data:`BACKOFF_CAP`) and the wait is
    drawn uniformly below it, so receivers that come back up are not hit by every sender at once.
    At least one second, so a failing destination is never retried in a tight loop.
    """
    exponent = max(0, attempts - 1)
    ceiling = min(
        BACKOFF_CAP.total_seconds(), BACKOFF_BASE.total_seconds() * 2.0 ** min(exponent, 20)
    )
    return timedelta(seconds=max(1.0, rng.uniform(0.0, ceiling)))


def mark_failed(
    db: Database,
    message_id: str,
    error: str,
    *,
    now: datetime | None = None,
    max_attempts: int,
    rng: random.Random | None = None,
) -> Message:
    """Record a failed attempt: attempts + 1, the error text, and the next attempt or giving up.

    After ``max_attempts`` (the setting ``notify_max_attempts``) attempts the message gets
    ``gave_up_at`` and stays in the outbox, listed by ``advocacy outbox messages --failed``.
    """
    moment = now_utc(now)
    limit = int(max_attempts)
    with db.transaction():
        message = get_message(db, message_id)
        attempts = message.attempts + 1
        gave_up = moment if attempts >= limit else None
        next_attempt = moment + backoff(attempts, rng or random.Random())
        db.execute(
            "UPDATE outbox SET attempts = ?, last_error = ?, next_attempt_at = ?, gave_up_at = ? "
            "WHERE message_id = ?",
            [attempts, error[:2000], next_attempt, gave_up, message_id],
        )
        return get_message(db, message_id)


def retry(
    db: Database, message_id: str, *, actor: str = "cli", now: datetime | None = None
) -> Message:
    """Make an undelivered message due now again, with a fresh count of attempts (audited)."""
    moment = now_utc(now)
    with db.transaction():
        message = get_message(db, message_id)
        if message.delivered_at is not None:
            raise UsageError(
                f"message {message_id!r} was already delivered",
                value=message_id,
                fix="only pending or failed messages can be retried",
            )
        db.execute(
            "UPDATE outbox SET attempts = 0, next_attempt_at = ?, gave_up_at = NULL "
            "WHERE message_id = ?",
            [moment, message_id],
        )
        record_audit(
            db,
            actor=actor,
            action="outbox.retry",
            target=message_id,
            detail={"attempts": message.attempts, "last_error": message.last_error},
            now=moment,
        )
        return get_message(db, message_id)
