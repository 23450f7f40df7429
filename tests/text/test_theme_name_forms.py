"""A discovered theme's name counts a word's forms as one word (names lane follow-up).

"sleeve" in 7 texts and "sleeves" in 17 were counted apart, so a word said by fewer texts
could rank above them, and names said one thing twice: "knife / knives", "voter / vote",
Portuguese "otimo / otima" and "produto entregue / entrega". All texts are our own.
"""

from __future__ import annotations

import numpy as np

from advocacy.text.phrase_forms import phrase_forms
from advocacy.text.theme_names import class_tfidf
from support.theme_texts import PARCEL


def _named(texts: list[str], language: str | None = None) -> list[str]:
    """The key phrases of ``texts`` as one theme beside the parcel theme."""
    both = texts + PARCEL
    assignment = np.repeat([0, 1], [len(texts), len(PARCEL)])
    phrases, _ = class_tfidf(
        both, assignment, 2, languages=[language] * len(texts) + ["en"] * len(PARCEL)
    )
    return phrases


def test_the_forms_of_a_word_are_counted_together_and_shown_as_written_most() -> None:
    # "hem" is in 4 texts; "sleeves" in 3 and "sleeve" in 2: the sleeves are said by 5.
    blouse = [
        "The sleeves are too long for me",
        "Lovely fabric but the sleeves bunch up",
        "Had to roll the sleeves twice",
        "One sleeve was stitched crooked",
        "The left sleeve is longer",
        "The hem came undone after a wash",
        "Uneven hem at the back",
        "The hem is frayed",
        "Hem sits too low",
    ]
    phrases = _named(blouse)
    assert phrases[0] == "sleeves"
    assert "sleeve" not in phrases and "hem" in phrases


def test_a_name_never_says_one_word_twice() -> None:
    knives = [
        "The knives went blunt in a month",
        "Knife handle cracked",
        "The knives rust in the dishwasher",
        "This knife will not hold an edge",
        "Two of the knives arrived bent",
        "The bread knife tears the loaf",
    ]
    assert len({"knife", "knives"} & set(_named(knives))) == 1
    # "voter" is not a form of "vote", but "voter / vote" still says one thing twice.
    voting = [
        "Every voter deserves a short queue",
        "The vote count took all night",
        "A voter waited three hours",
        "They lost my postal vote",
        "Voter rolls were out of date",
        "My vote was never counted",
    ]
    assert len({"voter", "vote"} & set(_named(voting))) == 1


def test_portuguese_forms_are_read_by_the_portuguese_stemmer() -> None:
    entregas = [
        "Otimo produto, entrega no prazo",
        "Ótima loja, entregue antes do prazo",
        "Entrega rápida, otimo",
        "Produto entregue certinho, ótima compra",
        "Otima entrega",
        "Entregue no prazo, otimo vendedor",
    ]
    phrases = _named(entregas, "pt")
    assert len({"otimo", "ótima", "otima", "ótimo"} & set(phrases)) <= 1
    assert len({"entrega", "entregue"} & set(phrases)) == 1


def test_a_plural_in_ves_joins_its_singular_only_when_nothing_else_claims_it() -> None:
    knives, life = phrase_forms([{"knives", "shelves"}, {"knife", "shelf"}], ["en", "en"])
    assert knives["knives"] == life["knife"] and knives["shelves"] == life["shelf"]
    # "lives" beside "living" is the verb: it stays with "live", not "life".
    lives, other = phrase_forms([{"lives", "living"}, {"life"}], ["en", "en"])
    assert lives["lives"] == lives["living"] != other["life"]
