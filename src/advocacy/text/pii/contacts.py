"""Contact details and account numbers in free text: e-mails, phones, cards, IBANs, postcodes,
IP addresses (:mod:`advocacy.text.pii.ip_addresses`).

Each finder is one pass of a linear-time regular expression followed, where the shape alone is
not enough, by a check in Python: the Luhn digit of card numbers, the mod-97 checksum of IBANs,
digit counts and prefixes of phone numbers, the postcode areas of the United Kingdom.

Linear time is by construction, not by luck: a pattern may only start where the character before
it cannot continue it (a look-behind), every repetition over unbounded input is possessive
(``++``, ``*+``: it never gives back what it took), and repetitions that may backtrack are
bounded by a small constant. So each character is scanned a bounded number of times whatever
the input (a megabyte of letters, digits, dots, dashes or ``@``), which
``benchmarks/redaction.py`` measures and ``tests/text/test_pii_redactor.py`` checks the shape
of.

What is found, and what is left:

- **E-mail addresses**, and the obfuscated forms people write to dodge address harvesters:
  ``ada [at] example [dot] org``, ``ada(at)example(dot)org`` and ``ada at example dot org``
  (the last only with a common top-level domain, since "meet at home dot com" is English too).
  They are redacted because they are still an address a reader can use.
- **Phone numbers**, national and international (:mod:`advocacy.text.pii.phones`), which are
  not dates, times, prices, years, ranges or references.
- **Payment-card numbers**: 13 to 19 digits, contiguous or in the printed groupings (4-4-4-4,
  4-6-5, 4-6-4, 4-4-4-4-3), starting with 2 to 6 as card issuers' numbers do, and passing the
  Luhn check (so most order numbers survive).
- **IBANs**: country letters, two check digits and 11 to 30 letters or digits, printed in groups
  of four or not, whose mod-97 checksum is 1 (ISO 13616).
- **Postcodes**: those of the United Kingdom by their pattern (``SW1A 1AA``; capitals, a known
  postcode area) and Canada's (``K1A 0B1``), which do not look like anything else. The five-digit
  codes of the US, Germany, France, Spain and Italy, Brazil's ``01310-100`` and the Netherlands'
  ``1012 AB`` look like years, quantities and references, so they are redacted only in an address
  context: after a postcode word (zip, postcode, PLZ, CEP, code postal, ...) or a street word and
  a house number ("12 Baker Street, 10115 Berlin").

References
----------
Luhn, H. P. (1960). Computer for verifying numbers. US Patent 2,950,048.
ISO 13616-1:2020. Financial services - International bank account number (IBAN).
"""

from __future__ import annotations

import bisect
import re

from advocacy.text.pii.ip_addresses import mask_ip_addresses
from advocacy.text.pii.phones import find_phones
from advocacy.text.pii.vocabulary import UK_POSTCODE_AREAS

EMAIL_LABEL = "[email]"
CARD_LABEL = "[card]"
IBAN_LABEL = "[iban]"
POSTCODE_LABEL = "[postcode]"

_LOCAL = r"[\w.+%'’-]"
#: An address: a run of local-part characters (only from its start), ``@``, dot-separated
#: labels, and a top-level domain of letters.
EMAIL = re.compile(
    rf"(?<!{_LOCAL}){_LOCAL}++@(?:[^\W_][\w-]*+\.(?=[^\W_]))++[^\W\d_]{{2,63}}+(?![\w-])"
)
#: Obfuscated addresses: ``ada [at] example [dot] org`` and its variants.
_AT = r"(?:\s{0,3}+[\[(<{]\s{0,2}+(?:at|AT)\s{0,2}+[\])>}]\s{0,3}+)"
_DOT = r"(?:\s{0,3}+[\[(<{]\s{0,2}+(?:dot|DOT)\s{0,2}+[\])>}]\s{0,3}+|\.)"
#: The labels' repetition may give back (at most four), so the last label can be the domain.
EMAIL_BRACKETED = re.compile(
    rf"(?<!{_LOCAL}){_LOCAL}++{_AT}[^\W_][\w-]*+(?:{_DOT}[^\W_][\w-]*+){{0,4}}"
    rf"{_DOT}[^\W\d_]{{2,63}}+(?![\w-])"
)
_BRACKETED_AT = re.compile(r"[\[(<{]\s{0,2}+(?:at|AT)\s{0,2}+[\])>}]")
#: Common top-level domains: ``ada at example dot com`` needs one (module docstring).
COMMON_TLDS = (
    "com|org|net|edu|gov|io|co|info|biz|me|uk|de|fr|es|it|nl|pt|br|ca|au|in|ie|be|ch|at|pl|"
    "se|no|dk|fi|us|mx|ar|jp|cn|ru|eu"
)
EMAIL_SPELLED = re.compile(
    rf"(?<!{_LOCAL}){_LOCAL}++ {{1,3}}+at {{1,3}}+[^\W_][\w-]*+"
    rf"(?: {{1,3}}+dot {{1,3}}+[^\W_][\w-]*+){{0,3}} {{1,3}}+dot {{1,3}}+(?:{COMMON_TLDS})(?![\w-])"
)

#: Card numbers: contiguous or in their printed groups, one separator kind throughout.
CARD = re.compile(
    r"(?<![\w+-])[2-6](?:\d{12,18}+"
    r"|\d{3}(?P<s>[ -]?)\d{4}(?P=s)\d{4}(?P=s)\d{4}(?:(?P=s)\d{3})?"
    r"|\d{3}(?P<t>[ -]?)\d{6}(?P=t)\d{4,5})(?![\w-]|[.,]\d)"
)
#: Where a card number may start (the search skips everything else quickly).
_CARD_START = re.compile(r"[2-6](?<![\w+-][2-6])")
#: IBANs: two letters, two check digits, then groups of four (the last shorter), spaced or not.
IBAN = re.compile(
    r"[A-Z](?<![\w-][A-Z])[A-Z]\d{2}(?: ?[A-Za-z0-9]{4}){2,7}(?: ?[A-Za-z0-9]{1,3})?(?![\w-])"
)
#: Each letter of an IBAN as the number ISO 13616 gives it (A = 10 ... Z = 35).
_IBAN_DIGITS = str.maketrans({chr(ord("A") + value): str(10 + value) for value in range(26)})
#: Shortest and longest IBANs of ISO 13616's registry.
IBAN_LENGTH = (15, 34)

#: Outward code (area letters, district) and inward code (a digit, two letters never C I K M O V).
UK_POSTCODE = re.compile(
    r"(?P<area>[A-Z](?<![\w-][A-Z])[A-Z]?+)\d(?:\d|[A-Z])? ?\d[ABD-HJLNP-UW-Z]{2}(?![\w-])"
)
CA_POSTCODE = re.compile(r"[ABCEGHJ-NPRSTVXY](?<![\w-].)\d[A-Z] ?\d[A-Z]\d(?![\w-])")
#: Postcodes that need an address context: 5 digits (US, DE, FR, ES, IT; ZIP+4; Brazil's
#: 12345-678) and the Netherlands' 1234 AB.
OTHER_POSTCODE = re.compile(
    r"\d(?<![\w.,/#:-]\d)(?:\d{4}(?:-\d{3,4})?|(?<=[1-9])\d{3} ?[A-Z]{2})(?![\w]|[.,:/-]?\d)"
)
#: Words that announce a postcode (the code may follow after a colon or dash).
_POSTCODE_WORD = re.compile(
    r"(?i)\b(?:zip(?: ?code)?|post ?code|postal code|code postal|c[óo]digo postal|plz|cep|cap|"
    r"postleitzahl)\b\W{0,3}"
)
#: Street words, and the endings of compound street names (Kerkstraat, Hauptstraße).
_STREET = re.compile(
    r"(?i)\b(?:street|st|road|rd|avenue|ave|lane|ln|drive|dr|boulevard|blvd|way|court|ct|place|"
    r"pl|square|sq|str|rue|chemin|calle|avenida|av|rua|travessa|via|viale|piazza|corso)\b"
    r"|\b[^\W\d_]*?(?:straße|strasse|straat|weg|gasse|platz|allee|laan|plein|gracht|kade)\b"
)
#: A house number: 1 to 4 digits, perhaps a letter (12, 221b).
_HOUSE_NUMBER = re.compile(r"(?<![\w.,/-])[1-9]\d{0,3}[a-zA-Z]?(?![\w]|[.,/-]\d)")
_LINE_BREAK = re.compile(r"\n")
#: Any word that may start an address context: without one, no candidate needs checking.
_ADDRESS_WORD = re.compile(_POSTCODE_WORD.pattern + "|" + _STREET.pattern[4:])
#: Characters before a postcode that the address context is looked for in.
ADDRESS_LOOK_BACK = 80


def luhn_valid(digits: str) -> bool:
    """Whether a digit string passes the Luhn check (payment-card numbers do).

    >>> luhn_valid("4111111111111111"), luhn_valid("4111111111111112")
    (True, False)
    """
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def iban_valid(text: str) -> bool:
    """Whether ``text`` (spaces allowed) is an IBAN by length and its mod-97 checksum.

    >>> iban_valid("GB82 WEST 1234 5698 7654 32"), iban_valid("GB82 WEST 1234 5698 7654 33")
    (True, False)
    """
    compact = text.replace(" ", "").upper()
    if not (IBAN_LENGTH[0] <= len(compact) <= IBAN_LENGTH[1]) or not compact[:2].isalpha():
        return False
    # Country and check digits go to the end, letters become 10..35, and the whole number
    # (at most 68 digits) must leave 1 when divided by 97.
    return int((compact[4:] + compact[:4]).translate(_IBAN_DIGITS)) % 97 == 1


def _card_digits(candidate: str) -> str | None:
    """The card number in ``candidate``: all of it, or its first 16 digits (then a CVV)."""
    digits = "".join(char for char in candidate if char.isdigit())
    if luhn_valid(digits):
        return candidate
    if len(digits) == 19 and luhn_valid(digits[:16]):  # 4-4-4-4 card, then three more digits
        return candidate[:-4]
    return None


def _iban(match: re.Match[str]) -> str:
    candidate = match.group(0)
    # Words or numbers after a spaced IBAN ("... 7034 then", "... 1332 1234") read as more
    # groups: drop up to three of them until the checksum holds.
    head = candidate
    for _ in range(4):
        if iban_valid(head):
            return IBAN_LABEL + candidate[len(head) :]
        head, space, _ = head.rpartition(" ")
        if not space:
            break
    return candidate


def find_emails(text: str) -> str:
    """``text`` with e-mail addresses, plain and obfuscated, replaced by ``[email]``."""
    if "@" in text:
        text = EMAIL.sub(EMAIL_LABEL, text)
    if _BRACKETED_AT.search(text):
        text = EMAIL_BRACKETED.sub(EMAIL_LABEL, text)
    if " dot " in text.lower():
        text = EMAIL_SPELLED.sub(EMAIL_LABEL, text)
    return text


def find_cards(text: str) -> str:
    """``text`` with Luhn-valid payment-card numbers replaced by ``[card]``.

    Candidates may overlap ("4111 4111 1111 1111 1111": a number, then a card), so each start
    is tried (a look-ahead finds them all, each in a bounded number of steps) and the valid ones
    are replaced from the left.
    """
    out: list[str] = []
    last = 0
    for start_match in _CARD_START.finditer(text):
        start = start_match.start()
        match = CARD.match(text, start)
        if start < last or match is None:
            continue
        card = _card_digits(match.group(0))
        if card is not None:
            out.append(text[last:start])
            out.append(CARD_LABEL)
            last = start + len(card)
    out.append(text[last:])
    return "".join(out)


def find_ibans(text: str) -> str:
    """``text`` with checksum-valid IBANs replaced by ``[iban]``."""
    return IBAN.sub(_iban, text)


class _AddressContext:
    """Where a text has postcode words, street words, house numbers and line breaks.

    Found once per text by three linear scans, so deciding whether a postcode candidate stands
    in an address costs a few binary searches, however many candidates there are.
    """

    def __init__(self, text: str) -> None:
        self.postcode_words = [match.end() for match in _POSTCODE_WORD.finditer(text)]
        self.streets = [match.start() for match in _STREET.finditer(text)]
        self.numbers = [match.start() for match in _HOUSE_NUMBER.finditer(text)]
        self.lines = [match.start() for match in _LINE_BREAK.finditer(text)]

    def _any_in(self, positions: list[int], low: int, high: int) -> bool:
        index = bisect.bisect_left(positions, low)
        return index < len(positions) and positions[index] < high

    def before(self, start: int) -> bool:
        """Whether a postcode word ends just before ``start``, or a street and a number stand
        within :data:`ADDRESS_LOOK_BACK` characters before it on the same line."""
        index = bisect.bisect_right(self.postcode_words, start) - 1
        if index >= 0 and start - self.postcode_words[index] <= 3:
            return True
        line = bisect.bisect_right(self.lines, start) - 1
        low = max(start - ADDRESS_LOOK_BACK, self.lines[line] if line >= 0 else 0)
        return self._any_in(self.streets, low, start) and self._any_in(self.numbers, low, start)


def find_postcodes(text: str) -> str:
    """``text`` with postcodes (module docstring) replaced by ``[postcode]``."""

    def uk(match: re.Match[str]) -> str:
        return POSTCODE_LABEL if match.group("area") in UK_POSTCODE_AREAS else match.group(0)

    text = UK_POSTCODE.sub(uk, text)
    text = CA_POSTCODE.sub(POSTCODE_LABEL, text)
    if not OTHER_POSTCODE.search(text) or not _ADDRESS_WORD.search(text):
        return text
    context = _AddressContext(text)

    def other(match: re.Match[str]) -> str:
        return POSTCODE_LABEL if context.before(match.start()) else match.group(0)

    return OTHER_POSTCODE.sub(other, text)


def redact_contacts(text: str, *, numbers: bool = True) -> str:
    """``text`` with every contact detail and account number of the module docstring replaced.

    ``numbers=False`` leaves digits alone (phones, cards, IBANs, postcodes) and replaces only
    e-mail addresses: for text that is mostly numbers by design, such as chart geometry.
    """
    text = find_emails(text)
    if not numbers or not _HAS_DIGIT.search(text):
        return text
    text = mask_ip_addresses(text)  # before phones: "192.168.1.7" is no phone number
    text = find_ibans(text)
    text = find_cards(text)
    text = find_phones(text)
    return find_postcodes(text)


_HAS_DIGIT = re.compile(r"\d")
