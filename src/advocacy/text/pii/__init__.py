"""Redact personal data from texts before they are shown, exported or sent: the one redactor.

The web pages and the API (viewer masking), reports (``--redact``), exports (``--redact``),
e-mails and webhooks all redact through here:

- :func:`redact` is the one-call form: ``redact(text, names=[...])``;
- :class:`Redactor` is built once per workspace (:meth:`Redactor.for_workspace`, which fails
  closed with :class:`advocacy.errors.RedactionError` when the workspace's identities cannot be
  read) and redacts any number of texts cheaply.

What is replaced: e-mail addresses (also ``ada [at] example [dot] org``), phone numbers in
national and international forms, payment-card numbers (Luhn), IBANs (mod 97) and postcodes
(:mod:`advocacy.text.pii.contacts`); the workspace's known people and person names detected by
the shipped first-name list, introductions and titles (:mod:`advocacy.text.pii.names`). Every
pattern runs in linear time, and no text longer than :data:`MAX_CHUNK` characters reaches a
regular expression in one piece.

The original text stays only in the workspace; everything displayed goes through here.
Redaction of free text is a safeguard, not a guarantee: the module docstrings say what is left.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import overload

from advocacy.text.pii.contacts import iban_valid, luhn_valid, redact_contacts
from advocacy.text.pii.identities import workspace_redactor
from advocacy.text.pii.names import GIVEN_NAMES_FILE, NAME_WORDS_FILE, given_names, name_words
from advocacy.text.pii.phones import phone_number
from advocacy.text.pii.redactor import MAX_CHUNK, Redactor, pieces

__all__ = [
    "GIVEN_NAMES_FILE",
    "MAX_CHUNK",
    "NAME_WORDS_FILE",
    "Redactor",
    "given_names",
    "iban_valid",
    "luhn_valid",
    "name_words",
    "phone_number",
    "pieces",
    "redact",
    "redact_contacts",
    "workspace_redactor",
]


@overload
def redact(text: str, *, names: Iterable[str] = ()) -> str: ...


@overload
def redact(text: None, *, names: Iterable[str] = ()) -> None: ...


def redact(text: str | None, *, names: Iterable[str] = ()) -> str | None:
    """``text`` with e-mails, phones, card numbers, IBANs, postcodes and person names replaced.

    ``names`` are people to mask wherever they appear (for a workspace's full set of identities,
    build a :class:`Redactor` once with :meth:`Redactor.for_workspace`).

    Parameters
    ----------
    text
        The text to redact; None passes through.
    names
        People's names to mask wherever they appear.

    Returns
    -------
    str or None
        The text with each finding replaced by its kind in brackets (``[email]``, ``[name]``,
        ...); None for None.

    Examples
    --------
    >>> redact("Hi, my name is Jane Doe, card 4111 1111 1111 1111, call +44 20 7946 0958")
    'Hi, my name is [name], card [card], call [phone]'
    """
    if text is None:
        return None
    return _redactor(names if isinstance(names, tuple) else tuple(names)).redact(text)


@lru_cache(maxsize=8)
def _redactor(names: tuple[str, ...]) -> Redactor:
    """One redactor per list of names: its index is built once, not once per text."""
    return Redactor(names)
