"""Who a campaign asks: its audience from the advocates analyses, the guards, and the holdout.

:func:`select_audience` reads the audience a campaign names from :mod:`advocacy.advocates`
(silent promoters from the say-do gap, champions from the ladder, fans-to-be from the propensity
model; recent promoters and everyone from the responses and customers). :func:`apply_guards`
then leaves out, with the reason, anyone who must not be asked: a member of this campaign
already, anyone assigned by any campaign within ``days_between_asks`` (a control member of
another campaign stays unasked until its window is over), anyone with an open case, anyone with a
detractor answer within ``detractor_days``, anyone the survey contact guard holds back
(:mod:`advocacy.loop.surveys.contact_guard`) and, for e-mail, anyone without an address.

Only then is each eligible customer assigned to an arm (:func:`arm_of`): ``control`` when a
uniform number drawn from the SHA-256 of the campaign's seed, its id and the customer id falls
below the holdout share. The draw is a pure function of recorded values, so anyone can re-derive
every assignment, and a customer keeps their arm however often the campaign sends.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pandas as pd

from advocacy.errors import InsufficientDataError
from advocacy.loop.asks.campaigns import Campaign
from advocacy.loop.cases.store import OPEN_STATUSES
from advocacy.loop.surveys.contact_guard import last_contacts
from advocacy.store.connection import Database

#: Why a customer was left out, in the order the guards run.
GUARD_REASONS = (
    "already a member",
    "asked recently",
    "open case",
    "recent detractor",
    "contacted recently",
    "no e-mail",
)
DETRACTOR_AT_MOST = 6
#: Customers checked per round of guard queries.
GUARD_BATCH = 5000


@dataclass(frozen=True)
class Candidate:
    """A customer the audience names, with their name and e-mail for mailing."""

    customer_id: str
    name: str | None
    email: str | None


def arm_of(campaign: Campaign, customer_id: str) -> str:
    """``"control"`` or ``"ask"``: the customer's arm, drawn from the campaign's seed.

    >>> from advocacy.loop.asks.campaigns import parse_campaign
    >>> c = parse_campaign("id: x\\naudience: {kind: everyone}\\naction: refer\\n"
    ...                    "channel: links\\nseed: 1")
    >>> sorted({arm_of(c, f"C{i}") for i in range(50)})
    ['ask', 'control']
    """
    digest = hashlib.sha256(
        f"{campaign.seed}|{campaign.campaign_id}|{customer_id}".encode()
    ).digest()
    uniform = int.from_bytes(digest[:8], "big") / 2.0**64
    return "control" if uniform < campaign.holdout else "ask"


def _tables(db: Database, *names: str) -> list[Any]:
    return [db.ibis.table(name) for name in names]


def _audience_ids(db: Database, campaign: Campaign, now: datetime) -> list[str]:
    audience = campaign.audience
    kind = audience["kind"]
    responses, referrals, mentions, transactions = _tables(
        db, "responses", "referrals", "mentions", "transactions"
    )
    if kind == "silent-promoters":
        from advocacy.advocates.say_do import silent_promoters

        return [str(c) for c in silent_promoters(responses, referrals, mentions)["customer_id"]]
    if kind == "champions":
        from advocacy.advocates.ladder import advocacy_ladder

        ladder = advocacy_ladder(responses, referrals, mentions, transactions)
        return [str(c) for c in ladder.loc[ladder["rung"] == "champion", "customer_id"]]
    if kind == "fans-to-be":
        from advocacy.advocates.propensity import fans_to_be

        names = ("responses", "transactions", "referrals", "mentions", "interactions")
        tables: dict[str, Any] = dict(zip(names, _tables(db, *names), strict=True))
        for derived in ("text_features", "document_themes", "themes"):
            tables[derived] = db.ibis.table(derived) if db.table_exists(derived) else None
        scores = fans_to_be(tables).scores
        chosen = scores[scores["propensity"] >= audience["propensity_at_least"]]
        return [str(c) for c in chosen["customer_id"]]
    if kind == "recent-promoters":
        since = now - timedelta(days=int(audience["days"]))
        rows = db.fetchall(
            "SELECT customer_id, nps FROM ("
            "SELECT customer_id, nps, row_number() OVER (PARTITION BY customer_id "
            "ORDER BY submitted_at DESC, response_id DESC) AS latest FROM responses "
            "WHERE customer_id IS NOT NULL AND nps IS NOT NULL AND submitted_at >= ?) answers "
            "WHERE latest = 1 AND nps >= 9 ORDER BY customer_id",
            [since],
        )
        return [str(row[0]) for row in rows]
    rows = db.fetchall(
        "SELECT customer_id FROM customers WHERE NOT coalesce(is_stub, FALSE) ORDER BY customer_id"
    )
    return [str(row[0]) for row in rows]


def select_audience(db: Database, campaign: Campaign, *, now: datetime) -> list[Candidate]:
    """The customers the campaign's audience names, in the analysis's order (likeliest first).

    Raises
    ------
    InsufficientDataError
        For fans-to-be, when there is too little history to fit the propensity model.
    """
    try:
        ids = _audience_ids(db, campaign, now)
    except InsufficientDataError as error:
        raise InsufficientDataError(
            f"campaign {campaign.campaign_id!r}: {error.message}",
            fix="pick another audience until more history is imported",
        ) from error
    if not ids:
        return []
    known = {
        str(row[0]): row[1:]
        for row in db.fetchall("SELECT customer_id, name, email, segment FROM customers")
    }
    segment = campaign.audience.get("segment")
    chosen: list[Candidate] = []
    seen: set[str] = set()
    for customer_id in ids:
        name, email, their_segment = known.get(customer_id, (None, None, None))
        if customer_id in seen or (segment is not None and their_segment != segment):
            continue
        seen.add(customer_id)
        chosen.append(Candidate(customer_id, name, email))
    limit = campaign.audience.get("limit")
    return chosen[:limit] if limit else chosen


def _in_list(column: str, ids: Sequence[str]) -> str:
    return f"{column} IN ({', '.join('?' * len(ids))})"


def apply_guards(
    db: Database,
    campaign: Campaign,
    candidates: Sequence[Candidate],
    *,
    now: datetime,
    contact_guard_days: int,
    use_contact_guard: bool = True,
) -> tuple[list[Candidate], list[tuple[str, str]]]:
    """Split ``candidates`` into those who may be asked and (customer_id, reason) left out.

    Parameters
    ----------
    contact_guard_days
        The workspace's ``contact_guard_days`` setting.
    use_contact_guard
        False for the survey thank-you prompt: the survey answer just given is the contact.
    """
    if len(candidates) > GUARD_BATCH:  # keeps each query's parameters within PostgreSQL's limit
        eligible: list[Candidate] = []
        skipped: list[tuple[str, str]] = []
        for start in range(0, len(candidates), GUARD_BATCH):
            part = apply_guards(
                db,
                campaign,
                candidates[start : start + GUARD_BATCH],
                now=now,
                contact_guard_days=contact_guard_days,
                use_contact_guard=use_contact_guard,
            )
            eligible += part[0]
            skipped += part[1]
        return eligible, skipped
    if not candidates:
        return [], []
    ids = [c.customer_id for c in candidates]
    guards = campaign.guards
    members = {
        str(r[0])
        for r in db.fetchall(
            "SELECT customer_id FROM ask_members WHERE campaign_id = ? "
            f"AND {_in_list('customer_id', ids)}",
            [campaign.campaign_id, *ids],
        )
    }
    recent_asks = {
        str(r[0])
        for r in db.fetchall(
            "SELECT customer_id FROM ask_members WHERE campaign_id <> ? AND assigned_at >= ? "
            f"AND {_in_list('customer_id', ids)}",
            [campaign.campaign_id, now - timedelta(days=guards["days_between_asks"]), *ids],
        )
    }
    open_cases = {
        str(r[0])
        for r in db.fetchall(
            f"SELECT customer_id FROM cases WHERE {_in_list('status', OPEN_STATUSES)} "
            f"AND {_in_list('customer_id', ids)}",
            [*OPEN_STATUSES, *ids],
        )
    }
    detractors = {
        str(r[0])
        for r in db.fetchall(
            f"SELECT customer_id FROM responses WHERE nps <= ? AND submitted_at >= ? "
            f"AND {_in_list('customer_id', ids)}",
            [DETRACTOR_AT_MOST, now - timedelta(days=guards["detractor_days"]), *ids],
        )
    }
    contacted: set[str] = set()
    if use_contact_guard and guards["contact_guard"]:
        contacted = set(last_contacts(db, ids, since=now - timedelta(days=contact_guard_days)))
    eligible = []
    skipped = []
    for candidate in candidates:
        who = candidate.customer_id
        checks = (
            who in members,
            who in recent_asks,
            who in open_cases,
            who in detractors,
            who in contacted,
            campaign.channel == "email" and not (candidate.email or "").strip(),
        )
        reason = next((why for why, hit in zip(GUARD_REASONS, checks, strict=True) if hit), None)
        if reason is None:
            eligible.append(candidate)
        else:
            skipped.append((who, reason))
    return eligible, skipped


def skipped_by_reason(skipped: Sequence[tuple[str, str]]) -> dict[str, int]:
    """How many were left out for each reason."""
    counts = pd.Series([why for _, why in skipped], dtype=object).value_counts()
    return {str(key): int(value) for key, value in counts.items()}


__all__ = [
    "GUARD_BATCH",
    "GUARD_REASONS",
    "Candidate",
    "apply_guards",
    "arm_of",
    "select_audience",
    "skipped_by_reason",
]
