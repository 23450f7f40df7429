"""A survey without NPS gets each theme's effect on its own outcome: CSAT, else CES (audit4: a
CSAT-only survey got no theme effect anywhere). The listing (``ws.text.themes``) compares the
share satisfied (CSAT in its top two boxes) or easy (CES in the easy third of its scale) of the
commenters who mention a theme with that of the other commenters with content, in points with
Newcombe's interval, in its own ``outcome_*`` columns, never in the NPS ones.

Its change against the quarter before is that of the latest complete quarter (audit4: "vs last
quarter" set a quarter still under way against a whole one).
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pandas as pd
import pytest
from scipy import stats

import advocacy
from advocacy.text.catalogue import list_themes
from advocacy.text.themes import theme_share_impact
from support.outcome_surveys import answers, survey


def test_the_published_newcombe_example() -> None:
    """Newcombe (1998), Table II (a): 56/70 - 48/80 = 0.2000 [0.0524, 0.3339]."""
    mentions = pd.DataFrame({"theme": [True] * 70 + [False] * 80})
    hits = [1] * 56 + [0] * 14 + [1] * 48 + [0] * 32
    row = theme_share_impact(hits, mentions, commented=[True] * 150).iloc[0]
    assert [row["effect"], row["effect_low"], row["effect_high"]] == pytest.approx(
        [20.00, 5.24, 33.39], abs=0.005
    )
    pooled = 104 / 150
    z = 0.2 / math.sqrt(pooled * (1 - pooled) * (1 / 70 + 1 / 80))
    assert row["p_value"] == pytest.approx(2 * stats.norm.sf(z))
    # Frequency weights give the rows repeated.
    weighted = theme_share_impact(
        [1, 0, 1, 0], pd.DataFrame({"theme": [True, True, False, False]}), weights=[56, 14, 48, 32],
        commented=[True] * 4,
    ).iloc[0]  # fmt: skip
    assert weighted[["effect", "effect_low", "p_value"]].tolist() == pytest.approx(
        row[["effect", "effect_low", "p_value"]].tolist()
    )


def test_theme_share_impact_is_public_beside_theme_impact() -> None:
    assert advocacy.theme_share_impact is theme_share_impact
    assert {"theme_impact", "theme_share_impact"} <= set(advocacy.__all__)


@pytest.mark.parametrize(
    ("column", "low", "high", "outcome"), [("csat", 1, 5, "csat"), ("ces", 1, 7, "ces-easy")]
)
def test_a_survey_without_nps_gets_theme_effects_on_its_own_outcome(
    tmp_path: Path, db_url: str, column: str, low: int, high: int, outcome: str
) -> None:
    # CSAT 1-5: satisfied is 4-5; CES 1-7: easy is 5-7 (the metrics' own definitions).
    good, bad = (high, low)
    database = survey(
        tmp_path,
        column,
        answers(
            {
                "price": [bad] * 12 + [good] * 8,  # 8 of 20 reached it
                "delivery": [bad] * 16 + [good] * 4,  # 4 of 20
                "praise": [good] * 40 + [bad] * 10,  # 40 of 50, no theme
                "n/a": [bad] * 30,
                "blank": [bad] * 10,
            }
        ),
        url=db_url,  # DuckDB and PostgreSQL
    )
    with advocacy.open(database) as ws:
        themes = ws.text.themes().set_index("theme_id")
    assert themes["effect"].isna().all() if "effect" in themes else True  # no NPS effect
    assert set(themes["outcome"]) == {outcome}
    # Price against the other 70 commenters with content (delivery and praise): 44 reached it.
    price = themes.loc["curated:Price"]
    assert [price["outcome_n_mentioning"], price["outcome_n_not"]] == [20, 70]
    assert price["outcome_mentioning"] == pytest.approx(40.0)
    assert price["outcome_not"] == pytest.approx(100 * 44 / 70)
    assert price["outcome_effect"] == pytest.approx(40.0 - 100 * 44 / 70)
    delivery = themes.loc["curated:Delivery"]
    assert delivery["outcome_effect"] == pytest.approx(20.0 - 100 * 48 / 70)
    assert delivery["outcome_effect_high"] < 0  # beyond chance
    assert delivery["outcome_effect_low"] < delivery["outcome_effect"]


def test_nps_stays_the_outcome_when_answers_carry_one(tmp_path: Path) -> None:
    database = survey(
        tmp_path, "nps", answers({"price": [0, 3, 9, 10] * 5, "praise": [9, 10, 10, 4] * 10})
    )
    with advocacy.open(database) as ws:
        themes = ws.text.themes().set_index("theme_id")
    assert themes.loc["curated:Price", "effect"] == pytest.approx(
        themes.loc["curated:Price", "nps_mentioning"] - themes.loc["curated:Price", "nps_not"]
    )
    assert "outcome" not in themes


def test_the_change_is_the_latest_complete_quarter_against_the_one_before(tmp_path: Path) -> None:
    """Q2 and Q3 2026 are complete; Q4 is under way on 20 November (audit4's case)."""
    rows = (
        answers({"price": [3] * 5, "praise": [4] * 35}, "2026-05-15")
        + answers({"price": [3] * 20, "praise": [4] * 20}, "2026-09-28")
        + answers({"price": [3] * 10}, "2026-10-10")
    )
    database = survey(tmp_path, "csat", rows)
    with advocacy.open(database) as ws:
        listed = ws.text.themes().set_index("theme_id")  # today: Q4 is partial whenever it is
        themes = list_themes(ws.db, today=dt.date(2026, 11, 20)).set_index("theme_id")
        in_december = list_themes(ws.db, today=dt.date(2027, 1, 10)).set_index("theme_id")
    # Not Q4's 10 of 10 against Q3's 20 of 40, but Q3 against Q2's 5 of 40.
    assert listed.loc["curated:Price", "change_points"] == pytest.approx(100 * (20 / 40 - 5 / 40))
    price = themes.loc["curated:Price"]
    assert price["quarter"] == "2026 Q3"
    assert price["change_points"] == pytest.approx(100 * (20 / 40 - 5 / 40))
    assert price["change_low"] < price["change_points"] < price["change_high"]
    assert price["change_low"] > 0 and bool(price["emerging"])
    # Once Q4 has ended it is not complete either: its answers stop on 10 October.
    assert in_december.loc["curated:Price", "quarter"] == "2026 Q3"


def test_the_engine_path_gives_the_listings_csat_effects(tmp_path: Path) -> None:
    """``engine_theme_impact(outcome="csat")`` (the path Spark runs) counts on the engine and
    gives the listing's numbers."""
    from advocacy.text.theme_aggregates import engine_theme_impact

    database = survey(
        tmp_path,
        "csat",
        answers(
            {
                "price": [2] * 12 + [5] * 8,
                "delivery": [1] * 16 + [4] * 4,
                "praise": [5] * 40 + [2] * 10,
                "n/a": [3] * 30,
                "blank": [3] * 10,
            }
        ),
    )
    with advocacy.open(database) as ws:
        listing = ws.text.themes().set_index("theme_id")
        responses, links = ws.db.ibis.table("responses"), ws.db.ibis.table("document_themes")
        engine = engine_theme_impact(responses, links, outcome="csat").set_index("theme")
    columns = ["n_mentioning", "n_not", "effect", "effect_low", "effect_high", "p_value"]
    for theme in ("curated:Price", "curated:Delivery"):
        assert engine.loc[theme, columns].tolist() == pytest.approx(
            listing.loc[theme, [f"outcome_{column}" for column in columns]].tolist()
        )
    assert engine.loc["curated:Price", "share_mentioning"] == pytest.approx(40.0)
