"""Redact personal data from texts before they are shown or exported.

E-mail addresses, phone numbers, payment-card numbers (only digit runs that pass the Luhn check,
so order numbers survive) and person names where they are detectable:

- after "my name is", "I'm", "this is", "ask for", "spoke to/with", and after honorifics (Mr,
  Mrs, Ms, Dr, ...);
- any capitalised first name of the shipped list ``models/given_names.txt`` (about 4,900 names
  of English-speaking, Indian and European customers, without those that are mostly words, such
  as "Will" or "May"; built by :mod:`advocacy.text.models.build_names`), with the capitalised
  word after it, the likely surname: "Thanks to Sarah Jones" reads "Thanks to [name]";
- any name in a list the caller passes (e.g. the workspace's customers and employees).

Names outside the list and not introduced ("Thanks, Oyelaran!") stay: redaction of free text
is a safeguard, not a guarantee. The original text stays only in the workspace; everything
displayed goes through :func:`redact`.

References
----------
Luhn, H. P. (1960). Computer for verifying numbers. US Patent 2,950,048.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache
from pathlib import Path

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
CARD = re.compile(r"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])")
PHONE = re.compile(
    r"(?<![\w+])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d{2,4}(?:[\s.-]?\d{2,4}){2,4}(?!\w)"
)
_NAME = r"[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+)?"
INTRODUCED = re.compile(
    r"(?i:\b(?:my name is|my name's|i am|i'm|this is|ask for|spoke (?:to|with)|talked to|"
    r"agent|manager|called)\s+)(" + _NAME + r")"
)
#: The shipped first names (one per line).
GIVEN_NAMES_FILE = Path(__file__).parent / "models" / "given_names.txt"
#: A word (any script, perhaps hyphenated), not part of a handle, hashtag or placeholder.
WORD = re.compile(r"(?<![\w@#\[])[^\W\d_][^\W\d_'’]*(?:-[^\W\d_]+)?")
#: Marks a first name found by :data:`WORD` until the word after it is checked for a surname.
_FOUND = "\x00name\x00"
_RUN = re.compile(_FOUND + r"(?:\s+" + _FOUND + r")+")
_SURNAME = re.compile(_FOUND + r"(\s+([^\W\d_][^\W\d_'’-]*))?")
HONORIFIC = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Madam)\.?\s+(" + _NAME + r")")
#: Capitalised words after "I'm"/"this is" that are not names.
NOT_NAMES = frozenset(
    [
        "Very",
        "So",
        "Not",
        "Happy",
        "Sorry",
        "Still",
        "Really",
        "Just",
        "Done",
        "Glad",
        "Angry",
        "The",
        "A",
        "An",
        "It",
        "This",
        "That",
        "Disappointed",
        "Frustrated",
        "Satisfied",
        "Impressed",
        "Back",
        "Here",
        "Going",
        "Writing",
        "Calling",
        "Mr",
        "Mrs",
        "Ms",
        "Miss",
        "Mx",
        "Dr",
        "Prof",
        "Sir",
        "Madam",
    ]
)
#: Phone matches need at least this many digits (shorter runs are quantities or dates).
PHONE_DIGITS = 9


def luhn_valid(digits: str) -> bool:
    """Whether a digit string passes the Luhn check (payment-card numbers do)."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _card(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return "[card]" if luhn_valid(digits) else match.group(0)


def _phone(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    # E.164 numbers have at most 15 digits; longer runs are references, not phones.
    return "[phone]" if PHONE_DIGITS <= len(digits) <= 15 else match.group(0)


def _person(match: re.Match[str]) -> str:
    name = match.group(1)
    if name.split()[0] in NOT_NAMES:
        return match.group(0)
    return match.group(0)[: match.start(1) - match.start(0)] + "[name]"


@cache
def given_names() -> frozenset[str]:
    """The first names of ``models/given_names.txt``."""
    return frozenset(GIVEN_NAMES_FILE.read_text(encoding="utf-8").split())


def _given(match: re.Match[str]) -> str:
    word = match.group(0)
    return _FOUND if word.istitle() and word in given_names() else word


def _surname(match: re.Match[str]) -> str:
    after = match.group(2)
    if after and after.istitle() and after not in NOT_NAMES:
        return "[name]"
    return "[name]" + (match.group(1) or "")


def redact(text: str | None, *, names: Iterable[str] = ()) -> str | None:
    """``text`` with e-mails, phones, card numbers and detectable person names replaced.

    >>> redact("Hi, my name is Jane Doe, card 4111 1111 1111 1111, call +44 20 7946 0958")
    'Hi, my name is [name], card [card], call [phone]'
    """
    if text is None:
        return None
    out = EMAIL.sub("[email]", text)
    out = CARD.sub(_card, out)
    out = PHONE.sub(_phone, out)
    out = HONORIFIC.sub(_person, out)
    out = INTRODUCED.sub(_person, out)
    out = _SURNAME.sub(_surname, _RUN.sub(_FOUND, WORD.sub(_given, out)))
    pattern = _known_names_pattern(names if isinstance(names, tuple) else tuple(names))
    return pattern.sub("[name]", out) if pattern is not None else out


@lru_cache(maxsize=8)
def _known_names_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern for the caller's names, longest first; built once per list, not per text."""
    known = sorted(
        {name.strip() for name in names if name and len(name.strip()) > 2}, key=len, reverse=True
    )
    if not known:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(name) for name in known) + r")\b")
