"""The one redactor: every text shown or sent outside goes through :class:`Redactor`.

A :class:`Redactor` holds the identities a workspace knows (built once per workspace, or per
data generation in a server, by :meth:`Redactor.for_workspace`) and redacts any number of texts
with them; :func:`advocacy.text.pii.redact` is the one-call form for a text and a list of names.

Each text is normalised to composed Unicode (so "José" written with a combining accent is the
"José" of the name list), then cut into pieces of at most :data:`MAX_CHUNK` characters at line
breaks, sentence ends or spaces between words, so no regular expression ever sees more than that
at once; each piece goes through the contact patterns (:mod:`advocacy.text.pii.contacts`), then
the name finder (:mod:`advocacy.text.pii.names`). Every step is linear in the text's length.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from functools import cached_property
from typing import TYPE_CHECKING, overload

from advocacy.text.pii.contacts import redact_contacts
from advocacy.text.pii.names import NAME_LABEL, IdentityIndex, find_names
from advocacy.text.pii.phones import PHONE_LABEL

if TYPE_CHECKING:
    from advocacy.store.connection import Database

#: The most characters any regular expression sees at once; longer texts are cut into pieces.
MAX_CHUNK = 65_536
#: How far back from a piece's end a good place to cut (a line break, a sentence end, a space
#: between words) is looked for before cutting at a space anywhere, or at the limit itself.
CUT_WINDOW = 4_096
#: The placeholder of a known customer id.
CUSTOMER_LABEL = "[customer]"


class Redactor:
    """Replaces personal data in free text by placeholders: ``[name]``, ``[email]``, ...

    Parameters
    ----------
    names
        Names of people the workspace knows (customers, employees, interviewers, referral
        contacts): masked wherever they stand, handles included.
    accounts
        Account names known only as authors of mentions: masked like names, except written as
        a handle or hashtag (``@SouthwestAir``), since brands' own accounts are authors too.
    identifiers
        Customer ids, masked as ``[customer]``.
    phones
        Phone numbers as the workspace stores them, masked as ``[phone]`` even in forms the
        phone patterns do not know.

    Examples
    --------
    >>> redactor = Redactor(names=["Ada Quill"], identifiers=["CUST-0042"])
    >>> redactor.redact("ada quill (CUST-0042) wrote from ada@example.org")
    '[name] ([customer]) wrote from [email]'
    """

    def __init__(
        self,
        names: Iterable[str] = (),
        *,
        accounts: Iterable[str] = (),
        identifiers: Iterable[str] = (),
        phones: Iterable[str] = (),
    ) -> None:
        self.names = tuple(names)
        self.accounts = tuple(accounts)
        self.identifiers = tuple(identifiers)
        self.phones = tuple(phones)

    @classmethod
    def for_workspace(cls, db: Database) -> Redactor:
        """A redactor knowing every identity of the workspace in ``db``.

        Raises
        ------
        RedactionError
            When the identities cannot be read (a table missing, a query failing): redacting
            without them could show a customer's name, so nothing is redacted at all.
        """
        from advocacy.text.pii.identities import workspace_redactor

        return workspace_redactor(db)

    @cached_property
    def index(self) -> IdentityIndex:
        """The identities as runs of words (built on first use, then reused)."""
        return IdentityIndex(
            [
                *((value, NAME_LABEL, True) for value in self.names),
                *((value, NAME_LABEL, False) for value in self.accounts),
                *((value, CUSTOMER_LABEL, True) for value in self.identifiers),
                *((value, PHONE_LABEL, True) for value in self.phones),
            ]
        )

    @overload
    def redact(self, text: str, *, numbers: bool = True) -> str: ...

    @overload
    def redact(self, text: None, *, numbers: bool = True) -> None: ...

    def redact(self, text: str | None, *, numbers: bool = True) -> str | None:
        """``text`` with personal data replaced (None stays None).

        ``numbers=False`` leaves digits alone (phones, cards, IBANs, postcodes): for text that
        is numbers by design, such as the geometry of a chart.
        """
        if text is None:
            return None
        text = unicodedata.normalize("NFC", text)
        return "".join(self._piece(piece, numbers=numbers) for piece in pieces(text))

    __call__ = redact

    def redact_all(self, texts: Iterable[str | None]) -> list[str | None]:
        """:meth:`redact` of each text, in order."""
        return [self.redact(text) for text in texts]

    def _piece(self, text: str, *, numbers: bool) -> str:
        text = redact_contacts(text, numbers=numbers)
        found = find_names(text, self.index)
        if not found:
            return text
        out: list[str] = []
        last = 0
        for start, end, label in found:
            out.append(text[last:start])
            out.append(label)
            last = end
        out.append(text[last:])
        return "".join(out)

    def __repr__(self) -> str:
        return (
            f"Redactor({len(self.names)} names, {len(self.accounts)} accounts, "
            f"{len(self.identifiers)} identifiers, {len(self.phones)} phones)"
        )


def _cut(text: str, start: int, limit: int) -> int:
    """Where to end the piece that begins at ``start`` (at most ``limit`` characters long)."""
    end = start + limit
    low = max(start + 1, end - CUT_WINDOW)
    for mark in ("\n", ". ", "! ", "? "):
        found = text.rfind(mark, low, end)
        if found >= 0:
            return found + len(mark)
    # A space between two words, not inside a number ("07700 900123") or a name run.
    position = end
    for _ in range(64):
        found = text.rfind(" ", low, position)
        if found < 0:
            break
        before, after = text[found - 1 : found], text[found + 1 : found + 2]
        if before.isalpha() and after.islower():
            return found + 1
        position = found
    found = text.rfind(" ", low, end)
    return found + 1 if found >= 0 else end


def pieces(text: str, limit: int = MAX_CHUNK) -> Iterator[str]:
    """``text`` cut into consecutive pieces of at most ``limit`` characters (module docstring).

    >>> [len(piece) for piece in pieces("word " * 30, limit=64)]
    [60, 60, 30]
    """
    start = 0
    while len(text) - start > limit:
        end = _cut(text, start, limit)
        yield text[start:end]
        start = end
    yield text[start:]
