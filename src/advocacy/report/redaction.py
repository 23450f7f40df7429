"""Redact a rendered report for sharing outside: every text node and readable attribute of the
HTML goes through the one redactor, :class:`advocacy.text.pii.Redactor`.

The report holds no patterns of its own: it only walks the HTML. Tags, ``<style>`` and
``<script>`` are left as they are, so the layout and the charts' geometry survive; chart labels
are text nodes and are redacted like any other text. Attributes people read (tooltips, labels,
links) are redacted like text; the others (geometry, classes, styles) hold numbers that look
like phone numbers, so there digits are left alone and only e-mail addresses and names are
replaced. The redactor is built for the workspace (:meth:`Redactor.for_workspace`), so every
customer's name, id and phone number known to it is masked, and it fails closed: when the
identities cannot be read, :class:`advocacy.errors.RedactionError` is raised and no report is
written.
"""

from __future__ import annotations

import html as html_text
import re

from advocacy.text.pii import Redactor

_ATTRIBUTE = re.compile(r"\s([\w:.-]+)=([\"'])(.*?)\2", re.S)
#: Attributes people read (tooltips, labels, links): redacted like text.
READABLE = frozenset({"title", "aria-label", "alt", "href", "content", "value", "placeholder"})
_MARKUP = re.compile(r"(<style\b.*?</style>|<script\b.*?</script>|<[^>]*>)", re.S | re.I)


def redact_html(html: str, redactor: Redactor) -> str:
    """The HTML document with personal data removed from every text node and attribute.

    Examples
    --------
    >>> redact_html("<p title='ada@example.org'>Call Ada Quill on 07700 900123</p>",
    ...             Redactor(["Ada Quill"]))
    "<p title='[email]'>Call [name] on [phone]</p>"
    """

    def attribute(match: re.Match[str]) -> str:
        name, quote, value = match.group(1), match.group(2), html_text.unescape(match.group(3))
        clean = redactor.redact(value, numbers=name.lower() in READABLE)
        return f" {name}={quote}{html_text.escape(clean, quote=True)}{quote}"

    parts = _MARKUP.split(html)
    for index, part in enumerate(parts):
        if index % 2 == 0:  # text between tags
            if part.strip():
                plain = html_text.unescape(part)
                parts[index] = html_text.escape(redactor.redact(plain), quote=False)
        elif part.startswith("<") and not part.lower().startswith(("<style", "<script")):
            parts[index] = _ATTRIBUTE.sub(attribute, part)
    return "".join(parts)
