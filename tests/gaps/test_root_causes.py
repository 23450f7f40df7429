"""The root-cause view: themes over-represented among a gap's unhappy comments, and touchpoints."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from advocacy.gaps.root_causes import CommentEvidence, root_cause_themes, theme_lift


def test_lift_on_a_worked_example() -> None:
    # 20 unhappy comments, 8 mention billing; 80 others, 8 mention billing.
    unhappy = {f"u{i}" for i in range(20)}
    rest = {f"r{i}" for i in range(80)}
    pairs = [(f"u{i}", "billing") for i in range(8)] + [(f"r{i}", "billing") for i in range(8)]
    pairs += [(f"u{i}", "queues") for i in range(5)]  # only unhappy customers raise it
    pairs += [(f"u{i}", "parking") for i in range(5)] + [(f"r{i}", "parking") for i in range(40)]
    pairs += [(f"u{i}", "rare") for i in range(2)]  # under the minimum of 5
    mentions = pd.DataFrame(pairs, columns=["response_id", "theme"])
    found = theme_lift(mentions, unhappy, rest)
    assert found == [
        {"theme": "billing", "n": 8, "share": 0.4, "rest_share": 0.1, "lift": 4.0, "excess": 6.0},
        {"theme": "queues", "n": 5, "share": 0.25, "rest_share": 0.0, "lift": None, "excess": 5.0},
    ]  # parking: share 0.25 against 0.5, under-represented


def test_a_rated_gap_looks_at_those_rating_it_below_expectation() -> None:
    comments = pd.DataFrame(
        {
            "response_id": ["a", "b", "c", "d"],
            "unit": ["N"] * 4,
            "nps": [9, 9, 9, 9],
            "negative": [False] * 4,
        }
    )
    ratings = pd.DataFrame(
        {
            "response_id": ["a", "a", "b", "b", "c", "c", "d"],
            "item": ["i1"] * 7,
            "dimension": ["reliability"] * 7,
            "kind": ["perception", "expectation"] * 3 + ["rating"],
            "value": [3.0, 6.0, 4.0, 5.0, 6.0, 5.0, 2.0],
            "scale_min": [1.0] * 7,
            "scale_max": [7.0] * 7,
        }
    )
    mentions = pd.DataFrame(
        {"response_id": ["a", "b", "d", "c"], "theme": ["late", "late", "late", "fine"]}
    )
    evidence = CommentEvidence(comments, mentions, ratings)
    # a and b fall short of their own expectation, d rates 2 on 1-7 (below the middle), c does not.
    found = root_cause_themes(evidence, "unit=N", subject="reliability", min_n=3)
    assert found == [
        {"theme": "late", "n": 3, "share": 1.0, "rest_share": 0.0, "lift": None, "excess": 3.0}
    ]
    # As an outcome gap nobody here is unhappy (all promoters, no negative comment).
    assert root_cause_themes(evidence, "unit=N", min_n=1) == []
    assert root_cause_themes(evidence, "unit=S", subject="reliability", min_n=1) == []


def test_the_planted_theme_is_the_root_cause_of_its_units_gap(db_url: str, tmp_path: Path) -> None:
    from gaps.theme_data import PLANTED, frames, workspace_with_themes

    with workspace_with_themes(db_url, tmp_path) as ws:
        register = ws.gaps.register()
    gaps = register.set_index("scope")
    north, south = gaps.loc["unit=North"], gaps.loc["unit=South"]
    answers = frames()["responses"]
    mentions = frames()["mentions"]
    scoped = answers[(answers.unit == "North") & (answers.comment != "")]
    unhappy = set(scoped.response_id[scoped.nps <= 6])
    rest = set(scoped.response_id) - unhappy
    planted = set(mentions.response_id[mentions.theme == PLANTED])
    share = len(planted & unhappy) / len(unhappy)
    rest_share = len(planted & rest) / len(rest)
    top = north.root_cause_themes[0]
    assert top["theme"] == PLANTED and top["n"] == len(planted & unhappy)
    assert top["share"] == pytest.approx(share, abs=5e-4)
    assert top["rest_share"] == pytest.approx(rest_share, abs=5e-4)
    assert top["lift"] == pytest.approx(share / rest_share, abs=5e-3)
    assert f"themes: {PLANTED} (lift" in north.root_causes
    assert PLANTED not in [row["theme"] for row in south.root_cause_themes]
    billing = north.root_cause_touchpoints[0]
    assert billing["touchpoint"] == "billing" and billing["n"] == 30
    assert "billing (NPS" in north.root_causes
