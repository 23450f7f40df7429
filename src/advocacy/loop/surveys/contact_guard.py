"""The contact-frequency guard: nobody is asked for feedback more than once in a while.

A customer counts as contacted when they were invited to any survey, answered any survey, or
were asked by an ask campaign (:mod:`advocacy.loop.asks`) within the last ``contact_guard_days``
days (:func:`last_contacts`). Links for mailing
(:func:`advocacy.loop.surveys.invitations.links_for_segment`) skip such customers and say how many
and why; a single invitation (:func:`advocacy.loop.surveys.invitations.invite`) raises
:class:`ContactGuardError` through :func:`check_contact_guard`. Follow-up surveys of a case
bypass the guard: the customer asked for help and the follow-up measures whether it worked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from advocacy.errors import UsageError
from advocacy.store.connection import Database


class ContactGuardError(UsageError):
    """A customer was contacted too recently to be invited again (contact-frequency guard)."""


@dataclass(frozen=True)
class SkippedCustomer:
    """A customer the guard leaves out: why and when they were last contacted."""

    customer_id: str
    reason: str  # "invited", "responded" or "asked"
    last_contact: datetime


def last_contacts(
    db: Database, customer_ids: Sequence[str] | None, *, since: datetime
) -> dict[str, SkippedCustomer]:
    """Customers invited or responding since ``since`` (all, or among ``customer_ids``)."""
    where = ""
    ids: list[str] = []
    if customer_ids is not None:
        if not customer_ids:
            return {}
        ids = [str(item) for item in customer_ids]
        where = f" AND customer_id IN ({', '.join('?' * len(ids))})"
    rows = db.fetchall(
        "SELECT customer_id, 'invited', max(created_at) FROM survey_invitations "
        f"WHERE customer_id IS NOT NULL AND created_at >= ?{where} GROUP BY customer_id "
        "UNION ALL SELECT customer_id, 'responded', max(submitted_at) FROM responses "
        f"WHERE customer_id IS NOT NULL AND submitted_at >= ?{where} GROUP BY customer_id "
        "UNION ALL SELECT customer_id, 'asked', max(asked_at) FROM ask_members "
        f"WHERE arm = 'ask' AND asked_at >= ?{where} GROUP BY customer_id",
        [since, *ids, since, *ids, since, *ids],
    )
    found: dict[str, SkippedCustomer] = {}
    for customer_id, reason, moment in rows:
        moment = moment.astimezone(UTC)
        previous = found.get(str(customer_id))
        if previous is None or moment > previous.last_contact:
            found[str(customer_id)] = SkippedCustomer(str(customer_id), str(reason), moment)
    return found


def check_contact_guard(db: Database, customer_id: str, *, now: datetime, days: int) -> None:
    """Raise :class:`ContactGuardError` if ``customer_id`` was contacted in the last ``days``.

    ``days`` is the workspace's ``contact_guard_days`` setting.
    """
    recent = last_contacts(db, [customer_id], since=now - timedelta(days=days))
    if customer_id in recent:
        last = recent[customer_id]
        raise ContactGuardError(
            f"customer {customer_id!r} was {last.reason} on {last.last_contact:%Y-%m-%d}, "
            f"within the {days}-day contact guard",
            value=customer_id,
            parameter="contact_guard_days",
            fix=f"wait until {last.last_contact + timedelta(days=days):%Y-%m-%d}, "
            "or lower ADVOCACY_CONTACT_GUARD_DAYS",
        )


__all__ = [
    "ContactGuardError",
    "SkippedCustomer",
    "check_contact_guard",
    "last_contacts",
]
