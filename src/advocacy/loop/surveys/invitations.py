"""Signed survey links: one per customer, for mailing, and a survey's anonymous link.

Customers reach a hosted survey (:mod:`advocacy.loop.surveys.definitions`) through a signed,
per-customer link (:func:`invite`, :func:`links_for_segment`) or, when the survey allows it,
through its anonymous link (:func:`anonymous_link`). Each signed link is a row of
``survey_invitations``, valid for ``survey_link_days`` days. Invitations respect the
contact-frequency guard (:mod:`advocacy.loop.surveys.contact_guard`); follow-up surveys of a case
(``purpose="follow-up"``) bypass it. The first invitation to the built-in ``default`` survey stores
its definition (:func:`advocacy.loop.surveys.definitions.stored_survey`). The links are signed with
the workspace's ``secret_key`` setting and point at its ``public_url``: each function takes the
workspace's settings (``ws.settings``).
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pyarrow as pa

from advocacy.access.audit import now_utc, record_audit
from advocacy.errors import UsageError
from advocacy.loop.surveys.contact_guard import (
    SkippedCustomer,
    check_contact_guard,
    last_contacts,
)
from advocacy.loop.surveys.definitions import Survey, get_survey, stored_survey
from advocacy.loop.surveys.signing import LinkClaims, secret_key, sign_link
from advocacy.settings import Settings
from advocacy.store.connection import Database

PURPOSES = ("invitation", "follow-up")


@dataclass(frozen=True)
class Invitation:
    """One signed survey link for one customer (or none), valid until ``expires_at``."""

    invitation_id: str
    survey_id: str
    customer_id: str | None
    case_id: str | None
    purpose: str
    created_at: datetime
    expires_at: datetime
    token: str
    url: str

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class LinksResult:
    """Links created for mailing, and the customers the contact guard left out."""

    survey_id: str
    links: list[dict[str, Any]] = field(default_factory=list)  # invitation + name, email
    skipped: list[SkippedCustomer] = field(default_factory=list)
    guard_days: int = 0

    @property
    def skipped_by_reason(self) -> dict[str, int]:
        return dict(Counter(item.reason for item in self.skipped))


def _active(survey: Survey) -> Survey:
    if not survey.active:
        raise UsageError(
            f"survey {survey.survey_id!r} is switched off",
            value=survey.survey_id,
            fix="set active: true in its definition (advocacy surveys load FILE)",
        )
    return survey


def anonymous_link(db: Database, survey_id: str, *, settings: Settings) -> str:
    """The survey's anonymous link (no customer), if the survey allows anonymous answers.

    It points at the ``public_url`` of ``settings`` (the workspace's).
    """
    survey = get_survey(db, survey_id)
    if not survey.anonymous_allowed:
        raise UsageError(
            f"survey {survey_id!r} does not take anonymous answers",
            value=survey_id,
            fix="set anonymous_allowed: true in its definition, or send signed links",
        )
    return f"{settings.public_url.rstrip('/')}/s/open/{survey_id}"


def _new_invitation(
    survey_id: str,
    customer_id: str | None,
    *,
    purpose: str,
    case_id: str | None,
    moment: datetime,
    secret: bytes,
    settings: Settings,
) -> Invitation:
    expires = moment + timedelta(days=settings.survey_link_days)
    invitation_id = uuid.uuid4().hex
    claims = LinkClaims(invitation_id, survey_id, customer_id, expires.replace(microsecond=0))
    token = sign_link(claims, secret=secret.decode("utf-8"))
    url = f"{settings.public_url.rstrip('/')}/s/{token}"
    return Invitation(
        invitation_id,
        survey_id,
        customer_id,
        case_id,
        purpose,
        moment,
        claims.expires_at,
        token,
        url,
    )


def _store_invitations(db: Database, invitations: Sequence[Invitation]) -> None:
    columns = ("invitation_id", "survey_id", "customer_id", "case_id", "purpose")
    data = pa.table(
        {
            **{
                name: pa.array([getattr(i, name) for i in invitations], pa.string())
                for name in columns
            },
            "created_at": pa.array([i.created_at for i in invitations], pa.timestamp("us", "UTC")),
            "expires_at": pa.array([i.expires_at for i in invitations], pa.timestamp("us", "UTC")),
        }
    )
    types = {name: "TEXT" for name in columns} | {
        "created_at": "TIMESTAMPTZ",
        "expires_at": "TIMESTAMPTZ",
    }
    db.load_temporary("stage_invitations", data, types)
    names = ", ".join((*columns, "created_at", "expires_at"))
    db.execute(f"INSERT INTO survey_invitations ({names}) SELECT {names} FROM stage_invitations")
    db.execute("DROP TABLE stage_invitations")


def invite(
    db: Database,
    *,
    survey_id: str,
    customer_id: str | None,
    settings: Settings,
    purpose: str = "invitation",
    case_id: str | None = None,
    now: datetime | None = None,
    actor: str = "system",
) -> Invitation:
    """Create one signed survey link for ``customer_id`` (None: a one-time link for anyone).

    Parameters
    ----------
    settings
        The workspace's settings (``ws.settings``): the link is signed with ``secret_key``,
        points at ``public_url``, stays valid ``survey_link_days`` days, and the guard is
        ``contact_guard_days`` long.
    purpose
        ``"invitation"`` respects the contact-frequency guard; ``"follow-up"`` (the re-survey
        of case ``case_id`` after it was resolved) bypasses it.

    Raises
    ------
    ContactGuardError
        For an invitation to a customer invited or responding within ``contact_guard_days``.
    UsageError
        No ``secret_key`` is set, or ``purpose`` is unknown.
    """
    if purpose not in PURPOSES:
        raise UsageError(
            f"unknown invitation purpose {purpose!r}",
            value=purpose,
            parameter="purpose",
            fix="use one of: " + ", ".join(PURPOSES),
        )
    secret = secret_key(settings.secret_key)
    moment = now_utc(now)
    with db.transaction():
        survey = _active(stored_survey(db, survey_id, now=moment))
        if purpose == "invitation" and customer_id is not None:
            check_contact_guard(db, customer_id, now=moment, days=settings.contact_guard_days)
        invitation = _new_invitation(
            survey.survey_id,
            customer_id,
            purpose=purpose,
            case_id=case_id,
            moment=moment,
            secret=secret,
            settings=settings,
        )
        _store_invitations(db, [invitation])
        record_audit(
            db,
            actor=actor,
            action="survey.invite",
            target=invitation.invitation_id,
            detail={"survey_id": survey_id, "customer_id": customer_id, "purpose": purpose}
            | ({"case_id": case_id} if case_id else {}),
            now=moment,
        )
    return invitation


def links_for_segment(
    db: Database,
    *,
    survey_id: str,
    settings: Settings,
    segment: str | None = None,
    unit: str | None = None,
    customers: Sequence[str] | None = None,
    now: datetime | None = None,
    actor: str = "system",
) -> LinksResult:
    """Signed links for every customer matching the filters, skipping recently contacted ones.

    Parameters
    ----------
    settings
        The workspace's settings (``ws.settings``): ``secret_key``, ``public_url``,
        ``survey_link_days`` and ``contact_guard_days``.
    segment
        Customers whose ``segment`` is this.
    unit
        Customers with a response or interaction in this unit.
    customers
        Only these customer ids.

    Returns
    -------
    LinksResult
        One link per customer invited (with name and e-mail, for mailing) and the customers the
        contact guard skipped, with why (``invited`` or ``responded``) and when.
    """
    moment = now_utc(now)
    days = settings.contact_guard_days
    conditions = ["NOT coalesce(is_stub, false)"] if customers is None else []
    params: list[Any] = []
    if segment is not None:
        conditions.append("segment = ?")
        params.append(segment)
    if unit is not None:
        conditions.append(
            "customer_id IN (SELECT customer_id FROM responses WHERE unit = ? "
            "UNION SELECT customer_id FROM interactions WHERE unit = ?)"
        )
        params.extend([unit, unit])
    if customers is not None:
        conditions.append(f"customer_id IN ({', '.join('?' * len(customers)) or 'NULL'})")
        params.extend(customers)
    where = (" WHERE " + " AND ".join(conditions)) if conditions else ""
    with db.transaction():
        survey = _active(stored_survey(db, survey_id, now=moment))
        matched = db.fetchall(
            f"SELECT customer_id, name, email FROM customers{where} ORDER BY customer_id", params
        )
        recent = last_contacts(db, None, since=moment - timedelta(days=days))
        result = LinksResult(survey.survey_id, guard_days=days)
        invitations = []
        secret = b""
        for customer_id, name, email in matched:
            if str(customer_id) in recent:
                result.skipped.append(recent[str(customer_id)])
                continue
            # Asked for only when there is a link to sign.
            secret = secret or secret_key(settings.secret_key)
            invitation = _new_invitation(
                survey.survey_id,
                str(customer_id),
                purpose="invitation",
                case_id=None,
                moment=moment,
                secret=secret,
                settings=settings,
            )
            invitations.append(invitation)
            result.links.append({**invitation.to_dict(), "name": name, "email": email})
        if invitations:
            _store_invitations(db, invitations)
        record_audit(
            db,
            actor=actor,
            action="survey.links",
            target=survey.survey_id,
            detail={
                "segment": segment,
                "unit": unit,
                "customers": len(customers) if customers is not None else None,
                "created": len(invitations),
                "skipped": len(result.skipped),
            },
            now=moment,
        )
    return result


__all__ = [
    "PURPOSES",
    "Invitation",
    "LinksResult",
    "anonymous_link",
    "invite",
    "links_for_segment",
]
