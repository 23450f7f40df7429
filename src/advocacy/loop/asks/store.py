"""Ask campaigns, their members and the events their links record, in the database.

``ask_campaigns`` keeps each campaign's definition (:class:`~advocacy.loop.asks.campaigns.Campaign`)
as JSON; ``ask_members`` every customer a campaign assigned and to which arm; ``ask_events`` the
clicks, thank-you prompts and referrals the tracked links recorded. Saving a campaign is audited.
A campaign's seed, holdout and final analysis size cannot change once it has members: the
assignment already made under them is the experiment. On a folder of Parquet tables read on
Spark (``db.dialect == "spark"``) the readers read the exported tables through Ibis.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from advocacy.access.audit import now_utc, record_audit
from advocacy.errors import NotFoundError, UsageError
from advocacy.loop.asks.campaigns import Campaign
from advocacy.store.connection import Database
from advocacy.store.multi_row import insert_rows
from advocacy.store.parquet_source import engine_rows

#: Fields fixed once a campaign has members (changing them would change the experiment).
FIXED_AFTER_START = ("seed", "holdout", "final_n", "window_days", "action", "audience")
MEMBER_COLUMNS = ("campaign_id", "customer_id", "arm", "channel", "assigned_at", "asked_at")
EVENT_KINDS = ("click", "prompt", "referral")


@dataclass(frozen=True)
class Member:
    """One customer a campaign assigned: ``arm`` is ``ask`` or ``control``."""

    campaign_id: str
    customer_id: str
    arm: str
    channel: str
    assigned_at: datetime
    asked_at: datetime | None


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _campaign(row: Sequence[Any]) -> Campaign:
    data = dict(_json(row[1]))
    data["campaign_id"] = data.pop("id")
    data.pop("active", None)  # the column is the truth (a campaign is switched off in place)
    return Campaign(**data, active=bool(row[2]), created_at=row[3], created_by=row[4])


_CAMPAIGN_COLUMNS = ("campaign_id", "definition", "active", "created_at", "created_by")
_SELECT = f"SELECT {', '.join(_CAMPAIGN_COLUMNS)} FROM ask_campaigns"


def _select(
    db: Database,
    table: str,
    columns: Sequence[str],
    where: dict[str, Any],
    order: Sequence[str] = (),
) -> list[tuple[Any, ...]]:
    """``columns`` of ``table``'s rows matching ``where`` (equalities), in ``order``: SQL on the
    workspace, Ibis on a folder of Parquet tables read on Spark (an engine without SQL)."""
    if db.dialect == "spark":
        rows = db.ibis.table(table)
        for column, value in where.items():
            rows = rows.filter(rows[column] == value)
        if order:
            rows = rows.order_by(list(order))
        return engine_rows(rows.select(*columns))
    conditions = " AND ".join(f"{column} = ?" for column in where) or "TRUE"
    ordering = f" ORDER BY {', '.join(order)}" if order else ""
    return [
        tuple(row)
        for row in db.fetchall(
            f"SELECT {', '.join(columns)} FROM {table} WHERE {conditions}{ordering}",
            list(where.values()),
        )
    ]


def list_campaigns(db: Database) -> list[Campaign]:
    """Every campaign, by id."""
    rows = _select(db, "ask_campaigns", _CAMPAIGN_COLUMNS, {}, ["campaign_id"])
    return [_campaign(row) for row in rows]


def get_campaign(db: Database, campaign_id: str) -> Campaign:
    """The campaign ``campaign_id``.

    Raises
    ------
    NotFoundError
        When there is no such campaign.
    """
    found = _select(db, "ask_campaigns", _CAMPAIGN_COLUMNS, {"campaign_id": campaign_id})
    row = found[0] if found else None
    if row is None:
        raise NotFoundError(
            f"no ask campaign {campaign_id!r}",
            value=campaign_id,
            fix="see the campaigns with: advocacy asks list",
        )
    return _campaign(row)


def member_count(db: Database, campaign_id: str) -> int:
    """How many customers the campaign has assigned (both arms)."""
    row = db.fetchone("SELECT count(*) FROM ask_members WHERE campaign_id = ?", [campaign_id])
    return int(row[0]) if row else 0


def save_campaign(
    db: Database, campaign: Campaign, *, actor: str, now: datetime | None = None
) -> Campaign:
    """Create ``campaign`` or replace the one with its id (audited as ``ask.save``).

    Raises
    ------
    UsageError
        When the campaign has members and the change touches its seed, holdout, final analysis
        size, window, action or audience.
    """
    moment = now_utc(now)
    with db.transaction():
        existing = db.fetchone(f"{_SELECT} WHERE campaign_id = ?", [campaign.campaign_id])
        created_at, created_by = moment, actor
        if existing is not None:
            old = _campaign(existing)
            created_at, created_by = old.created_at, old.created_by or actor
            if member_count(db, campaign.campaign_id):
                changed = [
                    name
                    for name in FIXED_AFTER_START
                    if getattr(old, name) != getattr(campaign, name)
                ]
                if changed:
                    raise UsageError(
                        f"campaign {campaign.campaign_id!r} has started; its "
                        + ", ".join(changed)
                        + " can no longer change",
                        value=campaign.campaign_id,
                        fix="keep those fields as they were, or add a new campaign with a new id",
                    )
            db.execute("DELETE FROM ask_campaigns WHERE campaign_id = ?", [campaign.campaign_id])
        insert_rows(
            db,
            "ask_campaigns",
            [
                "campaign_id",
                "name",
                "definition",
                "active",
                "created_at",
                "created_by",
                "updated_at",
            ],
            [
                [
                    campaign.campaign_id,
                    campaign.name,
                    json.dumps(campaign.definition(), sort_keys=True),
                    campaign.active,
                    created_at,
                    created_by,
                    moment,
                ]
            ],
        )
        record_audit(
            db,
            actor=actor,
            action="ask.save",
            target=campaign.campaign_id,
            detail={"action": campaign.action, "channel": campaign.channel},
            now=moment,
        )
    return get_campaign(db, campaign.campaign_id)


def add_members(db: Database, members: Sequence[Member]) -> None:
    """Record assigned customers (in the caller's transaction)."""
    insert_rows(
        db,
        "ask_members",
        list(MEMBER_COLUMNS),
        [[getattr(member, name) for name in MEMBER_COLUMNS] for member in members],
    )


def list_members(db: Database, campaign_id: str) -> list[Member]:
    """The campaign's members, in the order they were assigned."""
    order = ["assigned_at", "customer_id"]
    rows = _select(db, "ask_members", MEMBER_COLUMNS, {"campaign_id": campaign_id}, order)
    return [
        Member(str(r[0]), str(r[1]), str(r[2]), str(r[3]), now_utc(r[4]), r[5] and now_utc(r[5]))
        for r in rows
    ]


def get_member(db: Database, campaign_id: str, customer_id: str) -> Member | None:
    """The customer's membership of the campaign, if any."""
    row = db.fetchone(
        f"SELECT {', '.join(MEMBER_COLUMNS)} FROM ask_members "
        "WHERE campaign_id = ? AND customer_id = ?",
        [campaign_id, customer_id],
    )
    if row is None:
        return None
    return Member(
        str(row[0]),
        str(row[1]),
        str(row[2]),
        str(row[3]),
        now_utc(row[4]),
        row[5] and now_utc(row[5]),
    )


def record_event(
    db: Database,
    *,
    campaign_id: str,
    customer_id: str | None,
    kind: str,
    target: str | None = None,
    referral_id: str | None = None,
    detail: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> str:
    """Append one event (a click, a prompt shown, a referral) and return its id."""
    if kind not in EVENT_KINDS:
        raise UsageError(
            f"unknown ask event {kind!r}", value=kind, fix="use one of: " + ", ".join(EVENT_KINDS)
        )
    event_id = uuid.uuid4().hex
    insert_rows(
        db,
        "ask_events",
        [
            "event_id",
            "campaign_id",
            "customer_id",
            "kind",
            "target",
            "referral_id",
            "occurred_at",
            "detail",
        ],
        [
            [
                event_id,
                campaign_id,
                customer_id,
                kind,
                target,
                referral_id,
                now_utc(now),
                json.dumps(detail or {}, sort_keys=True),
            ]
        ],
    )
    return event_id


def list_events(db: Database, campaign_id: str, *, kind: str | None = None) -> list[dict[str, Any]]:
    """The campaign's events (optionally of one kind), oldest first."""
    columns = ("event_id", "customer_id", "kind", "target", "referral_id", "occurred_at", "detail")
    chosen = {"campaign_id": campaign_id} | ({} if kind is None else {"kind": kind})
    rows = _select(db, "ask_events", columns, chosen, ["occurred_at", "event_id"])
    return [
        {
            "event_id": r[0],
            "customer_id": r[1],
            "kind": r[2],
            "target": r[3],
            "referral_id": r[4],
            "occurred_at": now_utc(r[5]),
            "detail": _json(r[6]) or {},
        }
        for r in rows
    ]


__all__ = [
    "EVENT_KINDS",
    "FIXED_AFTER_START",
    "Member",
    "add_members",
    "get_campaign",
    "get_member",
    "list_campaigns",
    "list_events",
    "list_members",
    "member_count",
    "record_event",
    "save_campaign",
]
