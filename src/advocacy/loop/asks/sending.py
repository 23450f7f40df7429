"""Sending a campaign: audience, guards, the random holdout, then the ask, by e-mail or links.

:func:`send` runs a campaign once: it selects the audience
(:func:`advocacy.loop.asks.audience.select_audience`), leaves out whoever the guards hold back,
assigns every eligible customer to the ``ask`` or ``control`` arm (recorded in ``ask_members``)
and asks the ``ask`` arm: an e-mail each through the notification outbox (channel ``email``) or a
list of signed links for the company's own mailing tool (channel ``links``). The control arm is
recorded and never contacted. Sending again asks only customers new to the audience.

:func:`prompt_for` is the third channel: after a customer with a signed survey link gives a
promoter score, each active ``survey-prompt`` campaign assigns them (the same guards, except the
survey contact guard, since the answer just given is the contact) and, in the ask arm, returns
the prompt the thank-you page shows.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TextIO

from advocacy.access.audit import now_utc, record_audit
from advocacy.errors import UsageError
from advocacy.exports import neutralize
from advocacy.loop.asks.audience import (
    Candidate,
    apply_guards,
    arm_of,
    select_audience,
    skipped_by_reason,
)
from advocacy.loop.asks.campaigns import Campaign
from advocacy.loop.asks.links import link_urls, member_token
from advocacy.loop.asks.store import (
    Member,
    add_members,
    get_campaign,
    get_member,
    list_campaigns,
    record_event,
)
from advocacy.loop.notify.outbox import email_enabled, enqueue
from advocacy.loop.surveys.signing import secret_key
from advocacy.settings import Settings
from advocacy.store.connection import Database

PROMOTER_AT_LEAST = 9


@dataclass(frozen=True)
class SendResult:
    """One send: the links of the customers asked, the control group, and who was left out."""

    campaign_id: str
    channel: str
    asked: list[dict[str, Any]] = field(default_factory=list)  # customer, name, email, urls
    control: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    messages: int = 0

    @property
    def skipped_by_reason(self) -> dict[str, int]:
        """How many the guards left out, by reason."""
        return skipped_by_reason(self.skipped)

    def write_links(self, handle: TextIO) -> None:
        """Write the asked customers' links as CSV (customer_id, name, email, one column per
        link) to ``handle``, for the company's own mailing tool. Every cell is neutralised
        (:func:`advocacy.exports.neutralize`): names are the customers' own text."""
        targets = sorted({name for row in self.asked for name in row["urls"]})
        writer = csv.writer(handle)
        writer.writerow(["customer_id", "name", "email", *targets])
        for row in self.asked:
            cells = [row["customer_id"], row["name"], row["email"]]
            cells += [row["urls"].get(name) for name in targets]
            writer.writerow([neutralize(str(cell or "")) for cell in cells])


def _startable(campaign: Campaign) -> None:
    if not campaign.active:
        raise UsageError(
            f"campaign {campaign.campaign_id!r} is switched off",
            value=campaign.campaign_id,
            fix="set active: true in its file and add it again",
        )


def _assign(
    campaign: Campaign, eligible: Sequence[Candidate], *, channel: str, moment: datetime
) -> list[tuple[Member, Candidate]]:
    chosen = []
    for candidate in eligible:
        arm = arm_of(campaign, candidate.customer_id)
        asked = moment if arm == "ask" else None
        member = Member(campaign.campaign_id, candidate.customer_id, arm, channel, moment, asked)
        chosen.append((member, candidate))
    return chosen


def send(
    db: Database,
    campaign_id: str,
    *,
    settings: Settings,
    now: datetime | None = None,
    actor: str = "system",
) -> SendResult:
    """Ask the campaign's audience (less the guarded and the control group) once.

    Parameters
    ----------
    settings
        The workspace's settings: ``secret_key`` signs the links, ``public_url`` is their
        address, ``contact_guard_days`` the survey contact guard, ``smtp_host`` whether e-mail
        is set up.

    Returns
    -------
    SendResult

    Raises
    ------
    UsageError
        The campaign is switched off, is a thank-you-page prompt (it asks on the survey page),
        needs e-mail that is not set up, or no ``secret_key`` is set.
    """
    campaign = get_campaign(db, campaign_id)
    _startable(campaign)
    if campaign.channel == "survey-prompt":
        raise UsageError(
            f"campaign {campaign_id!r} asks on the survey's thank-you page; it is not sent",
            value=campaign_id,
            fix="promoters who answer a signed survey link see it; use channel email or links "
            "to send",
        )
    if campaign.channel == "email" and not email_enabled(settings):
        raise UsageError(
            "e-mail is not set up, so an e-mail campaign cannot be sent",
            parameter="smtp_host",
            fix="set ADVOCACY_SMTP_HOST, or use channel: links and mail the links yourself",
        )
    moment = now_utc(now)
    candidates = select_audience(db, campaign, now=moment)
    with db.transaction():
        eligible, skipped = apply_guards(
            db, campaign, candidates, now=moment, contact_guard_days=settings.contact_guard_days
        )
        assigned = _assign(campaign, eligible, channel=campaign.channel, moment=moment)
        if any(member.arm == "ask" for member, _ in assigned):
            # The links are signed; without a key nothing is recorded (the transaction rolls back).
            secret_key(settings.secret_key)
        result = SendResult(campaign_id, campaign.channel, skipped=skipped)
        add_members(db, [member for member, _ in assigned])
        for member, candidate in assigned:
            if member.arm == "control":
                result.control.append(member.customer_id)
                continue
            token = member_token(campaign, member.customer_id, settings=settings, asked_at=moment)
            urls = link_urls(campaign, token, settings=settings)
            result.asked.append(
                {
                    "customer_id": member.customer_id,
                    "name": candidate.name,
                    "email": candidate.email,
                    "urls": urls,
                }
            )
            if campaign.channel == "email":
                ids = enqueue(
                    db,
                    event="ask.sent",
                    subject=campaign.message["subject"],
                    payload={"message": campaign.message["body"], **urls},
                    settings=settings,
                    emails=[str(candidate.email)],
                    now=moment,
                    channels=("email",),
                )
                result = _counted(result, len(ids))
        record_audit(
            db,
            actor=actor,
            action="ask.send",
            target=campaign_id,
            detail={
                "asked": len(result.asked),
                "control": len(result.control),
                "skipped": len(skipped),
            },
            now=moment,
        )
    return result


def _counted(result: SendResult, messages: int) -> SendResult:
    return SendResult(
        result.campaign_id,
        result.channel,
        result.asked,
        result.control,
        result.skipped,
        result.messages + messages,
    )


@dataclass(frozen=True)
class Prompt:
    """What the survey's thank-you page shows a promoter in a campaign's ask arm."""

    campaign_id: str
    action: str
    message: str
    urls: dict[str, str]


def prompt_for(
    db: Database,
    customer_id: str | None,
    nps: int | None,
    *,
    settings: Settings,
    now: datetime | None = None,
) -> Prompt | None:
    """Assign a promoter who just answered to each active thank-you-page campaign; the prompt
    of the first that asks them (None when none does).

    Nothing happens for an anonymous answer, a score below 9, or without a ``secret_key``.
    A customer already assigned keeps their arm (and, in the ask arm, sees their prompt again).
    """
    if customer_id is None or nps is None or nps < PROMOTER_AT_LEAST or not settings.secret_key:
        return None
    moment = now_utc(now)
    campaigns = [c for c in list_campaigns(db) if c.active and c.channel == "survey-prompt"]
    shown: Prompt | None = None
    known = db.fetchone(
        "SELECT name, email, segment FROM customers WHERE customer_id = ?", [customer_id]
    )
    name, email, segment = known if known is not None else (None, None, None)
    for campaign in campaigns:
        if shown is not None:  # one ask at a time: the other campaigns wait their turn
            break
        wanted = campaign.audience.get("segment")
        if wanted is not None and wanted != segment:
            continue
        with db.transaction():
            member = get_member(db, campaign.campaign_id, customer_id)
            if member is None:
                candidate = Candidate(customer_id, name, email)
                eligible, _ = apply_guards(
                    db,
                    campaign,
                    [candidate],
                    now=moment,
                    contact_guard_days=settings.contact_guard_days,
                    use_contact_guard=False,
                )
                if not eligible:
                    continue
                ((member, _),) = _assign(campaign, eligible, channel="survey-prompt", moment=moment)
                add_members(db, [member])
            if member.arm != "ask":
                continue
            record_event(
                db,
                campaign_id=campaign.campaign_id,
                customer_id=customer_id,
                kind="prompt",
                now=moment,
            )
        asked_at = member.asked_at or moment
        token = member_token(campaign, customer_id, settings=settings, asked_at=asked_at)
        shown = Prompt(
            campaign.campaign_id,
            campaign.action,
            campaign.message["body"],
            link_urls(campaign, token, settings=settings),
        )
    return shown


__all__ = ["PROMOTER_AT_LEAST", "Prompt", "SendResult", "prompt_for", "send"]
