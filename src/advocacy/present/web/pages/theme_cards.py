"""The text page's themes as cards: name, size, sentiment bar, NPS impact with its interval
(or, for reviews without an NPS, the effect on their rating), two quotes that say what most of
the theme's customers feel, each captioned by what it is, and a link to its answers.

A theme's quotes follow its sentiment: a theme most customers praise is quoted with praise, a
complaint with complaints (``ws.text.theme_quotes``, sentences that say something): the side
most of its texts read (:func:`leaning`; a detectable NPS effect only when most read neutral).
Viewers get names and quotes redacted, as on every page.

A theme most of whose texts were not read (reviews in a language the model does not read) also
says what its writers' scores imply, as the report's card does
(:func:`advocacy.report.sections.theme_scores.unread_score_mixes`, read once per data generation
and only when such a theme is shown). Not under filters: the scores would be of every text of
the theme, the card's counts of the filtered answers' only.

Themes none of whose writers gave an NPS show their effect on the survey's own outcome when
its answers carry a CSAT or a CES (``ws.text.themes``' ``outcome``: the share satisfied, else
the share easy, in points, named so on the card: "CSAT effect", "lowers CSAT"), else their
effect on the reviews' rating, as the report's cards do
(the listing's ``rating_*`` columns, :mod:`advocacy.text.theme_ratings`, the same Welch
interval), and under no filter only, for the same reason. Each quote is captioned by the
report's rule (:func:`advocacy.report.sections.quote_captions.quote_caption`): "Most negative
sentence" only over the theme's strongest sentence read as negative.

Each card says which reading made its texts' sentiments, the workspace's calibration or the
model alone (``ws.text.themes``' ``sentiment_readings``: the calibration reads only the kinds of
text it learnt), and each quote's caption which reading made the sentiment it is quoted for
(:meth:`advocacy.namespaces.text.TextNamespace.readings_of`), as ``text analyze`` and the
report count them.

A card calls an effect beyond chance ("lowers CSAT") only as the report's summary names a theme:
its p-value Holm-corrected over the themes tested on the same score
(:func:`advocacy.report.sections.theme_findings.holm_tests`, the report's own tests); an
interval that excludes zero while the corrected p does not is said to be uncorrected
(:func:`effect_words`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import pandas as pd

from advocacy import display
from advocacy.errors import AdvocacyError
from advocacy.namespaces.access import Principal, TextRedactor, mask_frame
from advocacy.namespaces.text import RATING_COLUMNS, READING_WORDS, readings_words, shown_quote
from advocacy.present.web.dashboards import viewer_redactor
from advocacy.present.web.derived import derived
from advocacy.present.web.filters import Filters
from advocacy.present.web.state import WebState
from advocacy.report.sections.quote_captions import quote_caption
from advocacy.report.sections.theme_findings import HolmTest, holm_tests
from advocacy.report.sections.theme_scores import (
    FEW_READ,
    READ_FOR_SENTIMENT,
    ScoreMix,
    mostly_unread,
    score_words,
    unread_score_mixes,
)
from advocacy.report.sections.theme_source_words import sources_words

#: The card's words for a theme's effect on the survey's own outcome when it has no NPS, by
#: the metric (``ws.text.themes``' ``outcome``): its name, what ``mentioning`` counts, and
#: the outcome in "lowers ...".
OUTCOME_WORDS: Mapping[str, tuple[str, str, str]] = MappingProxyType(
    {
        "csat": ("CSAT effect (share satisfied)", "answers with a CSAT", "CSAT"),
        "ces-easy": ("CES effect (share easy)", "answers with a CES", "CES"),
    }
)
#: Quotes on each card.
QUOTES_PER_CARD = 2
#: Sentiment labels in the order of the bar.
LABELS = ("negative", "neutral", "positive")
#: Quote readings of cards that need none (one object, as :data:`NO_SCORES`).
NO_READINGS: Mapping[tuple[str, str], str | None] = MappingProxyType({})
#: The score mixes of cards that need none (one object, so that cached cards are reused).
NO_SCORES: Mapping[str, ScoreMix] = MappingProxyType({})
#: The rating effects of cards that need none (one object, as :data:`NO_SCORES`).
NO_RATINGS = pd.DataFrame(columns=["theme_id"])


@dataclass
class ThemeCard:
    theme_id: str
    name: str
    size: int
    keywords: str
    mix: list[tuple[str, float]]  # (label, share of the texts read) in the order of the bar
    leaning: str  # negative or positive: what the quotes say
    impact: str  # NPS (or rating) effect with its interval, or ""
    impact_real: bool
    impact_word: str  # raises NPS / lowers NPS / no detectable effect
    mentioning: int
    quotes: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)  # what each quote is, in its order
    link: str | None = None
    emerging: bool = False
    read: float = 1.0  # share of its texts that have a sentiment (0: none was read)
    scores: str = ""  # what its writers' scores imply, for a theme mostly not read
    central: bool = False  # the quotes are the theme's central texts, not sentences read
    impact_name: str = "NPS effect"  # or "Rating effect", for reviews without an NPS
    impact_unit: str = " points"  # an NPS effect's; a rating effect is in points of the rating
    counted: str = "answers with an NPS"  # what ``mentioning`` counts
    confidence: float = 0.95  # of its interval, and 1 - the corrected p it must fall under
    # (reading, texts) of its sentiments: the calibration, the model alone, an older model
    readings: list[tuple[str, int]] = field(default_factory=list)
    # how many of its texts its keywords gave it, how many meaning alone ("" for a discovered one)
    sources: str = ""

    def reading_words(self) -> str:
        """Which reading made how many of its texts' sentiments, in words ("" when none did:
        :func:`advocacy.text.sentiment_readings.readings_words`)."""
        return readings_words(dict(self.readings))

    def captioned(self) -> list[tuple[str, str]]:
        """(caption, quote) of each quote."""
        return list(zip(self.captions, self.quotes, strict=True))

    @property
    def read_count(self) -> int:
        """About how many of its texts were read (its share read of its size)."""
        return round(self.read * self.size)

    @property
    def few_read(self) -> bool:
        """Too few texts read for shares (:data:`FEW_READ`), though some were."""
        return 0 < self.read_count < FEW_READ

    def few_words(self) -> str:
        """What a card with too few texts read for shares says before their counts: how many
        of its texts were read, or, when all were, that it has too few (review24 item 8: "Only
        9 of its 9 texts read" beside "Sentiment read by the model alone for 9 texts").

        >>> card = ThemeCard("t", "Delivery", 9, "", [], "negative", "", False, "", 0)
        >>> card.few_words()
        'Only 9 texts, too few for shares'
        >>> card.read = 0.556
        >>> card.few_words()
        'Only 5 of its 9 texts read, too few for shares'
        """
        if self.read_count >= self.size:
            return f"Only {self.size:,} text{'' if self.size == 1 else 's'}, too few for shares"
        return f"Only {self.read_count:,} of its {self.size:,} texts read, too few for shares"

    def central_reason(self) -> str:
        """Why the card quotes the theme's central texts rather than sentences by sentiment.

        >>> card = ThemeCard("t", "Delivery", 9, "", [], "negative", "", False, "", 0)
        >>> card.central_reason()
        'too few texts to quote by sentiment'
        >>> card.read = 0.3
        >>> card.central_reason()
        'most of its texts were not read for sentiment'
        >>> card.size, card.read = 14, 0.6
        >>> card.central_reason()
        'too few of its texts were read to quote by sentiment'
        """
        if self.read < READ_FOR_SENTIMENT:
            return "most of its texts were not read for sentiment"
        if self.read_count >= self.size:
            return "too few texts to quote by sentiment"
        return "too few of its texts were read to quote by sentiment"

    def counts(self) -> list[tuple[str, int]]:
        """(label, about how many texts read) in the order of the bar."""
        return [(label, round(share * self.read_count)) for label, share in self.mix]


def _listed(value: Any) -> bool:
    """Whether ``value`` is a non-empty list of texts (a stored theme's central quotes)."""
    return value is not None and not isinstance(value, str | float) and len(list(value)) > 0


def _mix(value: Any) -> tuple[list[tuple[str, float]], float]:
    """The sentiment shares of a theme's texts that were read, and the share read.

    Texts in a language the model does not read (or non-answers) have no sentiment: the bar is
    over the texts read, never "0% negative, 0% neutral, 0% positive" for a theme none of whose
    texts was read (audit finding 3, on the web).

    >>> _mix({"negative": 0.1, "positive": 0.1, "no sentiment": 0.8})
    ([('negative', 0.5), ('neutral', 0.0), ('positive', 0.5)], 0.2)
    """
    shares = dict(value) if isinstance(value, dict) else {}
    raw = [(label, float(shares.get(label, 0.0) or 0.0)) for label in LABELS]
    read = round(sum(share for _, share in raw), 3)
    if read <= 0:
        return [(label, 0.0) for label in LABELS], 0.0
    return [(label, share / read) for label, share in raw], min(read, 1.0)


def leaning(mix: list[tuple[str, float]], effect: Any = None, *, real: bool = False) -> str:
    """``negative`` or ``positive``: what a theme's quotes should say.

    The card promises quotes "that say what most of them feel": when most of the theme's texts
    read negative (or positive), that side, whatever its effect on NPS (a theme most customers
    complain about is quoted with complaints even when its commenters' NPS is higher; the card
    says the effect beside it). When most read neutral, which no quote can show, a detectable
    (``real``) effect on NPS decides, else the larger of the two sides; the effect's sign
    breaks a tie.

    >>> leaning([("negative", 0.62), ("neutral", 0.02), ("positive", 0.36)], 12.0, real=True)
    'negative'
    >>> leaning([("negative", 0.21), ("neutral", 0.62), ("positive", 0.16)], 55.0, real=True)
    'positive'
    >>> leaning([("negative", 0.2), ("neutral", 0.5), ("positive", 0.3)], -18.0)
    'positive'
    """
    shares = dict(mix)
    negative, positive = shares.get("negative", 0.0), shares.get("positive", 0.0)
    known = not display.missing(effect)
    if shares.get("neutral", 0.0) > max(negative, positive) and real and known:
        return "negative" if float(effect) < 0 else "positive"
    if negative == positive:
        return "negative" if known and float(effect) < 0 else "positive"
    return "negative" if negative > positive else "positive"


def effect_words(
    effect: Any, low: Any, high: Any, what: str, test: HolmTest | None, alpha: float
) -> tuple[str, bool]:
    """What a card says of a theme's effect on ``what`` (with its interval ``low``-``high``),
    and whether the effect is beyond chance.

    Beyond chance as the report's summary names a theme (review22 item 7: a card said
    "lowers CSAT" of a theme the report did not name): the interval excludes zero and the
    p-value, Holm-corrected over the themes tested on the same score (``test``, from
    :func:`~advocacy.report.sections.theme_findings.holm_tests`), is below ``alpha``. An
    interval that excludes zero while the corrected p does not is said to be uncorrected.

    >>> effect_words(-5.2, -9.7, -0.5, "CSAT", HolmTest(0.12, 9), 0.05)
    ('not beyond chance after Holm over 9 themes; the interval is not corrected', False)
    >>> effect_words(-9.4, -14.9, -3.4, "CSAT", HolmTest(0.017, 9), 0.05)
    ('lowers CSAT, beyond chance after Holm over 9 themes', True)
    >>> effect_words(2.9, -1.6, 7.6, "CSAT", HolmTest(1.0, 9), 0.05)
    ('no detectable effect on CSAT', False)
    """
    if display.missing(effect):
        return "not enough answers to tell", False
    excludes = not display.missing(low) and not display.missing(high)
    excludes = excludes and (float(low) > 0 or float(high) < 0)
    if not excludes:
        return f"no detectable effect on {what}", False
    direction = "raises" if float(effect) > 0 else "lowers"
    if test is None:  # no p-value to correct (the report names no such theme): said so
        return f"{direction} {what} by its interval, not corrected for the themes tested", False
    over = f"Holm over {test.tested} theme{'s' if test.tested != 1 else ''}"
    if test.p_adjusted < alpha:
        return f"{direction} {what}, beyond chance after {over}", True
    return f"not beyond chance after {over}; the interval is not corrected", False


def quote_sets(
    state: WebState, where: Mapping[str, Sequence[str]] | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The cards' quotes and the page's table of each theme's most negative and most positive
    sentence, of the answers ``where`` keeps over the whole history, from one ranking of the
    sentences (``ws.text.theme_quote_sets``), cached per data generation."""
    key = tuple(sorted((name, tuple(values)) for name, values in (where or {}).items()))
    found: tuple[pd.DataFrame, pd.DataFrame] = state.cached(
        ("theme-quote-sets", QUOTES_PER_CARD, key),
        lambda: state.ws.text.theme_quote_sets(count=QUOTES_PER_CARD, where=where),
    )
    return found


def _rating_effects(themes: pd.DataFrame) -> pd.DataFrame:
    """The themes of ``themes`` (``ws.text.themes``) that have an effect on the reviews'
    rating: ``theme_id`` and the listing's rating columns."""
    if themes.empty or "rating_p_value" not in themes:
        return NO_RATINGS
    rated = themes[themes["rating_p_value"].notna()]
    return rated[["theme_id", *RATING_COLUMNS]].reset_index(drop=True)


def theme_cards(state: WebState, principal: Principal, filters: Filters) -> list[ThemeCard]:
    """A card per theme, largest first (cached per data generation), counting the comments of
    the answers the filters keep (their dimensions and date range).

    Raises
    ------
    AdvocacyError
        When the themes cannot be read (no text analysed yet).
    """
    where = filters.where or None
    since, until = filters.since, filters.until
    chosen = filters.key
    themes: pd.DataFrame = state.cached(
        ("topic", "text.themes", chosen),
        lambda: state.ws.text.themes(where=where, since=since, until=until),
    )
    try:
        if since is None and until is None:
            quotes = quote_sets(state, where)[0]  # ranked once with the page's sentence table
        else:
            quotes = state.cached(
                ("theme-quotes", QUOTES_PER_CARD, chosen),
                lambda: state.ws.text.theme_quotes(
                    count=QUOTES_PER_CARD, where=where, since=since, until=until
                ),
            )
    except AdvocacyError:
        quotes = pd.DataFrame(columns=["theme_id", "sentiment", "rank", "sentence"])
    readings = NO_READINGS  # the same object when no quote: derived compares by identity
    if not quotes.empty:
        pairs = zip(
            quotes["document_kind"].astype(str), quotes["document_id"].astype(str), strict=True
        )
        keys = tuple(sorted(set(pairs)))
        readings = state.cached(
            ("quote-readings", keys), lambda: state.ws.text.readings_of(list(keys))
        )
    unread = mostly_unread(themes)
    scores: Mapping[str, ScoreMix] = NO_SCORES  # the same object: derived compares by identity
    if unread and not filters.active:
        scores = state.cached(
            ("theme-score-mixes", unread), lambda: unread_score_mixes(state.ws, unread)
        )
    # The listing's effects on the reviews' rating, over the page's dates (a dimension filter
    # keeps survey answers only: no review to rate), cached with it: derived compares by identity.
    ratings: pd.DataFrame = state.cached(
        ("topic", "theme-rating-effects", chosen), lambda: _rating_effects(themes)
    )
    redactor = viewer_redactor(state, principal)
    cards: list[ThemeCard] = derived(
        ("theme-cards", chosen, principal.masks_personal_data),
        (themes, quotes, redactor, scores, ratings, readings),
        lambda: _cards(
            themes,
            quotes,
            principal,
            redactor,
            filters,
            scores,
            ratings,
            confidence=state.ws.settings.confidence,
            readings=readings,
        ),
    )
    return cards


def _cards(
    themes: pd.DataFrame,
    quotes: pd.DataFrame,
    principal: Principal,
    redactor: TextRedactor | None,
    filters: Filters,
    scores: Mapping[str, ScoreMix] = NO_SCORES,
    ratings: pd.DataFrame = NO_RATINGS,
    *,
    confidence: float = 0.95,
    readings: Mapping[tuple[str, str], str | None] = NO_READINGS,
) -> list[ThemeCard]:
    """The cards of ``themes`` with their ``quotes``, as ``principal`` may read them, for a
    theme mostly not read what its writers' ``scores`` imply, for a theme without an NPS
    effect its effect on the reviews' rating from ``ratings`` (the listing's ``rating_*``),
    and each quote's caption with the reading that made its sentiment (``readings``: by
    ``(document_kind, document_id)``, :func:`~advocacy.text.sentiment_readings.readings_of`)."""
    rated = {str(row["theme_id"]): row for row in ratings.to_dict("records")}
    tests = holm_tests(themes, ratings)
    shown = mask_frame(themes, principal, redactor=redactor)
    said = mask_frame(quotes, principal, redactor=redactor) if not quotes.empty else quotes
    by_theme: dict[tuple[str, str], list[str]] = {}
    read_by: dict[tuple[str, str], list[str | None]] = {}
    for original, row in zip(quotes.to_dict("records"), said.to_dict("records"), strict=True):
        if not display.missing(row["sentence"]):
            quoted = (str(original["theme_id"]), str(row["sentiment"]))
            by_theme.setdefault(quoted, []).append(str(row["sentence"]))
            document = (str(original.get("document_kind")), str(original.get("document_id")))
            read_by.setdefault(quoted, []).append(readings.get(document))
    cards = []
    for original, row in zip(themes.to_dict("records"), shown.to_dict("records"), strict=True):
        theme_id = str(original["theme_id"])
        mix, read = _mix(original.get("sentiment_mix"))
        effect: Any = original.get("effect")
        low: Any = original.get("effect_low")
        high: Any = original.get("effect_high")
        mentioning = _count(original.get("n_mentioning"))
        named, unit, counted, what = "NPS effect", " points", "answers with an NPS", "NPS"
        family = "nps"
        rating = rated.get(theme_id)
        outcome = OUTCOME_WORDS.get(str(original.get("outcome")))
        if display.missing(effect) and outcome is not None:
            # No NPS: the survey's own outcome (CSAT, else CES), named as what it is.
            effect, low, high = (
                original.get(f"outcome_effect{end}") for end in ("", "_low", "_high")
            )
            mentioning = _count(original.get("outcome_n_mentioning"))
            named, counted, what = outcome
            family = "outcome"
        elif display.missing(effect) and rating is not None:
            effect, low, high = (rating[f"rating_effect{end}"] for end in ("", "_low", "_high"))
            mentioning = int(rating["rating_n_mentioning"])
            named, unit, counted, what = "Rating effect", "", "rated reviews", "the rating"
            family = "rating"
        test = tests.get((family, theme_id))
        word, real = effect_words(effect, low, high, what, test, 1.0 - confidence)
        side = leaning(mix, effect, real=real)
        keywords = original.get("keywords")
        keywords = row.get("keywords") if keywords is not None else None
        # A theme mostly not read (another language; under READ_FOR_SENTIMENT, or fewer than
        # FEW_READ texts) is quoted by its central texts, as the report's card is: quoted by
        # sentiment, it would be quoted by the few texts that were read, whoever wrote them.
        quotes_of = by_theme.get((theme_id, side), [])[:QUOTES_PER_CARD]
        captions = [
            _read_by(quote_caption("sentence", side, strongest=rank == 0), reading)
            for rank, reading in enumerate(read_by.get((theme_id, side), [])[: len(quotes_of)])
        ]
        few = round(read * _count(original.get("size"))) < FEW_READ
        central = (read < READ_FOR_SENTIMENT or few) and _listed(row.get("quotes"))
        if central:
            quotes_of = [shown_quote(str(text)) for text in list(row["quotes"])][:QUOTES_PER_CARD]
            captions = [quote_caption("central", None)] * len(quotes_of)
        # A viewer's redacted id no longer names the theme: no drill-down rather than a wrong one.
        link = None
        if str(row.get("theme_id")) == theme_id:
            link = filters.link("/answers", theme=theme_id, commented="1")
        cards.append(
            ThemeCard(
                theme_id=str(row.get("theme_id")),
                name=str(row.get("name") or ""),
                size=_count(original.get("size")),
                keywords=display.cell(list(keywords) if keywords is not None else None),
                mix=mix,
                leaning=side,
                impact=display.estimate(effect, low, high),
                impact_real=real,
                impact_word=word,
                mentioning=mentioning,
                quotes=quotes_of,
                captions=captions,
                link=link,
                emerging=_flag(original.get("emerging")),
                read=read,
                scores=score_words(scores[theme_id]) if theme_id in scores else "",
                central=bool(central),
                impact_name=named,
                impact_unit=unit,
                counted=counted,
                confidence=confidence,
                readings=_readings(original.get("sentiment_readings")),
                sources=sources_words(original),
            )
        )
    return sorted(cards, key=lambda card: -card.size)


def _count(value: Any) -> int:
    """A count from a themes listing, 0 where the listing has none (a theme no text matched
    comes out of the listing's left merge as NaN, which ``or 0`` would keep)."""
    return 0 if display.missing(value) else int(value)


def _flag(value: Any) -> bool:
    """Whether a listing's flag is set: only a true value is, never a missing one (NaN is
    truthy; a theme with no dated text has no trend to call "emerging")."""
    return not display.missing(value) and bool(value)


def _readings(value: Any) -> list[tuple[str, int]]:
    """(reading, texts) from a theme's ``sentiment_readings``, in the order of
    :data:`READING_WORDS` (empty for a listing without it)."""
    found = dict(value) if isinstance(value, dict) else {}
    return [(name, int(found[name])) for name in READING_WORDS if found.get(name)]


def _read_by(caption: str, reading: str | None) -> str:
    """A quote's caption with the reading that made the sentiment it is quoted for.

    >>> _read_by("Most negative sentence", "model alone")
    'Most negative sentence, as the model alone reads it'
    >>> _read_by("Most negative sentence", None)
    'Most negative sentence'
    """
    if reading is None:
        return caption
    return f"{caption}, as {READING_WORDS.get(reading, reading)} reads it"
