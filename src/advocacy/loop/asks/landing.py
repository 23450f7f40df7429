"""The referral landing: a friend arrives through an advocate's link and is recorded.

The friend may leave a name and an e-mail address; both are kept only when they agree to be
contacted (the consent, and its wording, are recorded with the referral's event). Either way the
visit becomes a ``referrals`` row (written through :func:`advocacy.ingest.records.write_records`,
validated like an import) with the advocate as ``referrer_id``, the channel ``ask:<campaign>``
and a fresh referral code the friend can give at checkout. The referral converts as every
referral does (:func:`advocacy.advocates.referrals.attribute_referrals`): a later customers import
with the friend's e-mail or the code, or a transactions import whose ``referral_code`` is it.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime

from advocacy.access.audit import now_utc
from advocacy.errors import ValidationError
from advocacy.ingest.limits import InputLimits
from advocacy.ingest.records import write_records
from advocacy.loop.asks.campaigns import WELCOME
from advocacy.loop.asks.links import open_link
from advocacy.loop.asks.store import record_event
from advocacy.loop.surveys.signing import check_form_nonce, form_nonce
from advocacy.settings import Settings
from advocacy.store.connection import Database

#: What the friend agrees to when they tick the box (recorded with the referral).
CONSENT_TEXT = "I agree that the company may contact me about this invitation."
#: Letters of a referral code: no 0/O or 1/I, which read alike.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
NAME_LIMIT = 200
EMAIL_LIMIT = 254


@dataclass(frozen=True)
class LandedReferral:
    """A friend recorded: the referral, its code, and whether their contact was kept."""

    referral_id: str
    code: str
    campaign_id: str
    consent: bool
    welcome_url: str | None


def landing_nonce(token: str, *, settings: Settings, now: datetime | None = None) -> str:
    """The signed nonce of one rendered landing form for ``token``."""
    return form_nonce("landing|" + token, secret=settings.secret_key, now=now)


def new_code() -> str:
    """A random 8-letter referral code."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


def _clean(value: str | None, limit: int, what: str) -> str | None:
    text = " ".join((value or "").split())
    if len(text) > limit:
        raise ValidationError(
            f"the {what} is too long ({len(text)} characters)",
            column=what,
            value=text[:40] + "…",
            fix=f"write at most {limit} characters",
        )
    return text or None


def record_referral(
    db: Database,
    token: str,
    *,
    name: str | None,
    email: str | None,
    consent: bool,
    settings: Settings,
    nonce: str | None = None,
    now: datetime | None = None,
) -> LandedReferral:
    """Record the friend who arrived through the member link ``token``.

    Parameters
    ----------
    name, email
        What the friend wrote (both optional); kept only with ``consent``.
    consent
        Whether the friend ticked :data:`CONSENT_TEXT`.
    nonce
        The form's signed nonce (:func:`landing_nonce`), checked when given: the web form
        always gives one, so a POST that no rendered form made is refused.

    Returns
    -------
    LandedReferral

    Raises
    ------
    LinkError, LinkExpiredError
        For a link that is not a member's (:func:`advocacy.loop.asks.links.open_link`).
    ValidationError
        For a name or e-mail that is too long, or an e-mail without an ``@``.
    """
    link = open_link(db, token, settings=settings, now=now)
    if nonce is not None:
        check_form_nonce(nonce, "landing|" + token, secret=settings.secret_key, now=now)
    cleaned_name = _clean(name, NAME_LIMIT, "name")
    cleaned_email = _clean(email, EMAIL_LIMIT, "email")
    if cleaned_email is not None and "@" not in cleaned_email:
        raise ValidationError(
            "the e-mail address has no @",
            column="email",
            value=cleaned_email[:40],
            fix="write it like name@example.com, or leave it empty",
        )
    moment = now_utc(now)
    referral_id = f"ask-{uuid.uuid4().hex}"
    code = new_code()
    record = {
        "referral_id": referral_id,
        "referrer_id": link.customer_id,
        "referred_contact": cleaned_email if consent else None,
        "referred_at": moment.isoformat(),
        "code": code,
        "channel": f"ask:{link.campaign.campaign_id}",
    }
    with db.transaction():
        write_records(
            db,
            "referrals",
            [record],
            actor="ask",
            timezone="UTC",
            limits=InputLimits.from_settings(settings),
            now=moment,
        )
        record_event(
            db,
            campaign_id=link.campaign.campaign_id,
            customer_id=link.customer_id,
            kind="referral",
            referral_id=referral_id,
            detail={
                "consent": consent,
                "consent_text": CONSENT_TEXT if consent else None,
                "name": cleaned_name if consent else None,
                "left_contact": bool(consent and cleaned_email),
            },
            now=moment,
        )
    return LandedReferral(
        referral_id, code, link.campaign.campaign_id, consent, link.campaign.targets.get(WELCOME)
    )


__all__ = ["CONSENT_TEXT", "LandedReferral", "landing_nonce", "new_code", "record_referral"]
