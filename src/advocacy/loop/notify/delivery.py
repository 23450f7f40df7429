"""Delivering the outbox: claim due messages, send each, record what happened.

Each message is claimed, sent and recorded on its own, in small transactions, so one failing
receiver never blocks or loses the others; a failure schedules a retry with backoff
(:func:`advocacy.loop.notify.outbox.mark_failed`). :func:`deliver_due` is one pass;
:class:`DeliveryWorker` runs passes every few seconds in a thread, for the web server.
"""

from __future__ import annotations

import contextlib
import random
import smtplib
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import httpx

from advocacy.access.audit import now_utc
from advocacy.errors import AdvocacyError
from advocacy.loop.notify.digest import enqueue_daily_digest
from advocacy.loop.notify.email import SmtpFactory, SmtpSettings, build_email, send_email
from advocacy.loop.notify.outbox import (
    DeliveryError,
    Message,
    claim,
    email_enabled,
    mark_delivered,
    mark_failed,
    pending,
    webhook_urls,
)
from advocacy.loop.notify.webhooks import new_client, send_webhook
from advocacy.settings import Settings
from advocacy.store.connection import Database

#: Seconds between two passes of the :class:`DeliveryWorker`.
WORKER_INTERVAL_SECONDS = 5.0


@dataclass(frozen=True)
class DeliveryReport:
    """What one delivery pass did.

    Attributes
    ----------
    attempted
        Messages tried in this pass.
    delivered
        Messages sent.
    failed
        Messages that failed and will be retried later.
    gave_up
        Messages that failed for the last time (``notify_max_attempts`` reached).
    errors
        (message id, error text) for each failure.

    Examples
    --------
    >>> report = DeliveryReport(attempted=2, delivered=1, failed=1, errors=(("m-2", "refused"),))
    >>> report.to_dict()["errors"]
    [{'message_id': 'm-2', 'error': 'refused'}]
    """

    attempted: int = 0
    delivered: int = 0
    failed: int = 0
    gave_up: int = 0
    errors: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {
            "attempted": self.attempted,
            "delivered": self.delivered,
            "failed": self.failed,
            "gave_up": self.gave_up,
            "errors": [{"message_id": mid, "error": text} for mid, text in self.errors],
        }


def send_message(
    message: Message,
    *,
    settings: Settings,
    smtp_factory: SmtpFactory = smtplib.SMTP,
    http_client: httpx.Client | None = None,
    now: datetime | None = None,
) -> None:
    """Send one outbox message over its channel; raises :class:`DeliveryError` on failure.

    ``settings`` (the workspace's) give the SMTP server, the sender, the base of case links
    and the webhook signing key.
    """
    if message.channel == "email":
        smtp = SmtpSettings.from_settings(settings)
        email = build_email(message, sender=smtp.sender, public_url=settings.public_url)
        send_email(email, settings=smtp, smtp_factory=smtp_factory)
    elif message.channel == "webhook":
        send_webhook(message, secret=settings.webhook_secret, client=http_client, now=now)
    else:
        raise DeliveryError(
            f"unknown channel {message.channel!r}",
            value=message.channel,
            fix="channels are email and webhook",
        )


def deliver_due(
    db: Database,
    *,
    settings: Settings,
    now: datetime | None = None,
    smtp_factory: SmtpFactory = smtplib.SMTP,
    http_client: httpx.Client | None = None,
    rng: random.Random | None = None,
    limit: int = 100,
    lock: contextlib.AbstractContextManager[Any] | None = None,
) -> DeliveryReport:
    """Send every message due at ``now`` (at most ``limit``), each on its own.

    Parameters
    ----------
    db
        The workspace database.
    settings
        The workspace's settings (``ws.settings``): the SMTP server and sender, the base of case
        links, the webhook signing key and ``notify_max_attempts``.
    now
        The clock: messages with ``next_attempt_at <= now`` are due. Default: the current time.
    smtp_factory
        Makes SMTP connections (see :func:`advocacy.loop.notify.email.send_email`).
    http_client
        The HTTP client for webhooks; one with the webhook timeout when left out.
    rng
        Draws the jitter of retry delays.
    limit
        Most messages sent in this pass.
    lock
        Held around each database step (not while sending), for a server that shares ``db``.

    Returns
    -------
    DeliveryReport
        How many were attempted, delivered, failed (and will be retried) and given up.

    Examples
    --------
    >>> import advocacy
    >>> ws = advocacy.open("advocacy.duckdb")  # doctest: +SKIP
    >>> report = deliver_due(ws.db, settings=ws.settings)  # doctest: +SKIP
    """
    guard = lock if lock is not None else contextlib.nullcontext()
    moment = now_utc(now)
    random_source = rng or random.Random()
    with guard:
        due = pending(db, moment, limit=limit)
    if not due:
        return DeliveryReport()
    owned = http_client is None
    client = new_client() if http_client is None else http_client
    attempted = delivered = failed = gave_up = 0
    errors: list[tuple[str, str]] = []
    try:
        for message in due:
            with guard:
                if not claim(db, message.message_id, now=moment):
                    continue  # another worker took it
            attempted += 1
            try:
                send_message(
                    message,
                    settings=settings,
                    smtp_factory=smtp_factory,
                    http_client=client,
                    now=moment,
                )
            except Exception as error:  # any failure is recorded, never lost
                text = (
                    error.message
                    if isinstance(error, AdvocacyError)
                    else f"{type(error).__name__}: {error}"
                )
                with guard:
                    after = mark_failed(
                        db,
                        message.message_id,
                        text,
                        now=moment,
                        max_attempts=settings.notify_max_attempts,
                        rng=random_source,
                    )
                errors.append((message.message_id, text))
                if after.gave_up_at is not None:
                    gave_up += 1
                else:
                    failed += 1
                continue
            with guard:
                mark_delivered(db, message.message_id, now=moment)
            delivered += 1
    finally:
        if owned:
            client.close()
    return DeliveryReport(attempted, delivered, failed, gave_up, tuple(errors))


def _test_message(channel: str, destination: str, moment: datetime) -> Message:
    return Message(
        message_id="test-" + uuid.uuid4().hex,
        channel=channel,
        destination=destination,
        event="test",
        subject="[advocacy] Test notification",
        payload={"text": "If you can read this, advocacy can reach you.", "sent_at": moment},
        created_at=moment,
        attempts=0,
        next_attempt_at=moment,
        delivered_at=None,
        last_error=None,
        gave_up_at=None,
    )


def send_test_email(
    address: str,
    *,
    settings: Settings,
    smtp_factory: SmtpFactory = smtplib.SMTP,
    now: datetime | None = None,
) -> None:
    """Send one test e-mail to ``address`` now with the ``smtp_*`` settings, bypassing the outbox.

    Raises
    ------
    DeliveryError
        With the SMTP server's answer when the e-mail cannot be sent.
    """
    message = _test_message("email", address, now_utc(now))
    send_message(message, settings=settings, smtp_factory=smtp_factory)


def send_test_webhooks(
    *, settings: Settings, http_client: httpx.Client | None = None, now: datetime | None = None
) -> list[dict[str, Any]]:
    """POST one signed test event to each URL of setting ``webhook_urls`` now.

    Returns
    -------
    list of dict
        Per URL: ``url``, ``ok`` and ``status`` (the HTTP status) or ``error``.
    """
    urls = webhook_urls(settings)
    if not urls:
        raise DeliveryError(
            "webhooks are off: setting webhook_urls is empty",
            parameter="webhook_urls",
            fix="set ADVOCACY_WEBHOOK_URLS to one or more comma-separated URLs",
        )
    moment = now_utc(now)
    outcomes: list[dict[str, Any]] = []
    for url in urls:
        try:
            status = send_webhook(
                _test_message("webhook", url, moment),
                secret=settings.webhook_secret,
                client=http_client,
                now=moment,
            )
            outcomes.append({"url": url, "ok": True, "status": status, "error": None})
        except DeliveryError as error:
            outcomes.append({"url": url, "ok": False, "status": None, "error": error.message})
    return outcomes


class DeliveryWorker:
    """Runs :func:`deliver_due` every ``interval`` seconds in a daemon thread until stopped.

    With ``digest`` on, it also queues the daily digest on its first pass of each (UTC) day
    (:func:`advocacy.loop.notify.digest.enqueue_daily_digest`, idempotent per day).

    ``settings`` are the workspace's (``ws.settings``), which every pass delivers with.

    >>> worker = DeliveryWorker(ws.db, settings=ws.settings, lock=state.use)  # doctest: +SKIP
    >>> worker.start(); ...; worker.stop()                                   # doctest: +SKIP
    """

    def __init__(
        self,
        db: Database,
        *,
        settings: Settings,
        interval: float = WORKER_INTERVAL_SECONDS,
        lock: contextlib.AbstractContextManager[Any] | None = None,
        deliver: Callable[..., DeliveryReport] = deliver_due,
        digest: bool = True,
        on_report: Callable[[DeliveryReport], None] | None = None,
    ) -> None:
        self.db = db
        self.settings = settings
        self.interval = interval
        self.lock = lock
        self.deliver = deliver
        self.digest = digest
        self.on_report = on_report
        self._digest_day: date | None = None
        self.last_report: DeliveryReport | None = None
        self.last_error: str | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start the thread (once)."""
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="advocacy-delivery", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                today = now_utc().date()
                if self.digest and self._digest_day != today:
                    with self.lock if self.lock is not None else contextlib.nullcontext():
                        enqueue_daily_digest(self.db, settings=self.settings)
                    self._digest_day = today
                self.last_report = self.deliver(self.db, settings=self.settings, lock=self.lock)
                self.last_error = None
                if self.on_report is not None:
                    self.on_report(self.last_report)
            except Exception as error:  # keep delivering; the error is kept
                self.last_error = f"{type(error).__name__}: {error}"
            self._stop.wait(self.interval)

    def stop(self, timeout: float = 30.0) -> None:
        """Ask the thread to finish its pass and wait for it."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None


def start_delivery(
    db: Database,
    *,
    settings: Settings,
    lock: contextlib.AbstractContextManager[Any] | None = None,
    interval: float = WORKER_INTERVAL_SECONDS,
) -> DeliveryWorker | None:
    """Start a :class:`DeliveryWorker` when ``settings`` configure e-mail or webhooks, else None."""
    if not (email_enabled(settings) or webhook_urls(settings)):
        return None
    worker = DeliveryWorker(db, settings=settings, lock=lock, interval=interval)
    worker.start()
    return worker
