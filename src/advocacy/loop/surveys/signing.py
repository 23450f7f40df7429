"""Signed survey links and form nonces: HMAC-SHA256 with the ``secret_key`` setting.

A survey link is its own credential: the token carries the invitation id, the survey, the
customer and the expiry, signed so that none of them can be changed, and checked in constant
time. Hosted survey forms have no session, so each rendered form also carries a signed nonce
tying the POST to a form this server rendered for that link (and, for the anonymous link,
making a double submit of the same form idempotent).

Every function takes the key as ``secret``: the ``secret_key`` setting of the workspace
(``ws.settings.secret_key``).

>>> claims = LinkClaims("inv1", "default", "C1", datetime(2030, 1, 1, tzinfo=UTC))
>>> token = sign_link(claims, secret="k")
>>> verify_link(token, secret="k", now=datetime(2029, 1, 1, tzinfo=UTC)) == claims
True
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from advocacy.errors import AdvocacyError, UsageError
from advocacy.settings import SETTINGS_BY_NAME

#: How long a rendered form may be submitted.
FORM_LIFETIME = timedelta(days=2)


class LinkError(AdvocacyError):
    """A survey link or form that is not valid: unknown, tampered with, or not ours."""

    status = 403


class LinkExpiredError(LinkError):
    """A survey link (or its form) whose validity has run out."""

    status = 410


@dataclass(frozen=True)
class LinkClaims:
    """What a signed link says: which invitation, survey and customer, valid until when."""

    invitation_id: str
    survey_id: str
    customer_id: str | None
    expires_at: datetime


def secret_key(secret: str) -> bytes:
    """The signing key ``secret`` (the ``secret_key`` setting) as bytes; it must not be empty."""
    if not secret:
        variable = SETTINGS_BY_NAME["secret_key"].environment_variable
        raise UsageError(
            "survey links need a secret key, and none is set",
            parameter="secret_key",
            fix=f"set the environment variable {variable} to a long random value (keep it: "
            "links signed with one key do not open with another)",
        )
    return secret.encode("utf-8")


def _encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(key: bytes, message: str) -> str:
    return _encode(hmac.new(key, message.encode("utf-8"), hashlib.sha256).digest())


def sign_link(claims: LinkClaims, *, secret: str) -> str:
    """The URL-safe token for ``claims``: ``<payload>.<HMAC-SHA256 of the payload>``."""
    payload = json.dumps(
        [
            claims.invitation_id,
            claims.survey_id,
            claims.customer_id,
            int(claims.expires_at.timestamp()),
        ],
        separators=(",", ":"),
    )
    body = _encode(payload.encode("utf-8"))
    return f"{body}.{_mac(secret_key(secret), 'link|' + body)}"


def _invalid(token: str, reason: str, what: str = "survey link") -> LinkError:
    return LinkError(
        f"this {what} is not valid ({reason})",
        value=token[:24] + ("…" if len(token) > 24 else ""),
        fix="open the link exactly as it arrived, or ask the sender for a new one",
    )


def verify_link(token: str, *, secret: str, now: datetime | None = None) -> LinkClaims:
    """The claims of ``token`` after checking its signature (in constant time) and expiry.

    Raises
    ------
    LinkError
        The token is malformed or its signature does not match (it was changed).
    LinkExpiredError
        The signature is good but the link's validity has run out.
    """
    body, dot, signature = token.partition(".")
    if not dot or not body or not signature:
        raise _invalid(token, "it is incomplete")
    expected = _mac(secret_key(secret), "link|" + body)
    if not hmac.compare_digest(expected.encode("ascii"), signature.encode("ascii", "replace")):
        raise _invalid(token, "its signature does not match")
    try:
        invitation_id, survey_id, customer_id, expires = json.loads(_decode(body))
        claims = LinkClaims(
            str(invitation_id),
            str(survey_id),
            None if customer_id is None else str(customer_id),
            datetime.fromtimestamp(int(expires), UTC),
        )
    except (ValueError, TypeError, binascii.Error):
        raise _invalid(token, "it cannot be read") from None
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    if moment >= claims.expires_at:
        raise LinkExpiredError(
            f"this survey link expired on {claims.expires_at:%Y-%m-%d}",
            value=claims.expires_at.isoformat(),
            fix="ask the sender for a new link",
        )
    return claims


def sign_values(values: list[Any], *, domain: str, secret: str) -> str:
    """A URL-safe token carrying ``values`` (JSON), signed for ``domain`` (e.g. ``"ask"``).

    The domain keeps a token made for one purpose from being accepted for another.
    """
    body = _encode(json.dumps(values, separators=(",", ":")).encode("utf-8"))
    return f"{body}.{_mac(secret_key(secret), domain + '|' + body)}"


def signed_values(token: str, *, domain: str, secret: str) -> list[Any]:
    """The values of a :func:`sign_values` token after checking its signature in constant time.

    Raises
    ------
    LinkError
        The token is malformed, made for another domain, or its signature does not match.
    """
    body, dot, signature = token.partition(".")
    if not dot or not body or not signature or len(token) > 2000:
        raise _invalid(token, "it is incomplete", "link")
    expected = _mac(secret_key(secret), domain + "|" + body)
    if not hmac.compare_digest(expected.encode("ascii"), signature.encode("ascii", "replace")):
        raise _invalid(token, "its signature does not match", "link")
    try:
        values = json.loads(_decode(body))
    except (ValueError, TypeError, binascii.Error):
        raise _invalid(token, "it cannot be read", "link") from None
    if not isinstance(values, list):
        raise _invalid(token, "it cannot be read", "link")
    return values


def form_nonce(subject: str, *, secret: str, now: datetime | None = None) -> str:
    """A signed, single-form nonce for the form of ``subject`` (a link token or a survey id)."""
    issued = int((now or datetime.now(UTC)).timestamp())
    random_part = secrets.token_urlsafe(12)
    signature = _mac(secret_key(secret), f"form|{subject}|{random_part}|{issued}")
    return f"{random_part}.{issued}.{signature}"


def check_form_nonce(
    nonce: str | None, subject: str, *, secret: str, now: datetime | None = None
) -> str:
    """Check that ``nonce`` was issued by :func:`form_nonce` for ``subject`` and is still fresh.

    Returns
    -------
    str
        The nonce's random part, which identifies the rendered form.

    Raises
    ------
    LinkError
        No nonce, a nonce for another form, or one that was altered.
    LinkExpiredError
        The form was rendered longer ago than :data:`FORM_LIFETIME`.
    """
    parts = (nonce or "").split(".")
    if len(parts) != 3 or not parts[1].isdigit():
        raise LinkError(
            "the survey form is incomplete (its security field is missing)",
            parameter="nonce",
            fix="reload the survey page and answer again",
        )
    random_part, issued, signature = parts
    expected = _mac(secret_key(secret), f"form|{subject}|{random_part}|{issued}")
    if not hmac.compare_digest(expected.encode("ascii"), signature.encode("ascii", "replace")):
        raise LinkError(
            "the survey form's security field does not match this survey",
            parameter="nonce",
            fix="reload the survey page and answer again",
        )
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    if moment - datetime.fromtimestamp(int(issued), UTC) > FORM_LIFETIME:
        raise LinkExpiredError(
            "the survey form was opened too long ago",
            parameter="nonce",
            fix="reload the survey page and answer again",
        )
    return random_part


__all__ = [
    "FORM_LIFETIME",
    "LinkClaims",
    "LinkError",
    "LinkExpiredError",
    "check_form_nonce",
    "form_nonce",
    "secret_key",
    "sign_link",
    "sign_values",
    "signed_values",
    "verify_link",
]
