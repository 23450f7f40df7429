"""Theme impact arithmetic, emerging themes and discovery on texts whose themes we know."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from advocacy.metrics import nps_from_counts
from advocacy.text.embeddings import default_embedder
from advocacy.text.theme_names import QUOTE_CHARACTERS, class_tfidf, shorten
from advocacy.text.themes import discover_themes, emerging_themes, theme_impact


def test_impact_by_hand() -> None:
    # Mentioning: 9, 10, 3, 7 -> 2 promoters, 1 detractor of 4 -> NPS +25.
    # Not mentioning: 0, 2, 9, 8, 6, 10 -> 2 promoters, 3 detractors of 6 -> NPS -16.67.
    nps = np.array([9, 10, 3, 7, 0, 2, 9, 8, 6, 10])
    mentions = pd.DataFrame({"delivery": [True] * 4 + [False] * 6})
    [row] = theme_impact(nps, mentions, commented=[True] * 10).to_dict("records")
    assert (row["n_mentioning"], row["n_not"]) == (4, 6)
    assert row["nps_mentioning"] == pytest.approx(25.0)
    assert row["nps_not"] == pytest.approx(-100 / 6)
    assert row["effect"] == pytest.approx(25.0 + 100 / 6)
    # Adjusted Wald (Rocks 2016), worked by hand: each side gains 0.75 / 1.5 / 0.75.
    # In: (1.75, 2.5, 2.75) of 7 -> 1/7, Var = 0.642857 - (1/7)^2 = 0.622449, SE^2 = 0.088921.
    # Out: (3.75, 2.5, 2.75) of 9 -> -1/9, Var = 0.722222 - (1/9)^2 = 0.709877, SE^2 = 0.078875.
    # Difference 25.3968 +/- 1.959964 * 100 * sqrt(0.167796) = 25.3968 +/- 80.2858.
    assert row["effect_low"] == pytest.approx(-54.8890, abs=1e-3)
    assert row["effect_high"] == pytest.approx(105.6826, abs=1e-3)
    assert row["p_value"] == pytest.approx(0.5350, abs=1e-3)  # z = 25.3968 / 40.9629 = 0.620


@pytest.mark.parametrize(
    ("inside", "outside"),
    [([10], [0]), ([10] * 3, [0] * 3), ([0] * 5, [10] * 5), ([9, 10], [10, 9, 9])],
)
def test_small_or_one_band_sides_never_give_a_zero_width_interval(
    inside: list[int], outside: list[int]
) -> None:
    # Reportfix review D1: the plain Wald SE of a side that is all one band is 0, so 1 promoter
    # against 1 detractor gave +200 [200, 200] and p NaN, printed as a certainty.
    nps = np.array(inside + outside)
    mentions = pd.DataFrame({"theme": [True] * len(inside) + [False] * len(outside)})
    [row] = theme_impact(nps, mentions, commented=[True] * len(nps)).to_dict("records")
    assert row["effect_high"] - row["effect_low"] > 50
    assert -200 <= row["effect_low"] < row["effect_high"] <= 200
    assert 0 < row["p_value"] <= 1
    if len(inside) == 1:  # one respondent a side: too few to tell either way
        assert row["effect_low"] < 0 < row["effect_high"]


def test_respondents_without_a_score_are_on_neither_side() -> None:
    # Reportfix review S3: a NaN score counted in n_mentioning but in no band (n 2, NPS of 1).
    mentions = pd.DataFrame({"theme": [True, True, False, False]})
    [row] = theme_impact([10, np.nan, 0, 5], mentions, commented=[True] * 4).to_dict("records")
    assert (row["n_mentioning"], row["n_not"]) == (1, 2)
    assert (row["nps_mentioning"], row["nps_not"]) == (100.0, -100.0)


def test_five_detractors_against_many_is_not_a_certainty() -> None:
    # Reportfix review D1: 5 mentioners, all detractors, against 200 mixed commenters read
    # -118.5 [-129.9, -107.1], p = 1e-91, while those 5 alone have an NPS interval of [-100, -17].
    rng = np.random.default_rng(0)
    others = list(rng.choice([0, 5, 7, 8, 9, 10], size=200, p=[0.15, 0.15, 0.15, 0.15, 0.2, 0.2]))
    mentions = pd.DataFrame({"small": [True] * 5 + [False] * 200})
    [row] = theme_impact([0] * 5 + others, mentions, commented=[True] * 205).to_dict("records")
    alone = nps_from_counts(5, 0, 0)
    assert row["effect_high"] - row["effect_low"] >= (alone.ci_high - alone.ci_low) * 0.9
    assert row["effect_low"] < row["effect"] < row["effect_high"] < 0
    assert 1e-5 < row["p_value"] < 0.01


def test_respondents_without_content_are_not_the_baseline() -> None:
    # Audit finding 4: 60 respondents who wrote nothing (or "n/a") used to be the baseline, so
    # a theme whose mentioners score below the other commenters read as a promoter driver
    # (billing: -25 against -50 gave +25).
    complaints = [0, 3, 6, 9, 10, 8, 5, 7]  # NPS -25
    praise = [10, 9, 9, 10, 8, 7, 9, 6]  # NPS +50
    silent = [5, 8] * 30  # NPS -50
    nps = np.array(complaints * 2 + praise * 2 + silent)
    mentions = pd.DataFrame(
        {
            "billing": [True] * 16 + [False] * 76,
            "staff": [False] * 16 + [True] * 16 + [False] * 60,
        }
    )
    table = theme_impact(nps, mentions).set_index("theme")
    assert table.loc["billing", "nps_mentioning"] == pytest.approx(-25.0)
    assert table.loc["billing", "nps_not"] == pytest.approx(50.0)
    assert table.loc["billing", "effect"] == pytest.approx(-75.0)
    assert table.loc["billing", "effect_high"] < 0
    assert table.loc["staff", "effect"] == pytest.approx(75.0)
    assert table["n_not"].tolist() == [16, 16]
    # Saying who commented gives the same numbers, and the silent rows change nothing.
    commented = [True] * 32 + [False] * 60
    explicit = theme_impact(nps, mentions, commented=commented).set_index("theme")
    pd.testing.assert_frame_equal(explicit, table)


def test_effects_agree_with_nps_in_and_out() -> None:
    rng = np.random.default_rng(1)
    n = 4000
    price = rng.random(n) < 0.3
    delivery = rng.random(n) < 0.3
    # Price: 20% promoters, 40% detractors (NPS -20); the rest 50% and 20% (NPS +30).
    promoter = rng.random(n) < np.where(price, 0.2, 0.5)
    detractor = ~promoter & (rng.random(n) < np.where(price, 0.5, 0.2 / 0.5))
    nps = np.where(promoter, 10, np.where(detractor, 0, 8))
    table = theme_impact(
        nps, pd.DataFrame({"price": price, "delivery": delivery}), commented=np.ones(n, bool)
    ).set_index("theme")
    assert table.loc["price", "effect_low"] < -50 < table.loc["price", "effect_high"]
    assert table.loc["delivery", "effect_low"] < 0 < table.loc["delivery", "effect_high"]
    difference = table["nps_mentioning"] - table["nps_not"]
    assert np.allclose(table["effect"], difference)
    assert (table["p_value"] < 0.05).tolist() == [True, False]


def test_emerging_themes_need_a_significant_rise() -> None:
    current = pd.DataFrame(
        {"app": [True] * 60 + [False] * 140, "staff": [True] * 20 + [False] * 180}
    )
    previous = pd.DataFrame(
        {"app": [True] * 20 + [False] * 180, "staff": [True] * 22 + [False] * 178}
    )
    table = emerging_themes(current, previous).set_index("theme")
    assert table.loc["app", "change_points"] == pytest.approx(20.0)
    assert bool(table.loc["app", "emerging"]) and not bool(table.loc["staff", "emerging"])


def test_class_tfidf_labels_clusters_by_their_own_words() -> None:
    texts = ["late delivery again", "delivery was late", "rude staff member", "staff were rude"]
    labels = class_tfidf(texts, np.array([0, 0, 1, 1]), 2, top=2)
    assert set(labels[0]) <= {"late", "delivery", "late delivery", "delivery late"}
    assert "rude" in labels[1] or "staff" in labels[1]


def test_discovery_finds_planted_themes() -> None:
    delivery = [
        f"my parcel delivery was {w} late, the courier never came"
        for w in ("very", "so", "really", "again")
    ]
    billing = [
        f"I was charged {w} for one order, refund the payment"
        for w in ("twice", "double", "again", "wrongly")
    ]
    texts = (delivery + billing) * 5
    themes = discover_themes(
        texts, default_embedder().embed(texts), n_themes=2, sentiments=["negative"] * 40
    )
    groups = [{texts[i][:5] for i in theme.members} for theme in themes]
    assert sorted(map(sorted, groups)) == [["I was"], ["my pa"]]
    assert all(theme.size == 20 and theme.sentiment_mix == {"negative": 1.0} for theme in themes)


def _planted() -> list[str]:
    delivery = [
        f"my parcel delivery was {w} late, the courier never came"
        for w in ("very", "so", "really", "again")
    ]
    billing = [
        f"I was charged {w} for one order and need a refund of the payment"
        for w in ("twice", "double", "again", "wrongly")
    ]
    placeholders = ["N/A", "Nothing", "Did not answer", "n/a", "-", "nothing."]
    return (delivery + billing) * 5 + placeholders * 8


def test_asking_for_more_themes_than_different_texts_gives_one_per_text() -> None:
    texts = ["the parcel came late"] * 10 + ["I was charged twice"] * 10 + ["lovely staff"] * 5
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # k-means warns when asked for more clusters than points
        themes = discover_themes(texts, default_embedder().embed(texts), n_themes=12)
    assert sorted(theme.size for theme in themes) == [5, 10, 10]


def test_non_answers_never_form_or_join_a_theme() -> None:
    texts = _planted()
    themes = discover_themes(texts, default_embedder().embed(texts), n_themes=3)
    members = [texts[int(i)] for theme in themes for i in theme.members]
    assert len(members) == 40  # the 48 placeholders are in no theme
    assert not {"N/A", "Nothing", "Did not answer", "n/a", "-", "nothing."} & set(members)


def test_discovered_themes_are_named_by_phrases_and_a_central_quote() -> None:
    texts = _planted()
    themes = discover_themes(texts, default_embedder().embed(texts), n_themes=2)
    for theme in themes:
        phrases = theme.label.split(" / ")
        assert 1 <= len(phrases) <= 2
        assert theme.quote in {" ".join(text.split()) for text in texts}
    # Names read as phrases where the texts have one that no stop word opens or ends ("parcel
    # delivery"); the billing texts' phrases all do ("need a refund", "charged twice").
    assert "parcel delivery" in {p for theme in themes for p in theme.label.split(" / ")}
    labels = {theme.label for theme in themes}
    words = {word for label in labels for word in label.replace(" / ", " ").split()}
    assert {"courier", "parcel", "late"} & words and {"refund", "charged", "payment"} & words
    assert not words & {"the", "was", "for", "of", "my", "and"}  # no stop word opens or ends


def test_names_skip_each_languages_stop_words_and_quotes_are_cut_at_a_word() -> None:
    german = [
        f"Die Lieferung kam {w} zu spät und der Karton war kaputt"
        for w in ("leider", "wieder", "heute", "erneut")
    ]
    texts = german * 3
    [names] = class_tfidf(texts, np.zeros(len(texts), int), 1, languages=["de"] * len(texts))
    assert names and not {"die", "und", "der", "zu"} & set(names[0].split())
    long = "word " * 200 + "end"
    quote = shorten(long)
    assert len(quote) <= QUOTE_CHARACTERS and quote.endswith("word…")


def test_portuguese_reviews_are_named_by_what_they_are_about() -> None:
    # Olist-like reviews: the function words that named Portuguese themes ("porém / pois",
    # "sempre / tudo") before the lists were completed are never a name.
    texts = [
        f"{start} a entrega atrasou {end}, porém o produto chegou {extra}"
        for start, end, extra in [
            ("Ainda", "muito", "bem embalado"),
            ("Sempre", "pois", "tudo certo"),
            ("Agora", "mesmo", "sem defeito"),
            ("Depois", "ainda", "inteiro"),
        ]
    ] * 3
    [names] = class_tfidf(texts, np.zeros(len(texts), int), 1, languages=["pt"] * len(texts))
    words = {word for name in names for word in name.split()}
    assert words and not {"porém", "pois", "ainda", "sempre", "tudo", "agora", "mesmo"} & words
    assert {"entrega", "produto"} & words


def test_a_name_never_says_one_word_twice_in_two_spellings() -> None:
    texts = [
        "the price is too high",
        "prices went up again",
        "price and prices everywhere, too expensive",
        "prices are expensive",
        "the staff were kind",
        "friendly staff",
        "staff member was lovely",
        "kind staff at the desk",
    ]
    names = class_tfidf(texts, np.array([0, 0, 0, 0, 1, 1, 1, 1]), 2)
    assert names[0][:2] == ["prices", "expensive"]
    assert not {"price", "prices"} <= set(names[0])
