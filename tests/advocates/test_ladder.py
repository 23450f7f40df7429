"""Ladder rules, the say-do arithmetic and silent promoters on DuckDB and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

import advocacy
from advocacy.advocates.evidence import LadderRules
from advocacy.advocates.ladder import ladder_counts
from advocacy.errors import UsageError

AS_OF = "2026-06-30"  # the moment the story in conftest.py describes


def test_each_customer_lands_on_the_rung_the_rules_say(story: str) -> None:
    with advocacy.open(story) as ws:
        ladder = ws.advocates.ladder(as_of=AS_OF).set_index("customer_id")
    assert ladder["rung"].to_dict() == {
        "A": "champion",
        "B": "advocate",
        "C": "promoter",
        "D": "passive",
        "E": "detractor",
        "F": "advocate",
    }
    assert ladder.at["A", "reason"] == (
        "1 referral, 1 converted in the last 365 days; NPS 10 on 2026-01-10"
    )
    assert ladder.at["C", "reason"] == (
        "NPS 10 on 2026-01-20; no referral or positive review in the last 365 days"
    )
    assert ladder.at["E", "risk_reason"] == "NPS fell from 9 to 3"
    # 2025-03-01 10:00 UTC to the end of 2026-06-30: 486.6 days
    assert ladder.at["A", "at_risk"] and "no purchase for 487 days" in ladder.at["A", "risk_reason"]
    assert not ladder.at["C", "at_risk"]


def test_rules_change_the_placement(story: str) -> None:
    with advocacy.open(story) as ws:
        only_referrals = ws.advocates.ladder(as_of=AS_OF, rules=LadderRules(count_reviews=False))
        longer = ws.advocates.ladder(as_of=AS_OF, rules=LadderRules(window_days=1000))
    assert only_referrals.set_index("customer_id").at["B", "rung"] == "promoter"
    wide = longer.set_index("customer_id")["rung"]
    # a 1000-day window reaches H's 2024 answer and referrals, and G's 2025 code referral
    assert (wide["H"], wide["G"], wide["B"]) == ("advocate", "advocate", "advocate")
    counts = ladder_counts(only_referrals).set_index("rung")["customers"].to_dict()
    assert counts == {"champion": 1, "advocate": 1, "promoter": 2, "passive": 1, "detractor": 1}
    with pytest.raises(UsageError, match="nothing counts"):
        LadderRules(count_referrals=False, count_reviews=False)


def test_say_do_gap_counts_promoters_who_acted_within_the_window(story: str) -> None:
    with advocacy.open(story) as ws:
        overall = ws.advocates.say_do(as_of=AS_OF, window_days=90).iloc[0]
        by_unit = ws.advocates.say_do(as_of=AS_OF, window_days=90, by="unit").set_index("unit")
        by_segment = ws.advocates.say_do(as_of=AS_OF, by="segment").set_index("segment")
    # promoter answers with a complete 90-day window: A, B, C, E (2025-12), F, H (2024);
    # A referred within 22 days and B reviewed within 45; F's referral came after 130 days
    assert (overall["promoters"], overall["advocated"], overall["referred"]) == (6, 2, 1)
    assert overall["say_do"] == pytest.approx(1 / 3)
    assert overall["gap"] == pytest.approx(2 / 3)
    # the Wilson 95 % interval for 2 of 6
    assert (round(overall["say_do_low"], 4), round(overall["say_do_high"], 4)) == (0.0968, 0.7000)
    assert by_unit.loc["North", ["promoters", "advocated"]].tolist() == [4, 2]
    assert by_unit.loc["South", ["promoters", "advocated"]].tolist() == [2, 0]
    assert by_segment.loc["business", "promoters"] == 1


def test_say_do_by_period_and_a_longer_window(story: str) -> None:
    with advocacy.open(story) as ws:
        quarters = ws.advocates.say_do(as_of=AS_OF, window_days=90, period="quarter")
        longer = ws.advocates.say_do(as_of=AS_OF, window_days=135).iloc[0]
    assert [str(p)[:10] for p in quarters["period"]] == ["2024-01-01", "2025-10-01", "2026-01-01"]
    assert quarters["promoters"].tolist() == [1, 1, 4]
    # with 135 days F's referral counts (F's window ends 2026-06-25, before "as of")
    assert (longer["promoters"], longer["advocated"]) == (6, 3)


def test_silent_promoters_are_the_promoters_who_did_nothing(story: str) -> None:
    with advocacy.open(story) as ws:
        silent = ws.advocates.silent_promoters(as_of=AS_OF)
    assert silent["customer_id"].tolist() == ["C"]
    assert silent.loc[0, ["name", "email", "segment"]].tolist() == [
        "Cy",
        "c@example.com",
        "business",
    ]


def test_an_unrated_review_that_reads_positive_counts(story: str, tmp_path: Path) -> None:
    # D (a passive) posts a review without stars; its text analysis reads it as praise.
    review = tmp_path / "review.csv"
    review.write_text(
        "mention_id,platform,customer_id,posted_at,text\n"
        "M3,facebook,D,2026-04-01T10:00:00Z,Absolutely love this shop. The staff are wonderful!\n",
        encoding="utf-8",
    )
    with advocacy.open(story) as ws:
        assert ws.import_file(review, kind="mentions").rows_loaded == 1
        before = ws.advocates.ladder(as_of=AS_OF).set_index("customer_id")
        ws.text.analyze()
        features = ws.text.features().set_index(["document_kind", "document_id"])
        after = ws.advocates.ladder(as_of=AS_OF).set_index("customer_id")
    assert before.at["D", "rung"] == "passive"  # a text not analysed yet is no deed
    assert features.at[("mention", "M3"), "sentiment"] == "positive"
    assert after.at["D", "rung"] == "advocate"
    assert after.at["D", "reason"].startswith("1 positive review(s) in the last 365 days")
