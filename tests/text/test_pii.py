"""PII redaction on real-looking customer text."""

from __future__ import annotations

from advocacy.text.pii import luhn_valid, redact


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
