"""Adapting the shipped sentiment without labels: the workspace's own class shares (tried, not
shipped) and the complaint head's reading (shipped, ``sentiment.COMPLAINT_WEIGHT``); issue #17,
items 2 and 6.

Run from the project root, with ``../shared/data`` beside it (or ``--data PATH``)::

    nice -n 10 .venv/bin/python benchmarks/sentiment_adaptation.py

Two ways to adapt the shipped sentiment to a set of unlabelled texts, both general (no labels)
and cheap (a few array passes per call), scored on the English sets of ``text_eval.py`` (same
loaders, rows and scoring; a text ``analyze_texts`` does not read stays unread):

* **Prior re-estimation by EM** (Saerens, Latinne & Decaestecker 2002, "Adjusting the outputs of
  a classifier to new a priori probabilities"): the heads were trained with classes balanced,
  so their prior is uniform; EM re-estimates the class shares of the texts read together and
  reweighs every text's probabilities by new share / training share. A Dirichlet prior of
  ``alpha`` texts at the training shares keeps a small call near the model (``alpha`` = 0 is
  plain EM; a call of n texts moves ``n / (n + alpha)`` of the way), and a temperature > 1
  flattens the model's probabilities first (they are over-confident out of domain).
* **The complaint probability as evidence of a negative**: the negative log-odds gain ``w``
  times the complaint head's logit (customer feedback states bad outcomes in a neutral tone).
  The readings are taken with ``COMPLAINT_WEIGHT`` at 0, so "before" is the model without it
  and the column marked "shipped" is what ``analyze_texts`` now gives.

Every setting is chosen on rows no benchmark scores (SemEval-2014 train, the teaching halves of
the Blitzer domains, as ``negation_eval.py --strengths`` chose the negation strength); the
evaluated sets only say whether it ships.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import text_corpora as corpora
import text_eval

SENTIMENTS = np.array(text_eval.SENTIMENTS)
#: (alpha, temperature) of the EM variants compared.
EM_SETTINGS = ((0.0, 1.0), (30.0, 1.0), (100.0, 1.0), (300.0, 1.0), (100.0, 2.0), (300.0, 2.0))
#: Weights of the complaint logit added to the negative log-odds.
COMPLAINT_WEIGHTS = (0.0, 0.25, 0.5, 1.0)


@dataclass
class Scored:
    """One set read once: the model's probabilities, complaint, which texts are read, truth."""

    name: str
    unseen: bool
    classes: tuple[str, ...]
    truth: list[str]
    probabilities: np.ndarray
    complaint: np.ndarray
    read: np.ndarray
    baselines: dict[str, dict[str, float]]

    def score(self, probabilities: np.ndarray) -> dict[str, float]:
        said = np.where(self.read, SENTIMENTS[probabilities.argmax(axis=1)], None)
        return text_eval.scores(self.truth, list(said), self.classes)


def read(
    name: str, texts: list[str], truth: list[str], classes: Sequence[str], unseen: bool
) -> Scored:
    """The model's reading before the complaint head moves it (``COMPLAINT_WEIGHT`` 0)."""
    from advocacy.text.enrich import analyze_texts
    from advocacy.text.text_model import text_model

    sentiment = importlib.import_module("advocacy.text.sentiment")  # the package shadows it
    shipped = sentiment.COMPLAINT_WEIGHT
    try:
        sentiment.COMPLAINT_WEIGHT = 0.0
        reading = text_model("static").read(texts)
    finally:
        sentiment.COMPLAINT_WEIGHT = shipped
    frame = analyze_texts(texts)
    return Scored(
        name,
        unseen,
        tuple(classes),
        truth,
        np.asarray(reading.sentiment, dtype=np.float64),
        np.asarray(reading.complaint, dtype=np.float64),
        frame["sentiment"].notna().to_numpy(),
        {
            "VADER": text_eval.scores(truth, text_eval.vader_labels(texts), classes),
            "majority": text_eval.scores(
                truth, [max(set(truth), key=truth.count)] * len(truth), classes
            ),
        },
    )


def em_prior(probabilities: np.ndarray, alpha: float, temperature: float) -> np.ndarray:
    """Saerens et al.'s EM with a Dirichlet prior of ``alpha`` texts at the training shares."""
    k = probabilities.shape[1]
    trained = np.full(k, 1 / k)
    logs = np.log(np.clip(probabilities, 1e-12, 1.0)) / temperature
    base = np.exp(logs - logs.max(axis=1, keepdims=True))
    base /= base.sum(axis=1, keepdims=True)
    shares = trained.copy()
    for _ in range(200):
        moved = base * (shares / trained)
        moved /= moved.sum(axis=1, keepdims=True)
        new = (moved.sum(axis=0) + alpha * trained) / (len(base) + alpha)
        done = np.abs(new - shares).max() < 1e-7
        shares = new
        if done:
            break
    out = base * (shares / trained)
    return np.asarray(out / out.sum(axis=1, keepdims=True))


def adapted_em(one: Scored, alpha: float, temperature: float) -> np.ndarray:
    out = one.probabilities.copy()
    if one.read.any():
        out[one.read] = em_prior(one.probabilities[one.read], alpha, temperature)
    return out


def adapted_complaint(one: Scored, weight: float) -> np.ndarray:
    complaint = np.clip(one.complaint, 1e-6, 1 - 1e-6)
    logs = np.log(np.clip(one.probabilities, 1e-12, 1.0))
    logs[:, 0] += weight * np.log(complaint / (1 - complaint))
    return logs


def sets(data: Path, rows: int) -> tuple[list[Scored], list[Scored]]:
    """(evaluated, tuning): the English sets of ``text_eval.py``; rows no benchmark scores."""
    plan = text_eval.Plan(
        data=data,
        rows=rows,
        seeds=(0,),
        language_rows=0,
        throughput_docs=0,
        learning_rows=0,
        taught=(),
        learning_sets=(),
        discovery_texts=0,
    )
    evaluated = [
        read(
            one.name,
            list(one.frame["text"]),
            list(one.frame["label"]),
            one.classes,
            text_eval.unseen(one.domain),
        )
        for one in text_eval.sentiment_sets(plan)
        if one.lang == "en"
    ]
    tuning = []
    for domain in ("restaurants", "laptops"):
        frame = text_eval._judged(corpora.semeval14(data, domain=domain, split="train"))
        tuning.append(
            read(
                f"SemEval-2014 {domain} train",
                list(frame["text"]),
                list(frame["label"]),
                text_eval.SENTIMENTS,
                True,
            )
        )
    for domain, part in corpora.blitzer(data).groupby("domain", sort=True):
        pool, _ = text_eval._split(part, held=0.5)
        tuning.append(
            read(
                f"Blitzer {str(domain).split('/')[1]} (teaching half)",
                list(pool["text"]),
                list(pool["label"]),
                text_eval.TWO_CLASSES,
                True,
            )
        )
    return evaluated, tuning


def table(found: list[Scored], variants: dict[str, object]) -> list[str]:
    names = [*variants, "VADER", "majority"]
    out = [
        "| set | unseen domain | n | " + " | ".join(names) + " |",
        "|---|---|---:|" + "---:|" * len(names),
    ]
    means: dict[str, list[dict[str, float]]] = {name: [] for name in names}
    for one in found:
        cells = []
        for name in names:
            adapt = variants.get(name)
            result = one.baselines[name] if adapt is None else one.score(adapt(one))  # type: ignore[operator]
            if one.unseen:
                means[name].append(result)
            cells.append(f"{result['accuracy']:.3f} / {result['macro_f1']:.3f}")
        out.append(
            f"| {one.name} | {'yes' if one.unseen else 'no'} | {len(one.truth):,} | "
            + " | ".join(cells)
            + " |"
        )
    for label, reduce in (("mean", np.mean), ("worst", np.min)):
        cells = [
            f"{reduce([r['accuracy'] for r in means[n]]):.3f} / "
            f"{reduce([r['macro_f1'] for r in means[n]]):.3f}"
            for n in names
        ]
        out.append(f"| **{label} of the unseen sets** | | | " + " | ".join(cells) + " |")
    return out


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=corpora.DATA, help="../shared/data")
    parser.add_argument("--rows", type=int, default=text_eval.FULL_ROWS, help="rows per set")
    arguments = parser.parse_args(argv)
    started = time.process_time()
    evaluated, tuning = sets(arguments.data, arguments.rows)
    from advocacy.text.sentiment import COMPLAINT_WEIGHT

    variants: dict[str, object] = {"before (no adaptation)": lambda one: one.probabilities}
    for alpha, temperature in EM_SETTINGS:
        variants[f"EM a={alpha:g} T={temperature:g}"] = lambda one, a=alpha, t=temperature: (
            adapted_em(one, a, t)
        )
    for weight in COMPLAINT_WEIGHTS[1:]:
        shipped = " (shipped)" if weight == COMPLAINT_WEIGHT else ""
        variants[f"complaint w={weight:g}{shipped}"] = lambda one, w=weight: adapted_complaint(
            one, w
        )
    sections = {
        "Tuning rows (no benchmark scores them), accuracy / macro-F1": table(tuning, variants),
        "English sets of text_eval.py, accuracy / macro-F1": table(evaluated, variants),
    }
    print(f"sentiment_adaptation: {time.process_time() - started:.0f} s CPU")
    for title, lines in sections.items():
        print(f"\n#### {title}\n")
        print("\n".join(lines))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
