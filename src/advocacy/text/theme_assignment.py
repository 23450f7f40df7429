"""Multi-label assignment of a taxonomy's themes to texts: keywords first, meaning where silent.

Each text is cut into sentences (:mod:`advocacy.text.theme_sentences`). A sentence gets every
theme whose seed keywords it names (:mod:`advocacy.text.theme_keywords`) and, for a theme
written without keywords, whose words learnt from the texts it says
(:mod:`advocacy.text.theme_terms`). An entity of a compound taxonomy named alone gets its first
listed theme, except when that theme is not the entity as a whole but an attribute the whole
has too ("Drink prices" listed first beside "Restaurant prices"): then the sentence's meaning
may choose another of the entity's themes ("the drinks were great": "Drink quality"), when it is
:data:`VAGUE_MARGIN` nearer to it than to the first listed and nearer to it than generic text is
(and then a sentence naming another of the entity's themes does not get the first listed beside
it); never the entity's catch-all (``FOOD_DRINKS#MISCELLANEOUS``), which is no side a sentence
says; with keywords alone, or in a sentence too short to read for meaning, the first listed.

A seed word that only the theme's description gives is weaker evidence than a written keyword
or a word of its name: a description describes ("clothes or shoes too small"). Such a word
counts only in a sentence read for meaning whose similarity to the theme's prototype reaches
:data:`DESCRIBED_SIMILARITY` and is within :data:`DESCRIBED_MARGIN` of the theme the sentence
is nearest, at that similarity ("I always order a larger size" says Delivery's "order" and
means size).

Meaning reads every sentence of a few words, in two steps, and a last rule catches the rest:

1. *Self-training on the texts being assigned* (:func:`advocacy.text.theme_classifier.
   keyword_self_training`): the sentences whose keywords name exactly one theme are examples
   of it; a multinomial logistic regression on their embeddings learns what else each theme
   sounds like ("the sashimi was fresh" is Food though it says no Food word), and the sentences
   without keywords that are not :data:`SELF_TRAINED_SIMILARITY` near any theme, which could
   never be taught one, are examples of none (reliable negatives, Liu et al. 2003: real
   comments say much that no theme covers, "Bought this for my grandson"). A sentence takes
   its most likely theme when that probability is :data:`SELF_TRAINED_EVEN_SPLITS` times an
   even split among the themes learnt (at most :data:`SELF_TRAINED_CEILING`: between two
   themes 0.5 is a guess) and what the theme's own keyword sentences reach at the
   :data:`SELF_TRAINED_SEED_PERCENTILE` percentile (a theme the regression tells apart well
   asks more; the taxonomy's broad theme, :func:`~advocacy.text.theme_facets.broad_theme`,
   only the even split), and it is nearer that theme's prototype than generic text
   (:data:`SELF_TRAINED_SIMILARITY`); a sentence with keywords gets it beside theirs ("great
   pizza and fantastic service"). Transductive: no label of anyone else's data is used.
   The probability is the score stored, so it must also reach ``threshold`` (no text holds a
   theme by meaning at a score below the threshold its rows name) and lead both the next
   theme's probability and the none class's by :data:`SELF_TRAINED_LEAD`: a sentence the
   regression finds about as likely to be another theme, or nothing, is no evidence of either
   (among 8 themes, an even split's double, 0.25, put a review of a headset phone in Cooking).
2. What self-training leaves of the sentences without keywords (or, without keywords at all,
   every sentence) gets the one theme whose *prototype*
   (:mod:`advocacy.text.theme_prototypes`) it is most similar to, when that similarity
   reaches ``threshold`` and beats the next theme's by ``margin``, both measured from the none
   prototype.
3. A text that still has no theme and has a word gets the taxonomy's *broad theme*
   (:func:`~advocacy.text.theme_facets.broad_theme`: ``LAPTOP#GENERAL``, "the laptop as a
   whole"), at the weak score :data:`BROAD_FALLBACK`: "I love it" and "Highly recommended" are
   about the whole thing. A taxonomy without a broad theme leaves such a text without one.

Meaning reads only the texts in a language the model reads
(:func:`~advocacy.text.language.reads_texts`, what ``text analyze`` decides sentiment by; a text
of no told language is read when its script is); keywords are found in every language. The
prototypes and every bar above are measured from generic English sentences, and a sentence in
another language lies far from them in the same direction as the taxonomy's words in that
language: on 2,562 Portuguese Olist reviews every sentence was 0.47-0.80 near a theme (English
review sentences of the SemEval train files: 0.06-0.36 at the median), so no sentence could be
taught "none" and "Loja nota 10" took the delivery theme at 0.88 (review27 finding 12: of 25 of
the 483 texts meaning put there, about 5 were about delivery). Such a score means nothing, so
none is given.

A child implies its parent. Non-answers ("n/a", "nothing") get no theme.

So a score meaning stores is never below ``threshold``: the similarity to a theme's prototype
or the self-trained probability, each at least the threshold. Two scores are not meaning's
alone and may be lower: a description's word kept by meaning (its sentence's similarity, at
least :data:`DESCRIBED_SIMILARITY`) and the broad theme's :data:`BROAD_FALLBACK`.

Quality on real data (``benchmarks/themes_semeval.py``): SemEval aspect categories as the
taxonomy, written from the category names and one line each; every setting chosen on the train
files (restaurants 2014 and 2015, laptops 2015 by entity and by category); micro-F1 of
keywords + meaning on the held-out test files, for the taxonomy as written / with three keywords
a theme / with names and descriptions only; "was": before a self-trained theme's probability had
to reach the threshold and lead the next theme and none by :data:`SELF_TRAINED_LEAD`
(docs/benchmarks.md, 2026-12-07, "assign", has the full tables; scored once):

=====================================  ===================  ===================  ===================
test set                               as written           three keywords       no keywords
=====================================  ===================  ===================  ===================
2014 restaurants (4 categories)        0.855 (was 0.855)    0.819 (was 0.819)    0.817 (was 0.817)
2015 restaurants (12 E#A)              0.567 (was 0.583)    0.524 (was 0.545)    0.507 (was 0.517)
2015 laptops (22 entities)             0.718 (was 0.720)    0.732 (was 0.735)    0.735 (was 0.743)
2015 laptops (38 E#A)                  0.430 (was 0.434)    0.412 (was 0.418)    0.392 (was 0.405)
2015 hotels (7 entities, no train)     0.686 (was 0.678)    0.668 (was 0.666)    0.597 (was 0.600)
2015 hotels (34 E#A, no train)         0.481 (was 0.489)    0.477 (was 0.473)    0.397 (was 0.407)
=====================================  ===================  ===================  ===================

Mean of the 18: 0.606 -> 0.601 (12 fall, 3 rise); precision 0.584 -> 0.588, recall 0.637 -> 0.620.
What the recall buys: of 1,000 real Amazon reviews (Blitzer), those meaning alone puts in
Cooking, Story or Sound and picture are about it, by the review's domain, 75% -> 85% of the time
(``tests/text/test_theme_meaning_evidence.py``).

References
----------
Snell, J., Swersky, K. & Zemel, R. (2017). Prototypical networks for few-shot learning. NeurIPS.
Liu, B., Dai, Y., Li, X., Lee, W. S. & Yu, P. S. (2003). Building text classifiers using positive
and unlabeled examples. ICDM 2003.
Pontiki, M. et al. (2014). SemEval-2014 Task 4: aspect based sentiment analysis. SemEval 2014.
Pontiki, M. et al. (2015). SemEval-2015 Task 12: aspect based sentiment analysis. SemEval 2015.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from advocacy.errors import UsageError
from advocacy.text.embeddings import Embedder, unit_rows
from advocacy.text.language import reads_texts
from advocacy.text.non_answers import non_answer_mask
from advocacy.text.phrases import MAX_CHARACTERS, words
from advocacy.text.taxonomy_file import Taxonomy, TaxonomyTheme
from advocacy.text.theme_classifier import MAX_SEEDS, MIN_SEEDS, keyword_self_training
from advocacy.text.theme_facets import (
    Facets,
    alone_themes,
    broad_theme,
    compose_hits,
    theme_facets,
    vague_entities,
)
from advocacy.text.theme_keywords import firm_seed_hits, keyword_hits
from advocacy.text.theme_prototypes import Prototypes, theme_prototypes
from advocacy.text.theme_sentences import (
    ThemeReading,
    cut_sentences,
    sentence_vectors,
    stemmer_languages,
)
from advocacy.text.theme_terms import learn_terms, term_hits

__all__ = [
    "BROAD_FALLBACK",
    "DEFAULT_MARGIN",
    "DEFAULT_THRESHOLD",
    "DESCRIBED_MARGIN",
    "DESCRIBED_SIMILARITY",
    "SELF_TRAINED_CEILING",
    "SELF_TRAINED_EVEN_SPLITS",
    "SELF_TRAINED_LEAD",
    "SELF_TRAINED_SEED_PERCENTILE",
    "SELF_TRAINED_SIMILARITY",
    "VAGUE_MARGIN",
    "assign_themes",
    "carry_to_parents",
]

#: Cosine similarity (from the none prototype) to a theme's prototype at which meaning assigns
#: it to a sentence without keywords; chosen on the SemEval train files (themes_semeval.py).
#: A self-trained theme's probability must reach it too: no score meaning stores is below it.
DEFAULT_THRESHOLD = 0.35
#: How much closer to its best theme than to the next a sentence must be for meaning to assign it.
DEFAULT_MARGIN = 0.075
#: Similarity (from the none prototype) to a theme's prototype at which a sentence keeps the
#: theme of a word only its description gives (:func:`~advocacy.text.theme_keywords.
#: seed_keywords`); chosen on the SemEval train files (themes_semeval.py, 2026-12-06,
#: docs/benchmarks.md): of 0.1 to 0.35, the best mean train micro-F1.
DESCRIBED_SIMILARITY = 0.2
#: ... and within this of its similarity to the theme it is nearest ("I always order a larger
#: size": "order" of Delivery's description, but the sentence is about size); chosen on the
#: same files' mean train micro-F1: before self-training's none class, 0.05/0.075/0.1/0.125/0.15/
#: 0.2/none gave 0.5936/0.5968/0.5978/0.5986/0.5986/0.5958/0.5971 (0.125 and 0.15 best); with
#: the none class as shipped only 0.075 (0.5985) and 0.1 (0.5998) were run, and 0.1 was kept.
DESCRIBED_MARGIN = 0.1
#: How much more similar a sentence naming a vague entity
#: (:func:`~advocacy.text.theme_facets.vague_entities`) must be to another of its themes than to
#: its first listed one for the first not to be meant: named alone, it gets that theme instead;
#: named beside another of its themes, that theme alone (either way only a theme the sentence is
#: nearer than generic text is, :func:`~advocacy.text.theme_facets.alone_themes`). Chosen on the
#: SemEval train files (``themes_semeval.py --vague-margins``): of 0 to 0.15, the best mean of
#: the 12 numbers, none of them lower than with the first theme always kept (2026-12-06,
#: docs/benchmarks.md; 0.025 on the embedding of word pieces, 0 since English words are read
#: whole: 0.5973 against 0.5967 never moving, where 0.025 lowers one number).
VAGUE_MARGIN = 0.0
#: The classifier self-trained on keyword matches assigns a theme to a sentence without keywords
#: when its probability is this many times an even split among the themes it learnt (0.5 of 4
#: themes, 0.17 of 12) or reaches :data:`SELF_TRAINED_CEILING`; chosen on the SemEval train
#: files (themes_semeval.py): among many themes a probability of 0.2 is already a clear choice.
SELF_TRAINED_EVEN_SPLITS = 2.0
#: Probability that always suffices (between two themes, 0.5 would be a guess).
SELF_TRAINED_CEILING = 0.8
#: How much more probable the self-trained theme must be than the next theme and than none
#: (the background class), beside reaching the threshold. Chosen on the SemEval train files
#: (themes_semeval.py's 12 train numbers, 2026-12-07, docs/benchmarks.md "assign"): of 0 to
#: 0.25, the settings within 0.002 of the best mean (0.05: 0.6038) go up to 0.2 (0.6020),
#: and of those the one that assigns least by meaning is kept, as the threshold was chosen.
SELF_TRAINED_LEAD = 0.2
#: A learnt theme also needs the probability its own keyword sentences reach at this
#: percentile (the taxonomy's broad theme excepted); chosen on the SemEval train files
#: (themes_semeval.py, text_eval.py's taxonomies): 2 raises their mean and lowers none of
#: them, 5 and 10 lower some, 0 is the even split alone.
SELF_TRAINED_SEED_PERCENTILE = 2.0
#: Least similarity to the self-trained theme's prototype (measured from the none prototype).
SELF_TRAINED_SIMILARITY = 0.1
#: Score of the taxonomy's broad theme in a text that nothing else marks (chosen on the SemEval
#: train files, themes_semeval.py: every set with a broad theme gains, none loses).
BROAD_FALLBACK = 0.01


def assign_themes(
    texts: Sequence[str],
    taxonomy: Taxonomy,
    *,
    embedder: Embedder,
    embeddings: NDArray[Any] | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    margin: float = DEFAULT_MARGIN,
    vague_margin: float = VAGUE_MARGIN,
    languages: Sequence[str | None] | None = None,
    keywords: bool = True,
    meaning: bool = True,
    reading: ThemeReading | None = None,
    parents: bool = True,
) -> NDArray[np.float64]:
    """Theme scores (n texts x n themes) in 0..1; a score > 0 means the text has the theme.

    Parameters
    ----------
    texts
        The texts to assign.
    taxonomy
        The themes.
    embedder
        Embeds sentences and the prototypes (``embeddings`` of the same embedder saves the work
        for one-sentence texts).
    embeddings
        The texts' embeddings by ``embedder``, if at hand (they serve one-sentence texts).
    threshold
        The least score at which meaning assigns a theme to a sentence that has no keyword:
        its similarity to the theme's prototype, measured from the none prototype, or the
        probability self-training gives the theme (which must also lead the next theme's and
        none's by :data:`SELF_TRAINED_LEAD`). Every score meaning stores reaches it.
    margin
        How much more similar to that theme than to the next best the sentence must be.
    vague_margin
        How much more similar to another of a vague entity's themes than to its first listed
        a sentence naming the entity must be for the first not to be meant
        (:data:`VAGUE_MARGIN`).
    languages
        ISO 639-1 code per text (None: unknown), which chooses the keyword stemmer.
    keywords, meaning
        Turn either evidence off (to measure the other alone).
    reading
        :func:`~advocacy.text.theme_sentences.theme_reading` of ``texts`` (with the same
        ``taxonomy``, ``embedder``, ``languages`` and ``keywords``), when read already (on
        several processes, for example); else what meaning needs is read here.
    parents
        Carry each sub-theme's score up to its parent (:func:`carry_to_parents`); False gives
        each theme's own scores (to tell a parent's own keywords from its sub-themes').

    Returns
    -------
    numpy.ndarray
        1.0 for a hit of a written keyword or a word of the theme's name
        (:func:`~advocacy.text.theme_keywords.seed_keywords`; a word only its description
        gives, where meaning keeps it, the sentence's similarity to the theme, and 1.0 with
        ``meaning`` off; for a vague entity's name said
        alone, on the one of its themes meaning chose, :data:`VAGUE_MARGIN`: the keyword says
        the entity is meant, meaning only which side of it), the word's similarity (below
        1.0) for a word learnt from the texts (:func:`~advocacy.text.theme_terms.text_terms`),
        else the best sentence's similarity (or self-trained probability) where meaning
        assigned the theme, :data:`BROAD_FALLBACK` for the broad
        theme of a text nothing else marks (in a language the sentiment model reads, or one
        ``languages`` does not know), else 0; a child's score propagates to its parent
        (unless ``parents`` is False).
        Non-answers score 0 everywhere.

    Raises
    ------
    UsageError
        When ``reading`` is not the reading of ``texts``.

    Examples
    --------
    >>> from advocacy.text import default_embedder
    >>> taxonomy = Taxonomy((
    ...     TaxonomyTheme("Billing", keywords=("invoice", "charged")),
    ...     TaxonomyTheme("Staff", keywords=("staff", "agent")),
    ... ))
    >>> texts = ["I was charged twice on my invoice", "the agent was kind", "nice weather"]
    >>> assign_themes(texts, taxonomy, embedder=default_embedder()).tolist()
    [[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]]
    """
    if reading is not None and reading.texts != list(texts):
        # Another batch's reading would give its sentences' themes to these texts.
        raise UsageError(
            f"reading is of {len(reading.texts)} other texts, not of these {len(texts)}",
            fix="pass theme_reading of these texts, or no reading",
        )
    n, k = len(texts), len(taxonomy.themes)
    scores = np.zeros((n, k))
    if n == 0 or k == 0:
        return scores
    if keywords and not meaning:
        scores[keyword_hits(texts, taxonomy, languages=languages)] = 1.0
    # Read as text analyze reads it ("很好" of no told language is not English either): meaning
    # reads only the texts in a language the model reads; keywords are found in any.
    understood = reads_texts(
        [text or "" for text in texts], [None] * n if languages is None else list(languages)
    )
    if meaning:
        _by_sentence(
            scores,
            texts,
            taxonomy,
            embedder=embedder,
            embeddings=embeddings,
            threshold=threshold,
            margin=margin,
            vague_margin=vague_margin,
            languages=languages if keywords else None,
            keywords=keywords,
            reading=reading,
            understood=understood,
        )
        # A text that names nothing the taxonomy lists is about the thing as a whole: its broad
        # theme ("I love it": LAPTOP#GENERAL), weakly (quotes come from texts that name it).
        # Only in a language the model reads: a Japanese review in an English taxonomy names
        # nothing because nothing could be read, not because it is about the whole.
        broad = broad_theme(taxonomy)
        if broad is not None:
            unthemed = np.flatnonzero(~(scores > 0).any(axis=1)).tolist()
            worded = [
                row
                for row in unthemed
                if understood[row] and words((texts[row] or "")[:MAX_CHARACTERS])
            ]
            scores[worded, broad] = BROAD_FALLBACK
    if parents:
        carry_to_parents(scores, taxonomy)
    scores[non_answer_mask(texts)] = 0.0
    return np.clip(scores, 0.0, 1.0)


def carry_to_parents(scores: NDArray[np.float64], taxonomy: Taxonomy) -> NDArray[np.float64]:
    """Give each parent theme the best score of its sub-themes, in place ("a child implies its
    parent"), up chains of parents.

    Parameters
    ----------
    scores
        Theme scores (n texts x n themes), each theme's own (``assign_themes(...,
        parents=False)``).
    taxonomy
        The themes, whose ``parent`` names the theme each one implies.

    Returns
    -------
    numpy.ndarray
        ``scores``, each parent's column now at least its sub-themes' columns.

    Examples
    --------
    >>> taxonomy = Taxonomy((TaxonomyTheme("Product"), TaxonomyTheme("Fit", parent="Product")))
    >>> carry_to_parents(np.array([[0.0, 0.8], [0.5, 0.0]]), taxonomy).tolist()
    [[0.8, 0.8], [0.5, 0.0]]
    """
    index = {name: i for i, name in enumerate(taxonomy.names)}
    for _ in range(len(taxonomy.themes)):  # propagate up chains of parents
        for column, theme in enumerate(taxonomy.themes):
            if theme.parent is not None:
                parent = index[theme.parent]
                scores[:, parent] = np.maximum(scores[:, parent], scores[:, column])
    return scores


def _by_sentence(
    scores: NDArray[np.float64],
    texts: Sequence[str],
    taxonomy: Taxonomy,
    *,
    embedder: Embedder,
    embeddings: NDArray[Any] | None,
    threshold: float,
    margin: float,
    vague_margin: float,
    languages: Sequence[str | None] | None,
    keywords: bool,
    reading: ThemeReading | None,
    understood: NDArray[np.bool_],
) -> None:
    """Fill ``scores`` sentence by sentence: keywords first, meaning where they are silent.

    Meaning reads only the sentences of the ``understood`` texts (in a language the model
    reads); keywords are found in every sentence.
    """
    k = len(taxonomy.themes)
    cut = cut_sentences(texts) if reading is None else reading.cut
    pieces, owner, read, counts = cut.pieces, cut.owner, cut.read, cut.counts
    hits = np.zeros((len(pieces), k), dtype=bool)
    vectors = None if reading is None else reading.vectors
    kept = understood[owner[read]]
    if not kept.all():
        read = read[kept]
        vectors = None if vectors is None else vectors[kept]
    centred: NDArray[np.float32] | None = None
    prototypes: Prototypes | None = None
    facets = theme_facets(taxonomy)
    if keywords:
        chosen = None if languages is None else [languages[row] for row in owner]
        open_themes = any(not theme.keywords for theme in taxonomy.themes)
        # Cut once: the keywords and the words of the texts read the same words.
        folded = [words(piece) for piece in pieces] if open_themes else None
        stemmed: dict[str, dict[str, str]] = {}
        found, firm = firm_seed_hits(
            pieces,
            taxonomy,
            languages=chosen,
            folded_words=folded,
            stemmed=stemmed,
            found=None if reading is None else reading.found,
        )
        described = np.zeros(len(pieces))
        if firm is not found:
            # A word only a description gives counts where the sentence's meaning is near the
            # theme ("Very comfortable shoes." is no Size and fit for "clothes or shoes too
            # small"); a sentence too short to read keeps only its firm words.
            loose = np.zeros_like(found)
            loose[read] = found[read] & ~firm[read]
            if loose.any():
                if vectors is None:
                    vectors = sentence_vectors(pieces, read, owner, counts, embedder, embeddings)
                prototypes = theme_prototypes(taxonomy, embedder)
                near = np.full((len(pieces), k), -1.0)
                near[read] = unit_rows(vectors - prototypes.none) @ prototypes.themes.T
                best = near.max(axis=1, keepdims=True)
                loose &= (near >= DESCRIBED_SIMILARITY) & (near >= best - DESCRIBED_MARGIN)
                described = np.where(loose, near, 0.0).max(axis=1)
            found = firm | loose
        vague = [] if facets is None else vague_entities(facets)
        alone = None
        if facets is not None and vague and found[read][:, np.isin(facets.entity, vague)].any():
            # An entity named with no attribute and no theme about it as a whole: what the
            # sentence says may choose which of its themes ("the drinks were great"). Only
            # when a sentence read names one: else there is nothing to choose.
            if vectors is None:
                vectors = sentence_vectors(pieces, read, owner, counts, embedder, embeddings)
            centred, alone = _vague_choice(
                taxonomy, facets, vague, vectors, read, len(pieces), embedder, vague_margin
            )
        written = found if facets is None else compose_hits(found, facets, alone=alone)
        hits = written
        if len(read) and folded is not None:
            # A theme written without keywords is also marked by the words the texts use for
            # it, learnt from the sentences read for meaning, found in every sentence.
            if vectors is None:
                vectors = sentence_vectors(pieces, read, owner, counts, embedder, embeddings)
            prototypes = theme_prototypes(taxonomy, embedder)
            stemmer_of = stemmer_languages(chosen, len(pieces))
            terms = learn_terms(
                pieces,
                read,
                vectors,
                prototypes,
                taxonomy,
                stemmer_of=stemmer_of,
                folded=folded,
                stemmed=stemmed,
            )
            if terms:
                strength = term_hits(
                    terms, k, stemmer_of=stemmer_of, folded=folded, stemmed=stemmed
                )
                termed = found | (strength > 0)
                hits = termed if facets is None else compose_hits(termed, facets, alone=alone)
                # Weaker evidence than a written keyword: the word's similarity, not 1.0 (a
                # word learnt from one batch may not be learnt from the next).
                rows, columns = np.nonzero(hits & ~written)
                np.maximum.at(scores, (owner[rows], columns), strength[rows].max(axis=1))
        # A text's keywords are its sentences' keywords (a phrase does not cross a sentence);
        # a described word's, weaker, its sentence's similarity to the theme.
        rows, columns = np.nonzero(written)
        np.maximum.at(scores, (owner[rows], columns), described[rows])
        if firm is not found:
            rows, columns = np.nonzero(
                written & (firm if facets is None else compose_hits(firm, facets, alone=alone))
            )
        scores[owner[rows], columns] = 1.0
    silent = np.asarray(~hits.any(axis=1), bool)
    if not silent[read].any():
        return
    # Sentences whose keywords name exactly one theme teach what else that theme sounds like.
    seeds = np.flatnonzero(hits[read].sum(axis=1) == 1) if keywords else read[:0]
    if len(seeds) > MAX_SEEDS:
        seeds = np.sort(np.random.default_rng(0).choice(seeds, MAX_SEEDS, replace=False))
    if vectors is None:
        vectors = sentence_vectors(pieces, read, owner, counts, embedder, embeddings)
    if prototypes is None:
        prototypes = theme_prototypes(taxonomy, embedder)
    if centred is None:
        centred = unit_rows(vectors - prototypes.none)
    similarity = centred @ prototypes.themes.T
    # A silent sentence not SELF_TRAINED_SIMILARITY near any theme can be taught none: it is
    # about something else ("Bought this for my grandson"), and it teaches the regression what
    # that sounds like, or every sentence would go to one of the themes learnt.
    about_none = silent[read] & (similarity.max(axis=1) < SELF_TRAINED_SIMILARITY)
    learned = keyword_self_training(
        centred[seeds],
        hits[read[seeds]].argmax(axis=1),
        centred,
        n_themes=k,
        background=centred[about_none],
    )
    chosen, confidence = learned.argmax(axis=1), learned.max(axis=1)
    # The regression always picks one of the themes it learnt; a sentence must also be nearer
    # that theme's prototype than generic text is, or a taxonomy of two themes would tag
    # everything else one of the two.
    nearer = similarity[np.arange(len(read)), chosen] >= SELF_TRAINED_SIMILARITY
    # Well above an even split among the themes learnt: 0.2 is a clear choice among twelve,
    # 0.5 a guess between two (hence the ceiling).
    learnt = max(int((learned.sum(axis=0) > 0).sum()), 1)
    bar = _self_trained_bars(
        learned, seeds, hits[read[seeds]].argmax(axis=1), learnt, broad_theme(taxonomy)
    )
    # The probability is the score stored: it reaches the threshold the rows name, and leads
    # the next theme and none (the background class, what the themes' columns leave) by
    # SELF_TRAINED_LEAD, or the sentence is as much another theme's, or nothing's.
    ranked = np.sort(learned, axis=1)
    rival = np.maximum(ranked[:, -2] if k > 1 else 0.0, 1.0 - learned.sum(axis=1))
    taught = (
        (confidence >= np.maximum(bar[chosen], threshold))
        & (confidence - rival >= SELF_TRAINED_LEAD)
        & nearer
    )
    # A sentence with keywords gets the learnt theme too when its keywords do not name it
    # ("great pizza and fantastic service": service by keyword, food by what pizza sounds like),
    # except a compound taxonomy's catch-all theme (RESTAURANT#GENERAL), which is only for a
    # sentence that names nothing more specific (compose_hits).
    catch_all = -1 if facets is None else int(facets.default[facets.general_entity])
    named = np.asarray(hits[read].any(axis=1), bool)
    given = taught & ~hits[read, chosen] & ~((chosen == catch_all) & named)
    # A text's score is the best of its sentences' (a maximum: the same in any order).
    np.maximum.at(scores, (owner[read[given]], chosen[given]), confidence[given])
    # What self-training leaves of the silent sentences (or, without keywords, all of them) is
    # read against the prototypes.
    left = silent[read] & ~taught
    ordered = np.sort(similarity, axis=1)
    best = similarity.argmax(axis=1)
    value = ordered[:, -1]
    runner_up = ordered[:, -2] if k > 1 else np.full(len(read), -1.0)
    near = left & (value >= threshold) & (value - runner_up >= margin)
    np.maximum.at(scores, (owner[read[near]], best[near]), value[near].astype(np.float64))


def _vague_choice(
    taxonomy: Taxonomy,
    facets: Facets,
    vague: list[int],
    vectors: NDArray[np.float32],
    read: NDArray[np.int64],
    n: int,
    embedder: Embedder,
    margin: float,
) -> tuple[NDArray[np.float32], NDArray[np.int64]]:
    """The sentences read, centred on the none prototype, and the vague entities' choices.

    The choices are :func:`~advocacy.text.theme_facets.alone_themes` of the ``n`` sentences
    (at ``margin``), by similarity to the vague entities' themes only. Their prototypes are
    built from names, descriptions and examples, not keywords: by convention an entity's own
    words are its first theme's keywords, and they say nothing of the attribute. The none
    prototype is the same generic sentences' as every prototype's, so the centred vectors serve
    self-training too.
    """
    columns = np.flatnonzero(np.isin(facets.entity, vague))
    described = theme_prototypes(
        Taxonomy(
            tuple(
                TaxonomyTheme(theme.name, theme.description, examples=theme.examples)
                for theme in (taxonomy.themes[column] for column in columns)
            )
        ),
        embedder,
    )
    centred = unit_rows(vectors - described.none)
    similarity = centred @ described.themes.T
    return centred, alone_themes(similarity, columns, read, n, facets, margin=margin)


def _self_trained_bars(
    learned: NDArray[np.float64],
    seeds: NDArray[np.int64],
    seed_themes: NDArray[np.int64],
    learnt: int,
    broad: int | None,
) -> NDArray[np.float64]:
    """Per theme, the probability at which self-training assigns it.

    Every theme needs :data:`SELF_TRAINED_EVEN_SPLITS` times an even split among the themes
    learnt (at most :data:`SELF_TRAINED_CEILING`). A theme also needs the probability that
    its own keyword sentences reach at their :data:`SELF_TRAINED_SEED_PERCENTILE` percentile:
    a theme the regression tells apart well ("the staff") asks more of a sentence than one it
    confuses with others, measured on the texts being assigned. The taxonomy's broad theme
    (:func:`~advocacy.text.theme_facets.broad_theme`: "the laptop as a whole") keeps the even
    split alone: its keywords occur in sentences of every kind, so what they score says little
    of a sentence about it that names nothing.
    """
    even = min(SELF_TRAINED_CEILING, SELF_TRAINED_EVEN_SPLITS / learnt)
    bars = np.full(learned.shape[1], even)
    for theme in np.unique(seed_themes):
        own = learned[seeds[seed_themes == theme], theme]
        if len(own) >= MIN_SEEDS and theme != broad:
            bars[theme] = max(even, float(np.percentile(own, SELF_TRAINED_SEED_PERCENTILE)))
    return bars
