"""Signed webhooks: an outbox message POSTed as JSON, signed with HMAC-SHA256.

Every request carries four headers:

``X-Advocacy-Event``
    The event, e.g. ``case.opened``.
``X-Advocacy-Delivery``
    The message id; the same on every retry of one message, so receivers can drop duplicates.
``X-Advocacy-Timestamp``
    Unix seconds when this attempt was signed.
``X-Advocacy-Signature``
    ``sha256=`` and the hex HMAC-SHA256, keyed with setting ``webhook_secret``, of the
    timestamp, a full stop and the raw body: ``f"{timestamp}.{body}"``.

A receiver checks a request with :func:`verify_signature` (or the same few lines in its own
language): recompute the HMAC over the raw body it received, compare in constant time, and
reject timestamps far from its clock so a captured request cannot be replayed later.

>>> from datetime import UTC, datetime
>>> body = b'{"event": "case.opened"}'
>>> signature = sign("s3cret", 1700000000, body)
>>> verify_signature("s3cret", "1700000000", body, signature,
...                  now=datetime.fromtimestamp(1700000060, UTC))
True
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime
from typing import Any

import httpx

from advocacy.access.audit import now_utc
from advocacy.loop.notify.outbox import DeliveryError, Message

#: Seconds a webhook request may take (connect, read and write each).
TIMEOUT_SECONDS = 10.0
EVENT_HEADER = "X-Advocacy-Event"
DELIVERY_HEADER = "X-Advocacy-Delivery"
TIMESTAMP_HEADER = "X-Advocacy-Timestamp"
SIGNATURE_HEADER = "X-Advocacy-Signature"


def _bytes(body: bytes | str) -> bytes:
    return body.encode("utf-8") if isinstance(body, str) else body


def sign(secret: str, timestamp: int | str, body: bytes | str) -> str:
    """The ``X-Advocacy-Signature`` value: ``sha256=<hex HMAC of "{timestamp}.{body}">``.

    Parameters
    ----------
    secret
        The shared key (setting ``webhook_secret``).
    timestamp
        Unix seconds, as sent in ``X-Advocacy-Timestamp``.
    body
        The exact request body.

    Returns
    -------
    str
        The signature header value.
    """
    signed = str(timestamp).encode("ascii") + b"." + _bytes(body)
    digest = hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()
    return "sha256=" + digest


def verify_signature(
    secret: str,
    timestamp: str,
    body: bytes | str,
    signature: str,
    *,
    tolerance_seconds: float = 300,
    now: datetime | None = None,
) -> bool:
    """Whether a received webhook is genuine and fresh, for receivers to call.

    Parameters
    ----------
    secret
        The shared key both sides hold (setting ``webhook_secret`` on the sender).
    timestamp
        The ``X-Advocacy-Timestamp`` header.
    body
        The raw request body, exactly as received (before any JSON parsing).
    signature
        The ``X-Advocacy-Signature`` header (``sha256=<hex>``).
    tolerance_seconds
        How far the timestamp may be from ``now``, either way; protects against replays.
    now
        The receiver's clock; defaults to the current UTC time.

    Returns
    -------
    bool
        True only when the signature matches the body and timestamp and the timestamp is fresh.

    Examples
    --------
    >>> import datetime as dt
    >>> from advocacy.loop.notify.webhooks import sign
    >>> now = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
    >>> timestamp = str(int(now.timestamp()))
    >>> body = b'{"event": "case.opened"}'
    >>> signature = sign("s3cret", timestamp, body)
    >>> verify_signature("s3cret", timestamp, body, signature, now=now)
    True
    >>> verify_signature("s3cret", timestamp, b"{}", signature, now=now)
    False
    """
    try:
        sent = int(str(timestamp).strip())
    except ValueError:
        return False
    if abs(now_utc(now).timestamp() - sent) > tolerance_seconds:
        return False
    expected = sign(secret, sent, body)
    return hmac.compare_digest(expected.encode(), str(signature).strip().encode())


def webhook_body(message: Message) -> bytes:
    """The JSON body POSTed for ``message``: event, delivery id, time, subject and data."""
    document: dict[str, Any] = {
        "event": message.event,
        "delivery": message.message_id,
        "created_at": message.created_at.isoformat(),
        "subject": message.subject,
        "data": message.payload,
    }
    return json.dumps(document, sort_keys=True, default=str).encode("utf-8")


def webhook_headers(
    message: Message, body: bytes, *, secret: str, now: datetime | None = None
) -> dict[str, str]:
    """The headers of one attempt at ``message``, signed at ``now``."""
    timestamp = int(now_utc(now).timestamp())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "advocacy-webhooks",
        EVENT_HEADER: message.event,
        DELIVERY_HEADER: message.message_id,
        TIMESTAMP_HEADER: str(timestamp),
    }
    if secret:
        headers[SIGNATURE_HEADER] = sign(secret, timestamp, body)
    return headers


def new_client() -> httpx.Client:
    """An HTTP client with the webhook timeout (no redirects: a receiver must answer itself)."""
    return httpx.Client(timeout=TIMEOUT_SECONDS, follow_redirects=False)


def send_webhook(
    message: Message,
    *,
    secret: str,
    client: httpx.Client | None = None,
    now: datetime | None = None,
) -> int:
    """POST ``message`` to its destination URL and return the HTTP status.

    Parameters
    ----------
    message
        An outbox message of channel ``webhook``.
    secret
        The signing key, the setting ``webhook_secret`` (unsigned when empty).
    client
        The HTTP client (a fresh one with :data:`TIMEOUT_SECONDS` when left out).
    now
        The clock the timestamp comes from.

    Raises
    ------
    DeliveryError
        On a connection error, a timeout, or any answer other than 2xx.
    """
    body = webhook_body(message)
    headers = webhook_headers(message, body, secret=secret, now=now)
    owned = client is None
    http = new_client() if client is None else client
    try:
        response = http.post(message.destination, content=body, headers=headers)
    except httpx.HTTPError as error:
        raise DeliveryError(
            f"webhook {message.destination} unreachable: {type(error).__name__}: {error}",
            value=message.destination,
            fix="check that the receiver runs and setting webhook_urls is right",
        ) from None
    finally:
        if owned:
            http.close()
    if not 200 <= response.status_code < 300:
        raise DeliveryError(
            f"webhook {message.destination} answered {response.status_code}: {response.text[:200]}",
            value=message.destination,
            fix="check the receiver's log; it must answer 2xx",
        )
    return response.status_code
