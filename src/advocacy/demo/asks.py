"""The demo's ask campaign: Lumen & Oak asks its silent promoters to refer a friend.

Two months before the end of the evidence, the campaign asks the silent promoters (less those the
guards hold back) by a list of links, keeping a random 30% as the control group; it states its
final analysis at :data:`FINAL_N` members up front. What follows is simulated with a built-in
effect for the results to find: an asked promoter refers a friend within the 30-day window with
probability :data:`ASKED_RATE`, a control promoter (not asked) with :data:`CONTROL_RATE`, so the
true lift is ``ASKED_RATE - CONTROL_RATE``; two in five referrals convert. The verdict is not set
anywhere: :meth:`advocacy.namespaces.asks.AsksNamespace.results` computes it from the data.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

import numpy as np

from advocacy.demo.company import END
from advocacy.loop.asks.sending import SendResult, send
from advocacy.loop.asks.store import record_event
from advocacy.workspace import Workspace

ACTOR = "demo"
CAMPAIGN_ID = "refer-silent-promoters"
#: Members in the final analysis, stated when the campaign was made.
FINAL_N = 400
#: Chance of a referral within the window: asked, and held out (the built-in effect).
ASKED_RATE = 0.22
CONTROL_RATE = 0.04
CLICK_RATE = 0.35
CONVERSION_RATE = 0.4


def add_demo_ask(ws: Workspace, *, seed: int, now: dt.datetime = END) -> SendResult:
    """Create, send and play out the demo's referral campaign; return the send.

    Parameters
    ----------
    ws
        The demo workspace with its evidence imported.
    seed
        The demo's seed: the campaign's holdout seed and the simulated behaviour follow it.
    now
        The end of the demo's evidence; the campaign was sent 60 days before.
    """
    sent_at = now - dt.timedelta(days=60)
    ws.asks.add(
        {
            "id": CAMPAIGN_ID,
            "name": "Refer a friend: silent promoters",
            "audience": {"kind": "silent-promoters"},
            "action": "refer",
            "channel": "links",
            "targets": {"welcome": "https://lumen-and-oak.example/welcome"},
            "holdout": 0.3,
            "seed": seed,
            "final_n": FINAL_N,
            "window_days": 30,
            "reward": {"to": "both", "when": "conversion", "amount": 15, "currency": "EUR"},
        },
        actor=ACTOR,
    )
    # The demo's links are never opened: a throwaway key signs them when no key is set.
    settings = ws.settings.updated(secret_key=ws.settings.secret_key or secrets.token_hex(16))
    result = send(ws.db, CAMPAIGN_ID, settings=settings, now=sent_at, actor=ACTOR)
    rng = np.random.default_rng(seed + 21)
    asked = {row["customer_id"] for row in result.asked}
    records: list[dict[str, Any]] = []
    with ws.transaction():
        for customer_id in sorted(asked | set(result.control)):
            is_asked = customer_id in asked
            if is_asked and rng.random() < CLICK_RATE:
                clicked = sent_at + dt.timedelta(hours=float(rng.uniform(1, 72)))
                record_event(
                    ws.db,
                    campaign_id=CAMPAIGN_ID,
                    customer_id=customer_id,
                    kind="click",
                    target="landing",
                    now=clicked,
                )
            if rng.random() >= (ASKED_RATE if is_asked else CONTROL_RATE):
                continue
            referred = sent_at + dt.timedelta(days=float(rng.uniform(1, 28)))
            converts = rng.random() < CONVERSION_RATE
            records.append(
                {
                    "referral_id": f"ASK-{len(records) + 1:05d}",
                    "referrer_id": customer_id,
                    "referred_at": referred.isoformat(),
                    "channel": f"ask:{CAMPAIGN_ID}" if is_asked else "word of mouth",
                    "converted_at": (referred + dt.timedelta(days=5)).isoformat()
                    if converts
                    else None,
                    "first_order_value": round(float(rng.gamma(4.0, 20.0)), 2)
                    if converts
                    else None,
                }
            )
        if records:
            ws.write_records("referrals", records, actor=ACTOR)
        for record in records:  # the asked came through the campaign's landing page
            if record["channel"] == f"ask:{CAMPAIGN_ID}":
                record_event(
                    ws.db,
                    campaign_id=CAMPAIGN_ID,
                    customer_id=record["referrer_id"],
                    kind="referral",
                    referral_id=record["referral_id"],
                    detail={"consent": False},
                    now=dt.datetime.fromisoformat(record["referred_at"]),
                )
    return result


__all__ = [
    "ASKED_RATE",
    "CAMPAIGN_ID",
    "CLICK_RATE",
    "CONTROL_RATE",
    "CONVERSION_RATE",
    "FINAL_N",
    "add_demo_ask",
]
