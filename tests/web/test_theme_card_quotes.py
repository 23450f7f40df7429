"""A theme card's quotes say what most of its customers feel (audit2 N9): the side most of its
texts read, whatever its NPS effect (which decides only when most read neutral)."""

from __future__ import annotations

from advocacy.present.web.pages.theme_cards import leaning


def test_a_mostly_negative_theme_is_quoted_with_complaints_whatever_its_effect() -> None:
    # The audit's "product / time": 62% negative, quoted with praise.
    mix = [("negative", 0.62), ("neutral", 0.02), ("positive", 0.36)]
    assert leaning(mix, 12.0, real=True) == "negative"
    assert leaning(mix, -12.0, real=True) == "negative"
    # Mostly neutral, which no quote shows: a detectable effect decides, else the larger side.
    neutral = [("negative", 0.21), ("neutral", 0.62), ("positive", 0.16)]
    assert leaning(neutral, 55.0, real=True) == "positive"
    assert leaning(neutral, 55.0) == "negative"


def test_the_effect_breaks_a_tie() -> None:
    even = [("negative", 0.3), ("neutral", 0.4), ("positive", 0.3)]
    assert leaning(even, -4.0) == "negative"
    assert leaning(even, 4.0) == "positive"
    assert leaning(even) == "positive"


def test_a_card_with_a_positive_effect_but_mostly_complaints_quotes_complaints() -> None:
    import pandas as pd

    from advocacy.access.roles import Principal, Role
    from advocacy.present.web.filters import Filters
    from advocacy.present.web.pages.theme_cards import _cards

    themes = pd.DataFrame(
        {
            "theme_id": ["discovered-01"],
            "name": ["product / time"],
            "size": [314],
            "keywords": [["product", "time"]],
            "sentiment_mix": [{"negative": 0.62, "neutral": 0.02, "positive": 0.36}],
            "effect": [12.0],
            "effect_low": [3.0],
            "effect_high": [21.0],
            "n_mentioning": [120],
        }
    )
    quotes = pd.DataFrame(
        {
            "theme_id": ["discovered-01"] * 2,
            "sentiment": ["negative", "positive"],
            "rank": [1, 1],
            "sentence": ["It broke after two days.", "My dogs are obsessed with them!"],
        }
    )
    [card] = _cards(themes, quotes, Principal("ana", Role.analyst), None, Filters())
    assert card.impact_word == "raises NPS"  # the effect is told beside the quotes ...
    assert card.quotes == ["It broke after two days."]  # ... which say what most feel
