"""PII redaction on real-looking customer text."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from build_names import (
    WORDS_HEADER,
    faker_first_names,
    given_names,
    name_words,
    native_languages,
    reference_texts,
)
from wordfreq import zipf_frequency

from advocacy.text.pii import GIVEN_NAMES_FILE, NAME_WORDS_FILE, Redactor, luhn_valid, redact


def test_contact_details_and_cards_are_redacted() -> None:
    text = (
        "Hi, my name is Priya Raman. Email me at priya.raman+orders@example.co.uk or call "
        "+44 20 7946 0958 / (555) 123-4567. I paid with 4111 1111 1111 1111 "
        "and order 1234 5678 9012 3456."
    )
    assert redact(text) == (
        "Hi, my name is [name]. Email me at [email] or call "
        "[phone] / [phone]. I paid with [card] and order 1234 5678 9012 3456."
    )


def test_luhn_reference_numbers() -> None:
    # Visa and Mastercard test numbers pass; changing one digit fails.
    assert luhn_valid("4111111111111111")
    assert luhn_valid("5555555555554444")
    assert luhn_valid("79927398713")  # the example in Luhn's patent literature
    assert not luhn_valid("4111111111111112")


def test_names_after_honorifics_and_introductions() -> None:
    assert (
        redact("Mrs. Okafor at the Leeds store was lovely")
        == "Mrs. [name] at the Leeds store was lovely"
    )
    assert redact("I spoke to Daniel and he sorted it") == "I spoke to [name] and he sorted it"
    assert redact("I'm Very disappointed") == "I'm Very disappointed"  # not a name


def test_known_names_are_redacted_and_numbers_in_sentences_survive() -> None:
    text = "Ada Quill helped me; delivery took 3 days and cost 4.99"
    assert (
        redact(text, names=["Ada Quill"]) == "[name] helped me; delivery took 3 days and cost 4.99"
    )
    assert redact(None) is None


def test_first_names_are_redacted_wherever_they_stand() -> None:
    assert redact("Thank you Priya!") == "Thank you [name]!"
    assert redact("Sarah Jones at the Oak Club was lovely") == "[name] at the Oak Club was lovely"
    assert (
        redact("Thanks to Sarah and James in the Leeds store")
        == "Thanks to [name] and [name] in the Leeds store"
    )
    assert redact("José María sorted the refund") == "[name] sorted the refund"


def test_words_that_are_also_names_survive() -> None:
    text = "Will you deliver in May? Hope so. The Sunday slot was fine, Grace period too."
    assert redact(text) == text
    assert redact("#Sarah @Tom") == "#Sarah @Tom"  # hashtags and handles are not people


def test_real_reviews_keep_their_words_and_real_tweets_lose_their_names(
    shared_data: Path,
) -> None:
    """958 real clothing reviews name nobody: none may change. Tweets about people lose them."""
    reviews = [review for review in _clothing_reviews(shared_data) if review]
    assert len(reviews) == 958
    assert [review for review in reviews if redact(review) != review] == []

    tweets = (shared_data / "tweeteval" / "sentiment" / "test_text.txt").read_text().splitlines()
    named = [tweet for tweet in tweets if " Steve " in tweet or " Michelle " in tweet]
    assert len(named) > 20
    assert all("Steve " not in redact(t) and "Michelle " not in redact(t) for t in named)


def test_shipped_name_lists_are_rebuilt_by_their_script(shared_data: Path) -> None:
    rebuilt = given_names(faker_first_names(), reference_texts(shared_data))
    shipped = GIVEN_NAMES_FILE.read_text(encoding="utf-8").split()
    assert rebuilt == shipped
    assert 4_000 < len(shipped) < 6_000
    words = name_words(rebuilt, native_languages(), zipf_frequency)
    assert WORDS_HEADER + "\n".join(words) + "\n" == NAME_WORDS_FILE.read_text(encoding="utf-8")
    assert {"Nada es pt", "Sem pt", "Pero es", "Una es it", "Dan nl"} <= set(words)
    assert not any(line.startswith(("Maria ", "Juan ", "Sarah ")) for line in words)


@pytest.mark.parametrize(
    "text",
    [
        "Nada a reclamar, chegou rápido.",  # Portuguese "nothing"
        "Sem comentários. Produto ok.",  # Portuguese "without"
        "Pero se deshincha en dos días.",  # Spanish "but"
        "Una semana de uso y uno de los auriculares dejaron de funcionar.",
        "Mia madre lo adora.",  # Italian "my"
        "Dan is het pakket eindelijk gekomen.",  # Dutch "then"
        "Jetzt ist die Lupe ab.",  # German noun
        "Lo compré en Abril y el Domingo llegó.",  # month and weekday
        "We drove up Mount Hagen and on to São Paulo and Santa Maria.",
        "Thanks @SouthwestAir and #Sarah for nothing",
        "I called Amazon and this is Great, I'm Watching it now.",
        "Vendedor Sem Compromisso. Comprei 3 plafons.",  # a title-cased heading
        "Não gostei. Faltou uma peça, pas à Madame. Faites attention.",
    ],
)
def test_capitalised_words_that_context_shows_are_not_names_stay(text: str) -> None:
    assert redact(text) == text


@pytest.mark.parametrize(
    ("text", "redacted"),
    [
        ("Dan was great and Mia helped too.", "[name] was great and [name] helped too."),
        ("falei com a Linda Souza ontem", "falei com a [name] ontem"),
        ("Fui atendido por Nada Ilić, ótima.", "Fui atendido por [name], ótima."),
        ("Dr. Okafor and Mrs Oyelaran were kind", "Dr. [name] and Mrs [name] were kind"),
        ("Pope Francis and Senator Warren", "Pope [name] and Senator [name]"),
        ("This is Ada Oyelaran from the store", "This is [name] from the store"),
        ("Ana da Silva e Ludwig van Beethoven", "[name] e [name]"),
        ("Sarah's order and Priya's refund", "[name]'s order and [name]'s refund"),
        ("Melania Trump Plagiarized Michelle Obama's Speech", "[name] Plagiarized [name]'s Speech"),
        ("Ask for Jean-Luc at the desk", "Ask for [name] at the desk"),
        # "José" with a combining accent is composed first, so the name list knows it.
        ("Jose\u0301 Garcia sorted it", "[name] sorted it"),
    ],
)
def test_names_that_context_shows_are_names_go(text: str, redacted: str) -> None:
    assert redact(text) == redacted


def test_known_identities_by_their_case_handles_and_accounts() -> None:
    redactor = Redactor(
        ["Ada Quill", "Nada", "Oyelaran"], accounts=["SouthwestAir", "jnardino", "united"]
    )
    assert redactor.redact("ADA QUILL and ada quill's order") == "[name] and [name]'s order"
    # One-word names match as written: the person "Nada" is not the Portuguese word "nada".
    assert redactor.redact("Nada said nada") == "[name] said nada"
    # A person is masked even as a handle; an account (a brand among authors) is not.
    assert redactor.redact("@Oyelaran @SouthwestAir SouthwestAir") == "@[name] @SouthwestAir [name]"
    assert redactor.redact("jnardino flew united") == "[name] flew [name]"


def _clothing_reviews(shared_data: Path) -> list[str]:
    path = shared_data / "clothing-reviews" / "womens-clothing-reviews-first-1000.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            " ".join(filter(None, (row["Title"], row["Review Text"])))
            for row in csv.DictReader(handle)
        ]


def test_real_portuguese_and_spanish_reviews_keep_their_words(shared_data: Path) -> None:
    """Olist's Portuguese reviews and MARC's Spanish ones name almost nobody: the old redactor
    changed 26 of 2,678 and 301 of 5,000 of them (Nada, Sem, Pero, Una, Linda, ...)."""
    path = shared_data / "real-exports" / "olist-subset" / "olist_order_reviews_dataset.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    reviews = [
        " ".join(filter(None, (row["review_comment_title"], row["review_comment_message"])))
        for row in rows
    ]
    reviews = [review for review in reviews if review.strip()]
    changed = [review for review in reviews if redact(review) != review]
    assert len(reviews) == 2_678 and len(changed) <= 13
    assert not any(redact(review).startswith("[name]") for review in changed)

    path = shared_data / "text-corpora" / "marc-amazon-multi" / "es" / "test.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        spanish = [row[1] for row in csv.reader(handle)]
    changed = [review for review in spanish if redact(review) != review]
    assert len(spanish) == 5_000 and len(changed) <= 50
