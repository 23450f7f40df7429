"""Ask campaigns as data: who is asked, to do what, how, under which guards, against which control.

A campaign travels as YAML (``advocacy asks add FILE``, ``POST /api/v1/asks``), like case rules::

    id: refer-spring
    name: Spring referral ask
    audience:
      kind: silent-promoters      # see AUDIENCES
      segment: smb                # optional: only this customer segment
    action: refer                 # refer, review, reference or community
    channel: email                # email (through the outbox), links (a CSV for your own
                                  # mailing tool) or survey-prompt (the survey's thank-you page)
    targets:                      # the only places the tracked links lead to; for a
      welcome: https://example.com/welcome  # referral, `welcome` is the friend's next page
    guards: {days_between_asks: 90, detractor_days: 90, contact_guard: true}
    holdout: 0.2                  # share held out as the control group (never asked)
    seed: 20260401                # the random assignment's seed (default: drawn and recorded)
    final_n: 400                  # members in the final analysis, stated up front
    window_days: 30               # days after assignment that a click, referral or review counts
    reward: {to: both, when: conversion, amount: 10, currency: EUR}

The form is the pydantic model :class:`CampaignSpec`; :mod:`advocacy.config_files` reports the
first problem with its file, line and field. :class:`Campaign` is the checked campaign.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from advocacy.config_files import parse_yaml, read_text, text_value, validate
from advocacy.errors import ValidationError

#: Who a campaign asks: audience kind -> what it selects.
AUDIENCES = {
    "silent-promoters": "promoters who have not referred or reviewed (the say-do gap)",
    "recent-promoters": "customers whose latest answer, within `days`, was a promoter score",
    "fans-to-be": "customers not yet advocates whose propensity is at least `propensity_at_least`",
    "champions": "advocates whose referrals converted",
    "everyone": "every customer (narrow it with `segment`)",
}
#: What a campaign asks for, and the outcome its verdict reads.
ACTIONS = {
    "refer": "referral",
    "review": "review",
    "reference": "click",
    "community": "click",
}
CHANNELS = ("email", "links", "survey-prompt")
REWARD_BENEFICIARIES = ("advocate", "friend", "both")
REWARD_TRIGGERS = ("click", "referral", "conversion")
#: The target name the friend lands on for a referral ask (our own landing page).
LANDING = "landing"
#: The target a referred friend is offered after the landing page records them.
WELCOME = "welcome"


def _identifier(value: Any) -> Any:
    text = text_value(value)
    if text is None:
        raise PydanticCustomError("required", "is required", {"fix": "write an id, e.g. spring"})
    if len(text) > 64 or not all(ch.isalnum() or ch in "-_" for ch in text):
        raise PydanticCustomError(
            "identifier",
            "must be letters, digits, - or _ (at most 64)",
            {"fix": "e.g. refer-spring"},
        )
    return text


def _url(value: Any) -> Any:
    text = text_value(value)
    parts = urlsplit(text or "")
    if parts.scheme not in ("http", "https") or not parts.netloc or len(text or "") > 2000:
        raise PydanticCustomError(
            "url",
            "a target must be an http(s) address",
            {"fix": "e.g. https://www.trustpilot.com/review/example.com"},
        )
    return text


class AudienceSpec(BaseModel):
    """Who the campaign asks."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["silent-promoters", "recent-promoters", "fans-to-be", "champions", "everyone"] = (
        Field(description="which customers (see AUDIENCES)")
    )
    segment: Annotated[str | None, BeforeValidator(text_value)] = Field(
        None, description="only customers of this segment"
    )
    days: int = Field(90, gt=0, le=3650, description="recent-promoters: answered within")
    propensity_at_least: float = Field(
        0.2, ge=0, le=1, description="fans-to-be: lowest propensity asked"
    )
    limit: int | None = Field(None, gt=0, description="at most this many, likeliest first")


class GuardSpec(BaseModel):
    """Who is never asked, whatever the audience says."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    days_between_asks: int = Field(
        90, ge=0, le=3650, description="no second ask (or campaign) within this many days"
    )
    detractor_days: int = Field(
        90, ge=0, le=3650, description="nobody with a detractor answer within this many days"
    )
    contact_guard: bool = Field(
        True, description="respect the survey contact guard (e-mail, links)"
    )


class RewardSpec(BaseModel):
    """A reward rule: who earns what, for which deed (exported for payment, never paid here)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    to: Literal["advocate", "friend", "both"] = Field(description="who is rewarded")
    when: Literal["click", "referral", "conversion"] = Field(description="for which deed")
    amount: float = Field(gt=0, le=1_000_000, description="the reward per deed")
    currency: Annotated[str | None, BeforeValidator(text_value)] = Field(None, max_length=8)


class MessageSpec(BaseModel):
    """The e-mail's words (the link is added below the body)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    subject: Annotated[str, BeforeValidator(text_value)] = Field(
        "Would you recommend us?", max_length=200
    )
    body: Annotated[str, BeforeValidator(text_value)] = Field(
        "Thank you for your kind words. Would you tell a friend about us?", max_length=4000
    )


class CampaignSpec(BaseModel):
    """One campaign as written in a campaign file (see the module docstring for the form)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, BeforeValidator(_identifier)] = Field(description="the campaign's id")
    name: Annotated[str | None, BeforeValidator(text_value)] = Field(None, max_length=200)
    audience: AudienceSpec
    action: Literal["refer", "review", "reference", "community"]
    channel: Literal["email", "links", "survey-prompt"]
    targets: dict[str, Annotated[str, BeforeValidator(_url)]] = Field(default_factory=dict)
    message: MessageSpec = Field(default_factory=lambda: MessageSpec.model_validate({}))
    guards: GuardSpec = Field(default_factory=lambda: GuardSpec.model_validate({}))
    holdout: float = Field(0.2, ge=0.05, le=0.5, description="share held out as control")
    seed: int | None = Field(None, ge=0, description="the assignment's seed")
    final_n: int = Field(400, ge=20, le=10_000_000, description="members in the final analysis")
    window_days: int = Field(30, gt=0, le=365, description="days an outcome counts")
    link_days: int = Field(180, gt=0, le=3650, description="days a tracked link stays valid")
    reward: RewardSpec | None = None
    active: bool = True


@dataclass(frozen=True)
class Campaign:
    """A checked ask campaign (see :class:`CampaignSpec` for each field's meaning)."""

    campaign_id: str
    name: str
    audience: dict[str, Any]
    action: str
    channel: str
    targets: dict[str, str]
    message: dict[str, str]
    guards: dict[str, Any]
    holdout: float
    seed: int
    final_n: int
    window_days: int
    link_days: int
    reward: dict[str, Any] | None = None
    active: bool = True
    created_at: Any = field(default=None, compare=False)
    created_by: str | None = field(default=None, compare=False)

    @property
    def outcome(self) -> str:
        """The outcome the verdict reads: referral, review or click (see :data:`ACTIONS`)."""
        return ACTIONS[self.action]

    def definition(self) -> dict[str, Any]:
        """The campaign as its file writes it (what :func:`parse_campaign` reads back)."""
        data = asdict(self)
        for name in ("created_at", "created_by"):
            data.pop(name)
        data["id"] = data.pop("campaign_id")
        return data


def _check_targets(spec: CampaignSpec, source: str) -> None:
    if spec.action in ("review", "reference", "community") and not spec.targets:
        raise ValidationError(
            f"a {spec.action} campaign needs at least one target to send people to",
            file=source,
            column="targets",
            fix="targets: {google: https://g.page/r/your-place/review}",
        )
    for name in spec.targets:
        if name == LANDING or not name or len(name) > 40 or not name.replace("-", "").isalnum():
            raise ValidationError(
                f"target name {name!r} is not allowed",
                file=source,
                column="targets",
                value=name,
                fix=f"use letters, digits and - (not {LANDING!r}, the built-in landing page)",
            )


def campaign_from_spec(spec: CampaignSpec, *, source: str = "<campaign>") -> Campaign:
    """The :class:`Campaign` a checked spec describes; a missing seed is drawn now."""
    _check_targets(spec, source)
    if spec.channel == "survey-prompt" and spec.audience.kind != "recent-promoters":
        raise ValidationError(
            "a survey-prompt campaign asks the promoter who has just answered",
            file=source,
            column="audience.kind",
            value=spec.audience.kind,
            fix="use audience: {kind: recent-promoters} (a segment may narrow it)",
        )
    return Campaign(
        campaign_id=spec.id,
        name=spec.name or spec.id,
        audience=spec.audience.model_dump(),
        action=spec.action,
        channel=spec.channel,
        targets=dict(spec.targets),
        message=spec.message.model_dump(),
        guards=spec.guards.model_dump(),
        holdout=spec.holdout,
        seed=spec.seed if spec.seed is not None else secrets.randbelow(2**31),
        final_n=spec.final_n,
        window_days=spec.window_days,
        link_days=spec.link_days,
        reward=spec.reward.model_dump() if spec.reward else None,
        active=spec.active,
    )


def parse_campaign(text: str, *, source: str = "<campaign>") -> Campaign:
    """A campaign from YAML (or JSON) text.

    Parameters
    ----------
    text
        The campaign file's text (the form in this module's docstring).
    source
        The file name errors report.

    Returns
    -------
    Campaign

    Raises
    ------
    ValidationError
        With ``file`` = ``source``, ``row`` = the line and ``column`` = the field at fault.

    Examples
    --------
    >>> campaign = parse_campaign(
    ...     "id: spring\\naudience: {kind: silent-promoters}\\naction: refer\\nchannel: email\\n"
    ...     "seed: 7"
    ... )
    >>> campaign.holdout, campaign.final_n, campaign.outcome
    (0.2, 400, 'referral')
    """
    document = parse_yaml(text, source=source, error=ValidationError)
    if not isinstance(document.data, dict):
        raise ValidationError(
            "a campaign must be a mapping of key: value",
            file=source,
            fix="start the file with 'id: my-campaign'",
        )
    spec = validate(CampaignSpec, document, error=ValidationError)
    return campaign_from_spec(spec, source=source)


def campaign_from_mapping(data: dict[str, Any], *, source: str = "<campaign>") -> Campaign:
    """A campaign from already-parsed data (an API body), checked as a file would be."""
    return parse_campaign(json.dumps(data), source=source)


def read_campaign_file(path: str | Path) -> Campaign:
    """Parse the campaign file at ``path``."""
    return parse_campaign(read_text(path, what="campaign file"), source=str(path))


__all__ = [
    "ACTIONS",
    "AUDIENCES",
    "CHANNELS",
    "LANDING",
    "REWARD_BENEFICIARIES",
    "REWARD_TRIGGERS",
    "WELCOME",
    "AudienceSpec",
    "Campaign",
    "CampaignSpec",
    "GuardSpec",
    "MessageSpec",
    "RewardSpec",
    "campaign_from_mapping",
    "campaign_from_spec",
    "parse_campaign",
    "read_campaign_file",
]
