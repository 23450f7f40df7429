"""The ``text_model`` setting: the static default, or a user's own embedder by import path.

The user embedder is a tiny class defined here (hashed words, 32 dimensions) and reached the way
a user reaches theirs: ``ADVOCACY_TEXT_MODEL=package.module:factory``. Runs on both engines.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

import advocacy
from advocacy.errors import UsageError
from advocacy.text.embeddings import Embedder
from advocacy.text.enrich import analyze_texts

FACTORY = f"{__name__}:tiny_embedder"
COMMENTS = [
    ("Refund still missing after five weeks, awful.", 1),
    ("Charged twice and nobody answers the phone.", 2),
    ("Parcel arrived broken, terrible packaging.", 3),
    ("It was okay, nothing special.", 7),
    ("Fine overall, delivery a bit slow.", 8),
    ("Lovely staff, quick delivery, great value!", 10),
    ("Brilliant service, will buy again.", 9),
]


class TinyEmbedder:
    """Hashed bag of words, unit length: enough to tell these comments apart."""

    name = "tiny-test-embedder"
    dimension = 32

    def embed(self, texts: Sequence[str]) -> NDArray[np.float32]:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                digest = hashlib.sha256(word.strip(".,!").encode()).digest()
                out[row, digest[0] % self.dimension] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms > 0, norms, 1.0)


def tiny_embedder() -> TinyEmbedder:
    return TinyEmbedder()


def not_an_embedder() -> str:
    return "nope"


def _workspace(url: str, folder: Path, *, scored: bool = True) -> advocacy.Workspace:
    ws = advocacy.open(url)
    path = folder / "responses.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["response_id", "submitted_at", "nps", "comment"])
        for copy in range(3):
            for number, (text, nps) in enumerate(COMMENTS):
                writer.writerow(
                    [f"R{copy}-{number}", "2024-03-01T10:00:00Z", nps if scored else "", text]
                )
    ws.import_file(path, kind="responses")
    return ws


def _models(ws: advocacy.Workspace) -> set[str]:
    return {str(row[0]) for row in ws.db.fetchall("SELECT DISTINCT model FROM text_features")}


def test_user_embedder_by_import_path(db_url: str, tmp_path: Path) -> None:
    assert isinstance(tiny_embedder(), Embedder)
    ws = _workspace(db_url, tmp_path)
    static = ws.text.analyze(calibrate=False)  # the shipped heads (any score would calibrate)
    assert static.model.startswith("real-sentiment-e5-v13;")

    # The workspace reads its own settings (built once when it opened); change them in place.
    ws.settings = ws.settings.updated(text_model=FACTORY)
    plugged = ws.text.analyze()
    # The model changed, so every text is analysed again; the label names the embedder.
    assert (plugged.analyzed, plugged.unchanged) == (21, 0)
    assert plugged.calibration_labels == 21
    sentiment_model, emotion_model, cues = plugged.model.split("; ")
    assert sentiment_model.startswith("real-sentiment-e5-v13+tiny-test-embedder+workspace-")
    assert (emotion_model, cues) == ("real-emotion-e5-v5", "effort-cues-v7")
    assert _models(ws) == {plugged.model}
    sentences = ws.db.fetchall("SELECT DISTINCT model FROM text_sentences")
    assert [row[0] for row in sentences] == [sentiment_model]
    by_id = dict(ws.db.fetchall("SELECT document_id, sentiment FROM text_features"))
    assert by_id["R0-0"] == "negative" and by_id["R0-5"] == "positive"
    assert ws.text.analyze().analyzed == 0  # incremental under the plug-in too

    ws.settings = ws.settings.updated(text_model="static")
    back = ws.text.analyze()
    assert back.analyzed == 21 and _models(ws) == {back.model}
    ws.close()


def test_user_embedder_without_labels_is_refused(duckdb_url: str, tmp_path: Path) -> None:
    ws = _workspace(duckdb_url, tmp_path, scored=False)
    ws.settings = ws.settings.updated(text_model=FACTORY)
    with pytest.raises(UsageError, match="no sentiment head of its own") as raised:
        ws.text.analyze()
    assert raised.value.parameter == "text_model"
    ws.close()


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("bert-large", "unknown text model 'bert-large'"),
        ("minilm", "unknown text model 'minilm'"),  # the built-in MiniLM option was removed
        ("no_such_module_here:factory", "cannot import the text model"),
        (f"{__name__}:not_an_embedder", "returned str, which is not an Embedder"),
    ],
)
def test_bad_text_model_settings_say_what_is_allowed(spec: str, message: str) -> None:
    with pytest.raises(UsageError, match=message) as raised:
        analyze_texts(["hello"], model=spec)
    assert raised.value.value == spec and "static" in (raised.value.fix or "")


def test_the_n_gram_batch_tells_words_from_pairs_as_their_text_does() -> None:
    """ngram_terms marks a term a word from where it stands in its text's n-grams (the
    words come first); every mark is the term's own: a word holds no space, a pair one."""
    from advocacy.text.text_model import NGRAM_OPTIONS, ngram_terms

    texts = [
        "",
        "one",
        "Great staff, GREAT food",
        "not bad at all neg_bad neg_at",
        "  \t ",
        "don't won't can't isn't",
        "great",  # a word that is a whole text, and a word of other texts
        "food great food great",
        "l'été était très beau, n'est-ce pas",
        "x" * 300 + " y",
    ]
    terms = ngram_terms(texts)
    assert terms.is_word.tolist() == [" " not in term for term in terms.distinct]
    assert terms.is_word.any() and not terms.is_word.all()
    words = np.bincount(terms.owner[terms.is_word[terms.ids]], minlength=len(texts))
    pattern = re.compile(NGRAM_OPTIONS["token_pattern"])
    assert words.tolist() == [len(pattern.findall(text.lower())) for text in texts]
