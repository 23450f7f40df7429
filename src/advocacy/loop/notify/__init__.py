"""Notifications: what a case change tells whom (``case_notifications``), the outbox
(``outbox``), delivery by e-mail and webhook (``delivery``, ``email``, ``webhooks``) and the daily
digest (``digest``).

The names the facade uses are listed in ``__all__`` and imported on first use (PEP 562), so the
modules of ``advocacy.loop`` may import one another without cycles.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from advocacy.lazy_names import lazy_names as _lazy_names

if TYPE_CHECKING:
    from advocacy.loop.notify.delivery import (
        WORKER_INTERVAL_SECONDS,
        DeliveryReport,
        DeliveryWorker,
        deliver_due,
    )
    from advocacy.loop.notify.digest import DigestReport, enqueue_daily_digest
    from advocacy.loop.notify.outbox import Message, Selection, list_messages, retry

_LAZY = {
    "deliver_due": "advocacy.loop.notify.delivery",
    "DeliveryReport": "advocacy.loop.notify.delivery",
    "DeliveryWorker": "advocacy.loop.notify.delivery",
    "DigestReport": "advocacy.loop.notify.digest",
    "enqueue_daily_digest": "advocacy.loop.notify.digest",
    "list_messages": "advocacy.loop.notify.outbox",
    "Message": "advocacy.loop.notify.outbox",
    "retry": "advocacy.loop.notify.outbox",
    "Selection": "advocacy.loop.notify.outbox",
    "WORKER_INTERVAL_SECONDS": "advocacy.loop.notify.delivery",
}

__all__ = [
    "WORKER_INTERVAL_SECONDS",
    "DeliveryReport",
    "DeliveryWorker",
    "DigestReport",
    "Message",
    "Selection",
    "deliver_due",
    "enqueue_daily_digest",
    "list_messages",
    "retry",
]

__getattr__, __dir__ = _lazy_names(__name__, _LAZY, __all__)
