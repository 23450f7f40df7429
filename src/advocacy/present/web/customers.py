"""Customer 360: one customer's every response, interaction, mention, note, referral, purchase
and case on one timeline, limited to what the caller's role may see.

A case handler sees a customer only when some of the customer's evidence (a response, an
interaction or a mention) belongs to one of the handler's units; a viewer sees the customer with
personal data masked: name, e-mail, phone, authors, contacts, and personal data inside free text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from advocacy.access.roles import AccessDeniedError, Principal
from advocacy.errors import NotFoundError
from advocacy.text.pii import redact as redact_text
from advocacy.workspace import Workspace

#: Fields holding personal data, masked for roles that must not see it.
PERSONAL_FIELDS = frozenset(
    {"name", "email", "phone", "author", "referred_contact", "interviewer", "url"}
)
#: Free-text fields, shown with personal data (e-mail, phone, card numbers) redacted.
TEXT_FIELDS = frozenset({"comment", "text"})
MASK = "•••"

#: (kind, table, time column, customer column(s), columns shown) of the timeline's sources.
_SOURCES: tuple[tuple[str, str, str, tuple[str, ...], str], ...] = (
    (
        "response",
        "responses",
        "submitted_at",
        ("customer_id",),
        "response_id AS id, survey, channel, touchpoint, unit, employee_id, nps, csat, ces, "
        "comment",
    ),
    (
        "interaction",
        "interactions",
        "occurred_at",
        ("customer_id",),
        "interaction_id AS id, channel, touchpoint, unit, employee_id, outcome, duration_seconds",
    ),
    (
        "mention",
        "mentions",
        "posted_at",
        ("customer_id",),
        "mention_id AS id, platform, author, rating, unit, text, url",
    ),
    ("note", "notes", "taken_at", ("customer_id",), "note_id AS id, interviewer, text"),
    (
        "referral",
        "referrals",
        "referred_at",
        ("referrer_id", "referred_customer_id"),
        "referral_id AS id, referrer_id, referred_customer_id, referred_contact, code, channel, "
        "converted_at, first_order_value",
    ),
    (
        "purchase",
        "transactions",
        "occurred_at",
        ("customer_id",),
        "transaction_id AS id, amount, currency, quantity",
    ),
)
#: Tables whose ``unit`` column ties a customer to units.
_UNIT_TABLES = ("responses", "interactions", "mentions")


@dataclass
class CustomerView:
    customer: dict[str, Any]
    units: list[str]
    events: list[dict[str, Any]] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for event in self.events:
            found[event["kind"]] = found.get(event["kind"], 0) + 1
        return found


def mask_record(record: dict[str, Any], principal: Principal) -> dict[str, Any]:
    """``record`` as ``principal`` may see it: personal fields masked, free text redacted."""
    if not principal.masks_personal_data:
        return record
    masked = dict(record)
    for name, value in record.items():
        if value is None:
            continue
        if name in PERSONAL_FIELDS:
            masked[name] = MASK
        elif name in TEXT_FIELDS and isinstance(value, str):
            masked[name] = redact_text(value)
    return masked


def customer_units(ws: Workspace, customer_id: str) -> list[str]:
    """The units any of the customer's responses, interactions or mentions belong to."""
    union = " UNION ".join(
        f"SELECT unit FROM {table} WHERE customer_id = ? AND unit IS NOT NULL"
        for table in _UNIT_TABLES
    )
    rows = ws.db.fetchall(f"SELECT DISTINCT unit FROM ({union}) u ORDER BY unit", [customer_id] * 3)
    return [str(row[0]) for row in rows]


def _rows(ws: Workspace, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    table = ws.db.fetch_arrow(sql, params)
    return [dict(row) for row in table.to_pylist()]


def customer_view(ws: Workspace, customer_id: str, principal: Principal) -> CustomerView:
    """Everything known about ``customer_id`` that ``principal`` may see, newest event first.

    Raises
    ------
    NotFoundError
        For an unknown customer.
    AccessDeniedError
        When a case handler asks for a customer outside their units.
    """
    found = _rows(
        ws,
        "SELECT customer_id, name, email, phone, segment, region, value_tier, first_seen, is_stub "
        "FROM customers WHERE customer_id = ?",
        [customer_id],
    )
    if not found:
        raise NotFoundError(
            f"no customer {customer_id!r}", value=customer_id, fix="search the customer list"
        )
    units = customer_units(ws, customer_id)
    if principal.limited_to_units and not any(principal.sees_unit(unit) for unit in units):
        raise AccessDeniedError(
            "this customer belongs to none of your units",
            value=customer_id,
            fix="ask an admin to add the unit to your account",
        )
    view = CustomerView(mask_record(found[0], principal), units)
    for kind, table, moment, owners, columns in _SOURCES:
        condition = " OR ".join(f"{owner} = ?" for owner in owners)
        for row in _rows(
            ws,
            f"SELECT {moment} AS at, {columns} FROM {table} WHERE {condition}",
            [customer_id] * len(owners),
        ):
            view.events.append({"kind": kind, **mask_record(row, principal)})
    if ws.db.table_exists("cases"):
        for row in _rows(ws, "SELECT * FROM cases WHERE customer_id = ?", [customer_id]):
            at = row.get("opened_at") or row.get("created_at")
            view.events.append({"kind": "case", "at": at, **mask_record(row, principal)})
    view.events.sort(key=lambda event: _sort_key(event.get("at")), reverse=True)
    return view


def _sort_key(moment: Any) -> float:
    return moment.timestamp() if isinstance(moment, datetime) else float("-inf")


def find_customers(
    ws: Workspace, principal: Principal, *, query: str | None = None, limit: int = 50
) -> list[dict[str, Any]]:
    """Customers matching ``query`` (id, or name/e-mail unless masked), with response counts."""
    conditions, params = ["NOT coalesce(c.is_stub, FALSE) OR r.n > 0"], []
    if query:
        searchable = ["c.customer_id"]
        if not principal.masks_personal_data:
            searchable += ["c.name", "c.email"]
        conditions.append(
            "(" + " OR ".join(f"lower({column}) LIKE ?" for column in searchable) + ")"
        )
        params += [f"%{query.strip().lower()}%"] * len(searchable)
    if principal.limited_to_units:
        marks = ", ".join("?" for _ in principal.units)
        conditions.append(
            f"c.customer_id IN (SELECT customer_id FROM responses WHERE unit IN ({marks}) "
            f"UNION SELECT customer_id FROM interactions WHERE unit IN ({marks}))"
        )
        params += list(principal.units) * 2
    sql = (
        "SELECT c.customer_id, c.name, c.email, c.segment, c.region, coalesce(r.n, 0) AS "
        "responses, r.last_response FROM customers c LEFT JOIN (SELECT customer_id, count(*) AS "
        "n, max(submitted_at) AS last_response FROM responses GROUP BY customer_id) r "
        "ON r.customer_id = c.customer_id WHERE "
        + " AND ".join(f"({condition})" for condition in conditions)
        + " ORDER BY r.last_response DESC NULLS LAST, c.customer_id LIMIT ?"
    )
    return [mask_record(row, principal) for row in _rows(ws, sql, [*params, int(limit)])]
