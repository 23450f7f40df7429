"""PII redaction on real-looking customer text."""

from __future__ import annotations

import csv
from pathlib import Path

from advocacy.text.models.build_names import faker_first_names, given_names, reference_texts
from advocacy.text.pii import GIVEN_NAMES_FILE, luhn_valid, redact


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
    path = shared_data / "clothing-reviews" / "womens-clothing-reviews-first-1000.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        reviews = [
            " ".join(filter(None, (row["Title"], row["Review Text"])))
            for row in csv.DictReader(handle)
        ]
    reviews = [review for review in reviews if review]
    assert len(reviews) == 958
    assert [review for review in reviews if redact(review) != review] == []

    tweets = (shared_data / "tweeteval" / "sentiment" / "test_text.txt").read_text().splitlines()
    named = [tweet for tweet in tweets if " Steve " in tweet or " Michelle " in tweet]
    assert len(named) > 20
    assert all("Steve " not in redact(t) and "Michelle " not in redact(t) for t in named)


def test_shipped_name_list_is_rebuilt_by_its_script(shared_data: Path) -> None:
    rebuilt = given_names(faker_first_names(), reference_texts(shared_data))
    shipped = GIVEN_NAMES_FILE.read_text(encoding="utf-8").split()
    assert rebuilt == shipped
    assert 4_000 < len(shipped) < 6_000
