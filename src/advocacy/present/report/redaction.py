"""Redact a rendered report for sharing outside: personal data out of every text, identities masked.

Two passes over the text of the HTML (never its tags, styles or chart geometry):

1. patterns: e-mail addresses, phone numbers and payment-card numbers (Luhn-checked) become
   ``[email]``, ``[phone]`` and ``[card]``;
2. identities: every customer's name, e-mail, phone and id known to the workspace (and the
   authors of mentions and the contacts of referrals) becomes ``[customer]``.

Names are matched as whole runs of words, so "Ada Quill" is masked but the word "Ada" elsewhere
is not; a run of up to :data:`LONGEST_NAME` words is looked up in a set, so the cost grows with
the report's text, not with the number of customers.
"""

from __future__ import annotations

import html as html_text
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from advocacy.workspace import Workspace

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(
    r"(?<![\w.,])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)[\s.-]?)?\d{2,4}(?:[\s.-]\d{2,4}){1,4}(?!\w|[.,]\d)"
)
CARD = re.compile(r"(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
WORD = re.compile(r"[\w'’.@+-]+")
#: Longest customer name, in words, that identity masking looks for.
LONGEST_NAME = 5
#: Fewer digits than this is a number in a sentence, not a phone number.
PHONE_DIGITS = 9

_ATTRIBUTE = re.compile(r"\s([\w:.-]+)=([\"'])(.*?)\2", re.S)
#: Attributes people read (tooltips, labels, links): redacted like text.
READABLE = frozenset({"title", "aria-label", "alt", "href", "content", "value", "placeholder"})
_MARKUP = re.compile(r"(<style\b.*?</style>|<script\b.*?</script>|<[^>]*>)", re.S | re.I)


def _luhn(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _card(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group())
    return "[card]" if _luhn(digits) else match.group()


def _phone(match: re.Match[str]) -> str:
    text = match.group()
    digits = re.sub(r"\D", "", text)
    if ISO_DATE.match(text) or not (PHONE_DIGITS <= len(digits) <= 15 or text.startswith("+")):
        return text
    return "[phone]"


def redact_text(text: str) -> str:
    """``text`` with e-mail addresses, card numbers and phone numbers replaced by placeholders.

    Examples
    --------
    >>> redact_text("mail ada@example.org or call +44 20 7946 0958")
    'mail [email] or call [phone]'
    """
    text = EMAIL.sub("[email]", text)
    text = CARD.sub(_card, text)
    return PHONE.sub(_phone, text)


def _normal(words: Iterable[str]) -> str:
    return " ".join(word.strip(".,;:!?'’").casefold() for word in words)


class IdentityMask:
    """Replaces known identities (names, e-mails, phones, ids) in text by ``[customer]``."""

    def __init__(self, identities: Iterable[str]) -> None:
        self.identities = {
            _normal(value.split()) for value in identities if value and len(value.strip()) > 2
        }

    def __call__(self, text: str) -> str:
        if not self.identities:
            return text
        words = list(WORD.finditer(text))
        pieces: list[str] = []
        last = 0
        index = 0
        while index < len(words):
            for width in range(min(LONGEST_NAME, len(words) - index), 0, -1):
                run = words[index : index + width]
                if _normal(match.group() for match in run) in self.identities:
                    start, end = run[0].start(), run[-1].end()
                    trailing = len(run[-1].group()) - len(run[-1].group().rstrip(".,;:!?"))
                    pieces.append(text[last:start] + "[customer]")
                    last = end - trailing
                    index += width
                    break
            else:
                index += 1
        pieces.append(text[last:])
        return "".join(pieces)


def workspace_identities(ws: Workspace) -> set[str]:
    """Every customer name, e-mail, phone and id, mention author and referral contact."""
    queries = [
        ("customers", ("customer_id", "name", "email", "phone")),
        ("mentions", ("author",)),
        ("referrals", ("referred_contact",)),
    ]
    found: set[str] = set()
    for table, columns in queries:
        try:
            data = ws.table(table).select(*columns).distinct().to_pyarrow()
        except Exception:  # a table an older workspace lacks: nothing to mask from it
            continue
        for column in data.column_names:
            found.update(str(value) for value in data.column(column).to_pylist() if value)
    return found


def redact_html(html: str, identities: Iterable[str] = ()) -> str:
    """The HTML document with personal data removed from every text node.

    Tags, attributes, ``<style>`` and ``<script>`` are left as they are, so the layout and the
    charts' geometry survive; chart labels are text nodes and are redacted like any other text.
    """
    mask = IdentityMask(identities)

    def attribute(match: re.Match[str]) -> str:
        name, quote, value = match.group(1), match.group(2), html_text.unescape(match.group(3))
        # Geometry and styling attributes hold numbers that look like phone numbers: only
        # e-mails and known identities are looked for there; readable ones get everything.
        clean = mask(value)
        clean = redact_text(clean) if name.lower() in READABLE else EMAIL.sub("[email]", clean)
        return f" {name}={quote}{html_text.escape(clean, quote=True)}{quote}"

    parts = _MARKUP.split(html)
    for index, part in enumerate(parts):
        if index % 2 == 0:  # text between tags
            if part.strip():
                plain = html_text.unescape(part)
                parts[index] = html_text.escape(redact_text(mask(plain)), quote=False)
        elif part.startswith("<") and not part.lower().startswith(("<style", "<script")):
            parts[index] = _ATTRIBUTE.sub(attribute, part)
    return "".join(parts)
