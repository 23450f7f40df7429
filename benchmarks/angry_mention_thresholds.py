"""The thresholds of the shipped ``angry-mention`` case rule, chosen for a stated precision on
training tweets, then measured once on held-out proxies (audit2 finding N2).

Run from the project root, with ``../shared/data`` beside it (or ``--data PATH``)::

    nice -n 10 .venv/bin/python benchmarks/angry_mention_thresholds.py

The rule (:func:`advocacy.loop.cases.triggers.evaluate`) opens a case on a mention whose anger,
negative sentiment or complaint probability reaches its threshold (any of the three; a
threshold of None leaves that reading out), skipping non-answers. The readings are those the
rule reads (:class:`advocacy.loop.cases.triggers.TextSignals`: the shipped static model).

* **Choice** (training data only): the TweetEval sentiment tweets the shipped heads trained on
  (``val`` and the even ``test`` lines, ``tools/build_heads.py``), a case deserved when the gold
  label is negative. Every combination of the grids below is scored; the chosen one has the
  highest recall among those with precision at least ``--precision`` (ties: fewer cases). The
  heads saw these tweets, so their precision here is optimistic: the held-out rows say what
  to expect.
* **Held-out proxies** (scored once, nothing chosen on them): the sets of
  ``benchmarks/complaint_eval.py --proxies-only`` (SemEval-2014/2015 test sentences, MARC en
  test reviews, the scored Blitzer halves, TweetEval's odd test lines, Banking77 test), each
  with its precision, recall and the share of texts that would open a case, for the old
  thresholds, the **shipped** ones (read from ``loop/cases/default_rules.yaml``) and the ones
  this run chooses. The script says so when the shipped thresholds are not its choice.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import text_corpora as corpora
import text_eval
from numpy.typing import NDArray

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
import build_heads
import complaint_eval

OFF = None
ANGER = (0.5, 0.6, 0.7, 0.8, 0.9, OFF)
NEGATIVE = (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, OFF)
COMPLAINT = (0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, OFF)
#: The thresholds the rule shipped with before this choice.
BEFORE = (0.5, 0.7, 0.6)
#: The precision the choice must reach on each training set.
PRECISION = 0.75


def fits_the_rule(thresholds: tuple[float | None, ...]) -> bool:
    """Whether thresholds keep the rule what it is: it reads the complaint signal (issue #17,
    item 6) and not anger (it is named and summarised by what it reads, "Negative or
    complaining public mention"). With the v13 readings anger 0.8 would add 0.001 of mean
    recall on the training sets: not worth a reading a case's summary must then show."""
    anger, _, complaint = thresholds
    return anger is OFF and complaint is not OFF


def shipped() -> tuple[float | None, float | None, float | None]:
    """The angry-mention thresholds of the shipped rules file (anger, negative, complaint)."""
    from advocacy.loop.cases.rule_format import default_rules

    (rule,) = [r for r in default_rules() if r.trigger == "angry_mention"]
    return tuple(  # type: ignore[return-value]
        rule.params.get(name)
        for name in ("anger_at_least", "negative_at_least", "complaint_at_least")
    )


@dataclass
class Readings:
    """One labelled set as the rule reads it."""

    name: str
    truth: NDArray[np.bool_]
    answer: NDArray[np.bool_]  # not empty and not a non-answer: the rule may fire
    anger: NDArray[np.float64]
    negative: NDArray[np.float64]
    complaint: NDArray[np.float64]

    def fires(self, thresholds: tuple[float | None, float | None, float | None]) -> NDArray[Any]:
        anger, negative, complaint = thresholds
        hit = np.zeros(len(self.truth), dtype=bool)
        for floor, values in ((anger, self.anger), (negative, self.negative),
                              (complaint, self.complaint)):  # fmt: skip
            if floor is not None:
                hit |= values >= floor
        return hit & self.answer


def read(name: str, texts: Sequence[str], truth: Sequence[bool]) -> Readings:
    from advocacy.loop.cases.triggers import Evidence, TextSignals
    from advocacy.text.non_answers import is_non_answer

    texts = [str(t) for t in texts]
    evidence = [
        Evidence("mentions", str(i), None, None, None, None, None, None, text)
        for i, text in enumerate(texts)
    ]
    signals = TextSignals(evidence)
    complaint = [signals.complaint(item) for item in evidence]
    return Readings(
        name,
        np.asarray(truth, dtype=bool),
        np.array([bool(t) and not is_non_answer(t) for t in texts]),
        np.array([signals.anger(item) for item in evidence]),
        np.array([signals.negative(item) for item in evidence]),
        np.array([0.0 if c is None else c for c in complaint]),
    )


def scores(x: Readings, thresholds: tuple[float | None, ...]) -> tuple[float, float, float]:
    """Precision, recall and the share of texts that open a case."""
    hit = x.fires(thresholds)  # type: ignore[arg-type]
    true = int((hit & x.truth).sum())
    precision = true / hit.sum() if hit.sum() else float("nan")
    recall = true / x.truth.sum() if x.truth.sum() else float("nan")
    return precision, recall, float(hit.mean())


def _shown(thresholds: tuple[float | None, ...]) -> str:
    return ", ".join("off" if t is None else f"{t:g}" for t in thresholds)


def _conditions(thresholds: tuple[float | None, ...]) -> int:
    return sum(t is not None for t in thresholds)


def choose(sets: Sequence[Readings], target: float) -> tuple[tuple[float | None, ...], list[str]]:
    """The thresholds with the best mean recall over ``sets`` among those reaching precision
    ``target`` on each; ties: fewer cases, then fewer readings used."""
    rows = []
    for thresholds in itertools.product(ANGER, NEGATIVE, COMPLAINT):
        if thresholds == (OFF, OFF, OFF):
            continue
        found = [scores(x, thresholds) for x in sets]
        rows.append((thresholds, found))

    def key(row: tuple[tuple[float | None, ...], list[tuple[float, float, float]]]) -> Any:
        thresholds, found = row
        recall = float(np.mean([r for _, r, _ in found]))
        share = float(np.mean([s for _, _, s in found]))
        return (-round(recall, 6), round(share, 6), _conditions(thresholds))

    eligible = sorted(
        (row for row in rows if fits_the_rule(row[0]) and all(p >= target for p, _, _ in row[1])),
        key=key,
    )
    header = " | ".join(f"{x.name}: precision, recall, share" for x in sets)
    lines = [f"| anger, negative, complaint | {header} |", "|---|" + "---|" * len(sets)]
    for thresholds, found in [*[r for r in rows if r[0] == BEFORE], *eligible[:8]]:
        cells = " | ".join(f"{p:.3f}, {r:.3f}, {100 * s:.1f}%" for p, r, s in found)
        lines.append(f"| {_shown(thresholds)} | {cells} |")
    return eligible[0][0], lines


def training_sets(data: Path) -> list[Readings]:
    """The two training sets the thresholds are chosen on, read as the rule reads them."""
    tweets = build_heads.tweeteval(data, "sentiment", ("val", "test"), even_test=True)
    banking = build_heads.banking_complaints(data)
    return [
        read("TweetEval val + even test (negative)", tweets.texts, tweets.labels == 0),
        read("Banking77 train (problem intents)", banking.texts, banking.labels == 1),
    ]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=corpora.DATA, help="../shared/data")
    parser.add_argument("--rows", type=int, default=text_eval.FULL_ROWS, help="rows per proxy set")
    parser.add_argument(
        "--precision",
        type=float,
        default=PRECISION,
        help="the precision to reach on each training set",
    )
    parser.add_argument("--choose-only", action="store_true", help="skip the held-out proxies")
    arguments = parser.parse_args(argv)
    started = time.process_time()
    sets = training_sets(arguments.data)
    chosen, lines = choose(sets, arguments.precision)
    for x in sets:
        print(f"{x.name}: {len(x.truth):,} texts, {100 * x.truth.mean():.0f}% deserve a case")
    print(f"\n#### Choice on training data: precision >= {arguments.precision:g} on each\n")
    print("\n".join(lines))
    ships = shipped()
    print(f"\nChosen: {_shown(chosen)} (before: {_shown(BEFORE)}; shipped: {_shown(ships)})")
    if ships != chosen:
        print("NOTE: default_rules.yaml ships other thresholds than this run chooses")
    if not arguments.choose_only:
        print("\n#### Held-out proxies (scored once)\n")
        columns = {"before": BEFORE, "shipped": ships, "chosen": chosen}
        if ships == chosen:
            del columns["chosen"]
        print(
            "| proxy set | n | cases deserved % | "
            + " | ".join(f"{name}: precision, recall, share" for name in columns)
            + " |"
        )
        print("|---|---:|---:|" + "---|" * len(columns))
        for proxy in complaint_eval.proxy_sets(arguments.data, arguments.rows):
            x = read(proxy.name, proxy.texts, proxy.truth)
            cells = []
            for thresholds in columns.values():
                p, r, s = scores(x, thresholds)
                cells.append(f"{p:.3f}, {r:.3f}, {100 * s:.1f}%")
            print(f"| {x.name} | {len(x.truth):,} | {100 * x.truth.mean():.0f} | "
                  + " | ".join(cells) + " |")  # fmt: skip
    print(f"\nangry_mention_thresholds: {time.process_time() - started:.0f} s CPU")


if __name__ == "__main__":
    main()
