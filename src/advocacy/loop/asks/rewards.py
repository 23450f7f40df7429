"""Rewards, optional and honest: decided by the campaign's rule, checked for fraud, exported.

A campaign may name a reward rule (``reward: {to, when, amount, currency}``): the advocate, the
friend or both earn ``amount`` for each click, referral or converted referral the campaign's links
brought. Before any reward is due, the referral's fraud signals
(:func:`advocacy.advocates.referrals.attribute_referrals`: self-referral, shared contact, burst)
are applied: a flagged referral's rewards are withheld with the signals as the reason, and so is a
friend's reward when the friend left no way to reach them. advocacy never pays: due rewards are
exported as CSV (:func:`export_rewards`, cells that a spreadsheet would run as formulas
neutralised) and recorded in ``ask_rewards``, so none is exported twice.
"""

from __future__ import annotations

import csv
import hashlib
from datetime import datetime
from pathlib import Path

import pandas as pd

from advocacy.access.audit import now_utc, record_audit
from advocacy.advocates.referrals import attribute_referrals
from advocacy.exports import neutralize
from advocacy.loop.asks.store import get_campaign, list_events, list_members
from advocacy.store.connection import Database
from advocacy.store.multi_row import insert_rows

REWARD_COLUMNS = (
    "reward_id", "campaign_id", "beneficiary", "customer_id", "email", "referral_id",
    "trigger", "amount", "currency", "status", "reason",
)  # fmt: skip
#: The columns of the payment file.
EXPORT_COLUMNS = (
    "reward_id", "campaign_id", "beneficiary", "customer_id", "email", "referral_id",
    "trigger", "amount", "currency",
)  # fmt: skip


def _reward_id(*parts: str) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def reward_decisions(db: Database, campaign_id: str) -> pd.DataFrame:
    """Every reward the campaign's rule gives, with its status: ``due``, ``withheld`` (and why)
    or ``exported``. Empty when the campaign has no reward rule.

    Raises
    ------
    NotFoundError
        For an unknown campaign.
    """
    campaign = get_campaign(db, campaign_id)
    rule = campaign.reward
    if not rule:
        return pd.DataFrame(columns=list(REWARD_COLUMNS))
    beneficiaries = ("advocate", "friend") if rule["to"] == "both" else (rule["to"],)
    rows: list[dict[str, object]] = []

    def add(beneficiary: str, who: str | None, contact: str | None, referral: str | None,
            reason: str) -> None:  # fmt: skip
        rows.append(
            {
                "reward_id": _reward_id(
                    campaign_id, rule["when"], beneficiary, referral or who or ""
                ),
                "campaign_id": campaign_id,
                "beneficiary": beneficiary,
                "customer_id": who,
                "email": contact,
                "referral_id": referral,
                "trigger": rule["when"],
                "amount": float(rule["amount"]),
                "currency": rule.get("currency"),
                "status": "withheld" if reason else "due",
                "reason": reason,
            }
        )

    if rule["when"] == "click":
        asked = {m.customer_id for m in list_members(db, campaign_id) if m.arm == "ask"}
        clickers = sorted({e["customer_id"] for e in list_events(db, campaign_id, kind="click")})
        for who in clickers:
            if who in asked and "advocate" in beneficiaries:
                add("advocate", who, None, None, "")
    else:
        landed = {e["referral_id"]: e for e in list_events(db, campaign_id, kind="referral")}
        attributed = attribute_referrals(
            db.ibis.table("referrals"), db.ibis.table("customers"), db.ibis.table("transactions")
        )
        attributed = attributed[attributed["referral_id"].isin(list(landed))]
        for referral in attributed.to_dict("records"):
            if rule["when"] == "conversion" and not referral["converted"]:
                continue
            signals = str(referral["fraud_signals"] or "")
            fraud = f"fraud signals: {signals}" if signals else ""
            friend = referral["attributed_customer_id"]
            friend = None if pd.isna(friend) else str(friend)
            contact = referral["referred_contact"]
            contact = None if pd.isna(contact) else str(contact)
            for beneficiary in beneficiaries:
                if beneficiary == "advocate":
                    add(
                        "advocate",
                        str(referral["referrer_id"]),
                        None,
                        referral["referral_id"],
                        fraud,
                    )
                else:
                    unreachable = "" if (friend or contact) else "the friend left no contact"
                    add("friend", friend, contact, referral["referral_id"], fraud or unreachable)
    frame = pd.DataFrame(rows, columns=list(REWARD_COLUMNS))
    exported = {str(r[0]) for r in db.fetchall(
        "SELECT reward_id FROM ask_rewards WHERE campaign_id = ?", [campaign_id]
    )}  # fmt: skip
    frame.loc[frame["reward_id"].isin(exported), "status"] = "exported"
    return frame


def export_rewards(
    db: Database,
    campaign_id: str,
    out: str | Path,
    *,
    actor: str,
    now: datetime | None = None,
) -> int:
    """Write the campaign's due rewards to the CSV file ``out`` for payment, and mark them
    exported (audited as ``ask.rewards``); return how many were written.

    Every text cell is neutralised (:func:`advocacy.exports.neutralize`), so a friend's name or
    address that starts like a formula stays text in a spreadsheet.
    """
    moment = now_utc(now)
    decisions = reward_decisions(db, campaign_id)
    due = decisions[decisions["status"] == "due"]
    path = Path(out)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(EXPORT_COLUMNS)
        for row in due.to_dict("records"):
            writer.writerow(
                [
                    row[name]
                    if name == "amount"
                    else neutralize("" if row[name] is None else str(row[name]))
                    for name in EXPORT_COLUMNS
                ]
            )
    with db.transaction():
        if len(due):
            insert_rows(
                db,
                "ask_rewards",
                [
                    "reward_id",
                    "campaign_id",
                    "beneficiary",
                    "customer_id",
                    "referral_id",
                    "trigger",
                    "amount",
                    "currency",
                    "exported_at",
                    "exported_by",
                ],
                [
                    [
                        r["reward_id"],
                        r["campaign_id"],
                        r["beneficiary"],
                        r["customer_id"],
                        r["referral_id"],
                        r["trigger"],
                        r["amount"],
                        r["currency"],
                        moment,
                        actor,
                    ]
                    for r in due.to_dict("records")
                ],
            )
        record_audit(
            db,
            actor=actor,
            action="ask.rewards",
            target=campaign_id,
            detail={
                "exported": len(due),
                "withheld": int((decisions["status"] == "withheld").sum()),
            },
            now=moment,
        )
    return len(due)


__all__ = ["EXPORT_COLUMNS", "REWARD_COLUMNS", "export_rewards", "reward_decisions"]
