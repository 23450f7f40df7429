"""``ws.outbox``: the notifications waiting, sent or given up, and their delivery.

>>> import advocacy
>>> with advocacy.open("advocacy.duckdb") as ws:                        # doctest: +SKIP
...     ws.outbox.queue_digest()
...     ws.outbox.deliver().delivered
...     [message.destination for message in ws.outbox.messages(state="failed")]

Each method is one function of :mod:`advocacy.loop.notify.outbox`,
:mod:`advocacy.loop.notify.delivery` or :mod:`advocacy.loop.notify.digest` applied to the
workspace's database. E-mail goes out with the workspace's ``smtp_*`` settings
(``ws.settings``), webhook events to its ``webhook_urls`` setting.

The module also names the outbox's public types and the two test sends, which need the
settings but no workspace (imported on first use).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from advocacy.lazy_names import lazy_names as _lazy_names

if TYPE_CHECKING:
    from advocacy.loop.notify import (
        DeliveryReport,
        DeliveryWorker,
        DigestReport,
        Message,
        Selection,
    )
    from advocacy.loop.notify.delivery import send_test_email, send_test_webhooks
    from advocacy.loop.notify.outbox import State
    from advocacy.settings import Settings
    from advocacy.store.connection import Database

#: Public name -> the module that defines it, imported on first use (PEP 562).
_LAZY = {
    "DeliveryReport": "advocacy.loop.notify.delivery",
    "DeliveryWorker": "advocacy.loop.notify.delivery",
    "DigestReport": "advocacy.loop.notify.digest",
    "Message": "advocacy.loop.notify.outbox",
    "Selection": "advocacy.loop.notify.outbox",
    "send_test_email": "advocacy.loop.notify.delivery",
    "send_test_webhooks": "advocacy.loop.notify.delivery",
    "State": "advocacy.loop.notify.outbox",
}


class OutboxNamespace:
    """The notification outbox of the workspace (``ws.outbox``)."""

    def __init__(self, db: Database, settings: Settings) -> None:
        self._db = db
        self._settings = settings

    def messages(self, *, state: Selection | None = None, limit: int = 200) -> list[Message]:
        """Outbox messages, newest first.

        Parameters
        ----------
        state
            Only ``pending``, ``failed`` (given up), ``delivered`` or ``undelivered`` (pending
            and failed) messages; None for all.
        limit
            How many messages to return at most.

        Returns
        -------
        list of Message
            Channel, destination, event, attempts and delivery dates of each.
        """
        from advocacy.loop.notify import list_messages

        return list_messages(self._db, state=state, limit=limit)

    def retry(self, message_id: str, *, actor: str = "python") -> Message:
        """Make an undelivered message due now again, with a fresh count of attempts.

        Parameters
        ----------
        message_id
            The message (see :meth:`messages`).
        actor
            Who asked, for the audit log.

        Returns
        -------
        Message
            The message, due again.

        Raises
        ------
        NotFoundError
            When there is no such message.
        UsageError
            When it was delivered already.
        """
        from advocacy.loop.notify import retry

        return retry(self._db, message_id, actor=actor)

    def deliver(self) -> DeliveryReport:
        """Send the messages that are due now; failures are retried later with backoff.

        Returns
        -------
        DeliveryReport
            How many were attempted, delivered, failed and given up, with the errors.
        """
        from advocacy.loop.notify import deliver_due

        return deliver_due(self._db, settings=self._settings)

    def worker(
        self,
        *,
        interval: float | None = None,
        on_report: Callable[[DeliveryReport], None] | None = None,
    ) -> DeliveryWorker:
        """A worker that delivers every ``interval`` seconds (and queues each day's digest).

        Parameters
        ----------
        interval
            Seconds between delivery passes; None for the worker's default.
        on_report
            Called with the report of every pass.

        Returns
        -------
        DeliveryWorker
            Not started: call ``start()``, and ``stop()`` when done.
        """
        from advocacy.loop.notify import WORKER_INTERVAL_SECONDS, DeliveryWorker

        return DeliveryWorker(
            self._db,
            settings=self._settings,
            interval=WORKER_INTERVAL_SECONDS if interval is None else interval,
            on_report=on_report,
        )

    def queue_digest(self) -> DigestReport:
        """Queue today's digest: one e-mail per case owner with an address, one webhook event.

        Idempotent per (UTC) day: owners already sent today's digest are counted, not sent
        it again.

        Returns
        -------
        DigestReport
            The day, the e-mails and webhook events queued, and those already sent.
        """
        from advocacy.loop.notify import enqueue_daily_digest

        return enqueue_daily_digest(self._db, settings=self._settings)

    def start(
        self, *, lock: contextlib.AbstractContextManager[Any] | None = None
    ) -> DeliveryWorker | None:
        """Start a delivery worker when e-mail or webhooks are configured (else None).

        Parameters
        ----------
        lock
            What every user of the database holds while using it (a server's ``WebState.use``).

        Returns
        -------
        DeliveryWorker or None
            The started worker: call ``stop()`` when done.
        """
        from advocacy.loop.notify.delivery import start_delivery

        return start_delivery(self._db, settings=self._settings, lock=lock)


__all__ = [
    "DeliveryReport",
    "DeliveryWorker",
    "DigestReport",
    "Message",
    "OutboxNamespace",
    "Selection",
    "State",
    "send_test_email",
    "send_test_webhooks",
]

__getattr__, __dir__ = _lazy_names(__name__, _LAZY, __all__)
