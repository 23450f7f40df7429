"""The CX maturity questionnaire: the template round trip, area scores, weakest areas."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from advocacy import InputError, maturity_questionnaire, score_maturity, write_maturity_template
from advocacy.gaps.maturity import maturity_statements, read_maturity_answers


def test_questionnaire_covers_the_eight_areas() -> None:
    areas = [area["name"] for area in maturity_questionnaire()["areas"]]
    assert areas == [
        "Strategy beyond loyalty metrics",
        "Outside-in process review",
        "Emotional connection",
        "Habit-forming design",
        "360-degree view of the customer",
        "Acting on what is heard",
        "Equipping people",
        "Aligned performance management",
    ]
    assert len(maturity_statements()) == 24


def test_filled_template_scores_into_a_profile(tmp_path: Path) -> None:
    path = write_maturity_template(tmp_path / "maturity.csv")
    frame = pd.read_csv(path)
    assert frame.score.isna().all()
    frame["score"] = 4.0
    frame.loc[frame.area == "acting", "score"] = [2, 1, 2]  # mean 5/3
    frame.loc[frame.area == "habit", "score"] = [2.0, 2.0, float("nan")]  # mean 2, one unanswered
    frame.to_csv(path, index=False)
    profile = score_maturity(read_maturity_answers(path))
    areas = profile.areas.set_index("area")
    assert areas.loc["acting", "score"] == pytest.approx(5 / 3)
    assert areas.loc["acting", "level"] == "Reactive"  # floor(1.67) = 1
    assert areas.loc["habit", "answered"] == 2 and areas.loc["habit", "level"] == "Emerging"
    assert profile.weakest == ["Acting on what is heard", "Habit-forming design"]
    assert profile.overall == pytest.approx((6 * 4 + 5 / 3 + 2) / 8)
    assert profile.level == "Structured"
    assert profile.answered == 23 and profile.statements == 24


def test_ties_name_every_weakest_area() -> None:
    answers = {statement: 3 for statement in maturity_statements().statement}
    answers.update({"strategy-1": 1, "people-1": 1, "emotion-1": 1})
    profile = score_maturity(answers, weakest=1)
    assert profile.weakest == [
        "Strategy beyond loyalty metrics",
        "Emotional connection",
        "Equipping people",
    ]


def test_bad_answers_are_refused() -> None:
    with pytest.raises(InputError, match="from 1 to 5"):
        score_maturity({"strategy-1": 7})
    with pytest.raises(InputError, match="unknown maturity statement 'nope'"):
        score_maturity({"nope": 3})
