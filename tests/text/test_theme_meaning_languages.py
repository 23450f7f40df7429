"""Meaning reads only the languages the model reads; keywords are found in any language.

Sentences we wrote (Portuguese, as a shop's customers write them) and a taxonomy written in
Portuguese. Measured from the generic English sentences the prototypes are measured from, every
Portuguese sentence is near a theme whose words are Portuguese (review27 finding 12: on real
Olist reviews, every sentence 0.47-0.80, where English review sentences are 0.06-0.36), so
meaning gave "Loja nota 10" the delivery theme at 0.88.
"""

from __future__ import annotations

import numpy as np

from advocacy.text.embeddings import default_embedder
from advocacy.text.taxonomy import Taxonomy, TaxonomyTheme, assign_themes

TAXONOMY = Taxonomy(
    (
        TaxonomyTheme("Entrega", keywords=("entrega", "chegou", "prazo", "recebi")),
        TaxonomyTheme("Qualidade", keywords=("qualidade", "defeito")),
    )
)
SEEDS = [
    "A entrega foi rápida.",
    "Chegou antes do prazo.",
    "Recebi tudo certinho.",
    "O produto chegou bem embalado.",
    "A entrega atrasou uma semana.",
    "Recebi o pedido hoje.",
    "Ótima qualidade.",
    "Veio com defeito na tampa.",
    "A qualidade do tecido é boa.",
    "O defeito apareceu no segundo dia.",
]
#: About neither theme: praise of the shop, a wish to buy again, a wish to cancel.
ABOUT_NEITHER = [
    "Loja nota 10.",
    "Voltarei a comprar.",
    "Adoro comprar nessa loja.",
    "Quero cancelar este pedido.",
    "Tudo conforme o esperado.",
    "Muito bom mesmo!",
]


def test_a_portuguese_text_gets_no_theme_by_meaning_and_keeps_its_keywords() -> None:
    texts = SEEDS + ABOUT_NEITHER
    scores = assign_themes(
        texts, TAXONOMY, embedder=default_embedder(), languages=["pt"] * len(texts)
    )
    assert scores[len(SEEDS) :].sum() == 0.0, scores[len(SEEDS) :]
    # The keywords still give their themes, at a keyword's 1.0.
    assert scores[:6, 0].tolist() == [1.0] * 6
    assert scores[6:10, 1].tolist() == [1.0] * 4


def test_the_same_texts_of_no_told_language_are_read_for_meaning_as_before() -> None:
    # No language told (a caller that does not detect it): the texts are read, as they were.
    texts = SEEDS + ABOUT_NEITHER
    told = assign_themes(texts, TAXONOMY, embedder=default_embedder())
    pt = assign_themes(texts, TAXONOMY, embedder=default_embedder(), languages=["pt"] * len(texts))
    assert (told[:10] == pt[:10]).all()
    assert ((told > 0) & (told < 1)).any(), "meaning gave nothing: the test shows nothing"


def test_english_texts_beside_them_are_still_read_for_meaning() -> None:
    english = Taxonomy(
        (
            TaxonomyTheme("Delivery", keywords=("delivery", "arrived", "shipping")),
            TaxonomyTheme("Quality", keywords=("quality", "defect")),
        )
    )
    texts = [
        "The delivery was fast.",
        "It arrived two days early.",
        "Shipping took a week.",
        "The delivery driver was kind.",
        "Great quality.",
        "There was a defect in the lid.",
        "The quality of the fabric is good.",
        "The defect showed on day two.",
        "The courier left the package at my door on time.",
        "Loja nota 10.",
    ]
    languages = ["en"] * 9 + ["pt"]
    scores = assign_themes(texts, english, embedder=default_embedder(), languages=languages)
    assert 0 < scores[8, 0] < 1.0  # the courier's package is delivery by meaning alone
    assert np.all(scores[9] == 0.0)
