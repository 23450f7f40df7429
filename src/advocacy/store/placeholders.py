"""SQL written once with ``?`` placeholders, rewritten for psycopg's ``%s`` style.

psycopg reads every ``%`` in a query as the start of a placeholder, inside string literals too,
so a plain ``sql.replace("?", "%s")`` broke on a literal ``?`` (``'why?'``, a quoted column
name) and on any ``%`` (``LIKE '50%'``). The rewrite tokenizes the statement with sqlglot's
PostgreSQL tokenizer: only ``?`` tokens that are placeholders become ``%s``, and every ``%`` is
doubled so psycopg gives it back unchanged.
"""

from __future__ import annotations

import functools


@functools.lru_cache(maxsize=1024)
def postgres_placeholders(sql: str) -> str:
    """``sql`` with its ``?`` placeholders as ``%s`` and every other ``%`` as ``%%``.

    Examples
    --------
    >>> postgres_placeholders("SELECT '50% off?' WHERE name = ? AND note LIKE 'a%'")
    "SELECT '50%% off?' WHERE name = %s AND note LIKE 'a%%'"
    """
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


__all__ = ["postgres_placeholders"]
