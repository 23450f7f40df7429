"""The demo's closed loop: case rules for Lumen & Oak, the cases they opened, and their history.

After the demo's evidence is imported, :func:`add_demo_cases` stores the rules (the shipped ones,
routed to one owner per unit), opens cases for the detractor answers and negative or complaining
public mentions of the last :data:`LOOP_DAYS` days (as of the end of the demo's data, each case
opened at its evidence's time), and plays out plausible case work with a seeded generator: most
cases contacted within hours (North, short-staffed, slower), notes, and resolutions and closes
with root causes. The re-scores and repurchases that recovery counts are the customers' own
later answers and purchases in the generated data: the demo adds no rows to the evidence, so
``data/*.csv`` stays the whole of it. Only customers who agreed to be contacted
(:data:`CONSENT_SHARE`) get cases, which leaves comparable detractors without a case, so the
recovery rate has a comparison group.

Every owner the rules name is a real user who can sign in (:func:`add_demo_users`): a case
handler per unit, the analyst cases fall back to and the admin they escalate to.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import numpy as np

from advocacy.access.audit import now_utc
from advocacy.access.users import add_user
from advocacy.loop.cases.opening import open_cases_for
from advocacy.loop.cases.rule_format import default_rules
from advocacy.loop.cases.rule_store import replace_rules
from advocacy.loop.cases.rules import Route, Rule
from advocacy.loop.cases.store import Case
from advocacy.loop.cases.work import add_case_note, close_case, contact_case, resolve_case
from advocacy.settings import Settings
from advocacy.store.connection import Database
from advocacy.workspace import Workspace

#: Cases are opened for evidence of this many days before the end of the data.
LOOP_DAYS = 150
#: Share of customers who agreed to be contacted about their feedback.
CONSENT_SHARE = 0.7
#: The case owner of each unit (user names; the web tests' case handler of North is ``hal``).
OWNERS = {"North": "hal", "Central": "cara", "South": "sami", "Coast": "cole", "Online": "olu"}
ACTOR = "demo"
#: The other demo users: the analyst unrouted cases fall to and the admin cases escalate to.
STAFF = {"ana": "analyst", "ada": "admin"}

ROOT_CAUSES = {
    "delivery": ("courier missed the slot", "parcel damaged in transit", "stock promised but out"),
    "billing": ("charged twice", "promotion not applied", "unclear invoice"),
    "support": ("no call back", "long wait on the phone", "wrong answer from the first agent"),
    "returns": ("refund slow", "returns label not sent"),
    "in-store": ("store short-staffed", "product not on the shelf"),
}
GENERIC_CAUSES = ("expectation not set at sale", "product fault", "website error")
ACTIONS = (
    "apologised and refunded the delivery fee",
    "re-sent the order at no charge",
    "voucher and personal call from the store manager",
    "fixed the account and confirmed by e-mail",
    "explained the policy and escalated to the product team",
)


def demo_rules() -> list[Rule]:
    """The shipped rules, one route per demo unit, an analyst as fallback, escalation to admin."""
    routes = tuple(Route("unit", unit, owner) for unit, owner in OWNERS.items())
    return [
        replace(rule, routes=routes, default_owner="ana", escalate_to="ada")
        for rule in default_rules()
    ]


def add_demo_users(ws: Workspace, *, password: str) -> dict[str, str]:
    """Add the demo's users, all with ``password``; return each user's role, as people read it.

    The case handlers of :data:`OWNERS` each work their unit's cases; ``ana`` (analyst) gets the
    cases no route claims and ``ada`` (admin) the escalations (:func:`demo_rules`).
    """
    people: dict[str, str] = {}
    for name, role in STAFF.items():
        add_user(ws.db, name, role=role, password=password, actor=ACTOR)
        people[name] = role
    for unit, name in OWNERS.items():
        add_user(ws.db, name, role="case-handler", password=password, units=unit, actor=ACTOR)
        people[name] = f"case handler, {unit}"
    return people


def _hours(rng: np.random.Generator, median: float) -> timedelta:
    return timedelta(hours=float(rng.lognormal(np.log(median), 0.8)))


def _work(
    db: Database, settings: Settings, rng: np.random.Generator, case: Case, end: datetime
) -> datetime | None:
    """Play out one case's history up to ``end``; return when it was resolved (if it was)."""
    slow = 3.5 if case.unit == "North" else 1.0
    if rng.random() > (0.75 if case.unit == "North" else 0.9):
        return None
    contacted = case.opened_at + _hours(rng, 7 * slow)
    if contacted >= end:
        return None
    actor = case.owner or ACTOR
    contact_case(db, case.case_id, actor=actor, now=contacted, text="called", settings=settings)
    if rng.random() < 0.35:
        noted = contacted + _hours(rng, 10)
        if noted < end:
            note = "customer asked for a call back after work"
            add_case_note(db, case.case_id, actor=actor, text=note, now=noted, settings=settings)
    if rng.random() > 0.82:
        return None
    resolved = contacted + _hours(rng, 16 * slow)
    if resolved >= end:
        return None
    resolve_case(db, case.case_id, actor=actor, now=resolved, text="sorted out", settings=settings)
    if rng.random() < 0.88:
        closed = resolved + _hours(rng, 5)
        if closed < end:
            causes = ROOT_CAUSES.get(case.touchpoint or "", GENERIC_CAUSES)
            close_case(
                db,
                case.case_id,
                actor=actor,
                root_cause=str(rng.choice(causes)),
                action_taken=str(rng.choice(ACTIONS)),
                now=closed,
                settings=settings,
            )
    return resolved


def add_demo_cases(ws: Workspace, *, seed: int = 7) -> int:
    """Store the demo's rules, open its cases and simulate their work; return cases opened."""
    db = ws.db
    rng = np.random.default_rng(seed + 8)
    row = db.fetchone("SELECT max(submitted_at) FROM responses")
    if row is None or row[0] is None:
        return 0
    end = now_utc(row[0])
    start = end - timedelta(days=LOOP_DAYS)
    replace_rules(db, demo_rules(), actor=ACTOR, now=start)
    customers = sorted(
        str(item[0])
        for item in db.fetchall("SELECT customer_id FROM customers ORDER BY customer_id")
    )
    consenting = {c for c in customers if rng.random() < CONSENT_SHARE}
    opened: list[Case] = []
    with db.transaction():
        for kind, key, at in (
            ("responses", "response_id", "submitted_at"),
            ("mentions", "mention_id", "posted_at"),
        ):
            rows = db.fetchall(
                f"SELECT {key}, customer_id FROM {kind} WHERE {at} > ? ORDER BY {at}, {key}",
                [start],
            )
            ids = [str(r[0]) for r in rows if r[1] is None or str(r[1]) in consenting]
            opened += open_cases_for(
                db, kind, ids, settings=ws.settings, now=end, backfill=True, actor="rules"
            )
        for case in sorted(opened, key=lambda item: (item.opened_at, item.case_id)):
            _work(db, ws.settings, rng, case, end)
    return len(opened)
