"""Which sentence quotes a theme: of those ranked for it, one that names it, said by one
customer, quoted for no other theme while the theme has another (the choice
:mod:`advocacy.text.sentence_quotes` makes once its engine query has ranked the candidates).

A quote must say something: a sentence of fewer than :data:`QUOTE_MIN_WORDS` words once markup
and code are taken out (:func:`says_something`: "??", "!!!", "<script>alert(1)</script>") is
passed over for the next best, whatever its score. It is redacted in its document's context
(:func:`redacted_span`) and shown without its markup and code
(:func:`~advocacy.text.quote_text.shown_quote`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from advocacy.ingest.word_count import word_count
from advocacy.store.connection import Database
from advocacy.store.steady import steady_table
from advocacy.text.markup import without_markup
from advocacy.text.pii import Redactor
from advocacy.text.quote_text import shown_quote

if TYPE_CHECKING:
    from advocacy.text.taxonomy_file import Taxonomy


#: Words (of letters or digits, markup and code left out) a sentence needs to be a quote.
QUOTE_MIN_WORDS = 2


def says_something(sentence: str) -> bool:
    """Whether ``sentence`` can be a quote: :data:`QUOTE_MIN_WORDS` words or more of letters or
    digits (a Chinese or Japanese word by its letters,
    :func:`~advocacy.ingest.word_count.word_count`) once markup and code are taken out
    (:func:`~advocacy.text.markup.without_markup`).

    >>> says_something("??"), says_something("Never again."), says_something("<b>Awful</b>")
    (False, True, False)
    >>> says_something("<img src=x onerror=alert(1)> refund never came")
    True
    """
    prose = without_markup(sentence[:QUOTE_SCAN_CHARACTERS])
    kept = " ".join(part for part in prose.split() if any(char.isalnum() for char in part))
    return word_count(kept) >= QUOTE_MIN_WORDS


#: Characters of a sentence read to tell whether it says something (a few words suffice).
QUOTE_SCAN_CHARACTERS = 2_000


def redacted_span(
    text: str, start: int, end: int, *, names: Iterable[str] = (), redactor: Redactor | None = None
) -> str:
    """``text[start:end]`` as it reads in the redacted ``text``.

    Redacting the sentence alone would miss personal data given away by the text before it (a
    name after "I spoke to" and a line break); so the text up to the sentence's end is redacted,
    and the redacted text up to its start is cut off. When a redaction straddles the sentence's
    start, the two do not line up and the sentence is redacted on its own. ``redactor`` (a
    workspace's, say) is used if given, else one knowing ``names``.

    >>> redacted_span("I spoke to\\nJane Doe. She was rude.", 11, 20)
    '[name].'
    """
    redact = (redactor or Redactor(names)).redact
    before = redact(text[:start])
    through = redact(text[:end])
    if through.startswith(before):
        return through[len(before) :].strip()
    return redact(text[start:end])


@dataclass(frozen=True)
class QuotePicks:
    """The ranked sentences (:func:`~advocacy.text.sentence_quotes._ranked`) and documents
    (:func:`~advocacy.text.sentence_quotes._ranked_documents`), their documents' current texts,
    the sentences that name the theme they are ranked for (:func:`naming_spans`) and the
    redactor."""

    ranked: list[tuple[Any, ...]]
    documents: list[tuple[Any, ...]]
    texts: dict[tuple[str, str], str]
    naming: set[tuple[str, str, str, int, int]]
    redactor: Redactor


def _taxonomies(db: Database) -> list[tuple[list[str], Taxonomy]]:
    """The stored themes as taxonomies, one per origin: (theme ids, taxonomy), in the order
    they were stored, so that a theme's keywords are weighed against the other themes it was
    assigned beside (:func:`~advocacy.text.theme_keywords.seed_keywords`)."""
    from advocacy.text.taxonomy_file import Taxonomy, TaxonomyTheme

    stored = steady_table(db, "themes")
    rows = (
        stored.select("theme_id", "name", "description", "keywords", "examples", "parent", "origin")
        .to_pyarrow()
        .to_pylist()
    )
    out = []
    for origin in sorted({str(row["origin"]) for row in rows}):
        mine = [row for row in rows if str(row["origin"]) == origin]
        names = {str(row["name"]) for row in mine}
        themes = tuple(
            TaxonomyTheme(
                name=str(row["name"]),
                description=str(row["description"] or ""),
                keywords=_phrase_list(row["keywords"]),
                examples=_phrase_list(row["examples"]),
                parent=str(row["parent"]) if row["parent"] in names else None,
            )
            for row in mine
        )
        out.append(([str(row["theme_id"]) for row in mine], Taxonomy(themes)))
    return out


def _phrase_list(value: Any) -> tuple[str, ...]:
    """A stored JSON list of phrases (a string, or a list the engine decoded) as a tuple."""
    if isinstance(value, str):
        value = json.loads(value)
    return tuple(str(phrase) for phrase in value or () if phrase)


def naming_spans(
    db: Database,
    ranked: list[tuple[Any, ...]],
    texts: dict[tuple[str, str], str],
    languages: dict[tuple[str, str], str | None],
) -> set[tuple[str, str, str, int, int]]:
    """The (theme_id, document_kind, document_id, start, end) of the ranked sentences that name
    the theme they are ranked for: one of its seed keywords, as theme assignment finds them
    (:func:`~advocacy.text.theme_keywords.keyword_hits`; a sub-theme's carried to its parent),
    in the document's detected language."""
    from advocacy.text.theme_keywords import keyword_hits

    spans = sorted(
        {
            (str(kind), str(document_id), int(start), int(end))
            for _, kind, document_id, start, end, _, _ in ranked
            if (str(kind), str(document_id)) in texts
            and int(end) <= len(texts[(str(kind), str(document_id))])
        }
    )
    sentences = [texts[(kind, document_id)][start:end] for kind, document_id, start, end in spans]
    said = [languages.get((kind, document_id)) for kind, document_id, _, _ in spans]
    naming: set[tuple[str, str, str, int, int]] = set()
    for ids, taxonomy in _taxonomies(db):
        if not spans or not ids:
            continue
        hits = keyword_hits(sentences, taxonomy, languages=said).astype(np.float64)
        if any(theme.parent for theme in taxonomy.themes):
            # Imported only then: theme assignment brings the embedder (0.25 CPU s).
            from advocacy.text.theme_assignment import carry_to_parents

            hits = carry_to_parents(hits, taxonomy)
        rows, columns = np.nonzero(hits)
        naming.update((ids[column], *spans[row]) for row, column in zip(rows, columns, strict=True))
    return naming


@dataclass(frozen=True)
class _Quote:
    """A quotable sentence (or document) of a theme's side, as ranked."""

    kind: str
    document_id: str
    start: int
    end: int
    score: float
    words: str  # the span as written, folded: one sentence quoted for one theme only


def _candidates(picks: QuotePicks) -> dict[tuple[str, str], list[_Quote]]:
    """Per theme and label, what can be quoted, best first: the ranked sentences that name the
    theme, then the ranked documents of which no ranked sentence names it, as a whole (a
    theme that meaning alone gave a document is in the document, not in one sentence of it).
    A document whose text changed since analysis is passed over."""
    found: dict[tuple[str, str], list[_Quote]] = {}
    named: set[tuple[str, str, str]] = set()
    for theme_id, kind, document_id, start, end, label, score in picks.ranked:
        if (str(theme_id), str(kind), str(document_id), int(start), int(end)) in picks.naming:
            named.add((str(theme_id), str(kind), str(document_id)))
            _add(found, picks, (str(theme_id), str(label)), kind, document_id, start, end, score)
    for theme_id, kind, document_id, _, _, label, score in picks.documents:
        if (str(theme_id), str(kind), str(document_id)) not in named:
            _add(found, picks, (str(theme_id), str(label)), kind, document_id, None, None, score)
    return found


def _add(
    found: dict[tuple[str, str], list[_Quote]],
    picks: QuotePicks,
    key: tuple[str, str],
    kind: Any,
    document_id: Any,
    start: Any,
    end: Any,
    score: Any,
) -> None:
    """Add the span (the whole text when ``start`` is None) to ``found[key]`` if quotable."""
    text = picks.texts.get((str(kind), str(document_id)))
    if text is None:
        return
    begin, stop = (0, len(text)) if start is None else (int(start), int(end))
    if stop > len(text):
        return
    words = " ".join(text[begin:stop].split()).casefold()
    found.setdefault(key, []).append(
        _Quote(str(kind), str(document_id), begin, stop, float(score), words)
    )


def chosen_quotes(
    picks: QuotePicks, themes: list[tuple[Any, ...]], count: int
) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """Per theme and label, the first ``count`` of its :func:`_candidates`, one per document
    and no two alike, redacted.

    A sentence already quoted for another theme is passed over while the theme has another to
    quote ("great value and great quality" is Price's or Quality's, not the quote of every
    theme of the document). The themes with the fewest candidates choose first, as they have
    the fewest to fall back on; then by the order of ``themes`` (the stored themes by origin,
    then size, as :mod:`advocacy.text.sentence_quotes` lists them).
    """
    candidates = _candidates(picks)
    listed = {str(row[0]): position for position, row in enumerate(themes)}
    order = sorted(
        (key for key in candidates if key[0] in listed),
        key=lambda key: (len(candidates[key]), listed.get(key[0], len(listed)), key),
    )
    quoted: set[str] = set()
    chosen: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for key in order:
        rows: list[dict[str, Any]] = []
        documents: set[tuple[str, str]] = set()
        said: set[str] = set()
        for elsewhere in (False, True):  # first what no other theme quotes, then the rest
            for quote in candidates[key]:
                if len(rows) >= count:
                    break
                if not elsewhere and quote.words in quoted:
                    continue
                if (quote.kind, quote.document_id) in documents:
                    continue  # one sentence per document: two quotes are two customers
                text = picks.texts[(quote.kind, quote.document_id)]
                if not says_something(text[quote.start : quote.end]):
                    continue
                sentence = shown_quote(
                    redacted_span(text, quote.start, quote.end, redactor=picks.redactor)
                )
                if sentence.casefold() in said:
                    continue  # the same words from another customer add nothing
                said.add(sentence.casefold())
                documents.add((quote.kind, quote.document_id))
                rows.append(
                    {
                        "sentence": sentence,
                        "score": quote.score,
                        "document_kind": quote.kind,
                        "document_id": quote.document_id,
                        "words": quote.words,
                    }
                )
        quoted.update(row.pop("words") for row in rows)
        chosen[key] = rows
    return chosen
