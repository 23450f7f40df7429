"""An employee's recovery rate, on cases opened and worked through the loop, on both engines.

Cases open from detractor answers that name an employee (rule ``detractor``, routed by unit),
judged on 1 June 2026 with a 30-day window:

========  ====  ===========================================  ==========================
customer  who   after the case opened (1-4 Apr, D 25 May)    recovered?
========  ====  ===========================================  ==========================
A         E1    NPS 2 -> 8 on 10 Apr                         yes (answered again, >= 7)
B         E1    NPS 5 -> 6 on 15 Apr                         no (+1, below 7)
C         E1    bought on 20 Apr                             yes (bought again)
D         E1    nothing yet, opened 25 May                   not known (window open)
E         E1    NPS 3 -> 5 on 20 Apr                         yes (+2 over the case's 3)
F         E1    NPS 1 -> 9 on 20 May, 46 days later           no (outside the window)
G         E2    bought on 5 Apr                              yes
========  ====  ===========================================  ==========================

E1: 3 of 5 recovered (A, C, E of A, B, C, E, F), 2 by answering again, 1 by buying again.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pytest

import advocacy
from advocacy.errors import UsageError
from advocacy.loop.cases.coaching import coaching_summary
from advocacy.loop.cases.employee_cases import employee_recovery
from advocacy.loop.cases.opening import open_cases_for
from advocacy.loop.cases.recovery import loop_results
from advocacy.loop.cases.rule_format import parse_rules
from advocacy.loop.cases.rule_store import replace_rules
from advocacy.loop.cases.work import work_case

NOW = datetime(2026, 6, 1, tzinfo=UTC)
RULES = """\
- id: detractor
  trigger: nps_at_most
  routes: [{unit: North, owner: hal}, {unit: South, owner: bea}]
  due_hours: 48
"""
#: (response, customer, when, nps, unit, employee)
ANSWERS = [
    ("a1", "A", "2026-04-01T10:00:00Z", 2, "North", "E1"),
    ("a2", "A", "2026-04-10T10:00:00Z", 8, "North", None),
    ("b1", "B", "2026-04-01T10:00:00Z", 5, "North", "E1"),
    ("b2", "B", "2026-04-15T10:00:00Z", 6, "North", None),
    ("c1", "C", "2026-04-02T10:00:00Z", 4, "North", "E1"),
    ("d1", "D", "2026-05-25T10:00:00Z", 0, "North", "E1"),
    ("e1", "E", "2026-04-03T10:00:00Z", 3, "North", "E1"),
    ("e2", "E", "2026-04-20T10:00:00Z", 5, "North", None),
    ("f1", "F", "2026-04-04T10:00:00Z", 1, "North", "E1"),
    ("f2", "F", "2026-05-20T10:00:00Z", 9, "North", None),
    ("g1", "G", "2026-04-01T10:00:00Z", 2, "South", "E2"),
]
PURCHASES = [("t1", "C", "2026-04-20T10:00:00Z"), ("t2", "G", "2026-04-05T10:00:00Z")]


def _wilson(successes: int, n: int) -> tuple[float, float]:
    z = 1.959963984540054
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def test_recovery_of_an_employees_cases(db_url: str) -> None:
    with advocacy.open(db_url) as ws:
        assert employee_recovery(ws.db, "E1", now=NOW).eligible == 0  # no cases yet
        replace_rules(ws.db, parse_rules(RULES), actor="test")
        ws.write_records(
            "responses",
            [
                {"response_id": rid, "customer_id": who, "submitted_at": when, "nps": nps,
                 "unit": unit, **({"employee_id": employee} if employee else {})}
                for rid, who, when, nps, unit, employee in ANSWERS
            ],
            actor="test",
        )  # fmt: skip
        ws.write_records(
            "transactions",
            [
                {"transaction_id": tid, "customer_id": who, "occurred_at": when, "amount": 30}
                for tid, who, when in PURCHASES
            ],
        )
        opened = open_cases_for(
            ws.db,
            "responses",
            ["a1", "b1", "c1", "d1", "e1", "f1", "g1"],
            backfill=True,
            now=NOW,
            settings=ws.settings,
        )
        case = {c.customer_id: c for c in opened}
        assert {who: c.employee_id for who, c in case.items()} == {
            "A": "E1", "B": "E1", "C": "E1", "D": "E1", "E": "E1", "F": "E1", "G": "E2"
        }  # fmt: skip
        for who in ("A", "B", "C"):
            work_case(
                ws.db,
                case[who].case_id,
                "contact",
                actor="t",
                now=case[who].opened_at,
                settings=ws.settings,
            )
            work_case(
                ws.db,
                case[who].case_id,
                "close",
                actor="t",
                now=case[who].opened_at,
                root_cause="late delivery",
                action_taken="refund",
                settings=ws.settings,
            )

        cases = coaching_summary(ws.db, "E1", unit="North", now=NOW, recovery_window_days=30).cases
        assert (cases.opened, cases.closed) == (6, 3)
        assert (cases.recovered, cases.recovery_eligible) == (3, 5)
        assert (cases.rescored, cases.repurchased) == (2, 1)
        assert cases.recovery_rate == pytest.approx(0.6)
        low, high = _wilson(3, 5)
        assert cases.recovery_low == pytest.approx(low)
        assert cases.recovery_high == pytest.approx(high)
        assert (round(low, 3), round(high, 3)) == (0.231, 0.882)

        # The loop's own recovery rate for owner hal, whose cases are exactly E1's, agrees.
        hal = next(
            row
            for row in loop_results(ws.db, now=NOW, window_days=30).rows("owner")
            if row["owner"] == "hal"
        )
        assert (hal["recovered"], hal["recovery_eligible"]) == (3, 5)
        assert (hal["recovery_low"], hal["recovery_high"]) == pytest.approx((low, high))

        # A 60-day window brings F's late answer in; E2's one case recovered.
        wider = employee_recovery(ws.db, "E1", now=NOW, window_days=60)
        assert (wider.recovered, wider.eligible) == (4, 5)
        other = employee_recovery(ws.db, "E2", now=NOW, window_days=30)
        assert (other.recovered, other.eligible, other.repurchased) == (1, 1, 1)
        with pytest.raises(UsageError, match="at least one day"):
            employee_recovery(ws.db, "E1", window_days=0)
