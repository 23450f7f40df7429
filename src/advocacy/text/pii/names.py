"""Person names in free text: the workspace's own people, and names detected by their context.

Three sources, checked word by word in one pass over the text (linear in its length, however
many identities the workspace holds: a run of up to :data:`LONGEST_IDENTITY` words is looked up
in a set):

1. **Known identities**: the names of the workspace's customers and employees, mention authors,
   referral contacts and interviewers (:mod:`advocacy.text.pii.identities`). A name of several
   words matches as a whole run in any case ("Ada Quill", "ada quill", "Ada Quill's"); a name of
   one word matches only as written ("Nada" does not mask "nada"), and an identifier with digits
   matches in any case. A single word written as a handle or hashtag (``@SouthwestAir``) is an
   account being addressed, not a person: it is left, unless the workspace knows it as a person
   (a customer or an employee) rather than only as a mention author.
2. **Introductions and honorifics**: a capitalised word after "my name is", "ask for",
   "spoke to/with", "talked to" and their Portuguese, Spanish, French, German, Italian and Dutch
   equivalents, after an honorific (Mr, Mrs, Dr, Sra, Herr, Mme, ...) or after "agent" or
   "manager", with the capitalised word after it (the likely surname). After "I'm", "this is"
   and "called" a capitalised word is a name only with a capitalised surname after it ("this is
   Great", "I called Amazon" are not).
3. **First names** of the shipped list ``models/given_names.txt`` (about 4,900 names, built by
   ``tools/build_names.py``) written with a capital, with a following capitalised
   surname, surname particles included ("Ana da Silva", "Ludwig van Beethoven").

The context decides against a first name where it shows a word rather than a person:

- **a common word of a language** (``models/name_words.txt``: "Nada" and "Sem" in Portuguese,
  "Pero" and "Una" in Spanish, "Mia" in Italian, "Dan" in Dutch, "Lupe" in German, month and
  weekday names) is masked only with more evidence than its capital, which a sentence start, a
  heading or a German noun gives anyway: an introduction or honorific before it, or a
  capitalised surname after it ("Linda Souza"). In English text (by its function words,
  :data:`advocacy.text.language.STOPWORDS`) this holds only for the names that are English
  words, so "Dan was great" and "Mia helped" are masked there.
- **a place**: a first name without a surname right after a word that begins place names
  (:data:`PLACE_WORDS`: "Mount Hagen", "São Paulo", "Santa Maria", "Hotel Victoria").
- handles and hashtags (``@Sarah``, ``#Sarah``) and the placeholders of redaction (``[name]``).

What is left: names outside the list and not introduced ("Thanks, Oyelaran!"), names in all
capitals, and first names at the start of a sentence that are also common words of the text's
language. Redaction of free text is a safeguard, not a guarantee.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from advocacy.text.pii.vocabulary import (
    ABBREVIATED,
    HONORIFICS,
    INTRODUCTIONS,
    NAMING_TITLES,
    NOT_NAMES,
    PARTICLES,
    PLACE_WORDS,
    WEAK_INTRODUCTIONS,
)
from advocacy.text.pii.words import SPACES, TOKEN, Words, capitalised, stem

NAME_LABEL = "[name]"
#: The shipped first names (one per line).
GIVEN_NAMES_FILE = Path(__file__).parent.parent / "models" / "given_names.txt"
#: First names that are also common words: a name, then the languages where it is a word.
NAME_WORDS_FILE = Path(__file__).parent.parent / "models" / "name_words.txt"
#: Longest identity, in words, looked up as one run.
LONGEST_IDENTITY = 6


@cache
def given_names() -> frozenset[str]:
    """The first names of ``models/given_names.txt``."""
    return frozenset(GIVEN_NAMES_FILE.read_text(encoding="utf-8").split())


@cache
def name_words() -> dict[str, frozenset[str]]:
    """``models/name_words.txt``: first name -> the languages in which it is a common word."""
    words: dict[str, frozenset[str]] = {}
    for line in NAME_WORDS_FILE.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue  # the licence header
        name, *languages = line.split()
        words[name] = frozenset(languages)
    return words


def normal(word: str) -> str:
    """A word as identities are compared: composed Unicode, case folded, possessive dropped."""
    return stem(unicodedata.normalize("NFC", word).casefold())


@dataclass(frozen=True)
class Identity:
    """One known identity: its words, the placeholder it becomes, and whether it is a person."""

    words: tuple[str, ...]
    label: str
    person: bool


class IdentityIndex:
    """Known identities, looked up by runs of words.

    Parameters
    ----------
    identities
        ``(value, label, person)`` triples: the text to find ("Ada Quill", "CUST-0001"), what
        replaces it ("[name]", "[customer]"), and whether it is known as a person (masked even
        as a handle) or only as an account name (a mention author).
    """

    def __init__(self, identities: Iterable[tuple[str, str, bool]]) -> None:
        self.runs: dict[tuple[str, ...], Identity] = {}
        self.exact: dict[str, Identity] = {}
        for value, label, person in identities:
            words = [match.group(0) for match in TOKEN.finditer(value)]
            if not words or len(words) > LONGEST_IDENTITY or len("".join(words)) < 3:
                continue
            if len(words) == 1 and words[0].isdigit() and len(words[0]) < 6:
                continue  # short numbers are quantities far more often than anyone's id
            key = tuple(normal(word) for word in words)
            found = Identity(key, label, person)
            if len(words) == 1 and words[0].isalpha():
                self.exact[unicodedata.normalize("NFC", words[0])] = self._merge(
                    self.exact.get(words[0]), found
                )
            else:
                self.runs[key] = self._merge(self.runs.get(key), found)
        self.first_words = frozenset(key[0] for key in self.runs)
        self.longest = max((len(key) for key in self.runs), default=0)
        #: Whether some identity starts with a digit (then words starting with one matter).
        self.numbers = any(word[:1].isdigit() for word in self.first_words)

    @staticmethod
    def _merge(old: Identity | None, new: Identity) -> Identity:
        if old is None:
            return new
        return Identity(new.words, old.label, old.person or new.person)

    def __len__(self) -> int:
        return len(self.runs) + len(self.exact)


def given(word: str) -> bool:
    """Whether ``word`` (capitalised, possessive allowed) is a listed first name."""
    names = given_names()
    word = stem(word)
    if word in names:
        return True
    parts = word.split("-")
    return len(parts) > 1 and parts[0] in names and all(part.istitle() for part in parts)


#: The last words of the introductions: only after one of them is a phrase looked for.
_LAST_WORDS = frozenset(phrase[-1] for phrase in INTRODUCTIONS | WEAK_INTRODUCTIONS)
#: Words after which a capitalised word may be a name that is not on the list.
_CUE_WORDS = _LAST_WORDS | HONORIFICS | NAMING_TITLES


class _Spans:
    """Word ranges to replace, each with its placeholder; the first claim on a word wins."""

    def __init__(self) -> None:
        self.claimed: dict[int, tuple[int, str]] = {}  # first word -> (last word, label)
        self.taken: set[int] = set()

    def claim(self, first: int, last: int, label: str) -> None:
        if any(index in self.taken for index in range(first, last + 1)):
            return
        self.claimed[first] = (last, label)
        self.taken.update(range(first, last + 1))


def find_names(
    text: str, index: IdentityIndex | None = None, *, detect: bool = True
) -> list[tuple[int, int, str]]:
    """``(start, end, label)`` of every known identity and detected name in ``text``, in order.

    ``text`` should be in composed Unicode (NFC), as :class:`advocacy.text.pii.Redactor` gives
    it. ``detect=False`` finds only the known identities.
    """
    known = index is not None and len(index) > 0
    if not known and text == text.lower():
        return []  # no capital letter, so no name to detect: the words need not be listed
    words = Words(text, numbers=known and index is not None and index.numbers)
    if not len(words):
        return []
    spans = _Spans()
    if known and index is not None:
        _find_identities(words, index, spans)
    if detect:
        _find_detected(words, spans)
    found = []
    for first in sorted(spans.claimed):
        last, label = spans.claimed[first]
        word = words.words[last]
        end = words.ends[last] - (len(word) - len(stem(word)))  # "[name]'s"
        found.append((words.starts[first], end, label))
    return found


def _find_identities(words: Words, index: IdentityIndex, spans: _Spans) -> None:
    keys = [word.casefold() for word in words.words]
    starts = [
        position
        for position, key in enumerate(keys)
        if key in index.first_words or stem(key) in index.first_words
    ]
    for position in starts:
        if position in spans.taken:
            continue
        widest = min(index.longest, len(words) - position)
        run = [stem(key) for key in keys[position : position + widest]]
        for width in range(widest, 0, -1):
            last = position + width - 1
            found = index.runs.get(tuple(run[:width]))
            if found is None or not words.run(position, last):
                continue
            if width == 1 and words.handle(position) and not found.person:
                continue
            spans.claim(position, last, found.label)
            break
    if index.exact:
        for position, word in enumerate(words.words):
            found = index.exact.get(word) or index.exact.get(stem(word))
            if (
                found is not None
                and position not in spans.taken
                and (found.person or not words.handle(position))
            ):
                spans.claim(position, position, found.label)


def _after(words: Words, position: int, phrases: frozenset[tuple[str, ...]]) -> bool:
    """Whether one of ``phrases`` (lower-case word tuples) ends right before ``position``."""
    if position == 0 or words.lowered[position - 1] not in _LAST_WORDS:
        return False
    lowered = words.lowered
    return any(
        tuple(lowered[position - width : position]) in phrases
        for width in (1, 2, 3, 4)
        if position - width >= 0
    )


def _introduced(words: Words, position: int) -> bool:
    """Whether an introduction, an honorific or a naming title stands right before ``position``
    (separated by spaces only; an abbreviated honorific may end in a full stop: "Dr. Okafor")."""
    if position == 0:
        return False
    previous = words.lowered[position - 1]
    if previous in ABBREVIATED:
        return words.gap(position - 1, position)
    if not words.gap(position - 1, position, SPACES):
        return False
    return (
        previous in HONORIFICS
        or previous in NAMING_TITLES
        or _after(words, position, INTRODUCTIONS)
    )


def _find_detected(words: Words, spans: _Spans) -> None:
    ambiguous_words = name_words()
    names = given_names()
    lowered = words.lowered
    # Only a capitalised word that is a listed first name or follows a naming word can start a
    # name: one pass of set look-ups picks them.
    candidates = [
        position
        for position, word in enumerate(words.words)
        if word[:1].isupper()
        and not word.isupper()
        and (
            word in names
            or (position and lowered[position - 1] in _CUE_WORDS)
            or (("-" in word or word[-1] in "s'’") and given(word))
        )
    ]
    next_free = 0
    for position in candidates:
        if position < next_free or position in spans.taken or words.handle(position):
            continue
        word = stem(words.words[position])
        is_given = given(word)
        introduced = (
            position > 0 and lowered[position - 1] in _CUE_WORDS and _introduced(words, position)
        )
        if (
            not introduced
            and not is_given
            and _after(words, position, WEAK_INTRODUCTIONS)
            and words.gap(position - 1, position, SPACES)
        ):
            introduced = not words.title_cased(position) and _followed_by_surname(words, position)
        if introduced and word not in NOT_NAMES:
            next_free = _claim_name(words, position, spans)
            continue
        if not is_given:
            continue
        heading = words.title_cased(position)
        has_surname = _followed_by_surname(words, position)
        if not has_surname and _proper_noun(words, position):
            continue
        languages = ambiguous_words.get(word)
        # In English text only the names that are English words ("German") need more evidence
        # than a capital; elsewhere any name that is a common word of some language does, since
        # function words tell English from the rest far better than the others from each other.
        if (
            languages
            and ("en" in languages or words.language != "en")
            and (heading or not has_surname)
        ):
            continue
        next_free = _claim_name(words, position, spans)


def _followed_by_surname(words: Words, position: int) -> bool:
    """Whether a capitalised word (or a particle and one) follows ``position`` in the sentence."""
    following = position + 1
    all_words = words.words
    if following < len(all_words) and all_words[following] in PARTICLES:
        following += 1
    if following >= len(all_words):
        return False
    after = all_words[following]
    if not (after[:1].isupper() and not after.isupper()) or after in NOT_NAMES:
        return False
    if not stem(after).isalpha():
        return False
    if following == position + 1 and (
        words.text[words.ends[position] : words.starts[following]] == " "
    ):
        return True  # one space: neither a sentence end nor a handle's @ stands between
    if not words.run(position, following):
        return False
    return not words.sentence_start(following) and not words.handle(following)


def _proper_noun(words: Words, position: int) -> bool:
    """Whether the word before ``position`` begins the name of a place ("Mount Hagen")."""
    return (
        position > 0
        and words.lowered[position - 1] in PLACE_WORDS
        and capitalised(words.words[position - 1])
        and words.gap(position - 1, position, SPACES)
    )


def _claim_name(words: Words, position: int, spans: _Spans) -> int:
    """Claim the name starting at ``position`` with its further first names and the capitalised
    word after them (the surname); return the next word to look at."""
    text, starts, ends, all_words = words.text, words.starts, words.ends, words.words
    last = position
    while last + 1 < len(all_words):
        following = last + 1
        word = all_words[following]
        # One space is by far the most common gap, and neither ends a sentence nor a handle.
        if text[ends[last] : starts[following]] != " " and (
            words.sentence_start(following)
            or words.handle(following)
            or not words.gap(last, following)
        ):
            break
        if word in PARTICLES:
            if _followed_by_surname(words, last):
                last = following + 1
            break
        if not (word[:1].isupper() and not word.isupper() and stem(word).isalpha()):
            break
        if word in NOT_NAMES:
            break
        last = following
        if not given(word):
            break
    spans.claim(position, last, NAME_LABEL)
    return last + 1
