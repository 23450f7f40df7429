"""Words of the texts that mark a theme written without keywords, learnt from the texts themselves.

A theme written without keywords is also marked by the words the texts themselves use for it
(:func:`text_terms`: "delicious" and "pasta" for "Food: the dishes and how they taste", read
from the sentences that say them), more weakly than by a written word: what is learnt depends
on the texts assigned together (:func:`~advocacy.text.theme_assignment.assign_themes` learns
them from the batch it is given, :func:`learn_terms`, and marks them, :func:`term_hits`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from advocacy.text.embeddings import Embedder, unit_rows
from advocacy.text.markup import without_markup
from advocacy.text.phrases import stem_words, words
from advocacy.text.taxonomy_file import Taxonomy
from advocacy.text.theme_keywords import seed_keywords
from advocacy.text.theme_prototypes import Prototypes, theme_prototypes
from advocacy.text.theme_sentences import cut_sentences, sentence_vectors, stemmer_languages

__all__ = [
    "TERM_MARGIN",
    "TERM_MIN_SENTENCES",
    "TERM_SIMILARITY",
    "LearntTerm",
    "learn_terms",
    "term_hits",
    "text_terms",
]

#: A word of the texts marks a theme written without keywords when the mean of its sentences
#: (measured from the none prototype) is this similar to the theme's prototype ...
TERM_SIMILARITY = 0.4
#: ... and this much more similar to it than to any other theme's (chosen on the SemEval train
#: files, themes_semeval.py: 0.35-0.45 and 0.06-0.1 tried).
TERM_MARGIN = 0.08
#: Sentences (of :data:`~advocacy.text.theme_sentences.MIN_MEANING_WORDS` words or more) a word
#: needs before it is read so (chosen on the SemEval train files, themes_semeval.py: 2 and 5 tried).
TERM_MIN_SENTENCES = 3


def text_terms(
    texts: Sequence[str],
    taxonomy: Taxonomy,
    *,
    embedder: Embedder,
    embeddings: NDArray[Any] | None = None,
    languages: Sequence[str | None] | None = None,
) -> dict[str, str]:
    """Words of the texts that mark a theme written without keywords: word -> theme name.

    A theme written from its name and a line ("Food: the dishes and how they taste") has few words
    of its own, and the texts say more ("pasta", "sauce", "crust"). The texts are cut into sentences
    as :func:`~advocacy.text.theme_assignment.assign_themes` cuts them, and every word of the
    sentences read for meaning (:data:`~advocacy.text.theme_sentences.MIN_MEANING_WORDS` words or
    more) that has three letters or more, is no markup or code
    (:func:`~advocacy.text.markup.without_markup`: "onerror", "alert" of ``alert(1)``), is no stop
    word (of any language theme names know) nor has a stop word's stem, and is no seed keyword of
    any theme is read by the sentences that say it: the mean of their directions from the none
    prototype (not re-normalised: the sentences of a filler word point many ways and their mean is
    short) must be :data:`TERM_SIMILARITY` similar to one theme's prototype and :data:`TERM_MARGIN`
    more similar to it than to any other, and that theme must have no keywords written (a theme
    given keywords is marked by those). A word said in fewer than :data:`TERM_MIN_SENTENCES` such
    sentences is left out. The forms of a word that share a stem (in any language the texts are read
    in) count as one word.

    :func:`~advocacy.text.theme_assignment.assign_themes` learns these words from the texts it is
    given and marks their themes in every sentence that says one, at the word's similarity (below a
    written keyword's 1.0): what it learns depends on the batch, and this function shows what it
    learnt.

    Parameters
    ----------
    texts
        The texts, as given to :func:`~advocacy.text.theme_assignment.assign_themes`.
    taxonomy
        The themes.
    embedder
        Embeds the sentences and the prototypes.
    embeddings
        The texts' embeddings by ``embedder``, if at hand (they serve one-sentence texts).
    languages
        ISO 639-1 code per text (None: unknown), which chooses the stemmer.

    Returns
    -------
    dict
        The form said most often of each word learnt -> the name of the theme it marks.
    """
    cut = cut_sentences(texts)
    chosen = None if languages is None else [languages[row] for row in cut.owner]
    if not len(cut.read):
        return {}
    vectors = sentence_vectors(cut.pieces, cut.read, cut.owner, cut.counts, embedder, embeddings)
    terms = learn_terms(
        cut.pieces,
        cut.read,
        vectors,
        theme_prototypes(taxonomy, embedder),
        taxonomy,
        stemmer_of=stemmer_languages(chosen, len(cut.pieces)),
        folded=[words(piece) for piece in cut.pieces],
        stemmed={},
    )
    return {term.word: taxonomy.names[term.column] for term in terms}


@dataclass(frozen=True)
class LearntTerm:
    """A word of the texts learnt for a theme.

    Attributes
    ----------
    word
        The form said in most sentences.
    column
        The theme it marks (its index in the taxonomy).
    similarity
        How similar its sentences are to the theme's prototype: its score where it is said.
    keys
        Every (stemmer, stem) that says it.
    forms
        Every form of it the texts say.
    """

    word: str
    column: int
    similarity: float
    keys: frozenset[tuple[str, str]]
    forms: frozenset[str]


def _stems_in(
    stemmed: dict[str, dict[str, str]], stemmer: str, folded: Iterable[str]
) -> dict[str, str]:
    """``stemmed[stemmer]``, filled with the stems of ``folded`` it lacks."""
    known = stemmed.setdefault(stemmer, {})
    fresh = [word for word in set(folded) if word not in known]
    if fresh:
        known.update(zip(fresh, stem_words(fresh, stemmer), strict=True))
    return known


def learn_terms(
    pieces: Sequence[str],
    read: NDArray[np.int64],
    vectors: NDArray[Any],
    prototypes: Prototypes,
    taxonomy: Taxonomy,
    *,
    stemmer_of: Sequence[str],
    folded: Sequence[Sequence[str]],
    stemmed: dict[str, dict[str, str]],
) -> list[LearntTerm]:
    """The words of the sentences ``read`` that mark a theme written without keywords.

    What :func:`text_terms` describes, on sentences already cut, embedded and stemmed.

    Parameters
    ----------
    pieces
        Every sentence.
    read
        The indices of the sentences read for meaning.
    vectors
        The embeddings of the sentences ``read``, in their order.
    prototypes
        The taxonomy's theme prototypes, by the embedder of ``vectors``.
    taxonomy
        The themes.
    stemmer_of
        The stemmer of each sentence.
    folded
        The :func:`~advocacy.text.phrases.words` of each sentence.
    stemmed
        Stemmer -> word -> stem, read and filled.

    Returns
    -------
    list of LearntTerm
        The words learnt, each with the theme it marks.
    """
    from scipy import sparse

    from advocacy.text.theme_names import STOP_WORDS

    open_columns = np.array([not theme.keywords for theme in taxonomy.themes], bool)
    if len(read) == 0 or len(taxonomy.themes) < 2 or not open_columns.any():
        return []
    stop = frozenset().union(*STOP_WORDS.values())
    # Words are nodes; the words one stemmer gives one stem are one term, and a word read in
    # two languages joins its stems in both ("delicious": delici in English, delicious in
    # French). A term with a stop word's stem or a seed keyword's, in any stemmer, marks nothing.
    node: dict[str, int] = {}
    seen_by: dict[str, set[str]] = {}  # stemmer -> the words it reads
    said_in: list[int] = []  # per occurrence, the sentence (index into read) and the word
    said_word: list[int] = []
    for i, row in enumerate(read.tolist()):
        kept = [word for word in folded[row] if len(word) >= 3 and not word.isdigit()]
        prose = without_markup(pieces[row])
        if prose != pieces[row]:  # markup and code ("onerror", "alert") mark no theme
            prose_words = set(words(prose))
            kept = [word for word in kept if word in prose_words]
        seen_by.setdefault(stemmer_of[row], set()).update(kept)
        said_in.extend([i] * len(kept))
        said_word.extend([node.setdefault(word, len(node)) for word in kept])
    if not node:
        return []
    parent = list(range(len(node)))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    seeds = {
        word for found in seed_keywords(taxonomy) for keyword in found for word in words(keyword)
    }
    vocabulary = list(node)
    stopped = {node[word] for word in vocabulary if word in stop or word in seeds}
    keys_of: dict[int, set[tuple[str, str]]] = {}
    for stemmer, found in sorted(seen_by.items()):
        seen = sorted(found)
        table = _stems_in(stemmed, stemmer, seen)
        banned = set(stem_words([*stop, *seeds], stemmer))
        first: dict[str, int] = {}
        for word in seen:
            stem = table[word]
            at = node[word]
            keys_of.setdefault(at, set()).add((stemmer, stem))
            if stem in banned or not stem:
                stopped.add(at)
            other = first.setdefault(stem, at)
            parent[root(at)] = root(other)
    roots = [root(at) for at in range(len(node))]
    banned_roots = {roots[at] for at in stopped}
    term_of: dict[int, int] = {}
    for top in roots:
        if top not in banned_roots:
            term_of.setdefault(top, len(term_of))
    if not term_of:
        return []
    ids = np.array([term_of.get(roots[at], -1) for at in range(len(node))], np.int64)
    rows = np.array(said_in, np.int64)
    nodes = np.array(said_word, np.int64)
    terms = ids[nodes]
    keep = terms >= 0
    n_terms = len(term_of)
    # One count per (sentence, term), however often the sentence says it.
    pairs = np.unique(rows[keep] * n_terms + terms[keep])
    counts = sparse.csr_matrix(
        (np.ones(len(pairs), np.float32), (pairs % n_terms, pairs // n_terms)),
        shape=(n_terms, len(read)),
    )
    said = np.asarray(counts.sum(axis=1)).ravel()
    frequent = np.flatnonzero(said >= TERM_MIN_SENTENCES)
    if len(frequent) == 0:
        return []
    # The mean of the sentences' directions from the none prototype, not re-normalised: a word
    # whose sentences point many ways (a filler word) has a short mean and reaches no theme.
    centred = unit_rows(np.asarray(vectors, np.float32) - prototypes.none)
    centre = (counts[frequent] @ centred) / said[frequent, None]
    similarity = centre @ prototypes.themes.T
    order = np.argsort(-similarity, axis=1)
    best = order[:, 0]
    first_value = similarity[np.arange(len(frequent)), best]
    second = similarity[np.arange(len(frequent)), order[:, 1]]
    chosen = (first_value >= TERM_SIMILARITY) & (first_value - second >= TERM_MARGIN)
    chosen &= open_columns[best]
    if not chosen.any():
        return []
    # The form said in most sentences names the term (the first such form read, on ties).
    form_counts = np.bincount(np.unique(rows * len(node) + nodes) % len(node), minlength=len(node))
    members: dict[int, list[int]] = {}
    for at in range(len(node)):
        if ids[at] >= 0:
            members.setdefault(int(ids[at]), []).append(at)
    out = []
    for i in np.flatnonzero(chosen).tolist():
        term = int(frequent[i])
        forms = members[term]
        out.append(
            LearntTerm(
                word=vocabulary[max(forms, key=lambda at: (form_counts[at], -at))],
                column=int(best[i]),
                similarity=float(first_value[i]),
                keys=frozenset(key for at in forms for key in keys_of.get(at, ())),
                forms=frozenset(vocabulary[at] for at in forms),
            )
        )
    return out


def term_hits(
    terms: Sequence[LearntTerm],
    k: int,
    *,
    stemmer_of: Sequence[str],
    folded: Sequence[Sequence[str]],
    stemmed: dict[str, dict[str, str]],
) -> NDArray[np.float64]:
    """Pieces x themes: the similarity of the strongest learnt word each piece says, else 0.

    A piece says a term when one of its words is one of the term's forms or has one of its
    stems in the piece's stemmer: every sentence, however short ("Delicious pasta.").

    Parameters
    ----------
    terms
        The words learnt (:func:`learn_terms`).
    k
        The number of themes.
    stemmer_of
        The stemmer of each piece.
    folded
        The :func:`~advocacy.text.phrases.words` of each piece.
    stemmed
        Stemmer -> word -> stem, read and filled.

    Returns
    -------
    numpy.ndarray
        Per piece and theme, the similarity of the strongest word learnt for the theme that the
        piece says, else 0.
    """
    strength = np.zeros((len(folded), k))
    if not terms:
        return strength
    by_form: dict[str, LearntTerm] = {}
    by_key: dict[tuple[str, str], LearntTerm] = {}
    for term in sorted(terms, key=lambda term: term.similarity):  # the strongest wins
        by_form.update(dict.fromkeys(term.forms, term))
        by_key.update(dict.fromkeys(term.keys, term))
    # Each distinct word of each stemmer is looked up once.
    said: dict[str, dict[str, LearntTerm]] = {}
    for stemmer in set(stemmer_of):
        seen = {
            word
            for row, found in enumerate(folded)
            if stemmer_of[row] == stemmer
            for word in found
            if len(word) >= 3 and not word.isdigit()
        }
        table = _stems_in(stemmed, stemmer, seen)
        said[stemmer] = {
            word: marks
            for word in seen
            if (marks := by_form.get(word) or by_key.get((stemmer, table[word]))) is not None
        }
    for row, found in enumerate(folded):
        marked = said[stemmer_of[row]]
        for word in found:
            hit = marked.get(word)
            if hit is not None and hit.similarity > strength[row, hit.column]:
                strength[row, hit.column] = hit.similarity
    return strength
