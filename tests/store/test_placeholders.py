"""The ``?`` -> ``%s`` rewrite for PostgreSQL: the quick way for plain statements agrees with
the tokenizer's, and anything the tokenizer could read differently takes the tokenizer's way."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from advocacy.store.placeholders import _plain, _tokenized, postgres_placeholders

#: Pieces of SQL, plain and not, that the statements are made of.
PIECES = [
    "SELECT",
    "INSERT INTO t",
    "VALUES",
    "WHERE",
    "a",
    "b_1",
    "=",
    "?",
    "(",
    ")",
    ",",
    " ",
    "\n",
    "::int",
    "'?'",
    '"why?"',
    "%",
    "'50%'",
    "-- c?\n",
    "/* ? */",
    "?|",
    "?&",
    "??",
    "$$?$$",
    "@?",
    "<",
    ">",
    "|",
    "&",
    ".",
    "*",
    "+",
    ";",
    "[",
    "]",
    "-",
    "/",
    "#",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30))
def test_the_quick_rewrite_agrees_with_the_tokenizer(pieces: list[str]) -> None:
    sql = "".join(pieces)
    try:
        expected = _tokenized(sql)
    except Exception:  # text the tokenizer cannot read: it must not be called plain either
        assert not _plain(sql)
        return
    assert postgres_placeholders(sql) == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([piece for piece in PIECES if _plain(piece)]), max_size=30))
def test_plain_statements_agree_with_the_tokenizer(pieces: list[str]) -> None:
    sql = "".join(pieces)
    try:
        expected = _tokenized(sql)
    except Exception:
        assert not _plain(sql)
        return
    assert postgres_placeholders(sql) == expected


def test_multi_row_inserts_are_rewritten_without_the_tokenizer() -> None:
    values = ", ".join(["(?, ?, ?)"] * 500)
    sql = f"INSERT INTO responses (response_id, nps, comment) VALUES {values}"
    assert _plain(sql)
    assert postgres_placeholders(sql) == sql.replace("?", "%s")
    assert postgres_placeholders(sql).count("%s") == 1500


def test_literals_comments_and_operators_take_the_tokenizer() -> None:
    for sql in (
        "SELECT '?' WHERE a = ?",
        'SELECT "why?" FROM t WHERE a = ?',
        "SELECT a FROM t WHERE b LIKE 'x%' AND c = ?",
        "SELECT a -- why?\nFROM t WHERE b = ?",
        "SELECT data ?| array['a'] FROM t WHERE b = ?",
        "SELECT $$?$$, ?",
    ):
        assert not _plain(sql)
    assert postgres_placeholders("SELECT '?', \"a?\", ? -- ?\n") == "SELECT '?', \"a?\", %s -- ?\n"
