"""A page's words as a reader sees them: tags dropped, entities unescaped, spaces collapsed."""

from __future__ import annotations

import html
import re


def page_words(page: str) -> str:
    """The text of an HTML ``page`` in one line, for asserting what a reader reads."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())
