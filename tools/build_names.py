"""Build ``given_names.txt``, the first names :func:`advocacy.text.pii.redact` looks for, and
``name_words.txt``, those of them that are also common words of a language.

Run from the repository with the ``text-models`` extra installed (it brings Faker and
wordfreq)::

    python tools/build_names.py --data /path/to/shared/data

Source: the first-name lists of Faker's person providers (MIT licence) for the locales in
:data:`LOCALES`: English-speaking countries, India, and the largest European languages, the
names a customer of a European or North American company is likely to write.

Many first names are also words ("Will", "May", "Hope", and from other languages "Per", "Else",
"Floor"), so a name is dropped when a reference corpus of English writing uses it mostly as a
word: written all in lower case more often than capitalised inside a sentence (where only a
name or a proper noun would be). The corpus is the text (never the labels) of every TweetEval
tweet in ``tweeteval/sentiment`` and ``tweeteval/emotion`` and of the clothing reviews in
``clothing-reviews``, from ``../shared/data`` (not GoEmotions: its anonymiser replaced the
capitalised names by ``[NAME]`` and left the lower-case ones, which would call "Dan" a word);
a name needs :data:`WORD_MIN_LOWER` lower-case uses to be called a word, since one tweet's
"edward" is not evidence. Names shorter than :data:`MIN_LENGTH` letters, of more than one
word ("Ana Beatriz": each part is listed on its own) or with initials, and the words in
:data:`ALWAYS_WORDS` are dropped too. The output is
sorted, one name per line, and the same inputs always give the same file.

``name_words.txt`` lists the kept names that are common words of one of the languages the
redactor can tell apart (:data:`WORD_LANGUAGES`): "Nada" and "Sem" in Portuguese, "Pero" in
Spanish, "Mia" in Italian, "Dan" in Dutch. The redactor masks these only where the context shows
a name. The frequencies come from wordfreq (Speer 2022; its data is CC BY-SA 4.0, so this derived
list is too), which counts words without their case, so a frequent name and a frequent word look
alike; two properties tell them apart. A name is about as frequent in every language, while a
word is far more frequent in its own: it must exceed its median frequency in the other languages
of :data:`FREQUENCY_LANGUAGES` by :data:`WORD_LEAD` on the Zipf scale. And a name of the
language itself (one of Faker's names for it, like "Juan" in Spanish) must be among that
language's few hundred most frequent words (:data:`NATIVE_WORD_ZIPF`) to count as a word, while
any other name needs only :data:`WORD_ZIPF`. Month and weekday names of
:data:`CALENDAR_WORDS` ("Abril", "Domingo") are words of their language whatever their
frequency.

References
----------
Speer, R. (2022). wordfreq: v3.0. Zenodo. https://doi.org/10.5281/zenodo.7199437
"""

from __future__ import annotations

import argparse
import csv
import importlib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

#: Where the shipped text models live in the repository.
MODELS = Path(__file__).resolve().parents[1] / "src" / "advocacy" / "text" / "models"

#: The licence of name_words.txt, which is derived from wordfreq's data (module docstring).
WORDS_HEADER = (
    "# Derived from wordfreq's word frequencies (Speer 2022, doi:10.5281/zenodo.7199437),\n"
    "# data licensed CC BY-SA 4.0; this list is shared under the same licence.\n"
    "# Made by tools/build_names.py: first name, then the languages it is a word of.\n"
)
#: Faker person providers whose first names are used.
LOCALES = (
    "en_US",
    "en_GB",
    "en_IE",
    "en_IN",
    "en_NZ",
    "fr_FR",
    "de_DE",
    "es_ES",
    "it_IT",
    "pt_PT",
    "pt_BR",
    "nl_NL",
    "pl_PL",
)
#: Faker's attributes holding first names.
FIRST_NAME_ATTRIBUTES = (
    "first_names",
    "first_names_male",
    "first_names_female",
    "first_names_nonbinary",
)
#: Shorter names ("Al", "Jo") are too often something else.
MIN_LENGTH = 3
#: Words that are also first names and that customers write capitalised for other reasons:
#: months and days, and words of service and retail text that a tweet corpus rarely has.
_ALWAYS_WORDS_TEXT = """
    January February March April May June July August September October November December
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday Christmas Easter Will Bill Mark
    Grace Hope Joy Faith Summer Dawn Guy Frank Chase Case Page King Price Major Miles Royal
    Christian Angel Star Sky Rose Ruby Amber Crystal Jade Holly Ivy Iris Lily Daisy Penny Sunny
    Honey Harmony Destiny Trinity Unique Precious Patience Charity Hunter Mason Cash Sterling
    Bishop Pastor Baker Carter Cooper Taylor Porter Parker Marshal Marshall Dean Earl Prince
    Duke Lord Reed Wood Woods Brook Brooks River Forest Storm Rain Snow Winter Autumn Spring
    Gray Grey Green Brown White Black Blue Silver Gold Pearl Ebony Ginger Olive Cherry Apple
    Berry Coral Jasmine Violet Hazel Heather Fern Willow Sage Basil Clay Stone Rock Cliff Lane
    Glen Dale Hill Bay Jordan Sydney Paris London Victoria Florence Adelaide Georgia Virginia
    Carolina Dakota Austin Dallas Houston Phoenix Tiger Bear Wolf Fox Hawk Dove Robin Teal Tan
    Red Norm Gene Pat Sue Rob Don Ray Art Chip Buck Rusty Dusty Bud Sonny Bunny Kitty Candy
    Sandy Misty Stormy Cloud Sol Luz Paz Mercedes Porsche Lincoln Ford Jaguar Lexus Santa Claus
    Saint Madison Brighton Kent Devon Shannon Kerry Clare Derry Orange Marine India Israel Asia
    Africa America China Kenya Jamaica Brazil Ireland Holland Valentine Panini Noël Noel Navidad
    Natal Pascua Páscoa Pâques Ostern Weihnachten Reyes
"""
ALWAYS_WORDS = frozenset(_ALWAYS_WORDS_TEXT.split())
#: Words, hashtags and handles (skipped: "#vanessa" says nothing about how a name is written)
#: and sentence ends.
_TOKEN = re.compile(r"[#@]?[A-Za-z][A-Za-z'’-]*|[.!?]+")
#: One name: letters (any script with case), capitalised, perhaps two joined by a hyphen.
_NAME = re.compile(r"[^\W\d_][^\W\d_]+(?:-[^\W\d_][^\W\d_]+)?")
#: A name is a word when written in lower case at least this often...
WORD_MIN_LOWER = 3
#: Languages a name may be a common word of (those :mod:`advocacy.text.language` detects).
WORD_LANGUAGES = ("de", "en", "es", "fr", "it", "nl", "pt")
#: Month and weekday names, written in lower case in these languages and capitalised by many
#: writers ("en Abril", "el Domingo"): names that are one are words of that language.
CALENDAR_WORDS = {
    language: frozenset(words.split())
    for language, words in {
        "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre "
        "diciembre lunes martes miércoles jueves viernes sábado domingo",
        "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro "
        "dezembro domingo segunda terça quarta quinta sexta sábado",
        "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre "
        "décembre lundi mardi mercredi jeudi vendredi samedi dimanche",
        "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre "
        "novembre dicembre lunedì martedì mercoledì giovedì venerdì sabato domenica",
        "de": "januar februar märz april mai juni juli august september oktober november "
        "dezember montag dienstag mittwoch donnerstag freitag samstag sonntag",
        "nl": "januari februari maart april mei juni juli augustus september oktober november "
        "december maandag dinsdag woensdag donderdag vrijdag zaterdag zondag",
    }.items()
}
#: Languages whose frequencies the lead of :data:`WORD_LEAD` is measured against.
FREQUENCY_LANGUAGES = (*WORD_LANGUAGES, "pl")
#: Zipf frequency (log10 of uses per billion words) a word needs in its language: 4.5 is
#: about 30 uses per million words, a word common enough to start many sentences. German
#: capitalises every noun, so any German noun that is also a name is at risk wherever it
#: stands ("die Lupe", "einen Eimer"): there 3.5 (3 uses per million) is enough.
WORD_ZIPF = {"de": 3.5}
DEFAULT_WORD_ZIPF = 4.5
#: Zipf frequency a name of the language itself needs: above the most frequent names (John 5.4).
NATIVE_WORD_ZIPF = 5.4
#: How far a word's frequency in its language exceeds its median in the others (Zipf units).
WORD_LEAD = 1.0


def faker_first_names(locales: Iterable[str] = LOCALES) -> set[str]:
    """Every first name of the Faker person providers of ``locales``."""
    names: set[str] = set()
    for locale in locales:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attribute in FIRST_NAME_ATTRIBUTES:
            names.update(str(name) for name in getattr(provider, attribute, ()) or ())
    return names


def native_languages(locales: Iterable[str] = LOCALES) -> dict[str, set[str]]:
    """First name -> the languages (``pt`` of ``pt_BR``) whose Faker locales list it."""
    languages: dict[str, set[str]] = {}
    for locale in locales:
        for name in faker_first_names([locale]):
            languages.setdefault(name, set()).add(locale.split("_")[0])
    return languages


def name_words(
    names: Iterable[str],
    natives: dict[str, set[str]],
    frequency: Callable[[str, str], float],
) -> list[str]:
    """Lines ``Name lang ...`` for the names that are common words (module docstring), sorted.

    ``frequency(word, language)`` is the word's Zipf frequency (wordfreq's ``zipf_frequency``).
    """
    lines = []
    for name in sorted(names):
        zipf = {language: frequency(name.lower(), language) for language in FREQUENCY_LANGUAGES}
        words = []
        for language in WORD_LANGUAGES:
            others = sorted(zipf[other] for other in FREQUENCY_LANGUAGES if other != language)
            median = (others[len(others) // 2 - 1] + others[len(others) // 2]) / 2
            needed = WORD_ZIPF.get(language, DEFAULT_WORD_ZIPF)
            if language in natives.get(name, ()):
                needed = NATIVE_WORD_ZIPF
            frequent = zipf[language] >= needed and zipf[language] - median >= WORD_LEAD
            if frequent or name.lower() in CALENDAR_WORDS.get(language, ()):
                words.append(language)
        if words:
            lines.append(" ".join([name, *words]))
    return lines


def casing_counts(texts: Iterable[str]) -> tuple[Counter[str], Counter[str]]:
    """Per word (lower-cased): times written all lower case, times capitalised mid-sentence."""
    lower: Counter[str] = Counter()
    capitalised: Counter[str] = Counter()
    for text in texts:
        sentence_start = True
        for token in _TOKEN.findall(text):
            if token[0] in ".!?":
                sentence_start = True
                continue
            if token[0] in "#@":
                continue
            if token.islower():
                lower[token] += 1
            elif not sentence_start and token[0].isupper() and token[1:].islower():
                capitalised[token.lower()] += 1
            sentence_start = False
    return lower, capitalised


def given_names(names: Iterable[str], texts: Iterable[str]) -> list[str]:
    """``names`` less the words (module docstring), sorted."""
    lower, capitalised = casing_counts(texts)
    kept = set()
    for name in names:
        if len(name) < MIN_LENGTH or name in ALWAYS_WORDS:
            continue
        if not (_NAME.fullmatch(name) and name.istitle()):
            continue
        key = name.lower()
        if lower[key] >= WORD_MIN_LOWER and lower[key] > capitalised[key]:
            continue
        kept.add(name)
    return sorted(kept)


def reference_texts(data: Path) -> Iterator[str]:
    """The corpus of the module docstring, from ``data`` (the shared data folder)."""
    for task in ("sentiment", "emotion"):
        for path in sorted((data / "tweeteval" / task).glob("*_text.txt")):
            yield from path.read_text(encoding="utf-8").splitlines()
    reviews = data / "clothing-reviews" / "womens-clothing-reviews-first-1000.csv"
    with reviews.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            yield " ".join(filter(None, (row.get("Title"), row.get("Review Text"))))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="the shared data folder")
    parser.add_argument("--out", type=Path, default=MODELS / "given_names.txt", help="output")
    parser.add_argument(
        "--words-out",
        type=Path,
        default=MODELS / "name_words.txt",
        help="output of the names that are also common words",
    )
    args = parser.parse_args(argv)
    names = given_names(faker_first_names(), reference_texts(args.data))
    args.out.write_text("\n".join(names) + "\n", encoding="utf-8")
    print(f"wrote {len(names):,} names to {args.out}")
    from wordfreq import zipf_frequency

    words = name_words(names, native_languages(), zipf_frequency)
    args.words_out.write_text(WORDS_HEADER + "\n".join(words) + "\n", encoding="utf-8")
    print(f"wrote {len(words):,} names that are also words to {args.words_out}")


if __name__ == "__main__":
    main()
