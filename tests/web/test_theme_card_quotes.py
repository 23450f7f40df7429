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
            "p_value": [0.004],
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
    # The effect is told beside the quotes ...
    assert card.impact_word == "raises NPS, beyond chance after Holm over 1 theme"
    assert card.quotes == ["It broke after two days."]  # ... which say what most feel


def test_a_card_of_unread_texts_says_no_sentiment_and_a_partly_read_one_says_how_much() -> None:
    # Audit finding 3 on the web: a theme of Portuguese reviews (not read) showed "0% negative
    # · 0% neutral · 0% positive"; a partly read theme's shares were over all its texts.
    import pandas as pd
    import pytest

    from advocacy.access.roles import Principal, Role
    from advocacy.present.web.filters import Filters
    from advocacy.present.web.pages.theme_cards import _cards

    themes = pd.DataFrame(
        {
            "theme_id": ["discovered-01", "discovered-02"],
            "name": ["entrega / prazo", "delivery / time"],
            "size": [400, 200],
            "keywords": [["entrega"], ["delivery"]],
            "sentiment_mix": [
                {"no sentiment": 1.0},
                {"negative": 0.3, "positive": 0.1, "no sentiment": 0.6},
            ],
            "effect": [None, None],
            "effect_low": [None, None],
            "effect_high": [None, None],
            "n_mentioning": [0, 0],
        }
    )
    quotes = pd.DataFrame(columns=["theme_id", "sentiment", "rank", "sentence"])
    unread, partly = _cards(themes, quotes, Principal("ana", Role.analyst), None, Filters())
    assert unread.read == 0.0
    assert partly.read == 0.4
    assert dict(partly.mix) == pytest.approx({"negative": 0.75, "neutral": 0.0, "positive": 0.25})
    assert partly.leaning == "negative"


def test_a_theme_mostly_unread_is_quoted_by_its_central_texts_and_few_reads_give_counts() -> None:
    # Audit 3, F2: a theme of 105 Japanese reviews was quoted by the one English row among
    # them (a hostile one) and drawn as a full bar, "100% positive of the 1% read".
    import pandas as pd

    from advocacy.access.roles import Principal, Role
    from advocacy.present.web.filters import Filters
    from advocacy.present.web.pages.theme_cards import _cards

    themes = pd.DataFrame(
        {
            "theme_id": ["discovered-01", "discovered-02"],
            "name": ["商品 / 動作", "delivery / time"],
            "size": [105, 200],
            "keywords": [["商品"], ["delivery"]],
            "sentiment_mix": [
                {"positive": 0.01, "no sentiment": 0.99},
                {"negative": 0.45, "positive": 0.15, "no sentiment": 0.4},
            ],
            "quotes": [["商品が届かない。", "動作しません。"], ["Late again.", "Slow."]],
            "effect": [None, None],
            "effect_low": [None, None],
            "effect_high": [None, None],
            "n_mentioning": [0, 0],
        }
    )
    quotes = pd.DataFrame(
        {
            "theme_id": ["discovered-01", "discovered-02"],
            "sentiment": ["positive", "negative"],
            "rank": [1, 1],
            "sentence": ["=HYPERLINK(x) refund please, great", "The parcel came a week late."],
        }
    )
    unread, partly = sorted(
        _cards(themes, quotes, Principal("ana", Role.analyst), None, Filters()),
        key=lambda card: card.name != "商品 / 動作",
    )
    assert unread.central and unread.quotes == ["商品が届かない。", "動作しません。"]
    assert unread.read_count == 1 and unread.few_read
    assert unread.counts() == [("negative", 0), ("neutral", 0), ("positive", 1)]
    # 60% of 200 read: enough for shares, and quoted by what was read.
    assert not partly.central and not partly.few_read and partly.read_count == 120
    assert partly.quotes == ["The parcel came a week late."]
