"""``ws.asks``: campaigns that ask customers to refer, review or vouch, and what asking caused.

>>> import advocacy
>>> with advocacy.open("advocacy.duckdb") as ws:                        # doctest: +SKIP
...     ws.asks.add("refer-spring.yaml")
...     sent = ws.asks.send("refer-spring")
...     ws.asks.results("refer-spring").verdict

Each method is one function of :mod:`advocacy.loop.asks` applied to the workspace's database and
settings: links are signed with ``secret_key`` and point at ``public_url``; the survey contact
guard is ``contact_guard_days``; intervals are at the ``confidence`` level.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from advocacy.lazy_names import lazy_names as _lazy_names

if TYPE_CHECKING:
    import pandas as pd

    from advocacy.loop.asks.campaigns import Campaign
    from advocacy.loop.asks.landing import CONSENT_TEXT, LandedReferral
    from advocacy.loop.asks.links import AskLink
    from advocacy.loop.asks.results import AskResults
    from advocacy.loop.asks.sending import Prompt, SendResult
    from advocacy.settings import Settings
    from advocacy.store.connection import Database

    Campaigns: TypeAlias = list[Campaign]

#: Public types the presentation names, imported on first use (PEP 562).
_LAZY = {
    "AskLink": "advocacy.loop.asks.links",
    "AskResults": "advocacy.loop.asks.results",
    "Campaign": "advocacy.loop.asks.campaigns",
    "CONSENT_TEXT": "advocacy.loop.asks.landing",
    "LandedReferral": "advocacy.loop.asks.landing",
    "Prompt": "advocacy.loop.asks.sending",
    "SendResult": "advocacy.loop.asks.sending",
}


class AsksNamespace:
    """The workspace's ask campaigns, their tracked links and results (``ws.asks``)."""

    def __init__(self, db: Database, settings: Settings) -> None:
        self._db = db
        self._settings = settings

    def add(self, campaign: str | Path | Mapping[str, Any], *, actor: str = "python") -> Campaign:
        """Create a campaign from a file (YAML) or a mapping, or replace the one with its id.

        Parameters
        ----------
        campaign
            The campaign file's path, or its keys (see :mod:`advocacy.loop.asks.campaigns`).
        actor
            Who adds it, for the audit log.

        Returns
        -------
        Campaign
            The campaign as stored, with its seed (drawn now when the file names none).

        Raises
        ------
        ValidationError
            Naming the file, line and field at fault.
        UsageError
            When a started campaign's seed, holdout, final analysis size, window, action or
            audience would change.
        """
        from advocacy.loop.asks.campaigns import campaign_from_mapping, read_campaign_file
        from advocacy.loop.asks.store import save_campaign

        parsed = (
            campaign_from_mapping(dict(campaign))
            if isinstance(campaign, Mapping)
            else read_campaign_file(campaign)
        )
        return save_campaign(self._db, parsed, actor=actor)

    def add_text(self, text: str, *, actor: str = "python") -> Campaign:
        """Create (or replace) a campaign from the YAML text of a campaign file.

        Raises
        ------
        ValidationError
            Naming the line and field at fault.
        UsageError
            As for :meth:`add`.
        """
        from advocacy.loop.asks.campaigns import parse_campaign
        from advocacy.loop.asks.store import save_campaign

        return save_campaign(self._db, parse_campaign(text, source="campaign"), actor=actor)

    def list(self) -> Campaigns:
        """Every campaign, by id."""
        from advocacy.loop.asks.store import list_campaigns

        return list_campaigns(self._db)

    def get(self, campaign_id: str) -> Campaign:
        """The campaign ``campaign_id``.

        Raises
        ------
        NotFoundError
            For an unknown campaign.
        """
        from advocacy.loop.asks.store import get_campaign

        return get_campaign(self._db, campaign_id)

    def send(
        self, campaign_id: str, *, actor: str = "python", now: datetime | None = None
    ) -> SendResult:
        """Ask the campaign's audience once: guards first, then the random holdout.

        Parameters
        ----------
        campaign_id
            The campaign.
        actor
            Who sends, for the audit log.
        now
            The clock (default: now).

        Returns
        -------
        SendResult
            The customers asked (with their links), the control group, and who the guards left
            out and why.

        Raises
        ------
        UsageError
            The campaign is off, is a thank-you-page prompt, needs e-mail that is not set up, or
            no ``secret_key`` is set.
        """
        from advocacy.loop.asks.sending import send

        return send(self._db, campaign_id, settings=self._settings, now=now, actor=actor)

    def results(self, campaign_id: str, *, now: datetime | None = None) -> AskResults:
        """Each outcome per arm, the lift against the control group, and the verdict.

        Parameters
        ----------
        campaign_id
            The campaign.
        now
            The moment of the look (default: now).

        Returns
        -------
        AskResults
            An interim look (no verdict) or the final analysis (see
            :mod:`advocacy.loop.asks.results` for the rule).

        Raises
        ------
        NotFoundError
            For an unknown campaign.
        """
        from advocacy.loop.asks.results import campaign_results
        from advocacy.namespaces.advocates import attributed_referrals
        from advocacy.namespaces.tables import WorkspaceTables

        return campaign_results(
            self._db,
            campaign_id,
            confidence=self._settings.confidence,
            now=now,
            # The referrals as ws.advocates.referrals attributed them (once per report run).
            referrals_of=lambda: attributed_referrals(WorkspaceTables(self._db)),
        )

    def rewards(self, campaign_id: str) -> pd.DataFrame:
        """Every reward the campaign's rule gives: due, withheld (fraud signals, no contact) or
        exported.

        Raises
        ------
        NotFoundError
            For an unknown campaign.
        """
        from advocacy.loop.asks.rewards import reward_decisions

        return reward_decisions(self._db, campaign_id)

    def export_rewards(self, campaign_id: str, out: str | Path, *, actor: str = "python") -> int:
        """Write the due rewards to the CSV file ``out`` for payment; return how many.

        Raises
        ------
        NotFoundError
            For an unknown campaign.
        """
        from advocacy.loop.asks.rewards import export_rewards

        return export_rewards(self._db, campaign_id, out, actor=actor)

    def follow(self, token: str, target: str, *, now: datetime | None = None) -> str:
        """Count a click on a member's link to ``target``; the URL it redirects to.

        Raises
        ------
        LinkError
            A tampered link, or one never sent (``LinkExpiredError`` once expired).
        NotFoundError
            A target the campaign does not name: nothing is followed.
        """
        from advocacy.loop.asks.links import follow

        return follow(self._db, token, target, settings=self._settings, now=now)

    def link(self, token: str) -> AskLink:
        """The campaign and customer behind a member's link (checked, nothing counted).

        Raises
        ------
        LinkError
            A tampered link, or one never sent (``LinkExpiredError`` once expired).
        """
        from advocacy.loop.asks.links import open_link

        return open_link(self._db, token, settings=self._settings)

    def landing_url(self, token: str) -> str:
        """The referral landing page a member shares with friends."""
        from advocacy.loop.asks.links import landing_url

        return landing_url(token, settings=self._settings)

    def land(
        self,
        token: str,
        *,
        name: str | None = None,
        email: str | None = None,
        consent: bool = False,
        nonce: str | None = None,
        now: datetime | None = None,
    ) -> LandedReferral:
        """Record a friend who arrived through a member's link, as a referral of the campaign.

        Parameters
        ----------
        token
            The member's link token.
        name, email
            What the friend left (optional); kept only with ``consent``.
        consent
            Whether the friend agreed to be contacted.
        nonce
            The landing form's nonce (:meth:`landing_nonce`), checked when given.
        now
            The clock (default: now).

        Returns
        -------
        LandedReferral
            The referral and the code the friend can give at checkout.

        Raises
        ------
        LinkError
            A tampered link, or one never sent.
        ValidationError
            A name or e-mail too long, or an e-mail without ``@``.
        """
        from advocacy.loop.asks.landing import record_referral

        return record_referral(
            self._db,
            token,
            name=name,
            email=email,
            consent=consent,
            settings=self._settings,
            nonce=nonce,
            now=now,
        )

    def landing_nonce(self, token: str) -> str:
        """A signed nonce for one rendered landing form of the member link ``token``."""
        from advocacy.loop.asks.landing import landing_nonce

        return landing_nonce(token, settings=self._settings)

    def prompt(
        self, customer_id: str | None, nps: int | None, *, now: datetime | None = None
    ) -> Prompt | None:
        """The referral prompt for a customer who just answered a signed survey link, if any.

        Parameters
        ----------
        customer_id
            The customer who answered (None for an anonymous answer: no prompt).
        nps
            Their score: only promoters (9-10) are prompted.
        now
            The clock (default: now).

        Returns
        -------
        Prompt or None
            The first active thank-you-page campaign that assigns them to its ask arm.
        """
        from advocacy.loop.asks.sending import prompt_for

        return prompt_for(self._db, customer_id, nps, settings=self._settings, now=now)


__all__ = [
    "CONSENT_TEXT",
    "AskLink",
    "AskResults",
    "AsksNamespace",
    "Campaign",
    "LandedReferral",
    "Prompt",
    "SendResult",
]

__getattr__, __dir__ = _lazy_names(__name__, _LAZY, __all__)
