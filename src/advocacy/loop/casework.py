"""Working a case: contact the customer, add notes, resolve, close, reopen, reassign.

Statuses move ``new -> contacted -> resolved -> closed``. Allowed shortcuts: a case may be resolved
straight from ``new`` (the customer was reached and helped in one go: the first contact is set
then too) and closed from ``new`` or ``contacted`` (e.g. a duplicate), but closing always needs a
root cause and the action taken, since the loop's value is in learning why. ``reopen`` takes a
resolved or closed case back to ``contacted`` (or ``new`` if nobody has contacted the customer).
Notes and reassignment change no status. Each change is one transaction with a timeline entry
and an audit entry; closing also notifies the owner and the webhooks.

Every function takes ``units``: a case handler's units (None for roles that see every unit); a
case outside them raises :class:`~advocacy.access.roles.AccessDeniedError`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from advocacy.access.audit import now_utc
from advocacy.errors import UsageError
from advocacy.loop.case_notifications import notify
from advocacy.loop.cases import Case, add_event, find_case
from advocacy.loop.invitations import invite
from advocacy.loop.owners import check_owner
from advocacy.store.connection import Database

ACTIONS = ("contact", "note", "resolve", "close", "reopen", "assign")
#: Action -> statuses it may start from.
ALLOWED_FROM: dict[str, tuple[str, ...]] = {
    "contact": ("new", "contacted"),
    "note": ("new", "contacted", "resolved", "closed"),
    "resolve": ("new", "contacted"),
    "close": ("new", "contacted", "resolved"),
    "reopen": ("resolved", "closed"),
    "assign": ("new", "contacted", "resolved"),
}
#: The survey a follow-up re-survey uses unless told otherwise.
FOLLOW_UP_SURVEY = "default"


def _check(case: Case, action: str) -> None:
    if case.status not in ALLOWED_FROM[action]:
        possible = [name for name, starts in ALLOWED_FROM.items() if case.status in starts]
        raise UsageError(
            f"cannot {action} case {case.case_id}: it is {case.status}",
            value=case.status,
            parameter="action",
            fix="allowed now: " + ", ".join(possible),
        )


def _required(value: str | None, name: str, action: str, example: str) -> str:
    if value is None or not value.strip():
        raise UsageError(
            f"to {action} a case, give the {name.replace('_', ' ')}",
            parameter=name,
            fix=f"pass {name}, e.g. {example!r}",
        )
    return value.strip()


def _update(db: Database, case_id: str, now: datetime, **columns: Any) -> None:
    assignments = "".join(f"{name} = ?, " for name in columns)
    db.execute(
        f"UPDATE cases SET {assignments}updated_at = ? WHERE case_id = ?",
        [*columns.values(), now, case_id],
    )


def contact_case(
    db: Database,
    case_id: str,
    *,
    actor: str,
    text: str | None = None,
    units: Sequence[str] | None = None,
    now: datetime | None = None,
) -> Case:
    """Record a contact with the customer; the first one sets ``first_contact_at``."""
    moment = now_utc(now)
    with db.transaction():
        case = find_case(db, case_id, units=units)
        _check(case, "contact")
        _update(
            db,
            case_id,
            moment,
            status="contacted",
            first_contact_at=case.first_contact_at or moment,
        )
        add_event(
            db, case, kind="contact", actor=actor, now=moment, to_status="contacted", text=text
        )
        return find_case(db, case_id)


def add_case_note(
    db: Database,
    case_id: str,
    *,
    actor: str,
    text: str,
    units: Sequence[str] | None = None,
    now: datetime | None = None,
) -> Case:
    """Add a note to the case's timeline (the status does not change)."""
    moment = now_utc(now)
    with db.transaction():
        case = find_case(db, case_id, units=units)
        _check(case, "note")
        note = _required(text, "text", "add a note to", "called, left a voicemail")
        _update(db, case_id, moment)
        add_event(db, case, kind="note", actor=actor, now=moment, text=note)
        return find_case(db, case_id)


def resolve_case(
    db: Database,
    case_id: str,
    *,
    actor: str,
    text: str | None = None,
    follow_up: bool = False,
    survey_id: str = FOLLOW_UP_SURVEY,
    units: Sequence[str] | None = None,
    now: datetime | None = None,
) -> Case:
    """Mark the case resolved; with ``follow_up``, send the customer a re-survey link.

    The follow-up is a survey invitation with purpose ``follow-up`` tied to the case (it bypasses
    the contact-frequency guard); its link is recorded in the timeline entry's detail.
    """
    moment = now_utc(now)
    with db.transaction():
        case = find_case(db, case_id, units=units)
        _check(case, "resolve")
        detail: dict[str, Any] = {}
        if follow_up:
            detail = _follow_up(db, case, survey_id=survey_id, actor=actor, now=moment)
        _update(
            db,
            case_id,
            moment,
            status="resolved",
            resolved_at=moment,
            first_contact_at=case.first_contact_at or moment,
        )
        add_event(
            db, case, kind="resolve", actor=actor, now=moment, to_status="resolved", text=text,
            detail=detail,
        )  # fmt: skip
        return find_case(db, case_id)


def _follow_up(
    db: Database, case: Case, *, survey_id: str, actor: str, now: datetime
) -> dict[str, Any]:
    if case.customer_id is None:
        raise UsageError(
            f"case {case.case_id} has no known customer to re-survey",
            parameter="follow_up",
            fix="resolve it without the follow-up survey",
        )
    invitation = invite(
        db,
        survey_id=survey_id,
        customer_id=case.customer_id,
        purpose="follow-up",
        case_id=case.case_id,
        now=now,
        actor=actor,
    )
    return {
        "follow_up": invitation.invitation_id,
        "survey_id": invitation.survey_id,
        "url": invitation.url,
        "expires_at": invitation.expires_at.isoformat(),
    }


def close_case(
    db: Database,
    case_id: str,
    *,
    actor: str,
    root_cause: str | None,
    action_taken: str | None,
    text: str | None = None,
    units: Sequence[str] | None = None,
    now: datetime | None = None,
) -> Case:
    """Close the case; the root cause and the action taken are required."""
    moment = now_utc(now)
    with db.transaction():
        case = find_case(db, case_id, units=units)
        _check(case, "close")
        cause = _required(root_cause, "root_cause", "close", "courier lost the parcel")
        action = _required(action_taken, "action_taken", "close", "refunded and re-sent")
        _update(
            db,
            case_id,
            moment,
            status="closed",
            closed_at=moment,
            root_cause=cause,
            action_taken=action,
        )
        add_event(
            db, case, kind="close", actor=actor, now=moment, to_status="closed", text=text,
            detail={"root_cause": cause, "action_taken": action},
        )  # fmt: skip
        closed = find_case(db, case_id)
        notify(db, closed, "case.closed", now=moment)
        return closed


def reopen_case(
    db: Database,
    case_id: str,
    *,
    actor: str,
    text: str | None = None,
    units: Sequence[str] | None = None,
    now: datetime | None = None,
) -> Case:
    """Take a resolved or closed case back to work (``contacted``, or ``new`` if never)."""
    moment = now_utc(now)
    with db.transaction():
        case = find_case(db, case_id, units=units)
        _check(case, "reopen")
        status = "contacted" if case.first_contact_at else "new"
        _update(db, case_id, moment, status=status, resolved_at=None, closed_at=None)
        add_event(db, case, kind="reopen", actor=actor, now=moment, to_status=status, text=text)
        return find_case(db, case_id)


def assign_case(
    db: Database,
    case_id: str,
    *,
    actor: str,
    owner: str | None,
    text: str | None = None,
    units: Sequence[str] | None = None,
    now: datetime | None = None,
) -> Case:
    """Hand the case to ``owner``: an enabled user, or a team of the ``case_teams`` setting.

    Raises
    ------
    UsageError
        For an owner who is neither (see :mod:`advocacy.loop.owners`).
    """
    moment = now_utc(now)
    with db.transaction():
        case = find_case(db, case_id, units=units)
        _check(case, "assign")
        new_owner = check_owner(db, _required(owner, "owner", "assign", "hal"))
        _update(db, case_id, moment, owner=new_owner)
        add_event(
            db, case, kind="assign", actor=actor, now=moment, text=text,
            detail={"from_owner": case.owner, "owner": new_owner},
        )  # fmt: skip
        return find_case(db, case_id)


def work_case(
    db: Database,
    case_id: str,
    action: str,
    *,
    actor: str,
    text: str | None = None,
    root_cause: str | None = None,
    action_taken: str | None = None,
    owner: str | None = None,
    follow_up: bool = False,
    units: Sequence[str] | None = None,
    now: datetime | None = None,
) -> Case:
    """Apply one ``action`` (contact, note, resolve, close, reopen, assign) to a case.

    The one entry point of the API and the case page; the other arguments are those the action
    reads (``root_cause`` and ``action_taken`` for close, ``owner`` for assign, ``follow_up`` for
    resolve, ``text`` for all).
    """
    common: dict[str, Any] = {"actor": actor, "units": units, "now": now}
    if action == "contact":
        return contact_case(db, case_id, text=text, **common)
    if action == "note":
        return add_case_note(db, case_id, text=text or "", **common)
    if action == "resolve":
        return resolve_case(db, case_id, text=text, follow_up=follow_up, **common)
    if action == "close":
        return close_case(
            db, case_id, root_cause=root_cause, action_taken=action_taken, text=text, **common
        )
    if action == "reopen":
        return reopen_case(db, case_id, text=text, **common)
    if action == "assign":
        return assign_case(db, case_id, owner=owner, text=text, **common)
    raise UsageError(
        f"unknown case action {action!r}",
        value=action,
        parameter="action",
        fix="use one of: " + ", ".join(ACTIONS),
    )
