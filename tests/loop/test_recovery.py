"""The loop's results on a small hand-built example whose answers are worked out below.

Five cases (opened at their response's time, due 48 h later), judged on 1 June 2026 with a
30-day recovery window:

======  =====  =====  ========  ==================  ===============  ===========================
case    unit   owner  contact   closed              in time?         recovered?
======  =====  =====  ========  ==================  ===============  ===========================
A 1 Apr North  hal    +2 h      2 Apr (due 3 Apr)   yes              yes: NPS 2 -> 8 on 10 Apr
B 1 Apr North  hal    +10 h     5 Apr (due 3 Apr)   no               no: NPS 5 -> 6 (+1, < 7)
C 2 Apr South  bea    never     open, past due      no               yes: bought on 20 Apr
D 25 May South bea    +4 h      open, past due      no               not yet (window open)
E 3 Apr North  hal    +1 h      4 Apr (due 5 Apr)   yes              yes: NPS 3 -> 5 (+2)
======  =====  =====  ========  ==================  ===============  ===========================

- hours to first contact: 2, 10, 4, 1 -> median (2 + 4) / 2 = 3; p90 = 4 + 0.7 * (10 - 4) = 8.2
- closed within due: 2 of 5 (every outcome is known: closed, or open past due) = 0.4
- recovery: A, C, E of A, B, C, E (D's window is still open) = 3/4 = 0.75
- by owner: hal 2/3 recovered (A, E of A, B, E), in time 2/3; bea 1/1 recovered (C), in time 0/2
- comparison: customers with no case and a detractor answer between 1 Apr and 25 May in North or
  South: X (6 -> 9, recovered), Y and Z (nothing since) -> 1/3; W (unit West) and V (answered in
  March) are not comparable. Difference 0.75 - 1/3 = 0.4167, Newcombe interval of 3/4 vs 1/3.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

import advocacy
from advocacy.errors import UsageError
from advocacy.loop.cases.opening import open_cases_for
from advocacy.loop.cases.recovery import loop_results
from advocacy.loop.cases.rule_format import parse_rules
from advocacy.loop.cases.rule_store import replace_rules
from advocacy.loop.cases.work import work_case
from advocacy.metrics.intervals import newcombe_difference

NOW = datetime(2026, 6, 1, tzinfo=UTC)
RULES = """\
- id: detractor
  trigger: nps_at_most
  routes: [{unit: North, owner: hal}, {unit: South, owner: bea}]
  due_hours: 48
"""


def _answer(rid: str, customer: str, when: str, nps: int, unit: str) -> dict[str, object]:
    return {"response_id": rid, "customer_id": customer, "submitted_at": when, "nps": nps,
            "unit": unit}  # fmt: skip


ANSWERS = [
    _answer("a1", "A", "2026-04-01T10:00:00Z", 2, "North"),
    _answer("a2", "A", "2026-04-10T10:00:00Z", 8, "North"),
    _answer("b1", "B", "2026-04-01T10:00:00Z", 5, "North"),
    _answer("b2", "B", "2026-04-15T10:00:00Z", 6, "North"),
    _answer("c1", "C", "2026-04-02T10:00:00Z", 4, "South"),
    _answer("d1", "D", "2026-05-25T10:00:00Z", 0, "South"),
    _answer("e1", "E", "2026-04-03T10:00:00Z", 3, "North"),
    _answer("e2", "E", "2026-04-20T10:00:00Z", 5, "North"),
    _answer("x1", "X", "2026-04-05T10:00:00Z", 6, "North"),
    _answer("x2", "X", "2026-04-25T10:00:00Z", 9, "North"),
    _answer("y1", "Y", "2026-04-06T10:00:00Z", 1, "South"),
    _answer("z1", "Z", "2026-04-07T10:00:00Z", 2, "South"),
    _answer("w1", "W", "2026-04-07T10:00:00Z", 2, "West"),
    _answer("w2", "W", "2026-04-17T10:00:00Z", 10, "West"),
    _answer("v1", "V", "2026-03-01T10:00:00Z", 5, "North"),
]


def test_loop_results_match_the_hand_computed_example(db_url: str) -> None:
    with advocacy.open(db_url) as ws:
        replace_rules(ws.db, parse_rules(RULES), actor="test")
        ws.write_records("responses", ANSWERS, actor="test")
        ws.write_records(
            "transactions",
            [{"transaction_id": "t1", "customer_id": "C", "occurred_at": "2026-04-20T10:00:00Z",
              "amount": 30}],
        )  # fmt: skip
        opened = open_cases_for(
            ws.db,
            "responses",
            ["a1", "b1", "c1", "d1", "e1"],
            backfill=True,
            now=NOW,
            settings=ws.settings,
        )
        case = {c.customer_id: c for c in opened}
        assert case["A"].opened_at == datetime(2026, 4, 1, 10, tzinfo=UTC)

        def act(who: str, action: str, hours: float, **fields: Any) -> None:
            at = case[who].opened_at + timedelta(hours=hours)
            work_case(
                ws.db, case[who].case_id, action, actor="t", now=at, **fields, settings=ws.settings
            )

        closing = {"root_cause": "late delivery", "action_taken": "refund"}
        act("A", "contact", 2)
        act("A", "close", 24, **closing)
        act("B", "contact", 10)
        act("B", "close", 96, **closing)
        act("D", "contact", 4)
        act("E", "contact", 1)
        act("E", "close", 24, **closing)

        results = loop_results(ws.db, now=NOW, window_days=30)
        overall = results.overall
        assert (overall["cases"], overall["open"], overall["overdue"]) == (5, 2, 2)
        assert overall["contacted"] == 4
        assert overall["hours_to_contact_median"] == pytest.approx(3.0)
        assert overall["hours_to_contact_p90"] == pytest.approx(8.2)
        assert (overall["closed_in_time"], overall["due_known"]) == (2, 5)
        assert overall["closed_in_time_share"] == pytest.approx(0.4)
        assert (overall["recovered"], overall["recovery_eligible"]) == (3, 4)
        assert overall["recovery_rate"] == pytest.approx(0.75)
        assert overall["recovery_low"] < 0.75 < overall["recovery_high"]

        owners = {row["owner"]: row for row in results.rows("owner")}
        assert (owners["hal"]["recovered"], owners["hal"]["recovery_eligible"]) == (2, 3)
        assert (owners["hal"]["closed_in_time"], owners["hal"]["due_known"]) == (2, 3)
        assert owners["hal"]["hours_to_contact_median"] == pytest.approx(2.0)
        assert (owners["bea"]["recovered"], owners["bea"]["recovery_eligible"]) == (1, 1)
        assert (owners["bea"]["closed_in_time"], owners["bea"]["due_known"]) == (0, 2)
        assert {row["unit"] for row in results.rows("unit")} == {"North", "South"}

        compared = results.comparison
        assert (compared["cases_recovered"], compared["cases_eligible"]) == (3, 4)
        assert (compared["comparison_recovered"], compared["comparison_eligible"]) == (1, 3)
        assert compared["difference"] == pytest.approx(0.75 - 1 / 3)
        _, low, high = newcombe_difference(3, 4, 1, 3)
        assert (compared["difference_low"], compared["difference_high"]) == pytest.approx(
            (low, high)
        )
        # A handler of North sees North's cases only.
        assert loop_results(ws.db, now=NOW, window_days=30, units=["North"]).overall["cases"] == 3


def test_newcombe_reproduces_the_published_intervals() -> None:
    # Newcombe (1998), Table II, method 10: (a) 56/70 - 48/80, (b) 9/10 - 3/10.
    assert [round(v, 4) for v in newcombe_difference(56, 70, 48, 80)] == [0.2, 0.0524, 0.3339]
    assert [round(v, 4) for v in newcombe_difference(9, 10, 3, 10)] == [0.6, 0.1705, 0.809]


def test_results_refuse_a_bad_window_or_grouping(duckdb_url: str) -> None:
    with advocacy.open(duckdb_url) as ws:
        with pytest.raises(UsageError):
            loop_results(ws.db, window_days=0)
        with pytest.raises(UsageError):
            loop_results(ws.db).rows("colour")
        assert loop_results(ws.db).overall["recovery_rate"] is None
