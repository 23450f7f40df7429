"""Encoding detection on short, real-looking texts in every encoding we support."""

from __future__ import annotations

from pathlib import Path

import pytest

from advocacy.ingest.encodings import detect_encoding, detect_file_encoding

TEXTS = [
    "Café crème, très bon",
    "Straße und Größe, schön",
    "Niño, acción, über alles",
    "Çà et là, naïve Zoë",
    "Très bien, merci",
]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1", "mac-roman"])
def test_decodes_back_to_the_text(text: str, encoding: str) -> None:
    data = text.encode(encoding)
    assert data.decode(detect_encoding(data)) == text


@pytest.mark.parametrize("text", TEXTS)
def test_names_each_encoding(text: str) -> None:
    assert detect_encoding(text.encode("utf-8")) == "utf-8"
    assert detect_encoding(text.encode("utf-8-sig")) == "utf-8-sig"
    assert detect_encoding(text.encode("mac-roman")) == "mac-roman"
    # Without bytes 0x80-0x9F, cp1252 and latin-1 give the same bytes; latin-1 is named.
    assert detect_encoding(text.encode("latin-1")) == "latin-1"


def test_windows_punctuation_means_cp1252() -> None:
    text = "I don’t like the café — it’s “fine”, 12 €"
    assert detect_encoding(text.encode("cp1252")) == "cp1252"


def test_mac_roman_apostrophe_and_accents() -> None:
    text = "We’re très happy with the crème brûlée"
    data = text.encode("mac-roman")
    assert detect_encoding(data) == "mac-roman"


def test_ascii_is_utf8() -> None:
    assert detect_encoding(b"id,score\n1,10\n") == "utf-8"


def test_sample_cut_inside_a_character() -> None:
    data = "Café".encode()[:-1]
    assert detect_encoding(data, complete=False) == "utf-8"
    assert detect_encoding(data) != "utf-8"


def test_file_with_late_non_utf8_byte(tmp_path: Path) -> None:
    path = tmp_path / "late.csv"
    path.write_bytes(b"a,b\n" + b"x,y\n" * 100_000 + "Crème brûlée,ok\n".encode("cp1252"))
    assert detect_file_encoding(path) == "latin-1"
    # A byte-order mark counts only at the start of the file.
    path.write_bytes(b"a\n" + "Café\n".encode("utf-8-sig"))
    assert detect_file_encoding(path) == "utf-8"
    path.write_bytes("a\nCafé\n".encode("utf-8-sig"))
    assert detect_file_encoding(path) == "utf-8-sig"
