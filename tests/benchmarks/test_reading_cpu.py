"""``benchmarks/reading_cpu.py`` tells two trees' readings apart by a digest of all they read.

docs/benchmarks.md ("marginal") quotes the same digest before and after a speed change as proof
that the readings are bit for bit alike: the digest must be the same for the same reading, and
change when any text's reading changes; the texts it reads must span the scripts it claims.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from types import ModuleType

import pytest

from support.benchmark_modules import load_benchmark


@pytest.fixture(scope="module")
def reading_cpu() -> ModuleType:
    return load_benchmark("reading_cpu")


def digest_of(reading_cpu: ModuleType, texts: list[str]) -> str:
    found = hashlib.sha256()
    assert reading_cpu.read_all(texts, found) > 0
    return found.hexdigest()


def test_the_digest_is_the_readings_own(reading_cpu: ModuleType) -> None:
    texts = ["Great staff. But the refund never came!", "Nicht gut.", "not bad", ""]
    first = digest_of(reading_cpu, texts)
    assert digest_of(reading_cpu, texts) == first
    assert digest_of(reading_cpu, [*texts[:3], " "]) != first  # one text read otherwise
    assert digest_of(reading_cpu, ["Great staff.", *texts[1:]]) != first


def test_the_texts_span_ten_languages_and_hostile_strings(
    reading_cpu: ModuleType, shared_data: Path
) -> None:
    texts = reading_cpu.languages(shared_data)
    assert len(texts) > 8000
    for script in ("\u0600", "\u0400", "\u3040", "\u4e00"):  # Arabic, Cyrillic, kana, Han
        low = ord(script)
        assert any(low <= ord(ch) < low + 0x100 for text in texts for ch in text), script
    for letter in ("ã", "ß", "ğ", "é"):  # Portuguese, German, Turkish, French
        assert any(letter in text for text in texts), letter
    assert set(reading_cpu.HOSTILE) <= set(texts)
