"""A theme about a quality customers praise keeps that quality's name (review23 item 4).

Generic praise ("nice", "love", "great", "perfect") never names a theme. Milder praise that is a
quality ("comfortable", German "bequem") names the cluster that is about it, and an English word
in -ly names a theme when the cluster is about it ("monthly fee"), while adverbs said everywhere
("absolutely", "finally") do not. All texts are written for these tests.
"""

from __future__ import annotations

import numpy as np

from advocacy.text.phrases import fold
from advocacy.text.theme_names import class_tfidf

GENERIC = {"nice", "love", "loves", "great", "perfect", "perfectly"}

COMFORT = [
    "So comfortable I wear them all day",
    "Very comfortable shoes, nice soles",
    "Comfortable from the first day, great",
    "The most comfortable pair I own",
    "Comfortable and light, I love them",
    "Comfortable even on long walks",
    "Not as comfortable as my old pair",
    "Comfortable but the laces are short",
]
SIZE = [
    "Runs small, order a size up",
    "The size is too small, nice colour though",
    "Had to return them, size too big",
    "Size chart is wrong, runs small",
    "Great shoe but the size runs large",
    "Order one size up, the toe box is narrow",
    "Size is off, I love the colour",
    "Too small, the size guide was wrong",
]
# Every text of this cluster says "nice": generic praise, never its name.
NICE = [
    "Nice box, the parcel came late",
    "Nice packing but the parcel was late",
    "Parcel was late, nice note inside",
    "Nice, though the parcel arrived a week late",
    "The parcel came late. Nice wrapping",
    "Nice seller, the parcel was late",
]


def _words(phrases: list[str]) -> set[str]:
    return {fold(word) for phrase in phrases for word in phrase.split()}


def test_a_comfort_cluster_is_named_by_comfort_generic_praise_never_names() -> None:
    texts = COMFORT + SIZE + NICE
    assignment = np.repeat([0, 1, 2], [len(COMFORT), len(SIZE), len(NICE)])
    comfort, size, parcel = class_tfidf(texts, assignment, 3)
    assert comfort[0] == "comfortable"  # main: "day" ("comfortable" was read as praise)
    assert "size" in size
    assert "parcel" in parcel
    assert not GENERIC & _words(comfort + size + parcel)


def test_a_quality_said_in_every_cluster_does_not_name_one() -> None:
    # A guard (passes on main too): the praise filter still holds where praise is not the topic.
    # "comfortable" in a third of every cluster's texts says nothing of any one of them.
    texts = COMFORT[:3] + SIZE + ["Comfortable, " + text for text in SIZE[:3]] + SIZE[3:]
    assignment = np.repeat([0, 1], [3 + len(SIZE), 3 + len(SIZE[3:])])
    first, second = class_tfidf(texts, assignment, 2)
    assert "comfortable" not in first + second


def test_german_bequem_names_the_cluster_about_comfort() -> None:
    comfort = [
        "Sehr bequem, ich trage die Schuhe jeden Tag",
        "Bequem und leicht",
        "Die Schuhe sind bequem, auch nach Stunden",
        "Bequem, aber die Sohle ist hart",
        "Super bequem beim Laufen",
        "Bequem wie Hausschuhe",
    ]
    delivery = [
        "Die Lieferung kam zu spät",
        "Lieferung dauerte zwei Wochen",
        "Lieferung beschädigt angekommen",
        "Die Lieferung war pünktlich",
        "Lieferung ohne Rechnung",
        "Lieferung ging an den Nachbarn",
    ]
    first, second = class_tfidf(comfort + delivery, np.repeat([0, 1], 6), 2, languages=["de"] * 12)
    assert first[0] == "bequem"  # main: "schuhe"
    assert second[0] == "lieferung"


def test_a_monthly_fee_names_its_theme_adverbs_said_everywhere_do_not() -> None:
    fees = [
        "The monthly fee went up again",
        "Why is there finally a monthly fee on a basic account",
        "Charged the monthly fee twice",
        "Absolutely unfair monthly fee",
        "The monthly fee is absolutely not explained anywhere",
        "Finally found where the monthly fee is listed",
    ]
    cards = [
        "The card finally arrived after three weeks",
        "Absolutely no card in the post",
        "My card was declined at the shop",
        "The card stopped working abroad",
        "Card finally activated, absolutely slow",
        "Card arrived perfectly fine but the pin did not",
    ]
    # "absolutely" and "finally" are said by two texts of each cluster.
    fee, card = class_tfidf(fees + cards, np.repeat([0, 1], 6), 2)
    assert fee[0] == "monthly fee"  # main: "fee" (an -ly word never named)
    assert "card" in card
    assert not {"absolutely", "finally", "perfectly"} & _words(fee + card)


def test_a_phrase_whose_extension_repeats_the_name_is_named_unextended() -> None:
    # "easy to install" names the cluster; "assemble" is said only as "easy to assemble", which
    # would say "easy" twice, so it follows unextended (before: dropped, one phrase left).
    setup = [
        "Easy to install, took ten minutes",
        "Really easy to install on the wall",
        "Easy to install and easy to assemble",
        "Easy to assemble, the screws were included",
        "Easy to install, the manual is clear",
        "Easy to assemble with one tool",
        "Easy to install even alone",
        "Easy to use once set up",
    ]
    broken = [
        "It broke after a week",
        "Broke the first time I used it",
        "The handle broke off",
        "Stopped working and then broke",
        "Broke in the box",
        "The hinge broke within a month",
    ]
    first, second = class_tfidf(setup + broken, np.repeat([0, 1], [8, 6]), 2)
    assert first[:2] == ["easy to install", "assemble"]  # main: "install", "assemble"
    assert second[0] == "broke"
