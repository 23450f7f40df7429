"""Do whole-word teacher vectors make English-trained heads transfer? (issue #17 item 2, experiment)

Embeddings compared under one head recipe (nothing in ``src/`` changes):

``pieces``
    The shipped static embedding (:func:`advocacy.text.embeddings.default_embedder`): the unit
    mean of a text's piece vectors.
``words``
    The same, except that a word of the word list (``tools/build_word_vectors.py``: wordfreq's
    top ``N`` words of en de fr es pt nl it that the tokenizer splits into 2+ pieces) that the
    tokenizer splits into 2+ pieces in the text has its pieces' sum replaced by
    ``alpha * (m * v) + (1 - alpha) * pieces``, ``v`` its teacher vector and ``m`` 1 (the word
    counts as one piece) or its piece count ``k`` (it weighs what its pieces weighed). A word is
    a run of letters inside a whitespace-delimited token (``l'école`` holds ``l`` and ``école``),
    looked up lower-cased.
``+shift``
    Either, with each text's mean vector moved by English's centroid minus its language's
    (:func:`centroid`: the frequency-weighted mean vector of wordfreq's top words of the
    language, no labelled text) before it is normalised; the language is advocacy's own
    detection (``language.detect_languages``), and English or unknown text is not moved, so an
    English reading is unchanged and the head (trained on English) is the same.

The head: a multinomial logistic regression on the embedding alone, trained on the English
sentiment sources of ``tools/build_heads.py`` (TweetEval val + even test lines, GoEmotions train,
clothing reviews, authored comments; each cut to a seeded 8,000 rows) with its weighting
(sources weigh the same, classes balanced within a source).

Settings (``N``, ``alpha``, ``m`` and the head's ``C``) are chosen with ``--select`` on the MARC
``train-256-42`` and ``dev-256-42`` samples of de, es, fr (mean macro-F1; English is shown beside
it, not used); the test sets are scored once with ``--model`` columns and the chosen settings.
MARC is research-only: evaluated here, never trained on.

Commands (from ``benchmarks/``)::

    python ../tools/build_word_vectors.py --per-language 20000 \
        --out ../tmp/word_vectors_20k.npz --cache ../tmp/teacher
    python crosslingual_eval.py --words ../tmp/word_vectors_20k.npz --select \
        --grid 5000,10000,20000
    python crosslingual_eval.py --words ../tmp/word_vectors_20k.npz \
        --model pieces:20000:0:1:0.01:0 --model words:20000:1:k:0.01:0 \
        --model pieces+shift:20000:0:1:0.01:1 --model words+shift:20000:0.5:k:0.03:1 \
        --pair words,pieces --pair words+shift,pieces+shift --pair pieces+shift,pieces
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import text_corpora as corpora
from numpy.typing import NDArray
from scipy import sparse
from text_eval import (
    SENTIMENTS,
    TWO_CLASSES,
    _judged,
    _split,
    _usable,
    sample,
    scores,
    vader_labels,
)

from advocacy.text.embeddings import StaticEmbedder, TokenRows, default_embedder, unit_rows

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import build_heads  # noqa: E402

LETTERS = re.compile(r"[^\W\d_]+")
MARKER = "▁"
SELECT_LANGUAGES = ("de", "es", "fr")
GRID_N = (5_000, 10_000, 20_000)
GRID_ALPHA = (0.5, 1.0)
GRID_MASS = ("1", "k")
GRID_C = (0.01, 0.03, 0.1, 0.3, 1.0)
#: Languages whose texts are moved to English's centroid: wordfreq's Latin-script ones (the
#: pieces of other scripts have no vectors).
SHIFTED = frozenset({"en", "de", "fr", "es", "pt", "nl", "it", "tr", "pl", "sv", "da", "nb", "fi"})
#: Words of a language that give its centroid (:func:`centroid`).
CENTROID_WORDS = 20_000
#: Most rows kept of each training source.
SOURCE_ROWS = 8_000


@dataclass
class WordVectors:
    """The word list's vectors (float32) and each word's best wordfreq rank."""

    index: dict[str, int]
    vectors: NDArray[np.float32]
    rank: NDArray[np.int64]

    @classmethod
    def load(cls, path: Path) -> WordVectors:
        with np.load(path) as data:
            vectors = data["vectors"].astype(np.float32) * data["scale"].astype(np.float32)[:, None]
            words = [str(w) for w in data["words"]]
            rank = data["rank"].astype(np.int64)
        return cls({w: i for i, w in enumerate(words)}, vectors, rank)


@dataclass
class Encoded:
    """A batch of texts as the shipped piece sums plus, per text, the word runs found in it.

    ``runs`` (texts x runs, counts) maps each text to the runs of its words; each run has its
    word-list entry ``key``, its piece count ``k`` and the sum of its pieces ``run_sums``.
    """

    base: NDArray[np.float32]
    count: NDArray[np.float32]
    runs: sparse.csr_matrix
    key: NDArray[np.int64]
    k: NDArray[np.float32]
    run_sums: NDArray[np.float32]

    def sums(
        self, words: WordVectors, allowed: NDArray[np.bool_] | None, alpha: float, mass: str
    ) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
        """Each text's vector sum and how many pieces it counts as (``pieces`` when ``alpha``
        is 0, else the word setting of the module docstring)."""
        if alpha == 0 or not len(self.key):
            return self.base, self.count
        m = self.k if mass == "k" else np.ones_like(self.k)
        delta = m[:, None] * words.vectors[self.key] - self.run_sums
        lost = m - self.k
        if allowed is not None:
            delta = delta * allowed[self.key][:, None]
            lost = lost * allowed[self.key]
        total = self.base + alpha * np.asarray(self.runs @ delta, dtype=np.float32)
        return total, self.count + alpha * np.asarray(self.runs @ lost, dtype=np.float32)

    def embed(
        self,
        words: WordVectors,
        allowed: NDArray[np.bool_] | None,
        alpha: float,
        mass: str,
        shift: NDArray[np.float32] | None = None,
    ) -> NDArray[np.float32]:
        """Unit rows of the mean vectors, moved by ``shift`` (one row for every text) if given."""
        total, count = self.sums(words, allowed, alpha, mass)
        if shift is None:
            return unit_rows(total)
        mean = total / np.maximum(count, 1.0)[:, None]
        return unit_rows(np.where(count[:, None] > 0, mean + shift, 0.0))


class Encoder:
    """Finds, once per distinct whitespace word, the runs a word vector would replace."""

    def __init__(self, embedder: StaticEmbedder, words: WordVectors) -> None:
        self.embedder = embedder
        self.words = words
        self.normalize = embedder.tokenizer.normalizer.normalize_str
        self.model = embedder.tokenizer.model
        self._runs: dict[str, list[int]] = {}
        self.key: list[int] = []
        self.k: list[int] = []
        self.sums: list[NDArray[np.float32]] = []

    def _word_runs(self, word: str) -> list[int]:
        found = self._runs.get(word)
        if found is not None:
            return found
        found = []
        text = MARKER + word
        tokens = self.model.tokenize(text)
        spans = []
        for t in tokens:
            start, end = t.offsets
            if t.value.startswith(MARKER):
                start += len(MARKER.encode())
            spans.append((start, end, t.id))
        for run in LETTERS.finditer(text):
            key = self.words.index.get(run.group().lower())
            if key is None:
                continue
            first = len(text[: run.start()].encode())
            last = len(text[: run.end()].encode())
            inside = [s for s in spans if s[0] >= first and s[1] <= last and s[1] > s[0]]
            straddle = [s for s in spans if s[0] < last and s[1] > first and s not in inside]
            if straddle or len(inside) < 2:
                continue
            rows = self.embedder.row_of_id[[s[2] for s in inside]]
            rows = rows[rows >= 0]
            piece_sum = np.zeros(self.embedder.dimension, np.float32)
            if len(rows):
                piece_sum = self.embedder.sums(
                    TokenRows(rows.astype(np.int64), np.array([0, len(rows)], np.int64))
                )[0]
            found.append(len(self.key))
            self.key.append(key)
            self.k.append(len(inside))
            self.sums.append(piece_sum)
        self._runs[word] = found
        return found

    def encode(self, texts: Sequence[str]) -> Encoded:
        tokens = self.embedder.token_rows(texts)
        base = self.embedder.sums(tokens)
        count = np.diff(tokens.offsets).astype(np.float32)
        rows, cols = [], []
        for i, text in enumerate(texts):
            for word in self.normalize(text or "").replace(" ", MARKER).split(MARKER):
                if word:
                    for run in self._word_runs(word):
                        rows.append(i)
                        cols.append(run)
        n = len(self.key)
        matrix = sparse.csr_matrix(
            (np.ones(len(rows), np.float32), (rows, cols)), shape=(len(texts), n)
        )
        used = np.unique(cols).astype(np.int64) if cols else np.zeros(0, np.int64)
        remap = sparse.csr_matrix(matrix[:, used])
        return Encoded(
            base,
            count,
            remap,
            np.asarray(self.key, np.int64)[used],
            np.asarray(self.k, np.float32)[used],
            np.asarray(self.sums, np.float32).reshape(-1, self.embedder.dimension)[used],
        )


def allowed_words(words: WordVectors, per_language: int) -> NDArray[np.bool_]:
    """Which word-list entries are in the top ``per_language`` of some language."""
    if per_language > words.rank.max() + 1:
        raise SystemExit(f"the word list stops at rank {words.rank.max()}: build it further")
    return np.asarray(words.rank < per_language)


def centroid(
    encoder: Encoder,
    words: WordVectors,
    setting: tuple[NDArray[np.bool_] | None, float, str],
    lang: str,
) -> NDArray[np.float32]:
    """The mean piece vector of running text in ``lang``, from no labelled text: wordfreq's top
    :data:`CENTROID_WORDS` words of the language, each weighted by its frequency."""
    from wordfreq import top_n_list, word_frequency

    vocabulary = top_n_list(lang, CENTROID_WORDS)
    frequency = np.array([word_frequency(w, lang) for w in vocabulary], np.float64)
    total, count = encoder.encode(vocabulary).sums(words, *setting)
    mean = (frequency @ total.astype(np.float64)) / (frequency @ count.astype(np.float64))
    return np.asarray(mean, np.float32)


def shifted_languages(texts: list[str]) -> list[str]:
    """Each text's language as advocacy detects it (``language.detect_languages``, the texts
    of a set read together), English when it is unknown or outside :data:`SHIFTED`."""
    from advocacy.text.language import detect_languages

    return [lang if lang in SHIFTED else "en" for lang in detect_languages(texts)]


_CENTROIDS: dict[tuple[object, str], NDArray[np.float32]] = {}


def shifts(
    encoder: Encoder,
    words: WordVectors,
    setting: tuple[NDArray[np.bool_] | None, float, str],
    languages: Sequence[str],
) -> NDArray[np.float32]:
    """Per text, English's centroid minus its language's (zero for English text): the heads
    learnt English, so a text's mean is moved to where English text lies on average."""
    mask, alpha, mass = setting
    name = (None if mask is None else int(mask.sum()), alpha, mass)
    found = {}
    for lang in set(languages) | {"en"}:
        if (name, lang) not in _CENTROIDS:
            _CENTROIDS[(name, lang)] = centroid(encoder, words, setting, lang)
        found[lang] = _CENTROIDS[(name, lang)]
    return np.vstack([found["en"] - found[lang] for lang in languages]).astype(np.float32)


def training_sources(data: Path) -> list[build_heads.Source]:
    """The English sentiment sources of ``build_heads.py`` (never an evaluation set), each cut
    to a seeded :data:`SOURCE_ROWS` rows (GoEmotions has 40,000; sources weigh the same anyway)."""
    cut = []
    for source in build_heads._sentiment_sources(data):
        chosen = np.random.default_rng(0).permutation(len(source.texts))[:SOURCE_ROWS]
        chosen.sort()
        texts = [source.texts[i] for i in chosen]
        cut.append(build_heads.Source(source.name, texts, source.labels[chosen]))
    return cut


def fit(sources: list[build_heads.Source], features: list[NDArray[np.float32]], c: float) -> object:
    from sklearn.linear_model import LogisticRegression

    everything = [np.ones(len(s.texts), bool) for s in sources]
    return LogisticRegression(C=c, max_iter=2000).fit(
        np.vstack(features),
        np.concatenate([s.labels for s in sources]),
        sample_weight=build_heads._weights(sources, everything),
    )


def predict(head: object, x: NDArray[np.float32]) -> list[str]:
    return [SENTIMENTS[i] for i in head.predict(x)]  # type: ignore[attr-defined]


def select(encoder: Encoder, words: WordVectors, data: Path, grid: tuple[int, ...]) -> None:
    """The grid on MARC train/dev samples (English beside them, not used to choose).

    Every setting (the pieces alone, and each ``alpha`` and ``m`` at the largest ``N``) gets
    each ``C`` of :data:`GRID_C`; the best word setting is then tried at the smaller ``N``. Each
    head is scored on the texts as they are and shifted to English's centroid (the head is the
    same: training text is English, whose shift is zero).
    """
    sources = training_sources(data)
    encoded = [encoder.encode(s.texts) for s in sources]
    marc = {
        lang: pd.concat([corpora.marc(data, lang=lang, split=s) for s in ("train", "dev")])
        for lang in (*SELECT_LANGUAGES, "en")
    }
    marc_encoded = {lang: encoder.encode(list(f["text"])) for lang, f in marc.items()}
    detected = {lang: shifted_languages(list(f["text"])) for lang, f in marc.items()}
    masks = {n: allowed_words(words, n) for n in grid}
    print(
        "| N per language | alpha | m | C | MARC train+dev macro-F1 de / es / fr (mean) "
        "| shifted de / es / fr (mean) | en |"
    )
    print("|---|---:|---|---:|---|---|---:|")

    def run(n: int, alpha: float, mass: str, c: float) -> tuple[float, float]:
        setting = (masks.get(n), alpha, mass)
        head = fit(sources, [e.embed(words, *setting) for e in encoded], c)
        f1: dict[str, dict[str, float]] = {"plain": {}, "shifted": {}}
        for lang, frame in marc.items():
            batch = marc_encoded[lang]
            shift = shifts(encoder, words, setting, detected[lang])
            for how, moved in (("plain", None), ("shifted", shift)):
                said = predict(head, batch.embed(words, *setting, moved))
                f1[how][lang] = scores(list(frame["label"]), said, SENTIMENTS)["macro_f1"]
        means = {h: float(np.mean([f1[h][lang] for lang in SELECT_LANGUAGES])) for h in f1}
        name = "pieces" if alpha == 0 else f"{n:,}"
        print(
            f"| {name} | {alpha} | {mass} | {c} | "
            + " | ".join(
                " / ".join(f"{f1[h][lang]:.3f}" for lang in SELECT_LANGUAGES) + f" ({means[h]:.3f})"
                for h in ("plain", "shifted")
            )
            + f" | {f1['plain']['en']:.3f} |",
            flush=True,
        )
        return means["plain"], means["shifted"]

    for c in GRID_C:
        run(0, 0.0, "1", c)
    top = max(grid)
    found = {
        (alpha, mass, c): run(top, alpha, mass, c)
        for alpha in GRID_ALPHA
        for mass in GRID_MASS
        for c in GRID_C
    }
    for which in (0, 1):
        alpha, mass, c = max(found, key=lambda setting: found[setting][which])
        for n in sorted(grid)[:-1]:
            run(n, alpha, mass, c)


#: English train files the English word setting is chosen on (never a test split).
ENGLISH_SELECTION = (
    ("MARC en train+dev", "marc", ""),
    ("SemEval-2014 restaurants train", "semeval14", "restaurants"),
    ("SemEval-2014 laptops train", "semeval14", "laptops"),
    ("SemEval-2015 restaurants train", "semeval15", "restaurants"),
    ("SemEval-2015 laptops train", "semeval15", "laptops"),
)
GRID_ENGLISH_C = (0.3,)


def english_selection_sets(data: Path) -> list[tuple[str, pd.DataFrame]]:
    """The English train files of :data:`ENGLISH_SELECTION` (labels as ``text_eval.py``)."""
    found = []
    for name, corpus, domain in ENGLISH_SELECTION:
        if corpus == "marc":
            frame = pd.concat([corpora.marc(data, lang="en", split=s) for s in ("train", "dev")])
        elif corpus == "semeval14":
            frame = _judged(corpora.semeval14(data, domain=domain, split="train"))
        else:
            frame = _usable(corpora.semeval15(data, domain=domain, split="train"))
        found.append((name, frame.reset_index(drop=True)))
    return found


def select_english(encoder: Encoder, words: WordVectors, data: Path, grid: tuple[int, ...]) -> None:
    """The English grid: ``N`` (English wordfreq ranks), ``alpha`` and the head's ``C``.

    The head (the embedding alone, :func:`fit`) learns the training rows of the sentiment
    sources (each cut to :data:`SOURCE_ROWS`; their seeded 10% development rows held out, as
    ``build_heads.py`` holds them out) and is scored on those development rows (training
    domains) and on the English train files of :data:`ENGLISH_SELECTION`; the choice is the
    best mean macro-F1 over all of them. Only ``m = k`` is tried (a word weighs what its
    pieces weighed; the only form the shipped embedding stores). No test split is read.
    """
    sources = training_sources(data)
    train = [~s.development for s in sources]
    kept = [
        build_heads.Source(
            s.name, [t for t, k in zip(s.texts, keep, strict=True) if k], s.labels[keep]
        )
        for s, keep in zip(sources, train, strict=True)
    ]
    held = [
        (f"{s.name} (development rows)", [t for t, k in zip(s.texts, keep, strict=True) if not k],
         [SENTIMENTS[i] for i in s.labels[~keep]])
        for s, keep in zip(sources, train, strict=True)
    ]  # fmt: skip
    held += [(name, list(f["text"]), list(f["label"])) for name, f in english_selection_sets(data)]
    encoded = [encoder.encode(s.texts) for s in kept]
    scored = [encoder.encode(texts) for _, texts, _ in held]
    names = [name for name, _, _ in held]
    print("| N | alpha | C | " + " | ".join(names) + " | mean |")
    print("|---|---:|---:|" + "---:|" * (len(names) + 1))
    results = {}
    settings = [(0, 0.0)] + [(n, alpha) for n in grid for alpha in (0.5, 1.0)]
    for n, alpha in settings:
        mask = allowed_words(words, n) if n else None
        setting = (mask, alpha, "k")
        for c in GRID_ENGLISH_C:
            head = fit(kept, [e.embed(words, *setting) for e in encoded], c)
            f1 = [
                scores(truth, predict(head, batch.embed(words, *setting)), SENTIMENTS)["macro_f1"]
                for (_, _, truth), batch in zip(held, scored, strict=True)
            ]
            results[(n, alpha, c)] = float(np.mean(f1))
            print(
                f"| {'pieces' if not n else f'{n:,}'} | {alpha} | {c} | "
                + " | ".join(f"{x:.3f}" for x in f1)
                + f" | {np.mean(f1):.4f} |",
                flush=True,
            )
    best = max(results, key=lambda key: results[key])
    print(
        f"\nChosen: N {best[0]:,}, alpha {best[1]}, C {best[2]} (mean macro-F1 {results[best]:.4f})"
    )


def test_sets(data: Path, rows: int) -> list[tuple[str, pd.DataFrame, tuple[str, ...]]]:
    """The evaluation sets: never read by the head or the selection."""
    sets: list[tuple[str, pd.DataFrame, tuple[str, ...]]] = []
    for lang in ("de", "es", "fr", "en"):
        sets.append(
            (f"MARC {lang} (test)", sample(corpora.marc(data, lang=lang), rows), SENTIMENTS)
        )
    _, held = _split(corpora.olist(data), held=0.5)
    sets.append(("Olist reviews pt", sample(held, rows), SENTIMENTS))
    sets.append(
        (
            "SemEval-2016 Dutch restaurants (train file)",
            sample(_usable(corpora.semeval16_dutch(data)), rows),
            SENTIMENTS,
        )
    )
    for lang in ("es", "fr", "nl", "ru", "tr", "en"):
        frame = _usable(corpora.semeval16_triplets(data, lang=lang, split="test"))
        sets.append((f"SemEval-2016 triplets {lang} (test)", frame, SENTIMENTS))
    reviews = corpora.blitzer(data)
    for domain, part in reviews.groupby("domain", sort=True):
        _, held = _split(part, held=0.5)
        sets.append((f"Blitzer {str(domain).split('/')[1]}", sample(held, rows), TWO_CLASSES))
    for domain in ("restaurants", "laptops"):
        frame = _judged(corpora.semeval14(data, domain=domain, split="test"))
        sets.append((f"SemEval-2014 {domain} (test)", frame, SENTIMENTS))
    for domain in ("restaurants", "laptops", "hotels"):
        frame = _usable(corpora.semeval15(data, domain=domain, split="test"))
        sets.append((f"SemEval-2015 {domain} (test)", frame, SENTIMENTS))
    return sets


@dataclass(frozen=True)
class Model:
    """One column of the test table: an embedding setting, its head's ``C``, shifted or not."""

    name: str
    per_language: int
    alpha: float
    mass: str
    c: float
    shifted: bool

    @classmethod
    def parse(cls, spec: str) -> Model:
        """``name:N:alpha:m:C:shift`` (shift ``1`` or ``0``)."""
        name, n, alpha, mass, c, shifted = spec.split(":")
        return cls(name, int(n), float(alpha), mass, float(c), shifted == "1")


def test(
    encoder: Encoder, words: WordVectors, data: Path, models: list[Model], rows: int
) -> pd.DataFrame:
    """Every model on every test set, once; returns every row's label and predictions."""
    sources = training_sources(data)
    encoded = [encoder.encode(s.texts) for s in sources]
    heads = {}
    for model in models:
        setting = (allowed_words(words, model.per_language), model.alpha, model.mass)
        features = [e.embed(words, *setting) for e in encoded]
        heads[model.name] = (fit(sources, features, model.c), setting)
    columns = [m.name for m in models] + ["VADER", "majority"]
    print(
        "| set | lang | n | word runs replaced per text | "
        + " | ".join(f"{c} acc / F1" for c in columns)
        + " |"
    )
    print("|---|---|---:|---:|" + "---:|" * len(columns))
    totals: dict[str, dict[str, list[float]]] = {}
    predictions: dict[str, list[str]] = {}
    shown: list[dict[str, object]] = []
    for name, frame, classes in test_sets(data, rows):
        texts, truth = list(frame["text"]), list(frame["label"])
        languages = list(frame["lang"])
        detected = shifted_languages(texts)
        batch = encoder.encode(texts)
        top = allowed_words(words, max(m.per_language for m in models))
        active = batch.runs[:, top[batch.key]] if len(batch.key) else batch.runs
        cells = {}
        for model in models:
            head, setting = heads[model.name]
            moved = shifts(encoder, words, setting, detected) if model.shifted else None
            said = predict(head, batch.embed(words, *setting, moved))
            cells[model.name] = scores(truth, said, classes)
            predictions.setdefault(model.name, []).extend(said)
        cells["VADER"] = scores(truth, vader_labels(texts), classes)
        majority = pd.Series(truth).value_counts().index[0]
        cells["majority"] = scores(truth, [majority] * len(truth), classes)
        group = "en" if languages[0] == "en" else "other"
        shown += [{"set": name, "group": group, "label": y} for y in truth]
        for column, found in cells.items():
            kept = totals.setdefault(f"{group}/{column}", {"accuracy": [], "macro_f1": []})
            for metric in ("accuracy", "macro_f1"):
                kept[metric].append(found[metric])
        print(
            f"| {name} | {languages[0]} | {len(frame):,} | {active.sum() / len(frame):.2f} | "
            + " | ".join(
                f"{cells[c]['accuracy']:.3f} / {cells[c]['macro_f1']:.3f}" for c in columns
            )
            + " |",
            flush=True,
        )
    print("\n| sets (mean) | " + " | ".join(f"{c} acc / F1" for c in columns) + " |")
    print("|---|" + "---:|" * len(columns))
    for group in ("other", "en"):
        print(
            f"| {group} | "
            + " | ".join(
                f"{np.mean(totals[f'{group}/{c}']['accuracy']):.3f} / "
                f"{np.mean(totals[f'{group}/{c}']['macro_f1']):.3f}"
                for c in columns
            )
            + " |"
        )
    return pd.DataFrame(shown).assign(**predictions)


def shipped(encoder: Encoder, words: WordVectors, data: Path, rows: int) -> None:
    """The shipped sentiment heads (negation features, n-gram blend; not the lexicon's negation
    shift or the complaint shift) on the test sets in other languages, as they are and with
    :func:`shifts` applied to the embedding block their features start with."""
    from advocacy.text.negation_scope import split_negated
    from advocacy.text.text_model import ngram_terms, ngram_texts, shipped_heads

    heads = shipped_heads()
    embedder = encoder.embedder
    setting: tuple[NDArray[np.bool_] | None, float, str] = (None, 0.0, "1")
    print("| set | lang | n | shipped heads acc / F1 | shipped heads + shift acc / F1 |")
    print("|---|---|---:|---:|---:|")
    for name, frame, classes in test_sets(data, rows):
        if frame["lang"].iloc[0] == "en":
            continue
        texts, truth = list(frame["text"]), list(frame["label"])
        plain, negated = split_negated(texts)
        kept_rows, governed_rows = embedder.token_rows(plain), embedder.token_rows(negated)
        kept, governed = embedder.sums(kept_rows), embedder.sums(governed_rows)
        count = np.diff(kept_rows.offsets) + np.diff(governed_rows.offsets)
        terms = ngram_terms(ngram_texts(plain, negated))
        moved = shifts(encoder, words, setting, shifted_languages(texts))
        cells = []
        for shift in (np.zeros_like(moved), moved):
            mean = (kept - governed) / np.maximum(count, 1)[:, None]
            first = unit_rows(np.where(count[:, None] > 0, mean + shift, 0.0))
            features = np.hstack([first, unit_rows(governed)]).astype(np.float32)
            said = [SENTIMENTS[i] for i in heads.sentiment(features, terms).argmax(axis=1)]
            cells.append(scores(truth, said, classes))
        print(
            f"| {name} | {frame['lang'].iloc[0]} | {len(frame):,} | "
            + " | ".join(f"{c['accuracy']:.3f} / {c['macro_f1']:.3f}" for c in cells)
            + " |",
            flush=True,
        )


def paired_bootstrap(
    rows: pd.DataFrame, better: str, worse: str, rounds: int = 1000
) -> dict[str, tuple[float, float, float]]:
    """Per group of sets: the mean over its sets of the macro-F1 difference ``better - worse``,
    and its 95% interval when each set's rows are resampled (seeded, paired: one resample
    scores both)."""
    from sklearn.metrics import f1_score

    rng = np.random.default_rng(0)
    found = {}
    for group, part in rows.groupby("group"):
        sets = [frame for _, frame in part.groupby("set", sort=False)]

        def difference(frame: pd.DataFrame, chosen: NDArray[np.int64]) -> float:
            truth = frame["label"].to_numpy()[chosen]
            labels = sorted(set(frame["label"]))
            return float(
                f1_score(truth, frame[better].to_numpy()[chosen], labels=labels,
                         average="macro", zero_division=0)
                - f1_score(truth, frame[worse].to_numpy()[chosen], labels=labels,
                           average="macro", zero_division=0)
            )  # fmt: skip

        point = np.mean([difference(f, np.arange(len(f))) for f in sets])
        draws = [
            np.mean([difference(f, rng.integers(0, len(f), len(f))) for f in sets])
            for _ in range(rounds)
        ]
        low, high = np.percentile(draws, [2.5, 97.5])
        found[str(group)] = (float(point), float(low), float(high))
    return found


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=corpora.DATA)
    parser.add_argument("--words", type=Path, required=True, help="build_word_vectors.py output")
    parser.add_argument("--select", action="store_true", help="the grid on MARC train/dev")
    parser.add_argument(
        "--select-english",
        action="store_true",
        help="the English grid on training domains' development rows and English train files",
    )
    parser.add_argument(
        "--shipped", action="store_true", help="the shipped heads, with and without the shift"
    )
    parser.add_argument("--grid", default=",".join(str(n) for n in GRID_N), help="N to try")
    parser.add_argument(
        "--model",
        action="append",
        help="score the test sets once with this model, name:N:alpha:m:C:shift (repeatable)",
    )
    parser.add_argument(
        "--pair", action="append", help="a,b: bootstrap the macro-F1 of model a minus b"
    )
    parser.add_argument("--rows", type=int, default=5_000, help="most rows per test set")
    arguments = parser.parse_args(argv)
    started = time.process_time()
    words = WordVectors.load(arguments.words)
    encoder = Encoder(default_embedder(), words)
    if arguments.select:
        select(encoder, words, arguments.data, tuple(int(n) for n in arguments.grid.split(",")))
    if arguments.select_english:
        grid = tuple(int(n) for n in arguments.grid.split(","))
        select_english(encoder, words, arguments.data, grid)
    if arguments.shipped:
        shipped(encoder, words, arguments.data, arguments.rows)
    if arguments.model:
        models = [Model.parse(spec) for spec in arguments.model]
        rows = test(encoder, words, arguments.data, models, arguments.rows)
        print("\n| macro-F1 difference (mean over sets, 95% paired bootstrap) | other | en |")
        print("|---|---:|---:|")
        for better, worse in (pair.split(",") for pair in arguments.pair or []):
            found = paired_bootstrap(rows, better, worse)
            print(
                f"| {better} - {worse} | "
                + " | ".join(
                    "{:+.3f} ({:+.3f} to {:+.3f})".format(*found[group])
                    for group in ("other", "en")
                )
                + " |"
            )
    print(f"\n{time.process_time() - started:.0f} CPU s")


if __name__ == "__main__":
    main()
