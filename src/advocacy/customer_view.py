"""Customer 360 and the customer search, as a principal may see them.

:func:`customer_view` gathers one customer's responses, interactions, mentions, notes,
referrals, purchases and cases on one timeline, newest first; :func:`find_customers` lists
customers by the latest feedback, searched by id (and by name or e-mail for roles that see
personal data). The web page and the API route each call one of them.

Both read only what the principal may read and show it as they may see it:

- a case handler opens a customer only when some of the customer's unit-bearing evidence is in
  their units, and then sees only that evidence: the responses, interactions, mentions and cases
  of their units; notes, referrals and purchases (which have no unit) only for a customer wholly
  within their units (the rules of :mod:`advocacy.access.scope`); the search lists only such
  customers, counting only their units' responses;
- a viewer sees the customer with personal fields masked and every free text redacted
  (:mod:`advocacy.access.masking`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from advocacy.access.masking import TextRedactor, mask_record, text_redactor
from advocacy.access.roles import AccessDeniedError, Principal
from advocacy.access.scope import (
    CUSTOMER_EVIDENCE,
    SqlSource,
    scope,
    sees_customer,
    sees_unitless,
    unit_limit,
    visible_units,
)
from advocacy.errors import NotFoundError
from advocacy.store.connection import Database


@dataclass(frozen=True)
class TimelineSource:
    """Where one kind of timeline event comes from."""

    kind: str
    table: str
    moment: str  # the column that dates the event
    owners: tuple[str, ...]  # the columns naming the customer it belongs to
    columns: str  # the columns shown, as SQL
    has_unit: bool  # a ``unit`` column limits it; otherwise the unit-less rule applies


#: The timeline's sources, in the order the timeline lists events of the same moment.
SOURCES: tuple[TimelineSource, ...] = (
    TimelineSource(
        "response",
        "responses",
        "submitted_at",
        ("customer_id",),
        "response_id AS id, survey, channel, touchpoint, unit, employee_id, nps, csat, ces, "
        "comment",
        True,
    ),
    TimelineSource(
        "interaction",
        "interactions",
        "occurred_at",
        ("customer_id",),
        "interaction_id AS id, channel, touchpoint, unit, employee_id, outcome, duration_seconds",
        True,
    ),
    TimelineSource(
        "mention",
        "mentions",
        "posted_at",
        ("customer_id",),
        "mention_id AS id, platform, author, rating, unit, text, url",
        True,
    ),
    TimelineSource(
        "note", "notes", "taken_at", ("customer_id",), "note_id AS id, interviewer, text", False
    ),
    TimelineSource(
        "referral",
        "referrals",
        "referred_at",
        ("referrer_id", "referred_customer_id"),
        "referral_id AS id, referrer_id, referred_customer_id, referred_contact, code, channel, "
        "converted_at, first_order_value",
        False,
    ),
    TimelineSource(
        "purchase",
        "transactions",
        "occurred_at",
        ("customer_id",),
        "transaction_id AS id, amount, currency, quantity",
        False,
    ),
    TimelineSource("case", "cases", "opened_at", ("customer_id",), "case_id AS id, *", True),
)

_PROFILE = (
    "SELECT customer_id, name, email, phone, segment, region, value_tier, first_seen, is_stub "
    "FROM customers WHERE customer_id = ?"
)


@dataclass
class CustomerView:
    """One customer's profile, the units of the evidence shown, and the timeline, newest first.

    ``limited`` says the evidence was limited to the principal's units (a case handler's view).
    ``totals`` holds the events per kind when the timeline was cut to its newest events (else
    None: ``events`` holds them all).
    """

    customer: dict[str, Any]
    units: list[str]
    events: list[dict[str, Any]] = field(default_factory=list)
    limited: bool = False
    totals: dict[str, int] | None = None

    def counts(self) -> dict[str, int]:
        """Events per kind (all of them, also those a cut timeline leaves out)."""
        if self.totals is not None:
            return {kind: count for kind, count in self.totals.items() if count}
        found: dict[str, int] = {}
        for event in self.events:
            found[event["kind"]] = found.get(event["kind"], 0) + 1
        return found

    @property
    def left_out(self) -> int:
        """Events a cut timeline leaves out (0 when it holds them all)."""
        return 0 if self.totals is None else sum(self.totals.values()) - len(self.events)

    def to_dict(self) -> dict[str, Any]:
        return {
            "customer": self.customer,
            "units": self.units,
            "limited": self.limited,
            "events": self.events,
        }


def _rows(db: Database, source: SqlSource) -> list[dict[str, Any]]:
    return [dict(row) for row in db.fetch_arrow(source.sql, list(source.params)).to_pylist()]


def evidence_source(customer_id: str | None = None) -> SqlSource:
    """``(customer_id, unit)`` of the unit-bearing evidence naming customers (or one customer)."""
    where = "customer_id = ?" if customer_id is not None else "customer_id IS NOT NULL"
    sql = " UNION ALL ".join(
        f"SELECT customer_id, unit FROM {table} WHERE {where}" for table in CUSTOMER_EVIDENCE
    )
    params = (customer_id,) * len(CUSTOMER_EVIDENCE) if customer_id is not None else ()
    return SqlSource(sql, params)


def customer_units(db: Database, customer_id: str) -> list[str | None]:
    """Every unit of the customer's unit-bearing evidence; None stands for rows without one."""
    source = evidence_source(customer_id)
    rows = db.fetchall(f"SELECT DISTINCT unit FROM ({source.sql}) u", list(source.params))
    return [None if row[0] is None else str(row[0]) for row in rows]


def customer_view(
    db: Database,
    customer_id: str,
    principal: Principal,
    *,
    redactor: TextRedactor | None = None,
    newest: int | None = None,
) -> CustomerView:
    """Everything known about ``customer_id`` that ``principal`` may see, newest event first.

    Parameters
    ----------
    db
        The workspace database.
    customer_id
        The customer.
    principal
        Who asks: a case handler sees only their units' evidence, a viewer a masked view.
    redactor
        The viewer's redactor (:func:`advocacy.access.masking.text_redactor`); built from the
        workspace when None.
    newest
        Keep only this many of the newest events (the counts per kind still count them all:
        :attr:`CustomerView.totals`); None keeps every event. A page's cost then stays the same
        however long the customer's history grows.

    Raises
    ------
    NotFoundError
        For an unknown customer.
    AccessDeniedError
        When a case handler asks for a customer with no evidence in their units.
    """
    found = _rows(db, SqlSource(_PROFILE, (customer_id,)))
    if not found:
        raise NotFoundError(
            f"no customer {customer_id!r}", value=customer_id, fix="search the customer list"
        )
    units = customer_units(db, customer_id)
    if not sees_customer(units, principal):
        raise AccessDeniedError(
            "this customer has no evidence in your units",
            value=customer_id,
            fix="ask an admin to add the unit to your account",
        )
    redactor = redactor or text_redactor(db, principal)
    limited = unit_limit(principal) is not None
    view = CustomerView(
        mask_record(found[0], principal, redactor=redactor),
        visible_units(units, principal),
        limited=limited,
    )
    unitless = sees_unitless(units, principal)
    totals: dict[str, int] = {}
    for source in SOURCES:
        if not source.has_unit and not unitless:
            continue
        condition = " OR ".join(f"{owner} = ?" for owner in source.owners)
        query = SqlSource(
            f"SELECT {source.moment} AS at, {source.columns} FROM {source.table} WHERE {condition}",
            (customer_id,) * len(source.owners),
        )
        if source.has_unit:
            query = scope(query, principal)
        if newest is not None:
            query = SqlSource(
                f"SELECT *, count(*) OVER () AS {_TOTAL} FROM ({query.sql}) events "
                'ORDER BY "at" DESC NULLS LAST LIMIT ?',
                (*query.params, int(newest)),
            )
        rows = _rows(db, query)
        totals[source.kind] = int(rows[0][_TOTAL]) if rows and newest is not None else len(rows)
        for row in rows:
            row.pop(_TOTAL, None)
            view.events.append(
                {"kind": source.kind, **mask_record(row, principal, redactor=redactor)}
            )
    view.events.sort(key=lambda event: _sort_key(event.get("at")), reverse=True)
    if newest is not None:
        del view.events[newest:]
        view.totals = totals
    return view


#: The customer ids some piece of evidence names (each timeline source's owner columns).
_NAMED = " UNION ".join(
    f"SELECT {owner} FROM {source.table} WHERE {owner} IS NOT NULL"
    for source in SOURCES
    for owner in source.owners
)

#: The column a cut timeline's queries count each source's events in.
_TOTAL = "timeline_events_in_all"


def _sort_key(moment: Any) -> float:
    return moment.timestamp() if isinstance(moment, datetime) else float("-inf")


def find_customers(
    db: Database,
    principal: Principal,
    *,
    query: str | None = None,
    limit: int = 50,
    redactor: TextRedactor | None = None,
) -> list[dict[str, Any]]:
    """Customers matching ``query``, newest feedback first, as ``principal`` may see them.

    ``query`` matches the id, and the name or e-mail for roles that see personal data (a
    viewer cannot find a customer by a name they are not shown). A case handler finds only
    customers with evidence in their units, with only those units' responses counted.
    A customer an import only named (a stub: a purchase's, mention's or referral's customer
    with no customers file) is listed when some evidence names them; a stub nothing names any
    more is not. Each row: customer_id, name, email, segment, region, responses,
    last_response, purchases (transactions that are not refunds).
    """
    conditions = [f"NOT coalesce(c.is_stub, FALSE) OR r.n > 0 OR c.customer_id IN ({_NAMED})"]
    params: list[Any] = []
    if query:
        searchable = ["c.customer_id"]
        if not principal.masks_personal_data:
            searchable += ["c.name", "c.email"]
        conditions.append(
            "(" + " OR ".join(f"lower({column}) LIKE ?" for column in searchable) + ")"
        )
        params += [f"%{query.strip().lower()}%"] * len(searchable)
    responses = scope(SqlSource("SELECT customer_id, submitted_at, unit FROM responses"), principal)
    if unit_limit(principal) is not None:
        seen = scope(evidence_source(), principal)
        conditions.append(f"c.customer_id IN (SELECT customer_id FROM ({seen.sql}) seen)")
        params += list(seen.params)
    sql = (
        "SELECT c.customer_id, c.name, c.email, c.segment, c.region, coalesce(r.n, 0) AS "
        "responses, r.last_response, coalesce(p.n, 0) AS purchases FROM customers c LEFT JOIN "
        f"(SELECT customer_id, count(*) AS n, max(submitted_at) AS last_response FROM "
        f"({responses.sql}) answers GROUP BY customer_id) r ON r.customer_id = c.customer_id "
        "LEFT JOIN (SELECT customer_id, count(*) AS n FROM transactions WHERE amount IS NULL "
        "OR amount >= 0 GROUP BY customer_id) p ON p.customer_id = c.customer_id WHERE "
        + " AND ".join(f"({condition})" for condition in conditions)
        + " ORDER BY r.last_response DESC NULLS LAST, c.customer_id LIMIT ?"
    )
    rows = _rows(db, SqlSource(sql, (*responses.params, *params, int(limit))))
    redactor = redactor or text_redactor(db, principal)
    return [mask_record(row, principal, redactor=redactor) for row in rows]


__all__ = [
    "SOURCES",
    "CustomerView",
    "TimelineSource",
    "customer_units",
    "customer_view",
    "evidence_source",
    "find_customers",
]
