"""Detect the text encoding of a file: UTF-8 (BOM or not), UTF-16, cp1252, latin-1, mac-roman.

Survey and CRM exports come from Excel on Windows (cp1252, or UTF-16 for "Unicode text"), older
Macs (mac-roman) and everything else (UTF-8). UTF-16 and UTF-32 are told by their byte-order
mark, or, without one, by the zero bytes that Latin text has in every other position. The
single-byte encodings decode any byte string without error, so we decode with each candidate
and score how much the result looks like Western European text: accented lower-case
letters inside words are likely, an upper-case accented letter in the middle of a word ("CafÈ") or
a control character is not.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

UTF8_BOM = codecs.BOM_UTF8
#: Byte-order marks of the wide encodings, longest first (UTF-32-LE starts like UTF-16-LE).
WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
#: Share of zero bytes in the odd (or even) positions that marks BOM-less UTF-16 text.
WIDE_ZEROS = 0.4
#: Bytes sampled for scoring; enough for many lines of accented text, cheap to score.
SAMPLE_BYTES = 1 << 20
#: Chunk size when checking a whole file is valid UTF-8.
CHUNK_BYTES = 4 << 20

# Accented letters frequent in French, German, Spanish, Portuguese, Dutch and Nordic text.
_COMMON_LETTERS = set("éèêëàâäáãåçñöóôòõüúùûíìîïßæøœÿ")
# Punctuation that Windows applications put in text (smart quotes, dashes, euro, ellipsis).
_COMMON_PUNCTUATION = set("’‘“”–—…€•«»°£§")
_APOSTROPHES = set("’‘")
_OPENING = set("“‘«„")
_CLOSING = set("”’»")
_DASHES = set("–—")
_CONTRACTION = re.compile(r"(t|s|d|m|ll|re|ve)\b")
_QUOTED = re.compile(r"“[^“”\r\n]{1,200}”")


def _fits_punctuation(char: str, before: str, after: str) -> bool:
    """Whether typographic punctuation sits where writers put it ("don’t", “this”, a – b)."""
    return (
        (char in _APOSTROPHES and before.isalpha() and after.isalpha())
        or (char in _OPENING and after.isalnum())
        or (char in _CLOSING and before.isalnum())
        or (char in _DASHES and before == " " and after == " ")
    )


def _score(text: str) -> float:
    """How much ``text`` looks like real Western European text (higher is more likely)."""
    score = 0.0
    for index, char in enumerate(text):
        if ord(char) < 0x80:
            continue
        before = text[index - 1] if index > 0 else " "
        after = text[index + 1] if index + 1 < len(text) else " "
        category = unicodedata.category(char)
        if category.startswith("C"):
            # C1 control characters never occur in text people wrote.
            score -= 10
        elif category == "Ll":
            score += 2 if char in _COMMON_LETTERS else 0.5
            if before.isalpha() or after.isalpha():
                score += 1
            elif char != "à":
                # Accented one-letter words are rare ("à" aside); a stray quote decoded wrongly.
                score -= 3
        elif category == "Lu":
            # An upper-case letter right after a lower-case one is a decoding artefact.
            score += -3 if before.islower() else (0.5 if char.lower() in _COMMON_LETTERS else 0)
        elif _fits_punctuation(char, before, after):
            score += 2
            if char == "’" and _CONTRACTION.match(text, index + 1):
                # "don’t", "it’s", "we’re": an apostrophe, not an accented letter ("donít").
                score += 3
        elif char == "€" and (before.isdigit() or before == " " or after.isdigit()):
            score += 1
        elif char in _COMMON_PUNCTUATION:
            score += 0.5
        elif before.isalpha() and after.isalpha():
            # A symbol glued inside a word ("Stra§e") is another decoding artefact.
            score -= 2
        else:
            score -= 0.5
    # “Quoted words” are strong evidence: in mac-roman those bytes read "ìwordsî", letters that
    # would otherwise look as likely as the quotes.
    return score + 2 * len(_QUOTED.findall(text))


def detect_encoding(data: bytes, *, complete: bool = True) -> str:
    """Return the Python codec name that decodes ``data`` as the text it most likely is.

    Parameters
    ----------
    data
        The raw bytes, or a leading sample of them.
    complete
        False when ``data`` is a sample that may end inside a multi-byte UTF-8 character.

    Returns
    -------
    str
        ``"utf-8-sig"`` (UTF-8 with a byte-order mark), ``"utf-8"``, ``"utf-16"``/``"utf-32"``
        (with a byte-order mark), ``"utf-16-le"``/``"utf-16-be"`` (without), ``"cp1252"``,
        ``"latin-1"`` or ``"mac-roman"``. Text whose bytes are valid ISO 8859-1 and avoid
        0x80-0x9F decodes the same as cp1252 and is reported as ``"latin-1"``.
    """
    if data.startswith(UTF8_BOM):
        return "utf-8-sig"
    wide = wide_encoding(data)
    if wide is not None:
        return wide
    try:
        # A sample may end inside a multi-byte character: then decode incrementally.
        codecs.getincrementaldecoder("utf-8")().decode(data, final=complete)
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    return _single_byte(data)


def wide_encoding(data: bytes) -> str | None:
    """``utf-16``/``utf-32`` for a byte-order mark, ``utf-16-le``/``-be`` for zero-byte patterns.

    Parameters
    ----------
    data
        The start of a file (a few kilobytes are enough).

    Returns
    -------
    str or None
        The codec, or None when the bytes are not UTF-16 or UTF-32.
    """
    for bom, name in WIDE_BOMS:
        if data.startswith(bom):
            return name
    sample = data[: 1 << 16]
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    even, odd = sample[0::2], sample[1::2]
    even_zeros = even.count(0) / len(even)
    odd_zeros = odd.count(0) / len(odd)
    # Latin text in UTF-16 has a zero in the high byte of nearly every character; text in a
    # single-byte or UTF-8 encoding has (almost) no zero bytes at all.
    if odd_zeros >= WIDE_ZEROS and even_zeros < WIDE_ZEROS / 4:
        return "utf-16-le"
    if even_zeros >= WIDE_ZEROS and odd_zeros < WIDE_ZEROS / 4:
        return "utf-16-be"
    return None


def _single_byte(data: bytes) -> str:
    """The best-scoring single-byte codec for ``data``, which is not UTF-8."""
    scores: dict[str, float] = {}
    # Ties go to the earlier candidate: cp1252 is by far the most common of the three.
    for name in ("cp1252", "mac-roman", "latin-1"):
        try:
            scores[name] = _score(data.decode(name))
        except UnicodeDecodeError:
            continue  # cp1252 leaves five bytes undefined
    best = max(scores, key=lambda name: (scores[name], -list(scores).index(name)))
    if best == "cp1252" and not any(0x80 <= byte <= 0x9F for byte in data):
        return "latin-1"
    return best


def detect_file_encoding(path: str | Path) -> str:
    """Return the codec of the file at ``path``, checking the whole file for UTF-8 validity.

    Parameters
    ----------
    path
        The file to inspect.

    Returns
    -------
    str
        A codec name as returned by :func:`detect_encoding`.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open(path, "rb") as handle:
        head = handle.read(CHUNK_BYTES)
        if head.startswith(UTF8_BOM):
            return "utf-8-sig"
        wide = wide_encoding(head)
        if wide is not None:
            return wide
        chunk = head
        while chunk:
            try:
                decoder.decode(chunk, final=False)
            except UnicodeDecodeError as error:
                # Score the bytes around the first non-UTF-8 byte, where the evidence is.
                start = max(error.start - SAMPLE_BYTES // 2, 0)
                return _single_byte(chunk[start : start + SAMPLE_BYTES])
            chunk = handle.read(CHUNK_BYTES)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return _single_byte(head[-SAMPLE_BYTES:])
    return "utf-8"
