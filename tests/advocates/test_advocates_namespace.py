"""``ws.advocates``: every advocacy analysis through the facade, on DuckDB and PostgreSQL.

The workspace is the hand-written story of ``conftest.py``; each method must give what the
library function gives on the same tables, with the workspace's settings.
"""

from __future__ import annotations

import pandas as pd
import pytest

import advocacy
from advocacy.advocates.behavior import behavior_by_band
from advocacy.advocates.evidence import LadderRules
from advocacy.advocates.ladder import advocacy_ladder
from advocacy.advocates.referrals import attribute_referrals
from advocacy.advocates.say_do import say_do_gap, silent_promoters
from advocacy.errors import UsageError

AS_OF = "2026-06-30"


def test_each_method_is_its_library_function_on_the_workspace(story: str) -> None:
    with advocacy.open(story) as ws:
        responses, referrals, mentions = (
            ws.table(name) for name in ("responses", "referrals", "mentions")
        )
        customers, transactions = ws.table("customers"), ws.table("transactions")
        rules = LadderRules(window_days=1000)
        pd.testing.assert_frame_equal(
            ws.advocates.ladder(as_of=AS_OF, rules=rules),
            advocacy_ladder(responses, referrals, mentions, transactions, as_of=AS_OF, rules=rules),
        )
        pd.testing.assert_frame_equal(
            ws.advocates.say_do(as_of=AS_OF, by="unit"),
            say_do_gap(responses, referrals, mentions, customers, as_of=AS_OF, by="unit"),
        )
        silent = ws.advocates.silent_promoters(as_of=AS_OF)
        pd.testing.assert_frame_equal(
            silent, silent_promoters(responses, referrals, mentions, customers, as_of=AS_OF)
        )
        assert list(silent["customer_id"]) == ["C"]
        pd.testing.assert_frame_equal(
            ws.advocates.referrals(), attribute_referrals(referrals, customers, transactions)
        )
        pd.testing.assert_frame_equal(
            ws.advocates.behavior(window_days=90, as_of=AS_OF),
            behavior_by_band(responses, transactions, referrals, window_days=90, as_of=AS_OF),
        )
        with pytest.raises(UsageError):
            ws.advocates.behavior(window_days=0)
        with pytest.raises(UsageError):
            ws.advocates.ladder(as_of="not a date")
