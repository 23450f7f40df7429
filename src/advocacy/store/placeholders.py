"""SQL written once with ``?`` placeholders, rewritten for psycopg's ``%s`` style.

psycopg reads every ``%`` in a query as the start of a placeholder, inside string literals too,
so a plain ``sql.replace("?", "%s")`` broke on a literal ``?`` (``'why?'``, a quoted column
name) and on any ``%`` (``LIKE '50%'``). The rewrite tokenizes the statement with sqlglot's
PostgreSQL tokenizer: only ``?`` tokens that are placeholders become ``%s``, and every ``%`` is
doubled so psycopg gives it back unchanged.

Tokenizing costs about a millisecond per kilobyte of SQL, and statements whose text changes
with their data (a multi-row ``INSERT ... VALUES (?, ?), (?, ?)`` per batch size) miss the
cache every time: the group commit of API writes spent a quarter of its time here. A
statement with nothing the tokenizer could read differently (no quote, comment, ``%``,
``$``, and every ``?`` standing alone between separators) is rewritten by plain replacement;
``tests/store/test_placeholders.py`` checks that both ways agree.
"""

from __future__ import annotations

import functools
import re

#: Text in which every ``?`` is a placeholder: letters, digits, white space and the few
#: punctuation marks that cannot start a string, a comment, an operator containing ``?``
#: (``?|``, ``?&``, ``??``, ``@?``...) or a dollar quote.
_PLAIN = re.compile(r"[\w\s(),.=*+?:;\[\]]*", re.ASCII)
#: A ``?`` touching anything but a separator (``a?b``, ``??``): not plain.
_JOINED = re.compile(r"[^\s(,=]\?|\?[^\s),:;]", re.ASCII)


def _plain(sql: str) -> bool:
    return _PLAIN.fullmatch(sql) is not None and _JOINED.search(sql) is None


@functools.lru_cache(maxsize=1024)
def _tokenized(sql: str) -> str:
    import sqlglot
    from sqlglot.tokens import TokenType

    placeholders = {
        token.start
        for token in sqlglot.tokenize(sql, read="postgres")
        if token.token_type == TokenType.PLACEHOLDER and token.text == "?"
    }
    pieces = []
    for position, character in enumerate(sql):
        if position in placeholders:
            pieces.append("%s")
        elif character == "%":
            pieces.append("%%")
        else:
            pieces.append(character)
    return "".join(pieces)


def postgres_placeholders(sql: str) -> str:
    """``sql`` with its ``?`` placeholders as ``%s`` and every other ``%`` as ``%%``.

    Examples
    --------
    >>> postgres_placeholders("SELECT '50% off?' WHERE name = ? AND note LIKE 'a%'")
    "SELECT '50%% off?' WHERE name = %s AND note LIKE 'a%%'"
    >>> postgres_placeholders("INSERT INTO t (a, b) VALUES (?, ?), (?, ?)")
    'INSERT INTO t (a, b) VALUES (%s, %s), (%s, %s)'
    """
    if _plain(sql):
        return sql.replace("?", "%s")
    return _tokenized(sql)


__all__ = ["postgres_placeholders"]
