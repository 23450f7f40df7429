"""Markup, code and addresses in customers' texts, taken out before words are read from them.

Comments arrive from web forms and exports carrying whatever was typed or pasted: HTML and XML
tags (``<img src=x onerror=alert(1)>``), their escaped forms (``&lt;script&gt;``), script
addresses (``javascript:alert(1)``), event attributes, web addresses, @handles and code
(``alert(1)``, ``${jndi:ldap://x}``). Shown, they are escaped; but their words
("alert", "onerror", "img", "src") are not what customers say, and four such rows once named a
66-comment theme "alert / loves". :func:`without_markup` replaces each of them with a line break,
so a theme name, a theme's key terms or a quote's words are read from what is left, and no
phrase spans the place where one was.

Hand-written (no maintained library strips code-like tokens from prose); every pattern is
bounded, so the cost is linear in the text.
"""

from __future__ import annotations

import html
import re

__all__ = ["without_markup"]

#: A tag, opening, closing or self-closing, and comments and declarations (``<!-- -->``,
#: ``<!DOCTYPE>``, ``<?xml?>``); an unclosed one (``<img src=x``) up to the end of its name.
_TAG = re.compile(
    r"<[/!?]?[A-Za-z][^<>]{0,500}>|<!--.{0,2000}?-->|<[/!?]?[A-Za-z][\w:-]{0,40}", re.S
)
#: Addresses of the schemes a link or a script runs through, ``www.`` addresses, @handles ("Big
#: data: the future" keeps its words: an address has no space after its scheme; a ``data:``
#: address names a media type, ``data:text/html,...``, so "Data:great" is prose).
_ADDRESS = re.compile(
    r"(?:\b(?:https?|ftp|file|javascript|vbscript|mailto):(?=\S)|\bdata:[\w.+-]{1,60}/|www\.)"
    r"\S{0,500}"
    r"|(?<![\w.])@[^\W_][\w.]{0,60}",
    re.IGNORECASE,
)
#: An event attribute outside a tag (``onerror=alert(1)``, ``onload = "x()"``).
_EVENT = re.compile(r"\bon[a-z]{3,20}\s*=\s*(?:\"[^\"]{0,500}\"|'[^']{0,500}'|\S{0,500})", re.I)
#: Functions scripts call to show they ran or to run more (``alert(1)``): a call of one of them
#: is code whatever its arguments.
_SINKS = (
    "alert|prompt|confirm|eval|atob|btoa|fetch|require|import|setTimeout|setInterval|Function|"
    "fromCharCode|expression|execScript|write|writeln"
)
#: A word that is code: it holds \\, a template or object (``{{``, ``}}``, ``{"``; not
#: "{great}"), a backtick not between letters ("Fairy`s" is prose), ``${`` or ``$(`` (not a
#: price, "$60", nor "$s"), ``||``, ``&&``, ``==``, ``!=``, a comment after a ``;`` (``;--``,
#: ``;//``), a pipe into a quote (``cmd|'``), an index or call by brackets (``['al'``,
#: ``](1)``), a name given a value (``x=1``, ``src='a'``; not "=)" nor "2+2=4"), or a call: of a
#: script function (``alert(1)``), of a dotted or camelCase name (``document.write(``,
#: ``getElementById(``; a brand's one lowercase letter before its capital, "iPhone(red)", is
#: prose) or with no or quoted arguments (``f()``, ``f('a')``). Punctuation that
#: prose glues words with is not code: "sandals(brown)are nice", "ok;thanks", "great
#: product|fast", "Price->too high" and "rápida(postagem)" keep their words (the word splitter
#: cuts there), and so does a dotted name alone (``document.cookie``: prose without a space
#: after its full stop, "waist.however", looks the same).
_CODE = re.compile(
    r"(?<!\S)\S{0,200}?"  # tried from the start of each word only: linear
    r"(?:\\|\{[{\"'$%#]|\}\}|(?<![^\W\d_])`|`(?![^\W\d_])|\$[{(]"
    r"|\|\||&&|[=!]=|;(?:--|//)|\|'|\[['\"]|\]\("
    r"|(?<=[A-Za-z_\]'\"])=(?![DPp](?!\S))(?=[\w'\"`\[{<$-])"
    rf"|\b(?:{_SINKS})\("
    r"|\b[A-Za-z_$][\w$]{0,60}(?:\.[A-Za-z_$][\w$]{0,60}){1,5}\("
    r"|\b[a-z]{2,30}[A-Z]\w{0,60}\("
    r"|\b[A-Za-z_]\w{0,60}\([)'\"`])"
    r"\S{0,200}"
)
#: How many times entities are decoded at most: until nothing changes, which real exports reach
#: in two; a text escaped more often than this is still read as the escaped text it is.
_UNESCAPES = 5
#: A character one of the above needs: a text without any is returned as it is, unscanned.
_MAYBE = re.compile(r"[<>={}\\$`|;(&@:]|www")


def without_markup(text: str) -> str:
    """``text`` with tags, script addresses, event attributes, web addresses, @handles and
    code-like words each replaced by a line break; entities are decoded first (until nothing
    changes, at most five times: exports escape twice or more), so the escaped forms go too.

    Parameters
    ----------
    text
        Any text (read whole: cap it before, as the callers do).

    Returns
    -------
    str
        The words of the text that are prose; the text itself when it holds none of these.

    Examples
    --------
    >>> " ".join(without_markup("<img src=x onerror=alert(1)> refund never came").split())
    'refund never came'
    >>> " ".join(without_markup("&lt;script&gt;alert(document.cookie)&lt;/script&gt;").split())
    ''
    >>> without_markup("Arrived late (again); box crushed.")
    'Arrived late (again); box crushed.'
    """
    if not _MAYBE.search(text):
        return text
    decoded = text
    for _ in range(_UNESCAPES):  # exports escape twice at times: "it&amp;#39;s"
        if "&" not in decoded:
            break
        unescaped = html.unescape(decoded)
        if unescaped == decoded:
            break
        decoded = unescaped
    for pattern in (_TAG, _ADDRESS, _EVENT, _CODE):
        decoded = pattern.sub("\n", decoded)
    return decoded
