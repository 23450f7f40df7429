"""A quote's text as report and web show it: what the customer wrote, without markup.

Customers paste markup and code into comments (``<script>alert("x")</script> The app
<b>crashed</b>``). Shown escaped they are safe but unreadable; a quote shows the words around
them. Imports only :mod:`advocacy.text.markup`, so a page can use it without loading the quote
choice's redactor.
"""

from __future__ import annotations

import re

from advocacy.text.markup import without_markup

__all__ = ["shown_quote"]

#: What only pasted markup holds: a tag or an entity of one (``<b>``, ``&lt;b&gt;``) or an event
#: attribute (``onerror=``). A quote without any is shown as written (spacing folded), so "the
#: checkout on www.shop.com fails" keeps its address.
_PASTED = re.compile(r"<[/!?]?[A-Za-z]|&lt;|\bon[a-z]{3,20}\s*=", re.IGNORECASE)


def shown_quote(text: str) -> str:
    """``text`` as a quote shows it: when it holds pasted markup, its markup, code and
    addresses taken out (:func:`~advocacy.text.markup.without_markup`); its spacing made one
    space, so a pasted
    ``<b>crashed</b>`` reads "crashed" rather than showing the tags escaped. The prose is kept
    whole, cut nowhere; what goes is what the theme names and key terms leave out too (tags,
    code, web addresses, @handles). A text that is nothing but markup is shown as written
    (escaped where it is shown), never as an empty quote.

    >>> shown_quote('<script>alert("x")</script> The app <b>crashed</b> twice.')
    'The app crashed twice.'
    >>> shown_quote("Fast  delivery,\\n great price"), shown_quote("<br>")
    ('Fast delivery, great price', '<br>')
    >>> shown_quote("The checkout on www.shop.com fails, ask @help")
    'The checkout on www.shop.com fails, ask @help'
    """
    if not _PASTED.search(text):  # a customer's own words, addresses and handles kept
        return " ".join(text.split())
    prose = " ".join(without_markup(text).split())
    return prose or text.strip()
