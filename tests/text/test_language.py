"""Language detection: real sentences in many languages, None for what cannot be told."""

from __future__ import annotations

import csv
import sys
import time
from functools import partial
from pathlib import Path

import pytest

from advocacy.text import language
from advocacy.text.language import (
    SENTIMENT_LANGUAGES,
    detect_language,
    detect_languages,
    is_supported,
)

SENTENCES = [
    ("en", "The parcel arrived two days late and the box was crushed."),
    ("de", "Der Kundendienst war sehr freundlich und hat mir schnell geholfen."),
    ("fr", "La livraison était rapide mais le produit ne correspond pas à la description."),
    ("es", "El pedido llegó incompleto y nadie responde a mis correos."),
    ("pt", "Recebi o produto antes do prazo, muito bem embalado, recomendo."),
    ("it", "Il prodotto è arrivato rotto e il servizio clienti non risponde."),
    ("nl", "De bezorger was erg vriendelijk en het pakket kwam op tijd aan."),
    ("id", "Pengiriman cepat, barang sesuai pesanan dan penjualnya ramah sekali."),
    ("id", "Barangnya bagus banget, harganya murah dan kualitasnya oke, terima kasih."),
    ("id", "Pelayanan sangat buruk, saya tidak akan beli lagi di toko ini."),
    ("pl", "Bardzo dobra obsługa klienta, paczka dotarła następnego dnia."),
    ("ru", "Очень хороший магазин, доставка быстрая, всем рекомендую."),
    ("tr", "Ürün çok kaliteli ama kargo biraz geç geldi."),
    ("ja", "配送がとても早くて、商品の品質も良かったです。"),
    ("ar", "الخدمة ممتازة والتوصيل كان سريعا جدا"),
    ("vi", "Tôi rất hài lòng với chất lượng dịch vụ của cửa hàng."),
]


@pytest.mark.parametrize(("expected", "text"), SENTENCES)
def test_sentences_in_many_languages(expected: str, text: str) -> None:
    assert detect_language(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "   ", "n/a", "12345 678", "😀😀😀👍", "!!!???", "<b></b>", "https://example.com/x"],
)
def test_too_little_to_tell_is_none_not_a_guess(text: str) -> None:
    assert detect_language(text) is None


def test_markup_links_and_mentions_do_not_decide_the_language() -> None:
    text = (
        "<p>@shopuk https://shop.example.co.uk/orders/123 "
        "Der Artikel kam beschädigt an und niemand antwortet.</p>"
    )
    assert detect_language(text) == "de"


def test_hostile_input_is_bounded() -> None:
    huge = "Der Kellner war unfreundlich und das Essen kalt. " * 200_000
    started = time.perf_counter()
    assert detect_language(huge) == "de"
    assert detect_language("x" * 5_000_000) is None  # no language in it
    # Only the first few hundred characters are read: a 10 MB text costs what a review does.
    assert time.perf_counter() - started < 1.0
    assert detect_languages([None, 42, "Le service était excellent."]) == [None, None, "fr"]  # type: ignore[list-item]
    # Unpaired surrogates, NUL and control characters reach both detectors without an error.
    odd = ["\ud800 The delivery was late again \x00", "Das Paket \u202e kam\r\nnie an, leider."]
    assert detect_languages(odd) == ["en", "de"]


@pytest.mark.parametrize(
    "text",
    [
        "The \ud800sushi is amazing!!!",
        "Great pizza and fantastic service.\udfff",
        "\ud83d\ude00 Muito bom, recomendo",  # an emoji as two surrogates: one character
        "Très \udc80bien, merci",  # what surrogateescape leaves of a stray byte
    ],
)
def test_surrogates_in_an_unsure_text_are_read_by_the_second_opinion_too(text: str) -> None:
    # Short texts py3langid alone is unsure of, so fastText reads them as well: it refused a
    # string holding a surrogate (TypeError). A lone one reads as U+FFFD, a pair as its
    # character: the answer is the text's without them.
    unsure = language._softmax(language._log_scores([language._clean(text)])).max()
    assert unsure < language.SECOND_OPINION_BELOW
    clean = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "ignore")
    assert detect_languages([text]) == detect_languages([clean]) != [None]
    assert detect_language(text) == detect_language(clean)
    assert detect_languages(["\ud800" * 50, "\udfff ok"]) == [None, "en"]  # "ok": English


def test_unknown_language_is_read_as_the_default_and_others_are_refused() -> None:
    assert SENTIMENT_LANGUAGES == ("en",)
    assert is_supported(None) and is_supported("en")
    assert not is_supported("de") and not is_supported("id") and not is_supported("ru")


def test_real_reviews_are_detected_at_least_95_percent(shared_data: Path) -> None:
    """MARC test reviews (200 per language, a few languages) and Olist Portuguese reviews."""
    found, expected = [], []
    for code in ("de", "en", "es", "fr", "ja", "zh"):
        path = shared_data / "text-corpora" / "marc-amazon-multi" / code / "test.csv"
        with path.open(newline="", encoding="utf-8") as handle:
            texts = [row[1] for _, row in zip(range(200), csv.reader(handle), strict=False)]
        found += detect_languages(texts)
        expected += [code] * len(texts)
    path = shared_data / "real-exports" / "olist-subset" / "olist_order_reviews_dataset.csv"
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reviews = [row["review_comment_message"] for row in csv.DictReader(handle)]
    portuguese = [text for text in reviews if len(text.split()) >= 8][:200]
    found += detect_languages(portuguese)
    expected += ["pt"] * len(portuguese)
    correct = sum(f == e for f, e in zip(found, expected, strict=True)) / len(expected)
    assert correct >= 0.95


def test_the_batch_reads_exactly_what_py3langid_reads_one_text_at_a_time(
    shared_data: Path,
) -> None:
    """detect_languages walks py3langid's model for many texts at once; same answers."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    library = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    texts = [text for _, text in SENTENCES] + ["ÉNORME PROBLÈME AVEC LA LIVRAISON", "日本語です"]
    for code in ("de", "ja", "zh"):
        path = shared_data / "text-corpora" / "marc-amazon-multi" / code / "test.csv"
        with path.open(newline="", encoding="utf-8") as handle:
            texts += [row[1] for _, row in zip(range(100), csv.reader(handle), strict=False)]
    batch = language._classify(texts)
    one_by_one = [library.classify(text) for text in texts]
    assert [code for code, _ in batch] == [code for code, _ in one_by_one]
    assert [p for _, p in batch] == pytest.approx([p for _, p in one_by_one], abs=1e-4)


def _olist_reviews(shared_data: Path) -> list[str]:
    path = shared_data / "real-exports" / "olist-subset" / "olist_order_reviews_dataset.csv"
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reviews = [row["review_comment_message"].strip() for row in csv.DictReader(handle)]
    return list(dict.fromkeys(text for text in reviews if text))


def _marc(shared_data: Path, code: str, count: int) -> list[str]:
    path = shared_data / "text-corpora" / "marc-amazon-multi" / code / "test.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        return [row[1] for _, row in zip(range(count), csv.reader(handle), strict=False)]


def test_short_reviews_take_the_language_their_import_is_surely_written_in(
    shared_data: Path,
) -> None:
    """One-line Olist reviews ("Recomendo!", "Bom produto") are Portuguese among their import."""
    reviews = _olist_reviews(shared_data)[:2_000]
    short = [i for i, text in enumerate(reviews) if len(text.split()) <= 3]
    assert len(short) >= 200
    together = detect_languages(reviews)
    alone = [detect_language(reviews[i]) for i in short]
    right_together = sum(together[i] == "pt" for i in short) / len(short)
    right_alone = sum(code == "pt" for code in alone) / len(short)
    assert right_together >= 0.95
    assert right_together > right_alone + 0.1  # the import decided, not the texts alone


def test_a_few_reviews_in_another_language_keep_their_language(shared_data: Path) -> None:
    """Twenty German reviews among a thousand English ones are not pulled to English."""
    english = _marc(shared_data, "en", 1_000)
    german = _marc(shared_data, "de", 20)
    found = detect_languages(english + german)
    assert found[len(english) :] == ["de"] * len(german)
    assert sum(code == "en" for code in found[: len(english)]) >= 0.99 * len(english)


def test_a_text_too_short_to_tell_gets_one_of_its_imports_languages(shared_data: Path) -> None:
    """Among Portuguese reviews "Ok." is Portuguese, never Polish: the batch alone answers it."""
    reviews = _olist_reviews(shared_data)[:500]
    short = ["Ok.", "Ok", "amei", "foda", "Top", "Bom.", "10/10 ok"]
    found = detect_languages([*reviews, *short])
    batch = {code for code in found[: len(reviews)] if code is not None}
    assert "pt" in batch
    assert all(code in batch for code in found[len(reviews) :]), found[len(reviews) :]
    # Long enough to tell alone, a text keeps its own language whatever the batch is.
    assert detect_languages([*reviews, "Der Kundendienst war sehr freundlich"])[-1] == "de"


def test_a_batch_never_gives_a_language_to_a_text_without_letters(shared_data: Path) -> None:
    reviews = _olist_reviews(shared_data)[:200]
    found = detect_languages([*reviews, "12345", "😀😀👍", "!!!", "", "https://example.com/x"])
    assert found[len(reviews) :] == [None] * 5
    # No import to learn from: their words tell (:mod:`advocacy.text.english_words`).
    assert detect_languages(["ok", "Bom"]) == ["en", "pt"]


def test_regional_languages_are_handicapped_not_banned() -> None:
    # Galician won this short Portuguese review before the handicap.
    assert detect_language("Produto entregue antes do prazo") == "pt"
    galician = (
        "O concello de Vigo aprobou onte o orzamento para o ano que vén, que inclúe novas rúas "
        "peonís e máis autobuses para os veciños."
    )
    assert detect_language(galician) == "gl"


@pytest.mark.parametrize("text", ["pengiriman cepat", "sangat puas", "Pengirimannya lama banget"])
def test_short_indonesian_reviews(text: str) -> None:
    # Not evidence (no real Indonesian set here); "barang sesuai pesanan" alone reads Malay,
    # which only a call of surely Indonesian texts can settle.
    assert detect_language(text) == "id"


def test_short_english_comments_alone_are_english(shared_data: Path) -> None:
    """Reddit comments of 3-6 words, one per call: py3langid alone said 80% English."""
    path = shared_data / "text-corpora" / "goemotions" / "test.tsv"
    comments = [line.split("\t")[0] for line in path.read_text(encoding="utf-8").splitlines()]
    short = [text for text in comments if 3 <= len(text.split()) <= 6][:400]
    found = [detect_language(text) for text in short]
    assert sum(code == "en" for code in found) >= 0.95 * len(short)


def test_a_text_surely_in_a_language_is_answered_from_memory_as_when_read(
    shared_data: Path,
) -> None:
    """``text analyze`` detects the labelled texts, then the same texts as documents: the second
    time a text surely in a language is not read again (its answer does not depend on its
    batch), yet it still counts in its batch's prior, so every answer is the first one."""
    from advocacy.text.workers import can_fork, run_tasks

    english = _marc(shared_data, "en", 4_000)
    reviews = [*english[:2_000], *_marc(shared_data, "de", 20)]
    short = ["Ok.", "good", "Top", "n/a", "", "😀 😀", "10/10 ok", "Bom.", "Super!"]
    detect_languages(short)  # loads the tables
    language._sure.forget()  # nothing remembered yet
    fresh = detect_languages([*reviews, *short])
    language._sure.forget()
    # Remembered by the processes that read them (two workers, each half), then read here.
    halves = [reviews[: len(reviews) // 2], reviews[len(reviews) // 2 :]]
    run_tasks([partial(detect_languages, half) for half in halves], workers=2 if can_fork() else 1)
    start = time.process_time()
    detect_languages(english[2_000:])
    unseen = time.process_time() - start
    start = time.process_time()
    again = detect_languages([*reviews, *short])
    remembered = time.process_time() - start
    assert again == fresh
    assert fresh[2_000:2_020] == ["de"] * 20
    assert {fresh[-9], fresh[-8]} == {"en"}  # a short text still takes its batch's language
    assert remembered < unseen / 3


def test_the_memory_of_sure_texts_stays_within_its_bounds_inside_one_batch(
    shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """review11 item 3: the bounds are checked as each text is remembered, so one large batch
    cannot pass them (before, only at the start of a call); the answers stay the cold ones."""
    reviews = [*_marc(shared_data, "en", 300), *_marc(shared_data, "de", 100)]
    language._sure.forget()
    cold = detect_languages(reviews)
    assert len(language._sure.table) > 150  # most are sure: remembered without a bound
    for name, bound in (("SURE_CACHE_ENTRIES", 50), ("SURE_CACHE_BYTES", 20_000)):
        monkeypatch.setattr(language, name, bound)
        language._sure.forget()
        before = language._sure.forgotten
        assert detect_languages(reviews) == cold
        assert language._sure.forgotten > before
        assert len(language._sure.table) <= 50 or name != "SURE_CACHE_ENTRIES"
        assert language._sure.size == sum(sys.getsizeof(key) for key in language._sure.table)
        assert language._sure.size <= 20_000 or name != "SURE_CACHE_BYTES"
        assert detect_languages(reviews) == cold  # warm, after forgetting within the batch
        monkeypatch.undo()
