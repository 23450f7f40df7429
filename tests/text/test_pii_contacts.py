"""Contact details and account numbers: each form the redactor must find, and the numbers,
handles and words it must leave alone."""

from __future__ import annotations

import pytest

from advocacy.text.pii import iban_valid, luhn_valid, redact, redact_contacts

PHONES = [
    "07700900123",
    "07700 900 123",
    "07700 900123",
    "0049 30 1234567",
    "+49 (0)30 1234567",
    "(555) 123-4567",
    "555-123-4567",
    "555.123.4567",
    "1-555-123-4567",
    "+1 555 123 4567",
    "+44 20 7946 0958",
    "+44 (0)20 7946 0958",
    "030 1234567",
    "030/1234567",
    "+33 1 23 45 67 89",
    "01 23 45 67 89",
    "(11) 91234-5678",
    "+55 11 91234-5678",
]


@pytest.mark.parametrize("phone", PHONES)
def test_phone_numbers_in_national_and_international_forms(phone: str) -> None:
    assert redact_contacts(f"Call me on {phone}, thanks.") == "Call me on [phone], thanks."
    assert redact_contacts(f"({phone})") == "([phone])"
    assert redact_contacts(phone) == "[phone]"


NOT_PHONES = [
    "on 2021-03-04 at 10:30",
    "on 03/04/2021",
    "04.03.2021 10:30",
    "from 20/12/2020 - 15/01/2021",
    "on 03/04/2021 10 people came",
    "2021-03-04T10:30:00Z",
    "it cost $1,234.56 or 1.234,56 €",
    "£0.99 and 0,5 kg",
    "order 123456789",
    "order 0123456789",
    "order no. 07700900123",
    "invoice 5551234567",
    "#07700900123",
    "between 1990-2000 and 2019-2020",
    "open 09.30-17.00",
    "ratio 0.123456789",
    "ISBN 978-3-16-148410-0",
    "version 1.2.3",
    "5551234567",
    "1 2 3 4 5 6 7 8 9 10",
    "10-20 items, 100-200 boxes",
]


@pytest.mark.parametrize("text", NOT_PHONES)
def test_dates_times_prices_references_and_quantities_are_not_phones(text: str) -> None:
    assert redact_contacts(text) == text


def test_an_ip_address_is_masked_as_an_address_not_as_a_phone() -> None:
    assert redact_contacts("server 192.168.1.1") == "server [ip]"


def test_numbers_beside_a_phone_stay_and_every_phone_in_a_run_goes() -> None:
    assert redact_contacts("room 2 07700 900123") == "room 2 [phone]"
    assert redact_contacts("07700 900123 15 items") == "[phone] 15 items"
    assert redact_contacts("03/04/2021 07700 900123") == "03/04/2021 [phone]"
    assert redact_contacts("call 07700 900123 10:30") == "call [phone] 10:30"
    assert redact_contacts("07700 900123 07700 900124") == "[phone] [phone]"
    assert redact_contacts("tel:+442079460958") == "tel:[phone]"
    # A bare run of ten digits is a phone number only after a phone word.
    assert redact_contacts("call 5551234567") == "call [phone]"
    assert redact_contacts("order 0123456789, call 07700900123") == "order 0123456789, call [phone]"


@pytest.mark.parametrize(
    "card",
    [
        "4111 1111 1111 1111",
        "4111-1111-1111-1111",
        "4111111111111111",
        "5555 5555 5555 4444",
        "3782 822463 10005",  # American Express 4-6-5
        "6011 0009 9013 9424",
    ],
)
def test_payment_cards_in_their_printed_groupings(card: str) -> None:
    assert redact_contacts(f"I paid with {card}.") == "I paid with [card]."


def test_cards_need_the_luhn_digit_an_issuer_prefix_and_one_kind_of_separator() -> None:
    kept = [
        "order 1234 5678 9012 3456",  # fails Luhn
        "id 4111111111111112",  # fails Luhn
        "ref 7992739871300001",  # 7 is no card issuer's first digit
        "4111 1111-1111 1111",  # mixed separators are not a printed card
    ]
    assert [redact_contacts(text) for text in kept] == kept
    assert redact_contacts("4111 1111 1111 1111 123") == "[card] 123"  # then the CVV
    assert redact_contacts("4111 4111 1111 1111 1111 x") == "4111 [card] x"  # overlapping


def test_luhn_reference_numbers() -> None:
    # Visa and Mastercard test numbers pass; changing one digit fails.
    assert luhn_valid("4111111111111111")
    assert luhn_valid("5555555555554444")
    assert luhn_valid("79927398713")  # the example in Luhn's patent literature
    assert not luhn_valid("4111111111111112")


def test_ibans_by_their_mod_97_checksum() -> None:
    assert iban_valid("GB82 WEST 1234 5698 7654 32")  # ISO 13616's own example
    assert iban_valid("DE89370400440532013000")
    assert not iban_valid("GB82 WEST 1234 5698 7654 33")
    assert not iban_valid("GB82 WEST")
    assert redact_contacts("IBAN GB82 WEST 1234 5698 7654 32.") == "IBAN [iban]."
    assert redact_contacts("DE89370400440532013000") == "[iban]"
    assert redact_contacts("BE68 5390 0754 7034 then") == "[iban] then"
    assert redact_contacts("GB82 WEST 1234 5698 7654 33") == "GB82 WEST 1234 5698 7654 33"


def test_uk_and_canadian_postcodes_by_pattern_others_only_in_an_address() -> None:
    assert redact_contacts("London SW1A 1AA, UK") == "London [postcode], UK"
    assert redact_contacts("EC1A 1BB") == "[postcode]"
    assert redact_contacts("Ottawa K1A 0B1") == "Ottawa [postcode]"
    assert redact_contacts("12 Baker Street, 10115 Berlin") == "12 Baker Street, [postcode] Berlin"
    assert redact_contacts("Hauptstraße 5, 10115 Berlin") == "Hauptstraße 5, [postcode] Berlin"
    assert redact_contacts("Rua Augusta 123, 01310-100 São Paulo") == (
        "Rua Augusta 123, [postcode] São Paulo"
    )
    assert redact_contacts("Kerkstraat 12, 1012 AB Amsterdam") == (
        "Kerkstraat 12, [postcode] Amsterdam"
    )
    assert redact_contacts("zip: 90210") == "zip: [postcode]"
    kept = [
        "I bought 90210 units",
        "PS5 4GB edition",  # PS is no UK postcode area
        "in 2021 AD",
        "Street 5 was closed\n90210 units sold",  # the address is on another line
        "sw1a 1aa",  # postcodes are written in capitals
    ]
    assert [redact_contacts(text) for text in kept] == kept


@pytest.mark.parametrize(
    "address",
    [
        "ada.quill@example.org",
        "priya.raman+orders@example.co.uk",
        "o'brien@example.ie",
        "ada [at] example [dot] org",
        "ada(at)example(dot)org",
        "ada at example dot com",
        "ada [at] mail.example.org",
    ],
)
def test_email_addresses_plain_and_obfuscated(address: str) -> None:
    assert redact_contacts(f"write to {address}.") == "write to [email]."


def test_handles_and_at_signs_are_not_addresses() -> None:
    kept = ["@SouthwestAir thanks", "meet at noon", "a @ b", "look at example dot xyz", "@@@"]
    assert [redact_contacts(text) for text in kept] == kept


def test_every_kind_in_one_text() -> None:
    text = (
        "Hi, my name is Priya Raman. Email me at priya.raman+orders@example.co.uk or call "
        "+44 20 7946 0958 / (555) 123-4567. I paid with 4111 1111 1111 1111 "
        "and order 1234 5678 9012 3456; IBAN GB82 WEST 1234 5698 7654 32, SW1A 1AA."
    )
    assert redact(text) == (
        "Hi, my name is [name]. Email me at [email] or call "
        "[phone] / [phone]. I paid with [card] and order 1234 5678 9012 3456; IBAN [iban], "
        "[postcode]."
    )
