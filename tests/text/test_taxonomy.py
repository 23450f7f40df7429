"""The taxonomy file format and multi-label assignment."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advocacy.errors import InputError, UsageError
from advocacy.text.embeddings import default_embedder
from advocacy.text.phrases import words
from advocacy.text.taxonomy import (
    Prototypes,
    Taxonomy,
    TaxonomyTheme,
    assign_themes,
    keyword_hits,
    load_taxonomy,
    parse_taxonomy,
    promote,
    save_taxonomy,
    seed_keywords,
    text_terms,
)
from advocacy.text.theme_terms import learn_terms, term_hits

EXAMPLE = """
themes:
  - name: Billing
    description: being charged wrongly, invoices and payment problems
    keywords: [charged, invoice]
  - name: Refunds
    parent: Billing
    keywords: refund
    examples: ["still waiting for my money back"]
  - name: Delivery
    keywords: [delivery, parcel, courier]
"""


def test_reads_the_documented_format(tmp_path: Path) -> None:
    path = tmp_path / "taxonomy.yaml"
    path.write_text(EXAMPLE, encoding="utf-8")
    taxonomy = load_taxonomy(path)
    assert taxonomy.names == ["Billing", "Refunds", "Delivery"]
    assert taxonomy.themes[1] == TaxonomyTheme(
        "Refunds",
        keywords=("refund",),
        examples=("still waiting for my money back",),
        parent="Billing",
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (["Delivery"], "top-level list called themes"),
        ({"topics": []}, "topics: unknown key; fix: use one of: themes"),
        ({"themes": [{"description": "x"}]}, r"themes\[1\]\.name: the theme has no name"),
        ({"themes": [{"name": "A", "colour": "red"}]}, r"themes\[1\]\.colour: unknown key"),
        ({"themes": [{"name": "A", "parent": "B"}]}, "parent 'B', which is not in the taxonomy"),
        ({"themes": [{"name": "A"}, {"name": "A"}]}, r"themes\[2\]\.name: .* listed twice"),
        ({"themes": [{"name": "A", "keywords": {"x": 1}}]}, "keywords: must be a list"),
    ],
)
def test_invalid_files_say_what_to_fix(data: object, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_taxonomy(data)


def test_errors_in_a_file_name_its_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "taxonomy.yaml"
    path.write_text(EXAMPLE.replace("    parent: Billing", "    parent: Bills"), encoding="utf-8")
    with pytest.raises(InputError) as raised:
        load_taxonomy(path)
    assert (raised.value.file, raised.value.row, raised.value.column) == (str(path), 7, "parent")
    assert "line 7: themes[2].parent: theme 'Refunds' has parent 'Bills'" in str(raised.value)


names = st.text(alphabet="abcdefghij XYZ", min_size=1, max_size=12).map(str.strip).filter(bool)


@settings(max_examples=30, deadline=None)
@given(st.lists(names, min_size=1, max_size=5, unique=True), st.lists(names, max_size=3))
def test_save_and_load_round_trip(
    tmp_path_factory: pytest.TempPathFactory, titles: list[str], words: list[str]
) -> None:
    # A description: a theme that nothing could mark ("X" alone) is refused on loading.
    taxonomy = Taxonomy(
        tuple(TaxonomyTheme(t, "what it covers", keywords=tuple(words)) for t in titles)
    )
    path = tmp_path_factory.mktemp("tax") / "t.yaml"
    save_taxonomy(taxonomy, path)
    assert load_taxonomy(path) == taxonomy


def test_assignment_is_multi_label_and_children_imply_parents() -> None:
    taxonomy = parse_taxonomy(__import__("yaml").safe_load(EXAMPLE))
    texts = [
        "The courier left my parcel in the rain and I'm still waiting for a refund",
        "Lovely staff, nothing else to say",
    ]
    scores = assign_themes(texts, taxonomy, embedder=default_embedder())
    assert (scores[0] > 0).tolist() == [True, True, True]  # Refunds implies Billing
    assert (scores[1] > 0).tolist() == [False, False, False]


def test_keywords_written_with_commas_but_no_brackets_are_each_a_keyword(tmp_path: Path) -> None:
    # review27 #14: "keywords: small, large, tight" was one phrase that no text holds, silently.
    path = tmp_path / "taxonomy.yaml"
    path.write_text(
        "themes:\n  - name: Sizing\n    keywords: small, large, tight\n"
        '    examples: ["too tight, sent it back"]\n',
        encoding="utf-8",
    )
    taxonomy = load_taxonomy(path)
    assert taxonomy.themes[0].keywords == ("small", "large", "tight")
    assert taxonomy.themes[0].examples == ("too tight, sent it back",)  # a sentence keeps its comma
    texts = ["Far too tight on the shoulders", "It runs large", "Lovely colour"]
    scores = assign_themes(texts, taxonomy, embedder=default_embedder(), meaning=False)
    assert (scores[:, 0] > 0).tolist() == [True, True, False]
    [note] = taxonomy.notes
    assert (
        f"{path} line 3: theme 'Sizing' keywords 'small, large, tight' read as 3 keywords" in note
    )
    assert "[small, large, tight]" in note
    listed = tmp_path / "listed.yaml"
    listed.write_text("themes:\n  - name: Sizing\n    keywords: [small, large]\n", "utf-8")
    assert load_taxonomy(listed).notes == ()


def test_promote_refuses_duplicates() -> None:
    taxonomy = Taxonomy((TaxonomyTheme("Delivery"),))
    assert promote(taxonomy, TaxonomyTheme("Price")).names == ["Delivery", "Price"]
    with pytest.raises(UsageError, match="already has a theme 'Delivery'"):
        promote(taxonomy, TaxonomyTheme("Delivery"))


def test_keywords_match_whole_words_in_the_texts_language() -> None:
    taxonomy = Taxonomy(
        (
            TaxonomyTheme("Drinks", keywords=("tea",)),
            TaxonomyTheme("Delivery", keywords=("Lieferung",)),
        )
    )
    texts = ["The team was great", "Die Lieferungen kamen spät", "Earl grey tea, lovely"]
    scores = assign_themes(
        texts, taxonomy, embedder=default_embedder(), languages=["en", "de", "en"], meaning=False
    )
    assert (scores > 0).tolist() == [[False, False], [False, True], [True, False]]


def test_meaning_fills_in_only_where_keywords_are_silent() -> None:
    taxonomy = Taxonomy(
        (
            TaxonomyTheme("Food", "the dishes and how they taste", keywords=("food",)),
            TaxonomyTheme("Service", "the staff and how they treated us", keywords=("waiter",)),
        )
    )
    texts = [
        "The sushi and the noodles were delicious.",  # no keyword: meaning says Food
        "Our waiter forgot the soup.",  # a keyword: meaning adds nothing beside it
        "N/A",
        "We went on a Tuesday.",
    ]
    scores = assign_themes(texts, taxonomy, embedder=default_embedder())
    assert (scores > 0).tolist() == [[True, False], [False, True], [False, False], [False, False]]
    assert 0 < scores[0, 0] < 1.0 and scores[1, 1] == 1.0
    keywords_only = assign_themes(texts, taxonomy, embedder=default_embedder(), meaning=False)
    assert (keywords_only > 0).sum() == 1


def test_each_sentence_of_a_long_text_is_read() -> None:
    taxonomy = Taxonomy(
        (
            TaxonomyTheme("Food", "the dishes and how they taste", keywords=("food",)),
            TaxonomyTheme("Service", "the staff and how they treated us", keywords=("waiter",)),
        )
    )
    text = "The food was cold. " + "We sat by the window. " * 30 + "The noodles were delicious."
    mixed = "The food was cold. The noodles were delicious."
    scores = assign_themes([text, mixed], taxonomy, embedder=default_embedder())
    assert (scores > 0).tolist() == [[True, False], [True, False]]
    hostile = "<script>alert(1)</script> =SUM(A1) " * 5000 + "waiter"
    assert assign_themes([hostile], taxonomy, embedder=default_embedder()).shape == (1, 2)


def test_names_and_descriptions_mark_themes_without_keywords() -> None:
    taxonomy = Taxonomy(
        (
            TaxonomyTheme("Food", "the dishes, their taste and portion sizes, food quality"),
            TaxonomyTheme("Service", "the staff, waiters and service quality"),
            TaxonomyTheme("Price", "what it costs and value for money"),
        )
    )
    assert seed_keywords(taxonomy) == [
        ("dishes", "food", "portion", "sizes", "taste"),
        ("service", "staff", "waiters"),
        ("costs", "money", "price", "value"),
    ]
    texts = ["The waiter was slow", "Huge portions!", "Not worth the money", "Great quality"]
    hits = keyword_hits(texts, taxonomy)
    # "quality" is in two descriptions, so it marks neither theme.
    assert hits.tolist() == [
        [False, True, False],
        [True, False, False],
        [False, False, True],
        [False, False, False],
    ]


def test_a_lone_theme_is_marked_by_its_name_not_its_descriptions_generic_words() -> None:
    taxonomy = Taxonomy((TaxonomyTheme("Billing", "being charged wrongly and other problems"),))
    assert seed_keywords(taxonomy) == [("billing",)]
    hits = keyword_hits(["So many problems with the app", "Billing was a mess"], taxonomy)
    assert hits.tolist() == [[False], [True]]


def test_a_taxonomy_in_german_seeds_no_german_stop_words() -> None:
    taxonomy = Taxonomy(
        (
            TaxonomyTheme("Preis", "der Preis und die Rechnung"),
            TaxonomyTheme("Lieferung", "die Zustellung dauert zu lange"),
            TaxonomyTheme("Personal", "das Personal ist nicht freundlich"),
        )
    )
    assert seed_keywords(taxonomy) == [
        ("preis", "rechnung"),
        ("dauert", "lange", "lieferung", "zustellung"),
        ("freundlich", "personal"),
    ]
    texts = [
        "Ich war sehr zufrieden und komme wieder",
        "Das Essen war nicht gut",
        "Zu teuer, der Preis",
    ]
    hits = keyword_hits(texts, taxonomy, languages=["de", "de", "de"])
    assert hits.tolist() == [[False, False, False], [False, False, False], [True, False, False]]


def test_each_learnt_theme_asks_what_its_own_keyword_sentences_reach() -> None:
    import numpy as np

    from advocacy.text.theme_assignment import _self_trained_bars

    # Probabilities of three themes for six keyword sentences (two themes, three each) and one
    # sentence without keywords; twelve themes learnt, so an even split is 1/12.
    learned = np.array(
        [
            [0.90, 0.05, 0.05],
            [0.95, 0.03, 0.02],
            [0.92, 0.04, 0.04],
            [0.30, 0.40, 0.30],
            [0.20, 0.45, 0.35],
            [0.25, 0.50, 0.25],
            [0.60, 0.20, 0.20],
        ]
    )
    seeds, themes = np.arange(6), np.array([0, 0, 0, 1, 1, 1])
    bars = _self_trained_bars(learned, seeds, themes, 12, None)
    # Theme 0's sentences all score 0.9 or more: 0.6 is no reading of it; theme 1 is confused
    # with others and asks 0.4; a theme without keyword sentences keeps twice an even split.
    assert 0.9 <= bars[0] < 0.92
    assert 0.4 <= bars[1] < 0.45
    assert bars[2] == pytest.approx(2 / 12)
    assert learned[6, 0] < bars[0]
    # The broad theme ("the laptop as a whole") keeps the even split: 0.6 is enough for it.
    assert _self_trained_bars(learned, seeds, themes, 12, 0)[0] == pytest.approx(2 / 12)


def test_a_text_that_names_nothing_gets_the_broad_theme() -> None:
    # "Laptop" is what the other descriptions speak of: the taxonomy's broad theme.
    taxonomy = Taxonomy(
        (
            TaxonomyTheme("Laptop", "the laptop as a whole"),
            TaxonomyTheme("Battery", "the battery of the laptop and how long it lasts"),
            TaxonomyTheme("Screen", "the screen of the laptop"),
        )
    )
    texts = [
        "The battery lasts all day.",
        "I really love it, best purchase I ever made.",
        "Great!",  # too short to be read for meaning, yet about the laptop
        "N/A",
        "",
    ]
    scores = assign_themes(texts, taxonomy, embedder=default_embedder())
    assert (scores > 0).tolist() == [
        [False, True, False],
        [True, False, False],
        [True, False, False],
        [False, False, False],
        [False, False, False],
    ]
    assert scores[1, 0] < 0.5  # a weak reading: quotes come from texts that name it
    # Without a broad theme a text that names nothing stays without a theme.
    plain = Taxonomy(taxonomy.themes[1:])
    assert not assign_themes(texts[1:2], plain, embedder=default_embedder()).any()
    # A text in a language the model does not read names nothing because nothing was read.
    foreign = ["とても良い製品です", "Ich liebe es, der beste Kauf.", "Great!"]
    read = assign_themes(
        foreign, taxonomy, embedder=default_embedder(), languages=["ja", "de", None]
    )
    assert (read > 0).tolist() == [[False] * 3, [False] * 3, [True, False, False]]


def test_the_whole_things_name_marks_the_broad_theme() -> None:
    # "laptop" is in every description, so it was no theme's own word; it names the whole.
    taxonomy = Taxonomy(
        (
            TaxonomyTheme("Laptop", "the laptop as a whole"),
            TaxonomyTheme("Battery", "the battery of the laptop and how long it lasts"),
            TaxonomyTheme("Screen", "the screen of the laptop"),
        )
    )
    assert "laptop" in seed_keywords(taxonomy)[0]
    assert not any("laptop" in seeds for seeds in seed_keywords(taxonomy)[1:])
    hits = keyword_hits(["My new laptop is a joy", "The laptop's screen is dim"], taxonomy)
    assert hits.tolist() == [[True, False, False], [True, False, True]]


def test_a_compound_taxonomys_general_entity_marks_its_catch_all() -> None:
    names = ["SHOP#GENERAL", "SHOP#PRICES", "FOOD#QUALITY", "FOOD#PRICES"]
    taxonomy = Taxonomy(tuple(TaxonomyTheme(name) for name in names))
    assert "shop" in seed_keywords(taxonomy)[0]
    texts = ["A lovely little shop", "The shop's food was bland", "The food was bland"]
    # The shop as a whole only when nothing more specific is named.
    assert keyword_hits(texts, taxonomy).tolist() == [
        [True, False, False, False],
        [False, False, True, False],
        [False, False, True, False],
    ]


# Sentences about three themes written from names and a line each, and some about none.
DINER = Taxonomy(
    (
        TaxonomyTheme("Food", "the dishes, how they taste and how fresh they are"),
        TaxonomyTheme("Service", "the staff and how they treated us"),
        TaxonomyTheme("Price", "what the meal cost and value for money"),
    )
)
DINER_TEXTS = [
    "The pasta tasted fresh and delicious.",
    "A delicious pasta dish, fresh and tasty.",
    "The pasta was a tasty dish.",
    "Fresh pasta, the tastiest dish of the night.",
    "The pasta with clams was delicious.",
    "The staff were rude and slow.",
    "Friendly staff who treated us well.",
    "The staff forgot our order.",
    "We paid too much for the meal.",
    "The meal cost too much money.",
    "Good value for money.",
    "We went there with a friend on Friday.",
    "My friend chose the place on Friday.",
    "On Friday it was busy, my friend said.",
]
#: The words of DINER_TEXTS that mark a theme written without keywords.
DINER_TERMS = {"delicious": "Food", "pasta": "Food"}


def test_words_of_the_texts_mark_a_theme_written_without_keywords() -> None:
    embedder = default_embedder()
    # "delicious" and "pasta" are said in sentences about the food, "friend" and "Friday" in
    # sentences about nothing the taxonomy lists. (With the pieces' embedding "pasta" fell just
    # short of TERM_SIMILARITY, 0.395; English whole words read the food sentences as one
    # theme, 0.527, while "friend" and "Friday" stay at 0.19 and 0.03.)
    assert text_terms(DINER_TEXTS, DINER, embedder=embedder) == DINER_TERMS
    scores = assign_themes(DINER_TEXTS, DINER, embedder=embedder)
    assert scores[4].argmax() == 0 and scores[4, 1:].tolist() == [0.0, 0.0]  # Food, no seed word
    # Weaker evidence than a written keyword (1.0), as the description's own words are: "tasty
    # dish" says two words of Food's description, kept at the sentence's similarity to Food.
    assert 0 < scores[4, 0] < 1.0 and 0 < scores[2, 0] < 1.0
    assert scores[2].argmax() == 0 and scores[2, 1:].tolist() == [0.0, 0.0]
    assert not scores[11:].any()
    # A theme given keywords is marked by those alone.
    written = Taxonomy(
        (TaxonomyTheme("Food", DINER.themes[0].description, ("dish",)), *DINER.themes[1:])
    )
    assert text_terms(DINER_TEXTS, written, embedder=embedder) == {}


def test_a_learnt_word_marks_short_sentences_too() -> None:
    # Learnt from the sentences read for meaning, found in every sentence: survey answers are
    # often two words.
    texts = [*DINER_TEXTS, "Delicious pasta.", "Delicious!"]
    scores = assign_themes(texts, DINER, embedder=default_embedder())
    assert (scores[-2:].argmax(axis=1) == 0).all() and (scores[-2:, 0] > 0).all()


@pytest.mark.parametrize(
    "languages",
    [["en", "nl"] + ["en"] * 12, ["en", "fr"] * 7, ["it", "en"] * 7, ["de"] * 14],
)
def test_a_word_read_in_several_languages_is_one_word(languages: list[str]) -> None:
    # "delicious" stems to delici in English and stays delicious in Dutch or French: one word.
    embedder = default_embedder()
    assert text_terms(DINER_TEXTS, DINER, embedder=embedder, languages=languages) == DINER_TERMS
    # Meaning reads only the texts told English (the language the model reads): where the
    # fifth pasta text is one, the word learnt beside it marks it.
    if languages[4] == "en":
        scores = assign_themes(DINER_TEXTS, DINER, embedder=embedder, languages=languages)
        assert scores[4, 0] > 0


# Sentences pointing one way, with no embedder: the words they say are what is tested.
_ONE_WAY = Prototypes(np.eye(4, dtype=np.float32)[:2], np.zeros(4, np.float32))


def _learnt(
    texts: list[str], taxonomy: Taxonomy, language: str
) -> tuple[dict[str, int], list[list[bool]]]:
    vectors = np.tile(np.array([0, 1, 0, 0], np.float32), (len(texts), 1))
    stemmer_of, folded = [language] * len(texts), [words(text) for text in texts]
    terms = learn_terms(
        texts,
        np.arange(len(texts)),
        vectors,
        _ONE_WAY,
        taxonomy,
        stemmer_of=stemmer_of,
        folded=folded,
        stemmed={},
    )
    strength = term_hits(terms, 2, stemmer_of=stemmer_of, folded=folded, stemmed={})
    return {term.word: term.column for term in terms}, (strength > 0).tolist()


def test_another_themes_keyword_is_never_learnt_in_any_language() -> None:
    # "Lieferung" stems to liefer in German, lieferung in English: it stays Versand's word.
    taxonomy = Taxonomy((TaxonomyTheme("Versand", "", ("Lieferung",)), TaxonomyTheme("Service")))
    assert _learnt(["Die Lieferung war da."] * 3, taxonomy, "de")[0] == {}
    taxonomy = Taxonomy((TaxonomyTheme("Versand", "", ("Paket",)), TaxonomyTheme("Service")))
    assert _learnt(["Die Lieferung war da."] * 3, taxonomy, "de")[0] == {"lieferung": 1}


def test_every_form_of_a_word_is_read_alike() -> None:
    # "door" is a Dutch stop word and "doors" is not; both are one stem, decided once.
    taxonomy = Taxonomy((TaxonomyTheme("Versand", "", ("parcel",)), TaxonomyTheme("Service")))
    texts = ["The doors were here."] * 3 + ["The door was here."] * 3
    terms, marked = _learnt(texts, taxonomy, "en")
    assert "door" not in terms and "doors" not in terms
    assert len({tuple(row) for row in marked}) == 1


def test_a_general_entity_without_a_general_theme_seeds_none_of_its_attributes() -> None:
    # "Food prices" is listed first, so it is the food's default theme, but it is one attribute
    # of the food, not the food as a whole: "the food was tasty" is no sentence about prices.
    taxonomy = Taxonomy(
        (
            TaxonomyTheme("Food prices", "what the dishes cost"),
            TaxonomyTheme("Food quality", "how the dishes taste"),
            TaxonomyTheme("Drink prices", "what the drinks cost"),
            TaxonomyTheme("Drink quality", "how the drinks taste"),
            TaxonomyTheme("Service", "the staff and how they treated us"),
        )
    )
    texts = ["The food was tasty.", "I loved the food here.", "The food was bland and cold."]
    assert not keyword_hits(texts, taxonomy)[:, 0].any()
    scores = assign_themes(texts, taxonomy, embedder=default_embedder())
    assert (scores[:, 0] < 1.0).all()
    assert scores[:2].argmax(axis=1).tolist() == [1, 1]  # Food quality
    names = ["FOOD#PRICES", "FOOD#QUALITY", "DRINKS#PRICES", "DRINKS#QUALITY"]
    compound = Taxonomy(tuple(TaxonomyTheme(name) for name in names))
    assert "food" not in seed_keywords(compound)[0]
    assert not keyword_hits(["The food was bland"], compound).any()


def test_the_general_entitys_name_is_read_by_stem() -> None:
    names = ["Room general", "Rooms prices", "Food quality", "Food prices"]
    taxonomy = Taxonomy(tuple(TaxonomyTheme(name) for name in names))
    assert keyword_hits(["The rooms were lovely"], taxonomy).tolist() == [[True] + [False] * 3]


def test_learnt_words_from_markup_and_giant_texts_are_plain_words() -> None:
    hostile = [
        "<script>alert('delicious')</script> <b>x</b>",
        # A word of the food none of DINER_TEXTS says ("pasta" is learnt from them).
        "=HYPERLINK(1) " + "sauce " * 200_000,
    ]
    found = text_terms([*DINER_TEXTS, *hostile], DINER, embedder=default_embedder())
    assert found == DINER_TERMS  # the hostile texts add no word and change none
