"""The 0/1 theme-mention matrix and the choice of independent theme drivers (in memory)."""

from __future__ import annotations

import ibis
import pandas as pd

from advocacy.drivers.theme_drivers import independent_drivers, theme_mentions


def tables() -> tuple[object, object, object]:
    responses = pd.DataFrame(
        {
            "response_id": ["a", "b", "c", "d", "e", "f"],
            "unit": ["N", "N", "N", "S", "S", "S"],
            "touchpoint": ["x"] * 6,
            "nps": [2, 9, 3, 10, 8, None],
            "comment": ["slow", "nice", "  ", "nice, slow", None, "slow"],
        }
    )
    links = pd.DataFrame(
        {
            "document_kind": ["response"] * 6 + ["mention"],
            "document_id": ["a", "b", "d", "d", "a", "f", "b"],
            "theme_id": ["t1", "t2", "t2", "t1", "t3", "t1", "t1"],
        }
    )
    themes = pd.DataFrame({"theme_id": ["t1", "t2", "t3"], "name": ["Slow", "Nice", "Rare"]})
    return ibis.memtable(responses), ibis.memtable(links), ibis.memtable(themes)


def test_mentions_are_zero_one_per_commenting_respondent() -> None:
    responses, links, themes = tables()
    frame = theme_mentions(responses, links, themes, min_mentions=1).sort_values("response_id")
    # c has a blank comment and e none: left out; f has no NPS; the mention row is not a response.
    assert list(frame.response_id) == ["a", "b", "d"]
    assert frame.attrs["without_comment"] == 2
    assert frame.attrs["drivers"] == ["Slow", "Nice", "Rare"]  # t1 before t2 on a tie
    assert list(frame["Slow"]) == [1.0, 0.0, 1.0] and list(frame["Nice"]) == [0.0, 1.0, 1.0]
    assert list(frame["Rare"]) == [1.0, 0.0, 0.0]
    capped = theme_mentions(responses, links, themes, min_mentions=2)
    assert capped.attrs["drivers"] == ["Slow", "Nice"]  # Rare has one mention
    assert capped.attrs["mentions"] == {"Slow": 2, "Nice": 2}


def test_constant_and_duplicated_themes_are_left_out() -> None:
    frame = pd.DataFrame(
        {
            "rating": [1.0, 2.0, 3.0, 4.0, 5.0],
            "everyone": [1.0] * 5,
            "parent": [1.0, 0.0, 1.0, 0.0, 0.0],
            "child": [1.0, 0.0, 1.0, 0.0, 0.0],
            "other": [0.0, 1.0, 1.0, 0.0, 1.0],
        }
    )
    kept = independent_drivers(frame, ["rating"], ["everyone", "parent", "child", "other"])
    assert kept == ["rating", "parent", "other"]
