"""Tracked ask links: signed per customer, counted on the way, and only to the campaign's targets.

A member of a campaign's ``ask`` arm gets one signed token naming the campaign, the customer and
the expiry (HMAC-SHA256 with the ``secret_key`` setting, through
:func:`advocacy.loop.surveys.signing.sign_values` with its own domain, so a survey link's token
is never an ask token). From it come:

- the click link ``{public_url}/a/{token}/{target}``: opening it counts a click and redirects to
  the URL the campaign names for ``target`` (:func:`follow`). An unknown target is refused, never
  followed: the redirect cannot be pointed anywhere else (no open redirect).
- for a referral ask, the target ``landing`` leads to a page with the landing link
  ``{public_url}/r/{token}`` (:func:`landing_url`) the advocate shares: a friend
  who opens it leaves a name and e-mail if they wish (:mod:`advocacy.loop.asks.landing`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from advocacy.access.audit import now_utc
from advocacy.errors import NotFoundError
from advocacy.loop.asks.campaigns import LANDING, WELCOME, Campaign
from advocacy.loop.asks.store import get_campaign, get_member, record_event
from advocacy.loop.surveys.signing import LinkError, LinkExpiredError, sign_values, signed_values
from advocacy.settings import Settings
from advocacy.store.connection import Database
from advocacy.store.customer_merge import current_customers

DOMAIN = "ask"


@dataclass(frozen=True)
class AskClaims:
    """What an ask token says: which campaign and customer, valid until when."""

    campaign_id: str
    customer_id: str
    expires_at: datetime


def sign_ask(claims: AskClaims, *, secret: str) -> str:
    """The URL-safe token of ``claims``."""
    values = [claims.campaign_id, claims.customer_id, int(claims.expires_at.timestamp())]
    return sign_values(values, domain=DOMAIN, secret=secret)


def verify_ask(token: str, *, secret: str, now: datetime | None = None) -> AskClaims:
    """The claims of ``token`` after checking its signature and expiry.

    Raises
    ------
    LinkError
        A malformed or altered token, or a token signed for something else.
    LinkExpiredError
        A genuine token past its expiry.
    """
    values = signed_values(token, domain=DOMAIN, secret=secret)
    try:
        campaign_id, customer_id, expires = values
        claims = AskClaims(
            str(campaign_id), str(customer_id), datetime.fromtimestamp(int(expires), UTC)
        )
    except (ValueError, TypeError):
        raise LinkError(
            "this link is not valid (it cannot be read)", fix="open it as it arrived"
        ) from None
    if now_utc(now) >= claims.expires_at:
        raise LinkExpiredError(
            f"this link expired on {claims.expires_at:%Y-%m-%d}",
            value=claims.expires_at.isoformat(),
            fix="ask the company for a new link",
        )
    return claims


def member_token(
    campaign: Campaign, customer_id: str, *, settings: Settings, asked_at: datetime
) -> str:
    """The signed token of a member asked at ``asked_at`` (valid ``link_days`` days)."""
    expires = (asked_at + timedelta(days=campaign.link_days)).replace(microsecond=0)
    return sign_ask(
        AskClaims(campaign.campaign_id, customer_id, expires), secret=settings.secret_key
    )


def link_urls(campaign: Campaign, token: str, *, settings: Settings) -> dict[str, str]:
    """The member's tracked links by target name: one per target the campaign names and, for a
    referral ask, ``landing`` (it leads to the page with the link to share with friends)."""
    base = settings.public_url.rstrip("/")
    names = sorted(campaign.targets) + ([LANDING] if campaign.action == "refer" else [])
    if campaign.action == "refer":  # the welcome page is where the friend goes, not the advocate
        names = [name for name in names if name != WELCOME]
    return {name: f"{base}/a/{token}/{name}" for name in names}


def landing_url(token: str, *, settings: Settings) -> str:
    """The referral landing page a member shares with friends."""
    return f"{settings.public_url.rstrip('/')}/r/{token}"


@dataclass(frozen=True)
class AskLink:
    """A verified ask link: its campaign and the asked customer."""

    campaign: Campaign
    customer_id: str


def open_link(
    db: Database, token: str, *, settings: Settings, now: datetime | None = None
) -> AskLink:
    """Check ``token`` and that it belongs to a member of the campaign's ask arm.

    Raises
    ------
    LinkError
        An altered token, or one whose customer was never asked by this campaign.
    LinkExpiredError
        An expired one.
    """
    claims = verify_ask(token, secret=settings.secret_key, now=now)
    try:
        campaign = get_campaign(db, claims.campaign_id)
    except NotFoundError:
        raise LinkError("this link is not valid (its campaign is gone)") from None
    # A link sent to a customer merged since (an e-mail placeholder) is its new customer's.
    customer_id = current_customers(db, [claims.customer_id])[claims.customer_id]
    member = get_member(db, claims.campaign_id, customer_id)
    if member is None or member.arm != "ask":
        raise LinkError("this link is not valid (it was never sent)")
    return AskLink(campaign, customer_id)


def follow(
    db: Database, token: str, target: str, *, settings: Settings, now: datetime | None = None
) -> str:
    """Count a click on the member's link to ``target`` and return where it redirects.

    Parameters
    ----------
    token
        The member's signed token.
    target
        A target name of the campaign (or ``landing`` for a referral ask).

    Returns
    -------
    str
        The URL the campaign names for ``target``; the landing page for ``landing``.

    Raises
    ------
    LinkError, LinkExpiredError
        As for :func:`open_link`.
    NotFoundError
        ``target`` is not one the campaign names: nothing is counted and nothing is followed.
    """
    link = open_link(db, token, settings=settings, now=now)
    urls = dict(link.campaign.targets)
    if link.campaign.action == "refer":
        urls[LANDING] = f"{settings.public_url.rstrip('/')}/r/{token}/share"
    if target not in urls:
        raise NotFoundError(
            "this link leads nowhere",
            value=target[:40],
            fix="open the link exactly as it arrived",
        )
    with db.transaction():
        record_event(
            db,
            campaign_id=link.campaign.campaign_id,
            customer_id=link.customer_id,
            kind="click",
            target=target,
            now=now,
        )
    return urls[target]


__all__ = [
    "DOMAIN",
    "AskClaims",
    "AskLink",
    "follow",
    "landing_url",
    "link_urls",
    "member_token",
    "open_link",
    "sign_ask",
    "verify_ask",
]
