"""Working a case: contact the customer, add notes, resolve, close, reopen, reassign.

Statuses move ``new -> contacted -> resolved -> closed``. Allowed shortcuts: a case may be resolved
straight from ``new`` (the customer was reached and helped in one go: the first contact is set
then too) and closed from ``new`` or ``contacted`` (e.g. a duplicate), but closing always needs a
root cause and the action taken, since the loop's value is in learning why. ``reopen`` takes a
resolved or closed case back to ``contacted`` (or ``new`` if nobody has contacted the customer).
Notes and reassignment change no status. :data:`MOVES` is the one table of allowed moves
(where each may start, where it ends, what it stamps, clears and notifies) and :func:`_move`
the one function applying it: each change is one transaction with a timeline entry and an
audit entry; closing also notifies the owner and the webhooks.

Every function takes ``units``: a case handler's units (None for roles that see every unit); a
case outside them raises :class:`~advocacy.access.roles.AccessDeniedError`. And every function
takes ``settings``, the workspace's (``ws.settings``): the teams a case may be assigned to, the
notifications' channels and links, and the follow-up survey's signed link.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from advocacy.access.audit import now_utc
from advocacy.errors import UsageError
from advocacy.loop.cases.owners import check_owner
from advocacy.loop.cases.store import Case, add_event, find_case
from advocacy.loop.notify.case_notifications import notify
from advocacy.loop.surveys.invitations import invite
from advocacy.settings import Settings
from advocacy.store.connection import Database


@dataclass(frozen=True)
class Move:
    """One allowed move of a case: where it may start, where it ends, and what it records.

    ``ends`` is the status after the move (None: unchanged), or a function of the case for a
    move whose end depends on its history. ``stamps`` are columns set to the moment, ``firsts``
    columns set to it unless already set, ``clears`` columns emptied, and ``notifies`` the
    event sent afterwards.
    """

    starts: tuple[str, ...]
    ends: str | Callable[[Case], str] | None = None
    stamps: tuple[str, ...] = ()
    firsts: tuple[str, ...] = ()
    clears: tuple[str, ...] = ()
    notifies: str | None = None

    def status_after(self, case: Case) -> str | None:
        """The case's status after this move (None: unchanged)."""
        return self.ends(case) if callable(self.ends) else self.ends


def _back_to_work(case: Case) -> str:
    return "contacted" if case.first_contact_at else "new"


#: Action -> the move it makes: the one table of allowed case transitions.
MOVES: dict[str, Move] = {
    "contact": Move(("new", "contacted"), "contacted", firsts=("first_contact_at",)),
    "note": Move(("new", "contacted", "resolved", "closed")),
    "resolve": Move(
        ("new", "contacted"), "resolved", stamps=("resolved_at",), firsts=("first_contact_at",)
    ),
    "close": Move(
        ("new", "contacted", "resolved"), "closed", stamps=("closed_at",), notifies="case.closed"
    ),
    "reopen": Move(("resolved", "closed"), _back_to_work, clears=("resolved_at", "closed_at")),
    "assign": Move(("new", "contacted", "resolved")),
}
ACTIONS = tuple(MOVES)
#: Action -> statuses it may start from.
ALLOWED_FROM: dict[str, tuple[str, ...]] = {action: move.starts for action, move in MOVES.items()}
#: The survey a follow-up re-survey uses unless told otherwise.
FOLLOW_UP_SURVEY = "default"


@dataclass(frozen=True)
class Recorded:
    """What an action records beyond its move: columns, the timeline detail, the entry's text."""

    columns: dict[str, Any] = field(default_factory=dict)
    detail: dict[str, Any] = field(default_factory=dict)
    text: str | None = None


#: Reads an action's arguments once the move is allowed (the case and the moment given).
Recorder = Callable[[Case, datetime], Recorded]


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


def _move(
    db: Database,
    case_id: str,
    action: str,
    *,
    actor: str,
    text: str | None,
    units: Sequence[str] | None,
    now: datetime | None,
    settings: Settings,
    record: Recorder | None = None,
) -> Case:
    """Apply ``action``'s move from :data:`MOVES` to a case, in one transaction.

    Finds the case (within ``units``), checks the move is allowed from its status, reads the
    action's own arguments (``record``), updates the case, appends the timeline and audit
    entries, sends the move's notification, and returns the case as it now is.
    """
    move = MOVES[action]
    moment = now_utc(now)
    with db.transaction():
        case = find_case(db, case_id, units=units)
        _check(case, action)
        recorded = record(case, moment) if record else Recorded(text=text)
        status = move.status_after(case)
        columns: dict[str, Any] = {} if status is None else {"status": status}
        columns |= dict.fromkeys(move.stamps, moment)
        columns |= {name: getattr(case, name) or moment for name in move.firsts}
        columns |= dict.fromkeys(move.clears)
        columns |= recorded.columns
        _update(db, case_id, moment, **columns)
        add_event(
            db, case, kind=action, actor=actor, now=moment, to_status=status,
            text=recorded.text, detail=recorded.detail,
        )  # fmt: skip
        changed = find_case(db, case_id)
        if move.notifies:
            notify(db, changed, move.notifies, now=moment, settings=settings)
        return changed


def contact_case(
    db: Database,
    case_id: str,
    *,
    actor: str,
    text: str | None = None,
    units: Sequence[str] | None = None,
    now: datetime | None = None,
    settings: Settings,
) -> Case:
    """Record a contact with the customer; the first one sets ``first_contact_at``."""
    return _move(
        db, case_id, "contact", actor=actor, text=text, units=units, now=now, settings=settings
    )


def add_case_note(
    db: Database,
    case_id: str,
    *,
    actor: str,
    text: str,
    units: Sequence[str] | None = None,
    now: datetime | None = None,
    settings: Settings,
) -> Case:
    """Add a note to the case's timeline (the status does not change)."""

    def record(case: Case, moment: datetime) -> Recorded:
        return Recorded(text=_required(text, "text", "add a note to", "called, left a voicemail"))

    return _move(
        db,
        case_id,
        "note",
        actor=actor,
        text=text,
        units=units,
        now=now,
        settings=settings,
        record=record,
    )


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
    settings: Settings,
) -> Case:
    """Mark the case resolved; with ``follow_up``, send the customer a re-survey link.

    The follow-up is a survey invitation with purpose ``follow-up`` tied to the case (it bypasses
    the contact-frequency guard); its link is recorded in the timeline entry's detail.
    """

    def record(case: Case, moment: datetime) -> Recorded:
        if not follow_up:
            return Recorded(text=text)
        detail = _follow_up(
            db, case, survey_id=survey_id, actor=actor, now=moment, settings=settings
        )
        return Recorded(detail=detail, text=text)

    return _move(
        db,
        case_id,
        "resolve",
        actor=actor,
        text=text,
        units=units,
        now=now,
        settings=settings,
        record=record,
    )


def _follow_up(
    db: Database, case: Case, *, survey_id: str, actor: str, now: datetime, settings: Settings
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
        settings=settings,
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
    settings: Settings,
) -> Case:
    """Close the case; the root cause and the action taken are required."""

    def record(case: Case, moment: datetime) -> Recorded:
        cause = _required(root_cause, "root_cause", "close", "courier lost the parcel")
        action = _required(action_taken, "action_taken", "close", "refunded and re-sent")
        learned = {"root_cause": cause, "action_taken": action}
        return Recorded(columns=learned, detail=learned, text=text)

    return _move(
        db,
        case_id,
        "close",
        actor=actor,
        text=text,
        units=units,
        now=now,
        settings=settings,
        record=record,
    )


def reopen_case(
    db: Database,
    case_id: str,
    *,
    actor: str,
    text: str | None = None,
    units: Sequence[str] | None = None,
    now: datetime | None = None,
    settings: Settings,
) -> Case:
    """Take a resolved or closed case back to work (``contacted``, or ``new`` if never)."""
    return _move(
        db, case_id, "reopen", actor=actor, text=text, units=units, now=now, settings=settings
    )


def assign_case(
    db: Database,
    case_id: str,
    *,
    actor: str,
    owner: str | None,
    text: str | None = None,
    units: Sequence[str] | None = None,
    now: datetime | None = None,
    settings: Settings,
) -> Case:
    """Hand the case to ``owner``: an enabled user who may work cases (a case handler only in
    their units), or a team of the ``case_teams`` setting.

    Raises
    ------
    UsageError
        For an owner who is neither (see :mod:`advocacy.loop.cases.owners`).
    """

    def record(case: Case, moment: datetime) -> Recorded:
        wanted = _required(owner, "owner", "assign", "hal")
        new_owner = check_owner(db, wanted, settings=settings, unit=case.unit)
        detail = {"from_owner": case.owner, "owner": new_owner}
        return Recorded(columns={"owner": new_owner}, detail=detail, text=text)

    return _move(
        db,
        case_id,
        "assign",
        actor=actor,
        text=text,
        units=units,
        now=now,
        settings=settings,
        record=record,
    )


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
    settings: Settings,
) -> Case:
    """Apply one ``action`` (contact, note, resolve, close, reopen, assign) to a case.

    The one entry point of the API and the case page; the other arguments are those the action
    reads (``root_cause`` and ``action_taken`` for close, ``owner`` for assign, ``follow_up`` for
    resolve, ``text`` for all).
    """
    common: dict[str, Any] = {"actor": actor, "units": units, "now": now, "settings": settings}
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
